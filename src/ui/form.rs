//! One visitor's declaration while it is being filled: the answers, the text
//! typed into number and date fields, the open picker, the problems to show,
//! and which pre-filled fields are locked. No drawing here: the identity,
//! questions and review screens draw it; the app moves it between them and
//! drops it when the visitor is done or walks away.

use chrono::{DateTime, NaiveDate, Utc};

use checkpoint_domain::declaration::{
    Checklist, Condition, Contact, Declarant, Declaration, DocumentKind, Gender, Problem, Symptom,
    field, validate,
};
use checkpoint_domain::payload::prefill::Reading;

use super::keyboard::Kind;
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message};

/// A list the visitor is choosing from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picker {
    Nationality,
    Province,
    Ward,
}

impl Picker {
    /// The id of its search field.
    pub fn search_id(self) -> &'static str {
        match self {
            Picker::Nationality => "nationality-search",
            Picker::Province => "province-search",
            Picker::Ward => "ward-search",
        }
    }

    const ALL: [Picker; 3] = [Picker::Nationality, Picker::Province, Picker::Ward];
}

/// One change the visitor (or staff) makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    FullName(String),
    DocumentKind(DocumentKind),
    DocumentNumber(String),
    BirthYear(String),
    Gender(Gender),
    Phone(String),
    /// Opens a picker (or closes it with `None`).
    OpenPicker(Option<Picker>),
    Search(Picker, String),
    Nationality(String),
    Province(String),
    Ward(String),
    Street(String),
    OnBehalf(bool),
    DeclarantName(String),
    DeclarantPhone(String),
    Travel(bool),
    TravelPlaces(String),
    Contact(Contact, bool),
    Symptom(Symptom),
    NoSymptoms,
    Condition(Condition),
    NoConditions,
    Doses(u8),
    LastDose(String),
    Consent(bool),
}

impl Edit {
    /// Whether this edit types text (the keyboard-wedge guard may undo it).
    pub fn is_typing(&self) -> bool {
        matches!(
            self,
            Edit::FullName(_)
                | Edit::DocumentNumber(_)
                | Edit::BirthYear(_)
                | Edit::Phone(_)
                | Edit::Search(..)
                | Edit::Street(_)
                | Edit::DeclarantName(_)
                | Edit::DeclarantPhone(_)
                | Edit::TravelPlaces(_)
                | Edit::LastDose(_)
        )
    }
}

/// Fields a verified source vouches for: locked until staff unlock them.
/// The contact address stays editable: people live elsewhere than on their card.
const LOCKABLE: [&str; 7] = [
    field::FULL_NAME,
    field::DOCUMENT,
    field::BIRTH_YEAR,
    field::BIRTH_DATE,
    field::GENDER,
    field::NATIONALITY,
    field::VACCINATION,
];

/// Which part of the form a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Identity,
    Questions,
    Consent,
}

/// The part of the form that shows a field's problem.
pub fn part_of(field_key: &str) -> Part {
    let root = field_key.split('.').next().unwrap_or(field_key);
    match root {
        "travel" | "contacts" | "symptoms" | "conditions" | "vaccination" => Part::Questions,
        "consent" => Part::Consent,
        _ => Part::Identity,
    }
}

/// The visit being filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub declaration: Declaration,
    pub started_at: DateTime<Utc>,
    /// What is typed in the year field (digits, maybe not yet a year).
    pub birth_year_text: String,
    /// What is typed in the last-dose field (dd/mm/yyyy).
    pub last_dose_text: String,
    pub picker: Option<Picker>,
    pub nationality_query: String,
    pub province_query: String,
    pub ward_query: String,
    /// Problems shown beside their fields (set when the visitor moves on).
    pub problems: Vec<Problem>,
    /// What the last scan said (e.g. "address converted to the new names").
    pub notes: Vec<Message>,
    /// What the last scan was, for the banner ("Read from the chip ID card").
    pub scanned: Option<Message>,
    /// Staff unlocked the verified fields for this visitor.
    pub unlocked: bool,
}

impl Form {
    pub fn new(lang: Lang, started_at: DateTime<Utc>) -> Self {
        let declaration = Declaration {
            lang,
            ..Declaration::default()
        };
        Self {
            declaration,
            started_at,
            birth_year_text: String::new(),
            last_dose_text: String::new(),
            picker: None,
            nationality_query: String::new(),
            province_query: String::new(),
            ward_query: String::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            scanned: None,
            unlocked: false,
        }
    }

    /// Whether a field shows its value locked (verified, not unlocked by staff).
    pub fn is_locked(&self, key: &str) -> bool {
        !self.unlocked
            && LOCKABLE.contains(&key)
            && self.declaration.sources.get(key).is_some_and(|p| p.locked)
    }

    /// Whether any field of this part is locked (the "staff: unlock" button shows then).
    pub fn has_locked_fields(&self, part: Part) -> bool {
        LOCKABLE
            .iter()
            .any(|k| part_of(k) == part && self.is_locked(k))
    }

    /// The problem shown for a field, if any.
    pub fn problem(&self, key: &str) -> Option<&Message> {
        self.problems
            .iter()
            .find(|p| p.field == key)
            .map(|p| &p.message)
    }

    /// Merges what a scan read into the form.
    pub fn apply_reading(&mut self, reading: &Reading, kind_message: Message) {
        reading.prefill.apply(&mut self.declaration);
        self.sync_texts();
        self.notes.clone_from(&reading.notes);
        self.scanned = Some(kind_message);
        // Problems shown before the scan may no longer hold.
        self.problems.clear();
    }

    /// Copies typed-text mirrors from the declaration (after a scan or a restore).
    fn sync_texts(&mut self) {
        self.birth_year_text = self
            .declaration
            .identity
            .birth_year
            .map(|y| y.to_string())
            .unwrap_or_default();
        self.last_dose_text = self
            .declaration
            .vaccination
            .last_dose
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default();
    }

    /// Applies one edit. Edits to a locked field are ignored; editing a
    /// pre-filled field forgets where it came from (the visitor typed it).
    pub fn apply(&mut self, edit: Edit) {
        let key = edit_field(&edit);
        if let Some(key) = key {
            if self.is_locked(key) {
                return;
            }
            self.declaration.sources.remove(key);
            self.problems.retain(|p| p.field != key);
        }
        let d = &mut self.declaration;
        match edit {
            Edit::FullName(v) => d.identity.full_name = v,
            Edit::DocumentKind(k) => d.identity.document.kind = k,
            Edit::DocumentNumber(v) => d.identity.document.number = v,
            Edit::BirthYear(v) => {
                let digits: String = v.chars().filter(char::is_ascii_digit).take(4).collect();
                d.identity.birth_year = digits.parse().ok();
                if d.identity.birth_date.is_some_and(|b| {
                    Some(chrono::Datelike::year(&b)) != d.identity.birth_year.map(i32::from)
                }) {
                    d.identity.birth_date = None;
                }
                self.birth_year_text = digits;
            }
            Edit::Gender(g) => d.identity.gender = Some(g),
            Edit::Phone(v) => d.identity.phone = v,
            Edit::OpenPicker(p) => self.picker = p,
            Edit::Search(p, q) => {
                self.picker = Some(p);
                match p {
                    Picker::Nationality => self.nationality_query = q,
                    Picker::Province => self.province_query = q,
                    Picker::Ward => self.ward_query = q,
                }
            }
            Edit::Nationality(code) => {
                d.identity.nationality = code;
                self.nationality_query.clear();
                self.picker = None;
            }
            Edit::Province(code) => {
                if d.identity.address.province != code {
                    d.identity.address.ward.clear();
                }
                d.identity.address.province = code;
                self.province_query.clear();
                self.ward_query.clear();
                // Next, the ward of that province.
                self.picker = Some(Picker::Ward);
            }
            Edit::Ward(code) => {
                d.identity.address.ward = code;
                self.ward_query.clear();
                self.picker = None;
            }
            Edit::Street(v) => d.identity.address.street = v,
            Edit::OnBehalf(on) => {
                d.on_behalf = on.then(|| d.on_behalf.take().unwrap_or_default());
            }
            Edit::DeclarantName(v) => d.on_behalf.get_or_insert_with(Declarant::default).name = v,
            Edit::DeclarantPhone(v) => {
                d.on_behalf.get_or_insert_with(Declarant::default).phone = v;
            }
            Edit::Travel(yes) => {
                d.travel.answer = Some(yes);
                if !yes {
                    d.travel.places.clear();
                }
            }
            Edit::TravelPlaces(v) => d.travel.places = v,
            Edit::Contact(q, yes) => {
                d.contacts.insert(q, yes);
                let key = field::contact(q);
                self.problems.retain(|p| p.field != key);
            }
            Edit::Symptom(s) => d.symptoms.toggle(s),
            Edit::NoSymptoms => toggle_none(&mut d.symptoms),
            Edit::Condition(c) => d.conditions.toggle(c),
            Edit::NoConditions => toggle_none(&mut d.conditions),
            Edit::Doses(n) => {
                d.vaccination.doses = Some(n);
                if n == 0 {
                    d.vaccination.last_dose = None;
                    self.last_dose_text.clear();
                }
            }
            Edit::LastDose(v) => {
                d.vaccination.last_dose = parse_date(&v);
                self.last_dose_text = v;
            }
            Edit::Consent(yes) => d.consent = yes,
        }
    }

    /// Every problem of the whole form, plus what the typed text cannot be.
    pub fn check(&self, today: NaiveDate) -> Vec<Problem> {
        let mut problems = validate(&self.declaration, today).err().unwrap_or_default();
        if !self.birth_year_text.is_empty() && self.declaration.identity.birth_year.is_none() {
            problems.retain(|p| p.field != field::BIRTH_YEAR);
            problems.push(Problem {
                field: field::BIRTH_YEAR.to_owned(),
                message: Message::new(fl!("ui-error-year")),
            });
        }
        if !self.last_dose_text.trim().is_empty()
            && self.declaration.vaccination.last_dose.is_none()
        {
            problems.push(Problem {
                field: field::VACCINE_LAST_DOSE.to_owned(),
                message: Message::new(fl!("ui-error-date")),
            });
        }
        problems
    }

    /// Checks one part: keeps its problems to show, and says whether it is clean.
    pub fn check_part(&mut self, part: Part, today: NaiveDate) -> bool {
        self.problems = self
            .check(today)
            .into_iter()
            .filter(|p| part_of(&p.field) == part)
            .collect();
        self.problems.is_empty()
    }
}

/// Chooses "none of these", or un-chooses it.
fn toggle_none<T: Ord + Copy>(list: &mut Checklist<T>) {
    if list.none {
        list.none = false;
    } else {
        list.choose_none();
    }
}

/// The field an edit changes (for locks, provenance and its problem).
impl Edit {
    /// The edit that sets the text field with this widget id (the
    /// on-screen keyboard types through it).
    pub fn typed(id: &str, text: String) -> Option<Edit> {
        Some(match id {
            field::FULL_NAME => Edit::FullName(text),
            field::DOCUMENT => Edit::DocumentNumber(text),
            field::BIRTH_YEAR => Edit::BirthYear(text),
            field::PHONE => Edit::Phone(text),
            field::STREET => Edit::Street(text),
            field::DECLARANT_NAME => Edit::DeclarantName(text),
            field::DECLARANT_PHONE => Edit::DeclarantPhone(text),
            field::TRAVEL_PLACES => Edit::TravelPlaces(text),
            field::VACCINE_LAST_DOSE => Edit::LastDose(text),
            _ => Edit::Search(Picker::ALL.into_iter().find(|p| p.search_id() == id)?, text),
        })
    }
}

impl Form {
    /// The text of the field with this widget id and how it is typed;
    /// `None` for a field that is not a text field or is locked.
    pub fn typed(&self, id: &str) -> Option<(String, Kind)> {
        let d = &self.declaration;
        let i = &d.identity;
        let declarant = d.on_behalf.as_ref();
        let numeric_document = matches!(i.document.kind, DocumentKind::Cccd | DocumentKind::Cmnd);
        let (text, kind, lock) = match id {
            field::FULL_NAME => (&i.full_name, Kind::Name, id),
            field::DOCUMENT if numeric_document => (&i.document.number, Kind::Number, id),
            field::DOCUMENT => (&i.document.number, Kind::Code, id),
            field::BIRTH_YEAR => (&self.birth_year_text, Kind::Number, id),
            field::PHONE => (&i.phone, Kind::Phone, id),
            field::STREET => (&i.address.street, Kind::Text, id),
            field::DECLARANT_NAME => (&declarant?.name, Kind::Name, id),
            field::DECLARANT_PHONE => (&declarant?.phone, Kind::Phone, id),
            field::TRAVEL_PLACES => (&d.travel.places, Kind::Text, id),
            field::VACCINE_LAST_DOSE => (&self.last_dose_text, Kind::Number, field::VACCINATION),
            _ => match Picker::ALL.into_iter().find(|p| p.search_id() == id)? {
                Picker::Nationality => (&self.nationality_query, Kind::Text, field::NATIONALITY),
                Picker::Province => (&self.province_query, Kind::Text, field::PROVINCE),
                Picker::Ward => (&self.ward_query, Kind::Text, field::WARD),
            },
        };
        (!self.is_locked(lock)).then(|| (text.clone(), kind))
    }
}

fn edit_field(edit: &Edit) -> Option<&'static str> {
    Some(match edit {
        Edit::FullName(_) => field::FULL_NAME,
        Edit::DocumentKind(_) | Edit::DocumentNumber(_) => field::DOCUMENT,
        Edit::BirthYear(_) => field::BIRTH_YEAR,
        Edit::Gender(_) => field::GENDER,
        Edit::Phone(_) => field::PHONE,
        Edit::Nationality(_) => field::NATIONALITY,
        Edit::Province(_) => field::PROVINCE,
        Edit::Ward(_) => field::WARD,
        Edit::Street(_) => field::STREET,
        Edit::DeclarantName(_) => field::DECLARANT_NAME,
        Edit::DeclarantPhone(_) => field::DECLARANT_PHONE,
        Edit::Travel(_) => field::TRAVEL,
        Edit::TravelPlaces(_) => field::TRAVEL_PLACES,
        Edit::Symptom(_) | Edit::NoSymptoms => field::SYMPTOMS,
        Edit::Condition(_) | Edit::NoConditions => field::CONDITIONS,
        Edit::Doses(_) => field::VACCINATION,
        Edit::LastDose(_) => field::VACCINE_LAST_DOSE,
        Edit::Consent(_) => field::CONSENT,
        Edit::Contact(..) | Edit::OpenPicker(_) | Edit::Search(..) | Edit::OnBehalf(_) => {
            return None;
        }
    })
}

/// A date as people write it here: dd/mm/yyyy (also with - or .), or ISO yyyy-mm-dd.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().or_else(|| {
        let normal: String = t
            .chars()
            .map(|c| if c == '-' || c == '.' { '/' } else { c })
            .collect();
        NaiveDate::parse_from_str(&normal, "%d/%m/%Y").ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_domain::declaration::{Provenance, SourceKind};

    fn form() -> Form {
        Form::new(Lang::Vi, Utc::now())
    }

    #[test]
    fn verified_fields_are_locked_until_staff_unlock_them() {
        let mut f = form();
        f.declaration.identity.full_name = "NGUYỄN VĂN A".into();
        f.declaration.sources.insert(
            field::FULL_NAME.into(),
            Provenance::read_from(SourceKind::IdCard),
        );
        f.apply(Edit::FullName("X".into()));
        assert_eq!(f.declaration.identity.full_name, "NGUYỄN VĂN A");
        assert!(f.has_locked_fields(Part::Identity));
        assert!(!f.has_locked_fields(Part::Questions));
        f.unlocked = true;
        f.apply(Edit::FullName("NGUYỄN VĂN B".into()));
        assert_eq!(f.declaration.identity.full_name, "NGUYỄN VĂN B");
        // Typed by hand now: no longer "from the ID card".
        assert!(!f.declaration.sources.contains_key(field::FULL_NAME));
    }

    #[test]
    fn unverified_prefill_is_editable_and_forgets_its_source() {
        let mut f = form();
        f.declaration.sources.insert(
            field::PHONE.into(),
            Provenance::unchecked(SourceKind::Contact),
        );
        f.apply(Edit::Phone("0912345678".into()));
        assert_eq!(f.declaration.identity.phone, "0912345678");
        assert!(f.declaration.sources.is_empty());
    }

    #[test]
    fn year_field_keeps_digits_only_and_reports_an_impossible_year() {
        let mut f = form();
        f.apply(Edit::BirthYear("19a9x8".into()));
        assert_eq!(f.birth_year_text, "1998");
        assert_eq!(f.declaration.identity.birth_year, Some(1998));
        f.apply(Edit::BirthYear("99999".into()));
        assert_eq!(f.birth_year_text, "9999");
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        assert!(!f.check_part(Part::Identity, today));
        assert!(f.problem(field::BIRTH_YEAR).is_some());
    }

    #[test]
    fn choosing_none_clears_ticks_and_a_tick_clears_none() {
        let mut f = form();
        f.apply(Edit::Symptom(Symptom::Fever));
        f.apply(Edit::NoSymptoms);
        assert!(f.declaration.symptoms.none && f.declaration.symptoms.selected.is_empty());
        f.apply(Edit::Symptom(Symptom::Cough));
        assert!(!f.declaration.symptoms.none);
        f.apply(Edit::NoConditions);
        f.apply(Edit::NoConditions);
        assert!(!f.declaration.conditions.answered());
    }

    #[test]
    fn a_new_province_clears_the_ward_and_opens_the_ward_picker() {
        let mut f = form();
        f.apply(Edit::Province("01".into()));
        f.apply(Edit::Ward("00070".into()));
        assert_eq!(f.picker, None);
        f.apply(Edit::Province("79".into()));
        assert!(f.declaration.identity.address.ward.is_empty());
        assert_eq!(f.picker, Some(Picker::Ward));
    }

    #[test]
    fn problems_are_split_by_part() {
        let mut f = form();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        assert!(!f.check_part(Part::Questions, today));
        assert!(
            f.problems
                .iter()
                .all(|p| part_of(&p.field) == Part::Questions)
        );
        assert!(f.problem("contacts.contact_case").is_some());
        assert!(!f.check_part(Part::Consent, today));
        assert_eq!(f.problems.len(), 1);
    }

    #[test]
    fn dates_are_read_as_written_here() {
        let d = NaiveDate::from_ymd_opt(2021, 10, 1);
        assert_eq!(parse_date("01/10/2021"), d);
        assert_eq!(parse_date("1-10-2021"), d);
        assert_eq!(parse_date(" 2021-10-01 "), d);
        assert_eq!(parse_date("31/02/2021"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
