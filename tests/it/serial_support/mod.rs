//! Shared by the serial-scanner tests of both platforms (`scan_serial` on a
//! Unix pseudo-terminal, `scan_serial_com` on a Windows COM port).

use std::time::{Duration, Instant};

use checkpoint_kiosk::scan::ScanEvent;
use checkpoint_kiosk::scan::serial::SerialScanners;
use checkpoint_kiosk::ui::app::{Message, Screen};

use crate::ui_support::Kiosk;

/// The CCCD a scanner sends: a Vietnamese name and address, multi-byte letters.
pub const CCCD_VI: &str = "079301012345|025123456|NGUYỄN THỊ ÁNH|02031993|Nữ|Số 12 Đường Lê Lợi, Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|15062021";

pub fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The next code the scanners read, with its event for the window.
pub fn next_code(scanners: &mut SerialScanners) -> (String, ScanEvent) {
    let start = Instant::now();
    loop {
        match scanners.events.try_recv() {
            Ok(event @ ScanEvent::Read(_)) => {
                let ScanEvent::Read(read) = &event else {
                    unreachable!()
                };
                return (read.code.text.clone().unwrap(), event);
            }
            Ok(_) => {}
            Err(_) => {
                assert!(start.elapsed() < Duration::from_secs(15), "no code came");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// The window reads the scanner's [`CCCD_VI`] as any code: the form opens
/// with every letter right.
pub fn assert_fills_the_form(event: ScanEvent) {
    let mut k = Kiosk::new();
    k.send(Message::Scan(event));
    assert!(matches!(k.app.screen(), Screen::Declaration(_)));
    let id = &k.form().identity;
    assert_eq!(id.full_name, "NGUYỄN THỊ ÁNH");
    assert_eq!(id.document.number, "079301012345");
    assert!(
        id.address.printed.contains("Phường Bến Nghé") || id.address.street.contains("Lê Lợi"),
        "{:?}",
        id.address
    );
    assert!(k.shows("NGUYỄN THỊ ÁNH"));
}
