//! Reports (phản ánh) sent from the kiosks, for health officers and admins:
//! newest first, paged, what was seen, where and when, and their follow-up
//! (the same states as a flagged visitor's). Each view and step is audited.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_domain::address;
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_i18n::{Lang, Message, fl, t};
use checkpoint_wire::{FollowUp, RecordKind};
use maud::{Markup, html};

use super::extract::{Officer, Posted, SignedIn};
use super::page::{self, ListQuery, page, pager, parsed, respond};
use super::session::Session;
use super::{ConsoleState, audit, follow_up};
use crate::audit::Action;
use crate::db::PageOf;
use crate::stats::vietnam;

const PER_PAGE: u64 = 50;

pub async fn show(
    State(state): State<ConsoleState>,
    Query(q): Query<ListQuery>,
    Officer {
        signed_in:
            SignedIn {
                session,
                lang,
                set_lang: set,
            },
        access,
    }: Officer,
) -> Response {
    let page_no = q.page.unwrap_or(0);
    let (rows, total) = match state
        .db
        .of_kind(
            &access,
            RecordKind::Report,
            PageOf::number(page_no, PER_PAGE),
        )
        .await
    {
        Ok(x) => x,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let (reports, unreadable) = parsed::<ReportRecord>(&rows);
    let ids = reports.iter().map(|r| r.record_id.to_string()).collect();
    let steps = match state.db.follow_ups_of(&access, ids).await {
        Ok(s) => s,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let latest = follow_up::latest_of(&steps);
    audit(
        &state,
        &session,
        Action::ReportsViewed,
        "",
        &format!("{{\"page\":{page_no},\"shown\":{}}}", reports.len()),
    )
    .await;
    let title = t(lang, fl!("console-reports"));
    let body = html! {
        h2 { (title) }
        p.muted id="reports-total" { (Message::new(fl!("console-reports-total")).arg("count", total).render(lang)) }
        @for r in &reports { (report(lang, &session, r, latest.get(&r.record_id), page_no)) }
        (page::unreadable_note(lang, &unreadable))
        (pager(page_no, total, PER_PAGE))
    };
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set.then_some(lang),
    )
}

pub async fn record_step(
    State(state): State<ConsoleState>,
    Posted { who, form }: Posted<follow_up::StepForm, Officer>,
) -> Response {
    follow_up::record(&state, who, form, RecordKind::Report, "/reports").await
}

fn report(
    lang: Lang,
    session: &Session,
    r: &ReportRecord,
    latest: Option<&FollowUp>,
    page_no: u64,
) -> Markup {
    let rep = &r.report;
    let kinds: Vec<String> = rep.kinds.iter().map(|k| t(lang, &k.text_id())).collect();
    let province = address::province(&rep.province).map(|p| p.name.clone());
    let ward = address::ward(&rep.ward).map(|w| w.name.clone());
    let place: Vec<String> = [ward, province, Some(rep.place.clone())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    html! {
        section.card id=(format!("report-{}", r.record_id)) {
            h3 { (r.submitted_at.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M")) " · " (kinds.join(", ")) }
            p { (rep.details) }
            p.muted { (place.join(", ")) " · " (t(lang, fl!("console-kiosk"))) " " (r.kiosk_id) }
            (follow_up::state_line(lang, latest))
            (follow_up::step_form(lang, session, "/reports/step", r.record_id, latest, page_no))
        }
    }
}
