//! Follow-up on the console, for flagged visitors and reports alike: the
//! latest step of each, the form that records the next one, and storing it
//! as a follow-up record (what the kiosks send), audited.

use std::collections::HashMap;

use axum::response::Response;
use checkpoint_i18n::{Lang, fl, t};
use checkpoint_wire::{FOLLOW_UP_NOTE_MAX, FollowUp, FollowUpState, RecordKind};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::extract::{Officer, SignedIn};
use super::page::{parse, see_other};
use super::session::Session;
use super::{ConsoleState, audit};
use crate::audit::Action;
use crate::db::{ExportRow, NewRecord};
use crate::stats::vietnam;

/// The form of a step: on what (a declaration or a report), which state,
/// a note, and the page to return to.
#[derive(Debug, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    subject: Uuid,
    state: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    page: u64,
}

super::extract::with_csrf!(StepForm);

/// The latest step of each subject, by the time it was taken.
pub(super) fn latest_of(steps: &[ExportRow]) -> HashMap<Uuid, FollowUp> {
    let mut latest: HashMap<Uuid, FollowUp> = HashMap::new();
    for step in steps.iter().filter_map(parse::<FollowUp>) {
        if latest
            .get(&step.declaration_id)
            .is_none_or(|l| l.at <= step.at)
        {
            latest.insert(step.declaration_id, step);
        }
    }
    latest
}

/// The current state, who set it, when, and the note.
pub(super) fn state_line(lang: Lang, latest: Option<&FollowUp>) -> Markup {
    let current = latest.map_or(FollowUpState::New, |s| s.state);
    html! {
        p.state {
            strong { (t(lang, current.label_id())) }
            @if let Some(step) = latest {
                " · " (step.by) " · " (step.at.with_timezone(&vietnam()).format("%d/%m %H:%M"))
                @if !step.note.is_empty() { " · " (step.note) }
            }
        }
    }
}

/// The form that records the next step, posted to `action`.
pub(super) fn step_form(
    lang: Lang,
    session: &Session,
    action: &str,
    subject: Uuid,
    latest: Option<&FollowUp>,
    page_no: u64,
) -> Markup {
    let current = latest.map_or(FollowUpState::New, |s| s.state);
    html! {
        form method="post" action=(action) {
            input type="hidden" name="csrf" value=(session.csrf);
            input type="hidden" name="subject" value=(subject);
            input type="hidden" name="page" value=(page_no);
            select name="state" aria-label=(t(lang, fl!("console-next-step"))) {
                @for s in FollowUpState::ALL {
                    option value=(s.as_str()) selected[s == current] { (t(lang, s.label_id())) }
                }
            }
            input type="text" name="note" maxlength=(FOLLOW_UP_NOTE_MAX) placeholder=(t(lang, fl!("console-note")));
            button type="submit" { (t(lang, fl!("console-save-step"))) }
        }
    }
}

/// Records a step on a record of `kind` the account may see, then sends
/// the browser back to `list` at the form's page.
pub(super) async fn record(
    state: &ConsoleState,
    officer: Officer,
    f: StepForm,
    kind: RecordKind,
    list: &str,
) -> Response {
    let Officer {
        signed_in: SignedIn { session, lang, .. },
        access,
    } = officer;
    // Only a record this account may see (its groups' checkpoints).
    match state.db.record_of_kind(&access, kind, f.subject).await {
        Ok(Some(_)) => {}
        Ok(None) => return super::not_for_role(lang, &session),
        Err(e) => return super::unavailable(lang, &session, &e),
    }
    let Some(step_state) = FollowUpState::parse(&f.state) else {
        return super::bad_request(lang, &session);
    };
    let step = FollowUp {
        declaration_id: f.subject,
        state: step_state,
        by: session.account.clone(),
        at: Utc::now(),
        note: f.note.chars().take(FOLLOW_UP_NOTE_MAX).collect(),
    };
    let record = NewRecord {
        id: Uuid::now_v7(),
        kind: RecordKind::FollowUp,
        created_at: step.at,
        body: serde_json::to_string(&step).unwrap_or_default(),
    };
    if let Err(e) = state.db.insert(super::CONSOLE_SOURCE, vec![record]).await {
        return super::unavailable(lang, &session, &e);
    }
    audit(
        state,
        &session,
        Action::FollowUpRecorded,
        &f.subject.to_string(),
        step_state.as_str(),
    )
    .await;
    see_other(&format!("{list}?page={}", f.page), &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_i18n::Localizer;

    /// A state added to `FollowUpState` without its label in both languages
    /// fails here (its SQL and retention rule are exhaustive matches in
    /// `checkpoint_wire::follow_up`, which do not compile without it).
    #[test]
    fn every_follow_up_state_has_a_label_in_both_languages() {
        for lang in [Lang::Vi, Lang::En] {
            for state in FollowUpState::ALL {
                assert!(
                    Localizer::global().has(lang, state.label_id()),
                    "{lang:?} {state:?}"
                );
            }
        }
    }
}
