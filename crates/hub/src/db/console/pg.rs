//! What the console reads and writes on PostgreSQL: flagged visitors and
//! their follow-up steps, reports, tracing, and the append-only audit log.
//! Every query of records is limited to the caller's scope.

use crate::HubError;
use crate::accounts::Scope;
use crate::db::pg::{PgDb, TS, db_err, export_row, in_scope, row_columns, scope_param};
use crate::index::CaseKey;
use crate::rows::{AuditEntry, ExportPage, ExportRow, PageOf, Place, Presence, timestamp};
use checkpoint_wire::RecordKind;

impl PgDb {
    pub async fn flagged(
        &self,
        scope: &Scope,
        page: &PageOf,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let scoped = format!(
            "FROM records WHERE flagged AND kind = 'declaration' AND {}",
            in_scope("checkpoint_id", 1)
        );
        let client = self.client().await?;
        let groups = scope_param(scope);
        let total: i64 = client
            .query_one(&format!("SELECT count(*) {scoped}"), &[&groups])
            .await
            .map_err(db_err)?
            .get(0);
        let rows = client
            .query(
                &format!(
                    "SELECT {} {scoped} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
                    row_columns()
                ),
                &[&groups, &(page.limit as i64), &(page.offset as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok((rows.iter().map(export_row).collect(), total.max(0) as u64))
    }

    pub async fn of_kind(
        &self,
        scope: &Scope,
        kind: &RecordKind,
        page: &PageOf,
    ) -> Result<(Vec<ExportRow>, u64), HubError> {
        let scoped = format!(
            "FROM records WHERE kind = $2 AND {}",
            in_scope("checkpoint_id", 1)
        );
        let client = self.client().await?;
        let (groups, kind) = (scope_param(scope), kind.as_str());
        let total: i64 = client
            .query_one(&format!("SELECT count(*) {scoped}"), &[&groups, &kind])
            .await
            .map_err(db_err)?
            .get(0);
        let rows = client
            .query(
                &format!(
                    "SELECT {} {scoped} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
                    row_columns()
                ),
                &[&groups, &kind, &(page.limit as i64), &(page.offset as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok((rows.iter().map(export_row).collect(), total.max(0) as u64))
    }

    pub async fn follow_ups_of(&self, ids: &[String]) -> Result<Vec<ExportRow>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM records WHERE subject IS NOT NULL AND subject = ANY($1) AND kind = 'follow-up'
                       AND EXISTS (SELECT 1 FROM records d
                                   WHERE d.id = ANY($1::text[]::uuid[]) AND d.id::text = records.subject
                                     AND d.kind <> 'follow-up' AND {})
                     ORDER BY created_at, id",
                    row_columns(),
                    crate::db::console::step_counts_between("records", "d")
                ),
                &[&ids],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn record_of_kind(
        &self,
        scope: &Scope,
        kind: &RecordKind,
        id: &str,
    ) -> Result<Option<ExportRow>, HubError> {
        let Ok(id) = uuid::Uuid::parse_str(id) else {
            return Ok(None);
        };
        let row = self
            .client()
            .await?
            .query_opt(
                &format!(
                    "SELECT {} FROM records WHERE id = $2::text::uuid AND kind = $3 AND {}",
                    row_columns(),
                    in_scope("checkpoint_id", 1)
                ),
                &[&scope_param(scope), &id.to_string(), &kind.as_str()],
            )
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(export_row))
    }

    pub async fn check_ins_of(
        &self,
        scope: &Scope,
        key: &CaseKey,
        since: &str,
    ) -> Result<Vec<ExportRow>, HubError> {
        let (column, value) = match key {
            CaseKey::Phone(p) => ("phone", p),
            CaseKey::Document(d) => ("document", d),
        };
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM records
                     WHERE {column} = $2 AND created_at >= $3::text::timestamptz
                       AND kind = 'declaration' AND {}
                     ORDER BY created_at, id",
                    row_columns(),
                    in_scope("checkpoint_id", 1)
                ),
                &[&scope_param(scope), value, &since],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn present_at(
        &self,
        scope: &Scope,
        window: &Presence,
    ) -> Result<Vec<ExportRow>, HubError> {
        let (column, value, unassigned) = match &window.place {
            Place::Checkpoint(c) => ("checkpoint_id", c, ""),
            Place::Kiosk(k) => ("kiosk_id", k, "AND checkpoint_id IS NULL"),
        };
        let (from, to) = (timestamp(window.from), timestamp(window.to));
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM records
                     WHERE {column} = $2 AND created_at >= $3::text::timestamptz
                       AND created_at <= $4::text::timestamptz
                       AND kind = 'declaration' AND {} {unassigned}
                     ORDER BY created_at, id",
                    row_columns(),
                    in_scope("checkpoint_id", 1)
                ),
                &[&scope_param(scope), value, &from, &to],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    /// The scope as an array of checkpoint ids, not a subquery: with the
    /// short ranges exports ask for, the (checkpoint, time) index answers.
    pub async fn export_page(
        &self,
        scope: &Scope,
        page: &ExportPage,
    ) -> Result<Vec<ExportRow>, HubError> {
        let kinds: Vec<&str> = page.kinds.iter().map(|k| k.as_str()).collect();
        let (after_at, after_id) = page.after.clone().unzip();
        let (from, to) = (timestamp(page.from), timestamp(page.to));
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT {} FROM records
                     WHERE created_at >= $2::text::timestamptz AND created_at < $3::text::timestamptz
                       AND kind = ANY($4)
                       AND ($5::text IS NULL OR checkpoint_id = $5)
                       AND ($6::text IS NULL OR (created_at, id) > ($6::text::timestamptz, $7::text::uuid))
                       AND ($1::text[] IS NULL OR checkpoint_id = ANY(
                            (SELECT array_agg(id) FROM checkpoints WHERE grp = ANY($1))::text[]))
                     ORDER BY records.created_at, records.id LIMIT $8",
                    row_columns(),
                ),
                &[
                    &scope_param(scope),
                    &from,
                    &to,
                    &kinds,
                    &page.checkpoint,
                    &after_at,
                    &after_id,
                    &(page.limit as i64),
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn audit(&self, e: &AuditEntry) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO audit (at, account, action, target, detail)
                 VALUES ($1::text::timestamptz, $2, $3, $4, $5)",
                &[&e.at, &e.account, &e.action, &e.target, &e.detail],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Trace entries whose case is still in clear (see the SQLite store's).
    pub async fn audit_clear_traces(&self) -> Result<Vec<(i64, String)>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT seq, target FROM audit
                 WHERE action IN ('trace_run', 'trace_exported') AND strpos(target, '•') = 0",
                &[],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Rewrites those entries' cases, once, in one transaction (a simple
    /// query of several statements is one) with the guard off only inside it.
    pub async fn audit_rewrite(&self, rows: &[(i64, String)]) -> Result<u64, HubError> {
        if rows.is_empty() {
            return Ok(0);
        }
        // Values written into the text: our own masked form, quoted anyway.
        let values: Vec<String> = rows
            .iter()
            .map(|(seq, target)| format!("({seq}, '{}')", target.replace('\'', "''")))
            .collect();
        self.client()
            .await?
            .batch_execute(&format!(
                "ALTER TABLE audit DISABLE TRIGGER audit_append_only;
                 UPDATE audit SET target = v.target
                   FROM (VALUES {}) AS v(seq, target) WHERE audit.seq = v.seq;
                 ALTER TABLE audit ENABLE TRIGGER audit_append_only;",
                values.join(", ")
            ))
            .await
            .map_err(db_err)?;
        Ok(rows.len() as u64)
    }

    /// The secret kept under `name`: `fresh` the first time it is asked for
    /// (by whichever hub asks first).
    pub async fn secret(&self, name: &str, fresh: &str) -> Result<String, HubError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                &[&name, &fresh],
            )
            .await
            .map_err(db_err)?;
        let row = client
            .query_one("SELECT value FROM secrets WHERE name = $1", &[&name])
            .await
            .map_err(db_err)?;
        Ok(row.get(0))
    }

    pub async fn audit_page(
        &self,
        from: &str,
        to: &str,
        after: &i64,
        limit: &u64,
    ) -> Result<Vec<(i64, AuditEntry)>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT seq, to_char(at AT TIME ZONE 'UTC', {TS}), account, action, target, detail
                     FROM audit
                     WHERE seq > $3 AND at >= $1::text::timestamptz AND at < $2::text::timestamptz
                     ORDER BY seq LIMIT $4"
                ),
                &[&from, &to, after, &(*limit as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    AuditEntry {
                        at: r.get(1),
                        account: r.get(2),
                        action: r.get(3),
                        target: r.get(4),
                        detail: r.get(5),
                    },
                )
            })
            .collect())
    }

    pub async fn audit_entries(&self, limit: &u64) -> Result<Vec<AuditEntry>, HubError> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "SELECT to_char(at AT TIME ZONE 'UTC', {TS}), account, action, target, detail
                     FROM audit ORDER BY seq DESC LIMIT $1"
                ),
                &[&(*limit as i64)],
            )
            .await
            .map_err(db_err)?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                at: r.get(0),
                account: r.get(1),
                action: r.get(2),
                target: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }
}
