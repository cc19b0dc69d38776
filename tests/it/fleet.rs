//! The fleet's configuration end to end: two kiosks enrolled at one hub; a
//! saved-declaration code made at kiosk A verifies at kiosk B once B has
//! synced (the hub handed B A's key, signed); a DCC trust list imported on
//! the hub verifies a certificate at B after its next sync; a setting the
//! admin chose wins over B's own; a configuration altered at rest is refused
//! and B says so, keeping its own settings; a setting the admin stops
//! setting is B's own again after its next sync.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::enrolment::{Hub, declare_n, en};
use crate::store_support::*;

use checkpoint_domain::declaration::field;
use checkpoint_domain::payload::{self, ParseContext, ckd::CkdKeys, prefill::prefill};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::paths::DataDir;

fn enrol(hub: &Hub, dir: &std::path::Path, kiosk: &std::path::Path, name: &str) {
    let png = dir.join(format!("{name}.png"));
    hub.code_png(24, &png);
    declare_n(kiosk, 0, 1);
    assert_exit(&en(kiosk, &["enrol", "--image", png.to_str().unwrap()]), 0);
}

/// What `scan-image --parse` says of a picture at this kiosk.
fn parsed(kiosk: &std::path::Path, png: &std::path::Path) -> String {
    let out = en(kiosk, &["scan-image", "--parse", png.to_str().unwrap()]);
    assert_exit(&out, 0);
    stdout(&out)
}

/// A saved-declaration code made at `kiosk` (its template, signed with its
/// key) as a picture in `dir`.
fn saved_code(kiosk: &std::path::Path, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let template = en(kiosk, &["declare", "--template"]);
    let json = dir.join(format!("{name}.json"));
    std::fs::write(&json, &template.stdout).unwrap();
    let code = dir.join(format!("{name}.png"));
    let made = en(
        kiosk,
        &[
            "ckd",
            "encode",
            "--json",
            json.to_str().unwrap(),
            "--png",
            code.to_str().unwrap(),
        ],
    );
    assert_exit(&made, 0);
    code
}

#[test]
fn keys_trust_and_settings_reach_every_kiosk_signed() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    enrol(&hub, dir.path(), &a, "a");
    enrol(&hub, dir.path(), &b, "b");

    // A saved declaration made at kiosk A.
    let code = saved_code(&a, dir.path(), "saved");
    let before = parsed(&b, &code);
    assert!(before.contains("comes from an unknown kiosk"), "{before}");

    // The admin's choices on the hub.
    let (hc1, pem) = crate::trust_list::vector();
    let db = hub.hub().db();
    let imported = hub
        .rt
        .block_on(checkpoint_hub::fleet::import_trust_list(
            db,
            pem.as_bytes(),
            "trust-list.pem",
        ))
        .unwrap()
        .unwrap();
    assert_eq!(imported, 1);
    hub.rt
        .block_on(checkpoint_hub::fleet::set_setting(
            db,
            "idle_timeout_secs",
            "45",
        ))
        .unwrap()
        .unwrap();

    assert_exit(&en(&a, &["sync", "--once"]), 0);
    assert_exit(&en(&b, &["sync", "--once"]), 0);
    let after = parsed(&b, &code);
    assert!(
        !after.contains("unknown kiosk")
            && !after.contains("not signed")
            && !after.contains("changed after"),
        "{after}"
    );

    let data = DataDir::portable(&b);
    let (config, _) = Config::load(&data.config_file());
    let store = checkpoint_kiosk::storage::open_store(&data, &config).unwrap();
    let fleet = checkpoint_kiosk::fleet::in_use(&data, &config).unwrap();
    assert!(
        fleet.is_some(),
        "the hub's configuration is kept and checks"
    );
    let trust = checkpoint_kiosk::trust::load(&data, &config, Some(&store), fleet.as_ref());
    assert!(trust.origin.starts_with("hub"), "{}", trust.origin);
    let then = "2021-05-06T18:00:00Z".parse().unwrap();
    let keys = CkdKeys::default();
    let ctx = ParseContext::new(&trust.list, &keys, then);
    let dcc = payload::parse(hc1.as_bytes(), &ctx).unwrap().payload;
    assert!(prefill(&dcc).sources[field::VACCINATION].signature_checked);

    let shown = en(&b, &["config", "show"]);
    assert!(
        stdout(&shown).contains("idle_timeout_secs = 45"),
        "{}",
        stdout(&shown)
    );

    // Altered at rest: refused, and the kiosk's own settings are back.
    let kept = checkpoint_kiosk::fleet::file(&data);
    let text = std::fs::read_to_string(&kept).unwrap().replace("45", "46");
    std::fs::write(&kept, text).unwrap();
    let shown = en(&b, &["config", "show"]);
    let own = stdout(&shown);
    assert!(
        !own.contains("idle_timeout_secs = 46") && !own.contains("idle_timeout_secs = 45"),
        "{own}"
    );
    assert!(
        stderr(&shown).contains("The configuration from the hub was refused"),
        "{}",
        stderr(&shown)
    );
    let again = parsed(&b, &code);
    assert!(again.contains("comes from an unknown kiosk"), "{again}");

    // The admin stops setting the idle timeout and makes a travel "yes" flag:
    // at B's next sync the idle timeout is B's own again.
    let unset = hub.rt.block_on(checkpoint_hub::fleet::unset_setting(
        db,
        "idle_timeout_secs",
    ));
    unset.unwrap().unwrap();
    let travel = hub
        .rt
        .block_on(checkpoint_hub::fleet::set_setting(db, "travel_flags", "on"));
    travel.unwrap().unwrap();
    assert_exit(&en(&b, &["sync", "--once"]), 0);
    let shown = en(&b, &["config", "show"]);
    let now = stdout(&shown);
    assert!(
        now.contains("travel_flags = true") && !now.contains("idle_timeout_secs = 45"),
        "{now}"
    );
    assert!(stderr(&shown).is_empty(), "{}", stderr(&shown));
}

/// A kiosk configured by hand (a token from the console, no enrolment) tells
/// the hub its saved-declaration key in its heartbeat: codes it signs then
/// verify at the fleet's other kiosks.
#[test]
fn a_kiosk_configured_by_hand_joins_the_fleet_by_its_heartbeat() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let (by_hand, b) = (dir.path().join("by-hand"), dir.path().join("b"));
    enrol(&hub, dir.path(), &b, "b");

    let token = checkpoint_hub::auth::generate_token();
    let hash = checkpoint_hub::auth::hash_token(&token);
    let db = hub.hub().db();
    hub.rt
        .block_on(db.add_token(&hash, "TAY-NINH-7", "by hand"))
        .unwrap();
    let data = DataDir::portable(&by_hand);
    std::fs::create_dir_all(data.root()).unwrap();
    std::fs::write(
        data.config_file(),
        format!(
            "[kiosk]\nid = \"TAY-NINH-7\"\n[sync]\nserver = \"{}\"\ntoken = \"{token}\"\npinned_cert_sha256 = \"{}\"\n",
            hub.url, hub.sha256
        ),
    )
    .unwrap();
    declare_n(&by_hand, 0, 1);

    let code = saved_code(&by_hand, dir.path(), "by-hand");
    assert!(parsed(&b, &code).contains("comes from an unknown kiosk"));

    let sent = en(&by_hand, &["sync", "--once"]);
    assert_exit(&sent, 0);
    assert_exit(&en(&b, &["sync", "--once"]), 0);
    let after = parsed(&b, &code);
    assert!(
        !after.contains("unknown kiosk") && !after.contains("changed after"),
        "{after}"
    );
}

#[test]
fn the_hubs_certificate_is_renewed_without_enrolling_the_kiosks_again() {
    let dir = tempfile::tempdir().unwrap();
    let hub_dir = dir.path().join("hub");
    let mut hub = Hub::start(&hub_dir);
    let (synced, stale) = (dir.path().join("synced"), dir.path().join("stale"));
    enrol(&hub, dir.path(), &synced, "synced");
    enrol(&hub, dir.path(), &stale, "stale");

    // The next certificate, announced (signed) while the current one serves.
    let files = checkpoint_hub::certificate::default_files(&hub_dir);
    let next = checkpoint_hub::certificate::renew(&files, &["localhost".to_owned()]).unwrap();
    hub.restart(&hub_dir);
    assert_exit(&en(&synced, &["sync", "--once"]), 0);
    let kept = std::fs::read_to_string(checkpoint_kiosk::fleet::file(&DataDir::portable(&synced)))
        .unwrap();
    assert!(kept.contains(&next), "{kept}");

    // The hub answers with the new one now.
    assert!(checkpoint_hub::certificate::rotate(&files).unwrap());
    hub.restart(&hub_dir);
    declare_n(&synced, 5, 1);
    let sent = en(&synced, &["sync", "--once"]);
    assert_exit(&sent, 0);
    assert!(stdout(&sent).contains("1 stored"), "{}", stdout(&sent));
    // A kiosk that never heard of it refuses the certificate, as it must.
    declare_n(&stale, 5, 1);
    let refused = en(&stale, &["sync", "--once"]);
    assert_exit(&refused, 1);
    assert!(
        stderr(&refused).contains("certificate"),
        "{}",
        stderr(&refused)
    );
}

/// A stolen kiosk: once its token is revoked, the next fleet document leaves
/// its key out, and codes it signed stop verifying at the other kiosks from
/// their next sync (the visitor holding one declares again).
#[test]
fn a_revoked_kiosk_is_trusted_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    enrol(&hub, dir.path(), &a, "a");
    enrol(&hub, dir.path(), &b, "b");
    let code = saved_code(&a, dir.path(), "saved");
    assert_exit(&en(&a, &["sync", "--once"]), 0);
    assert_exit(&en(&b, &["sync", "--once"]), 0);
    let trusted = parsed(&b, &code);
    assert!(!trusted.contains("unknown kiosk"), "{trusted}");

    let (config_a, _) = Config::load(&DataDir::portable(&a).config_file());
    let stolen = config_a.kiosk.id.clone();
    let db = hub.hub().db();
    let revoked = hub
        .rt
        .block_on(db.revoke(&checkpoint_hub::db::RevokeSelector::Kiosk(stolen.clone())))
        .unwrap();
    assert_eq!(revoked, 1, "{stolen}");
    assert_exit(&en(&b, &["sync", "--once"]), 0);
    let after = parsed(&b, &code);
    assert!(after.contains("comes from an unknown kiosk"), "{after}");
}
