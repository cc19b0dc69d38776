//! The audit log, for admins: who signed in, who looked at personal data and
//! who recorded which step, newest first. Read-only, like the table.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkpoint_i18n::{fl, t};
use maud::html;

use super::page::{page, respond};
use super::{ConsoleState, LangQuery, SignedIn, signed_in};
use crate::accounts::Role;

/// Entries shown.
const SHOWN: u64 = 500;

pub async fn show(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let SignedIn {
        session,
        lang,
        set_lang: set,
    } = match signed_in(&state, &headers, q.lang.as_deref()).await {
        Ok(v) => v,
        Err(to_sign_in) => return to_sign_in,
    };
    if session.role != Role::Admin {
        return super::not_for_role(lang, &session);
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
