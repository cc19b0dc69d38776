//! The supervisors' console: server-rendered pages served by the hub itself,
//! in Vietnamese and English. So far: sign-in and sign-out (sessions, CSRF,
//! throttling), the overview of what was received, flagged visitors and
//! their follow-up, reports (phản ánh), and the audit log.

mod accounts;
mod audit_log;
mod campaign;
mod chart;
mod contact_tracing;
mod enrolments;
mod exports;
mod extract;
mod flagged;
mod follow_up;
mod followed_list;
mod hashing;
mod kiosks;
mod login;
pub mod overview;
pub mod page;
mod reports;
pub mod session;
pub mod throttle;

use crate::audit::Action;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use checkpoint_i18n::{Lang, fl, t};
use chrono::Utc;
use serde::Deserialize;

use crate::db::HubDb;
use session::{Session, Sessions, cookie_value};
use throttle::Throttle;

#[derive(Debug, Clone)]
pub struct ConsoleState {
    pub db: HubDb,
    pub sessions: Sessions,
    pub throttle: Throttle,
    /// Failed sign-ins per client address, whatever the name (a name sprayed
    /// across accounts is slowed too).
    pub address_throttle: Throttle,
    pub retention: Arc<crate::retention::Retention>,
    pub settings: ConsoleSettings,
    /// SHA-256 of the hub's certificate, for enrolment codes (`None`: plain
    /// HTTP behind a proxy, whose certificate the hub does not know).
    pub cert_sha256: Option<String>,
    /// Where passwords are hashed and checked (off the async workers).
    pub hashing: Arc<hashing::Hashing>,
}

/// What the console counts as late.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleSettings {
    /// A kiosk not heard from for this long is silent.
    pub silent_after: chrono::Duration,
    /// A flagged visitor nobody attended to for this long is counted on the overview.
    pub waiting_alert: chrono::Duration,
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self {
            silent_after: chrono::Duration::minutes(30),
            waiting_alert: chrono::Duration::hours(4),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

pub fn router(state: ConsoleState) -> Router {
    Router::new()
        .route("/", get(overview::show))
        .route(
            "/login",
            get(login::show)
                .post(login::submit)
                .layer(axum::extract::DefaultBodyLimit::max(login::MAX_FORM)),
        )
        .route("/logout", axum::routing::post(login::logout))
        .route("/flagged", get(flagged::show))
        .route("/flagged/step", axum::routing::post(flagged::record_step))
        .route("/reports", get(reports::show))
        .route("/reports/step", axum::routing::post(reports::record_step))
        .route(
            "/tracing",
            get(contact_tracing::show).post(contact_tracing::search),
        )
        .route(
            "/tracing/export",
            axum::routing::post(contact_tracing::export),
        )
        .route("/kiosks", get(kiosks::show))
        .route("/kiosks/token", axum::routing::post(kiosks::issue_token))
        .route("/kiosks/revoke", axum::routing::post(kiosks::revoke_token))
        .route(
            "/kiosks/checkpoint",
            axum::routing::post(kiosks::add_checkpoint),
        )
        .route("/kiosks/assign", axum::routing::post(kiosks::assign))
        .route("/kiosks/enrol", axum::routing::post(kiosks::enrol))
        .route(
            "/kiosks/enrol/revoke",
            axum::routing::post(enrolments::revoke),
        )
        .route("/campaign", get(campaign::show))
        .route("/campaign/target", axum::routing::post(campaign::add))
        .route("/campaign/delete", axum::routing::post(campaign::delete))
        .route("/account", get(accounts::show_own))
        .route(
            "/account/password",
            axum::routing::post(accounts::change_password),
        )
        .route("/users", get(accounts::show_all))
        .route("/users/add", axum::routing::post(accounts::add))
        .route("/users/disable", axum::routing::post(accounts::disable))
        .route("/users/reset", axum::routing::post(accounts::reset))
        .route("/exports", get(exports::show).post(exports::download))
        .route("/audit", get(audit_log::show))
        .route("/audit/export", axum::routing::post(audit_log::export))
        .route("/console.css", get(stylesheet))
        .with_state(state)
}

/// The session a request's cookie names, with its id. The account is read
/// again on every request: one disabled (or given another role) from the
/// command line loses its sessions at once, though they live in this process.
async fn session_of(state: &ConsoleState, headers: &HeaderMap) -> Option<(String, Session)> {
    let id = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| cookie_value(c, session::COOKIE))?;
    let s = state.sessions.get(id, Utc::now()).await?;
    let current = state.db.account(&s.account).await.ok().flatten();
    match current {
        Some(a) if !a.is_disabled() && a.role == s.role && a.groups == s.groups => {
            Some((id.to_owned(), s))
        }
        _ => {
            tracing::info!(account = %s.account, "session ended: account disabled or changed");
            state.sessions.end_all_of(&s.account).await;
            None
        }
    }
}

pub use crate::rows::CONSOLE_SOURCE;

/// Appends to the audit log; a failure is logged, never shown (the page was
/// already allowed), and never loses the action itself.
async fn audit(
    state: &ConsoleState,
    session: &Session,
    action: Action,
    target: &str,
    detail: &str,
) {
    audit_as(state, &session.account, action, target, detail).await;
}

/// [`audit`] for an account name without a session (sign-in).
async fn audit_as(state: &ConsoleState, account: &str, action: Action, target: &str, detail: &str) {
    let entry = crate::db::AuditEntry {
        at: crate::db::timestamp(Utc::now()),
        account: account.to_owned(),
        action: action.as_str().to_owned(),
        target: target.to_owned(),
        detail: detail.to_owned(),
    };
    if let Err(e) = state.db.audit(entry).await {
        tracing::error!(error = %e, action = action.as_str(), "audit entry not written");
    }
}

/// The store did not answer.
fn unavailable(lang: Lang, session: &Session, e: &crate::HubError) -> Response {
    tracing::warn!(error = %e, "console query failed");
    let message = e.message().render(lang);
    page::error_page(
        lang,
        Some(session),
        StatusCode::SERVICE_UNAVAILABLE,
        message,
    )
}

/// A form with values no page sends.
fn bad_request(lang: Lang, session: &Session) -> Response {
    let message = t(lang, fl!("console-bad-request"));
    page::error_page(lang, Some(session), StatusCode::BAD_REQUEST, message)
}

/// A page or form the account's role may not open.
fn not_for_role(lang: Lang, session: &Session) -> Response {
    let message = t(lang, fl!("console-not-for-role"));
    page::error_page(lang, Some(session), StatusCode::FORBIDDEN, message)
}

/// A form without its token, or with another session's.
fn forbidden(headers: &HeaderMap) -> Response {
    let (lang, _) = page::lang_of(headers, None);
    let message = t(lang, fl!("console-form-expired"));
    page::error_page(lang, None, StatusCode::FORBIDDEN, message)
}

/// A form posted by a signed-in account from its own page (the session's
/// CSRF token), with the language to answer in. Every form's `csrf` field
/// defaults to empty, so a missing token gets this same refusal.
async fn posted(
    state: &ConsoleState,
    headers: &HeaderMap,
    csrf: &str,
) -> Result<(Session, Lang), Response> {
    let Some((_, session)) = session_of(state, headers).await else {
        return Err(page::see_other("/login", &[]));
    };
    let (lang, _) = page::lang_of(headers, None);
    if !session::same_secret(&session.csrf, csrf) {
        return Err(forbidden(headers));
    }
    Ok((session, lang))
}

async fn stylesheet() -> Response {
    let mut r = include_str!("../../assets/console.css").into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=3600"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}
