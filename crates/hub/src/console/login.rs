//! Sign-in and sign-out. The sign-in form carries a one-time token that is
//! also in a short-lived cookie (there is no session yet to hold it); a
//! sign-in is throttled per account name (5 failures in 15 minutes) and
//! answers the same for a wrong name and a wrong password.

use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{lang_of, page, respond, see_other};
use super::session::{self, cookie_value, random_token, same_secret};
use super::{ConsoleState, audit_as, session_of};
use crate::accounts;
use crate::audit::Action;
use crate::client_addr::ClientAddr;

const LOGIN_COOKIE: &str = "ck_login";

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// What the sign-in form says above its fields.
enum Banner {
    Problem(String),
    /// The password was just changed: sign in with the new one.
    PasswordChanged,
}

fn form(lang: Lang, token: &str, banner: Option<Banner>, name: &str) -> Markup {
    html! {
        h2 { (t(lang, fl!("console-sign-in"))) }
        @match banner {
            Some(Banner::Problem(p)) => p.error id="problem" role="alert" { (p) },
            Some(Banner::PasswordChanged) => p.notice id="notice" role="status" { (t(lang, fl!("console-password-changed-sign-in"))) },
            None => {}
        }
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(token);
            label for="name" { (t(lang, fl!("console-name"))) }
            input id="name" type="text" name="name" value=(name) autocomplete="username" required;
            label for="password" { (t(lang, fl!("console-password"))) }
            input id="password" type="password" name="password" autocomplete="current-password" required;
            p { button id="sign-in" type="submit" { (t(lang, fl!("console-sign-in"))) } }
        }
    }
}

/// The form, with a fresh token in its cookie.
fn form_response(
    lang: Lang,
    status: StatusCode,
    problem: Option<String>,
    name: &str,
    set_lang: bool,
) -> Response {
    banner_response(lang, status, problem.map(Banner::Problem), name, set_lang)
}

fn banner_response(
    lang: Lang,
    status: StatusCode,
    banner: Option<Banner>,
    name: &str,
    set_lang: bool,
) -> Response {
    let token = random_token();
    let markup = page(
        lang,
        &t(lang, fl!("console-sign-in")),
        None,
        form(lang, &token, banner, name),
    );
    let mut response = respond(status, markup, set_lang.then_some(lang));
    if let Ok(v) = format!(
        "{LOGIN_COOKIE}={token}; Path=/login; Max-Age=900; Secure; HttpOnly; SameSite=Strict"
    )
    .parse()
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    lang: Option<String>,
    /// Set by the password change that sent the browser here.
    changed: Option<String>,
}

pub async fn show(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    if session_of(&state, &headers).await.is_some() {
        return see_other("/", &[]);
    }
    let (lang, set) = lang_of(&headers, q.lang.as_deref());
    let banner = q.changed.is_some().then_some(Banner::PasswordChanged);
    banner_response(lang, StatusCode::OK, banner, "", set)
}

/// The sign-in form's body limit: a name, a password and a token.
pub const MAX_FORM: usize = 16 * 1024;

pub async fn submit(
    State(state): State<ConsoleState>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let address = client.map_or_else(|| "unknown".to_owned(), |c| c.0.0.to_string());
    let (lang, _) = lang_of(&headers, None);
    let now = Utc::now();
    let expected = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| cookie_value(c, LOGIN_COOKIE))
        .unwrap_or_default();
    if expected.is_empty() || !same_secret(expected, &f.csrf) {
        let problem = t(lang, fl!("console-form-expired"));
        return form_response(lang, StatusCode::FORBIDDEN, Some(problem), &f.name, false);
    }
    if accounts::check_name(&f.name).is_err() {
        // No account has such a name: nothing of it is throttled, audited or
        // logged (a long or multi-line name would flood or forge all three).
        let problem = t(lang, fl!("console-wrong"));
        return form_response(
            lang,
            StatusCode::UNAUTHORIZED,
            Some(problem),
            &f.name,
            false,
        );
    }
    let blocked = state
        .throttle
        .blocked_until(&f.name, now)
        .await
        .max(state.address_throttle.blocked_until(&address, now).await);
    if let Some(until) = blocked {
        // Said to the client; logged and audited once, when the lock began.
        let minutes = ((until - now).num_seconds() + 59) / 60;
        let problem = Message::new(fl!("console-throttled"))
            .arg("minutes", minutes)
            .render(lang);
        return form_response(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            Some(problem),
            &f.name,
            false,
        );
    }
    let account = state.db.account(&f.name).await.ok().flatten();
    if !state
        .hashing
        .verify(account.clone(), f.password.clone())
        .await
    {
        state.throttle.failed(&f.name, now).await;
        state.address_throttle.failed(&address, now).await;
        tracing::info!(account = %f.name, "sign-in failed");
        audit_as(&state, &f.name, Action::SignInFailed, "", "").await;
        let locked = state.throttle.blocked_until(&f.name, now).await.is_some()
            || state
                .address_throttle
                .blocked_until(&address, now)
                .await
                .is_some();
        if locked {
            tracing::warn!(account = %f.name, %address, "sign-in locked: too many failures");
            audit_as(&state, &f.name, Action::SignInThrottled, "", "").await;
        }
        let problem = t(lang, fl!("console-wrong"));
        return form_response(
            lang,
            StatusCode::UNAUTHORIZED,
            Some(problem),
            &f.name,
            false,
        );
    }
    let Some(account) = account else {
        return form_response(lang, StatusCode::UNAUTHORIZED, None, &f.name, false);
    };
    state.throttle.succeeded(&f.name).await;
    let Some(id) = state
        .sessions
        .start(&account.name, account.role, account.groups, now)
        .await
    else {
        let problem = t(lang, fl!("console-store-down"));
        return form_response(
            lang,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(problem),
            &f.name,
            false,
        );
    };
    tracing::info!(account = %account.name, "signed in");
    audit_as(
        &state,
        &account.name,
        Action::SignedIn,
        "",
        account.role.as_str(),
    )
    .await;
    let clear_login =
        format!("{LOGIN_COOKIE}=; Path=/login; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
    see_other("/", &[session::cookie(&id), clear_login])
}

pub async fn logout(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Form(f): Form<LogoutForm>,
) -> Response {
    let Some((id, session)) = session_of(&state, &headers).await else {
        return see_other("/login", &[session::cookie("")]);
    };
    if !same_secret(&session.csrf, &f.csrf) {
        return super::forbidden(&headers);
    }
    state.sessions.end(&id).await;
    tracing::info!(account = %session.account, "signed out");
    audit_as(&state, &session.account, Action::SignedOut, "", "").await;
    see_other("/login", &[session::cookie("")])
}
