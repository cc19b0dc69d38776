//! Opening the PostgreSQL store (its schemas under a lock, so several hubs
//! may start at once) and storing kiosks' records with the figures they add
//! to, in one statement.

use std::collections::HashSet;
use std::sync::atomic::AtomicUsize;

use tokio::sync::Mutex;
use uuid::Uuid;

use crate::HubError;
use crate::db::console::{step_counts, step_counts_between};
use crate::db::migrate::pg as migrate;
use crate::db::pg::{POOL_SIZE, PgDb, SCHEMA, SCHEMA_LOCK, connect, db_err};
use crate::db::{enrolments::pg as enrolments, fleet::pg as fleet};
use crate::db::{stats::pg as stats, targets::pg as targets};
use crate::index::RecordIndex;
use crate::rows::{NewRecord, timestamp};
use checkpoint_wire::RecordKind;

impl PgDb {
    pub async fn connect(url: &str) -> Result<Self, HubError> {
        let first = connect(url).await?;
        first
            .batch_execute(&format!(
                // One implicit transaction: the lock is held until the schema is committed.
                "SELECT pg_advisory_xact_lock({SCHEMA_LOCK}); {SCHEMA} {} {} {} {} {} {} {} {}",
                migrate::SCHEMA_2,
                stats::SCHEMA_3,
                targets::SCHEMA_4,
                migrate::SCHEMA_5,
                migrate::waiting_index(),
                enrolments::SCHEMA_6,
                fleet::SCHEMA_7,
                crate::db::signins::SCHEMA_8
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
        // Which steps count for which declaration (see `step_counts`): the
        // sending kiosk is $1, its checkpoint looked up as the insert does.
        let sender_checkpoint = "(SELECT checkpoint_id FROM kiosks WHERE kiosk_id = $1)";
        let arriving_declaration =
            step_counts("f.kiosk_id", "f.checkpoint_id", "$1", sender_checkpoint);
        let arriving_step = step_counts("$1", sender_checkpoint, "r.kiosk_id", "r.checkpoint_id");
        let stored_step = step_counts_between("f", "r");
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
                                   AND {arriving_declaration}
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
                          AND {arriving_step}
                          AND NOT EXISTS (SELECT 1 FROM records f
                                          WHERE f.subject IS NOT NULL AND f.subject = a.subject
                                            AND f.kind = 'follow-up' AND {stored_step}
                                            AND f.created_at > a.at::timestamptz)
                        RETURNING 1),
                     {counting}
                     SELECT id::text FROM ins",
                    counting = stats::counting_ctes()
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
