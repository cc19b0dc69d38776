//! The audit log: who stored, viewed, exported or purged what, and when.
//! Append-only (triggers refuse UPDATE and DELETE), and free of personal
//! data: entries name records by id and operations by counts.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, time};

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A visitor submitting at the kiosk window.
    Visitor,
    /// Staff, through the PIN-protected screens.
    Staff,
    /// An operator at the command line.
    Operator,
    /// The kiosk itself (retention, sync).
    System,
}

impl Actor {
    pub fn key(self) -> &'static str {
        match self {
            Actor::Visitor => "visitor",
            Actor::Staff => "staff",
            Actor::Operator => "operator",
            Actor::System => "system",
        }
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    DeclarationStored,
    ReportStored,
    RecordViewed,
    Exported,
    Purged,
    /// Staff opened the staff screen with the PIN.
    StaffSignedIn,
    /// Staff looked at today's flagged visitors (names on screen).
    FlaggedViewed,
    /// Staff unlocked document-verified fields for one visitor.
    FieldsUnlocked,
    /// Staff changed settings (which ones in the detail; never values of personal data).
    SettingsChanged,
    /// Staff changed the PIN.
    PinChanged,
    /// Staff closed the kiosk window.
    KioskClosed,
    /// Staff recorded a step of a flagged visitor's follow-up (record id =
    /// the declaration; state and who in the detail).
    FollowUpRecorded,
    /// Staff or an operator imported a DCC trust list (its source and counts in the detail).
    TrustListImported,
    /// The kiosk joined a hub with an enrolment code (old and new kiosk id,
    /// how many unsent records were re-labelled, in the detail).
    KioskEnrolled,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::DeclarationStored => "declaration_stored",
            Action::ReportStored => "report_stored",
            Action::RecordViewed => "record_viewed",
            Action::Exported => "exported",
            Action::Purged => "purged",
            Action::StaffSignedIn => "staff_signed_in",
            Action::FlaggedViewed => "flagged_viewed",
            Action::FieldsUnlocked => "fields_unlocked",
            Action::SettingsChanged => "settings_changed",
            Action::PinChanged => "pin_changed",
            Action::KioskClosed => "kiosk_closed",
            Action::FollowUpRecorded => "follow_up_recorded",
            Action::TrustListImported => "trust_list_imported",
            Action::KioskEnrolled => "kiosk_enrolled",
        }
    }
}

/// One line of the audit log, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record_id: Option<String>,
    pub detail: String,
}

/// Appends one entry inside the caller's transaction.
pub(crate) fn append(
    conn: &Connection,
    at: DateTime<Utc>,
    actor: Actor,
    action: Action,
    record_id: Option<&str>,
    detail: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, record_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        time::format(at),
        actor.key(),
        action.key(),
        record_id,
        detail
    ])?;
    Ok(())
}

impl Store {
    /// Records a staff action on its own (e.g. a record shown on screen).
    pub fn audit(
        &mut self,
        actor: Actor,
        action: Action,
        record_id: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| StoreError::from_sqlite(&path, e))?;
        append(&tx, Utc::now(), actor, action, record_id, detail)
            .and_then(|()| tx.commit())
            .map_err(|e| StoreError::from_sqlite(&path, e))
    }

    /// The newest `limit` entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let run = || -> rusqlite::Result<Vec<AuditEntry>> {
            let mut stmt = self.conn.prepare(
                "SELECT seq, at, actor, action, record_id, detail FROM audit_log
                 ORDER BY seq DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    record_id: r.get(4)?,
                    detail: r.get(5)?,
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| self.sqlite_err(e))
    }
}
