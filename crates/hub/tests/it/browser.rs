//! The console in a real browser: Debian's chromium driven through
//! chromedriver (WebDriver). Sign in, see the counts, follow up a flagged
//! visitor, read the audit log; a viewer finds no name or phone in any
//! page's text. With `CK_HUB_SCREENSHOT_DIR` set, each page is saved there
//! in both languages at 1366×768 and 390×844 (`bash .ci/screenshots`).
//! Skipped, loudly, where chromium or chromedriver is missing (`.ci/test`
//! installs both).

use std::path::{Path, PathBuf};
use std::time::Duration;

use checkpoint_domain::declaration::report::{Report, ReportKind, ReportRecord};
use checkpoint_domain::declaration::{Declaration, Record, Symptom};
use checkpoint_hub::db::NewRecord;
use checkpoint_wire::RecordKind;
use chrono::DurationRound as _;
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::console::Console;

use checkpoint_testkit::{Driver, driver};

async fn browser(driver: &Driver, size: (u32, u32), downloads: &Path) -> Client {
    // Exports land here, without a prompt.
    let mut options = serde_json::Map::new();
    options.insert(
        "prefs".into(),
        json!({
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        }),
    );
    driver.browser(size, options).await
}

async fn sign_in(b: &Client, base: &str, name: &str, lang: &str) {
    b.goto(&format!("{base}/login?lang={lang}")).await.unwrap();
    b.find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("mật khẩu đủ dài")
        .await
        .unwrap();
    b.find(Locator::Id("sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    checkpoint_testkit::element(b, "signed-in").await;
}

/// The visible text of the page (read again while a navigation replaces it).
async fn page_text(b: &Client) -> String {
    for _ in 0..50 {
        if let Ok(body) = b.find(Locator::Css("body")).await
            && let Ok(text) = body.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no page text");
}

/// The page's text once it holds `needle` (a form's answer has loaded).
async fn wait_text(b: &Client, needle: &str) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = page_text(b).await;
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{needle:?} never appeared: {text}");
}

fn shots_dir() -> Option<PathBuf> {
    std::env::var_os("CK_HUB_SCREENSHOT_DIR").map(PathBuf::from)
}

async fn shot(b: &Client, name: &str) {
    if let Some(dir) = shots_dir() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{name}.png")),
            b.screenshot().await.unwrap(),
        )
        .unwrap();
    }
}

/// A kiosk sends records the way every kiosk does: a batch over HTTP with
/// its token (and a heartbeat after).
async fn kiosk_sends(c: &Console, kiosk: &str, records: &[NewRecord]) {
    let token = checkpoint_hub::auth::generate_token();
    c.hub
        .db()
        .add_token(&checkpoint_hub::auth::hash_token(&token), kiosk, "")
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let batch = json!({
        "protocol": 1,
        "kiosk_id": kiosk,
        "sent_at": chrono::Utc::now(),
        "records": records.iter().map(|r| json!({
            "id": r.id,
            "kind": r.kind,
            "kiosk_id": kiosk,
            "created_at": r.created_at,
            "body": serde_json::from_str::<serde_json::Value>(&r.body).unwrap(),
        })).collect::<Vec<_>>(),
    });
    let answer = http
        .post(format!("{}/api/v1/records", c.base))
        .bearer_auth(&token)
        .header("ck-protocol", "1")
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    let hour = chrono::Utc::now()
        .duration_trunc(chrono::TimeDelta::hours(1))
        .unwrap();
    let beat = json!({
        "protocol": 1, "kiosk_id": kiosk, "sent_at": chrono::Utc::now(),
        "software_version": "0.1.0", "queue_depth": 0, "last_sync_error": null,
        "camera": "working", "bluetooth": "working",
        "hours": [{"hour": hour, "checkins": records.len(), "observed": records.len(),
                   "with_bluezone": 1, "bluezone_seen": 3}],
    });
    let answer = http
        .post(format!("{}/api/v1/heartbeat", c.base))
        .bearer_auth(&token)
        .header("ck-protocol", "1")
        .json(&beat)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
}

/// The first file with extension `ext` to finish downloading into `dir`.
async fn downloaded(dir: &Path, ext: &str) -> PathBuf {
    for _ in 0..100 {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == ext));
        if let Some(file) = done {
            return file;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no .{ext} downloaded into {}", dir.display());
}

/// Every cell of a workbook's first sheet, as text.
fn first_sheet(book: &Path) -> Vec<String> {
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(book).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    range.cells().map(|(_, _, v)| v.to_string()).collect()
}

async fn received(c: &Console) -> Record {
    let mut d = Declaration::example();
    d.identity.full_name = "PHẠM VĂN BÌNH".into();
    d.identity.phone = "0987654321".into();
    d.symptoms.selected.insert(Symptom::Cough);
    let mut visitor = Record::new(d, "CUA-KHAU-1", chrono::Utc::now(), chrono::Utc::now());
    visitor.bluezone_nearby = Some(true);
    // Not the tracing set's case (whose phone the example holds).
    let mut other = Declaration::example();
    other.identity.phone = "0933000111".into();
    other.identity.document.number = "079304001234".into();
    let mut calm = Record::new(other, "CUA-KHAU-1", chrono::Utc::now(), chrono::Utc::now());
    calm.bluezone_nearby = Some(false);
    let mut records: Vec<NewRecord> = [&visitor, &calm]
        .iter()
        .map(|r| NewRecord {
            id: r.record_id,
            kind: RecordKind::Declaration,
            created_at: r.submitted_at,
            body: serde_json::to_string(r).unwrap(),
        })
        .collect();
    let report = ReportRecord::new(
        Report {
            kinds: [ReportKind::IllegalEntry].into(),
            details: "Hai người qua đường mòn sau chợ, không qua cửa khẩu".into(),
            province: "20".into(),
            ..Report::default()
        },
        "CUA-KHAU-1",
        chrono::Utc::now(),
    );
    records.push(NewRecord {
        id: report.record_id,
        kind: RecordKind::Report,
        created_at: report.submitted_at,
        body: serde_json::to_string(&report).unwrap(),
    });
    c.hub
        .db()
        .assign_kiosk("CUA-KHAU-1", "a")
        .await
        .unwrap()
        .unwrap();
    kiosk_sends(c, "CUA-KHAU-1", &records).await;
    visitor
}

async fn click(b: &Client, id: &str) {
    b.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The window sizes of the screenshots; `CK_HUB_SCREENSHOT_TALL` makes them
/// tall enough to hold whole pages (for reviewing, not for the docs).
fn sizes() -> [(u32, u32); 2] {
    if std::env::var_os("CK_HUB_SCREENSHOT_TALL").is_some() {
        [(1366, 2400), (390, 3200)]
    } else {
        [(1366, 768), (390, 844)]
    }
}

#[tokio::test]
async fn the_console_in_chromium() {
    let Some(driver) = driver() else { return };
    let c = Console::start().await;
    let set = crate::tracing::trace_set(&c).await;
    let visitor = received(&c).await;
    let sizes = sizes();

    for lang in ["vi", "en"] {
        for size in sizes {
            let tag = format!("{lang}-{}x{}", size.0, size.1);
            let downloads = tempfile::tempdir().unwrap();
            let b = browser(&driver, size, downloads.path()).await;
            b.goto(&format!("{}/login?lang={lang}", c.base))
                .await
                .unwrap();
            shot(&b, &format!("01-login-{tag}")).await;

            // A health officer: the counts, then the flagged visitor, followed up.
            sign_in(&b, &c.base, "lan", lang).await;
            let card = b
                .find(Locator::Id("count-declaration"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(card.contains('2'), "{card}");
            let adoption = b
                .find(Locator::Id("adoption"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(adoption.contains("50%"), "{adoption}");
            shot(&b, &format!("02-overview-{tag}")).await;
            // Down to the group, the checkpoint and its kiosk, heard a moment ago.
            b.find(Locator::LinkText("G1"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            checkpoint_testkit::element(&b, "checkpoints").await;
            shot(&b, &format!("02b-overview-group-{tag}")).await;
            b.find(Locator::LinkText("Cửa khẩu A"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let kiosk = checkpoint_testkit::element(&b, "kiosk-CUA-KHAU-1")
                .await
                .text()
                .await
                .unwrap();
            assert!(kiosk.contains("0.1.0") && kiosk.contains('3'), "{kiosk}");
            shot(&b, &format!("02c-overview-checkpoint-{tag}")).await;

            // Tracing: the case by phone, exactly the three contacts.
            click(&b, "nav-tracing").await;
            checkpoint_testkit::element(&b, "case").await;
            b.find(Locator::Id("case"))
                .await
                .unwrap()
                .send_keys("+84 912 345 678")
                .await
                .unwrap();
            click(&b, "trace").await;
            checkpoint_testkit::element(&b, "trace-summary").await;
            let mut shown = Vec::new();
            for row in b.find_all(Locator::Css("tr.contact")).await.unwrap() {
                shown.push(row.attr("id").await.unwrap().unwrap());
            }
            shown.sort();
            let mut expected: Vec<String> = ["p1", "p2", "p4"]
                .iter()
                .map(|n| format!("contact-{}", set.id(n)))
                .collect();
            expected.sort();
            assert_eq!(shown, expected);
            shot(&b, &format!("06-tracing-{tag}")).await;
            b.find(Locator::Id("nav-flagged"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let row =
                checkpoint_testkit::element(&b, &format!("visitor-{}", visitor.record_id)).await;
            let text = row.text().await.unwrap();
            assert!(
                text.contains("PHẠM VĂN BÌNH") && text.contains("0987654321"),
                "{text}"
            );
            let form = row.find(Locator::Css("select[name=state]")).await.unwrap();
            form.select_by_value("contacted").await.unwrap();
            row.find(Locator::Css("input[name=note]"))
                .await
                .unwrap()
                .send_keys("Đã gọi, hẹn xét nghiệm")
                .await
                .unwrap();
            row.find(Locator::Css("button"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_text(&b, "Đã gọi, hẹn xét nghiệm").await;
            shot(&b, &format!("03-flagged-{tag}")).await;
            b.find(Locator::Id("nav-reports"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            checkpoint_testkit::element(&b, "reports-total").await;
            // The tracing set's report has no readable body: said, not hidden.
            let unreadable = b
                .find(Locator::Id("unreadable"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                unreadable.contains("checkpoint-hub export --format raw"),
                "{unreadable}"
            );
            shot(&b, &format!("05-reports-{tag}")).await;
            b.find(Locator::Id("sign-out"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            checkpoint_testkit::element(&b, "sign-in").await;

            // A viewer: no name or phone in the text of any page it reaches.
            sign_in(&b, &c.base, "an", lang).await;
            for path in [
                "/",
                "/?group=G1",
                "/?checkpoint=a",
                "/kiosks",
                "/flagged",
                "/reports",
                "/tracing",
                "/audit",
            ] {
                b.goto(&format!("{}{path}", c.base)).await.unwrap();
                let text = page_text(&b).await;
                assert!(
                    !text.contains("BÌNH")
                        && !text.contains("0987654321")
                        && !text.contains("NGUYỄN"),
                    "{path}: {text}"
                );
            }
            b.goto(&format!("{}/", c.base)).await.unwrap();
            b.find(Locator::Id("sign-out"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            checkpoint_testkit::element(&b, "sign-in").await;

            // The admin: the audit log shows the step.
            sign_in(&b, &c.base, "quan", lang).await;
            b.find(Locator::Id("nav-audit"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let audit = checkpoint_testkit::element(&b, "audit")
                .await
                .text()
                .await
                .unwrap();
            let step_label = if lang == "vi" {
                "Ghi bước theo dõi"
            } else {
                "Recorded a follow-up step"
            };
            assert!(
                audit.contains(step_label) && audit.contains("lan"),
                "{audit}"
            );
            shot(&b, &format!("04-audit-{tag}")).await;
            click(&b, "nav-kiosks").await;
            checkpoint_testkit::element(&b, "tokens").await;
            b.find(Locator::Id("token-kiosk"))
                .await
                .unwrap()
                .send_keys("KIOSK-MOI")
                .await
                .unwrap();
            click(&b, "issue-token").await;
            let token = checkpoint_testkit::element(&b, "new-token")
                .await
                .text()
                .await
                .unwrap();
            assert!(
                token.contains("KIOSK-MOI") && token.contains("ck_"),
                "{token}"
            );
            shot(&b, &format!("07-kiosks-{tag}")).await;

            // A campaign target, set here, against the measured adoption.
            click(&b, "nav-campaign").await;
            checkpoint_testkit::element(&b, "targets").await;
            if lang == "vi" && size == sizes[0] {
                // A date field's typing depends on the browser's locale: set its value.
                b.execute(
                    "document.getElementById('target-deadline').value = '2027-06-30'; \
                     document.getElementById('target-percent').value = '90'",
                    vec![],
                )
                .await
                .unwrap();
                click(&b, "add-target").await;
            }
            let behind = b
                .wait()
                .at_most(Duration::from_secs(5))
                .for_element(Locator::Id("behind"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(behind.contains("90%") && behind.contains("83%"), "{behind}");
            shot(&b, &format!("08-campaign-{tag}")).await;
            click(&b, "nav-exports").await;
            checkpoint_testkit::element(&b, "export").await;
            shot(&b, &format!("09-exports-{tag}")).await;
            // The browser downloads the workbook; its cells read back.
            click(&b, "export").await;
            let book = downloaded(downloads.path(), "xlsx").await;
            let cells = first_sheet(&book);
            assert!(
                cells.contains(&visitor.declaration.identity.full_name),
                "{cells:?}"
            );
            assert!(
                cells.contains(&visitor.declaration.identity.phone),
                "{cells:?}"
            );
            let id_header = if lang == "vi" {
                "Số CMND/CCCD/Hộ chiếu"
            } else {
                "ID card / passport number"
            };
            assert!(cells.iter().any(|c| c.contains(id_header)), "{cells:?}");
            click(&b, "nav-users").await;
            checkpoint_testkit::element(&b, "users").await;
            shot(&b, &format!("10-users-{tag}")).await;
            click(&b, "signed-in").await;
            checkpoint_testkit::element(&b, "change-password").await;
            shot(&b, &format!("11-account-{tag}")).await;
            b.close().await.unwrap();
        }
    }
    c.hub.stop().await;
}

/// An admin makes an enrolment code on the kiosks page: the QR code and its
/// text, over the hub's own HTTPS address, in both languages.
#[tokio::test]
async fn an_enrolment_code_in_chromium() {
    let Some(driver) = driver() else { return };
    let c = Console::start_tls().await;
    c.hub
        .db()
        .add_checkpoint(&checkpoint_hub::db::Checkpoint::named(
            "moc-bai-1",
            "Cửa khẩu Mộc Bài",
        ))
        .await
        .unwrap();
    for (lang, said) in [("vi", "hiệu lực đến"), ("en", "valid until")] {
        for size in sizes() {
            let tag = format!("{lang}-{}x{}", size.0, size.1);
            let downloads = tempfile::tempdir().unwrap();
            let b = browser(&driver, size, downloads.path()).await;
            sign_in(&b, &c.base, "quan", lang).await;
            b.goto(&format!("{}/kiosks", c.base)).await.unwrap();
            click(&b, "enrol-make").await;
            wait_text(&b, said).await;
            let text = b
                .find(Locator::Id("enrol-text"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let code = checkpoint_wire::EnrolmentCode::parse(&text).unwrap();
            assert_eq!(code.hub, c.base);
            b.find(Locator::Css(".qr svg")).await.unwrap();
            shot(&b, &format!("09-enrol-{tag}")).await;
            b.close().await.unwrap();
        }
    }
    c.hub.stop().await;
}
