//! What the console reads and writes on SQLite: flagged visitors and their
//! follow-up steps, reports, tracing, and the append-only audit log. Every
//! query of records is limited to the caller's scope.

use rusqlite::{OptionalExtension, params};

use crate::HubError;
use crate::accounts::Scope;
use crate::db::sqlite::{ROW, SqliteDb, db_err, export_row, in_scope, scope_param};
use crate::index::CaseKey;
use crate::rows::{AuditEntry, ExportPage, ExportRow, PageOf, Place, Presence, timestamp};
use checkpoint_wire::RecordKind;

/// Flagged declarations, through their own index (see `waiting_flagged`).
const FLAGGED: &str =
    "FROM records INDEXED BY records_flagged_cover WHERE flagged = 1 AND kind = 'declaration'";

impl SqliteDb {
    /// Flagged declarations in a scope, newest first, one page; and how many in all.
    pub fn flagged(&self, scope: &Scope, page: &PageOf) -> Result<(Vec<ExportRow>, u64), HubError> {
        let conn = self.conn()?;
        let scoped = format!("{FLAGGED} AND {}", in_scope("checkpoint_id", 1));
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) {scoped}"),
                [scope_param(scope)],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW} {scoped} ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![scope_param(scope), page.limit as i64, page.offset as i64],
                export_row,
            )
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        Ok((rows, total.max(0) as u64))
    }

    /// Records of one kind in a scope, newest first, one page; and how many in all.
    pub fn of_kind(
        &self,
        scope: &Scope,
        kind: &RecordKind,
        page: &PageOf,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let conn = self.conn()?;
        let scoped = format!(
            "FROM records WHERE kind = ?2 AND {}",
            in_scope("checkpoint_id", 1)
        );
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) {scoped}"),
                params![scope_param(scope), kind.as_str()],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW} {scoped} ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4"
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    scope_param(scope),
                    kind.as_str(),
                    page.limit as i64,
                    page.offset as i64
                ],
                export_row,
            )
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        Ok((rows, total.max(0) as u64))
    }

    /// The follow-up steps of these declarations, oldest first.
    pub fn follow_ups_of(&self, ids: &[String]) -> Result<Vec<ExportRow>, HubError> {
        let ids = serde_json::to_string(ids).map_err(db_err)?;
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW} FROM records
                 WHERE subject IS NOT NULL AND subject IN (SELECT value FROM json_each(?1)) AND kind = 'follow-up'
                   AND EXISTS (SELECT 1 FROM records d WHERE d.id = records.subject
                                 AND d.kind <> 'follow-up' AND {})
                 ORDER BY created_at, id",
                crate::db::console::step_counts_between("records", "d")
            ))
            .map_err(db_err)?;
        let rows = stmt.query_map([ids], export_row).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// One declaration in a scope.
    pub fn record_of_kind(
        &self,
        scope: &Scope,
        kind: &RecordKind,
        id: &str,
    ) -> Result<Option<ExportRow>, HubError> {
        self.conn()?
            .query_row(
                &format!(
                    "SELECT {ROW} FROM records WHERE id = ?2 AND kind = ?3 AND {}",
                    in_scope("checkpoint_id", 1)
                ),
                params![scope_param(scope), id, kind.as_str()],
                export_row,
            )
            .optional()
            .map_err(db_err)
    }

    /// The check-ins (declarations) of one person in a scope since a time,
    /// oldest first.
    pub fn check_ins_of(
        &self,
        scope: &Scope,
        key: &CaseKey,
        since: &str,
    ) -> Result<Vec<ExportRow>, HubError> {
        let (column, value) = match key {
            CaseKey::Phone(p) => ("phone", p),
            CaseKey::Document(d) => ("document", d),
        };
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW} FROM records
                 WHERE {column} = ?2 AND created_at >= ?3 AND kind = 'declaration' AND {}
                 ORDER BY created_at, id",
                in_scope("checkpoint_id", 1)
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![scope_param(scope), value, since], export_row)
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// The declarations taken at a place within a time window (both ends
    /// included), oldest first: at a checkpoint, or at a kiosk assigned to
    /// none.
    pub fn present_at(&self, scope: &Scope, window: &Presence) -> Result<Vec<ExportRow>, HubError> {
        let (column, value) = match &window.place {
            Place::Checkpoint(c) => ("checkpoint_id", c.as_str()),
            Place::Kiosk(k) => ("kiosk_id", k.as_str()),
        };
        let unassigned = matches!(window.place, Place::Kiosk(_));
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ROW} FROM records
                 WHERE {column} = ?2 AND created_at >= ?3 AND created_at <= ?4
                   AND kind = 'declaration' AND {} {}
                 ORDER BY created_at, id",
                in_scope("checkpoint_id", 1),
                if unassigned {
                    "AND checkpoint_id IS NULL"
                } else {
                    ""
                }
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    scope_param(scope),
                    value,
                    timestamp(window.from),
                    timestamp(window.to)
                ],
                export_row,
            )
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// One page of a console export (see [`ExportPage`]).
    pub fn export_page(
        &self,
        scope: &Scope,
        page: &ExportPage,
    ) -> Result<Vec<ExportRow>, HubError> {
        let kinds: Vec<&str> = page.kinds.iter().map(|k| k.as_str()).collect();
        let kinds = serde_json::to_string(&kinds).map_err(db_err)?;
        let (lower, after_id) = match &page.after {
            Some((at, id)) => (at.clone(), Some(id.clone())),
            None => (timestamp(page.from), None),
        };
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(&export_sql(
                ExportDriver::of(scope, page),
                page.after.is_some(),
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![
                    scope_param(scope),
                    lower,
                    timestamp(page.to),
                    kinds,
                    page.checkpoint,
                    after_id,
                    page.limit as i64
                ],
                export_row,
            )
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn audit(&self, e: &AuditEntry) -> Result<(), HubError> {
        self.conn()?
            .execute(
                "INSERT INTO audit (at, account, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.at, e.account, e.action, e.target, e.detail],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Trace entries whose case is still in clear (written before cases were
    /// masked): their numbers and cases.
    pub fn audit_clear_traces(&self) -> Result<Vec<(i64, String)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT seq, target FROM audit
                 WHERE action IN ('trace_run', 'trace_exported') AND instr(target, '•') = 0",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// Rewrites those entries' cases, once: the update trigger is dropped and
    /// made again inside the one transaction, so no other change slips by.
    pub fn audit_rewrite(&self, rows: &[(i64, String)]) -> Result<u64, HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute_batch("DROP TRIGGER IF EXISTS audit_no_update")
            .map_err(db_err)?;
        let mut n = 0;
        for (seq, target) in rows {
            n += tx
                .execute(
                    "UPDATE audit SET target = ?2 WHERE seq = ?1",
                    params![seq, target],
                )
                .map_err(db_err)?;
        }
        tx.execute_batch(crate::db::sqlite::AUDIT_NO_UPDATE)
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(n as u64)
    }

    /// The secret kept under `name`: `fresh` the first time it is asked for.
    pub fn secret(&self, name: &str, fresh: &str) -> Result<String, HubError> {
        let conn = self.conn()?;
        conn.execute(
            "INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![name, fresh],
        )
        .map_err(db_err)?;
        conn.query_row("SELECT value FROM secrets WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .map_err(db_err)
    }

    /// The newest `limit` audit entries, newest first.
    pub fn audit_page(
        &self,
        from: &str,
        to: &str,
        after: &i64,
        limit: &u64,
    ) -> Result<Vec<(i64, AuditEntry)>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT seq, at, account, action, target, detail FROM audit
                 WHERE seq > ?3 AND at >= ?1 AND at < ?2 ORDER BY seq LIMIT ?4",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map(params![from, to, after, *limit as i64], |r| {
                Ok((
                    r.get(0)?,
                    AuditEntry {
                        at: r.get(1)?,
                        account: r.get(2)?,
                        action: r.get(3)?,
                        target: r.get(4)?,
                        detail: r.get(5)?,
                    },
                ))
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    pub fn audit_entries(&self, limit: &u64) -> Result<Vec<AuditEntry>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT at, account, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?1",
            )
            .map_err(db_err)?;
        let rows = stmt
            .query_map([*limit as i64], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    account: r.get(1)?,
                    action: r.get(2)?,
                    target: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}

/// Which index an export page is read through. SQLite plans a statement
/// once, for any parameters, so a condition such as `?5 IS NULL OR
/// checkpoint_id = ?5` leaves it only the index on time: a district
/// officer's page then read every record of its window to test its
/// checkpoint (158 s for 19,517 rows at 1,000,000 records). Each case has
/// its own statement instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportDriver {
    /// One checkpoint: its records in time order from (checkpoint, time).
    Checkpoint,
    /// An account limited to groups: each of their checkpoints from
    /// (checkpoint, time), then sorted (a window holds few of them).
    Groups,
    /// Every checkpoint: the index on time (with the id, as the table's
    /// key) gives the order itself.
    Everything,
}

impl ExportDriver {
    fn of(scope: &Scope, page: &ExportPage) -> Self {
        match (&page.checkpoint, scope.groups()) {
            (Some(_), _) => ExportDriver::Checkpoint,
            (None, Some(_)) => ExportDriver::Groups,
            (None, None) => ExportDriver::Everything,
        }
    }
}

/// The export statement: ?1 scope, ?2..?3 the range (?2 the last row's time
/// after the first page, so the walk starts there), ?4 kinds, ?5 checkpoint,
/// ?6 the last row's id, ?7 the page's size.
fn export_sql(driver: ExportDriver, after: bool) -> String {
    let place = match driver {
        ExportDriver::Checkpoint => {
            format!("checkpoint_id = ?5 AND {}", in_scope("checkpoint_id", 1))
        }
        ExportDriver::Groups => "checkpoint_id IN (SELECT id FROM checkpoints
             WHERE grp IN (SELECT value FROM json_each(?1)))"
            .to_owned(),
        ExportDriver::Everything => "?1 IS NULL".to_owned(),
    };
    let next = if after {
        "AND (created_at > ?2 OR id > ?6)"
    } else {
        "AND ?6 IS NULL"
    };
    format!(
        "SELECT {ROW} FROM records
         WHERE {place} AND created_at >= ?2 AND created_at < ?3 {next}
           AND kind IN (SELECT value FROM json_each(?4)) AND (?5 IS NULL OR ?5 = checkpoint_id)
         ORDER BY created_at, id LIMIT ?7"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite makes for each export statement, as text.
    fn plan(db: &SqliteDb, sql: &str) -> String {
        let conn = db.conn().unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(
                params![
                    r#"["GA"]"#,
                    "2026-12-01T00:00:00Z",
                    "2026-12-01T06:00:00Z",
                    r#"["declaration"]"#,
                    "c",
                    "0193a0e0-0000-7000-8000-000000000000",
                    2000
                ],
                |r| r.get::<_, String>(3),
            )
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        rows.join("\n")
    }

    #[test]
    fn each_export_reads_through_the_index_of_its_scope() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDb::open(&dir.path().join("hub.db"), &dir.path().join("hub.key")).unwrap();
        for after in [false, true] {
            let one = plan(&db, &export_sql(ExportDriver::Checkpoint, after));
            assert!(
                one.contains("SEARCH records USING INDEX records_checkpoint_created (checkpoint_id=? AND created_at>? AND created_at<?)"),
                "{one}"
            );
            assert!(
                !one.contains("TEMP B-TREE"),
                "one checkpoint comes in order: {one}"
            );
            let groups = plan(&db, &export_sql(ExportDriver::Groups, after));
            assert!(
                groups.contains("SEARCH records USING INDEX records_checkpoint_created (checkpoint_id=? AND created_at>? AND created_at<?)"),
                "{groups}"
            );
            let all = plan(&db, &export_sql(ExportDriver::Everything, after));
            assert!(
                all.contains(
                    "SEARCH records USING INDEX records_created (created_at>? AND created_at<?)"
                ),
                "{all}"
            );
            assert!(
                !all.contains("TEMP B-TREE"),
                "the time index gives the order: {all}"
            );
        }
    }

    #[test]
    fn the_driver_follows_the_scope_and_the_checkpoint() {
        let page = |checkpoint: Option<&str>| ExportPage {
            from: chrono::Utc::now(),
            to: chrono::Utc::now(),
            checkpoint: checkpoint.map(str::to_owned),
            kinds: vec![RecordKind::Declaration],
            after: None,
            limit: 10,
        };
        let group = Scope::of(&["GA".to_owned()]);
        assert_eq!(
            ExportDriver::of(&Scope::all(), &page(None)),
            ExportDriver::Everything
        );
        assert_eq!(ExportDriver::of(&group, &page(None)), ExportDriver::Groups);
        assert_eq!(
            ExportDriver::of(&group, &page(Some("c"))),
            ExportDriver::Checkpoint
        );
        assert_eq!(
            ExportDriver::of(&Scope::all(), &page(Some("c"))),
            ExportDriver::Checkpoint
        );
    }
}
