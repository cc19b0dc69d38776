//! The hub on PostgreSQL, so several hubs can share one store. Exactly-once
//! comes from the primary key: `ON CONFLICT (id) DO NOTHING` makes a second
//! insert of the same record (from any hub, at any moment) a no-op.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls};
use uuid::Uuid;

use super::HubError;
use super::accounts::{Account, Role, Scope};
use super::index::RecordIndex;
use super::rows::{
    ExportFilter, ExportRow, NewRecord, RevokeSelector, TokenInfo, split_groups, timestamp,
};
use checkpoint_wire::RecordKind;

/// Connections kept per hub; queries on one connection are pipelined.
const POOL_SIZE: usize = 4;
/// Serialises schema creation when several hubs start at once.
pub(crate) const SCHEMA_LOCK: i64 = 0x0063_6b68_7562; // "ckhub"

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records (
    id          uuid PRIMARY KEY,
    kiosk_id    text NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    body        json NOT NULL
);
CREATE INDEX IF NOT EXISTS records_kiosk_created ON records (kiosk_id, created_at);
CREATE TABLE IF NOT EXISTS tokens (
    hash       text PRIMARY KEY,
    kiosk_id   text NOT NULL,
    label      text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE TABLE IF NOT EXISTS accounts (
    name          text PRIMARY KEY,
    role          text NOT NULL,
    groups        text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz
);
CREATE TABLE IF NOT EXISTS audit (
    seq     bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    account text NOT NULL,
    action  text NOT NULL,
    target  text NOT NULL DEFAULT '',
    detail  text NOT NULL DEFAULT ''
);
-- Append-only: entries are added, never changed or removed.
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
DO $$ BEGIN
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
";

/// The columns [`export_row`] reads.
fn row_columns() -> String {
    format!(
        "id::text, kiosk_id, kind, to_char(created_at AT TIME ZONE 'UTC', {TS}),
         to_char(received_at AT TIME ZONE 'UTC', {TS}), body::text, checkpoint_id"
    )
}

/// Rows whose checkpoint (in `column`) is within the scope in parameter `$n`.
fn in_scope(column: &str, n: u8) -> String {
    format!(
        "(${n}::text[] IS NULL OR {column} IN (SELECT id FROM checkpoints WHERE grp = ANY(${n})))"
    )
}

/// A scope as one parameter: the groups, or NULL for all.
fn scope_param(scope: &Scope) -> Option<Vec<String>> {
    scope.groups().map(<[String]>::to_vec)
}

const TS: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"#;

mod checkpoints;
mod console;
mod enrolments;
mod fleet;
mod migrate;
mod retention;
mod stats;
mod targets;

#[derive(Debug)]
pub struct PgDb {
    url: String,
    slots: Vec<Mutex<Option<Arc<Client>>>>,
    next: AtomicUsize,
}

/// tokio-postgres says only "db error": the server's message is in the source.
fn db_err(e: tokio_postgres::Error) -> HubError {
    match std::error::Error::source(&e) {
        Some(source) => HubError::Db(format!("{e}: {source}")),
        None => HubError::Db(e.to_string()),
    }
}

async fn connect(url: &str) -> Result<Arc<Client>, HubError> {
    let (client, connection) =
        tokio_postgres::connect(url, NoTls)
            .await
            .map_err(|e| match db_err(e) {
                HubError::Db(text) => HubError::Db(format!("PostgreSQL: {text}")),
                other => other,
            })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "PostgreSQL connection ended");
        }
    });
    Ok(Arc::new(client))
}

impl PgDb {
    pub async fn connect(url: &str) -> Result<Self, HubError> {
        let first = connect(url).await?;
        first
            .batch_execute(&format!(
                // One implicit transaction: the lock is held until the schema is committed.
                "SELECT pg_advisory_xact_lock({SCHEMA_LOCK}); {SCHEMA} {} {} {} {} {} {} {}",
                migrate::SCHEMA_2,
                stats::SCHEMA_3,
                targets::SCHEMA_4,
                migrate::SCHEMA_5,
                migrate::waiting_index(),
                enrolments::SCHEMA_6,
                fleet::SCHEMA_7
            ))
            .await
            .map_err(db_err)?;
        migrate::backfill(&first).await?;
        stats::backfill_day_counts(&first).await?;
        let mut slots = vec![Mutex::new(Some(first))];
        slots.extend((1..POOL_SIZE).map(|_| Mutex::new(None)));
        Ok(Self {
            url: url.to_owned(),
            slots,
            next: AtomicUsize::new(0),
        })
    }

    /// A live connection, reconnecting a slot whose connection died.
    async fn client(&self) -> Result<Arc<Client>, HubError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        let mut slot = self.slots[i].lock().await;
        if let Some(c) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(c.clone());
        }
        let c = connect(&self.url).await?;
        *slot = Some(c.clone());
        Ok(c)
    }

    pub async fn insert(
        &self,
        kiosk_id: &str,
        records: &[NewRecord],
    ) -> Result<Vec<bool>, HubError> {
        let mut columns = migrate::Columns::default();
        for r in records {
            columns.ids.push(r.id.to_string());
            columns.push(RecordIndex::of(r.kind, &r.body));
        }
        let kinds: Vec<&str> = records.iter().map(|r| r.kind.as_str()).collect();
        let created: Vec<String> = records.iter().map(|r| timestamp(r.created_at)).collect();
        let bodies: Vec<&str> = records.iter().map(|r| r.body.as_str()).collect();
        let steps = LatestSteps::of(records, &columns);
        let follow_up: Vec<Option<&str>> = columns
            .ids
            .iter()
            .map(|id| steps.latest.get(id.as_str()).map(|(_, state)| *state))
            .collect();
        let client = self.client().await?;
        // One statement: atomic without an explicit transaction. A step
        // sets its declaration's `follow_up` unless a later step is stored;
        // a flagged declaration takes its step from this batch, else the
        // latest stored one (steps may come before it from another kiosk).
        let rows = client
            .query(
                &format!(
                    "WITH ins AS (
                        INSERT INTO records (id, kiosk_id, kind, created_at, received_at, body,
                            checkpoint_id, flagged, document, phone, bluezone, subject, state,
                            follow_up)
                        SELECT u.id::uuid, $1, u.kind, u.created_at::timestamptz, now(), u.body::json,
                            (SELECT checkpoint_id FROM kiosks WHERE kiosk_id = $1),
                            u.flagged, u.document, u.phone, u.bluezone, u.subject, u.state,
                            coalesce(u.follow_up, CASE WHEN u.flagged AND u.kind = 'declaration' THEN
                                (SELECT f.state FROM records f
                                 WHERE f.subject IS NOT NULL AND f.subject = u.id AND f.kind = 'follow-up'
                                 ORDER BY f.created_at DESC, f.id DESC LIMIT 1) END)
                        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bool[],
                                    $7::text[], $8::text[], $9::bool[], $10::text[], $11::text[],
                                    $12::text[])
                             AS u(id, kind, created_at, body, flagged, document, phone, bluezone,
                                  subject, state, follow_up)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id, kind, created_at, flagged, bluezone),
                     attended AS (
                        UPDATE records r SET follow_up = a.state
                        FROM unnest($13::text[], $14::text[], $15::text[]) AS a(subject, state, at)
                        WHERE r.id = a.subject::uuid AND r.kind = 'declaration'
                          AND NOT EXISTS (SELECT 1 FROM records f
                                          WHERE f.subject IS NOT NULL AND f.subject = a.subject
                                            AND f.kind = 'follow-up'
                                            AND f.created_at > a.at::timestamptz)
                        RETURNING 1),
                     {}
                     SELECT id::text FROM ins",
                    stats::counting_ctes()
                ),
                &[
                    &kiosk_id,
                    &columns.ids,
                    &kinds,
                    &created,
                    &bodies,
                    &columns.flagged,
                    &columns.document,
                    &columns.phone,
                    &columns.bluezone,
                    &columns.subject,
                    &columns.state,
                    &follow_up,
                    &steps.subjects,
                    &steps.states,
                    &steps.ats,
                ],
            )
            .await
            .map_err(db_err)?;
        let inserted: HashSet<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
        Ok(columns.ids.iter().map(|id| inserted.contains(id)).collect())
    }

    pub async fn token(&self, hash: &str) -> Result<Option<TokenInfo>, HubError> {
        let client = self.client().await?;
        let row = client
            .query_opt(&token_select("WHERE hash = $1"), &[&hash])
            .await
            .map_err(db_err)?;
        Ok(row.as_ref().map(token_row))
    }

    pub async fn add_token(&self, hash: &str, kiosk_id: &str, label: &str) -> Result<(), HubError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO tokens (hash, kiosk_id, label, created_at) VALUES ($1, $2, $3, now())",
                &[&hash, &kiosk_id, &label],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, HubError> {
        let rows = self
            .client()
            .await?
            .query(&token_select("ORDER BY kiosk_id, created_at"), &[])
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(token_row).collect())
    }

    pub async fn revoke(&self, selector: &RevokeSelector) -> Result<u64, HubError> {
        let client = self.client().await?;
        let (sql, value) = match selector {
            RevokeSelector::Id(prefix) => (
                "UPDATE tokens SET revoked_at = now() WHERE revoked_at IS NULL AND starts_with(hash, $1)",
                prefix,
            ),
            RevokeSelector::Kiosk(kiosk) => (
                "UPDATE tokens SET revoked_at = now() WHERE revoked_at IS NULL AND kiosk_id = $1",
                kiosk,
            ),
        };
        client.execute(sql, &[value]).await.map_err(db_err)
    }

    pub async fn export(&self, f: &ExportFilter) -> Result<Vec<ExportRow>, HubError> {
        let from = f.from.map(timestamp);
        let to = f.to.map(timestamp);
        let sql = format!(
            "SELECT id::text, kiosk_id, kind,
                    to_char(created_at AT TIME ZONE 'UTC', {TS}),
                    to_char(received_at AT TIME ZONE 'UTC', {TS}), body::text, checkpoint_id
             FROM records
             WHERE ($1::text IS NULL OR kiosk_id = $1)
               AND ($2::text IS NULL OR created_at >= $2::text::timestamptz)
               AND ($3::text IS NULL OR created_at < $3::text::timestamptz)
             ORDER BY kiosk_id, created_at, id"
        );
        let rows = self
            .client()
            .await?
            .query(&sql, &[&f.kiosk_id, &from, &to])
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(export_row).collect())
    }

    pub async fn record_ids(&self) -> Result<Vec<Uuid>, HubError> {
        let rows = self
            .client()
            .await?
            .query("SELECT id::text FROM records", &[])
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| Uuid::parse_str(r.get::<_, &str>(0)).map_err(|e| HubError::Db(e.to_string())))
            .collect()
    }

    pub async fn ping(&self) -> Result<(), HubError> {
        self.client()
            .await?
            .simple_query("SELECT 1")
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

impl PgDb {
    pub async fn add_account(&self, a: &Account) -> Result<bool, HubError> {
        let groups = a.groups.join(",");
        let n = self
            .client()
            .await?
            .execute(
                "INSERT INTO accounts (name, role, groups, password_hash, created_at)
                 VALUES ($1, $2, $3, $4, now()) ON CONFLICT (name) DO NOTHING",
                &[&a.name, &a.role.as_str(), &groups, &a.password_hash],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn account(&self, name: &str) -> Result<Option<Account>, HubError> {
        let row = self
            .client()
            .await?
            .query_opt(&account_select("WHERE name = $1"), &[&name])
            .await
            .map_err(db_err)?;
        row.as_ref().map(account_row).transpose()
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, HubError> {
        let rows = self
            .client()
            .await?
            .query(&account_select("ORDER BY name"), &[])
            .await
            .map_err(db_err)?;
        rows.iter().map(account_row).collect()
    }

    pub async fn disable_account(&self, name: &str) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE accounts SET disabled_at = now() WHERE name = $1 AND disabled_at IS NULL",
                &[&name],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }

    pub async fn set_password(&self, name: &str, hash: &str) -> Result<bool, HubError> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE accounts SET password_hash = $1, disabled_at = NULL WHERE name = $2",
                &[&hash, &name],
            )
            .await
            .map_err(db_err)?;
        Ok(n == 1)
    }
}

impl PgDb {
    /// Records by kind, created at or after `since` (all without).
    pub async fn kind_counts(
        &self,
        since: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<(String, i64)>, HubError> {
        let since = since.map(timestamp);
        let rows = self
            .client()
            .await?
            .query(
                "SELECT kind, count(*) FROM records
                 WHERE $1::text IS NULL OR created_at >= $1::text::timestamptz GROUP BY kind",
                &[&since],
            )
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// The latest step of each declaration a batch's steps name: what its
/// `follow_up` becomes. Subjects that are not record ids are left out.
#[derive(Debug, Default)]
struct LatestSteps<'a> {
    latest: std::collections::HashMap<&'a str, (&'a chrono::DateTime<chrono::Utc>, &'a str)>,
    subjects: Vec<&'a str>,
    states: Vec<&'a str>,
    ats: Vec<String>,
}

impl<'a> LatestSteps<'a> {
    fn of(records: &'a [NewRecord], columns: &'a migrate::Columns) -> Self {
        let mut latest = std::collections::HashMap::new();
        let indexed = records
            .iter()
            .zip(columns.subject.iter().zip(&columns.state));
        for (r, (subject, state)) in indexed {
            let (Some(subject), Some(state)) = (subject, state) else {
                continue;
            };
            if r.kind != RecordKind::FollowUp || Uuid::parse_str(subject).is_err() {
                continue;
            }
            let entry = latest
                .entry(subject.as_str())
                .or_insert((&r.created_at, state.as_str()));
            if r.created_at >= *entry.0 {
                *entry = (&r.created_at, state.as_str());
            }
        }
        let mut steps = Self {
            latest,
            ..Self::default()
        };
        for (subject, (at, state)) in &steps.latest {
            steps.subjects.push(subject);
            steps.states.push(state);
            steps.ats.push(timestamp(**at));
        }
        steps
    }
}

fn account_select(tail: &str) -> String {
    format!(
        "SELECT name, role, groups, password_hash, to_char(created_at AT TIME ZONE 'UTC', {TS}),
                to_char(disabled_at AT TIME ZONE 'UTC', {TS})
         FROM accounts {tail}"
    )
}

fn account_row(r: &tokio_postgres::Row) -> Result<Account, HubError> {
    let role: String = r.get(1);
    let groups: String = r.get(2);
    Ok(Account {
        name: r.get(0),
        role: Role::parse(&role).ok_or_else(|| HubError::Db(format!("unknown role {role}")))?,
        groups: split_groups(&groups),
        password_hash: r.get(3),
        created_at: r.get(4),
        disabled_at: r.get(5),
    })
}

fn token_select(tail: &str) -> String {
    format!(
        "SELECT hash, kiosk_id, label, to_char(created_at AT TIME ZONE 'UTC', {TS}),
                to_char(revoked_at AT TIME ZONE 'UTC', {TS})
         FROM tokens {tail}"
    )
}

fn export_row(r: &tokio_postgres::Row) -> ExportRow {
    ExportRow {
        id: r.get(0),
        kiosk_id: r.get(1),
        kind: r.get(2),
        created_at: r.get(3),
        received_at: r.get(4),
        body: r.get(5),
        checkpoint_id: r.get(6),
    }
}

fn token_row(r: &tokio_postgres::Row) -> TokenInfo {
    TokenInfo {
        hash: r.get(0),
        kiosk_id: r.get(1),
        label: r.get(2),
        created_at: r.get(3),
        revoked_at: r.get(4),
    }
}
