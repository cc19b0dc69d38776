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
    pub fn is_attended(self) -> bool {
        self != FollowUpState::New
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
}
