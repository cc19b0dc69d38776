//! The overview: what the hub has received, today (Vietnam's day) and in
//! all. Counts only: every role may see it.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkpoint_i18n::{fl, t};
use chrono::{Duration, FixedOffset, Offset as _, Utc};
use maud::html;

use super::page::{lang_of, page, respond, see_other};
use super::{ConsoleState, LangQuery, session_of};
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
    let Some((_, session)) = session_of(&state, &headers).await else {
        return see_other("/login", &[]);
    };
    let (lang, set) = lang_of(&headers, q.lang.as_deref());
    let now = Utc::now().with_timezone(&vietnam());
    let midnight = now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
    let today_start = (midnight - Duration::hours(7)).and_utc();
    let (total, today) = match (
        state.db.kind_counts(None).await,
        state.db.kind_counts(Some(today_start)).await,
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(error = %e, "overview counts failed");
            let body = html! { p.error { (e.message().render(lang)) } };
            return respond(
                StatusCode::SERVICE_UNAVAILABLE,
                page(
                    lang,
                    &t(lang, fl!("console-overview")),
                    Some(&session),
                    body,
                ),
                None,
            );
        }
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
