//! Triage: which answers mean staff must see the visitor before they pass.

use super::catalogue::{Contact, Symptom, alerts_staff_contact, alerts_staff_symptom};
use super::model::Declaration;

/// The answers that alert staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triage {
    pub contacts: Vec<Contact>,
    pub symptoms: Vec<Symptom>,
}

impl Triage {
    /// Staff must see this visitor.
    pub fn flagged(&self) -> bool {
        !self.contacts.is_empty() || !self.symptoms.is_empty()
    }

    /// The message ids of the answers that flagged the visitor, contacts first.
    pub fn reason_ids(&self) -> Vec<String> {
        self.contacts
            .iter()
            .map(|q| q.text_id())
            .chain(self.symptoms.iter().map(|s| s.text_id()))
            .collect()
    }
}

/// A yes to any contact or symptom question flags the record. Chronic
/// conditions are risk factors: recorded, never an alert by themselves.
pub fn triage(d: &Declaration) -> Triage {
    Triage {
        contacts: d
            .contacts
            .iter()
            .filter(|(q, yes)| **yes && alerts_staff_contact(**q))
            .map(|(q, _)| *q)
            .collect(),
        symptoms: d
            .symptoms
            .selected
            .iter()
            .copied()
            .filter(|s| alerts_staff_symptom(*s))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::catalogue::Condition;

    #[test]
    fn all_no_is_not_flagged() {
        assert!(!triage(&Declaration::example()).flagged());
    }

    #[test]
    fn any_contact_yes_flags() {
        for q in Contact::ALL {
            let mut d = Declaration::example();
            d.contacts.insert(*q, true);
            let t = triage(&d);
            assert!(t.flagged());
            assert_eq!(t.contacts, vec![*q]);
        }
    }

    #[test]
    fn any_symptom_flags() {
        for s in Symptom::ALL {
            let mut d = Declaration::example();
            d.symptoms.toggle(*s);
            assert!(triage(&d).flagged(), "{s:?}");
        }
    }

    #[test]
    fn conditions_and_travel_alone_do_not_flag() {
        let mut d = Declaration::example();
        for c in Condition::ALL {
            d.conditions.toggle(*c);
        }
        d.travel.answer = Some(true);
        d.travel.places = "Đà Nẵng".into();
        assert!(!triage(&d).flagged());
    }
}
