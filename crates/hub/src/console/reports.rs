//! Reports (phản ánh) sent from the kiosks, for health officers and admins:
//! newest first, paged, what was seen, where and when, and their follow-up
//! (the same states as a flagged visitor's). Each view and step is audited.

use axum::extract::{Query, State};
use axum::response::Response;
use checkpoint_domain::address;
use checkpoint_domain::declaration::report::ReportRecord;
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::{FollowUp, RecordKind};
use maud::{Markup, html};

use super::extract::{Officer, Posted, SignedIn};
use super::followed_list::{self, ListKind, PER_PAGE};
use super::page::ListQuery;
use super::session::Session;
use super::{ConsoleState, follow_up};
use crate::audit::Action;
use crate::db::PageOf;
use crate::stats::vietnam;

pub async fn show(
    State(state): State<ConsoleState>,
    Query(q): Query<ListQuery>,
    Officer {
        signed_in: SignedIn {
            session,
            lang,
            set_lang,
        },
        access,
    }: Officer,
) -> Response {
    let page_no = q.page.unwrap_or(0);
    let loaded = state
        .db
        .of_kind(
            &access,
            RecordKind::Report,
            PageOf::number(page_no, PER_PAGE),
        )
        .await;
    let found = match loaded {
        Ok(x) => x,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let kind = ListKind {
        title: fl!("console-reports"),
        total: (fl!("console-reports-total"), "reports-total"),
        viewed: Action::ReportsViewed,
    };
    followed_list::respond_with(
        &state,
        &access,
        (&session, lang, set_lang),
        kind,
        (&found.0, found.1),
        page_no,
        |r: &ReportRecord, latest| report(lang, &session, r, latest, page_no),
    )
    .await
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
