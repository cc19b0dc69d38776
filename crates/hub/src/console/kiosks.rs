//! Kiosks: each kiosk's heartbeat, last batch, queue depth, version,
//! devices and its own count of today's check-ins (every role, within its
//! groups: no personal data). Admins also issue and revoke kiosk tokens,
//! add checkpoints and assign kiosks to them here; each change is audited.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use checkpoint_domain::address;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::{DateTime, Duration, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use super::enrolments;
use super::extract::{Admin, Posted, SignedIn};
use super::page::{link, page, respond, see_other};
use super::session::Session;
use super::{ConsoleState, audit};
use crate::accounts::Role;
use crate::audit::Action;
use crate::db::{Checkpoint, RevokeSelector, TokenInfo};
use crate::stats::{KioskHealth, day_of, vietnam};
use crate::{auth, checkpoints};

pub async fn show(
    State(state): State<ConsoleState>,
    SignedIn {
        session,
        lang,
        set_lang,
    }: SignedIn,
) -> Response {
    render(&state, &session, lang, set_lang, None).await
}

/// The page, with an optional result line (a new token, a refusal).
async fn render(
    state: &ConsoleState,
    session: &Session,
    lang: Lang,
    set_lang: bool,
    result: Option<Markup>,
) -> Response {
    let now = Utc::now();
    let scope = session.scope();
    let kiosks = match state.db.kiosk_health(&scope, day_of(now)).await {
        Ok(k) => k,
        Err(e) => return super::unavailable(lang, session, &e),
    };
    let admin = session.role == Role::Admin;
    let checkpoints = match state.db.checkpoints(&scope).await {
        Ok(c) => c,
        Err(e) => return super::unavailable(lang, session, &e),
    };
    let (tokens, codes) = if admin {
        // What this admin manages: the whole hub's, or its groups'.
        let manages = crate::manages::Manages::admin_of(&session.groups);
        match (
            state.db.tokens_managed(&manages).await,
            state.db.enrolments_managed(&manages).await,
        ) {
            (Ok(t), Ok(c)) => (t, c),
            (Err(e), _) | (_, Err(e)) => return super::unavailable(lang, session, &e),
        }
    } else {
        (vec![], vec![])
    };
    let names = crate::db::names_of(&checkpoints);
    let body = html! {
        h2 { (t(lang, fl!("console-kiosks"))) }
        @if let Some(r) = result { (r) }
        (health_table(lang, &kiosks, now, state.settings.silent_after, &names))
        @if admin {
            (enrolments::section(lang, session, &checkpoints, &codes))
            (tokens_section(lang, session, &tokens))
            (checkpoints_section(lang, session, &checkpoints))
        }
    };
    let title = t(lang, fl!("console-kiosks"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(session), body),
        set_lang.then_some(lang),
    )
}

/// "12 min ago", "3 h ago", or the date.
fn ago(lang: Lang, at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(at) = at else {
        return t(lang, fl!("console-never"));
    };
    let minutes = (now - at).num_minutes().max(0);
    match minutes {
        0 => t(lang, fl!("console-just-now")),
        1..=119 => Message::new(fl!("console-minutes-ago"))
            .arg("n", minutes)
            .render(lang),
        120..=2879 => Message::new(fl!("console-hours-ago"))
            .arg("n", minutes / 60)
            .render(lang),
        _ => at
            .with_timezone(&vietnam())
            .format("%d/%m/%Y %H:%M")
            .to_string(),
    }
}

/// `POST /kiosks/enrol`: an admin makes an enrolment code, shown on this page.
pub async fn enrol(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<enrolments::MakeForm, Admin>,
) -> Response {
    match enrolments::make_code(&state, &session, &manages, lang, &headers, &f).await {
        Ok(shown) => render(&state, &session, lang, false, Some(shown)).await,
        Err(answer) => answer,
    }
}

/// The kiosks' health; `names` gives each checkpoint id its name.
pub fn health_table(
    lang: Lang,
    kiosks: &[KioskHealth],
    now: DateTime<Utc>,
    silent_after: Duration,
    names: &HashMap<&str, &str>,
) -> Markup {
    html! {
        @if kiosks.is_empty() {
            p.muted { (t(lang, fl!("console-no-kiosks"))) }
        } @else {
            div.scroll { table id="kiosks" {
                thead { tr {
                    th { (t(lang, fl!("console-kiosk-column"))) }
                    th { (t(lang, fl!("console-checkpoint"))) }
                    th { (t(lang, fl!("console-kiosk-state"))) }
                    th { (t(lang, fl!("console-last-heard"))) }
                    th.num { (t(lang, fl!("console-queue"))) }
                    th { (t(lang, fl!("console-camera"))) }
                    th { (t(lang, fl!("console-bluetooth"))) }
                    th.num { (t(lang, fl!("console-own-checkins"))) }
                    th { (t(lang, fl!("console-version"))) }
                } }
                tbody {
                    @for k in kiosks {
                        @let silent = k.is_silent(now, silent_after);
                        tr id=(format!("kiosk-{}", k.kiosk_id)) {
                            td { (k.kiosk_id) }
                            td { @if let Some(c) = &k.checkpoint_id { a href=(link("checkpoint", c)) { (names.get(c.as_str()).copied().unwrap_or(c)) } } @else { "–" } }
                            td { @if silent { span.flag { (t(lang, fl!("console-silent"))) } } @else { (t(lang, fl!("console-heard"))) } }
                            td { (ago(lang, k.last_heard(), now))
                                @if let Some(e) = &k.last_sync_error { br; span.error title=(e) { (t(lang, fl!("console-sync-failing"))) } } }
                            td.num { (k.queue_depth.map_or("–".to_owned(), |n| n.to_string())) }
                            td { (device(lang, k.camera.as_deref())) }
                            td { (device(lang, k.bluetooth.as_deref())) }
                            td.num { (k.checkins_today) }
                            td { (k.software_version.as_deref().unwrap_or("–")) }
                        }
                    }
                }
            } }
        }
    }
}

/// A device state in words; one this hub does not know, as it came.
fn device(lang: Lang, state: Option<&str>) -> String {
    let Some(state) = state else {
        return "–".to_owned();
    };
    let id = format!("console-device-{state}");
    if checkpoint_i18n::Localizer::global().has(lang, &id) {
        t(lang, &id)
    } else {
        state.to_owned()
    }
}

fn tokens_section(lang: Lang, session: &Session, tokens: &[TokenInfo]) -> Markup {
    html! {
        section.card id="tokens" {
            h3 { (t(lang, fl!("console-tokens"))) }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, fl!("console-token-id"))) }
                    th { (t(lang, fl!("console-kiosk-column"))) }
                    th { (t(lang, fl!("console-token-label"))) }
                    th { (t(lang, fl!("console-token-state"))) }
                } }
                tbody {
                    @for tk in tokens {
                        tr {
                            td { code { (auth::token_id(&tk.hash)) } }
                            td { (tk.kiosk_id) }
                            td { (tk.label) }
                            td {
                                @if tk.revoked_at.is_some() {
                                    (t(lang, fl!("console-token-revoked")))
                                } @else {
                                    form.inline method="post" action="/kiosks/revoke" {
                                        input type="hidden" name="csrf" value=(session.csrf);
                                        input type="hidden" name="id" value=(auth::token_id(&tk.hash));
                                        button.danger type="submit" id=(format!("revoke-{}", auth::token_id(&tk.hash))) { (t(lang, fl!("console-token-revoke"))) }
                                    }
                                }
                            }
                        }
                    }
                }
            } }
            form method="post" action="/kiosks/token" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="token-kiosk" { (t(lang, fl!("console-kiosk-column"))) }
                input id="token-kiosk" type="text" name="kiosk" required maxlength="64";
                label for="token-label" { (t(lang, fl!("console-token-label"))) }
                input id="token-label" type="text" name="label" maxlength="120";
                button id="issue-token" type="submit" { (t(lang, fl!("console-token-issue"))) }
            }
        }
    }
}

/// A checkpoint's ward and province, by name.
fn place_of(c: &Checkpoint) -> String {
    let ward = address::ward(&c.ward).map(|w| w.name.as_str());
    let province = address::province(&c.province).map(|p| p.name.as_str());
    let parts: Vec<&str> = [ward, province].into_iter().flatten().collect();
    parts.join(", ")
}

fn checkpoints_section(lang: Lang, session: &Session, list: &[Checkpoint]) -> Markup {
    html! {
        section.card id="checkpoints-admin" {
            h3 { (t(lang, fl!("console-checkpoints"))) }
            div.scroll { table {
                thead { tr {
                    th { (t(lang, fl!("console-checkpoint-id"))) }
                    th { (t(lang, fl!("console-checkpoint"))) }
                    th { (t(lang, fl!("console-place"))) }
                    th { (t(lang, fl!("console-group"))) }
                    th { (t(lang, fl!("console-kiosks"))) }
                } }
                tbody {
                    @for c in list {
                        tr { td { code { (c.id) } } td { (c.name) } td { (place_of(c)) } td { (c.group) } td { (c.kiosks.join(", ")) } }
                    }
                }
            } }
            form method="post" action="/kiosks/checkpoint" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="cp-id" { (t(lang, fl!("console-checkpoint-id"))) }
                input id="cp-id" type="text" name="id" required maxlength="40" pattern="[a-z0-9-]+";
                label for="cp-name" { (t(lang, fl!("console-checkpoint"))) }
                input id="cp-name" type="text" name="name" required maxlength="120";
                label for="cp-province" { (t(lang, fl!("console-province"))) }
                select id="cp-province" name="province" {
                    option value="" { "–" }
                    @for p in address::search_provinces("", 100) { option value=(p.code) { (p.name) } }
                }
                label for="cp-ward" { (t(lang, fl!("console-ward"))) }
                input id="cp-ward" type="text" name="ward" maxlength="80";
                label for="cp-group" { (t(lang, fl!("console-group"))) }
                input id="cp-group" type="text" name="group" maxlength="80";
                button id="add-checkpoint" type="submit" { (t(lang, fl!("console-checkpoint-add"))) }
            }
            form method="post" action="/kiosks/assign" {
                input type="hidden" name="csrf" value=(session.csrf);
                label for="assign-kiosk" { (t(lang, fl!("console-kiosk-column"))) }
                input id="assign-kiosk" type="text" name="kiosk" required maxlength="64";
                label for="assign-checkpoint" { (t(lang, fl!("console-checkpoint"))) }
                select id="assign-checkpoint" name="checkpoint" {
                    @for c in list { option value=(c.id) { (c.name) } }
                }
                button id="assign" type="submit" { (t(lang, fl!("console-assign"))) }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    kiosk: String,
    #[serde(default)]
    label: String,
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

#[derive(Debug, Deserialize)]
pub struct CheckpointForm {
    #[serde(default)]
    csrf: String,
    id: String,
    name: String,
    #[serde(default)]
    province: String,
    #[serde(default)]
    ward: String,
    #[serde(default)]
    group: String,
}

#[derive(Debug, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    kiosk: String,
    checkpoint: String,
}

super::extract::with_csrf!(TokenForm, RevokeForm, CheckpointForm, AssignForm);

fn kiosk_id_ok(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

pub async fn issue_token(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<TokenForm, Admin>,
) -> Response {
    let kiosk = f.kiosk.trim();
    if !kiosk_id_ok(kiosk) {
        return super::bad_request(lang, &session);
    }
    let token = auth::generate_token();
    let hash = auth::hash_token(&token);
    let label: String = f.label.trim().chars().take(120).collect();
    match state
        .db
        .add_token_managed(&hash, kiosk, &label, &manages)
        .await
    {
        Ok(Some(())) => {}
        Ok(None) => return super::not_for_role(lang, &session),
        Err(e) => return super::unavailable(lang, &session, &e),
    }
    audit(
        &state,
        &session,
        Action::TokenIssued,
        kiosk,
        auth::token_id(&hash),
    )
    .await;
    let shown = html! {
        div.card.notice id="new-token" role="status" {
            p { (Message::new(fl!("console-token-once")).arg("kiosk", kiosk).render(lang)) }
            p { code.token { (token) } }
        }
    };
    render(&state, &session, lang, false, Some(shown)).await
}

pub async fn revoke_token(
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
    let id = f.id.trim();
    if id.len() < 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return super::bad_request(lang, &session);
    }
    let selector = RevokeSelector::Id(id.to_owned());
    match state.db.revoke_managed(&selector, &manages).await {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(n)) => {
            audit(
                &state,
                &session,
                Action::TokenRevoked,
                id,
                &format!("{{\"revoked\":{n}}}"),
            )
            .await;
            see_other("/kiosks", &[])
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}

pub async fn add_checkpoint(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<CheckpointForm, Admin>,
) -> Response {
    let province = f.province.trim().to_owned();
    let ward = checkpoints::ward_code_of(&f.ward, &province);
    let checkpoint = Checkpoint {
        id: f.id.trim().to_owned(),
        name: f.name.trim().to_owned(),
        ward: ward.clone().unwrap_or_default(),
        province,
        group: f.group.trim().to_owned(),
        kiosks: vec![],
    };
    let refusal = match ward.and_then(|_| checkpoints::check(&checkpoint)) {
        Err(p) => Some(p.message()),
        Ok(()) => match state.db.add_checkpoint_managed(&checkpoint, &manages).await {
            Ok(Some(true)) => None,
            Ok(Some(false)) => {
                Some(Message::new(fl!("hub-checkpoint-exists")).arg("id", &checkpoint.id))
            }
            // An admin of some groups adds checkpoints to them only.
            Ok(None) => Some(Message::new(fl!("console-outside-groups"))),
            Err(e) => return super::unavailable(lang, &session, &e),
        },
    };
    match refusal {
        Some(m) => {
            let line = html! { p.error role="alert" id="form-error" { (m.render(lang)) } };
            render(&state, &session, lang, false, Some(line)).await
        }
        None => {
            audit(
                &state,
                &session,
                Action::CheckpointAdded,
                &checkpoint.id,
                "",
            )
            .await;
            see_other("/kiosks", &[])
        }
    }
}

pub async fn assign(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<AssignForm, Admin>,
) -> Response {
    let kiosk = f.kiosk.trim();
    if !kiosk_id_ok(kiosk) {
        return super::bad_request(lang, &session);
    }
    match state
        .db
        .assign_kiosk_managed(kiosk, &f.checkpoint, &manages)
        .await
    {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(Some(attached))) => {
            let detail = format!(
                "{{\"checkpoint\":{:?},\"attached\":{attached}}}",
                f.checkpoint
            );
            audit(&state, &session, Action::KioskAssigned, kiosk, &detail).await;
            see_other("/kiosks", &[])
        }
        Ok(Some(None)) => super::bad_request(lang, &session),
        Err(e) => super::unavailable(lang, &session, &e),
    }
}
