//! The phone page's form, as posted, made into a declaration. The field
//! names are the declaration's own field keys (`full_name`,
//! `address.province`, `contacts.contact_case`…), so the domain's problems
//! point at the inputs that caused them. Nothing here is kept or logged.

use checkpoint_domain::declaration::{
    Condition, Contact, Declarant, Declaration, DocumentKind, Gender, Symptom, field,
};
use checkpoint_i18n::Lang;

/// The largest form accepted (a full declaration is about 2 KB).
pub const MAX_BODY: usize = 16 * 1024;

/// The posted pairs, in order (checkboxes repeat their name).
#[derive(Debug, Default, Clone)]
pub struct Posted(Vec<(String, String)>);

impl Posted {
    /// Reads an `application/x-www-form-urlencoded` body; `None` when it is not one.
    pub fn parse(body: &[u8]) -> Option<Self> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .ok()
            .map(Self)
    }

    /// The first value of `name`, trimmed (empty when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn yes_no(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        }
    }

    pub fn lang(&self) -> Lang {
        self.get("lang").parse().unwrap_or(Lang::Vi)
    }

    /// The declaration the visitor filled in (not yet validated).
    pub fn declaration(&self) -> Declaration {
        let mut d = Declaration {
            lang: self.lang(),
            ..Declaration::default()
        };
        let id = &mut d.identity;
        id.full_name = self.get(field::FULL_NAME).to_owned();
        id.document.kind = match self.get("document_kind") {
            "passport" => DocumentKind::Passport,
            "cmnd" => DocumentKind::Cmnd,
            "other" => DocumentKind::Other,
            _ => DocumentKind::Cccd,
        };
        id.document.number = self.get(field::DOCUMENT).to_owned();
        id.birth_year = self.get(field::BIRTH_YEAR).parse().ok();
        id.birth_date =
            chrono::NaiveDate::parse_from_str(self.get(field::BIRTH_DATE), "%Y-%m-%d").ok();
        id.gender = match self.get(field::GENDER) {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            "other" => Some(Gender::Other),
            _ => None,
        };
        id.nationality = self.get(field::NATIONALITY).to_ascii_uppercase();
        id.phone = self.get(field::PHONE).to_owned();
        id.address.province = self.get(field::PROVINCE).to_owned();
        id.address.ward = self.get(field::WARD).to_owned();
        id.address.street = self.get(field::STREET).to_owned();
        if self.get("on_behalf") == "yes" {
            d.on_behalf = Some(Declarant {
                name: self.get(field::DECLARANT_NAME).to_owned(),
                phone: self.get(field::DECLARANT_PHONE).to_owned(),
            });
        }
        d.travel.answer = self.yes_no(field::TRAVEL);
        if d.travel.answer == Some(true) {
            d.travel.places = self.get(field::TRAVEL_PLACES).to_owned();
        }
        for q in Contact::ALL {
            if let Some(yes) = self.yes_no(&field::contact(*q)) {
                d.contacts.insert(*q, yes);
            }
        }
        for key in self.all(field::SYMPTOMS) {
            match Symptom::from_key(key) {
                Some(s) => d.symptoms.toggle(s),
                None if key == "none" => d.symptoms.none = true,
                None => {}
            }
        }
        for key in self.all(field::CONDITIONS) {
            match Condition::from_key(key) {
                Some(c) => d.conditions.toggle(c),
                None if key == "none" => d.conditions.none = true,
                None => {}
            }
        }
        d.vaccination.doses = self.get(field::VACCINE_DOSES).parse().ok();
        d.vaccination.last_dose =
            chrono::NaiveDate::parse_from_str(self.get(field::VACCINE_LAST_DOSE), "%Y-%m-%d").ok();
        d.consent = self.get(field::CONSENT) == "yes";
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_posted_form_is_the_declaration_it_says() {
        let body = "lang=en&full_name=NGUYEN+VAN+AN&document_kind=passport&document=B1234567\
            &birth_year=1985&gender=male&nationality=vn&phone=0912345678\
            &on_behalf=yes&on_behalf.name=Tran+Thi+Binh&on_behalf.phone=0987654321\
            &travel=yes&travel.places=%C4%90%C3%A0+N%E1%BA%B5ng\
            &contacts.contact_case=no&contacts.contact_from_country=no&contacts.contact_symptomatic=yes\
            &symptoms=fever&symptoms=cough&conditions=none&consent=yes";
        let d = Posted::parse(body.as_bytes()).unwrap().declaration();
        assert_eq!(d.lang, Lang::En);
        assert_eq!(d.identity.document.kind, DocumentKind::Passport);
        assert_eq!(d.identity.nationality, "VN");
        assert_eq!(d.on_behalf.as_ref().unwrap().name, "Tran Thi Binh");
        assert_eq!(d.travel.places, "Đà Nẵng");
        assert_eq!(d.contacts.get(&Contact::Symptomatic), Some(&true));
        assert_eq!(d.symptoms.selected.len(), 2);
        assert!(d.conditions.none && d.consent);
    }

    proptest! {
        #[test]
        fn any_body_parses_or_is_refused_without_panicking(body in prop::collection::vec(any::<u8>(), 0..600)) {
            if let Some(posted) = Posted::parse(&body) {
                let _ = posted.declaration();
            }
        }

        #[test]
        fn any_values_make_a_declaration(values in prop::collection::vec(("[a-z_.]{1,24}", "\\PC{0,40}"), 0..30)) {
            let body = serde_urlencoded::to_string(&values).unwrap();
            let _ = Posted::parse(body.as_bytes()).unwrap().declaration();
        }
    }
}
