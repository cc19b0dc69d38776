//! A page of records followed up on the console (flagged visitors, reports):
//! their bodies read, each with its latest follow-up step, the view audited,
//! drawn as a title, a total, one card each, a note of what could not be
//! read and the pager. The pages differ only in what they list and how a
//! card looks.

use axum::http::StatusCode;
use axum::response::Response;
use checkpoint_i18n::{Lang, Message, t};
use checkpoint_wire::FollowUp;
use maud::{Markup, html};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::page::{self, page, pager, parsed, respond};
use super::session::Session;
use super::{ConsoleState, audit, follow_up};
use crate::accounts::PersonalAccess;
use crate::audit::Action;
use crate::db::ExportRow;

/// Records on a page.
pub(super) const PER_PAGE: u64 = 50;

/// A record the console follows up, by its id.
pub(super) trait Followed: DeserializeOwned {
    fn id(&self) -> Uuid;
}

impl Followed for checkpoint_domain::declaration::Record {
    fn id(&self) -> Uuid {
        self.record_id
    }
}

impl Followed for checkpoint_domain::declaration::report::ReportRecord {
    fn id(&self) -> Uuid {
        self.record_id
    }
}

/// What a list page is: its words and what a view of it is audited as.
pub(super) struct ListKind {
    pub title: &'static str,
    /// The Fluent id of "{ $count } …", and the id of its paragraph.
    pub total: (&'static str, &'static str),
    pub viewed: Action,
}

/// One page of the list: `found` (the page's rows of `total`) read and given
/// their latest steps, the view audited, each drawn by `card` (the record,
/// its latest step), answered as a page.
pub(super) async fn respond_with<T: Followed>(
    state: &ConsoleState,
    access: &PersonalAccess,
    (session, lang, set_lang): (&Session, Lang, bool),
    kind: ListKind,
    (found, total): (&[ExportRow], u64),
    page_no: u64,
    card: impl Fn(&T, Option<&FollowUp>) -> Markup,
) -> Response {
    let (records, unreadable) = parsed::<T>(found);
    let ids = records.iter().map(|r| r.id().to_string()).collect();
    let steps = match state.db.follow_ups_of(access, ids).await {
        Ok(s) => s,
        Err(e) => return super::unavailable(lang, session, &e),
    };
    let latest = follow_up::latest_of(&steps);
    audit(
        state,
        session,
        kind.viewed,
        "",
        &format!("{{\"page\":{page_no},\"shown\":{}}}", records.len()),
    )
    .await;
    let title = t(lang, kind.title);
    let (total_id, total_element) = kind.total;
    let body = html! {
        h2 { (title) }
        p.muted id=(total_element) { (Message::new(total_id).arg("count", total).render(lang)) }
        @for r in &records { (card(r, latest.get(&r.id()))) }
        (page::unreadable_note(lang, &unreadable))
        (pager(page_no, total, PER_PAGE))
    };
    respond(
        StatusCode::OK,
        page(lang, &title, Some(session), body),
        set_lang.then_some(lang),
    )
}
