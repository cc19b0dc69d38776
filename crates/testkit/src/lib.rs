//! What the browser tests of the kiosk (the phone page) and of the hub (the
//! console) share: Debian's chromium driven through chromedriver
//! (WebDriver). A test calls [`driver`] and is skipped, loudly, where either
//! program is missing (`.ci/test` installs both).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver, killed and waited for when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver on a free port; `None` (said on stderr) where
/// chromium or chromedriver is not installed.
///
/// # Panics
/// When chromedriver does not start listening within 5 s.
pub fn driver() -> Option<Driver> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        eprintln!(
            "SKIPPED browser tests: {CHROMIUM} or {CHROMEDRIVER} missing (.ci/test installs them)"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"));
    // Owned by the guard at once: killed and waited for on every path.
    let driver = Driver {
        child: Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER} did not start: {e}")),
        port,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("chromedriver did not start");
}

impl Driver {
    /// A headless chromium whose viewport is `width`×`height` (a phone's is
    /// emulated: a window is at least 500 px wide); `options` are added to
    /// its `goog:chromeOptions` (download folder, say).
    ///
    /// # Panics
    /// When the session cannot be opened.
    pub async fn browser(
        &self,
        (width, height): (u32, u32),
        options: serde_json::Map<String, serde_json::Value>,
    ) -> Client {
        let mut chrome = serde_json::json!({
            "binary": CHROMIUM,
            // As root (CI) chromium needs --no-sandbox. Hubs on their own
            // certificates (which kiosks pin and no browser trusts) are
            // reached all the same.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--ignore-certificate-errors", format!("--window-size={width},{height}")],
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0 } },
        });
        if let Some(map) = chrome.as_object_mut() {
            map.extend(options);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), chrome);
        ClientBuilder::rustls()
            .unwrap_or_else(|e| panic!("no TLS for the WebDriver client: {e}"))
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("no browser session: {e}"))
    }
}

/// The element with this id once the page shows it, waiting up to 10 s
/// through the errors chromedriver gives while one page replaces another
/// ("aborted by navigation", a stale document), which fantoccini's own wait
/// returns at once.
///
/// # Panics
/// When there is no such element after 10 s.
pub async fn element(b: &Client, id: &str) -> Element {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match b.find(Locator::Id(id)).await {
            Ok(found) => return found,
            Err(e) if std::time::Instant::now() >= deadline => {
                panic!("no element #{id} within 10 s: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}
