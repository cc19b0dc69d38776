//! A scanner in serial mode, played by a pseudo-terminal pair (socat): a
//! CCCD with a Vietnamese name and address arrives whole, split across
//! writes, and pre-fills the form; unplugging and plugging back is survived.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use checkpoint_kiosk::scan::serial::{SerialConfig, SerialScanners};

use crate::serial_support::{CCCD_VI, assert_fills_the_form, next_code, wait_until};

/// A "scanner" plugged in: `device` is what the kiosk opens, `host` where the
/// test writes what the scanner sends.
struct Plugged {
    socat: Child,
    host: PathBuf,
}

fn plug(dir: &Path) -> Plugged {
    let device = dir.join("ttyACM-test0");
    let host = dir.join("scanner-side");
    let socat = Command::new("socat")
        .arg(format!("pty,raw,echo=0,link={}", device.display()))
        .arg(format!("pty,raw,echo=0,link={}", host.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("socat (installed by .ci/packages.sh) plays the scanner");
    wait_until("socat's links", || device.exists() && host.exists());
    Plugged { socat, host }
}

impl Plugged {
    fn send(&self, parts: &[&[u8]]) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&self.host)
            .unwrap();
        for p in parts {
            f.write_all(p).unwrap();
            f.flush().unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn unplug(mut self) {
        self.socat.kill().unwrap();
        self.socat.wait().unwrap();
    }
}

#[test]
fn a_serial_scanner_sends_a_vietnamese_cccd_whole_and_survives_unplugging() {
    let dir = tempfile::tempdir().unwrap();
    let config = SerialConfig {
        devices: vec![format!("{}/ttyACM*", dir.path().display())],
        poll_ms: 100,
        gap_ms: 80,
    };
    let mut scanners = SerialScanners::start(&config).unwrap();
    let device = dir.path().join("ttyACM-test0");
    let scanner = plug(dir.path());
    wait_until("the kiosk to open the device", || {
        scanners.connected.borrow().contains(&device)
    });

    // One code in three writes, cut inside a multi-byte letter, then CR LF.
    let bytes = CCCD_VI.as_bytes();
    let cut = CCCD_VI.find("ỄN").unwrap() + 1;
    scanner.send(&[&bytes[..cut], &bytes[cut..60], &bytes[60..], b"\r\n"]);
    let (text, event) = next_code(&mut scanners);
    assert_eq!(text, CCCD_VI);

    // The window reads it as any code: every letter right on the form.
    assert_fills_the_form(event);

    // Unplugged: the device goes from the list.
    scanner.unplug();
    wait_until("the kiosk to notice the scanner is gone", || {
        scanners.connected.borrow().is_empty()
    });
    // Plugged back: picked up again, and a code without a line end ends at
    // the pause.
    let scanner = plug(dir.path());
    wait_until("the kiosk to open the device again", || {
        scanners.connected.borrow().contains(&device)
    });
    scanner.send(&["HC1:NOT-A-REAL-CERT".as_bytes()]);
    let (text, _) = next_code(&mut scanners);
    assert_eq!(text, "HC1:NOT-A-REAL-CERT");
    scanner.unplug();
}
