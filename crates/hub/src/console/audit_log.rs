//! The audit log, for admins: who signed in, who looked at personal data and
//! who recorded which step, newest first. Read-only, like the table.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkpoint_i18n::{fl, t};
use maud::html;

use super::page::{lang_of, page, respond, see_other};
use super::{ConsoleState, LangQuery, session_of};
use crate::accounts::Role;

/// Entries shown.
const SHOWN: u64 = 500;

pub async fn show(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let Some((_, session)) = session_of(&state, &headers).await else {
        return see_other("/login", &[]);
    };
    let (lang, set) = lang_of(&headers, q.lang.as_deref());
    if session.role != Role::Admin {
        let body = html! { p.error id="forbidden" { (t(lang, fl!("console-not-for-role"))) } };
        return respond(
            StatusCode::FORBIDDEN,
            page(lang, "403", Some(&session), body),
            None,
        );
    }
    let entries = match state.db.audit_entries(SHOWN).await {
        Ok(e) => e,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let title = t(lang, fl!("console-audit"));
    let body = html! {
        h2 { (title) }
        table id="audit" {
            thead { tr {
                th { (t(lang, fl!("console-audit-at"))) }
                th { (t(lang, fl!("console-name"))) }
                th { (t(lang, fl!("console-audit-action"))) }
                th { (t(lang, fl!("console-audit-target"))) }
                th { (t(lang, fl!("console-audit-detail"))) }
            } }
            tbody {
                @for e in &entries {
                    tr { td { (e.at) } td { (e.account) } td { (e.action) } td { (e.target) } td { (e.detail) } }
                }
            }
        }
    };
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set.then_some(lang),
    )
}
