//! Stable question numbers for CKD answers (docs/ckd.md). Numbers never change
//! meaning; a question added to the catalogue gets a new number here.

use crate::declaration::{Condition, Contact, Symptom};

/// The travel question (yes/no); its places are free text.
pub const TRAVEL: u8 = 1;
/// "None of these" of the symptoms checklist.
pub const SYMPTOMS_NONE: u8 = 20;
/// "None of these" of the conditions checklist.
pub const CONDITIONS_NONE: u8 = 40;

pub fn contact(q: Contact) -> u8 {
    match q {
        Contact::Case => 10,
        Contact::FromCountry => 11,
        Contact::Symptomatic => 12,
    }
}

pub fn symptom(s: Symptom) -> u8 {
    match s {
        Symptom::Fever => 21,
        Symptom::Cough => 22,
        Symptom::ShortnessOfBreath => 23,
        Symptom::SoreThroat => 24,
        Symptom::Vomiting => 25,
        Symptom::Diarrhoea => 26,
        Symptom::SkinBleeding => 27,
        Symptom::SkinRash => 28,
    }
}

pub fn condition(c: Condition) -> u8 {
    match c {
        Condition::ChronicLiver => 41,
        Condition::ChronicBlood => 42,
        Condition::ChronicLung => 43,
        Condition::ChronicKidney => 44,
        Condition::Heart => 45,
        Condition::HighBloodPressure => 46,
        Condition::Immunodeficiency => 47,
        Condition::Transplant => 48,
        Condition::Diabetes => 49,
        Condition::Cancer => 50,
        Condition::Pregnant => 51,
    }
}

pub fn contact_of(n: u8) -> Option<Contact> {
    Contact::ALL.iter().copied().find(|q| contact(*q) == n)
}

pub fn symptom_of(n: u8) -> Option<Symptom> {
    Symptom::ALL.iter().copied().find(|q| symptom(*q) == n)
}

pub fn condition_of(n: u8) -> Option<Condition> {
    Condition::ALL.iter().copied().find(|q| condition(*q) == n)
}
