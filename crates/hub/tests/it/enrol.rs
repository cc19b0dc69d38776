//! Enrolment from the console (admins, on the kiosks page) and through the
//! kiosks' API: a code made over the hub's own HTTPS address carries that
//! address and the certificate's SHA-256; it works once; a revoked one and
//! a used one are refused with their codes; each step is audited.

use checkpoint_hub::db::Checkpoint;
use checkpoint_wire::{ENROL_PATH, EnrolmentCode};
use reqwest::StatusCode;

use super::console::{Console, csrf_of};

async fn enrol(c: &Console, secret: &str) -> (StatusCode, serde_json::Value) {
    let r = reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(true)
        .build()
        .unwrap()
        .post(format!("{}{ENROL_PATH}", c.base))
        .header("ck-protocol", "1")
        .json(&serde_json::json!({"secret": secret, "version": "test"}))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

fn code_on(html: &str) -> EnrolmentCode {
    let text = html
        .split("id=\"enrol-text\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no code on the page: {html}"));
    EnrolmentCode::parse(text).unwrap()
}

/// A hub over HTTPS with a checkpoint, an admin's session and its form token.
async fn hub_with_checkpoint(id: &str, name: &str) -> (Console, String, String) {
    let c = Console::start_tls().await;
    c.hub
        .db()
        .add_checkpoint(&Checkpoint::named(id, name))
        .await
        .unwrap();
    let admin = c.session("quan").await;
    let page = c.get("/kiosks", &admin).await;
    // Over TLS, browsers are told to come back over HTTPS only.
    assert_eq!(
        page.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let csrf = csrf_of(&page.text().await.unwrap());
    (c, admin, csrf)
}

#[tokio::test]
async fn an_admin_makes_a_code_a_kiosk_uses_it_once_and_a_revoked_one_fails() {
    let (c, admin, csrf) = hub_with_checkpoint("moc-bai-1", "Cửa khẩu Mộc Bài").await;
    let db = c.hub.db();

    let r = c
        .post(
            "/kiosks/enrol",
            &admin,
            &[
                ("csrf", &csrf),
                ("checkpoint", "moc-bai-1"),
                ("hours", "24"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<svg"), "the code is drawn on the page");
    let code = code_on(&html);
    assert_eq!(code.hub, c.base, "the address the admin reached the hub at");
    let sha = checkpoint_hub::certificate::fingerprint(
        &checkpoint_hub::certificate::default_files(c.dir()).cert,
    )
    .unwrap();
    assert_eq!(code.cert_sha256, sha);

    let (status, answer) = enrol(&c, &code.secret).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let kiosk = answer["kiosk_id"].as_str().unwrap().to_owned();
    assert!(kiosk.starts_with("moc-bai-1-"), "{kiosk}");
    assert_eq!(answer["checkpoint_name"], "Cửa khẩu Mộc Bài");
    let (status, again) = enrol(&c, &code.secret).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(again["error"], "enrolment-used");
    let page = c.get("/kiosks?lang=en", &admin).await.text().await.unwrap();
    assert!(page.contains(&format!("Used by {kiosk}")), "{page}");

    let html = c
        .post(
            "/kiosks/enrol",
            &admin,
            &[("csrf", &csrf), ("checkpoint", "moc-bai-1"), ("hours", "1")],
        )
        .await
        .text()
        .await
        .unwrap();
    let second = code_on(&html);
    let id = db
        .enrolments()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.used_at.is_none())
        .unwrap()
        .id;
    let r = c
        .post(
            "/kiosks/enrol/revoke",
            &admin,
            &[("csrf", &csrf), ("id", &id)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, refused) = enrol(&c, &second.secret).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(refused["error"], "enrolment-revoked");
    let (status, unknown) = enrol(&c, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(unknown["error"], "enrolment-unknown");

    let actions: Vec<String> = db
        .audit_entries(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["enrolment_created", "kiosk_enrolled", "enrolment_revoked"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    c.hub.stop().await;
}

/// Kiosks racing for one code: one is enrolled; the others are told it is
/// used, and no token is left working for them.
#[tokio::test]
async fn one_code_redeemed_at_once_by_many_enrols_one_kiosk() {
    let (c, admin, csrf) = hub_with_checkpoint("tinh-bien", "Cửa khẩu Tịnh Biên").await;
    let db = c.hub.db();
    let html = c
        .post(
            "/kiosks/enrol",
            &admin,
            &[("csrf", &csrf), ("checkpoint", "tinh-bien"), ("hours", "1")],
        )
        .await
        .text()
        .await
        .unwrap();
    let code = code_on(&html);

    let answers = futures::future::join_all((0..8).map(|_| enrol(&c, &code.secret))).await;
    let enrolled: Vec<&serde_json::Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(enrolled.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s != StatusCode::OK)
            .all(|(s, a)| *s == StatusCode::GONE && a["error"] == "enrolment-used"),
        "{answers:?}"
    );
    let working: Vec<String> = db
        .tokens()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.kiosk_id.starts_with("tinh-bien-") && t.revoked_at.is_none())
        .map(|t| t.kiosk_id)
        .collect();
    assert_eq!(working, vec![enrolled[0]["kiosk_id"].as_str().unwrap()]);
    c.hub.stop().await;
}
