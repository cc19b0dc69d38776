//! Flagged visitors, for health officers and admins: every visitor triaged
//! red, newest first, paged, with the answers that flagged them, how to
//! reach them and their follow-up (the same states the kiosks send). Each
//! view and each step goes to the audit log.

use axum::extract::{Query, State};
use axum::response::Response;
use checkpoint_domain::declaration::Record;
use checkpoint_domain::declaration::Triage;
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
        .flagged(&access, PageOf::number(page_no, PER_PAGE))
        .await;
    let found = match loaded {
        Ok(x) => x,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let kind = ListKind {
        title: fl!("console-flagged"),
        total: (fl!("console-flagged-total"), "flagged-total"),
        viewed: Action::FlaggedViewed,
    };
    followed_list::respond_with(
        &state,
        &access,
        (&session, lang, set_lang),
        kind,
        (&found.0, found.1),
        page_no,
        |r: &Record, latest| visitor(lang, &session, r, latest, page_no),
    )
    .await
}

fn visitor(
    lang: Lang,
    session: &Session,
    r: &Record,
    latest: Option<&FollowUp>,
    page_no: u64,
) -> Markup {
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
            (follow_up::state_line(lang, latest))
            (follow_up::step_form(lang, session, "/flagged/step", r.record_id, latest, page_no))
        }
    }
}

pub async fn record_step(
    State(state): State<ConsoleState>,
    Posted { who, form }: Posted<follow_up::StepForm, Officer>,
) -> Response {
    follow_up::record(&state, who, form, RecordKind::Declaration, "/flagged").await
}
