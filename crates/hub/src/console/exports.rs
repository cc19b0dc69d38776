//! Exports from the console, for health officers and admins: the records of
//! a date range (Vietnam days) at one checkpoint or all within the account's
//! groups, as CSV (one sheet) or XLSX (every sheet), in the same columns as
//! the kiosk's exports, with Vietnamese or English headers. Streamed: pages
//! of records are read one after another, so memory stays flat whatever the
//! range. Each export is audited.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use checkpoint_domain::csv::{BOM, line};
use checkpoint_export::XlsxStream;
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::RecordKind;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::html;
use serde::Deserialize;
use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;

use super::extract::{Officer, Posted, SignedIn};
use super::page::{page, respond, secure_headers};
use super::{ConsoleState, audit};
use crate::accounts::PersonalAccess;
use crate::audit::Action;
use crate::db::{ExportPage, ExportRow, HubDb};
use crate::sheets;
use crate::stats::{day_of, day_start};

/// Records read per page.
const PAGE: u64 = 2_000;
/// The longest range one export may cover.
pub(super) const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    csrf: String,
    from: String,
    to: String,
    #[serde(default)]
    checkpoint: String,
    format: String,
    #[serde(default)]
    sheet: String,
    #[serde(default)]
    headers: String,
}

super::extract::with_csrf!(ExportForm);

pub async fn show(
    State(state): State<ConsoleState>,
    Officer {
        signed_in: SignedIn {
            session,
            lang,
            set_lang,
        },
        ..
    }: Officer,
) -> Response {
    let checkpoints = match state.db.checkpoints(&session.scope()).await {
        Ok(c) => c,
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    let today = day_of(Utc::now());
    let week_ago = today - Duration::days(6);
    let body = html! {
        h2 { (t(lang, fl!("console-exports"))) }
        form.card method="post" action="/exports" {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="from" { (t(lang, fl!("console-export-from"))) }
            input id="from" type="date" name="from" value=(week_ago) required;
            label for="to" { (t(lang, fl!("console-export-to"))) }
            input id="to" type="date" name="to" value=(today) required;
            label for="checkpoint" { (t(lang, fl!("console-checkpoint"))) }
            select id="checkpoint" name="checkpoint" {
                option value="" { (t(lang, fl!("console-export-all"))) }
                @for c in &checkpoints { option value=(c.id) { (c.name) " (" (c.group) ")" } }
            }
            label for="format" { (t(lang, fl!("console-export-format"))) }
            select id="format" name="format" {
                option value="xlsx" { (t(lang, fl!("console-export-xlsx"))) }
                option value="csv" { (t(lang, fl!("console-export-csv"))) }
            }
            label for="sheet" { (t(lang, fl!("console-export-sheet"))) }
            select id="sheet" name="sheet" {
                option value="declarations" { (t(lang, fl!("export-sheet-declarations"))) }
                option value="reports" { (t(lang, fl!("export-sheet-reports"))) }
                option value="follow-ups" { (t(lang, fl!("export-sheet-follow-ups"))) }
            }
            label for="headers" { (t(lang, fl!("console-export-headers"))) }
            select id="headers" name="headers" {
                option value=(lang.code()) selected { (if lang == Lang::Vi { "Tiếng Việt" } else { "English" }) }
                option value=(if lang == Lang::Vi { "en" } else { "vi" }) { (if lang == Lang::Vi { "English" } else { "Tiếng Việt" }) }
            }
            p { button id="export" type="submit" { (t(lang, fl!("console-export-download"))) } }
        }
    };
    let title = t(lang, fl!("console-exports"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set_lang.then_some(lang),
    )
}

/// The records' kinds of a sheet.
fn kinds_of(sheet: &str) -> Option<RecordKind> {
    match sheet {
        "declarations" => Some(RecordKind::Declaration),
        "reports" => Some(RecordKind::Report),
        "follow-ups" => Some(RecordKind::FollowUp),
        _ => None,
    }
}

pub async fn download(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Officer {
                signed_in: SignedIn { session, lang, .. },
                access,
            },
        form: f,
    }: Posted<ExportForm, Officer>,
) -> Response {
    let columns_lang = f.headers.parse::<Lang>().unwrap_or(lang);
    let (from, to) = match (f.from.parse::<NaiveDate>(), f.to.parse::<NaiveDate>()) {
        (Ok(a), Ok(b)) if a <= b && (b - a).num_days() < MAX_DAYS => (a, b),
        _ => return super::bad_request(lang, &session),
    };
    let xlsx = match f.format.as_str() {
        "xlsx" => true,
        "csv" => false,
        _ => return super::bad_request(lang, &session),
    };
    let kinds = if xlsx {
        RecordKind::ALL.to_vec()
    } else {
        match kinds_of(&f.sheet) {
            Some(k) => vec![k],
            None => return super::bad_request(lang, &session),
        }
    };
    let checkpoint = Some(f.checkpoint.trim().to_owned()).filter(|c| !c.is_empty());
    if let Some(c) = &checkpoint {
        match state.db.checkpoints(access.scope()).await {
            Ok(list) if list.iter().any(|x| &x.id == c) => {}
            Ok(_) => return super::not_for_role(lang, &session),
            Err(e) => return super::unavailable(lang, &session, &e),
        }
    }
    let query = ExportPage {
        from: day_start(from),
        to: day_start(to + Duration::days(1)),
        checkpoint: checkpoint.clone(),
        kinds,
        after: None,
        limit: PAGE,
    };
    let detail = format!(
        "{{\"format\":\"{}\",\"from\":\"{from}\",\"to\":\"{to}\",\"checkpoint\":{:?}}}",
        f.format,
        checkpoint.unwrap_or_default()
    );
    audit(&state, &session, Action::ExportDownloaded, "", &detail).await;
    let name = format!("checkpoint-{from}-{to}");
    if xlsx {
        xlsx_response(state.db.clone(), access, query, columns_lang, &name).await
    } else {
        csv_response(
            state.db.clone(),
            access,
            query,
            columns_lang,
            &name,
            &f.sheet,
        )
    }
}

fn attachment(mut response: Response, content_type: &'static str, file: &str) -> Response {
    let h = response.headers_mut();
    secure_headers(h);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The pages of an export, one after another: the span is read a window
/// of [`WINDOW`] at a time, and a window in keyset pages. Short time ranges
/// let PostgreSQL answer an account limited to a group from the (checkpoint,
/// time) index instead of reading every record of the span to filter it
/// (a district officer's 100,000 rows: 24 s at 10,000,000 records). A
/// failure of the store ends them (logged: the download then ends short;
/// the audit says it began).
struct Pages {
    query: ExportPage,
    end: DateTime<Utc>,
    done: bool,
}

/// The time range one query of an export covers.
const WINDOW: Duration = Duration::hours(6);

impl Pages {
    fn new(mut query: ExportPage) -> Self {
        let end = query.to;
        query.to = end.min(query.from + WINDOW);
        Self {
            query,
            end,
            done: false,
        }
    }

    async fn next(&mut self, db: &HubDb, access: &PersonalAccess) -> Option<Vec<ExportRow>> {
        while !self.done {
            let rows = match db.export_page(access, &self.query).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "export stopped: the store did not answer");
                    self.done = true;
                    return None;
                }
            };
            match rows.last() {
                Some(last) if rows.len() as u64 == self.query.limit => {
                    self.query.after = Some((last.created_at.clone(), last.id.clone()));
                }
                _ if self.query.to >= self.end => self.done = true,
                _ => {
                    self.query.from = self.query.to;
                    self.query.to = self.end.min(self.query.to + WINDOW);
                    self.query.after = None;
                }
            }
            if !rows.is_empty() {
                return Some(rows);
            }
        }
        None
    }
}

fn csv_response(
    db: HubDb,
    access: PersonalAccess,
    query: ExportPage,
    lang: Lang,
    name: &str,
    sheet: &str,
) -> Response {
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let header = sheets::header_of(query.kinds[0], lang);
    tokio::spawn(async move {
        let mut head = BOM.as_bytes().to_vec();
        if line(&mut head, header.iter().map(String::as_str)).is_err()
            || tx.send(Ok(head.into())).await.is_err()
        {
            return;
        }
        let mut pages = Pages::new(query);
        // A CSV holds one kind: no step needs a declaration kept, so what
        // `cells` keeps is dropped with each page (memory stays flat).
        let mut kept = HashMap::new();
        while let Some(rows) = pages.next(&db, &access).await {
            kept.clear();
            let mut chunk = Vec::with_capacity(rows.len() * 400);
            for row in &rows {
                if let Some((_, cells)) = sheets::cells(row, lang, &mut kept)
                    && line(&mut chunk, cells.iter().map(String::as_str)).is_err()
                {
                    return;
                }
            }
            if tx.send(Ok(chunk.into())).await.is_err() {
                return; // the browser went away
            }
        }
    });
    streamed_csv(rx, &format!("{name}-{sheet}.csv"))
}

/// A CSV download whose chunks come from `rx` as they are written.
pub(super) fn streamed_csv(
    rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
    file: &str,
) -> Response {
    let body = Body::from_stream(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    attachment(body.into_response(), "text/csv; charset=utf-8", file)
}

async fn xlsx_response(
    db: HubDb,
    access: PersonalAccess,
    query: ExportPage,
    lang: Lang,
    name: &str,
) -> Response {
    let book = sheets::SHEET_KINDS
        .iter()
        .map(|k| (sheets::sheet_name(*k, lang), sheets::header_of(*k, lang)))
        .collect::<Vec<_>>();
    let mut stream = match XlsxStream::new(&book) {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    // Flagged visitors, for the follow-up sheet's name and phone columns.
    let mut visitors = HashMap::new();
    let mut pages = Pages::new(query);
    while let Some(rows) = pages.next(&db, &access).await {
        let mut cells = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(c) = sheets::cells(row, lang, &mut visitors) {
                cells.push(c);
            }
        }
        let written = tokio::task::spawn_blocking(move || {
            for (sheet, row) in &cells {
                stream.push(*sheet, row)?;
            }
            Ok::<_, checkpoint_export::XlsxError>(stream)
        })
        .await;
        stream = match written {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return failed(&e),
            Err(e) => return failed(&e),
        };
    }
    let file = tokio::task::spawn_blocking(move || {
        let mut file = tempfile::tempfile()?;
        stream
            .finish(&mut file)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        file.seek(SeekFrom::Start(0))?;
        Ok::<_, std::io::Error>(file)
    })
    .await;
    let file = match file {
        Ok(Ok(f)) => tokio::fs::File::from_std(f),
        Ok(Err(e)) => return failed(&e),
        Err(e) => return failed(&e),
    };
    let body = Body::from_stream(futures::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    }));
    attachment(
        body.into_response(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{name}.xlsx"),
    )
}

fn failed(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "export failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
