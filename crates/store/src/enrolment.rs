//! Joining a hub: the kiosk takes the id the hub gave it, and the records it
//! has not delivered yet go under that id (in their row and in their JSON),
//! so the hub accepts them; delivered records keep the id they went with.

use rusqlite::params;

use super::{Store, StoreError, audit, meta};
use crate::{Action, Actor};

const TABLES: [&str; 3] = ["declarations", "reports", "follow_ups"];

impl Store {
    /// Adopts `kiosk_id`; returns how many unsent records were re-labelled.
    /// One transaction with its audit entry: all of it happens, or none.
    pub fn adopt_kiosk_id(&mut self, kiosk_id: &str, actor: Actor) -> Result<u64, StoreError> {
        let path = self.path.clone();
        let err = |e| StoreError::from_sqlite(&path, e);
        let previous = self.kiosk_id.clone();
        let tx = self.conn.transaction().map_err(err)?;
        let mut relabelled = 0u64;
        for table in TABLES {
            let sql = format!(
                "UPDATE {table} SET kiosk_id = ?1,
                     record = CASE WHEN json_valid(record) AND json_type(record, '$.kiosk_id') = 'text'
                                   THEN json_set(record, '$.kiosk_id', ?1) ELSE record END
                 WHERE sync_state != 'acknowledged' AND kiosk_id != ?1"
            );
            relabelled += tx.execute(&sql, params![kiosk_id]).map_err(err)? as u64;
        }
        meta::set(&tx, meta::KIOSK_ID, kiosk_id).map_err(err)?;
        let detail = format!("{previous} -> {kiosk_id}; {relabelled} unsent records re-labelled");
        audit::append(
            &tx,
            chrono::Utc::now(),
            actor,
            Action::KioskEnrolled,
            None,
            &detail,
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        self.kiosk_id = kiosk_id.to_owned();
        Ok(relabelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync_queue::Mark;
    use crate::{Key, Settings};
    use checkpoint_domain::declaration::{Declaration, Record};
    use checkpoint_wire::RecordKind;

    #[test]
    fn unsent_records_go_under_the_new_id_and_delivered_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_with(
            &dir.path().join("k.db"),
            &Key::random(),
            Settings::default(),
        )
        .unwrap();
        let before = store.kiosk_id().to_owned();
        let now = chrono::Utc::now();
        let delivered = Record::new(Declaration::example(), &before, now, now);
        let waiting = Record::new(Declaration::example(), &before, now, now);
        store
            .insert_declaration(&delivered, Actor::Visitor)
            .unwrap();
        store.insert_declaration(&waiting, Actor::Visitor).unwrap();
        store
            .sync_mark(Mark::Acknowledged, &[delivered.record_id], now)
            .unwrap();

        let n = store
            .adopt_kiosk_id("moc-bai-1-0A0B0C0D", Actor::Staff)
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(store.kiosk_id(), "moc-bai-1-0A0B0C0D");
        let batch = store.sync_batch(10, 1 << 20, &RecordKind::ALL).unwrap();
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].id, waiting.record_id);
        assert_eq!(batch[0].kiosk_id, "moc-bai-1-0A0B0C0D");
        let body: serde_json::Value = serde_json::from_str(batch[0].body.get()).unwrap();
        assert_eq!(body["kiosk_id"], "moc-bai-1-0A0B0C0D", "{body}");
        let kept: String = store
            .conn
            .query_row(
                "SELECT kiosk_id FROM declarations WHERE record_id = ?1",
                [delivered.record_id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, before);
        let log = store.audit_log(1).unwrap();
        assert_eq!(log[0].action, "kiosk_enrolled");
        assert!(log[0].detail.contains(&before), "{}", log[0].detail);
    }
}
