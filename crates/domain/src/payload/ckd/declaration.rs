//! A declaration as a saved-declaration code, and back.

use chrono::{DateTime, Utc};

use super::questions as q;
use super::record::{CkdRecord, Field};
use crate::declaration::{Checklist, Declaration, DocumentKind, Gender};

fn kind_code(kind: DocumentKind) -> u8 {
    match kind {
        DocumentKind::Cccd => 1,
        DocumentKind::Passport => 2,
        DocumentKind::Cmnd => 4,
        DocumentKind::Other => 3,
    }
}

pub fn kind_of(code: u8) -> Option<DocumentKind> {
    match code {
        1 => Some(DocumentKind::Cccd),
        2 => Some(DocumentKind::Passport),
        3 => Some(DocumentKind::Other),
        4 => Some(DocumentKind::Cmnd),
        _ => None,
    }
}

fn gender_code(g: Gender) -> u8 {
    match g {
        Gender::Male => 1,
        Gender::Female => 2,
        Gender::Other => 3,
    }
}

pub fn gender_of(code: u8) -> Option<Gender> {
    match code {
        1 => Some(Gender::Male),
        2 => Some(Gender::Female),
        3 => Some(Gender::Other),
        _ => None,
    }
}

fn push_text(fields: &mut Vec<Field>, text: &str, make: fn(String) -> Field) {
    let text = text.trim();
    if !text.is_empty() {
        fields.push(make(text.to_owned()));
    }
}

/// What a declaration made at `at` saves: identity, answers, vaccination.
/// Consent, the declarant and provenance are not carried: they belong to one visit.
pub fn record_of(d: &Declaration, at: DateTime<Utc>) -> CkdRecord {
    let mut fields = Vec::new();
    let id = &d.identity;
    push_text(&mut fields, &id.full_name, Field::FullName);
    if !id.document.number.trim().is_empty() {
        fields.push(Field::DocumentKind(kind_code(id.document.kind)));
        push_text(&mut fields, &id.document.number, Field::DocumentNumber);
    }
    match (id.birth_date, id.birth_year) {
        (Some(date), _) => fields.push(Field::BirthDate(date)),
        (None, Some(year)) => fields.push(Field::BirthYear(year)),
        (None, None) => {}
    }
    if let Some(g) = id.gender {
        fields.push(Field::Gender(gender_code(g)));
    }
    push_text(&mut fields, &id.nationality, Field::Nationality);
    push_text(&mut fields, &id.phone, Field::Phone);
    push_text(&mut fields, &id.address.province, Field::ProvinceCode);
    push_text(&mut fields, &id.address.ward, Field::WardCode);
    push_text(&mut fields, &id.address.street, Field::Street);
    push_text(&mut fields, &id.address.printed, Field::AddressText);

    let mut answers = Vec::new();
    if let Some(travel) = d.travel.answer {
        answers.push((q::TRAVEL, travel));
    }
    for (question, answer) in &d.contacts {
        answers.push((q::contact(*question), *answer));
    }
    checklist(&mut answers, &d.symptoms, q::SYMPTOMS_NONE, q::symptom);
    checklist(
        &mut answers,
        &d.conditions,
        q::CONDITIONS_NONE,
        q::condition,
    );
    if !answers.is_empty() {
        fields.push(Field::Answers(answers));
    }
    if d.travel.answer == Some(true) && !d.travel.places.trim().is_empty() {
        fields.push(Field::AnswerText(
            q::TRAVEL,
            d.travel.places.trim().to_owned(),
        ));
    }
    if let Some(doses) = d.vaccination.doses {
        fields.push(Field::Vaccination {
            doses,
            last_dose: d.vaccination.last_dose,
        });
    }
    CkdRecord {
        issued_at: DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at),
        fields,
    }
}

/// What the phone page's code carries: the saved declaration plus what
/// belongs to this one visit (the declarant, consent, language), marked as
/// made by the visitor. Stamped with `at`, the hub's clock.
pub fn visitor_record_of(d: &Declaration, at: DateTime<Utc>) -> CkdRecord {
    let mut record = record_of(d, at);
    let fields = &mut record.fields;
    if let Some(declarant) = &d.on_behalf {
        push_text(fields, &declarant.name, Field::DeclarantName);
        push_text(fields, &declarant.phone, Field::DeclarantPhone);
    }
    fields.push(Field::Consent(d.consent));
    fields.push(Field::Language(d.lang.code().to_owned()));
    fields.push(Field::MadeBy(super::record::MADE_BY_VISITOR));
    record
}

fn checklist<T: Ord + Copy>(
    answers: &mut Vec<(u8, bool)>,
    list: &Checklist<T>,
    none: u8,
    number: fn(T) -> u8,
) {
    if list.none {
        answers.push((none, true));
    }
    for item in &list.selected {
        answers.push((number(*item), true));
    }
}

/// The signed code of a stored record (what the receipt shows).
pub fn encode_record(
    record: &crate::declaration::Record,
    key: &ed25519_dalek::SigningKey,
) -> String {
    super::encode_signed(&record_of(&record.declaration, record.submitted_at), key)
}
