//! The second schema on PostgreSQL: checkpoints, the kiosks assigned to
//! them, and the columns the console searches records by ([`RecordIndex`]).
//! `flagged` NULL marks a record not read yet; the backfill resumes where it
//! stopped, and two hubs running it at once only do the same work twice.

use tokio_postgres::Client;

use crate::HubError;
use crate::db::pg::db_err;
use crate::index::RecordIndex;
use checkpoint_wire::RecordKind;
use checkpoint_wire::follow_up_sql::{self as sql, Column};

pub const SCHEMA_2: &str = "
ALTER TABLE records ADD COLUMN IF NOT EXISTS checkpoint_id text;
ALTER TABLE records ADD COLUMN IF NOT EXISTS flagged boolean;
ALTER TABLE records ADD COLUMN IF NOT EXISTS document text;
ALTER TABLE records ADD COLUMN IF NOT EXISTS phone text;
ALTER TABLE records ADD COLUMN IF NOT EXISTS bluezone boolean;
ALTER TABLE records ADD COLUMN IF NOT EXISTS subject text;
ALTER TABLE records ADD COLUMN IF NOT EXISTS state text;
CREATE TABLE IF NOT EXISTS checkpoints (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    province   text NOT NULL DEFAULT '',
    ward       text NOT NULL DEFAULT '',
    grp        text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_grp ON checkpoints (grp);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id      text PRIMARY KEY,
    checkpoint_id text NOT NULL REFERENCES checkpoints (id),
    assigned_at   timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS kiosks_checkpoint ON kiosks (checkpoint_id);
CREATE INDEX IF NOT EXISTS records_checkpoint_created ON records (checkpoint_id, created_at);
CREATE INDEX IF NOT EXISTS records_document ON records (document, created_at) WHERE document IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_phone ON records (phone, created_at) WHERE phone IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_flagged ON records (created_at) WHERE flagged;
CREATE INDEX IF NOT EXISTS records_subject ON records (subject, created_at) WHERE subject IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_unread ON records (id) WHERE flagged IS NULL;
";

/// The latest step's state on each declaration (`follow_up`, NULL: none),
/// filled for the steps already stored when the column is added, in the
/// same transaction. The partial index holds the flagged visitors nobody
/// has attended to: the overview counts them on every view.
pub const SCHEMA_5: &str = "
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'records'
                     AND column_name = 'follow_up') THEN
        ALTER TABLE records ADD COLUMN follow_up text;
        UPDATE records r SET follow_up = l.state
        FROM (SELECT DISTINCT ON (subject) subject, state FROM records
              WHERE subject IS NOT NULL AND kind = 'follow-up'
              ORDER BY subject, created_at DESC, id DESC) l
        WHERE r.id::text = l.subject AND r.kind = 'declaration';
    END IF;
END $$;
-- Time, then id: an export's keyset pages are ordered reads of this index
-- (on time alone, each page sorted what was left of its window).
CREATE INDEX IF NOT EXISTS records_created_id ON records (created_at, id);
DROP INDEX IF EXISTS records_created;
";

/// The index of flagged visitors nobody attended to (the overview counts
/// them on every view), made again when its condition changes: the
/// condition it was made with is kept as the index's comment.
pub fn waiting_index() -> String {
    let condition = format!(
        "flagged AND kind = 'declaration' AND {}",
        sql::waiting(Column::NullIsNew("follow_up"))
    );
    format!(
        "DO $$ BEGIN
           IF obj_description(to_regclass('records_waiting'), 'pg_class')
              IS DISTINCT FROM $c${condition}$c$ THEN
             DROP INDEX IF EXISTS records_waiting;
             CREATE INDEX records_waiting ON records (created_at) INCLUDE (checkpoint_id)
                 WHERE {condition};
             COMMENT ON INDEX records_waiting IS $c${condition}$c$;
           END IF;
         END $$;"
    )
}

/// Sets `follow_up` on the declarations named in `$1` from their latest steps.
const SET_FOLLOW_UPS: &str = "UPDATE records r SET follow_up = l.state
    FROM (SELECT DISTINCT ON (subject) subject, state FROM records
          WHERE subject IS NOT NULL AND subject = ANY($1) AND kind = 'follow-up'
          ORDER BY subject, created_at DESC, id DESC) l
    WHERE r.id::text = l.subject AND r.kind = 'declaration'";

const BACKFILL_BATCH: i64 = 5_000;

/// Indexes the records stored before the columns existed.
pub async fn backfill(client: &Client) -> Result<(), HubError> {
    let mut read = 0usize;
    loop {
        let rows = client
            .query(
                "SELECT id::text, kind, body::text FROM records WHERE flagged IS NULL LIMIT $1",
                &[&BACKFILL_BATCH],
            )
            .await
            .map_err(db_err)?;
        if rows.is_empty() {
            break;
        }
        read += rows.len();
        let mut columns = Columns::default();
        for r in &rows {
            let kind: &str = r.get(1);
            let index = RecordKind::parse(kind)
                .map(|k| RecordIndex::of(k, r.get(2)))
                .unwrap_or_default();
            columns.ids.push(r.get(0));
            columns.push(index);
        }
        client
            .execute(
                "UPDATE records r SET flagged = u.flagged, document = u.document, phone = u.phone,
                        bluezone = u.bluezone, subject = u.subject, state = u.state,
                        checkpoint_id = coalesce(r.checkpoint_id,
                            (SELECT k.checkpoint_id FROM kiosks k WHERE k.kiosk_id = r.kiosk_id))
                 FROM unnest($1::text[], $2::bool[], $3::text[], $4::text[], $5::bool[],
                             $6::text[], $7::text[])
                      AS u(id, flagged, document, phone, bluezone, subject, state)
                 WHERE r.id = u.id::uuid",
                &[
                    &columns.ids,
                    &columns.flagged,
                    &columns.document,
                    &columns.phone,
                    &columns.bluezone,
                    &columns.subject,
                    &columns.state,
                ],
            )
            .await
            .map_err(db_err)?;
        let subjects: Vec<&String> = columns.subject.iter().flatten().collect();
        if !subjects.is_empty() {
            client
                .execute(SET_FOLLOW_UPS, &[&subjects])
                .await
                .map_err(db_err)?;
        }
    }
    if read > 0 {
        tracing::info!(records = read, "records indexed for the console");
    }
    Ok(())
}

/// Index columns of many records, as arrays for `unnest`.
#[derive(Debug, Default)]
pub struct Columns {
    pub ids: Vec<String>,
    pub flagged: Vec<bool>,
    pub document: Vec<Option<String>>,
    pub phone: Vec<Option<String>>,
    pub bluezone: Vec<Option<bool>>,
    pub subject: Vec<Option<String>>,
    pub state: Vec<Option<String>>,
}

impl Columns {
    pub fn push(&mut self, index: RecordIndex) {
        self.flagged.push(index.flagged);
        self.document.push(index.document);
        self.phone.push(index.phone);
        self.bluezone.push(index.bluezone);
        self.subject.push(index.subject);
        self.state.push(index.state);
    }
}
