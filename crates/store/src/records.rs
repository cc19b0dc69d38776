//! Storing and reading declarations and reports.

use chrono::{DateTime, Local, Utc};
use rusqlite::{OptionalExtension as _, Transaction, params};
use serde::Serialize;
use uuid::Uuid;

use super::audit::{self, Action, Actor};
use super::queue::{DeliveryState, KindTable as _, Queued, SyncInfo};
use super::{Store, StoreError, time};
use checkpoint_domain::declaration::report::{ReportRecord, validate_report};
use checkpoint_domain::declaration::{Record, validate};
use checkpoint_domain::mask;
use checkpoint_wire::RecordKind;

/// The largest record the store accepts, as JSON. A valid declaration is a
/// few kilobytes; anything near this is an attack or a bug.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// One line of `queue list`: no personal data but a masked name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub kind: RecordKind,
    pub record_id: String,
    pub submitted_at: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub flagged: bool,
    pub last_error: Option<String>,
    /// `N***N V** A`; empty for reports.
    pub masked_name: String,
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::BadRecord {
        id: String::new(),
        reason: e.to_string(),
    })?;
    if json.len() > MAX_RECORD_BYTES {
        return Err(StoreError::TooLarge {
            bytes: json.len(),
            max: MAX_RECORD_BYTES,
        });
    }
    Ok(json)
}

/// Validates and serialises a declaration record: nothing reaches the
/// database that the form itself would refuse.
fn checked_declaration(record: &Record) -> Result<String, StoreError> {
    validate(&record.declaration, Local::now().date_naive()).map_err(StoreError::Invalid)?;
    to_json(record)
}

fn insert_declaration_row(
    tx: &Transaction<'_>,
    record: &Record,
    json: &str,
    now: DateTime<Utc>,
    actor: Actor,
) -> rusqlite::Result<()> {
    let id = record.record_id.to_string();
    tx.prepare_cached(
        "INSERT INTO declarations (record_id, kiosk_id, submitted_at, stored_at, flagged, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        record.kiosk_id,
        time::format(record.submitted_at),
        time::format(now),
        record.flagged,
        json
    ])?;
    audit::append(tx, now, actor, Action::DeclarationStored, Some(&id), "")
}

impl Store {
    /// Validates and stores one declaration, durably: when this returns `Ok`,
    /// the record and its audit entry are on disk.
    pub fn insert_declaration(&mut self, record: &Record, actor: Actor) -> Result<(), StoreError> {
        self.insert_declarations(std::slice::from_ref(record), actor)
    }

    /// Stores several declarations in one transaction: all or none.
    pub fn insert_declarations(
        &mut self,
        records: &[Record],
        actor: Actor,
    ) -> Result<(), StoreError> {
        self.insert_declarations_counted(records, actor, false)
    }

    /// A visitor checked in at the kiosk: stores the declaration and counts
    /// the check-in for Bluetooth adoption (`ble_counts::record_checkin`,
    /// with the record's `bluezone_nearby` note: `None` when the scanner
    /// could not tell) in the same transaction, so the adoption figures
    /// never disagree with the records. The window's submit uses this;
    /// declarations that did not come from a visitor at the kiosk (CLI,
    /// imports) use [`Store::insert_declaration`].
    pub fn insert_checkin(&mut self, record: &Record, actor: Actor) -> Result<(), StoreError> {
        self.insert_declarations_counted(std::slice::from_ref(record), actor, true)
    }

    fn insert_declarations_counted(
        &mut self,
        records: &[Record],
        actor: Actor,
        checkin: bool,
    ) -> Result<(), StoreError> {
        let jsons = records
            .iter()
            .map(checked_declaration)
            .collect::<Result<Vec<_>, _>>()?;
        let now = Utc::now();
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| StoreError::from_sqlite(&path, e))?;
        for (record, json) in records.iter().zip(&jsons) {
            insert_declaration_row(&tx, record, json, now, actor).map_err(|e| {
                if is_unique_violation(&e) {
                    StoreError::Duplicate(record.record_id.to_string())
                } else {
                    StoreError::from_sqlite(&path, e)
                }
            })?;
            if checkin {
                super::ble_counts::record_checkin(&tx, record.submitted_at, record.bluezone_nearby)
                    .map_err(|e| StoreError::from_sqlite(&path, e))?;
            }
        }
        tx.commit().map_err(|e| StoreError::from_sqlite(&path, e))?;
        for record in records {
            tracing::info!(
                record = %record.record_id,
                name = %mask::name(&record.declaration.identity.full_name),
                document = %mask::number(&record.declaration.identity.document.number),
                flagged = record.flagged,
                "declaration stored"
            );
        }
        Ok(())
    }

    /// Validates and stores one report, durably.
    pub fn insert_report(&mut self, record: &ReportRecord, actor: Actor) -> Result<(), StoreError> {
        validate_report(&record.report).map_err(StoreError::Invalid)?;
        let json = to_json(record)?;
        let id = record.record_id.to_string();
        let now = Utc::now();
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| StoreError::from_sqlite(&path, e))?;
        let written = tx
            .prepare_cached(
                "INSERT INTO reports (record_id, kiosk_id, submitted_at, stored_at, record)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    record.kiosk_id,
                    time::format(record.submitted_at),
                    time::format(now),
                    json
                ])
            })
            .and_then(|_| audit::append(&tx, now, actor, Action::ReportStored, Some(&id), ""));
        if let Err(e) = written {
            return Err(if is_unique_violation(&e) {
                StoreError::Duplicate(id)
            } else {
                StoreError::from_sqlite(&path, e)
            });
        }
        tx.commit().map_err(|e| StoreError::from_sqlite(&path, e))?;
        tracing::info!(record = %id, "report stored");
        Ok(())
    }

    /// One declaration with its sync state.
    pub fn declaration(&self, id: &Uuid) -> Result<Option<Queued<Record>>, StoreError> {
        self.one(RecordKind::Declaration, id)
    }

    /// One report with its sync state.
    pub fn report(&self, id: &Uuid) -> Result<Option<Queued<ReportRecord>>, StoreError> {
        self.one(RecordKind::Report, id)
    }

    fn one<T: serde::de::DeserializeOwned>(
        &self,
        kind: RecordKind,
        id: &Uuid,
    ) -> Result<Option<Queued<T>>, StoreError> {
        let sql = format!(
            "SELECT {} FROM {} WHERE record_id = ?1",
            Queued::<T>::COLUMNS,
            kind.table()
        );
        let row = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(params![id.to_string()], Queued::<T>::raw)
                    .optional()
            })
            .map_err(|e| self.sqlite_err(e))?;
        row.map(|raw| raw.decode()).transpose()
    }

    /// How many declarations were submitted in `[from, to)` (`None`: open end).
    pub fn count_between(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<u64, StoreError> {
        let (from, to) = range(from, to);
        let n: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM declarations WHERE submitted_at >= ?1 AND submitted_at < ?2",
                params![from, to],
                |r| r.get(0),
            )
            .map_err(|e| self.sqlite_err(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Hands each declaration submitted in `[from, to)` to `f`, oldest first,
    /// one at a time (an export of a full queue never sits in memory at once).
    /// Returns how many were handed over.
    pub fn each_between<F>(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        f: F,
    ) -> Result<u64, StoreError>
    where
        F: FnMut(Queued<Record>) -> std::io::Result<()>,
    {
        self.each_of_between(RecordKind::Declaration, from, to, f)
    }

    /// Hands each record of `kind` submitted in `[from, to)` to `f`, oldest
    /// first, one at a time. `T` is the kind's body: `Record`, `ReportRecord`
    /// or `checkpoint_wire::FollowUp`.
    pub fn each_of_between<T, F>(
        &self,
        kind: RecordKind,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        mut f: F,
    ) -> Result<u64, StoreError>
    where
        T: serde::de::DeserializeOwned,
        F: FnMut(Queued<T>) -> std::io::Result<()>,
    {
        let (from, to) = range(from, to);
        let sql = format!(
            "SELECT {} FROM {} WHERE submitted_at >= ?1 AND submitted_at < ?2
             ORDER BY submitted_at, record_id",
            Queued::<T>::COLUMNS,
            kind.table()
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sqlite_err(e))?;
        let rows = stmt
            .query_map(params![from, to], Queued::<T>::raw)
            .map_err(|e| self.sqlite_err(e))?;
        let mut n = 0;
        for raw in rows {
            let q = raw.map_err(|e| self.sqlite_err(e))?.decode()?;
            f(q).map_err(StoreError::Output)?;
            n += 1;
        }
        Ok(n)
    }

    /// Declarations and reports, newest first, at most `limit`.
    pub fn list(&self, limit: Option<usize>) -> Result<Vec<Summary>, StoreError> {
        let limit = limit.map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let run = || -> rusqlite::Result<Vec<Summary>> {
            let mut stmt = self.conn.prepare(
                "SELECT 'declaration', record_id, submitted_at, sync_state, attempts, flagged,
                        last_error,
                        CASE WHEN json_valid(record)
                             THEN json_extract(record, '$.declaration.identity.full_name') END
                   FROM declarations
                 UNION ALL
                 SELECT 'report', record_id, submitted_at, sync_state, attempts, 0,
                        last_error, NULL
                   FROM reports
                 ORDER BY 2 DESC LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit], |r| {
                let kind: String = r.get(0)?;
                let state: String = r.get(3)?;
                // Read loosely: a damaged row must not hide the whole list.
                let name = match r.get::<_, rusqlite::types::Value>(7)? {
                    rusqlite::types::Value::Text(t) => Some(t),
                    _ => None,
                };
                Ok(Summary {
                    kind: if kind == "report" {
                        RecordKind::Report
                    } else {
                        RecordKind::Declaration
                    },
                    record_id: r.get(1)?,
                    submitted_at: r.get(2)?,
                    state: DeliveryState::from_key(&state).unwrap_or(DeliveryState::Pending),
                    attempts: r.get(4)?,
                    flagged: r.get(5)?,
                    last_error: r.get(6)?,
                    masked_name: name.as_deref().map(mask::name).unwrap_or_default(),
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| self.sqlite_err(e))
    }
}

/// Text bounds of `[from, to)`: open ends sort before and after every time.
fn range(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> (String, String) {
    (
        from.map_or_else(String::new, time::format),
        to.map_or_else(|| "~".to_owned(), time::format),
    )
}

/// A row as read, before its JSON is decoded.
pub(crate) struct RawRow {
    pub record_id: String,
    pub json: String,
    pub sync: SyncInfo,
}

impl RawRow {
    pub(crate) fn decode<T: serde::de::DeserializeOwned>(self) -> Result<Queued<T>, StoreError> {
        // Position only: serde's message could quote a visitor's data.
        let record = serde_json::from_str(&self.json).map_err(|e| StoreError::BadRecord {
            id: self.record_id,
            reason: format!(
                "{:?} at line {} column {}",
                e.classify(),
                e.line(),
                e.column()
            ),
        })?;
        Ok(Queued {
            record,
            sync: self.sync,
        })
    }
}

impl<T> Queued<T> {
    /// The columns [`Queued::raw`] reads, in order.
    pub(crate) const COLUMNS: &'static str =
        "record_id, record, sync_state, attempts, last_error, last_attempt, stored_at";

    pub(crate) fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        let state: String = r.get(2)?;
        Ok(RawRow {
            record_id: r.get(0)?,
            json: r.get(1)?,
            sync: SyncInfo {
                state: DeliveryState::from_key(&state).unwrap_or(DeliveryState::Pending),
                attempts: r.get(3)?,
                last_error: r.get(4)?,
                last_attempt: r.get(5)?,
                stored_at: r.get(6)?,
            },
        })
    }
}
