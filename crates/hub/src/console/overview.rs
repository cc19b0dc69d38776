//! The overview: what the hub has received, today (Vietnam's day) and in
//! all. Counts only: every role may see it.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkpoint_i18n::{fl, t};
use chrono::{Duration, FixedOffset, Offset as _, Utc};
use maud::html;

use super::page::{page, respond};
use super::{ConsoleState, LangQuery, SignedIn, signed_in};
use checkpoint_wire::RecordKind;

/// Vietnam's clock (no daylight saving): the console's days.
pub fn vietnam() -> FixedOffset {
    match FixedOffset::east_opt(7 * 3600) {
        Some(offset) => offset,
        None => Utc.fix(),
    }
}

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
    let now = Utc::now().with_timezone(&vietnam());
    let midnight = now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
    let today_start = (midnight - Duration::hours(7)).and_utc();
    let (total, today) = match (
        state.db.kind_counts(None).await,
        state.db.kind_counts(Some(today_start)).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return super::unavailable(lang, &session, &e),
    };
    let count = |list: &[(String, i64)], kind: RecordKind| {
        list.iter()
            .find(|(k, _)| k == kind.as_str())
            .map_or(0, |(_, n)| *n)
    };
    let body = html! {
        h2 { (t(lang, fl!("console-overview"))) }
        p.muted { (now.format("%d/%m/%Y %H:%M")) " (UTC+7)" }
        div.cards {
            @for kind in RecordKind::ALL {
                div.card id=(format!("count-{}", kind.as_str())) {
                    div { (t(lang, &format!("console-kind-{}", kind.as_str()))) }
                    div.figure { (count(&today, kind)) }
                    div.muted { (t(lang, fl!("console-today"))) " · " (count(&total, kind)) " " (t(lang, fl!("console-in-all"))) }
                }
            }
        }
    };
    respond(
        StatusCode::OK,
        page(
            lang,
            &t(lang, fl!("console-overview")),
            Some(&session),
            body,
        ),
        set.then_some(lang),
    )
}
