//! The columns of each kind of record, headers in the staff's language,
//! times in Vietnam's time (a hub on UTC writes what a kiosk writes). One
//! place: the kiosk's exports (CLI, staff screen) and the hub's use these.

use checkpoint_domain::clock::vietnam;
use chrono::{DateTime, Utc};

use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_domain::declaration::{Checklist, Contact, Declaration, Record};
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::FollowUp;

/// A time as staff read it: Vietnam's, to the second.
pub fn vietnam_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn texts(lang: Lang, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| t(lang, id)).collect()
}

fn yes_no(lang: Lang, v: Option<bool>) -> String {
    match v {
        Some(true) => t(lang, fl!("decl-yes")),
        Some(false) => t(lang, fl!("decl-no")),
        None => String::new(),
    }
}

fn checklist<T: Ord + Copy>(
    lang: Lang,
    list: &Checklist<T>,
    text_id: impl Fn(T) -> String,
    none_id: &str,
) -> String {
    if list.none {
        return t(lang, none_id);
    }
    list.selected
        .iter()
        .map(|item| t(lang, &text_id(*item)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One column per field of the declaration.
pub fn declaration_header(lang: Lang) -> Vec<String> {
    let mut h = texts(
        lang,
        &[
            fl!("store-csv-record-id"),
            fl!("store-csv-submitted"),
            fl!("store-csv-kiosk"),
            fl!("store-csv-flagged"),
            fl!("field-full_name"),
            fl!("field-document-kind"),
            fl!("field-document"),
            fl!("field-birth_year"),
            fl!("field-birth_date"),
            fl!("field-gender"),
            fl!("field-nationality"),
            fl!("field-phone"),
            fl!("field-province"),
            fl!("field-ward"),
            fl!("field-street"),
            fl!("field-address-printed"),
            fl!("field-declarant-name"),
            fl!("field-declarant-phone"),
            fl!("q-travel_14d"),
            fl!("field-travel-places"),
        ],
    );
    h.extend(Contact::ALL.iter().map(|q| t(lang, &q.text_id())));
    h.extend(texts(
        lang,
        &[
            fl!("section-symptoms"),
            fl!("section-conditions"),
            fl!("field-vaccine-doses"),
            fl!("field-vaccine-last-dose"),
            fl!("store-csv-lang"),
        ],
    ));
    h
}

/// A declaration's cells, in [`declaration_header`]'s order.
pub fn declaration_row(lang: Lang, r: &Record) -> Vec<String> {
    let d: &Declaration = &r.declaration;
    let id = &d.identity;
    let declarant = d.on_behalf.clone().unwrap_or_default();
    let mut cells = vec![
        r.record_id.to_string(),
        vietnam_time(r.submitted_at),
        r.kiosk_id.clone(),
        yes_no(lang, Some(r.flagged)),
        id.full_name.clone(),
        t(lang, &format!("doc-kind-{}", id.document.kind.key())),
        id.document.number.clone(),
        id.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        id.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        id.gender
            .map(|g| t(lang, &format!("gender-{}", g.key())))
            .unwrap_or_default(),
        id.nationality.clone(),
        id.phone.clone(),
        id.address.province.clone(),
        id.address.ward.clone(),
        id.address.street.clone(),
        id.address.printed.clone(),
        declarant.name,
        declarant.phone,
        yes_no(lang, d.travel.answer),
        d.travel.places.clone(),
    ];
    cells.extend(
        Contact::ALL
            .iter()
            .map(|q| yes_no(lang, d.contacts.get(q).copied())),
    );
    cells.extend([
        checklist(
            lang,
            &d.symptoms,
            |s| s.text_id(),
            fl!("decl-none-of-these"),
        ),
        checklist(
            lang,
            &d.conditions,
            |c| c.text_id(),
            fl!("decl-none-of-these-conditions"),
        ),
        d.vaccination
            .doses
            .map(|n| n.to_string())
            .unwrap_or_default(),
        d.vaccination
            .last_dose
            .map(|d| d.to_string())
            .unwrap_or_default(),
        d.lang.code().to_owned(),
    ]);
    cells
}

/// One column per field of a report (phản ánh).
pub fn report_header(lang: Lang) -> Vec<String> {
    texts(
        lang,
        &[
            fl!("store-csv-record-id"),
            fl!("store-csv-submitted"),
            fl!("store-csv-kiosk"),
            fl!("export-report-kinds"),
            fl!("report-details"),
            fl!("field-province"),
            fl!("field-ward"),
            fl!("report-place"),
            fl!("store-csv-lang"),
        ],
    )
}

/// A report's cells, in [`report_header`]'s order.
pub fn report_row(lang: Lang, r: &ReportRecord) -> Vec<String> {
    let rep = &r.report;
    vec![
        r.record_id.to_string(),
        vietnam_time(r.submitted_at),
        r.kiosk_id.clone(),
        rep.kinds
            .iter()
            .map(|k| t(lang, &k.text_id()))
            .collect::<Vec<_>>()
            .join("; "),
        rep.details.clone(),
        rep.province.clone(),
        rep.ward.clone(),
        rep.place.clone(),
        rep.lang.code().to_owned(),
    ]
}

/// One column per field of a follow-up step, with the visitor it concerns.
pub fn follow_up_header(lang: Lang) -> Vec<String> {
    texts(
        lang,
        &[
            fl!("export-follow-up-declaration"),
            fl!("field-full_name"),
            fl!("field-phone"),
            fl!("export-follow-up-state"),
            fl!("export-follow-up-by"),
            fl!("export-follow-up-at"),
            fl!("export-follow-up-note"),
        ],
    )
}

/// A step's cells, in [`follow_up_header`]'s order; `visitor` is the
/// flagged declaration when it is still kept.
pub fn follow_up_row(lang: Lang, step: &FollowUp, visitor: Option<&Record>) -> Vec<String> {
    let identity = visitor.map(|r| &r.declaration.identity);
    vec![
        step.declaration_id.to_string(),
        identity.map(|i| i.full_name.clone()).unwrap_or_default(),
        identity.map(|i| i.phone.clone()).unwrap_or_default(),
        t(lang, step.state.label_id()),
        step.by.clone(),
        vietnam_time(step.at),
        step.note.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_wire::FollowUpState;

    #[test]
    fn every_row_is_as_wide_as_its_header() {
        let now = Utc::now();
        let record = Record::new(Declaration::example(), "kiosk-test", now, now);
        let report = ReportRecord::new(Default::default(), "kiosk-test", now);
        let step = FollowUp {
            declaration_id: record.record_id,
            state: FollowUpState::Contacted,
            by: "Lan".into(),
            at: now,
            note: String::new(),
        };
        for lang in Lang::ALL {
            assert_eq!(
                declaration_header(lang).len(),
                declaration_row(lang, &record).len()
            );
            assert_eq!(report_header(lang).len(), report_row(lang, &report).len());
            assert_eq!(
                follow_up_header(lang).len(),
                follow_up_row(lang, &step, Some(&record)).len()
            );
        }
    }
}
