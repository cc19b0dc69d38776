//! A scanner in serial mode on a Windows COM port. Under Wine in CI,
//! `.ci/windows/test` plays the scanner with a pseudo-terminal pair (socat)
//! whose device end is the prefix's COM1 (`HKLM\Software\Wine\Ports`, so
//! that Wine's mount manager does not point COM1 back at `/dev/ttyS0`): the kiosk opens
//! `COM1` through the Win32 communications API (serialport), the test writes
//! what the scanner sends into the other end. A CCCD with a Vietnamese name
//! arrives whole, split across writes, and pre-fills the form; a port named
//! but absent is left alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use checkpoint_kiosk::scan::serial::{SerialConfig, SerialScanners};

use crate::serial_support::{CCCD_VI, assert_fills_the_form, next_code, wait_until};

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: .ci/windows/test maps the COM port and sets it")
    })
}

fn send(host: &str, parts: &[&[u8]]) {
    let mut f = std::fs::OpenOptions::new().write(true).open(host).unwrap();
    for p in parts {
        f.write_all(p).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_com_port_scanner_sends_a_vietnamese_cccd_whole() {
    let port = var("CK_TEST_COM_PORT");
    let host = var("CK_TEST_COM_HOST");
    let config = SerialConfig {
        // A second port that is not there: tried at each poll, never listed.
        devices: vec![port.clone(), "COM9".into()],
        poll_ms: 100,
        gap_ms: 80,
    };
    let mut scanners = SerialScanners::start(&config).unwrap();
    wait_until("the kiosk to open the COM port", || {
        scanners.connected.borrow().contains(&PathBuf::from(&port))
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(*scanners.connected.borrow(), vec![PathBuf::from(&port)]);

    // One code in three writes, cut inside a multi-byte letter, then CR LF.
    let bytes = CCCD_VI.as_bytes();
    let cut = CCCD_VI.find("ỄN").unwrap() + 1;
    send(
        &host,
        &[&bytes[..cut], &bytes[cut..60], &bytes[60..], b"\r\n"],
    );
    let (text, event) = next_code(&mut scanners);
    assert_eq!(text, CCCD_VI);

    assert_fills_the_form(event);

    // A code without a line end ends at the pause.
    send(&host, &["HC1:NOT-A-REAL-CERT".as_bytes()]);
    let (text, _) = next_code(&mut scanners);
    assert_eq!(text, "HC1:NOT-A-REAL-CERT");
}
