//! Flagged visitors, for health officers and admins: every visitor triaged
//! red, newest first, paged, with the answers that flagged them, how to
//! reach them and their follow-up (the same states the kiosks send). Each
//! view and each step goes to the audit log.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::Triage;
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

/// Visitors on a page.
const PER_PAGE: u64 = 50;

/// A flagged visitor and their latest step.
struct Row {
    record: Record,
    latest: Option<FollowUp>,
}

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
    let loaded = state
        .db
        .flagged(&access, PageOf::number(page_no, PER_PAGE))
        .await;
    let (found, total) = match loaded {
        Ok(x) => x,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let (records, unreadable) = parsed::<Record>(&found);
    let ids = records.iter().map(|r| r.record_id.to_string()).collect();
    let steps = match state.db.follow_ups_of(&access, ids).await {
        Ok(s) => s,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let mut latest = follow_up::latest_of(&steps);
    let rows: Vec<Row> = records
        .into_iter()
        .map(|record| Row {
            latest: latest.remove(&record.record_id),
            record,
        })
        .collect();
    audit(
        &state,
        &session,
        Action::FlaggedViewed,
        "",
        &format!("{{\"page\":{page_no},\"shown\":{}}}", rows.len()),
    )
    .await;
    let title = t(lang, fl!("console-flagged"));
    let body = html! {
        (list(lang, &session, &rows, page_no, total))
        (page::unreadable_note(lang, &unreadable))
    };
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set.then_some(lang),
    )
}

fn list(lang: Lang, session: &Session, rows: &[Row], page_no: u64, total: u64) -> Markup {
    html! {
        h2 { (t(lang, fl!("console-flagged"))) }
        p.muted id="flagged-total" {
            (Message::new(fl!("console-flagged-total")).arg("count", total).render(lang))
        }
        @for row in rows {
            (visitor(lang, session, row, page_no))
        }
        (pager(page_no, total, PER_PAGE))
    }
}

fn visitor(lang: Lang, session: &Session, row: &Row, page_no: u64) -> Markup {
    let r = &row.record;
    let id = &r.declaration.identity;
    let reasons: Vec<String> = Triage::of_record(r)
        .reason_ids()
        .iter()
        .map(|i| t(lang, i))
        .collect();
    let when = r
        .submitted_at
        .with_timezone(&vietnam())
        .format("%d/%m/%Y %H:%M");
    html! {
        section.card.visitor id=(format!("visitor-{}", r.record_id)) {
            h3 { (when) " · " (id.full_name) }
            p { (t(lang, &format!("doc-kind-{}", id.document.kind.key()))) " " (id.document.number)
                " · " (t(lang, fl!("field-phone"))) ": " a href=(format!("tel:{}", id.phone)) { (id.phone) }
                " · " (t(lang, fl!("console-kiosk"))) " " (r.kiosk_id) }
            p.error { (reasons.join(", ")) }
            (follow_up::state_line(lang, row.latest.as_ref()))
            (follow_up::step_form(lang, session, "/flagged/step", r.record_id, row.latest.as_ref(), page_no))
        }
    }
}

pub async fn record_step(
    State(state): State<ConsoleState>,
    Posted { who, form }: Posted<follow_up::StepForm, Officer>,
) -> Response {
    follow_up::record(&state, who, form, RecordKind::Declaration, "/flagged").await
}
