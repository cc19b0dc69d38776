//! Validation: every problem at once, each tied to its field so the window can
//! show it beside the field, each with a Fluent message.

use chrono::{Datelike, NaiveDate};

use super::catalogue::{Contact, field};
use super::id_number::{DocumentProblem, check_document, normalize_document, normalize_phone};
use super::model::{Checklist, Declaration, DocumentKind};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// The earliest birth year the form accepts.
pub const MIN_BIRTH_YEAR: i32 = 1900;
/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest free text (street, places), in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// Vaccination campaigns began in December 2020.
const FIRST_VACCINE_DAY: (i32, u32, u32) = (2020, 12, 1);
const MAX_DOSES: u8 = 10;

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field key (see [`field`]).
    pub field: String,
    pub message: Message,
}

impl Problem {
    fn new(field: impl Into<String>, message: Message) -> Self {
        Self {
            field: field.into(),
            message,
        }
    }
}

/// Checks every answer; `today` bounds birth and vaccination dates.
pub fn validate(d: &Declaration, today: NaiveDate) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    identity(d, today, &mut p);
    on_behalf(d, &mut p);
    answers(d, &mut p);
    vaccination(d, today, &mut p);
    if !d.consent {
        p.push(Problem::new(
            field::CONSENT,
            Message::new(fl!("decl-error-consent")),
        ));
    }
    for key in d.sources.keys() {
        if !KNOWN_SOURCE_FIELDS.contains(&key.as_str()) {
            p.push(Problem::new(
                key.chars().take(40).collect::<String>(),
                Message::new(fl!("decl-error-unknown-field")),
            ));
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// Fields a pre-fill may come from.
const KNOWN_SOURCE_FIELDS: &[&str] = &[
    field::FULL_NAME,
    field::DOCUMENT,
    field::BIRTH_YEAR,
    field::BIRTH_DATE,
    field::GENDER,
    field::NATIONALITY,
    field::PHONE,
    field::ADDRESS,
    field::PROVINCE,
    field::WARD,
    field::STREET,
    field::TRAVEL,
    field::CONTACTS,
    field::SYMPTOMS,
    field::CONDITIONS,
    field::VACCINATION,
    field::VACCINE_DOSES,
    field::VACCINE_LAST_DOSE,
    field::DECLARANT_NAME,
];

fn required(field: &str) -> Problem {
    Problem::new(field, Message::new(fl!("decl-error-required")))
}

/// A person's name: required, at most 100 characters, no control characters.
fn name(field: &str, value: &str, p: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        p.push(required(field));
    } else if value.chars().count() > MAX_NAME_CHARS {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-name-too-long")).arg("max", MAX_NAME_CHARS),
        ));
    } else if value.chars().any(char::is_control) {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-control-chars")),
        ));
    }
}

/// Free text: optional, bounded, no control characters but line breaks.
fn text(field: &str, value: &str, p: &mut Vec<Problem>) {
    if value.chars().count() > MAX_TEXT_CHARS {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-text-too-long")).arg("max", MAX_TEXT_CHARS),
        ));
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-control-chars")),
        ));
    }
}

/// A phone number: Vietnamese (0 + 9 digits or +84 + 9 digits), or for a
/// foreign number the international form (+ and 8 to 15 digits).
pub fn phone_ok(value: &str) -> bool {
    if normalize_phone(value).is_some() {
        return true;
    }
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    compact.strip_prefix('+').is_some_and(|digits| {
        !digits.starts_with("84")
            && (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

fn phone(field: &str, value: &str, required_here: bool, p: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        if required_here {
            p.push(required(field));
        }
    } else if !phone_ok(value) {
        p.push(Problem::new(field, Message::new(fl!("decl-error-phone"))));
    }
}

fn identity(d: &Declaration, today: NaiveDate, p: &mut Vec<Problem>) {
    let id = &d.identity;
    name(field::FULL_NAME, &id.full_name, p);

    let number = normalize_document(&id.document.number);
    if number.chars().count() > 40 {
        p.push(Problem::new(
            field::DOCUMENT,
            Message::new(fl!("decl-error-document-too-long")),
        ));
    } else if !number.is_empty()
        && let Err(problem) = check_document(id.document.kind, &number)
    {
        let msg = match problem {
            DocumentProblem::CccdShape => fl!("decl-error-cccd-shape"),
            DocumentProblem::CccdProvince => fl!("decl-error-cccd-province"),
            DocumentProblem::CmndShape => fl!("decl-error-cmnd-shape"),
            DocumentProblem::PassportShape => fl!("decl-error-passport-shape"),
            DocumentProblem::TooLong => fl!("decl-error-document-too-long"),
        };
        p.push(Problem::new(field::DOCUMENT, Message::new(msg)));
    }

    let this_year = today.year();
    match id.birth_year {
        None => p.push(required(field::BIRTH_YEAR)),
        Some(y) if !(MIN_BIRTH_YEAR..=this_year).contains(&i32::from(y)) => {
            p.push(Problem::new(
                field::BIRTH_YEAR,
                Message::new(fl!("decl-error-birth-year-range"))
                    .arg("min", MIN_BIRTH_YEAR)
                    .arg("max", this_year),
            ));
        }
        Some(_) => {}
    }
    if let Some(date) = id.birth_date {
        if date > today {
            p.push(Problem::new(
                field::BIRTH_DATE,
                Message::new(fl!("decl-error-date-future")),
            ));
        } else if id.birth_year.is_some_and(|y| i32::from(y) != date.year()) {
            p.push(Problem::new(
                field::BIRTH_DATE,
                Message::new(fl!("decl-error-birth-date-mismatch")),
            ));
        }
    }
    if id.gender.is_none() {
        p.push(required(field::GENDER));
    }
    if id.nationality.trim().is_empty() {
        p.push(required(field::NATIONALITY));
    } else if !super::country::is_iso_alpha2(&id.nationality) {
        p.push(Problem::new(
            field::NATIONALITY,
            Message::new(fl!("decl-error-nationality")),
        ));
    }
    phone(field::PHONE, &id.phone, false, p);
    address(d, p);
}

fn address(d: &Declaration, p: &mut Vec<Problem>) {
    let a = &d.identity.address;
    if !a.province.is_empty() && !super::places::province_exists(&a.province) {
        p.push(Problem::new(
            field::PROVINCE,
            Message::new(fl!("decl-error-province-unknown")),
        ));
    }
    if !a.ward.is_empty() && !super::places::ward_in_province(&a.ward, &a.province) {
        p.push(Problem::new(
            field::WARD,
            Message::new(fl!("decl-error-ward-unknown")),
        ));
    }
    text(field::STREET, &a.street, p);
    text(field::ADDRESS, &a.printed, p);
}

fn on_behalf(d: &Declaration, p: &mut Vec<Problem>) {
    if let Some(declarant) = &d.on_behalf {
        name(field::DECLARANT_NAME, &declarant.name, p);
        phone(field::DECLARANT_PHONE, &declarant.phone, true, p);
    }
}

fn answers(d: &Declaration, p: &mut Vec<Problem>) {
    match d.travel.answer {
        None => p.push(Problem::new(
            field::TRAVEL,
            Message::new(fl!("decl-error-answer-required")),
        )),
        Some(true) if d.travel.places.trim().is_empty() => {
            p.push(required(field::TRAVEL_PLACES));
        }
        Some(_) => text(field::TRAVEL_PLACES, &d.travel.places, p),
    }
    for q in Contact::ALL {
        if !d.contacts.contains_key(q) {
            p.push(Problem::new(
                field::contact(*q),
                Message::new(fl!("decl-error-answer-required")),
            ));
        }
    }
    checklist(field::SYMPTOMS, &d.symptoms, p);
    checklist(field::CONDITIONS, &d.conditions, p);
}

fn checklist<T: Ord + Copy>(field: &str, list: &Checklist<T>, p: &mut Vec<Problem>) {
    if list.contradictory() {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-checklist-contradiction")),
        ));
    } else if !list.answered() {
        p.push(Problem::new(
            field,
            Message::new(fl!("decl-error-checklist-required")),
        ));
    }
}

fn vaccination(d: &Declaration, today: NaiveDate, p: &mut Vec<Problem>) {
    let v = &d.vaccination;
    if v.doses.is_some_and(|n| n > MAX_DOSES) {
        p.push(Problem::new(
            field::VACCINE_DOSES,
            Message::new(fl!("decl-error-doses-range")).arg("max", MAX_DOSES),
        ));
    }
    if let Some(date) = v.last_dose {
        let (y, m, dd) = FIRST_VACCINE_DAY;
        let first = NaiveDate::from_ymd_opt(y, m, dd).unwrap_or(NaiveDate::MIN);
        if date > today {
            p.push(Problem::new(
                field::VACCINE_LAST_DOSE,
                Message::new(fl!("decl-error-date-future")),
            ));
        } else if date < first {
            p.push(Problem::new(
                field::VACCINE_LAST_DOSE,
                Message::new(fl!("decl-error-last-dose-early")),
            ));
        } else if v.doses == Some(0) {
            p.push(Problem::new(
                field::VACCINE_LAST_DOSE,
                Message::new(fl!("decl-error-last-dose-without-doses")),
            ));
        }
    }
}

/// Whether `kind` needs a number in a fixed shape (the window shows a hint).
pub fn document_hint_id(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Cccd => fl!("decl-hint-cccd"),
        DocumentKind::Cmnd => fl!("decl-hint-cmnd"),
        DocumentKind::Passport => fl!("decl-hint-passport"),
        DocumentKind::Other => fl!("decl-hint-other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::model::{Declarant, Gender};
    use checkpoint_i18n::Lang;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn fields(d: &Declaration) -> Vec<String> {
        match validate(d, today()) {
            Ok(()) => Vec::new(),
            Err(p) => p.into_iter().map(|p| p.field).collect(),
        }
    }

    #[test]
    fn the_example_is_valid() {
        assert_eq!(validate(&Declaration::example(), today()), Ok(()));
    }

    #[test]
    fn an_empty_form_lists_every_missing_answer_at_once() {
        let f = fields(&Declaration::default());
        for key in [
            field::FULL_NAME,
            field::BIRTH_YEAR,
            field::GENDER,
            field::TRAVEL,
            "contacts.contact_case",
            "contacts.contact_from_country",
            "contacts.contact_symptomatic",
            field::SYMPTOMS,
            field::CONDITIONS,
            field::CONSENT,
        ] {
            assert!(f.iter().any(|k| k == key), "{key} missing in {f:?}");
        }
        // Optional fields are not demanded.
        assert!(!f.iter().any(|k| k == field::PHONE || k == field::DOCUMENT));
    }

    #[test]
    fn birth_year_bounds() {
        let mut d = Declaration::example();
        d.identity.birth_date = None;
        for (year, ok) in [(1899, false), (1900, true), (2026, true), (2027, false)] {
            d.identity.birth_year = Some(year);
            assert_eq!(fields(&d).is_empty(), ok, "{year}");
        }
    }

    #[test]
    fn birth_date_must_match_year() {
        let mut d = Declaration::example();
        d.identity.birth_year = Some(1999);
        assert_eq!(fields(&d), vec![field::BIRTH_DATE]);
    }

    #[test]
    fn document_numbers_by_kind() {
        let mut d = Declaration::example();
        d.identity.document.number = "12345".into();
        assert_eq!(fields(&d), vec![field::DOCUMENT]);
        d.identity.document.kind = DocumentKind::Other;
        assert!(fields(&d).is_empty());
        d.identity.document.kind = DocumentKind::Passport;
        d.identity.document.number = "c 123 4567".into();
        assert!(fields(&d).is_empty());
        d.identity.document.number = "x".repeat(10_000_000);
        assert_eq!(fields(&d), vec![field::DOCUMENT]);
    }

    #[test]
    fn names_are_bounded_and_clean() {
        let mut d = Declaration::example();
        d.identity.full_name = "Ă".repeat(100);
        assert!(fields(&d).is_empty());
        d.identity.full_name = "Ă".repeat(101);
        assert_eq!(fields(&d), vec![field::FULL_NAME]);
        d.identity.full_name = "NGUYỄN\u{0}VĂN A".into();
        assert_eq!(fields(&d), vec![field::FULL_NAME]);
        d.identity.full_name = "   ".into();
        assert_eq!(fields(&d), vec![field::FULL_NAME]);
    }

    #[test]
    fn phones_vietnamese_and_international() {
        let mut d = Declaration::example();
        for (phone, ok) in [
            ("0912345678", true),
            ("+84912345678", true),
            ("+44 20 7946 0958", true),
            ("091234567", false),
            ("+8409123", false),
            ("call me", false),
        ] {
            d.identity.phone = phone.into();
            assert_eq!(fields(&d).is_empty(), ok, "{phone}");
        }
    }

    #[test]
    fn on_behalf_needs_declarant_name_and_phone() {
        let mut d = Declaration::example();
        d.on_behalf = Some(Declarant::default());
        assert_eq!(
            fields(&d),
            vec![field::DECLARANT_NAME, field::DECLARANT_PHONE]
        );
        d.on_behalf = Some(Declarant {
            name: "TRẦN THỊ B".into(),
            phone: "0987654321".into(),
        });
        assert!(fields(&d).is_empty());
    }

    #[test]
    fn travel_yes_needs_places() {
        let mut d = Declaration::example();
        d.travel.answer = Some(true);
        assert_eq!(fields(&d), vec![field::TRAVEL_PLACES]);
        d.travel.places = "Đà Nẵng".into();
        assert!(fields(&d).is_empty());
    }

    #[test]
    fn checklists_need_an_answer_and_no_contradiction() {
        let mut d = Declaration::example();
        d.symptoms = Checklist::default();
        assert_eq!(fields(&d), vec![field::SYMPTOMS]);
        d.symptoms
            .selected
            .insert(super::super::catalogue::Symptom::Cough);
        d.symptoms.none = true;
        assert_eq!(fields(&d), vec![field::SYMPTOMS]);
    }

    #[test]
    fn consent_is_required() {
        let mut d = Declaration::example();
        d.consent = false;
        assert_eq!(fields(&d), vec![field::CONSENT]);
    }

    #[test]
    fn vaccination_dates() {
        let mut d = Declaration::example();
        d.vaccination.last_dose = NaiveDate::from_ymd_opt(2019, 1, 1);
        assert_eq!(fields(&d), vec![field::VACCINE_LAST_DOSE]);
        d.vaccination.last_dose = NaiveDate::from_ymd_opt(2027, 1, 1);
        assert_eq!(fields(&d), vec![field::VACCINE_LAST_DOSE]);
        d.vaccination.last_dose = None;
        d.vaccination.doses = Some(11);
        assert_eq!(fields(&d), vec![field::VACCINE_DOSES]);
    }

    #[test]
    fn nationality_is_iso() {
        let mut d = Declaration::example();
        d.identity.nationality = "XX".into();
        assert_eq!(fields(&d), vec![field::NATIONALITY]);
        d.identity.nationality = "fr".into();
        assert!(fields(&d).is_empty());
    }

    #[test]
    fn messages_render_in_both_languages() {
        let mut d = Declaration::default();
        d.identity.gender = Some(Gender::Other);
        d.identity.birth_year = Some(1800);
        let problems = validate(&d, today()).unwrap_err();
        for p in &problems {
            let vi = p.message.render(Lang::Vi);
            let en = p.message.render(Lang::En);
            assert_ne!(vi, p.message.id, "missing vi text for {}", p.message.id);
            assert_ne!(en, p.message.id, "missing en text for {}", p.message.id);
        }
        let year = problems
            .iter()
            .find(|p| p.field == field::BIRTH_YEAR)
            .unwrap();
        assert!(year.message.render(Lang::En).contains("2026"));
    }
}
