//! What a saved declaration carries: a list of fields, so a newer kiosk can add
//! fields an older one skips.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One field of a saved declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "field", content = "value", rename_all = "snake_case")]
pub enum Field {
    FullName(String),
    DocumentNumber(String),
    /// 1 chip ID card, 2 passport, 3 other.
    DocumentKind(u8),
    BirthDate(NaiveDate),
    BirthYear(u16),
    /// 1 male, 2 female, 3 other.
    Gender(u8),
    /// ISO 3166 alpha-2.
    Nationality(String),
    Phone(String),
    ProvinceCode(String),
    WardCode(String),
    Street(String),
    AddressText(String),
    /// (question number < 128, yes) of the yes/no and checklist questions.
    Answers(Vec<(u8, bool)>),
    /// A free-text answer (e.g. the places visited) to a question number.
    AnswerText(u8, String),
    Vaccination {
        doses: u8,
        last_dose: Option<NaiveDate>,
    },
    /// Someone declared on the visitor's behalf: their name…
    DeclarantName(String),
    /// …and phone.
    DeclarantPhone(String),
    /// The visitor agreed to the processing of their data where they declared.
    Consent(bool),
    /// The language the visitor declared in ("vi", "en").
    Language(String),
    /// Who made the code: [`MADE_BY_KIOSK`] or [`MADE_BY_VISITOR`].
    MadeBy(u8),
    /// A field of a newer format version: kept, not understood.
    Unknown(u8, Vec<u8>),
}

/// A kiosk made the code from a declaration at its desk.
pub const MADE_BY_KIOSK: u8 = 1;
/// The visitor made it on the phone page; the hub signed what it was sent.
pub const MADE_BY_VISITOR: u8 = 2;

/// A saved declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CkdRecord {
    /// When the declaration was made (whole seconds).
    pub issued_at: DateTime<Utc>,
    pub fields: Vec<Field>,
}

impl CkdRecord {
    /// The first field `pick` accepts.
    pub fn find<T>(&self, pick: impl Fn(&Field) -> Option<T>) -> Option<T> {
        self.fields.iter().find_map(pick)
    }

    pub fn text(&self, pick: impl Fn(&Field) -> Option<&String>) -> Option<String> {
        self.fields.iter().find_map(|f| pick(f).cloned())
    }

    /// The visitor made it on the phone page (the signature proves it was not
    /// altered, not that the answers are true).
    pub fn made_by_visitor(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f, Field::MadeBy(MADE_BY_VISITOR)))
    }

    /// Whether the record carries any 14-day answer.
    pub fn has_answers(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f, Field::Answers(_) | Field::AnswerText(..)))
    }
}
