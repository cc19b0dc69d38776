//! The frame of every console page: title, language switch, who is signed
//! in and sign-out, and the security headers. Pages are maud markup: every
//! value is escaped when written, so a name holding a script is shown as text.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use checkpoint_i18n::{Lang, Message, fl, t};
use maud::{DOCTYPE, Markup, html};

use super::session::Session;
use crate::db::ExportRow;

/// The language cookie.
pub const LANG_COOKIE: &str = "ck_lang";

/// The language of a request: `?lang=` (which the page then keeps in a
/// cookie), else the cookie, else Vietnamese.
pub fn lang_of(headers: &HeaderMap, query: Option<&str>) -> (Lang, bool) {
    if let Some(lang) = query.and_then(|q| q.parse::<Lang>().ok()) {
        return (lang, true);
    }
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| super::session::cookie_value(c, LANG_COOKIE))
        .and_then(|v| v.parse::<Lang>().ok());
    (cookie.unwrap_or(Lang::Vi), false)
}

/// A page: `title`, its body, the signed-in session (for the header).
pub fn page(lang: Lang, title: &str, session: Option<&Session>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (t(lang, fl!("console-title"))) }
                link rel="stylesheet" href="/console.css";
            }
            body {
                header {
                    h1 { (t(lang, fl!("console-title"))) }
                    nav {
                        @for (other, label) in [(Lang::Vi, "Tiếng Việt"), (Lang::En, "English")] {
                            a id=(format!("lang-{}", other.code())) href=(format!("?lang={}", other.code()))
                                aria-current=[(other == lang).then_some("true")] { (label) }
                        }
                        @if let Some(s) = session {
                            a id="nav-overview" href="/" { (t(lang, fl!("console-overview"))) }
                            a id="nav-campaign" href="/campaign" { (t(lang, fl!("console-campaign"))) }
                            a id="nav-kiosks" href="/kiosks" { (t(lang, fl!("console-kiosks"))) }
                            @if s.role.sees_personal_data() {
                                a id="nav-flagged" href="/flagged" { (t(lang, fl!("console-flagged"))) }
                                a id="nav-reports" href="/reports" { (t(lang, fl!("console-reports"))) }
                                a id="nav-tracing" href="/tracing" { (t(lang, fl!("console-tracing"))) }
                                a id="nav-exports" href="/exports" { (t(lang, fl!("console-exports"))) }
                            }
                            @if s.role == crate::accounts::Role::Admin {
                                a id="nav-users" href="/users" { (t(lang, fl!("console-users"))) }
                                a id="nav-audit" href="/audit" { (t(lang, fl!("console-audit"))) }
                            }
                            a id="signed-in" href="/account" title=(t(lang, fl!("console-account"))) {
                                (checkpoint_i18n::Message::new(fl!("console-signed-in-as"))
                                    .arg("name", &s.account)
                                    .arg("role", t(lang, &format!("console-role-{}", s.role.as_str())))
                                    .render(lang))
                            }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(s.csrf);
                                button id="sign-out" type="submit" { (t(lang, fl!("console-sign-out"))) }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page whose body is one line saying what went wrong.
pub fn error_page(
    lang: Lang,
    session: Option<&Session>,
    status: StatusCode,
    message: String,
) -> Response {
    let body = html! { p.error id="page-error" role="alert" { (message) } };
    respond(status, page(lang, status.as_str(), session, body), None)
}

/// An HTML answer with the console's headers: nothing from elsewhere may
/// load, nothing may frame it, nothing is cached.
pub fn respond(status: StatusCode, markup: Markup, set_lang: Option<Lang>) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure_headers(h);
    if let Some(lang) = set_lang
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; Secure; SameSite=Strict",
            lang.code()
        ))
    {
        h.append(header::SET_COOKIE, v);
    }
    response
}

pub fn secure_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// A 303 to `to`, with extra `Set-Cookie` values.
pub fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(to) {
        h.insert(header::LOCATION, v);
    }
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    secure_headers(h);
    response
}

/// "← 2 / 5 →" under a paged list; nothing when it fits on one page.
pub fn pager(page_no: u64, total: u64, per_page: u64) -> Markup {
    let pages = total.div_ceil(per_page).max(1);
    html! {
        @if pages > 1 {
            nav.pager {
                @if page_no > 0 { a id="previous" href=(format!("?page={}", page_no - 1)) { "←" } }
                " " (page_no + 1) " / " (pages) " "
                @if page_no + 1 < pages { a id="next" href=(format!("?page={}", page_no + 1)) { "→" } }
            }
        }
    }
}

/// Which records of a list could not be read (kept in the store, and in a
/// raw export), so the count above the list still adds up.
pub fn unreadable_note(lang: Lang, ids: &[String]) -> Markup {
    html! {
        @if !ids.is_empty() {
            p.muted id="unreadable" {
                (Message::new(fl!("console-unreadable"))
                    .arg("count", ids.len())
                    .arg("ids", ids.join(", "))
                    .render(lang))
            }
        }
    }
}

/// A link to the overview of a group or a checkpoint.
pub fn link(key: &str, value: &str) -> String {
    format!(
        "/?{}",
        serde_urlencoded::to_string([(key, value)]).unwrap_or_default()
    )
}

/// The query of a paged list of records (flagged visitors, reports).
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    pub page: Option<u64>,
}

/// The bodies of `rows` read as `T`, and the ids of those that could not be.
pub fn parsed<T: serde::de::DeserializeOwned>(rows: &[ExportRow]) -> (Vec<T>, Vec<String>) {
    let mut read = Vec::with_capacity(rows.len());
    let mut unreadable = Vec::new();
    for row in rows {
        match parse::<T>(row) {
            Some(v) => read.push(v),
            None => unreadable.push(row.id.clone()),
        }
    }
    (read, unreadable)
}

/// One record's body read as `T`; a body that does not read is logged by id.
pub fn parse<T: serde::de::DeserializeOwned>(row: &ExportRow) -> Option<T> {
    serde_json::from_str(&row.body)
        .inspect_err(|e| {
            let error = crate::json_problem::json_problem(e);
            tracing::warn!(record = %row.id, %error, "unreadable record body");
        })
        .ok()
}
