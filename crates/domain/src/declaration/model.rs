//! A declaration as the visitor gives it, and the stored record around it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::catalogue::{Condition, Contact, Symptom};
use checkpoint_i18n::Lang;

/// The kind of identity document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Chip ID card (Căn cước công dân / Căn cước), 12 digits.
    #[default]
    Cccd,
    /// Old ID card (Chứng minh nhân dân), 9 digits.
    Cmnd,
    /// Passport, 6 to 9 letters and digits.
    Passport,
    /// Any other document: free text.
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 4] = [
        DocumentKind::Cccd,
        DocumentKind::Cmnd,
        DocumentKind::Passport,
        DocumentKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Cccd => "cccd",
            DocumentKind::Cmnd => "cmnd",
            DocumentKind::Passport => "passport",
            DocumentKind::Other => "other",
        }
    }
}

/// An identity document: its kind and number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub kind: DocumentKind,
    pub number: String,
}

/// Gender as the form asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Male, Gender::Female, Gender::Other];

    pub fn key(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }
}

/// Contact address in Vietnam, on the two-level list in force since July 2025.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    /// Province code of the current list (e.g. "01" for Hà Nội).
    pub province: String,
    /// Ward/commune code of the current list.
    pub ward: String,
    /// House number, street, hamlet.
    pub street: String,
    /// The address as printed on an ID card, kept when it could not be mapped
    /// onto the current list.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub printed: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self.province.is_empty()
            && self.ward.is_empty()
            && self.street.trim().is_empty()
            && self.printed.trim().is_empty()
    }
}

/// Who the declaration is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Identity {
    /// Full name with diacritics, as the visitor writes it.
    pub full_name: String,
    /// Empty number: no document given.
    pub document: Document,
    pub birth_year: Option<u16>,
    /// The full date when known (an ID card gives it).
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    pub phone: String,
    pub address: Address,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            full_name: String::new(),
            document: Document::default(),
            birth_year: None,
            birth_date: None,
            gender: None,
            nationality: "VN".to_owned(),
            phone: String::new(),
            address: Address::default(),
        }
    }
}

/// The person filling the form for someone else ("khai hộ").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Declarant {
    pub name: String,
    pub phone: String,
}

/// The 14-day travel question; a yes asks for the places.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Travel {
    /// `None` until answered.
    pub answer: Option<bool>,
    pub places: String,
}

/// A checklist with an explicit "none of these": answered when something is
/// ticked or "none" is chosen, never both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(bound(deserialize = "T: Ord + Deserialize<'de>"))]
pub struct Checklist<T: Ord> {
    #[serde(default)]
    pub selected: BTreeSet<T>,
    #[serde(default)]
    pub none: bool,
}

impl<T: Ord> Default for Checklist<T> {
    fn default() -> Self {
        Self {
            selected: BTreeSet::new(),
            none: false,
        }
    }
}

impl<T: Ord + Copy> Checklist<T> {
    /// "None of these".
    pub fn none() -> Self {
        Self {
            selected: BTreeSet::new(),
            none: true,
        }
    }

    pub fn answered(&self) -> bool {
        self.none == self.selected.is_empty()
    }

    pub fn contradictory(&self) -> bool {
        self.none && !self.selected.is_empty()
    }

    /// Ticks or unticks an item; ticking clears "none".
    pub fn toggle(&mut self, item: T) {
        if !self.selected.remove(&item) {
            self.selected.insert(item);
            self.none = false;
        }
    }

    /// Chooses "none of these", clearing every tick.
    pub fn choose_none(&mut self) {
        self.selected.clear();
        self.none = true;
    }
}

/// COVID-19 vaccination.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Vaccination {
    pub doses: Option<u8>,
    pub last_dose: Option<NaiveDate>,
}

/// Where a pre-filled value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The chip ID card's QR.
    IdCard,
    /// A vaccination certificate (EU DCC format).
    Dcc,
    /// A saved declaration of this kiosk network.
    Ckd,
    /// A vCard / MECARD contact code.
    Contact,
    /// A handheld scanner burst.
    Scanner,
    /// The visitor's own declaration, made on the phone page (its code is
    /// signed by the hub: unaltered, not proven true).
    Visitor,
}

/// The provenance of one pre-filled field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub source: SourceKind,
    /// The document vouches for the value: it replaces what was typed and
    /// stays locked until staff unlock it. Records written before the two
    /// flags were split call this `verified`.
    #[serde(alias = "verified")]
    pub locked: bool,
    /// A signature over the value was checked (a vaccination certificate, a
    /// signed saved declaration). Only this earns the word "verified": a
    /// chip ID card's code is locked but carries no signature.
    #[serde(default)]
    pub signature_checked: bool,
}

impl Provenance {
    /// Signed and checked: locked, and shown as verified.
    pub fn signed(source: SourceKind) -> Self {
        Self {
            source,
            locked: true,
            signature_checked: true,
        }
    }

    /// Read from a document that carries no signature (the chip ID card's
    /// code): locked, never "verified".
    pub fn read_from(source: SourceKind) -> Self {
        Self {
            source,
            locked: true,
            signature_checked: false,
        }
    }

    /// A suggestion only: editable, not verified.
    pub fn unchecked(source: SourceKind) -> Self {
        Self {
            source,
            locked: false,
            signature_checked: false,
        }
    }
}

/// The visitor's declaration: everything the form asks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Declaration {
    pub identity: Identity,
    /// Set when someone declares on behalf of the visitor.
    pub on_behalf: Option<Declarant>,
    pub travel: Travel,
    /// Each contact question; absent means not answered yet.
    pub contacts: BTreeMap<Contact, bool>,
    pub symptoms: Checklist<Symptom>,
    pub conditions: Checklist<Condition>,
    pub vaccination: Vaccination,
    pub consent: bool,
    /// The language the visitor used.
    pub lang: Lang,
    /// For each pre-filled field (by field key), where it came from.
    pub sources: BTreeMap<String, Provenance>,
}

/// A stored declaration: the answers plus what the kiosk adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// UUID v7, made on the kiosk: the idempotency key end to end.
    pub record_id: Uuid,
    pub kiosk_id: String,
    /// When the visitor began (first scan or first tap).
    pub started_at: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    /// Triage said staff must see this visitor.
    pub flagged: bool,
    /// A Bluezone phone was near the kiosk at check-in; `None` when Bluetooth is unavailable.
    #[serde(default)]
    pub bluezone_nearby: Option<bool>,
    pub declaration: Declaration,
}

impl Record {
    /// Wraps validated answers with a new id and the triage result.
    pub fn new(
        declaration: Declaration,
        kiosk_id: impl Into<String>,
        started_at: DateTime<Utc>,
        submitted_at: DateTime<Utc>,
    ) -> Self {
        let flagged = super::triage::triage(&declaration, &Default::default()).flagged();
        Self {
            record_id: Uuid::now_v7(),
            kiosk_id: kiosk_id.into(),
            started_at,
            submitted_at,
            flagged,
            bluezone_nearby: None,
            declaration,
        }
    }

    /// The same record triaged by a fleet's rules (see `TriageRules`).
    pub fn triaged_by(mut self, rules: &super::triage::TriageRules) -> Self {
        self.flagged = super::triage::triage(&self.declaration, rules).flagged();
        self
    }
}

impl Declaration {
    /// A complete example: every question answered, as `declare --template` prints it.
    pub fn example() -> Self {
        let mut sources = BTreeMap::new();
        sources.insert(
            super::field::FULL_NAME.to_owned(),
            Provenance::read_from(SourceKind::IdCard),
        );
        Self {
            identity: Identity {
                full_name: "NGUYỄN VĂN A".to_owned(),
                document: Document {
                    kind: DocumentKind::Cccd,
                    number: "001098012345".to_owned(),
                },
                birth_year: Some(1998),
                birth_date: NaiveDate::from_ymd_opt(1998, 8, 15),
                gender: Some(Gender::Male),
                nationality: "VN".to_owned(),
                phone: "0912345678".to_owned(),
                address: Address {
                    province: "01".to_owned(),
                    ward: "00292".to_owned(),
                    street: "Số 1 Đại Cồ Việt".to_owned(),
                    printed: String::new(),
                },
            },
            on_behalf: None,
            travel: Travel {
                answer: Some(false),
                places: String::new(),
            },
            contacts: Contact::ALL.iter().map(|q| (*q, false)).collect(),
            symptoms: Checklist::none(),
            conditions: Checklist::none(),
            vaccination: Vaccination {
                doses: Some(2),
                last_dose: NaiveDate::from_ymd_opt(2021, 10, 1),
            },
            consent: true,
            lang: Lang::Vi,
            sources,
        }
    }

    /// Forgets every answer: what the idle timeout does.
    pub fn clear(&mut self) {
        *self = Declaration::default();
    }
}

#[cfg(test)]
mod provenance_tests {
    use super::{Provenance, SourceKind};

    #[test]
    fn records_written_before_the_split_read_as_locked_never_as_signed() {
        let old: Provenance =
            serde_json::from_str(r#"{"source":"id_card","verified":true}"#).unwrap();
        assert_eq!(old, Provenance::read_from(SourceKind::IdCard));
        let new = serde_json::to_string(&Provenance::signed(SourceKind::Dcc)).unwrap();
        assert_eq!(
            new,
            r#"{"source":"dcc","locked":true,"signature_checked":true}"#
        );
    }
}
