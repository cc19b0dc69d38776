//! The staff screen's reports and exports, driven as staff would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_kiosk::config::Config;
use checkpoint_kiosk::ui::app::Screen;
use checkpoint_store::Actor;

use crate::ui_support::Kiosk;

fn open_staff(k: &mut Kiosk) {
    k.tap("open-staff");
    k.enter_default_pin();
    assert!(matches!(k.app.screen(), Screen::Staff(_)));
}

#[test]
fn reports_are_readable_and_an_export_lands_on_the_usb_stick() {
    let media = tempfile::tempdir().unwrap();
    let stick = media.path().join("USB-LAN");
    std::fs::create_dir(&stick).unwrap();
    let mut config = Config::default();
    config.kiosk.export_roots = vec![media.path().to_owned()];
    let mut k = Kiosk::with_config(config);
    // One visitor and one report today.
    k.declare(None);
    let report = Report {
        kinds: [ReportKind::IllegalEntry].into(),
        details: "Thuyền cập bến lúc nửa đêm".into(),
        ..Report::default()
    };
    k.store()
        .insert_report(
            &ReportRecord::new(report, "kiosk-test", chrono::Utc::now()),
            Actor::Visitor,
        )
        .unwrap();
    k.send(checkpoint_kiosk::ui::app::Message::Tick(
        std::time::Instant::now() + std::time::Duration::from_secs(9),
    ));

    open_staff(&mut k);
    k.tap("tab-reports");
    assert!(k.shows("Thuyền cập bến lúc nửa đêm"));
    assert!(k.shows("Có trường hợp nhập cảnh trái phép"));
    assert!(
        k.store()
            .audit_log(10)
            .unwrap()
            .iter()
            .any(|a| a.action == "record_viewed" && a.detail.starts_with("reports page 0"))
    );

    k.tap("tab-export");
    assert!(k.shows(&stick.display().to_string()));
    k.tap("export-dest-1");
    k.tap("export-go");
    let files: Vec<_> = std::fs::read_dir(&stick)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "xlsx");
    assert!(k.shows(&format!(
        "Đã xuất 1 tờ khai, 1 phản ánh, 0 bước theo dõi vào {}.",
        stick.display()
    )));
    // A bad range is refused on screen, and nothing more is written.
    k.type_into("export-to", "x");
    k.tap("export-go");
    assert!(k.shows("Nhập cả hai ngày theo dạng NNNN-TT-NN, ví dụ 2026-12-04."));
    assert_eq!(std::fs::read_dir(&stick).unwrap().count(), 1);
}

#[test]
fn staff_import_a_trust_list_from_a_usb_stick_and_the_warning_goes() {
    let media = tempfile::tempdir().unwrap();
    let stick = media.path().join("USB-LAN");
    std::fs::create_dir(&stick).unwrap();
    let (_, pem) = crate::trust_list::vector();
    std::fs::write(stick.join("trust-list.pem"), pem).unwrap();
    let mut config = Config::default();
    config.kiosk.export_roots = vec![media.path().to_owned()];
    let mut k = Kiosk::with_config(config);
    assert!(k.shows("Chứng nhận: chưa có danh sách tin cậy"));
    open_staff(&mut k);
    assert!(k.shows(
        "Chưa có danh sách tin cậy: không xác minh được chứng nhận tiêm chủng. Nhân viên: nhập danh sách (Nhân viên → Tổng quan)."
    ));
    k.tap("import-trust-0");
    assert!(k.shows("Đã nhập danh sách tin cậy: 1 chứng thư ký, 0 khóa kiosk."));
    assert!(!k.shows("Chứng nhận: chưa có danh sách tin cậy"));
    assert!(k.store().trust_list().unwrap().is_some());
}
