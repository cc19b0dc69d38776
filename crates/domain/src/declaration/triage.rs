//! Triage: which answers mean staff must see the visitor before they pass.

use serde::{Deserialize, Serialize};

use super::catalogue::{Contact, Symptom, alerts_staff_contact, alerts_staff_symptom};
use super::model::{Declaration, Record};

/// What a fleet chooses to flag besides contacts and symptoms (the hub
/// sends it with its configuration; a kiosk without one uses the default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TriageRules {
    /// A yes to the 14-day travel question flags the visitor.
    pub travel_flags: bool,
}

/// The answers that alert staff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triage {
    pub contacts: Vec<Contact>,
    pub symptoms: Vec<Symptom>,
    /// Travelled in the last 14 days, where the rules flag it.
    pub travelled: bool,
}

/// The message id of the travel reason.
pub const TRAVEL_REASON: &str = "triage-travel";

impl Triage {
    /// Staff must see this visitor.
    pub fn flagged(&self) -> bool {
        !self.contacts.is_empty() || !self.symptoms.is_empty() || self.travelled
    }

    /// The message ids of the answers that flagged the visitor, contacts first.
    pub fn reason_ids(&self) -> Vec<String> {
        self.contacts
            .iter()
            .map(|q| q.text_id())
            .chain(self.symptoms.iter().map(|s| s.text_id()))
            .chain(self.travelled.then(|| TRAVEL_REASON.to_owned()))
            .collect()
    }

    /// The reasons of a stored record. The record keeps only the outcome,
    /// decided by its kiosk's rules at the time: a travel yes on a flagged
    /// record is named among its reasons, as some fleets flag it.
    pub fn of_record(record: &Record) -> Self {
        let rules = TriageRules {
            travel_flags: record.flagged,
        };
        triage(&record.declaration, &rules)
    }
}

/// A yes to any contact or symptom question flags the record, and a travel
/// yes where the rules say so. Chronic conditions are risk factors:
/// recorded, never an alert by themselves.
pub fn triage(d: &Declaration, rules: &TriageRules) -> Triage {
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
        travelled: rules.travel_flags && d.travel.answer == Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::catalogue::Condition;

    #[test]
    fn all_no_is_not_flagged() {
        assert!(!triage(&Declaration::example(), &TriageRules::default()).flagged());
    }

    #[test]
    fn any_contact_yes_flags() {
        for q in Contact::ALL {
            let mut d = Declaration::example();
            d.contacts.insert(*q, true);
            let t = triage(&d, &TriageRules::default());
            assert!(t.flagged());
            assert_eq!(t.contacts, vec![*q]);
        }
    }

    #[test]
    fn any_symptom_flags() {
        for s in Symptom::ALL {
            let mut d = Declaration::example();
            d.symptoms.toggle(*s);
            assert!(triage(&d, &TriageRules::default()).flagged(), "{s:?}");
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
        assert!(!triage(&d, &TriageRules::default()).flagged());
    }

    #[test]
    fn travel_flags_where_the_rules_say_so() {
        let rules = TriageRules { travel_flags: true };
        let mut d = Declaration::example();
        assert!(!triage(&d, &rules).flagged(), "no travel, no flag");
        d.travel.answer = Some(true);
        d.travel.places = "Đà Nẵng".into();
        let t = triage(&d, &rules);
        assert!(t.flagged());
        assert_eq!(t.reason_ids(), vec![TRAVEL_REASON.to_owned()]);
        let record = Record::new(d, "k", chrono::Utc::now(), chrono::Utc::now());
        assert!(!record.flagged, "the default rules");
        let record = record.triaged_by(&rules);
        assert!(record.flagged);
        assert_eq!(Triage::of_record(&record).reason_ids(), vec![TRAVEL_REASON]);
    }
}
