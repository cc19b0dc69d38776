//! Enrolment end to end: a fresh hub makes a code for a checkpoint and
//! renders it as a PNG; a fresh kiosk that already holds records reads the
//! picture through its own scan engine (`enrol --image`), joins the hub over
//! the pinned TLS connection, and every record, made before or after, is on
//! the hub exactly once under its new id. A used, an expired and a revoked
//! code are refused, with the reason, on the kiosk and the hub.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support::*;

use std::path::Path;

use checkpoint_hub::db::Checkpoint;
use checkpoint_hub::{DbTarget, HubOptions, RunningHub, certificate, enrolment, qr};

pub(crate) struct Hub {
    pub(crate) rt: tokio::runtime::Runtime,
    hub: Option<RunningHub>,
    pub(crate) url: String,
    pub(crate) sha256: String,
}

impl Hub {
    /// A hub on its own generated certificate, as a fresh install makes it.
    pub(crate) fn start(dir: &Path) -> Hub {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let files = certificate::default_files(dir);
        certificate::ensure(&files, &["localhost".to_owned()]).unwrap();
        let sha256 = certificate::fingerprint(&files.cert).unwrap();
        let hub = rt.block_on(RunningHub::start(options(dir, 0))).unwrap();
        let url = format!("https://localhost:{}", hub.addr().port());
        rt.block_on(
            hub.db()
                .add_checkpoint(&Checkpoint::named("moc-bai-1", "Cửa khẩu Mộc Bài")),
        )
        .unwrap();
        Hub {
            rt,
            hub: Some(hub),
            url,
            sha256,
        }
    }

    pub(crate) fn hub(&self) -> &RunningHub {
        self.hub.as_ref().unwrap()
    }

    /// A new code valid for `hours` (negative: already expired), as a PNG.
    pub(crate) fn code_png(&self, hours: i64, png: &Path) -> String {
        let (row_id, text) = self.code(hours);
        qr::write_png(&text, png).unwrap();
        row_id
    }

    /// A new code's id and text.
    pub(crate) fn code(&self, hours: i64) -> (String, String) {
        let (code, row, hash) = enrolment::new_code(
            "moc-bai-1",
            "test",
            chrono::Duration::hours(hours),
            &self.url,
            &self.sha256,
        );
        self.rt
            .block_on(self.hub().db().add_enrolment(&row, &hash))
            .unwrap();
        (row.id, code.to_string())
    }
}

/// A hub in `dir` (its database, certificate and signing key) on `port`.
fn options(dir: &Path, port: u16) -> HubOptions {
    let db = DbTarget::Sqlite {
        path: dir.join("hub.db"),
        key_file: dir.join("hub.db.key"),
    };
    let files = certificate::default_files(dir);
    let mut options = HubOptions::new(
        std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        db,
        Some(files),
    );
    options.signing_key = Some(checkpoint_hub::fleet::key_file(dir));
    options
}

impl Hub {
    /// Stops the hub and starts it again on the same port, on what `dir` holds now.
    pub(crate) fn restart(&mut self, dir: &Path) {
        let port = self.hub().addr().port();
        if let Some(hub) = self.hub.take() {
            self.rt.block_on(hub.stop());
        }
        self.hub = Some(
            self.rt
                .block_on(RunningHub::start(options(dir, port)))
                .unwrap(),
        );
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(hub) = self.hub.take() {
            self.rt.block_on(hub.stop());
        }
    }
}

pub(crate) fn declare_n(data: &Path, from: usize, n: usize) {
    for i in from..from + n {
        let json = serde_json::to_vec(&declaration_of(&person(i))).unwrap();
        assert_exit(
            &run_with(bin(), data, &["declare", "--json", "-"], &json),
            0,
        );
    }
}

pub(crate) fn en(data: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--lang", "en"];
    all.extend_from_slice(args);
    run_with(bin(), data, &all, b"")
}

#[test]
fn a_kiosk_enrols_from_a_picture_and_every_record_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let png = dir.path().join("code.png");
    hub.code_png(24, &png);

    let kiosk = dir.path().join("kiosk");
    declare_n(&kiosk, 0, 3);
    let enrolled = en(&kiosk, &["enrol", "--image", png.to_str().unwrap()]);
    assert_exit(&enrolled, 0);
    let said = stdout(&enrolled);
    assert!(
        said.contains("Cửa khẩu Mộc Bài") && said.contains("3 records made before"),
        "{said}"
    );
    declare_n(&kiosk, 3, 2);
    assert_exit(&en(&kiosk, &["sync", "--once"]), 0);

    let rows = hub
        .rt
        .block_on(
            hub.hub()
                .db()
                .export(&checkpoint_hub::ExportFilter::default()),
        )
        .unwrap();
    assert_eq!(rows.len(), 5, "every record, before and after enrolment");
    let mut ids: Vec<_> = rows.iter().map(|r| r.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "each once");
    let kiosk_id = &rows[0].kiosk_id;
    assert!(kiosk_id.starts_with("moc-bai-1-"), "{kiosk_id}");
    assert!(rows.iter().all(|r| &r.kiosk_id == kiosk_id));
    let config = std::fs::read_to_string(kiosk.join("config.toml")).unwrap();
    assert!(
        config.contains(&hub.sha256) && config.contains(kiosk_id.as_str()),
        "{config}"
    );
    let kiosks = hub
        .rt
        .block_on(
            hub.hub()
                .db()
                .checkpoints(&checkpoint_hub::accounts::Scope::all()),
        )
        .unwrap();
    assert_eq!(
        kiosks[0].kiosks,
        vec![kiosk_id.clone()],
        "assigned to its checkpoint"
    );

    // The same code again, at a second kiosk: refused, and that kiosk unchanged.
    let second = dir.path().join("second");
    declare_n(&second, 10, 1);
    let again = en(&second, &["enrol", "--image", png.to_str().unwrap()]);
    assert_exit(&again, 2);
    assert!(
        stderr(&again).contains("used already"),
        "{}",
        stderr(&again)
    );
    assert!(!second.join("config.toml").exists());
}

#[test]
fn expired_and_revoked_codes_are_refused_and_malformed_ones_explained() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let kiosk = dir.path().join("kiosk");

    let expired = dir.path().join("expired.png");
    hub.code_png(-1, &expired);
    let out = en(&kiosk, &["enrol", "--image", expired.to_str().unwrap()]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("expired"), "{}", stderr(&out));

    let revoked = dir.path().join("revoked.png");
    let id = hub.code_png(24, &revoked);
    let now = checkpoint_hub::db::timestamp(chrono::Utc::now());
    let n = hub
        .rt
        .block_on(hub.hub().db().revoke_enrolment(&id, &now))
        .unwrap();
    assert_eq!(n, 1);
    let out = en(&kiosk, &["enrol", "--image", revoked.to_str().unwrap()]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("revoked"), "{}", stderr(&out));

    let out = run_with(
        bin(),
        &kiosk,
        &["--lang", "vi", "enrol", "CKENROL:1:short:x:https://h"],
        b"",
    );
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("mã đăng ký"), "{}", stderr(&out));
    assert!(!kiosk.join("config.toml").exists(), "nothing written");
}
