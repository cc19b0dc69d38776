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

/// The "Hub" tab saves the checkpoint's A4 poster onto the USB stick as
/// one file, fetched from the hub over the pinned connection; opened in a
/// browser away from the hub, its code is the checkpoint's phone page.
#[test]
fn staff_save_the_checkpoint_poster_to_a_usb_stick() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Hub::start(&dir.path().join("hub"));
    let (_, code) = hub.code(24);
    let media = dir.path().join("media");
    let stick = media.join("USB-LAN");
    std::fs::create_dir_all(&stick).unwrap();
    let mut config = checkpoint_kiosk::config::Config::default();
    config.kiosk.export_roots = vec![media.clone()];
    let mut k = Kiosk::with_config(config);
    k.tap("open-staff");
    k.enter_default_pin();
    k.tap("tab-hub");
    assert!(!k.shows("Lưu áp phích A4 (để in)"), "no hub, no poster");
    k.scan(&code);
    let parsed = checkpoint_kiosk::enrolment::parse(&code).unwrap();
    let answer = hub
        .rt
        .block_on(checkpoint_kiosk::enrolment::request(&parsed, "", ""))
        .unwrap();
    k.send(Message::Enrolled(Ok((parsed, answer))));

    k.tap("hub-save-poster");
    assert!(k.shows("Đang tải áp phích…"));
    // What the window's task does, run here against the real hub.
    let sync = k.app.config().sync.clone();
    let fetched = hub
        .rt
        .block_on(checkpoint_kiosk::poster::fetch(&sync, "moc-bai-1"));
    k.send(Message::PosterFetched(fetched));
    let file = stick.join("poster-moc-bai-1.html");
    assert!(k.shows(&format!(
        "Đã lưu áp phích: {}. Mở tệp bằng trình duyệt bất kỳ và in trên giấy A4.",
        file.display()
    )));
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Cửa khẩu Mộc Bài") && html.contains("<style>"));
    assert!(
        !html.contains("href=\"/declare/"),
        "nothing left at the hub"
    );

    // A checkpoint the hub does not know: said, nothing written.
    let unknown = hub
        .rt
        .block_on(checkpoint_kiosk::poster::fetch(&sync, "nowhere"));
    k.tap("hub-save-poster");
    k.send(Message::PosterFetched(unknown));
    assert!(k.shows(
        "Máy chủ không có trang khai báo cho điểm nowhere: máy chủ cần có khóa ký, và điểm này phải có trên máy chủ."
    ));
    assert_eq!(std::fs::read_dir(&stick).unwrap().count(), 1);

    // Printed from a browser that never saw the hub: the code on it opens
    // the phone page of this checkpoint.
    let Some(driver) = checkpoint_testkit::driver() else {
        return;
    };
    let shot = hub.rt.block_on(async {
        let b = driver.browser((794, 1123), serde_json::Map::new()).await;
        b.goto(&format!("file://{}", file.display())).await.unwrap();
        let shot = b.screenshot().await.unwrap();
        b.close().await.unwrap();
        shot
    });
    let png = dir.path().join("poster.png");
    std::fs::write(&png, shot).unwrap();
    let image = checkpoint_kiosk::scan::files::load_grey(&png).unwrap();
    let codes = checkpoint_kiosk::scan::Engine::new(Default::default())
        .decode(&image, checkpoint_kiosk::scan::Effort::Still)
        .codes;
    let texts: Vec<String> = codes.into_iter().filter_map(|c| c.text).collect();
    assert_eq!(
        texts,
        [format!("{}/declare/?checkpoint=moc-bai-1", hub.url)],
        "the poster's code"
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
    use checkpoint_domain::fleet::{FleetDocument, FleetSettings, SignatureForm, key_text, sign};
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
        let (document, signature) = sign(&doc, key, SignatureForm::InContext);
        let signed = SignedFleet {
            document,
            signature: String::new(),
            signature_in_context: Some(signature),
        };
        let path = checkpoint_kiosk::fleet::file(&k.data);
        std::fs::write(&path, serde_json::to_string(&signed).unwrap()).unwrap();
        // As the sync worker does: the window hears it through its channel.
        k.app.fleet_announcer().send_replace(Some(doc.issued_at));
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
