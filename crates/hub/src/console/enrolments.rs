//! Enrolment codes on the kiosks page (admins): make one for a checkpoint,
//! shown as a QR code to hold up to the new kiosk's camera and as text; the
//! latest codes with their state; revoke one not used yet.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::{DateTime, Utc};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::extract::{Admin, Posted, SignedIn};
use super::session::Session;
use super::{ConsoleState, audit};
use crate::audit::Action;
use crate::db::Checkpoint;
use crate::enrolment::{self, Enrolment, Refusal};

pub fn section(
    lang: Lang,
    session: &Session,
    checkpoints: &[Checkpoint],
    codes: &[Enrolment],
) -> Markup {
    let now = Utc::now();
    html! {
        section.card id="enrolment" {
            h3 { (t(lang, fl!("console-enrol"))) }
            p { (t(lang, fl!("console-enrol-how"))) }
            form method="post" action="/kiosks/enrol" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="enrol-checkpoint" { (t(lang, fl!("console-checkpoint"))) }
                select id="enrol-checkpoint" name="checkpoint" required {
                    @for c in checkpoints { option value=(c.id) { (c.name) } }
                }
                label for="enrol-hours" { (t(lang, fl!("console-enrol-hours"))) }
                input id="enrol-hours" type="number" name="hours" value="24" min="1" max=(enrolment::MAX_HOURS);
                button id="enrol-make" type="submit" { (t(lang, fl!("console-enrol-make"))) }
            }
            @if !codes.is_empty() {
                div.scroll { table {
                    thead { tr {
                        th { (t(lang, fl!("console-token-id"))) }
                        th { (t(lang, fl!("console-checkpoint"))) }
                        th { (t(lang, fl!("console-enrol-until"))) }
                        th { (t(lang, fl!("console-token-state"))) }
                    } }
                    tbody {
                        @for e in codes {
                            tr {
                                td { code { (e.id) } }
                                td { (e.checkpoint_id) }
                                td { (crate::db::vietnam_text(&e.expires_at, "%Y-%m-%d %H:%M")) }
                                td { (state_cell(lang, session, e, now)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

fn state_cell(lang: Lang, session: &Session, e: &Enrolment, now: DateTime<Utc>) -> Markup {
    match Refusal::of(e, now) {
        Some(Refusal::Used) => html! {
            (Message::new(fl!("console-enrol-used")).arg("kiosk", e.kiosk_id.as_deref().unwrap_or("-")).render(lang))
        },
        Some(Refusal::Revoked) => html! { (t(lang, fl!("console-token-revoked"))) },
        Some(Refusal::Expired) => html! { (t(lang, fl!("console-enrol-expired"))) },
        Some(Refusal::Unknown) | None => html! {
            form.inline method="post" action="/kiosks/enrol/revoke" {
                input type="hidden" name="csrf" value=(session.csrf);
                input type="hidden" name="id" value=(e.id);
                button.danger type="submit" id=(format!("enrol-revoke-{}", e.id)) { (t(lang, fl!("console-token-revoke"))) }
            }
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct MakeForm {
    #[serde(default)]
    pub csrf: String,
    checkpoint: String,
    #[serde(default)]
    hours: String,
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

super::extract::with_csrf!(MakeForm, RevokeForm);

/// The address kiosks reach this hub at, as the admin's browser did.
fn hub_url(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
    Some(format!("https://{host}"))
}

/// A new enrolment code for an admin's posted form: the notice to show
/// on the kiosks page (the code, or why none was made), or the answer
/// that replaces the page (a bad request, the store unavailable).
pub async fn make_code(
    state: &ConsoleState,
    session: &Session,
    manages: &crate::manages::Manages,
    lang: Lang,
    headers: &HeaderMap,
    f: &MakeForm,
) -> Result<Markup, Response> {
    let hours = f.hours.trim().parse::<i64>().unwrap_or(24);
    if !(1..=enrolment::MAX_HOURS).contains(&hours) {
        return Err(super::bad_request(lang, session));
    }
    // Only for a checkpoint the admin manages.
    let name = match state.db.checkpoints(&manages.scope()).await {
        Ok(list) => list
            .into_iter()
            .find(|c| c.id == f.checkpoint)
            .map(|c| c.name),
        Err(e) => return Err(super::unavailable(lang, session, &e)),
    };
    let (Some(sha), Some(url), Some(name)) = (state.cert_sha256.as_deref(), hub_url(headers), name)
    else {
        return Ok(html! {
            div.card.notice.error id="enrol-result" role="alert" { p { (t(lang, fl!("console-enrol-cannot"))) } }
        });
    };
    let (code, row, hash) = enrolment::new_code(
        &f.checkpoint,
        &session.account,
        chrono::Duration::hours(hours),
        &url,
        sha,
    );
    let text = code.to_string();
    let svg = match (
        checkpoint_wire::EnrolmentCode::parse(&text),
        crate::qr::svg(&text),
    ) {
        (Ok(_), Ok(svg)) => svg,
        _ => return Err(super::bad_request(lang, session)),
    };
    if let Err(e) = state.db.add_enrolment(&row, &hash).await {
        return Err(super::unavailable(lang, session, &e));
    }
    audit(
        state,
        session,
        Action::EnrolmentCreated,
        &row.id,
        &f.checkpoint,
    )
    .await;
    Ok(html! {
        div.card.notice id="enrol-result" role="status" {
            p { (Message::new(fl!("console-enrol-made")).arg("checkpoint", &name).arg("expires", crate::db::vietnam_text(&row.expires_at, "%Y-%m-%d %H:%M")).render(lang)) }
            div.qr { (PreEscaped(svg)) }
            p { code.token id="enrol-text" { (text) } }
        }
    })
}

pub async fn revoke(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<RevokeForm, Admin>,
) -> Response {
    let id = f.id.trim().to_ascii_lowercase();
    if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return super::bad_request(lang, &session);
    }
    let now = crate::db::timestamp(Utc::now());
    match state.db.revoke_enrolment_managed(&id, &now, &manages).await {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(n)) => {
            if n > 0 {
                audit(&state, &session, Action::EnrolmentRevoked, &id, "").await;
            }
            super::page::see_other("/kiosks", &[])
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}
