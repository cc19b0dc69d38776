//! The report form (phản ánh) of the Bluezone app: a citizen tells the health
//! authority about a suspected case or an illegal entry. Kept confidential.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::validate::{MAX_TEXT_CHARS, Problem};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message};

/// What is being reported (one or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Có trường hợp nghi ngờ mắc bệnh.
    SuspectedCase,
    /// Có trường hợp đi về vùng dịch.
    ReturnedFromOutbreak,
    /// Có trường hợp tiếp xúc với trường hợp đi từ vùng dịch về.
    ContactWithReturnee,
    /// Có trường hợp tiếp xúc với trường hợp nghi ngờ mắc bệnh.
    ContactWithSuspected,
    /// Có trường hợp nhập cảnh trái phép.
    IllegalEntry,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::SuspectedCase,
        ReportKind::ReturnedFromOutbreak,
        ReportKind::ContactWithReturnee,
        ReportKind::ContactWithSuspected,
        ReportKind::IllegalEntry,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportKind::SuspectedCase => "suspected_case",
            ReportKind::ReturnedFromOutbreak => "returned_from_outbreak",
            ReportKind::ContactWithReturnee => "contact_with_returnee",
            ReportKind::ContactWithSuspected => "contact_with_suspected",
            ReportKind::IllegalEntry => "illegal_entry",
        }
    }

    /// The Fluent id of its text.
    pub fn text_id(self) -> String {
        format!("report-kind-{}", self.key().replace('_', "-"))
    }
}

/// A report as the citizen fills it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Report {
    pub kinds: BTreeSet<ReportKind>,
    /// "Thông tin phản ánh khác": required.
    pub details: String,
    /// Where it was seen: current province and ward codes, and free text.
    pub province: String,
    pub ward: String,
    pub place: String,
    pub lang: Lang,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub record_id: Uuid,
    pub kiosk_id: String,
    pub submitted_at: DateTime<Utc>,
    pub report: Report,
}

impl ReportRecord {
    pub fn new(report: Report, kiosk_id: impl Into<String>, submitted_at: DateTime<Utc>) -> Self {
        Self {
            record_id: Uuid::now_v7(),
            kiosk_id: kiosk_id.into(),
            submitted_at,
            report,
        }
    }
}

/// Every problem of a report at once.
pub fn validate_report(r: &Report) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let mut push = |field: &str, id: &'static str| {
        p.push(Problem {
            field: field.to_owned(),
            message: Message::new(id),
        });
    };
    if r.kinds.is_empty() {
        push("kinds", fl!("report-error-kind-required"));
    }
    if r.details.trim().is_empty() {
        push("details", fl!("decl-error-required"));
    }
    for (field, value) in [("details", &r.details), ("place", &r.place)] {
        if value.chars().count() > MAX_TEXT_CHARS {
            p.push(Problem {
                field: field.to_owned(),
                message: Message::new(fl!("decl-error-text-too-long")).arg("max", MAX_TEXT_CHARS),
            });
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_needs_a_kind_and_details() {
        let mut r = Report::default();
        let fields: Vec<_> = validate_report(&r)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["kinds", "details"]);
        r.kinds.insert(ReportKind::IllegalEntry);
        r.details = "Hai người vượt biên lúc 5 giờ sáng".into();
        assert_eq!(validate_report(&r), Ok(()));
        r.place = "x".repeat(MAX_TEXT_CHARS + 1);
        assert!(validate_report(&r).is_err());
    }
}
