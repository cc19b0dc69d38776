//! Contact tracing, for health officers and admins: a case (an ID number, a
//! phone in any spelling, or a record's id) and a window; every check-in of
//! the case in the last 14 days, and for each, everyone who checked in at
//! the same checkpoint within the window, with how to reach them; exported
//! as CSV. The case travels in a POST body, never in a URL, and each search
//! and export goes to the audit log with who ran it.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use checkpoint_domain::declaration::Record;
use checkpoint_export::{Sheet, columns};
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::{DateTime, Duration, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::extract::{Officer, Posted, SignedIn};
use super::page::{page, parse, respond, secure_headers};
use super::session::Session;
use super::{ConsoleState, audit};
use crate::accounts::PersonalAccess;
use crate::audit::Action;
use crate::db::{ExportRow, Place, Presence};
use crate::index::{CaseKey, case_key};
use crate::stats::vietnam;
use checkpoint_wire::RecordKind;

/// How far back the case's check-ins are taken.
pub const LOOK_BACK_DAYS: i64 = 14;
/// The window either side of each check-in, in minutes: default and bounds.
pub const DEFAULT_WINDOW: i64 = 60;
const WINDOW_RANGE: std::ops::RangeInclusive<i64> = 5..=720;

#[derive(Debug, Deserialize)]
pub struct TraceForm {
    #[serde(default)]
    csrf: String,
    case: String,
    #[serde(default)]
    window: Option<i64>,
}

super::extract::with_csrf!(TraceForm);

/// One check-in of the case and who was there around it.
struct Encounter {
    check_in: ExportRow,
    contacts: Vec<(ExportRow, Record)>,
}

struct Trace {
    case: String,
    window: i64,
    encounters: Vec<Encounter>,
}

impl Trace {
    fn contact_count(&self) -> usize {
        self.encounters.iter().map(|e| e.contacts.len()).sum()
    }
}

pub async fn show(
    Officer {
        signed_in: SignedIn {
            session,
            lang,
            set_lang,
        },
        ..
    }: Officer,
) -> Response {
    let body = view(lang, &session, None, &HashMap::new());
    let title = t(lang, fl!("console-tracing"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(&session), body),
        set_lang.then_some(lang),
    )
}

pub async fn search(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Officer {
                signed_in: SignedIn { session, lang, .. },
                access,
            },
        form: f,
    }: Posted<TraceForm, Officer>,
) -> Response {
    let trace = match run(&state, &access, &f, Utc::now()).await {
        Ok(Some(trace)) => trace,
        Ok(None) => return super::bad_request(lang, &session),
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    audited(&state, &session, Action::TraceRun, &trace).await;
    let names = checkpoint_names(&state, &access).await;
    let title = t(lang, fl!("console-tracing"));
    respond(
        StatusCode::OK,
        page(
            lang,
            &title,
            Some(&session),
            view(lang, &session, Some(&trace), &names),
        ),
        None,
    )
}

pub async fn export(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Officer {
                signed_in: SignedIn { session, lang, .. },
                access,
            },
        form: f,
    }: Posted<TraceForm, Officer>,
) -> Response {
    let trace = match run(&state, &access, &f, Utc::now()).await {
        Ok(Some(trace)) => trace,
        Ok(None) => return super::bad_request(lang, &session),
        Err(e) => return super::unavailable(lang, &session, &e),
    };
    audited(&state, &session, Action::TraceExported, &trace).await;
    let names = checkpoint_names(&state, &access).await;
    let mut csv = Vec::new();
    if checkpoint_export::write_csv(&sheet(lang, &trace, &names), &mut csv).is_err() {
        return super::bad_request(lang, &session);
    }
    let mut response = csv.into_response();
    let h = response.headers_mut();
    secure_headers(h);
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let file = format!(
        "attachment; filename=\"trace-{}.csv\"",
        Utc::now().with_timezone(&vietnam()).format("%Y%m%d-%H%M")
    );
    if let Ok(v) = HeaderValue::from_str(&file) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// The trace, or `None` when the form asks for nothing traceable.
async fn run(
    state: &ConsoleState,
    access: &PersonalAccess,
    f: &TraceForm,
    now: DateTime<Utc>,
) -> Result<Option<Trace>, crate::HubError> {
    let case = f.case.trim();
    let window = f.window.unwrap_or(DEFAULT_WINDOW);
    if case.is_empty() || case.chars().count() > 64 || !WINDOW_RANGE.contains(&window) {
        return Ok(None);
    }
    let since = now - Duration::days(LOOK_BACK_DAYS);
    let check_ins = match Uuid::parse_str(case) {
        Ok(id) => match state
            .db
            .record_of_kind(access, RecordKind::Declaration, id)
            .await?
        {
            // A record: the person's every check-in, by their document or
            // phone; the record alone when it has neither.
            Some(row) => match key_of(&row) {
                Some(key) => state.db.check_ins_of(access, &key, since).await?,
                None => vec![row],
            },
            None => vec![],
        },
        Err(_) => {
            state
                .db
                .check_ins_of(access, &case_key(case), since)
                .await?
        }
    };
    let own: HashSet<String> = check_ins.iter().map(|r| r.id.clone()).collect();
    let mut encounters = Vec::with_capacity(check_ins.len());
    for check_in in check_ins {
        let Ok(at) = DateTime::parse_from_rfc3339(&check_in.created_at) else {
            continue;
        };
        let at = at.with_timezone(&Utc);
        let presence = Presence {
            place: Place::of(&check_in),
            from: at - Duration::minutes(window),
            to: at + Duration::minutes(window),
        };
        let contacts = state
            .db
            .present_at(access, &presence)
            .await?
            .into_iter()
            .filter(|r| !own.contains(&r.id))
            .filter_map(|r| parse::<Record>(&r).map(|record| (r, record)))
            .collect();
        encounters.push(Encounter { check_in, contacts });
    }
    encounters.reverse(); // newest check-in first
    Ok(Some(Trace {
        case: case.to_owned(),
        window,
        encounters,
    }))
}

/// The document number (else the phone) a record's visitor is known by.
fn key_of(row: &ExportRow) -> Option<CaseKey> {
    let record = parse::<Record>(row)?;
    let identity = &record.declaration.identity;
    let document = identity.document.number.trim();
    if !document.is_empty() {
        return Some(CaseKey::Document(
            checkpoint_domain::declaration::id_number::normalize_document(document),
        ));
    }
    checkpoint_domain::declaration::id_number::normalize_phone(&identity.phone).map(CaseKey::Phone)
}

async fn audited(state: &ConsoleState, session: &Session, action: Action, trace: &Trace) {
    let detail = format!(
        "{{\"window_minutes\":{},\"check_ins\":{},\"contacts\":{}}}",
        trace.window,
        trace.encounters.len(),
        trace.contact_count()
    );
    // The number traced is never stored: masked, and hashed with the
    // store's key (made once, shared by every hub on the store).
    let fresh = crate::audit::fresh_key();
    let case = match state.db.secret(crate::audit::CASE_KEY, &fresh).await {
        Ok(key) => crate::audit::traced_case(key.as_bytes(), &trace.case),
        Err(e) => {
            tracing::warn!(error = %e, "no key for traced cases: only the mask is kept");
            crate::audit::traced_case(&[], &trace.case)
                .split(" #")
                .next()
                .unwrap_or_default()
                .to_owned()
        }
    };
    audit(state, session, action, &case, &detail).await;
}

async fn checkpoint_names(
    state: &ConsoleState,
    access: &PersonalAccess,
) -> HashMap<String, String> {
    state
        .db
        .checkpoints(access.scope())
        .await
        .map(|list| list.into_iter().map(|c| (c.id, c.name)).collect())
        .unwrap_or_default()
}

fn place_name(row: &ExportRow, names: &HashMap<String, String>) -> String {
    match &row.checkpoint_id {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
        None => row.kiosk_id.clone(),
    }
}

fn local(at: &str) -> String {
    DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// Minutes from the case's check-in to the contact's (negative: before).
fn minutes_apart(check_in: &ExportRow, contact: &ExportRow) -> i64 {
    match (
        DateTime::parse_from_rfc3339(&check_in.created_at),
        DateTime::parse_from_rfc3339(&contact.created_at),
    ) {
        (Ok(a), Ok(b)) => (b - a).num_minutes(),
        _ => 0,
    }
}

fn view(
    lang: Lang,
    session: &Session,
    trace: Option<&Trace>,
    names: &HashMap<String, String>,
) -> Markup {
    let case = trace.map_or("", |tr| tr.case.as_str());
    let window = trace.map_or(DEFAULT_WINDOW, |tr| tr.window);
    html! {
        h2 { (t(lang, fl!("console-tracing"))) }
        form.card.trace method="post" action="/tracing" {
            input type="hidden" name="csrf" value=(session.csrf);
            label for="case" { (t(lang, fl!("console-trace-case"))) }
            input id="case" type="text" name="case" value=(case) required maxlength="64"
                autocomplete="off" inputmode="text";
            label for="window" { (t(lang, fl!("console-trace-window"))) }
            input id="window" type="number" name="window" value=(window)
                min=(WINDOW_RANGE.start()) max=(WINDOW_RANGE.end()) step="5";
            button id="trace" type="submit" { (t(lang, fl!("console-trace-run"))) }
        }
        @if let Some(trace) = trace {
            p id="trace-summary" {
                (Message::new(fl!("console-trace-summary"))
                    .arg("check_ins", trace.encounters.len())
                    .arg("days", LOOK_BACK_DAYS)
                    .arg("contacts", trace.contact_count())
                    .arg("window", trace.window)
                    .render(lang))
            }
            @if !trace.encounters.is_empty() {
                form method="post" action="/tracing/export" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    input type="hidden" name="case" value=(trace.case);
                    input type="hidden" name="window" value=(trace.window);
                    button id="trace-export" type="submit" { (t(lang, fl!("console-trace-export"))) }
                }
            }
            @for e in &trace.encounters {
                (encounter(lang, e, names))
            }
        }
    }
}

fn encounter(lang: Lang, e: &Encounter, names: &HashMap<String, String>) -> Markup {
    html! {
        section.card.encounter id=(format!("check-in-{}", e.check_in.id)) {
            h3 { (local(&e.check_in.created_at)) " · " (place_name(&e.check_in, names)) }
            @if e.contacts.is_empty() {
                p.muted { (t(lang, fl!("console-trace-nobody"))) }
            } @else {
                div.scroll {
                    table {
                        thead { tr {
                            th { (t(lang, fl!("console-trace-when"))) }
                            th { (t(lang, fl!("console-trace-apart"))) }
                            th { (t(lang, fl!("console-trace-name"))) }
                            th { (t(lang, fl!("field-document"))) }
                            th { (t(lang, fl!("field-phone"))) }
                        } }
                        tbody {
                            @for (row, record) in &e.contacts {
                                @let id = &record.declaration.identity;
                                tr.contact id=(format!("contact-{}", row.id)) {
                                    td { (local(&row.created_at)) }
                                    td { (format!("{:+}", minutes_apart(&e.check_in, row))) }
                                    td { (id.full_name) @if record.flagged { " " span.flag { "⚑" } } }
                                    td { (id.document.number) }
                                    td { a href=(format!("tel:{}", id.phone)) { (id.phone) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The export: one row per contact, after the case's check-in it belongs to,
/// then the declaration in the kiosk's export columns.
fn sheet(lang: Lang, trace: &Trace, names: &HashMap<String, String>) -> Sheet {
    let mut header = vec![
        t(lang, fl!("console-trace-case-check-in")),
        t(lang, fl!("console-trace-place")),
        t(lang, fl!("console-trace-apart")),
    ];
    header.extend(columns::declaration_header(lang));
    let mut sheet = Sheet::new("trace", header);
    for e in &trace.encounters {
        for (row, record) in &e.contacts {
            let mut line = vec![
                local(&e.check_in.created_at),
                place_name(&e.check_in, names),
                minutes_apart(&e.check_in, row).to_string(),
            ];
            line.extend(columns::declaration_row(lang, record));
            sheet.rows.push(line);
        }
    }
    sheet
}
