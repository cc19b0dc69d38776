//! The question catalogue: every question of the national health declaration,
//! by stable key, in the order the form shows them. Texts live in
//! `locales/*/declaration.ftl` as `q-<key>`; this file is the one place that
//! says which questions exist and which of them alert staff.

use serde::{Deserialize, Serialize};

/// Defines a closed set of questions with stable snake_case keys.
macro_rules! questions {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $key)] $variant),+
        }

        impl $name {
            /// Every question, in form order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key (used in JSON, the database and Fluent ids).
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The question for a key.
            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            /// The Fluent id of its text: `q-<key>`.
            pub fn text_id(self) -> String {
                format!("q-{}", self.key())
            }
        }
    };
}

questions! {
    /// "In the past 14 days, have you been in contact with …" (each a yes/no).
    Contact {
        /// A sick or suspected COVID-19 person.
        Case = "contact_case",
        /// A person from a country with COVID-19.
        FromCountry = "contact_from_country",
        /// A person with fever, cough, shortness of breath or pneumonia.
        Symptomatic = "contact_symptomatic",
    }
}

questions! {
    /// "In the past 14 days, have you had any of these signs?" (a checklist).
    Symptom {
        Fever = "fever",
        Cough = "cough",
        ShortnessOfBreath = "shortness_of_breath",
        SoreThroat = "sore_throat",
        Vomiting = "vomiting_nausea",
        Diarrhoea = "diarrhoea",
        SkinBleeding = "skin_bleeding",
        SkinRash = "skin_rash",
    }
}

questions! {
    /// "Do you currently have any of the following?" (a checklist; risk factors, no alert).
    Condition {
        ChronicLiver = "chronic_liver",
        ChronicBlood = "chronic_blood",
        ChronicLung = "chronic_lung",
        ChronicKidney = "chronic_kidney",
        Heart = "heart_disease",
        HighBloodPressure = "high_blood_pressure",
        Immunodeficiency = "immunodeficiency_hiv",
        Transplant = "transplant_recipient",
        Diabetes = "diabetes",
        Cancer = "cancer",
        Pregnant = "pregnant",
    }
}

/// The form's sections, in order; each has a heading `section-<key>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Identity,
    Travel,
    Contacts,
    Symptoms,
    Conditions,
    Vaccination,
    Consent,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Identity,
        Section::Travel,
        Section::Contacts,
        Section::Symptoms,
        Section::Conditions,
        Section::Vaccination,
        Section::Consent,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Identity => "identity",
            Section::Travel => "travel",
            Section::Contacts => "contacts",
            Section::Symptoms => "symptoms",
            Section::Conditions => "conditions",
            Section::Vaccination => "vaccination",
            Section::Consent => "consent",
        }
    }

    /// The Fluent id of its heading.
    pub fn heading_id(self) -> String {
        format!("section-{}", self.key())
    }
}

/// Which answers alert staff. Contacts and symptoms do; conditions are risk
/// factors, recorded but not an alert by themselves.
pub fn alerts_staff_contact(_: Contact) -> bool {
    true
}

/// See [`alerts_staff_contact`].
pub fn alerts_staff_symptom(_: Symptom) -> bool {
    true
}

/// Stable keys of the form's fields: used for validation problems (so the
/// window can show each error beside its field), provenance and CSV columns.
pub mod field {
    pub const FULL_NAME: &str = "full_name";
    pub const DOCUMENT: &str = "document";
    pub const BIRTH_YEAR: &str = "birth_year";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const GENDER: &str = "gender";
    pub const NATIONALITY: &str = "nationality";
    pub const PHONE: &str = "phone";
    pub const ADDRESS: &str = "address";
    pub const PROVINCE: &str = "address.province";
    pub const WARD: &str = "address.ward";
    pub const STREET: &str = "address.street";
    pub const DECLARANT_NAME: &str = "on_behalf.name";
    pub const DECLARANT_PHONE: &str = "on_behalf.phone";
    pub const TRAVEL: &str = "travel";
    pub const TRAVEL_PLACES: &str = "travel.places";
    pub const CONTACTS: &str = "contacts";
    pub const SYMPTOMS: &str = "symptoms";
    pub const CONDITIONS: &str = "conditions";
    pub const VACCINATION: &str = "vaccination";
    pub const VACCINE_DOSES: &str = "vaccination.doses";
    pub const VACCINE_LAST_DOSE: &str = "vaccination.last_dose";
    pub const CONSENT: &str = "consent";

    /// The field key of one contact question: `contacts.<key>`.
    pub fn contact(q: super::Contact) -> String {
        format!("{CONTACTS}.{}", q.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_form_has_every_question() {
        assert_eq!(Contact::ALL.len(), 3);
        assert_eq!(Symptom::ALL.len(), 8);
        assert_eq!(Condition::ALL.len(), 11);
    }

    #[test]
    fn keys_are_unique_and_round_trip() {
        let mut seen = HashSet::new();
        for k in Contact::ALL.iter().map(|q| q.key()) {
            assert!(seen.insert(k));
            assert_eq!(Contact::from_key(k).map(Contact::key), Some(k));
        }
        for k in Symptom::ALL.iter().map(|q| q.key()) {
            assert!(seen.insert(k));
            assert_eq!(Symptom::from_key(k).map(Symptom::key), Some(k));
        }
        for k in Condition::ALL.iter().map(|q| q.key()) {
            assert!(seen.insert(k));
            assert_eq!(Condition::from_key(k).map(Condition::key), Some(k));
        }
        assert_eq!(Symptom::from_key("nonsense"), None);
    }

    #[test]
    fn serde_uses_the_keys() {
        assert_eq!(
            serde_json::to_string(&Symptom::ShortnessOfBreath).unwrap(),
            "\"shortness_of_breath\""
        );
    }
}
