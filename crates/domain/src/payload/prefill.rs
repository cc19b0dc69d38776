//! A scan mapped onto the form: which fields, from which source, verified or not.
//!
//! Rules: an ID card's code is read as printed, locked but not verified (it
//! carries no signature: anyone can print one); a vaccination certificate
//! adds the vaccination fields and the name from `fn`/`gn` with diacritics,
//! verified only when every check passed; a saved declaration fills identity
//! (verified when signed by a trusted kiosk) and, only when verified and less
//! than 24 hours old, the 14-day answers (travel, contacts, symptoms); a contact
//! card fills name and phone, unverified.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ckd::declaration::{gender_of, kind_of};
use super::ckd::questions as q;
use super::ckd::{CkdScan, Field};
use super::dcc::Dcc;
use super::dcc::hcert::Statement;
use super::{Gender as CardGender, Payload};
use crate::declaration::{
    Address, Checklist, Condition, Contact, Declarant, Declaration, Document, DocumentKind, Gender,
    Provenance, SourceKind, Symptom, Travel, Vaccination, field,
};

/// Values to put into the form, each with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Prefill {
    pub full_name: Option<String>,
    pub document: Option<Document>,
    pub birth_year: Option<u16>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub gender: Option<Gender>,
    pub nationality: Option<String>,
    pub phone: Option<String>,
    pub address: Option<Address>,
    pub travel: Option<Travel>,
    pub contacts: BTreeMap<Contact, bool>,
    pub symptoms: Option<Checklist<Symptom>>,
    pub conditions: Option<Checklist<Condition>>,
    pub vaccination: Option<Vaccination>,
    /// For each filled field key: where it came from, verified or not.
    pub sources: BTreeMap<String, Provenance>,
    /// A saved declaration too old for its 14-day answers: ask them again.
    pub answers_withheld: bool,
    /// Someone declared on the visitor's behalf (the phone page's code).
    pub on_behalf: Option<Declarant>,
    /// The visitor declared on the phone page ([`SourceKind::Visitor`]):
    /// every value a suggestion staff may correct, never "verified".
    pub by_visitor: bool,
    /// The language the visitor declared in on the phone page (their own
    /// code only): the kiosk speaks it to them.
    pub language: Option<checkpoint_i18n::Lang>,
}

impl Prefill {
    /// Nothing to fill (a link, text, a refused scan).
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// `signed`: a signature over the value was checked (locked and verified);
    /// otherwise a suggestion the visitor may change.
    fn mark(&mut self, key: &str, source: SourceKind, signed: bool) {
        let provenance = if signed {
            Provenance::signed(source)
        } else {
            Provenance::unchecked(source)
        };
        self.sources.insert(key.to_owned(), provenance);
    }

    /// Read from a document without a signature (the chip ID card's code):
    /// locked, but never "verified".
    fn mark_read(&mut self, key: &str, source: SourceKind) {
        self.sources
            .insert(key.to_owned(), Provenance::read_from(source));
    }

    /// Writes the values into a declaration. A locked value (read from a document)
    /// replaces what is there; a suggestion fills only empty fields, so a scan never
    /// overwrites what the visitor typed with something less certain. The
    /// visitor's own code (the phone page) is what they typed: it fills
    /// every field it has, defaults included (a nationality other than Vietnam).
    pub fn apply(&self, d: &mut Declaration) {
        let id = &mut d.identity;
        let take = |key: &str, empty: bool| -> bool {
            self.sources
                .get(key)
                .is_some_and(|p| p.locked || empty || self.by_visitor)
        };
        if let Some(v) = &self.full_name
            && take(field::FULL_NAME, id.full_name.trim().is_empty())
        {
            id.full_name.clone_from(v);
        }
        if let Some(v) = &self.document
            && take(field::DOCUMENT, id.document.number.trim().is_empty())
        {
            id.document = v.clone();
        }
        if self.birth_year.is_some() && take(field::BIRTH_YEAR, id.birth_year.is_none()) {
            id.birth_year = self.birth_year;
        }
        if self.birth_date.is_some() && take(field::BIRTH_DATE, id.birth_date.is_none()) {
            id.birth_date = self.birth_date;
        }
        if self.gender.is_some() && take(field::GENDER, id.gender.is_none()) {
            id.gender = self.gender;
        }
        if let Some(v) = &self.nationality
            && take(field::NATIONALITY, id.nationality.trim().is_empty())
        {
            id.nationality.clone_from(v);
        }
        if let Some(v) = &self.phone
            && take(field::PHONE, id.phone.trim().is_empty())
        {
            id.phone.clone_from(v);
        }
        if let Some(v) = &self.address
            && take(field::ADDRESS, id.address.is_empty())
        {
            id.address = v.clone();
        }
        if let Some(v) = &self.travel {
            d.travel = v.clone();
        }
        for (question, answer) in &self.contacts {
            d.contacts.insert(*question, *answer);
        }
        if let Some(v) = &self.symptoms {
            d.symptoms = v.clone();
        }
        if let Some(v) = &self.conditions {
            d.conditions = v.clone();
        }
        if let Some(v) = &self.vaccination
            && take(field::VACCINATION, d.vaccination.doses.is_none())
        {
            d.vaccination = v.clone();
        }
        if let Some(declarant) = &self.on_behalf
            && d.on_behalf.is_none()
        {
            d.on_behalf = Some(declarant.clone());
        }
        for (key, provenance) in &self.sources {
            d.sources.insert(key.clone(), *provenance);
        }
    }
}

/// What a payload fills in.
pub fn prefill(payload: &Payload) -> Prefill {
    match payload {
        Payload::IdCard(card) => from_card(card),
        Payload::Dcc(dcc) => from_dcc(dcc),
        Payload::Ckd(scan) => from_ckd(scan),
        Payload::Contact(c) => {
            let mut p = Prefill::default();
            if let Some(name) = c.name.clone().filter(|n| !n.is_empty()) {
                p.full_name = Some(name);
                p.mark(field::FULL_NAME, SourceKind::Contact, false);
            }
            if let Some(phone) = c.phones.first() {
                p.phone = Some(phone.clone());
                p.mark(field::PHONE, SourceKind::Contact, false);
            }
            p
        }
        Payload::Url(_) | Payload::Text(_) | Payload::Unknown(_) => Prefill::default(),
    }
}

fn gender(g: CardGender) -> Gender {
    match g {
        CardGender::Male => Gender::Male,
        CardGender::Female => Gender::Female,
    }
}

fn from_card(card: &super::cccd::IdCard) -> Prefill {
    use chrono::Datelike;
    // Locked as printed on the card, but unsigned: not "verified".
    let src = SourceKind::IdCard;
    let mut p = Prefill {
        full_name: Some(card.full_name.clone()),
        document: Some(Document {
            kind: DocumentKind::Cccd,
            number: card.number.clone(),
        }),
        birth_year: u16::try_from(card.birth_date.year()).ok(),
        birth_date: Some(card.birth_date),
        gender: Some(gender(card.gender)),
        nationality: Some("VN".to_owned()),
        ..Prefill::default()
    };
    for key in [
        field::FULL_NAME,
        field::DOCUMENT,
        field::BIRTH_YEAR,
        field::BIRTH_DATE,
        field::GENDER,
        field::NATIONALITY,
    ] {
        p.mark_read(key, src);
    }
    if let Some(address) = &card.address {
        let mapped = address.mapped.as_ref();
        p.address = Some(Address {
            province: mapped.map(|m| m.province_code.clone()).unwrap_or_default(),
            ward: mapped.and_then(|m| m.ward_code.clone()).unwrap_or_default(),
            street: mapped.and_then(|m| m.street.clone()).unwrap_or_default(),
            printed: address.printed.clone(),
        });
        p.mark_read(field::ADDRESS, src);
        if mapped.is_some() {
            p.mark_read(field::PROVINCE, src);
        }
        if mapped.is_some_and(|m| m.ward_code.is_some()) {
            p.mark_read(field::WARD, src);
        }
    }
    p
}

fn from_dcc(dcc: &Dcc) -> Prefill {
    let (src, verified) = (SourceKind::Dcc, dcc.verification.is_valid());
    let mut p = Prefill::default();
    let name = dcc.holder.display_name();
    if !name.is_empty() {
        p.full_name = Some(name);
        p.mark(field::FULL_NAME, src, verified);
    }
    if let Some(date) = dcc.holder.birth_day() {
        p.birth_date = Some(date);
        p.mark(field::BIRTH_DATE, src, verified);
    }
    if let Some(year) = dcc.holder.birth_year().and_then(|y| u16::try_from(y).ok()) {
        p.birth_year = Some(year);
        p.mark(field::BIRTH_YEAR, src, verified);
    }
    if let Statement::Vaccination { dose, date, .. } = &dcc.statement {
        p.vaccination = Some(Vaccination {
            doses: dose.and_then(|d| u8::try_from(d).ok()),
            last_dose: *date,
        });
        p.mark(field::VACCINATION, src, verified);
        p.mark(field::VACCINE_DOSES, src, verified);
        if date.is_some() {
            p.mark(field::VACCINE_LAST_DOSE, src, verified);
        }
    }
    p
}

fn from_ckd(scan: &CkdScan) -> Prefill {
    // A visitor's own code: the hub's signature proves it was not altered,
    // not that it is true, so nothing of it is locked or called verified.
    let by_visitor = scan.record.made_by_visitor();
    let (src, verified) = if by_visitor {
        (SourceKind::Visitor, false)
    } else {
        (SourceKind::Ckd, scan.is_verified())
    };
    let mut p = Prefill {
        by_visitor,
        ..Prefill::default()
    };
    if by_visitor && !scan.identity_is_fresh() {
        // Older than its identity's 30 days: declared again from the start.
        return p;
    }
    let mut declarant = Declarant::default();
    let mut address = Address::default();
    let mut answers: Vec<(u8, bool)> = Vec::new();
    let mut places = None;
    for f in &scan.record.fields {
        match f {
            Field::FullName(s) => {
                p.full_name = Some(s.clone());
                p.mark(field::FULL_NAME, src, verified);
            }
            Field::DocumentNumber(s) => {
                let kind = scan
                    .record
                    .find(|f| match f {
                        Field::DocumentKind(k) => kind_of(*k),
                        _ => None,
                    })
                    .unwrap_or(DocumentKind::Other);
                p.document = Some(Document {
                    kind,
                    number: s.clone(),
                });
                p.mark(field::DOCUMENT, src, verified);
            }
            Field::BirthDate(d) => {
                use chrono::Datelike;
                p.birth_date = Some(*d);
                p.birth_year = u16::try_from(d.year()).ok();
                p.mark(field::BIRTH_DATE, src, verified);
                p.mark(field::BIRTH_YEAR, src, verified);
            }
            Field::BirthYear(y) => {
                p.birth_year = Some(*y);
                p.mark(field::BIRTH_YEAR, src, verified);
            }
            Field::Gender(g) => {
                if let Some(g) = gender_of(*g) {
                    p.gender = Some(g);
                    p.mark(field::GENDER, src, verified);
                }
            }
            Field::Nationality(s) => {
                p.nationality = Some(s.clone());
                p.mark(field::NATIONALITY, src, verified);
            }
            Field::Phone(s) => {
                p.phone = Some(s.clone());
                p.mark(field::PHONE, src, verified);
            }
            Field::ProvinceCode(s) => address.province.clone_from(s),
            Field::WardCode(s) => address.ward.clone_from(s),
            Field::Street(s) => address.street.clone_from(s),
            Field::AddressText(s) => address.printed.clone_from(s),
            Field::Answers(pairs) => answers.extend(pairs),
            Field::AnswerText(n, s) if *n == q::TRAVEL => places = Some(s.clone()),
            Field::Vaccination { doses, last_dose } => {
                p.vaccination = Some(Vaccination {
                    doses: Some(*doses),
                    last_dose: *last_dose,
                });
                p.mark(field::VACCINATION, src, verified);
            }
            Field::DeclarantName(s) => declarant.name.clone_from(s),
            Field::DeclarantPhone(s) => declarant.phone.clone_from(s),
            Field::Language(code) if by_visitor => p.language = code.parse().ok(),
            Field::DocumentKind(_)
            | Field::AnswerText(..)
            | Field::Consent(_)
            | Field::Language(_)
            | Field::MadeBy(_)
            | Field::Unknown(..) => {}
        }
    }
    if by_visitor && !declarant.name.is_empty() {
        p.on_behalf = Some(declarant);
        p.mark(field::DECLARANT_NAME, src, false);
    }
    if !address.is_empty() {
        p.address = Some(address);
        p.mark(field::ADDRESS, src, verified);
    }
    // Answers only from a genuine code; conditions are current, the rest is
    // about the last 14 days and is withheld from a code older than a day.
    // A visitor's answers count when the code is the trusted hub's, unaltered.
    if scan.is_verified() {
        let answered = if by_visitor {
            Provenance::unchecked(SourceKind::Visitor)
        } else {
            Provenance::signed(SourceKind::Ckd)
        };
        conditions(&mut p, &answers, answered);
        if scan.is_fresh() {
            fourteen_day_answers(&mut p, &answers, places, answered);
        } else if scan.record.has_answers() {
            p.answers_withheld = true;
        }
    }
    p
}

fn conditions(p: &mut Prefill, answers: &[(u8, bool)], answered: Provenance) {
    let mut list = Checklist::default();
    let mut any = false;
    for (n, _) in answers.iter().copied().filter(|(_, yes)| *yes) {
        if n == q::CONDITIONS_NONE {
            list.none = true;
            any = true;
        } else if let Some(c) = q::condition_of(n) {
            list.selected.insert(c);
            any = true;
        }
    }
    if any && !list.contradictory() {
        p.conditions = Some(list);
        p.sources.insert(field::CONDITIONS.to_owned(), answered);
    }
}

fn fourteen_day_answers(
    p: &mut Prefill,
    answers: &[(u8, bool)],
    places: Option<String>,
    answered: Provenance,
) {
    let mut symptoms = Checklist::default();
    let mut any_symptom = false;
    for (n, yes) in answers.iter().copied() {
        if n == q::TRAVEL {
            p.travel = Some(Travel {
                answer: Some(yes),
                places: if yes {
                    places.clone().unwrap_or_default()
                } else {
                    String::new()
                },
            });
            p.sources.insert(field::TRAVEL.to_owned(), answered);
        } else if let Some(c) = q::contact_of(n) {
            p.contacts.insert(c, yes);
            p.sources.insert(field::CONTACTS.to_owned(), answered);
        } else if n == q::SYMPTOMS_NONE && yes {
            symptoms.none = true;
            any_symptom = true;
        } else if let Some(s) = q::symptom_of(n).filter(|_| yes) {
            symptoms.selected.insert(s);
            any_symptom = true;
        }
    }
    if any_symptom && !symptoms.contradictory() {
        p.symptoms = Some(symptoms);
        p.sources.insert(field::SYMPTOMS.to_owned(), answered);
    }
}

impl Prefill {
    /// A declaration holding only the pre-filled values, with `sources` naming them
    /// (the form merges it into what the visitor has typed).
    pub fn declaration(&self) -> Declaration {
        let mut d = Declaration::default();
        self.apply(&mut d);
        d
    }
}

/// A scan as the form uses it: what it was, what it fills, what to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub kind: super::PayloadKind,
    pub prefill: Prefill,
    /// Warnings as messages, rendered late in the visitor's language.
    pub notes: Vec<checkpoint_i18n::Message>,
}

/// Parses the bytes and maps them onto the form in one call.
pub fn read(bytes: &[u8], ctx: &super::ParseContext<'_>) -> Result<Reading, super::Refusal> {
    let parsed = super::parse(bytes, ctx)?;
    Ok(Reading {
        kind: parsed.payload.kind(),
        prefill: prefill(&parsed.payload),
        notes: parsed
            .warnings
            .iter()
            .map(super::Warning::message)
            .collect(),
    })
}
