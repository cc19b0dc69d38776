//! A payload as labelled lines for people: the CLI prints them, the GUI can show them.

use chrono::DateTime;

use super::ckd::{CkdSignature, Field};
use super::dcc::hcert::Statement;
use super::dcc::verify::{SignatureCheck, Validity};
use super::{Gender, Payload};
use checkpoint_i18n::fl;
use checkpoint_i18n::{Lang, Message, t};

/// One labelled value; the label is a Fluent id, the value is already text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub label: &'static str,
    pub value: String,
}

fn line(label: &'static str, value: impl Into<String>) -> Line {
    Line {
        label,
        value: value.into(),
    }
}

fn gender(lang: Lang, g: Gender) -> String {
    match g {
        Gender::Male => t(lang, fl!("payload-gender-male")),
        Gender::Female => t(lang, fl!("payload-gender-female")),
    }
}

fn time(secs: Option<i64>) -> String {
    secs.and_then(|s| DateTime::from_timestamp(s, 0))
        .map_or_else(|| "—".to_owned(), |t| t.to_rfc3339())
}

impl SignatureCheck {
    pub fn message(&self) -> Message {
        match self {
            Self::Valid { .. } => Message::new(fl!("payload-dcc-signature-valid")),
            Self::NoKeyId => Message::new(fl!("payload-dcc-signature-no-key-id")),
            Self::UnknownSigner { .. } => Message::new(fl!("payload-dcc-signature-unknown-signer")),
            Self::UnsupportedAlgorithm { .. } => {
                Message::new(fl!("payload-dcc-signature-unsupported-algorithm"))
            }
            Self::Invalid { .. } => Message::new(fl!("payload-dcc-signature-invalid")),
        }
    }
}

impl Validity {
    pub fn message(self) -> Message {
        Message::new(match self {
            Self::Valid => fl!("payload-dcc-validity-valid"),
            Self::MissingDates => fl!("payload-dcc-validity-missing-dates"),
            Self::NotYetValid => fl!("payload-dcc-validity-not-yet-valid"),
            Self::Expired => fl!("payload-dcc-validity-expired"),
            Self::SignerNotValid => fl!("payload-dcc-validity-signer-not-valid"),
        })
    }
}

/// The payload's fields in `lang`.
pub fn lines(payload: &Payload, lang: Lang) -> Vec<Line> {
    match payload {
        Payload::IdCard(card) => {
            let mut out = vec![
                line(fl!("payload-field-number"), &card.number),
                line(fl!("payload-field-name"), &card.full_name),
                line(
                    fl!("payload-field-birth-date"),
                    card.birth_date.format("%d/%m/%Y").to_string(),
                ),
                line(fl!("payload-field-gender"), gender(lang, card.gender)),
                line(
                    fl!("payload-field-issue-date"),
                    card.issue_date.format("%d/%m/%Y").to_string(),
                ),
            ];
            if let Some(old) = &card.old_number {
                out.push(line(fl!("payload-field-old-number"), old));
            }
            if let Some(address) = &card.address {
                out.push(line(fl!("payload-field-address"), &address.printed));
                if let Some(m) = &address.mapped {
                    let ward = m.ward_name.clone().unwrap_or_default();
                    out.push(line(
                        fl!("payload-field-address-now"),
                        format!("{ward}, {}", m.province_name),
                    ));
                }
            }
            out
        }
        Payload::Dcc(dcc) => {
            let v = &dcc.verification;
            let mut out = vec![
                line(fl!("payload-field-name"), dcc.holder.display_name()),
                line(fl!("payload-field-birth-date"), &dcc.holder.birth_date),
                line(
                    fl!("payload-field-issuer"),
                    dcc.issuer.clone().unwrap_or_default(),
                ),
                line(fl!("payload-field-expires"), time(dcc.expires)),
                line(
                    fl!("payload-field-signature"),
                    v.signature.message().render(lang),
                ),
                line(
                    fl!("payload-field-validity"),
                    v.validity.message().render(lang),
                ),
            ];
            if !v.key_usage_ok {
                out.push(line(
                    fl!("payload-field-signature"),
                    t(lang, fl!("payload-dcc-key-usage-mismatch")),
                ));
            }
            if !v.schema_issues.is_empty() {
                let m = Message::new(fl!("payload-dcc-schema-issues"))
                    .arg("count", v.schema_issues.len());
                out.push(line(fl!("payload-field-content"), m.render(lang)));
            }
            if let Statement::Vaccination {
                dose, doses, date, ..
            } = &dcc.statement
            {
                let d = |n: &Option<u32>| n.map_or_else(|| "?".to_owned(), |n| n.to_string());
                out.push(line(
                    fl!("payload-field-doses"),
                    format!("{}/{}", d(dose), d(doses)),
                ));
                if let Some(date) = date {
                    out.push(line(
                        fl!("payload-field-last-dose"),
                        date.format("%d/%m/%Y").to_string(),
                    ));
                }
            }
            let verdict = if v.is_valid() {
                fl!("payload-dcc-verified")
            } else {
                fl!("payload-dcc-not-verified")
            };
            out.push(line(fl!("payload-field-verdict"), t(lang, verdict)));
            out
        }
        Payload::Ckd(scan) => {
            let mut out = vec![line(
                fl!("payload-field-declared-at"),
                scan.record.issued_at.to_rfc3339(),
            )];
            for field in &scan.record.fields {
                match field {
                    Field::FullName(s) => out.push(line(fl!("payload-field-name"), s)),
                    Field::DocumentNumber(s) => out.push(line(fl!("payload-field-number"), s)),
                    Field::BirthDate(d) => out.push(line(
                        fl!("payload-field-birth-date"),
                        d.format("%d/%m/%Y").to_string(),
                    )),
                    Field::BirthYear(y) => {
                        out.push(line(fl!("payload-field-birth-date"), y.to_string()))
                    }
                    Field::Phone(s) => out.push(line(fl!("payload-field-phone"), s)),
                    Field::AddressText(s) | Field::Street(s) => {
                        out.push(line(fl!("payload-field-address"), s))
                    }
                    _ => {}
                }
            }
            // A visitor's own code: the hub's signature proves it unaltered,
            // not true; it is never called verified.
            let verdict = match &scan.signature {
                CkdSignature::Valid { .. } if scan.record.made_by_visitor() => {
                    fl!("payload-ckd-by-visitor-signed")
                }
                _ if scan.record.made_by_visitor() => fl!("payload-ckd-by-visitor"),
                CkdSignature::Valid { .. } => fl!("payload-dcc-verified"),
                _ => fl!("payload-dcc-not-verified"),
            };
            out.push(line(fl!("payload-field-verdict"), t(lang, verdict)));
            out
        }
        Payload::Contact(c) => {
            let mut out = Vec::new();
            if let Some(n) = &c.name {
                out.push(line(fl!("payload-field-name"), n));
            }
            for p in &c.phones {
                out.push(line(fl!("payload-field-phone"), p));
            }
            if let Some(a) = &c.address {
                out.push(line(fl!("payload-field-address"), a));
            }
            out
        }
        Payload::Url(s) | Payload::Text(s) => vec![line(fl!("payload-field-content"), s)],
        Payload::Unknown(bytes) => {
            let hex: String = bytes.iter().take(64).map(|b| format!("{b:02x}")).collect();
            vec![line(
                fl!("payload-field-content"),
                format!("{hex} ({} bytes)", bytes.len()),
            )]
        }
    }
}
