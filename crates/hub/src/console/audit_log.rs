//! The audit log, for admins: who signed in, who looked at personal data and
//! who recorded which step, newest first, in Vietnam's time with each action
//! named in the page's language; and its export as CSV by date range
//! (streamed, itself audited). Read-only, like the table.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_domain::csv::{BOM, line};
use checkpoint_i18n::{Lang, fl, t};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::html;
use serde::Deserialize;
use tokio::sync::mpsc;

use super::exports::{MAX_DAYS, streamed_csv};
use super::extract::{Admin, Posted, SignedIn};
use super::page::{page, respond};
use super::{ConsoleState, audit};
use crate::audit::Action;
use crate::db::{AuditEntry, HubDb};
use crate::stats::{day_of, day_start};

/// Entries shown.
const SHOWN: u64 = 500;
/// Entries read per page of an export.
const PAGE: u64 = 2_000;

#[derive(Debug, Deserialize)]
pub struct AuditExportForm {
    #[serde(default)]
    csrf: String,
    from: String,
    to: String,
}

super::extract::with_csrf!(AuditExportForm);

pub async fn show(
    State(state): State<ConsoleState>,
    Admin {
        signed_in:
            SignedIn {
                session,
                lang,
                set_lang: set,
            },
        manages,
    }: Admin,
) -> Response {
    let entries = match state.db.audit_entries(SHOWN).await {
        Ok(e) => e,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    // A scoped admin reads the entries of the accounts it manages.
    let entries = match state
        .db
        .audit_managed(entries, &manages, &session.account)
        .await
    {
        Ok(e) => e,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let today = day_of(Utc::now());
    let title = t(lang, fl!("console-audit"));
    let body = html! {
        h2 { (title) }
        form.card method="post" action="/audit/export" {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="from" { (t(lang, fl!("console-export-from"))) }
            input id="from" type="date" name="from" value=(today - Duration::days(29)) required;
            label for="to" { (t(lang, fl!("console-export-to"))) }
            input id="to" type="date" name="to" value=(today) required;
            p { button id="audit-export" type="submit" { (t(lang, fl!("console-audit-export"))) } }
        }
        p.muted { (t(lang, fl!("console-audit-latest"))) }
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
                    tr {
                        td { (crate::db::vietnam_text(&e.at, "%d/%m/%Y %H:%M:%S")) }
                        td { (e.account) }
                        td data-action=(e.action) { (action_label(lang, &e.action)) }
                        td { (e.target) }
                        td { (e.detail) }
                    }
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

pub async fn export(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<AuditExportForm, Admin>,
) -> Response {
    let (from, to) = match (f.from.parse::<NaiveDate>(), f.to.parse::<NaiveDate>()) {
        (Ok(a), Ok(b)) if a <= b && (b - a).num_days() < MAX_DAYS => (a, b),
        _ => return super::bad_request(lang, &session),
    };
    // A scoped admin exports the entries of the accounts it manages.
    let keep = if manages.is_whole_hub() {
        None
    } else {
        match state.db.accounts_managed(&manages, &session.account).await {
            Ok(a) => Some(a.into_iter().map(|a| a.name).collect()),
            Err(e) => return super::unavailable(lang, &session, &e),
        }
    };
    let detail = format!("{{\"from\":\"{from}\",\"to\":\"{to}\"}}");
    audit(&state, &session, Action::AuditExported, "", &detail).await;
    let (tx, rx) = mpsc::channel(4);
    let db = state.db.clone();
    let span = (day_start(from), day_start(to + Duration::days(1)));
    tokio::spawn(write_entries(db, span, keep, lang, tx));
    streamed_csv(rx, &format!("audit-{from}-{to}.csv"))
}

/// Writes the entries of a span as CSV lines into `tx`, a page at a time;
/// with `keep`, only the entries of those accounts.
async fn write_entries(
    db: HubDb,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    keep: Option<std::collections::HashSet<String>>,
    lang: Lang,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let header = [
        t(lang, fl!("console-audit-at")),
        t(lang, fl!("console-name")),
        t(lang, fl!("console-audit-code")),
        t(lang, fl!("console-audit-action")),
        t(lang, fl!("console-audit-target")),
        t(lang, fl!("console-audit-detail")),
    ];
    let mut head = BOM.as_bytes().to_vec();
    if line(&mut head, header.iter().map(String::as_str)).is_err()
        || tx.send(Ok(head.into())).await.is_err()
    {
        return;
    }
    let mut after = 0;
    loop {
        let entries = match db.audit_page(from, to, after, PAGE).await {
            Ok(e) => e,
            Err(e) => {
                // The download ends short; the log says why.
                tracing::warn!(error = %e, "audit export stopped: the store did not answer");
                return;
            }
        };
        let mut chunk = Vec::with_capacity(entries.len() * 120);
        let kept = entries
            .iter()
            .filter(|(_, e)| keep.as_ref().is_none_or(|k| k.contains(&e.account)));
        for (_, e) in kept {
            if line(&mut chunk, csv_cells(lang, e).iter().map(String::as_str)).is_err() {
                return;
            }
        }
        if tx.send(Ok(chunk.into())).await.is_err() {
            return; // the browser went away
        }
        match entries.last() {
            Some((seq, _)) if entries.len() as u64 == PAGE => after = *seq,
            _ => return,
        }
    }
}

fn csv_cells(lang: Lang, e: &AuditEntry) -> [String; 6] {
    [
        crate::db::vietnam_text(&e.at, "%Y-%m-%d %H:%M:%S"),
        e.account.clone(),
        e.action.clone(),
        action_label(lang, &e.action),
        e.target.clone(),
        e.detail.clone(),
    ]
}

/// An action's label; its code where it is not one this hub knows (an
/// entry written by a newer hub sharing the store).
fn action_label(lang: Lang, code: &str) -> String {
    match Action::parse(code) {
        Some(a) => t(lang, &a.label_id()),
        None => code.to_owned(),
    }
}
