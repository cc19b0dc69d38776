//! Joining a hub from the staff screen: an enrolment code held to the
//! camera on the "Hub" tab, the hub's answer (from a real hub, over the
//! pinned TLS connection) kept, the records made before sent under the new
//! id; the same code at the welcome screen says where it belongs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_kiosk::ui::app::{Message, Screen};

use crate::enrolment::Hub;
use crate::ui_support::Kiosk;

#[test]
fn staff_connect_the_kiosk_to_a_hub_by_holding_up_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let (_, code) = hub.code(24);
    let mut k = Kiosk::new();
    k.declare(None);
    k.send(Message::Tick(
        std::time::Instant::now() + std::time::Duration::from_secs(9),
    ));

    // At the welcome screen it is not a visitor's code: it says where it goes.
    k.scan(&code);
    assert!(k.shows(
        "Đây là mã kết nối kiosk với máy chủ. Nhân viên: mở màn hình nhân viên, thẻ \"Máy chủ\", rồi đưa mã lên tại đó."
    ));

    k.tap("open-staff");
    k.enter_default_pin();
    k.tap("tab-hub");
    assert!(k.shows(
        "Kiosk này chưa gửi dữ liệu tới máy chủ nào: bản ghi được giữ tại đây cho đến khi kết nối."
    ));
    k.scan(&code);
    assert!(k.shows("Đang kết nối…"), "the request is with the hub");

    // What the window's task does, run here: the real hub's answer.
    let parsed = checkpoint_kiosk::enrolment::parse(&code).unwrap();
    let previous = k.store().kiosk_id().to_owned();
    let answer = hub
        .rt
        .block_on(checkpoint_kiosk::enrolment::request(&parsed, &previous, ""))
        .unwrap();
    let kiosk_id = answer.kiosk_id.clone();
    k.send(Message::Enrolled(Ok((parsed, answer))));

    assert!(k.shows(&format!(
        "Đã đăng ký thành máy {kiosk_id} tại Cửa khẩu Mộc Bài; 1 bản ghi tạo trước đó sẽ được gửi với mã máy này."
    )));
    assert!(k.shows(&format!(
        "Gửi tới {} với mã máy {kiosk_id}, chỉ tin chứng chỉ của máy chủ đó.",
        parsed_hub(&code)
    )));
    let config = std::fs::read_to_string(k.data.config_file()).unwrap();
    assert!(
        config.contains(&hub.sha256)
            && config.contains(&kiosk_id)
            && config.contains("checkpoint = \"moc-bai-1\""),
        "{config}"
    );
    // Visitors in the queue can declare on their phones: the page of this checkpoint.
    let page = format!("{}/declare/?checkpoint=moc-bai-1", parsed_hub(&code));
    assert!(k.shows(&format!(
        "Khách có thể khai báo trước khi đến: mã này mở trang khai báo bằng điện thoại cho điểm này ({page}). Áp phích A4 để in từ trình duyệt bất kỳ: {}",
        page.replace("/declare/?", "/declare/poster?")
    )));
    let store = k.store();
    assert_eq!(store.kiosk_id(), kiosk_id);
    let log = store.audit_log(5).unwrap();
    assert!(log.iter().any(|e| e.action == "kiosk_enrolled"), "{log:?}");
    assert!(matches!(k.app.screen(), Screen::Staff(_)));

    // The code is spent: a second try is refused with the reason, in Vietnamese.
    let again = hub
        .rt
        .block_on(checkpoint_kiosk::enrolment::request(
            &checkpoint_kiosk::enrolment::parse(&code).unwrap(),
            &kiosk_id,
            "",
        ))
        .unwrap_err();
    k.send(Message::Enrolled(Err(again.message())));
    assert!(
        k.shows("Mã đăng ký này đã được dùng: mỗi mã chỉ đăng ký một máy. Hãy xin một mã mới.")
    );
}

fn parsed_hub(code: &str) -> String {
    checkpoint_kiosk::enrolment::parse(code).unwrap().hub
}

/// A fleet configuration the sync worker keeps while the window runs is in
/// use at the next status tick, without a restart; one signed by another
/// key is not.
#[test]
fn a_newer_fleet_configuration_is_taken_while_the_window_runs() {
    use checkpoint_domain::fleet::{FleetDocument, FleetSettings, key_text, sign};
    use checkpoint_kiosk::config::Config;
    use checkpoint_wire::SignedFleet;
    use std::time::{Duration, Instant};

    let hub = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let mut config = Config::default();
    config.sync.hub_key = Some(key_text(&hub.verifying_key()));
    let mut k = Kiosk::with_config(config);
    let write = |k: &Kiosk, key: &ed25519_dalek::SigningKey, idle: &str| {
        let mut settings = FleetSettings::default();
        settings.set("idle_timeout_secs", idle).unwrap();
        let doc = FleetDocument {
            issued_at: chrono::Utc::now(),
            hub_key: key_text(&hub.verifying_key()),
            settings,
            ..FleetDocument::default()
        };
        let (document, signature) = sign(&doc, key);
        let signed = SignedFleet {
            document,
            signature,
        };
        let path = checkpoint_kiosk::fleet::file(&k.data);
        std::fs::write(&path, serde_json::to_string(&signed).unwrap()).unwrap();
    };

    // Forged: refused at the tick, the kiosk's own 60 s stay.
    write(&k, &ed25519_dalek::SigningKey::from_bytes(&[4; 32]), "20");
    k.send(Message::StatusTick);
    k.scan(crate::ui_support::CCCD);
    let now = Instant::now();
    k.send(Message::Tick(now + Duration::from_secs(30)));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));

    // Signed by the hub: its 20 s are in use from the next tick on.
    std::thread::sleep(Duration::from_millis(20));
    write(&k, &hub, "20");
    k.send(Message::StatusTick);
    k.send(Message::Tick(now + Duration::from_secs(31)));
    assert!(
        matches!(k.app.screen(), Screen::Welcome(_)),
        "the hub's idle timeout cleared the form"
    );
}
