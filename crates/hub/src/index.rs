//! What the console looks records up by, read once from each record's body
//! when it is stored (and, for records stored before these columns existed,
//! by the backfill when the store opens): whether triage flagged it, the
//! visitor's document number and phone in canonical form (so 0912… and
//! +84912… are one phone), whether a Bluezone phone was near, and for a
//! follow-up step the declaration it is about and its state.
//!
//! Bodies are outside bytes: anything unreadable gives an empty index, never
//! an error, and the record is stored as sent.

use checkpoint_domain::declaration::id_number::{normalize_document, normalize_phone};
use checkpoint_wire::RecordKind;
use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordIndex {
    pub flagged: bool,
    pub document: Option<String>,
    pub phone: Option<String>,
    /// `None`: the kiosk could not tell (no Bluetooth).
    pub bluezone: Option<bool>,
    /// A follow-up step: the declaration it is about.
    pub subject: Option<String>,
    /// A follow-up step: its state (`new`, …, `cleared`).
    pub state: Option<String>,
}

#[derive(Deserialize)]
struct DeclarationBody {
    #[serde(default)]
    flagged: bool,
    #[serde(default)]
    bluezone_nearby: Option<bool>,
    #[serde(default)]
    declaration: Option<Answers>,
}

#[derive(Deserialize)]
struct Answers {
    identity: Identity,
}

#[derive(Deserialize)]
struct Identity {
    #[serde(default)]
    document: Option<Document>,
    #[serde(default)]
    phone: String,
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    number: String,
}

#[derive(Deserialize)]
struct FollowUpBody {
    declaration_id: String,
    state: String,
}

impl RecordIndex {
    pub fn of(kind: RecordKind, body: &str) -> Self {
        match kind {
            RecordKind::Declaration => serde_json::from_str::<DeclarationBody>(body)
                .map(|b| {
                    let identity = b.declaration.map(|d| d.identity);
                    let document = identity
                        .as_ref()
                        .and_then(|i| i.document.as_ref())
                        .map(|d| normalize_document(&d.number))
                        .filter(|n| !n.is_empty() && n.len() <= 64);
                    RecordIndex {
                        flagged: b.flagged,
                        document,
                        phone: identity.and_then(|i| normalize_phone(&i.phone)),
                        bluezone: b.bluezone_nearby,
                        ..Self::default()
                    }
                })
                .unwrap_or_default(),
            RecordKind::FollowUp => serde_json::from_str::<FollowUpBody>(body)
                .map(|b| RecordIndex {
                    subject: Some(b.declaration_id).filter(|s| s.len() <= 64),
                    state: Some(b.state).filter(|s| s.len() <= 32),
                    ..Self::default()
                })
                .unwrap_or_default(),
            RecordKind::Report => Self::default(),
        }
    }
}

/// The phone or document number a tracer typed, in the form the index keeps.
/// A phone when it reads as one, else a document number.
pub fn case_key(typed: &str) -> CaseKey {
    match normalize_phone(typed) {
        Some(phone) => CaseKey::Phone(phone),
        None => CaseKey::Document(normalize_document(typed)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseKey {
    Phone(String),
    Document(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_declaration() {
        let body = r#"{"flagged":true,"bluezone_nearby":false,"declaration":{"identity":
            {"full_name":"A","document":{"kind":"cccd","number":"0010 9801-2345"},
             "phone":"+84 912 345 678"}}}"#;
        assert_eq!(
            RecordIndex::of(RecordKind::Declaration, body),
            RecordIndex {
                flagged: true,
                document: Some("001098012345".into()),
                phone: Some("0912345678".into()),
                bluezone: Some(false),
                ..RecordIndex::default()
            }
        );
    }

    #[test]
    fn reads_a_follow_up() {
        let body = r#"{"declaration_id":"0190a0a0-0000-7000-8000-000000000001","state":"cleared","by":"x","at":"2026-01-01T00:00:00Z"}"#;
        let index = RecordIndex::of(RecordKind::FollowUp, body);
        assert_eq!(index.state.as_deref(), Some("cleared"));
        assert_eq!(
            index.subject.as_deref(),
            Some("0190a0a0-0000-7000-8000-000000000001")
        );
    }

    /// The index reads a few fields by name from bodies the domain writes:
    /// if the domain renames one, this fails instead of the index going empty.
    #[test]
    fn reads_what_the_domain_writes() {
        use checkpoint_domain::declaration::{Declaration, Record};
        use checkpoint_wire::{FollowUp, FollowUpState};

        let now = chrono::Utc::now();
        let mut record = Record::new(Declaration::example(), "K1", now, now);
        record.flagged = true;
        record.bluezone_nearby = Some(true);
        let body = serde_json::to_string(&record).unwrap();
        assert_eq!(
            RecordIndex::of(RecordKind::Declaration, &body),
            RecordIndex {
                flagged: true,
                document: Some("001098012345".into()),
                phone: Some("0912345678".into()),
                bluezone: Some(true),
                ..RecordIndex::default()
            }
        );

        let step = FollowUp {
            declaration_id: record.record_id,
            state: FollowUpState::Contacted,
            by: "Lan".into(),
            at: now,
            note: String::new(),
        };
        let body = serde_json::to_string(&step).unwrap();
        let index = RecordIndex::of(RecordKind::FollowUp, &body);
        assert_eq!(index.subject, Some(record.record_id.to_string()));
        assert_eq!(
            index.state.as_deref(),
            Some(FollowUpState::Contacted.as_str())
        );
    }

    #[test]
    fn unreadable_bodies_give_an_empty_index() {
        for body in [
            "",
            "{",
            "[]",
            r#"{"flagged":"yes"}"#,
            r#"{"declaration":1}"#,
        ] {
            assert_eq!(
                RecordIndex::of(RecordKind::Declaration, body),
                RecordIndex::default()
            );
        }
        let bare = RecordIndex::of(RecordKind::Declaration, r#"{"flagged":true}"#);
        assert!(bare.flagged && bare.document.is_none() && bare.phone.is_none());
    }

    #[test]
    fn a_case_is_a_phone_or_a_document() {
        assert_eq!(
            case_key("0912 345 678"),
            CaseKey::Phone("0912345678".into())
        );
        assert_eq!(
            case_key("+84912345678"),
            CaseKey::Phone("0912345678".into())
        );
        assert_eq!(
            case_key("001098012345"),
            CaseKey::Document("001098012345".into())
        );
        assert_eq!(case_key("b 1234567"), CaseKey::Document("B1234567".into()));
    }

    proptest::proptest! {
        #[test]
        fn any_body_indexes_without_panic(body in ".{0,200}") {
            for kind in RecordKind::ALL {
                let _ = RecordIndex::of(kind, &body);
            }
        }
    }
}
