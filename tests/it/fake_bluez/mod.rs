//! A private D-Bus "system" bus with a fake BlueZ on it, for the Bluetooth
//! tests and the CPU bench. These machines have no Bluetooth in the kernel;
//! the fake replaces only the hardware edge: btleplug and the whole scanner
//! run for real against it.
//!
//! `DBUS_SYSTEM_BUS_ADDRESS` is process-wide and setting it needs `unsafe`
//! (forbidden here), so a test starts the bus and then runs itself again as
//! a child process with the variable set ([`run_child`]).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// Set in the child process that runs the scenario.
pub const CHILD_MARK: &str = "CK_BLE_FAKE_BUS_CHILD";

const SYSTEM_LIKE_POLICY: &str = r#"
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow own="org.bluez"/>
"#;

/// Where `dbus-daemon` is, if installed.
pub fn dbus_daemon() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/bin")])
        .map(|d| d.join("dbus-daemon"))
        .find(|p| p.is_file())
}

/// Prints why a test did not run, loudly enough to be noticed in CI logs.
pub fn skip_loudly(test: &str) {
    let line = "!".repeat(78);
    eprintln!(
        "{line}\n!!! SKIPPED {test}: dbus-daemon is not installed (apt-get install dbus python3-dbus).\n!!! The fake-BlueZ test did NOT run. CI installs it through .ci/packages.sh.\n{line}"
    );
}

/// A private dbus-daemon with a system-bus-like policy.
pub struct FakeBus {
    daemon: Child,
    _dir: tempfile::TempDir,
    pub address: String,
}

impl FakeBus {
    /// `deny_bluez`: clients may not call org.bluez (as for a user outside the
    /// `bluetooth` group on a locked-down system).
    pub fn start(daemon: &Path, deny_bluez: bool) -> FakeBus {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("system_bus_socket");
        let access = if deny_bluez {
            r#"<deny send_destination="org.bluez"/>"#
        } else {
            r#"<allow send_destination="org.bluez"/>"#
        };
        let config = format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">{SYSTEM_LIKE_POLICY}{access}</policy>
</busconfig>
"#,
            socket.display()
        );
        let config_path = dir.path().join("bus.conf");
        std::fs::write(&config_path, config).unwrap();
        let mut daemon = Command::new(daemon)
            .arg(format!("--config-file={}", config_path.display()))
            .args(["--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "dbus-daemon said {address:?}");
        FakeBus {
            daemon,
            _dir: dir,
            address,
        }
    }
}

impl Drop for FakeBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Runs this test binary again, only `test` (its full name, module path
/// included), with the private bus as the system bus. Fails unless the child
/// ran exactly that one test: a name that matched nothing must not pass.
pub fn run_child(test: &str, bus: &FakeBus, extra_args: &[&str]) -> ExitStatus {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe)
        .args([
            test,
            "--exact",
            "--nocapture",
            "--ignored",
            "--test-threads=1",
        ])
        .args(extra_args)
        .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address)
        .env(CHILD_MARK, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("1 passed") || stdout.contains("1 failed"),
        "the child ran no test named {test:?}"
    );
    out.status
}

/// Whether this process is the child that [`run_child`] started.
pub fn in_child() -> bool {
    std::env::var_os(CHILD_MARK).is_some() && std::env::var_os("DBUS_SYSTEM_BUS_ADDRESS").is_some()
}

/// The fake org.bluez service (Python), driven by JSON commands on its stdin.
pub struct FakeBluez {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    sent: u32,
}

impl FakeBluez {
    /// Starts it on the bus in `DBUS_SYSTEM_BUS_ADDRESS` and waits until it owns org.bluez.
    pub fn start() -> FakeBluez {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/fake_bluez/fake_bluez.py"
        );
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the fake BlueZ (needs /usr/bin/python3 with python3-dbus, python3-gi)");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut fake = FakeBluez {
            child,
            stdin,
            lines,
            sent: 0,
        };
        fake.expect_line(|l| l == "READY");
        fake
    }

    fn expect_line(&mut self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .expect("the fake BlueZ stopped answering");
            assert!(!line.starts_with("ERR"), "fake BlueZ: {line}");
            if want(&line) {
                return line;
            }
        }
    }

    /// Sends one command and waits for it to be applied.
    pub fn send(&mut self, cmd: serde_json::Value) {
        self.sent += 1;
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        let ack = format!("ACK {}", self.sent);
        self.expect_line(|l| l == ack);
    }

    /// How many GATT connections the fake has accepted.
    pub fn connects(&mut self) -> u32 {
        self.sent += 1;
        writeln!(self.stdin, "{}", serde_json::json!({"op": "stats"})).unwrap();
        self.stdin.flush().unwrap();
        let line = self.expect_line(|l| l.starts_with("STATS"));
        let ack = format!("ACK {}", self.sent);
        self.expect_line(|l| l == ack);
        line.rsplit('=').next().unwrap().parse().unwrap()
    }
}

impl Drop for FakeBluez {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `cond` until it holds; panics with `what` and `state()` after `secs`.
pub fn wait_until(
    secs: u64,
    what: &str,
    mut cond: impl FnMut() -> bool,
    state: impl Fn() -> String,
) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}; state: {}", state());
}
