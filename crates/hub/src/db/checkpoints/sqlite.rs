//! Checkpoints and the kiosks assigned to them, on SQLite.

use rusqlite::{OptionalExtension, params};

use crate::HubError;
use crate::accounts::Scope;
use crate::db::sqlite::{SqliteDb, db_err, in_scope, scope_param};
use crate::rows::{Checkpoint, timestamp};

impl SqliteDb {
    /// `false` when the id is taken.
    pub fn add_checkpoint(&self, c: &Checkpoint) -> Result<bool, HubError> {
        let n = self
            .conn()?
            .execute(
                "INSERT INTO checkpoints (id, name, province, ward, grp, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
                params![
                    c.id,
                    c.name,
                    c.province,
                    c.ward,
                    c.group,
                    timestamp(chrono::Utc::now())
                ],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    /// One checkpoint's name, by its id (the phone page, enrolment).
    pub fn checkpoint_name(&self, id: &str) -> Result<Option<String>, HubError> {
        self.conn()?
            .query_row("SELECT name FROM checkpoints WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db_err)
    }

    /// The checkpoints in a scope, by group and name, with their kiosks.
    pub fn checkpoints(&self, scope: &Scope) -> Result<Vec<Checkpoint>, HubError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(&format!(
                "SELECT c.id, c.name, c.province, c.ward, c.grp,
                        (SELECT group_concat(kiosk_id, ',') FROM
                            (SELECT kiosk_id FROM kiosks k WHERE k.checkpoint_id = c.id ORDER BY kiosk_id))
                 FROM checkpoints c
                 WHERE {}
                 ORDER BY c.grp, c.name, c.id",
                in_scope("c.id", 1)
            ))
            .map_err(db_err)?;
        let rows = stmt
            .query_map([scope_param(scope)], |r| {
                let kiosks: Option<String> = r.get(5)?;
                Ok(Checkpoint {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    province: r.get(2)?,
                    ward: r.get(3)?,
                    group: r.get(4)?,
                    kiosks: kiosks
                        .map(|k| k.split(',').map(str::to_owned).collect())
                        .unwrap_or_default(),
                })
            })
            .map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// Assigns a kiosk to a checkpoint (moving it from another) and attaches
    /// the kiosk's records that have no checkpoint yet to this one; how many.
    /// `None`: no such checkpoint. Records already attached stay where they
    /// were taken.
    pub fn assign_kiosk(
        &self,
        kiosk_id: &str,
        checkpoint_id: &str,
    ) -> Result<Option<u64>, HubError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(db_err)?;
        let known = tx
            .query_row(
                "SELECT 1 FROM checkpoints WHERE id = ?1",
                [checkpoint_id],
                |_| Ok(()),
            )
            .optional()
            .map_err(db_err)?;
        if known.is_none() {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO kiosks (kiosk_id, checkpoint_id, assigned_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (kiosk_id) DO UPDATE SET checkpoint_id = ?2, assigned_at = ?3",
            params![kiosk_id, checkpoint_id, timestamp(chrono::Utc::now())],
        )
        .map_err(db_err)?;
        let attached = tx
            .execute(
                "UPDATE records SET checkpoint_id = ?2 WHERE kiosk_id = ?1 AND checkpoint_id IS NULL",
                params![kiosk_id, checkpoint_id],
            )
            .map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(Some(attached as u64))
    }
}
