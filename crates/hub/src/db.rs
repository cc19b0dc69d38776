//! The hub's store: SQLite (one hub) or PostgreSQL (several hubs sharing one
//! database). Each record is stored once, keyed by its id, whoever sends it
//! and however often: `INSERT … ON CONFLICT (id) DO NOTHING`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::HubError;
use super::accounts::{Account, PersonalAccess, Scope};
use super::index::CaseKey;
pub use super::rows::{
    AuditEntry, Checkpoint, DbTarget, ExportFilter, ExportPage, ExportRow, NewRecord, PageOf,
    Place, Presence, Purged, RetentionRule, RevokeSelector, TokenInfo, names_of, split_groups,
    timestamp, vietnam_text,
};
use super::stats::{Figures, KioskHealth, Level, Target};
use checkpoint_wire::Heartbeat;
use checkpoint_wire::RecordKind;
use chrono::NaiveDate;
use pg::PgDb;
pub use signins::StoredSession;
use sqlite::SqliteDb;

mod backup;
mod checkpoints;
mod console;
mod enrolments;
mod fleet;
mod managed;
mod migrate;
mod pg;
mod records;
mod retention;
mod signins;
mod sqlite;
mod stats;
mod targets;

#[derive(Debug, Clone)]
pub enum HubDb {
    Sqlite(Arc<SqliteDb>),
    Postgres(Arc<PgDb>),
}

impl HubDb {
    /// Opens (and creates or migrates) the store.
    pub async fn open(target: &DbTarget) -> Result<Self, HubError> {
        let db = match target {
            DbTarget::Sqlite { path, key_file } => {
                let (path, key_file) = (path.clone(), key_file.clone());
                let db = blocking(move || SqliteDb::open(&path, &key_file)).await?;
                HubDb::Sqlite(Arc::new(db))
            }
            DbTarget::Postgres(url) => HubDb::Postgres(Arc::new(PgDb::connect(url).await?)),
        };
        // Numbers traced before cases were masked: masked once, now.
        let masked = db.mask_clear_traces().await?;
        if masked > 0 {
            tracing::info!(
                entries = masked,
                "audit log: traced cases kept in clear masked"
            );
        }
        Ok(db)
    }

    /// Stores the records of one kiosk; `true` where the record is new,
    /// `false` where it was already there. Atomic: all or nothing.
    pub async fn insert(
        &self,
        kiosk_id: &str,
        records: Vec<NewRecord>,
    ) -> Result<Vec<bool>, HubError> {
        on_store!(self, insert(kiosk_id; records))
    }

    /// The kiosk of a token hash and whether it is revoked.
    pub async fn token(&self, hash: &str) -> Result<Option<TokenInfo>, HubError> {
        on_store!(self, token(hash))
    }

    pub async fn add_token(&self, hash: &str, kiosk_id: &str, label: &str) -> Result<(), HubError> {
        if kiosk_id.eq_ignore_ascii_case(crate::rows::CONSOLE_SOURCE) {
            // The console's own steps are stored under that id.
            return Err(HubError::Db(format!(
                "the kiosk id {kiosk_id:?} is reserved"
            )));
        }
        on_store!(self, add_token(hash, kiosk_id, label))
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, HubError> {
        on_store!(self, tokens())
    }

    /// Revokes every live token whose hash starts with `id_prefix` (at least
    /// 8 hex digits) or whose kiosk is `kiosk_id`; returns how many.
    pub async fn revoke(&self, selector: &RevokeSelector) -> Result<u64, HubError> {
        on_store!(self, revoke(selector))
    }

    pub async fn export(&self, filter: &ExportFilter) -> Result<Vec<ExportRow>, HubError> {
        on_store!(self, export(filter))
    }

    /// Every stored record id (tests and audits count them).
    pub async fn record_ids(&self) -> Result<Vec<Uuid>, HubError> {
        on_store!(self, record_ids())
    }

    /// Adds a console account; `false` when the name is taken.
    pub async fn add_account(&self, account: &Account) -> Result<bool, HubError> {
        on_store!(self, add_account(account))
    }

    pub async fn account(&self, name: &str) -> Result<Option<Account>, HubError> {
        on_store!(self, account(name))
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, HubError> {
        on_store!(self, accounts())
    }

    /// Disables an account; `false` when there is no such enabled account.
    pub async fn disable_account(&self, name: &str) -> Result<bool, HubError> {
        on_store!(self, disable_account(name))
    }

    /// Sets an account's password hash (and enables it); `false`: no such account.
    pub async fn set_password(&self, name: &str, hash: &str) -> Result<bool, HubError> {
        on_store!(self, set_password(name, hash))
    }

    /// Records by kind created at or after `since` (all records without).
    pub async fn kind_counts(
        &self,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<(String, i64)>, HubError> {
        let since = since.map(timestamp);
        on_store!(self, kind_counts(since))
    }

    /// Flagged declarations in the caller's scope, newest first: one page,
    /// and how many in all. Personal data: only for a role that may see it.
    pub async fn flagged(
        &self,
        access: &PersonalAccess,
        page: PageOf,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let scope = access.scope();
        on_store!(self, flagged(scope, page))
    }

    /// Records of one kind in the caller's scope, newest first: one page,
    /// and how many in all.
    pub async fn of_kind(
        &self,
        access: &PersonalAccess,
        kind: RecordKind,
        page: PageOf,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let scope = access.scope();
        on_store!(self, of_kind(scope, kind, page))
    }

    /// The follow-up steps of these declarations (already read within the
    /// caller's scope), oldest first.
    pub async fn follow_ups_of(
        &self,
        _access: &PersonalAccess,
        ids: Vec<String>,
    ) -> Result<Vec<ExportRow>, HubError> {
        let ids = ids.as_slice();
        on_store!(self, follow_ups_of(ids))
    }

    /// One record of a kind in the caller's scope.
    pub async fn record_of_kind(
        &self,
        access: &PersonalAccess,
        kind: RecordKind,
        id: Uuid,
    ) -> Result<Option<ExportRow>, HubError> {
        let (scope, id) = (access.scope(), id.to_string());
        let id = id.as_str();
        on_store!(self, record_of_kind(scope, kind, id))
    }

    /// A person's check-ins in the caller's scope since `since`, oldest first.
    pub async fn check_ins_of(
        &self,
        access: &PersonalAccess,
        key: &CaseKey,
        since: DateTime<Utc>,
    ) -> Result<Vec<ExportRow>, HubError> {
        let (scope, since) = (access.scope(), timestamp(since));
        let since = since.as_str();
        on_store!(self, check_ins_of(scope, key, since))
    }

    /// Everyone who checked in at a place within a window, in the caller's
    /// scope, oldest first.
    pub async fn present_at(
        &self,
        access: &PersonalAccess,
        presence: &Presence,
    ) -> Result<Vec<ExportRow>, HubError> {
        let scope = access.scope();
        on_store!(self, present_at(scope, presence))
    }

    /// `false` when the id is taken.
    pub async fn add_checkpoint(&self, checkpoint: &Checkpoint) -> Result<bool, HubError> {
        on_store!(self, add_checkpoint(checkpoint))
    }

    /// The checkpoints in a scope, by group and name, with their kiosks.
    /// One checkpoint's name (`None`: no such checkpoint).
    pub async fn checkpoint_name(&self, id: &str) -> Result<Option<String>, HubError> {
        on_store!(self, checkpoint_name(id))
    }

    pub async fn checkpoints(&self, scope: &Scope) -> Result<Vec<Checkpoint>, HubError> {
        on_store!(self, checkpoints(scope))
    }

    /// Assigns a kiosk to a checkpoint; its records without a checkpoint
    /// are attached to it (how many). `None`: no such checkpoint.
    pub async fn assign_kiosk(
        &self,
        kiosk_id: &str,
        checkpoint_id: &str,
    ) -> Result<Option<u64>, HubError> {
        on_store!(self, assign_kiosk(kiosk_id, checkpoint_id))
    }

    /// Keeps a new enrolment code (its secret's hash only).
    pub async fn add_enrolment(
        &self,
        enrolment: &crate::rows::Enrolment,
        hash: &str,
    ) -> Result<(), HubError> {
        on_store!(self, add_enrolment(enrolment, hash))
    }

    /// The latest 500 enrolment codes, newest first.
    pub async fn enrolments(&self) -> Result<Vec<crate::rows::Enrolment>, HubError> {
        on_store!(self, enrolments())
    }

    pub async fn enrolment_by_hash(
        &self,
        hash: &str,
    ) -> Result<Option<crate::rows::Enrolment>, HubError> {
        on_store!(self, enrolment_by_hash(hash))
    }

    /// Marks a free code used by `kiosk_id`; `false` when it was not free.
    pub async fn claim_enrolment(
        &self,
        hash: &str,
        kiosk_id: &str,
        now: &str,
    ) -> Result<bool, HubError> {
        on_store!(self, claim_enrolment(hash, kiosk_id, now))
    }

    /// Revokes the unused codes whose id starts with `id`; how many.
    pub async fn revoke_enrolment(&self, id: &str, now: &str) -> Result<u64, HubError> {
        on_store!(self, revoke_enrolment(id, now))
    }

    /// Sets one entry of the fleet's configuration.
    pub async fn fleet_put(&self, key: &str, value: &str, at: &str) -> Result<(), HubError> {
        on_store!(self, fleet_put(key, value, at))
    }

    /// Every entry of the fleet's configuration: key, value, when set.
    pub async fn fleet_entries(&self) -> Result<Vec<(String, String, String)>, HubError> {
        on_store!(self, fleet_entries())
    }

    /// Deletes what retention says is past its time (see [`RetentionRule`]).
    pub async fn purge(
        &self,
        rule: &RetentionRule,
        now: DateTime<Utc>,
    ) -> Result<Purged, HubError> {
        let before = timestamp(now - chrono::Duration::days(i64::from(rule.days)));
        let follow_up_before =
            timestamp(now - chrono::Duration::days(i64::from(rule.follow_up_max_days)));
        let (before, follow_up_before) = (before.as_str(), follow_up_before.as_str());
        let mut purged: Purged = on_store!(self, purge(before, follow_up_before))?;
        let days = rule.audit_days.max(crate::rows::AUDIT_MIN_DAYS);
        let audit_before = timestamp(now - chrono::Duration::days(i64::from(days)));
        let audit_before = audit_before.as_str();
        purged.audit_entries = on_store!(self, purge_audit(audit_before))?;
        Ok(purged)
    }

    /// Figures per Vietnam day from `days.0` to `days.1` (inclusive), at a
    /// level within a scope; days without any are left out.
    pub async fn daily_figures(
        &self,
        scope: &Scope,
        level: &Level,
        days: (NaiveDate, NaiveDate),
    ) -> Result<Vec<(NaiveDate, Figures)>, HubError> {
        on_store!(self, daily_figures(scope, level, days))
    }

    /// One day's figures per group in a scope, with how many checkpoints each has.
    pub async fn figures_by_group(
        &self,
        scope: &Scope,
        day: NaiveDate,
    ) -> Result<Vec<(String, u64, Figures)>, HubError> {
        on_store!(self, figures_by_group(scope, day))
    }

    /// One day's figures per checkpoint of a group, by name, one page; and
    /// how many checkpoints the group has.
    pub async fn figures_by_checkpoint(
        &self,
        scope: &Scope,
        group: &str,
        day: NaiveDate,
        page: PageOf,
    ) -> Result<(Vec<(Checkpoint, Figures)>, u64), HubError> {
        on_store!(self, figures_by_checkpoint(scope, group, day, page))
    }

    /// Flagged visitors nobody has attended to, taken before `before`.
    pub async fn waiting_flagged(
        &self,
        scope: &Scope,
        before: DateTime<Utc>,
    ) -> Result<u64, HubError> {
        let before = timestamp(before);
        let before = before.as_str();
        on_store!(self, waiting_flagged(scope, before))
    }

    /// Stores a kiosk's heartbeat (already checked) received at `received`.
    pub async fn record_heartbeat(
        &self,
        kiosk_id: &str,
        beat: &Heartbeat,
        received: DateTime<Utc>,
    ) -> Result<(), HubError> {
        on_store!(self, record_heartbeat(kiosk_id, beat, received))
    }

    /// The kiosks in a scope with their health and their own counts of `day`.
    pub async fn kiosk_health(
        &self,
        scope: &Scope,
        day: NaiveDate,
    ) -> Result<Vec<KioskHealth>, HubError> {
        on_store!(self, kiosk_health(scope, day))
    }

    /// `false` when the unit already has a target for that date.
    pub async fn add_target(&self, target: &Target) -> Result<bool, HubError> {
        on_store!(self, add_target(target))
    }

    pub async fn delete_target(&self, id: i64) -> Result<bool, HubError> {
        on_store!(self, delete_target(id))
    }

    /// The targets of units within a scope, by deadline.
    pub async fn targets(&self, scope: &Scope) -> Result<Vec<Target>, HubError> {
        on_store!(self, targets(scope))
    }

    /// Figures per checkpoint (id, group) over a span of days, within a scope.
    pub async fn figures_by_unit(
        &self,
        scope: &Scope,
        days: (NaiveDate, NaiveDate),
    ) -> Result<Vec<(String, String, Figures)>, HubError> {
        on_store!(self, figures_by_unit(scope, days))
    }

    /// One page of a console export, in the caller's scope.
    pub async fn export_page(
        &self,
        access: &PersonalAccess,
        page: &ExportPage,
    ) -> Result<Vec<ExportRow>, HubError> {
        let scope = access.scope();
        on_store!(self, export_page(scope, page))
    }

    /// Masks the traced cases audit entries kept in clear before cases were
    /// masked (see `audit::traced_case`); how many it rewrote. Runs when the
    /// store opens; a second run finds none.
    pub async fn mask_clear_traces(&self) -> Result<u64, HubError> {
        let clear: Vec<(i64, String)> = on_store!(self, audit_clear_traces())?;
        if clear.is_empty() {
            return Ok(0);
        }
        let key = self
            .secret(crate::audit::CASE_KEY, &crate::audit::fresh_key())
            .await?;
        let masked: Vec<(i64, String)> = clear
            .into_iter()
            .map(|(seq, case)| (seq, crate::audit::traced_case(key.as_bytes(), &case)))
            .filter(|(_, masked)| !masked.is_empty())
            .collect();
        let masked = masked.as_slice();
        on_store!(self, audit_rewrite(masked))
    }

    /// The secret kept under `name`, made (`fresh`) the first time.
    pub async fn secret(&self, name: &str, fresh: &str) -> Result<String, HubError> {
        on_store!(self, secret(name, fresh))
    }

    /// Appends to the audit log.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), HubError> {
        on_store!(self, audit(; entry))
    }

    /// Audit entries taken in `[from, to)` after the one numbered `after`,
    /// oldest first, at most `limit`, each with its number (for the next page).
    pub async fn audit_page(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: i64,
        limit: u64,
    ) -> Result<Vec<(i64, AuditEntry)>, HubError> {
        let (from, to) = (timestamp(from), timestamp(to));
        let (from, to) = (from.as_str(), to.as_str());
        on_store!(self, audit_page(from, to, after, limit))
    }

    /// The newest `limit` audit entries, newest first.
    pub async fn audit_entries(&self, limit: u64) -> Result<Vec<AuditEntry>, HubError> {
        on_store!(self, audit_entries(limit))
    }

    /// An online copy of a SQLite store into a new file (its size in
    /// bytes); `None` on PostgreSQL, whose own tools do it.
    pub async fn backup(&self, dest: &std::path::Path) -> Result<Option<u64>, HubError> {
        match self {
            HubDb::Sqlite(db) => {
                let (db, dest) = (db.clone(), dest.to_owned());
                blocking(move || db.backup_to(&dest).map(Some)).await
            }
            HubDb::Postgres(_) => Ok(None),
        }
    }

    /// Stores a new session (its id hashed), first deleting expired ones.
    pub async fn session_start(
        &self,
        id_hash: &str,
        session: &StoredSession,
        idle_before: &str,
        started_before: &str,
    ) -> Result<(), HubError> {
        on_store!(
            self,
            session_start(id_hash, session, idle_before, started_before)
        )
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<StoredSession>, HubError> {
        on_store!(self, session(id_hash))
    }

    pub async fn session_seen(&self, id_hash: &str, seen: &str) -> Result<(), HubError> {
        on_store!(self, session_seen(id_hash, seen))
    }

    pub async fn session_end(&self, id_hash: &str) -> Result<(), HubError> {
        on_store!(self, session_end(id_hash))
    }

    pub async fn sessions_end_of(&self, account: &str) -> Result<(), HubError> {
        on_store!(self, sessions_end_of(account))
    }

    /// Adds a failed sign-in of `subject`, forgetting all before `forget_before`.
    pub async fn signin_failed(
        &self,
        subject: &str,
        at: &str,
        forget_before: &str,
    ) -> Result<(), HubError> {
        on_store!(self, signin_failed(subject, at, forget_before))
    }

    /// The failures of `subject` since `since`: how many, and the oldest.
    pub async fn signin_failures(
        &self,
        subject: &str,
        since: &str,
    ) -> Result<(u64, Option<String>), HubError> {
        on_store!(self, signin_failures(subject, since))
    }

    pub async fn signin_forget(&self, subject: &str) -> Result<(), HubError> {
        on_store!(self, signin_forget(subject))
    }

    /// Failed sign-ins remembered, all subjects.
    pub async fn signin_failures_kept(&self) -> Result<u64, HubError> {
        on_store!(self, signin_failures_kept())
    }

    /// Whether this hub may run the timer `name` now: `true` (and the run
    /// marked) unless some hub on this store ran it within `period`.
    pub async fn claim_run(
        &self,
        name: &str,
        now: DateTime<Utc>,
        period: chrono::Duration,
    ) -> Result<bool, HubError> {
        let (at, not_since) = (timestamp(now), timestamp(now - period));
        let (at, not_since) = (at.as_str(), not_since.as_str());
        on_store!(self, claim_run(name, at, not_since))
    }

    /// Whether the store answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), HubError> {
        on_store!(self, ping())
    }
}

/// One method of both stores: on SQLite in a blocking task (the named
/// arguments are cloned into it; one after `;` is moved), on PostgreSQL
/// awaited. Both stores' methods take the same arguments, by reference.
macro_rules! on_store {
    ($self:ident, $method:ident ( $($arg:ident),* $(; $moved:ident)? )) => {
        match $self {
            HubDb::Sqlite(db) => {
                let db = db.clone();
                $(let $arg = $arg.to_owned();)*
                blocking(move || db.$method($(&$arg,)* $(&$moved)?)).await
            }
            HubDb::Postgres(db) => db.$method($(&$arg,)* $(&$moved)?).await,
        }
    };
}
pub(crate) use on_store;

/// A fresh SQLite store in a temporary folder (unit tests).
#[cfg(test)]
pub(crate) async fn temporary_store() -> (tempfile::TempDir, HubDb) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = DbTarget::Sqlite {
        path: dir.path().join("hub.db"),
        key_file: dir.path().join("hub.key"),
    };
    let db = HubDb::open(&target).await.expect("a fresh store opens");
    (dir, db)
}

pub(crate) async fn blocking<T, F>(f: F) -> Result<T, HubError>
where
    F: FnOnce() -> Result<T, HubError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| HubError::Db(format!("database task failed: {e}")))?
}
