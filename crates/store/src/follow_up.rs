//! Flagged visitors and their follow-up: each step staff record is stored,
//! audited and queued for the hub in one transaction, and the declaration
//! keeps its latest state so the waiting list and retention read one column.

use chrono::Utc;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::audit::{self, Action, Actor};
use super::{Store, StoreError, time};
use checkpoint_domain::declaration::Problem;
use checkpoint_i18n::{Message, fl};
use checkpoint_wire::follow_up_sql::{self as sql, Column};
use checkpoint_wire::{FOLLOW_UP_BY_MAX, FOLLOW_UP_NOTE_MAX, FollowUp, FollowUpState};

/// A declaration's latest follow-up state (schema V5: `new` until a step).
pub(crate) const FOLLOW_UP: Column<'static> = Column::NotNull("follow_up");

impl Store {
    /// Records one step of a flagged visitor's follow-up: the step (a
    /// `follow-up` record for the hub), the declaration's new state and an
    /// audit entry, all or nothing. Returns the step's record id.
    pub fn record_follow_up(&mut self, step: &FollowUp, actor: Actor) -> Result<Uuid, StoreError> {
        let step = checked(step)?;
        let json = serde_json::to_string(&step).map_err(|e| StoreError::BadRecord {
            id: step.declaration_id.to_string(),
            reason: e.to_string(),
        })?;
        let id = Uuid::now_v7();
        let now = Utc::now();
        let declaration = step.declaration_id.to_string();
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let changed = tx
            .execute(
                "UPDATE declarations SET follow_up = ?2 WHERE record_id = ?1 AND flagged = 1",
                params![declaration, step.state.as_str()],
            )
            .map_err(err)?;
        if changed == 0 {
            return Err(StoreError::BadRecord {
                id: declaration,
                reason: "no flagged declaration with this id".to_owned(),
            });
        }
        tx.execute(
            "INSERT INTO follow_ups (record_id, kiosk_id, submitted_at, stored_at,
                                     declaration_id, state, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id.to_string(),
                self.kiosk_id,
                time::format(step.at),
                time::format(now),
                declaration,
                step.state.as_str(),
                json
            ],
        )
        .map_err(err)?;
        // Who acted and what they set; never the visitor's data.
        let detail = serde_json::json!({ "state": step.state.as_str(), "by": step.by }).to_string();
        audit::append(
            &tx,
            now,
            actor,
            Action::FollowUpRecorded,
            Some(&declaration),
            &detail,
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        tracing::info!(record = %id, declaration = %declaration, state = step.state.as_str(), "follow-up recorded");
        Ok(id)
    }

    /// Every step recorded for one declaration, oldest first. A step that
    /// cannot be read is skipped (and logged).
    pub fn follow_ups_of(&self, declaration_id: &Uuid) -> Result<Vec<FollowUp>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT record FROM follow_ups WHERE declaration_id = ?1
                  ORDER BY submitted_at, seq",
            )
            .map_err(|e| self.sqlite_err(e))?;
        let rows = stmt
            .query_map([declaration_id.to_string()], |r| r.get::<_, String>(0))
            .map_err(|e| self.sqlite_err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let json = row.map_err(|e| self.sqlite_err(e))?;
            match serde_json::from_str::<FollowUp>(&json) {
                Ok(step) => out.push(step),
                Err(e) => tracing::warn!(%declaration_id, error = %e, "follow-up unreadable"),
            }
        }
        Ok(out)
    }

    /// A flagged declaration's current state; `None` when there is no such
    /// flagged declaration.
    pub fn follow_up_state(
        &self,
        declaration_id: &Uuid,
    ) -> Result<Option<FollowUpState>, StoreError> {
        let state: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT follow_up FROM declarations WHERE record_id = ?1 AND flagged = 1",
            )
            .and_then(|mut s| {
                s.query_row([declaration_id.to_string()], |r| r.get(0))
                    .optional()
            })
            .map_err(|e| self.sqlite_err(e))?;
        Ok(state.as_deref().and_then(FollowUpState::parse))
    }

    /// Flagged visitors nobody has attended to yet (state `new`), whenever
    /// they came: what the kiosk's "waiting for staff" badge counts.
    pub fn waiting_for_staff(&self) -> Result<u64, StoreError> {
        self.count_flagged(&sql::waiting(FOLLOW_UP))
    }

    /// Flagged visitors not cleared yet: the length of the staff list.
    pub fn open_flags(&self) -> Result<u64, StoreError> {
        self.count_flagged(&sql::open(FOLLOW_UP))
    }

    fn count_flagged(&self, condition: &str) -> Result<u64, StoreError> {
        let sql = format!("SELECT count(*) FROM declarations WHERE flagged = 1 AND {condition}");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row([], |r| r.get::<_, i64>(0)))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| self.sqlite_err(e))
    }
}

/// Trims what staff typed and refuses a step without a name, or too long.
fn checked(step: &FollowUp) -> Result<FollowUp, StoreError> {
    let by = step.by.trim().to_owned();
    let note = step.note.trim().to_owned();
    let mut problems = Vec::new();
    if by.is_empty() {
        problems.push(Problem {
            field: "by".to_owned(),
            message: Message::new(fl!("follow-up-by-missing")),
        });
    } else if by.chars().count() > FOLLOW_UP_BY_MAX {
        problems.push(Problem {
            field: "by".to_owned(),
            message: Message::new(fl!("follow-up-too-long")).arg("max", FOLLOW_UP_BY_MAX),
        });
    }
    if note.chars().count() > FOLLOW_UP_NOTE_MAX {
        problems.push(Problem {
            field: "note".to_owned(),
            message: Message::new(fl!("follow-up-too-long")).arg("max", FOLLOW_UP_NOTE_MAX),
        });
    }
    if !problems.is_empty() {
        return Err(StoreError::Invalid(problems));
    }
    Ok(FollowUp {
        by,
        note,
        ..step.clone()
    })
}
