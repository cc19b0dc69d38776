//! What happened to a visitor triage flagged: one vocabulary for the kiosk's
//! staff screen and the hub's console. A kiosk records each step as a
//! [`FollowUp`] record (kind `follow-up`) and syncs it like any other.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a flagged visitor's follow-up stands. The order is the usual
/// course; any state may follow any other (a visitor cleared by mistake is
/// set back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FollowUpState {
    /// Flagged, nobody has seen them yet.
    New,
    /// Staff met the visitor at the desk.
    SeenAtDesk,
    /// A health officer reached the visitor (by phone or in person).
    Contacted,
    /// Sent for a test.
    ReferredForTesting,
    /// Nothing more to do. Only a cleared record may be purged by retention.
    Cleared,
}

impl FollowUpState {
    pub const ALL: [FollowUpState; 5] = [
        FollowUpState::New,
        FollowUpState::SeenAtDesk,
        FollowUpState::Contacted,
        FollowUpState::ReferredForTesting,
        FollowUpState::Cleared,
    ];

    /// The name stored and sent (`seen-at-desk`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpState::New => "new",
            FollowUpState::SeenAtDesk => "seen-at-desk",
            FollowUpState::Contacted => "contacted",
            FollowUpState::ReferredForTesting => "referred-for-testing",
            FollowUpState::Cleared => "cleared",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The Fluent message naming the state (`follow-up-seen-at-desk`, …),
    /// so the kiosk and the console say it in the same words.
    pub fn label_id(self) -> &'static str {
        match self {
            FollowUpState::New => "follow-up-new",
            FollowUpState::SeenAtDesk => "follow-up-seen-at-desk",
            FollowUpState::Contacted => "follow-up-contacted",
            FollowUpState::ReferredForTesting => "follow-up-referred-for-testing",
            FollowUpState::Cleared => "follow-up-cleared",
        }
    }

    /// Someone has attended to the visitor: they no longer wait for staff.
    /// (Every state is named, here and in [`is_open`](Self::is_open): a new
    /// state does not compile until both are decided for it.)
    pub fn is_attended(self) -> bool {
        match self {
            FollowUpState::New => false,
            FollowUpState::SeenAtDesk
            | FollowUpState::Contacted
            | FollowUpState::ReferredForTesting
            | FollowUpState::Cleared => true,
        }
    }

    /// The follow-up is not over: the visitor stays on the staff lists, and
    /// retention keeps the declaration however old it is.
    pub fn is_open(self) -> bool {
        match self {
            FollowUpState::New
            | FollowUpState::SeenAtDesk
            | FollowUpState::Contacted
            | FollowUpState::ReferredForTesting => true,
            FollowUpState::Cleared => false,
        }
    }
}

/// The follow-up predicates as SQL, derived from [`FollowUpState`], for the
/// kiosk's store and both of the hub's dialects (the text is standard SQL).
/// A partial index and the queries that use it must say their condition in
/// the same words, so both take it from here.
pub mod sql {
    use super::FollowUpState;

    /// A column holding a state's name.
    #[derive(Debug, Clone, Copy)]
    pub enum Column<'a> {
        /// Always a state (the kiosk: a declaration starts `new`).
        NotNull(&'a str),
        /// `NULL` until the first step, which means `new` (the hub).
        NullIsNew(&'a str),
    }

    /// Flagged visitors nobody has attended to yet.
    pub fn waiting(column: Column<'_>) -> String {
        condition(column, |s| !s.is_attended())
    }

    /// Flagged visitors whose follow-up is not over.
    pub fn open(column: Column<'_>) -> String {
        condition(column, FollowUpState::is_open)
    }

    /// Every state's name, quoted, for a `CHECK (… IN (…))`.
    pub fn names() -> String {
        quoted(FollowUpState::ALL.into_iter())
    }

    /// The states for which `holds` is true, written as the shorter list
    /// (`= 'x'` for one state, `!= 'x'` for all but one).
    fn condition(column: Column<'_>, holds: impl Fn(FollowUpState) -> bool) -> String {
        let (yes, no): (Vec<_>, Vec<_>) = FollowUpState::ALL.into_iter().partition(|s| holds(*s));
        let name = match column {
            Column::NotNull(c) | Column::NullIsNew(c) => c,
        };
        let test = match (yes.as_slice(), no.as_slice()) {
            (_, []) => "1 = 1".to_owned(),
            ([], _) => "1 = 0".to_owned(),
            ([one], _) => format!("{name} = '{}'", one.as_str()),
            (_, [one]) => format!("{name} != '{}'", one.as_str()),
            _ if yes.len() <= no.len() => format!("{name} IN ({})", quoted(yes.into_iter())),
            _ => format!("{name} NOT IN ({})", quoted(no.into_iter())),
        };
        match column {
            Column::NullIsNew(c) if holds(FollowUpState::New) => format!("({c} IS NULL OR {test})"),
            _ => test,
        }
    }

    fn quoted(states: impl Iterator<Item = FollowUpState>) -> String {
        states
            .map(|s| format!("'{}'", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One step of a flagged visitor's follow-up: the body of a `follow-up` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// The flagged declaration's record id (on the hub's console, also a
    /// report's: reports are followed up in the same states).
    pub declaration_id: Uuid,
    pub state: FollowUpState,
    /// Who did it: the staff member's name or initials, as they typed it.
    pub by: String,
    pub at: DateTime<Utc>,
    /// A short note (what was said, where they were sent).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The longest `by` and `note` accepted, in characters.
pub const FOLLOW_UP_BY_MAX: usize = 60;
pub const FOLLOW_UP_NOTE_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_by_name_and_on_the_wire() {
        for s in FollowUpState::ALL {
            assert_eq!(FollowUpState::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(FollowUpState::parse("done"), None);
        assert!(!FollowUpState::New.is_attended());
        assert!(FollowUpState::SeenAtDesk.is_attended());
    }

    #[test]
    fn the_sql_says_what_the_states_say() {
        use sql::Column::{NotNull, NullIsNew};
        // The texts the stores' partial indexes were made with: a change here
        // needs an index migration on the kiosk (schema V5) and the hub.
        assert_eq!(sql::waiting(NotNull("follow_up")), "follow_up = 'new'");
        assert_eq!(sql::open(NotNull("follow_up")), "follow_up != 'cleared'");
        assert_eq!(
            sql::waiting(NullIsNew("r.follow_up")),
            "(r.follow_up IS NULL OR r.follow_up = 'new')"
        );
        assert_eq!(
            sql::open(NullIsNew("follow_up")),
            "(follow_up IS NULL OR follow_up != 'cleared')"
        );
        assert_eq!(
            sql::names(),
            "'new', 'seen-at-desk', 'contacted', 'referred-for-testing', 'cleared'"
        );
        assert!(
            FollowUpState::ALL
                .iter()
                .all(|s| s.is_attended() || s.is_open())
        );
    }
}
