//! Accounts on the console: everyone changes their own password (the
//! current one first, throttled like sign-in; every session of the account
//! ends after); admins add accounts, disable them and reset passwords (a
//! generated password, shown once). Every change is audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, fl, t};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::extract::{Admin, Posted, SignedIn};
use super::page::{page, respond, see_other};
use super::session::{self, Session};
use super::{ConsoleState, audit};
use crate::accounts::{self, Account, Role};
use crate::audit::Action;
use crate::db::split_groups;
use crate::manages::Manages;

pub async fn show_own(
    SignedIn {
        session,
        lang,
        set_lang,
    }: SignedIn,
) -> Response {
    own_page(lang, &session, StatusCode::OK, None, set_lang)
}

fn own_page(
    lang: Lang,
    session: &Session,
    status: StatusCode,
    problem: Option<String>,
    set_lang: bool,
) -> Response {
    let body = html! {
        h2 { (t(lang, fl!("console-account"))) }
        p { (Message::new(fl!("console-signed-in-as"))
                .arg("name", &session.account)
                .arg("role", t(lang, &format!("console-role-{}", session.role.as_str())))
                .render(lang)) }
        @if let Some(p) = problem { p.error id="form-error" role="alert" { (p) } }
        form.card method="post" action="/account/password" {
            h3 { (t(lang, fl!("console-change-password"))) }
            input type="hidden" name="csrf" value=(session.csrf);
            label for="current" { (t(lang, fl!("console-current-password"))) }
            input id="current" type="password" name="current" required autocomplete="current-password";
            label for="new" { (t(lang, fl!("console-new-password"))) }
            input id="new" type="password" name="new" required minlength="10" autocomplete="new-password";
            label for="repeat" { (t(lang, fl!("console-repeat-password"))) }
            input id="repeat" type="password" name="repeat" required minlength="10" autocomplete="new-password";
            p { button id="change-password" type="submit" { (t(lang, fl!("console-change-password"))) } }
        }
    };
    let title = t(lang, fl!("console-account"));
    respond(
        status,
        page(lang, &title, Some(session), body),
        set_lang.then_some(lang),
    )
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

pub async fn change_password(
    State(state): State<ConsoleState>,
    Posted {
        who: SignedIn { session, lang, .. },
        form: f,
    }: Posted<PasswordForm>,
) -> Response {
    let now = Utc::now();
    let refuse = |status, message: String| own_page(lang, &session, status, Some(message), false);
    if let Some(until) = state.throttle.blocked_until(&session.account, now).await {
        let minutes = ((until - now).num_seconds() + 59) / 60;
        let m = Message::new(fl!("console-throttled")).arg("minutes", minutes);
        return refuse(StatusCode::TOO_MANY_REQUESTS, m.render(lang));
    }
    let account = state.db.account(&session.account).await.ok().flatten();
    if !state.hashing.verify(account, f.current.clone()).await {
        state.throttle.failed(&session.account, now).await;
        audit(
            &state,
            &session,
            Action::PasswordChangeRefused,
            &session.account,
            "",
        )
        .await;
        return refuse(
            StatusCode::UNAUTHORIZED,
            t(lang, fl!("console-wrong-current")),
        );
    }
    if f.new != f.repeat {
        return refuse(
            StatusCode::BAD_REQUEST,
            t(lang, fl!("console-passwords-differ")),
        );
    }
    let hash = match state.hashing.hash(f.new.clone()).await {
        Ok(h) => h,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.message().render(lang)),
    };
    match state.db.set_password(&session.account, &hash).await {
        Ok(true) => {}
        Ok(false) => return see_other("/login", &[session::cookie("")]),
        Err(e) => return super::unavailable(lang, &session, &e),
    }
    state.throttle.succeeded(&session.account).await;
    audit(
        &state,
        &session,
        Action::PasswordChanged,
        &session.account,
        "",
    )
    .await;
    // Every session of the account ends, this one too: sign in with the new one.
    state.sessions.end_all_of(&session.account).await;
    see_other("/login?changed=1", &[session::cookie("")])
}

pub async fn show_all(
    State(state): State<ConsoleState>,
    Admin {
        signed_in: SignedIn {
            session,
            lang,
            set_lang,
        },
        manages,
    }: Admin,
) -> Response {
    users_page(&state, &session, &manages, lang, set_lang, None).await
}

async fn users_page(
    state: &ConsoleState,
    session: &Session,
    manages: &Manages,
    lang: Lang,
    set_lang: bool,
    result: Option<Markup>,
) -> Response {
    let list = match state.db.accounts_managed(manages, &session.account).await {
        Ok(l) => l,
        Err(e) => return super::unavailable(lang, session, &e),
    };
    let body = html! {
        h2 { (t(lang, fl!("console-users"))) }
        @if let Some(r) = result { (r) }
        div.scroll { table id="users" {
            thead { tr {
                th { (t(lang, fl!("console-name"))) }
                th { (t(lang, fl!("console-role"))) }
                th { (t(lang, fl!("console-group"))) }
                th { (t(lang, fl!("console-token-state"))) }
                th {}
            } }
            tbody {
                @for a in &list {
                    tr id=(format!("user-{}", a.name)) {
                        td { (a.name) }
                        td { (t(lang, &format!("console-role-{}", a.role.as_str()))) }
                        td { @if a.groups.is_empty() { (t(lang, fl!("hub-user-all-groups"))) } @else { (a.groups.join(", ")) } }
                        td { @if a.is_disabled() { span.flag { (t(lang, fl!("console-user-disabled"))) } } @else { (t(lang, fl!("console-user-active"))) } }
                        td {
                            @if a.name != session.account {
                                form.inline method="post" action="/users/reset" {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    input type="hidden" name="name" value=(a.name);
                                    button type="submit" id=(format!("reset-{}", a.name)) { (t(lang, fl!("console-user-reset"))) }
                                }
                            }
                            @if !a.is_disabled() && a.name != session.account {
                                " "
                                form.inline method="post" action="/users/disable" {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    input type="hidden" name="name" value=(a.name);
                                    button.danger type="submit" id=(format!("disable-{}", a.name)) { (t(lang, fl!("console-user-disable"))) }
                                }
                            }
                        }
                    }
                }
            }
        } }
        form.card method="post" action="/users/add" {
            h3 { (t(lang, fl!("console-user-add"))) }
            input type="hidden" name="csrf" value=(session.csrf);
            label for="user-name" { (t(lang, fl!("console-name"))) }
            input id="user-name" type="text" name="name" required maxlength="64";
            label for="user-role" { (t(lang, fl!("console-role"))) }
            select id="user-role" name="role" {
                @for r in [Role::Viewer, Role::HealthOfficer, Role::Admin] {
                    option value=(r.as_str()) { (t(lang, &format!("console-role-{}", r.as_str()))) }
                }
            }
            label for="user-groups" { (t(lang, fl!("console-user-groups"))) }
            input id="user-groups" type="text" name="groups" maxlength="400";
            p { button id="add-user" type="submit" { (t(lang, fl!("console-user-add"))) } }
        }
    };
    let title = t(lang, fl!("console-users"));
    respond(
        StatusCode::OK,
        page(lang, &title, Some(session), body),
        set_lang.then_some(lang),
    )
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    csrf: String,
    name: String,
    role: String,
    #[serde(default)]
    groups: String,
}

#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf: String,
    name: String,
}

super::extract::with_csrf!(PasswordForm, AddForm, NameForm);

/// A generated password, shown once.
fn password_shown(lang: Lang, name: &str, password: &str) -> Markup {
    html! {
        div.card.notice id="new-password" role="status" {
            p { (Message::new(fl!("console-password-once")).arg("name", name).render(lang)) }
            p { code.token { (password) } }
        }
    }
}

fn problem(message: String) -> Markup {
    html! { p.error id="form-error" role="alert" { (message) } }
}

pub async fn add(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<AddForm, Admin>,
) -> Response {
    let name = f.name.trim();
    let Some(role) = Role::parse(&f.role) else {
        return super::bad_request(lang, &session);
    };
    if let Err(e) = accounts::check_name(name) {
        return users_page(
            &state,
            &session,
            &manages,
            lang,
            false,
            Some(problem(e.message().render(lang))),
        )
        .await;
    }
    let password = accounts::generate_password();
    let hash = match state.hashing.hash(password.clone()).await {
        Ok(h) => h,
        Err(e) => {
            return users_page(
                &state,
                &session,
                &manages,
                lang,
                false,
                Some(problem(e.message().render(lang))),
            )
            .await;
        }
    };
    let account = Account {
        name: name.to_owned(),
        role,
        groups: split_groups(&f.groups),
        password_hash: hash,
        created_at: String::new(),
        disabled_at: None,
    };
    match state.db.add_account_managed(&account, &manages).await {
        Ok(None) => {
            // An admin of some groups adds accounts within them only.
            let m = t(lang, fl!("console-outside-groups"));
            users_page(&state, &session, &manages, lang, false, Some(problem(m))).await
        }
        Ok(Some(true)) => {
            audit(&state, &session, Action::UserAdded, name, role.as_str()).await;
            users_page(
                &state,
                &session,
                &manages,
                lang,
                false,
                Some(password_shown(lang, name, &password)),
            )
            .await
        }
        Ok(Some(false)) => {
            let m = Message::new(fl!("hub-user-exists"))
                .arg("name", name)
                .render(lang);
            users_page(&state, &session, &manages, lang, false, Some(problem(m))).await
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}

pub async fn disable(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<NameForm, Admin>,
) -> Response {
    if f.name == session.account {
        return super::bad_request(lang, &session);
    }
    match state.db.disable_account_managed(&f.name, &manages).await {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(_)) => {
            state.sessions.end_all_of(&f.name).await;
            audit(&state, &session, Action::UserDisabled, &f.name, "").await;
            see_other("/users", &[])
        }
        Err(e) => super::unavailable(lang, &session, &e),
    }
}

pub async fn reset(
    State(state): State<ConsoleState>,
    Posted {
        who:
            Admin {
                signed_in: SignedIn { session, lang, .. },
                manages,
            },
        form: f,
    }: Posted<NameForm, Admin>,
) -> Response {
    // One's own password is changed on the account page, with the current one.
    if f.name == session.account {
        return super::bad_request(lang, &session);
    }
    let password = accounts::generate_password();
    let hash = match state.hashing.hash(password.clone()).await {
        Ok(h) => h,
        Err(e) => {
            return users_page(
                &state,
                &session,
                &manages,
                lang,
                false,
                Some(problem(e.message().render(lang))),
            )
            .await;
        }
    };
    match state
        .db
        .set_password_managed(&f.name, &hash, &manages)
        .await
    {
        Ok(None) => super::not_for_role(lang, &session),
        Ok(Some(true)) => {
            state.sessions.end_all_of(&f.name).await;
            audit(&state, &session, Action::PasswordReset, &f.name, "").await;
            users_page(
                &state,
                &session,
                &manages,
                lang,
                false,
                Some(password_shown(lang, &f.name, &password)),
            )
            .await
        }
        Ok(Some(false)) => super::bad_request(lang, &session),
        Err(e) => super::unavailable(lang, &session, &e),
    }
}
