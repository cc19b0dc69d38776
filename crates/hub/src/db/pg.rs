//! The hub on PostgreSQL, so several hubs can share one store. Exactly-once
//! comes from the primary key: `ON CONFLICT (id) DO NOTHING` makes a second
//! insert of the same record (from any hub, at any moment) a no-op.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls};
use uuid::Uuid;

use crate::HubError;
use crate::accounts::{Account, Role, Scope};
use crate::rows::{ExportFilter, ExportRow, RevokeSelector, TokenInfo, split_groups, timestamp};

/// Connections kept per hub; queries on one connection are pipelined.
pub(in crate::db) const POOL_SIZE: usize = 4;
/// Serialises schema creation when several hubs start at once.
pub(in crate::db) const SCHEMA_LOCK: i64 = 0x0063_6b68_7562; // "ckhub"

pub(in crate::db) const SCHEMA: &str = "
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
-- Only entries past the audit log's shortest retention (30 days) may be
-- deleted: the retention run deletes those, nothing changes the others.
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '30 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END $$;
DO $$ BEGIN
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
-- Keys the hub makes once and every hub on the same store shares.
CREATE TABLE IF NOT EXISTS secrets (
    name  text PRIMARY KEY,
    value text NOT NULL
);
";

/// The columns [`export_row`] reads.
pub(in crate::db) fn row_columns() -> String {
    format!(
        "id::text, kiosk_id, kind, to_char(created_at AT TIME ZONE 'UTC', {TS}),
         to_char(received_at AT TIME ZONE 'UTC', {TS}), body::text, checkpoint_id"
    )
}

/// Rows whose checkpoint (in `column`) is within the scope in parameter `$n`.
pub(in crate::db) fn in_scope(column: &str, n: u8) -> String {
    format!(
        "(${n}::text[] IS NULL OR {column} IN (SELECT id FROM checkpoints WHERE grp = ANY(${n})))"
    )
}

/// A scope as one parameter: the groups, or NULL for all.
pub(in crate::db) fn scope_param(scope: &Scope) -> Option<Vec<String>> {
    scope.groups().map(<[String]>::to_vec)
}

pub(in crate::db) const TS: &str = r#"'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'"#;

#[derive(Debug)]
pub struct PgDb {
    pub(in crate::db) url: String,
    pub(in crate::db) slots: Vec<Mutex<Option<Arc<Client>>>>,
    pub(in crate::db) next: AtomicUsize,
}

/// tokio-postgres says only "db error": the server's message is in the source.
pub(in crate::db) fn db_err(e: tokio_postgres::Error) -> HubError {
    match std::error::Error::source(&e) {
        Some(source) => HubError::Db(format!("{e}: {source}")),
        None => HubError::Db(e.to_string()),
    }
}

pub(in crate::db) async fn connect(url: &str) -> Result<Arc<Client>, HubError> {
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
    /// A live connection, reconnecting a slot whose connection died.
    pub(in crate::db) async fn client(&self) -> Result<Arc<Client>, HubError> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        let mut slot = self.slots[i].lock().await;
        if let Some(c) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(c.clone());
        }
        let c = connect(&self.url).await?;
        *slot = Some(c.clone());
        Ok(c)
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
        since: &Option<String>,
    ) -> Result<Vec<(String, i64)>, HubError> {
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

pub(in crate::db) fn export_row(r: &tokio_postgres::Row) -> ExportRow {
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
