//! The phone page (`/declare/`): a visitor declares at home and gets a QR
//! code in the project's saved-declaration format, signed with the hub's
//! key and stamped with the hub's clock, to show at the kiosk. The hub keeps
//! nothing of it: no row, no log line; the code lives on the phone (the
//! page's script keeps it there, with a service worker for offline use).
//! Also the checkpoint's printable poster. Public: no account, no cookie.

mod form;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use checkpoint_domain::declaration::validate;
use checkpoint_domain::payload::ckd::{self, declaration::visitor_record_of};
use checkpoint_i18n::{Lang, fl, t};
use chrono::Utc;
use ed25519_dalek::SigningKey;
use maud::Markup;
use serde::Deserialize;

use crate::db::HubDb;

pub use form::Posted;
pub use view::BASE;

#[derive(Clone)]
pub struct PhoneState {
    pub db: HubDb,
    /// Signs the visitors' codes (the key kiosks learn at enrolment).
    pub key: Arc<SigningKey>,
    /// Where phones reach the page (`--phone-url`); `None`: where the
    /// request says it was sent.
    pub public_url: Option<String>,
    /// Codes made per client address (a form post costs a signature).
    pub posts: Arc<crate::rate::PerAddress>,
}

impl std::fmt::Debug for PhoneState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneState").finish_non_exhaustive()
    }
}

pub fn router(state: PhoneState) -> Router {
    Router::new()
        .route("/declare", get(|| async { Redirect::permanent(BASE) }))
        .route(BASE, get(show).post(make_code))
        .route("/declare/poster", get(poster))
        .route("/declare/wards", get(wards))
        .route(
            "/declare/phone.css",
            get(|| async { asset("text/css", CSS) }),
        )
        .route(
            "/declare/phone.js",
            get(|| async { asset("text/javascript", JS) }),
        )
        .route(
            "/declare/sw.js",
            get(|| async { asset("text/javascript", SW) }),
        )
        .route(
            "/declare/icon.svg",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
        .with_state(state)
}

const CSS: &str = include_str!("assets/phone.css");
const JS: &str = include_str!("assets/phone.js");
const SW: &str = include_str!("assets/sw.js");
/// The kiosk's own icon (packaging/kiosk/icons), for the browser's tab and home screen.
const ICON: &str = include_str!("../../../../packaging/kiosk/icons/checkpoint-kiosk.svg");

fn asset(kind: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Revalidated each time: a new hub's script reaches phones at once.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn html(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup.into_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    crate::console::page::secure_headers(h);
    r
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    checkpoint: String,
    #[serde(default)]
    lang: Option<String>,
}

fn lang_of(q: &PageQuery) -> Lang {
    q.lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::Vi)
}

/// A checkpoint id as links carry it, checked as checkpoints are named; else none.
fn checkpoint_id(text: &str) -> String {
    crate::checkpoints::check_id(text).map_or_else(|_| String::new(), |()| text.to_owned())
}

async fn checkpoint_name(db: &HubDb, id: &str) -> String {
    if id.is_empty() {
        return String::new();
    }
    db.checkpoint_name(id)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

async fn show(State(state): State<PhoneState>, Query(q): Query<PageQuery>) -> Response {
    let lang = lang_of(&q);
    let id = checkpoint_id(&q.checkpoint);
    let name = checkpoint_name(&state.db, &id).await;
    let blank = checkpoint_domain::declaration::Declaration {
        lang,
        ..Default::default()
    };
    html(
        StatusCode::OK,
        view::form_page(lang, &id, &name, &blank, &[]),
    )
}

/// Renders the visitor's code from the posted form, or the form again with
/// what to correct. Nothing of the request is stored or logged.
async fn make_code(
    State(state): State<PhoneState>,
    client: Option<axum::Extension<crate::client_addr::ClientAddr>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(axum::Extension(client)) = client
        && !state.posts.allow(client.0, std::time::Instant::now())
    {
        // Both languages (the form's own is in the body, not read); the
        // words nginx's own limit uses.
        let text = format!(
            "{} / {}",
            t(Lang::Vi, fl!("phone-too-many")),
            t(Lang::En, fl!("phone-too-many"))
        );
        let mut answer = html(
            StatusCode::TOO_MANY_REQUESTS,
            view::message_page(Lang::Vi, &text),
        );
        answer
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return answer;
    }
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let posted = (form_encoded && body.len() <= form::MAX_BODY)
        .then(|| Posted::parse(&body))
        .flatten();
    let Some(posted) = posted else {
        let lang = Lang::Vi;
        return html(
            StatusCode::BAD_REQUEST,
            view::message_page(lang, &t(lang, fl!("console-bad-request"))),
        );
    };
    let lang = posted.lang();
    let checkpoint = checkpoint_id(posted.get("checkpoint"));
    let declaration = posted.declaration();
    let now = Utc::now();
    let today = now
        .with_timezone(&checkpoint_domain::clock::vietnam())
        .date_naive();
    if let Err(problems) = validate(&declaration, today) {
        let name = checkpoint_name(&state.db, &checkpoint).await;
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::form_page(lang, &checkpoint, &name, &declaration, &problems),
        );
    }
    let record = visitor_record_of(&declaration, now);
    let code = ckd::encode_signed(&record, &state.key);
    let svg = match crate::qr::svg(&code) {
        Ok(svg) => svg,
        Err(_) => {
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                view::message_page(lang, &t(lang, fl!("phone-unavailable"))),
            );
        }
    };
    let local = |at: chrono::DateTime<Utc>| {
        at.with_timezone(&checkpoint_domain::clock::vietnam())
            .format("%d/%m/%Y %H:%M")
            .to_string()
    };
    let until = local(now + chrono::Duration::hours(ckd::FRESH_HOURS));
    let mut response = html(
        StatusCode::OK,
        view::code_page(lang, &checkpoint, &code, &svg, &local(now), &until),
    );
    // The page holds personal data: never kept by a cache on the way.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Debug, Deserialize)]
pub struct WardQuery {
    #[serde(default)]
    province: String,
    #[serde(default)]
    q: String,
}

/// The wards of a province (`?province=01`) or those matching a search
/// (`?q=ha noi`, the kiosk's own search), as `[code, name, province]`.
async fn wards(Query(q): Query<WardQuery>) -> Response {
    use checkpoint_domain::address;
    let rows: Vec<[String; 3]> = if !q.q.trim().is_empty() {
        let province = (!q.province.is_empty()).then_some(q.province.as_str());
        let query: String = q.q.chars().take(60).collect();
        address::search_wards(&query, province, 12)
            .into_iter()
            .map(|w| {
                let p = address::province(&w.province_code).map_or("", |p| p.name.as_str());
                [
                    w.code.clone(),
                    format!("{}, {p}", w.name),
                    w.province_code.clone(),
                ]
            })
            .collect()
    } else {
        address::wards_of(&q.province)
            .iter()
            .map(|w| [w.code.clone(), w.name.clone(), w.province_code.clone()])
            .collect()
    };
    let mut r = axum::Json(rows).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// The printable poster of a checkpoint (A4, both languages).
async fn poster(
    State(state): State<PhoneState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let id = checkpoint_id(&q.checkpoint);
    let name = checkpoint_name(&state.db, &id).await;
    let lang = lang_of(&q);
    if name.is_empty() {
        return html(
            StatusCode::NOT_FOUND,
            view::message_page(lang, &t(lang, fl!("console-bad-request"))),
        );
    }
    // A kiosk fetching the poster over the closed network must still get
    // the address phones use.
    let origin = state
        .public_url
        .clone()
        .unwrap_or_else(|| public_origin(&headers));
    let url = format!("{origin}{BASE}?checkpoint={id}");
    match crate::qr::svg(&url) {
        Ok(svg) => html(StatusCode::OK, view::poster(&name, &url, &svg)),
        Err(_) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            view::message_page(lang, &t(lang, fl!("phone-unavailable"))),
        ),
    }
}

/// The address phones reach the page at when none is configured: what the
/// reverse proxy says, else the Host the request came to.
fn public_origin(headers: &HeaderMap) -> String {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let host = get("x-forwarded-host")
        .or_else(|| get("host"))
        .unwrap_or_else(|| "localhost".to_owned());
    let scheme = get("x-forwarded-proto").unwrap_or_else(|| "https".to_owned());
    let safe = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    };
    if safe(&host) && (scheme == "http" || scheme == "https") {
        format!("{scheme}://{host}")
    } else {
        "https://localhost".to_owned()
    }
}
