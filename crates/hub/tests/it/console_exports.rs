//! Exports from the console over HTTP: an XLSX workbook of a date range
//! (read back with calamine: one row per record across windows of 6 hours
//! and pages of 2,000 within one,
//! times as dates, ID numbers as text) and a CSV of one checkpoint; only
//! within the account's groups; viewers and forged forms refused; audited.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, Utc};
use reqwest::StatusCode;

use super::console::{Console, add_account, csrf_of};
use super::support::declaration;
use checkpoint_hub::accounts::Role;
use checkpoint_hub::db::Checkpoint;

#[tokio::test]
async fn xlsx_and_csv_by_range_and_checkpoint_on_sqlite() {
    xlsx_and_csv_by_range_and_checkpoint(Console::start().await).await;
}

#[tokio::test]
async fn xlsx_and_csv_by_range_and_checkpoint_on_postgres() {
    if let Some(c) = Console::start_on_postgres().await {
        xlsx_and_csv_by_range_and_checkpoint(c).await;
    }
}

async fn xlsx_and_csv_by_range_and_checkpoint(c: Console) {
    let db = c.hub.db();
    for (id, group) in [("a", "G1"), ("b", "G2")] {
        let cp = Checkpoint {
            id: id.into(),
            name: format!("Điểm {id}"),
            province: String::new(),
            ward: String::new(),
            group: group.into(),
            kiosks: vec![],
        };
        db.add_checkpoint(&cp).await.unwrap();
        db.assign_kiosk(&format!("K{id}"), id).await.unwrap();
    }
    let now = Utc::now();
    // 4,500 at a over the last two days and 2,100 more in its last 35
    // minutes (more than a page in one window of the export), 20 at b, 30
    // at a 40 days ago.
    for chunk in 0..9 {
        let records: Vec<_> = (0..500)
            .map(|i| {
                let n = chunk * 500 + i;
                declaration(
                    now - Duration::minutes(n),
                    "NGUYỄN VĂN AN",
                    "001098012345",
                    "0912345678",
                    n % 50 == 0,
                )
            })
            .collect();
        db.insert("Ka", records).await.unwrap();
    }
    let burst: Vec<_> = (0..2_100)
        .map(|i| declaration(now - Duration::seconds(i), "LÊ VĂN CƯỜNG", "", "", false))
        .collect();
    db.insert("Ka", burst).await.unwrap();
    let b: Vec<_> = (0..20)
        .map(|_| declaration(now, "TRẦN BÌNH", "079304001234", "0987654321", false))
        .collect();
    db.insert("Kb", b).await.unwrap();
    let old: Vec<_> = (0..30)
        .map(|_| declaration(now - Duration::days(40), "CŨ", "", "", false))
        .collect();
    db.insert("Ka", old).await.unwrap();

    let lan = c.session("lan").await;
    let page = c.get("/exports", &lan).await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let from = (now - Duration::days(3)).format("%Y-%m-%d").to_string();
    let to = (now + Duration::days(1)).format("%Y-%m-%d").to_string();
    let form = |format: &'static str, checkpoint: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("from", from.clone()),
            ("to", to.clone()),
            ("checkpoint", checkpoint.to_owned()),
            ("format", format.to_owned()),
            ("sheet", "declarations".to_owned()),
            ("headers", "vi".to_owned()),
        ]
    };
    let post = |cookie: String, fields: Vec<(&'static str, String)>| {
        let c = &c;
        async move {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post("/exports", &cookie, &refs).await
        }
    };
    let r = post(lan.clone(), form("xlsx", "")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\"")
    );
    let bytes = r.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 3, "{names:?}");
    let sheet = book.worksheet_range(&names[0]).unwrap();
    assert_eq!(
        sheet.height(),
        1 + 4_500 + 2_100 + 20,
        "the header and every record of the range"
    );
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = |title: &str| {
        header
            .iter()
            .position(|h| h == &checkpoint_i18n::t(checkpoint_i18n::Lang::Vi, title))
            .unwrap()
    };
    let second = sheet.rows().nth(1).unwrap();
    assert!(matches!(
        second[col("store-csv-submitted")],
        Data::DateTime(_)
    ));
    assert_eq!(
        second[col("field-document")],
        Data::String("001098012345".into())
    );

    // CSV of b only.
    let r = post(lan.clone(), form("csv", "b")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 20);
    assert!(csv.contains("TRẦN BÌNH") && !csv.contains("NGUYỄN VĂN AN"));

    // Refused: a viewer, a forged form, a checkpoint outside one's groups, a bad range.
    let an = c.session("an").await;
    assert_eq!(c.get("/exports", &an).await.status(), StatusCode::FORBIDDEN);
    let mut forged = form("csv", "");
    forged[0].1 = "forged".into();
    assert_eq!(
        post(lan.clone(), forged).await.status(),
        StatusCode::FORBIDDEN
    );
    add_account(&c.hub, "g2", Role::HealthOfficer, &["G2"]).await;
    let g2 = c.session("g2").await;
    let g2_csrf = csrf_of(&c.get("/exports", &g2).await.text().await.unwrap());
    let mut outside = form("csv", "a");
    outside[0].1 = g2_csrf.clone();
    assert_eq!(
        post(g2.clone(), outside).await.status(),
        StatusCode::FORBIDDEN
    );
    let mut own = form("csv", "");
    own[0].1 = g2_csrf;
    let scoped = post(g2.clone(), own).await.text().await.unwrap();
    assert_eq!(scoped.lines().count(), 1 + 20, "only G2's records");
    let mut backwards = form("csv", "");
    backwards[1].1 = to.clone();
    backwards[2].1 = from.clone();
    assert_eq!(
        post(lan.clone(), backwards).await.status(),
        StatusCode::BAD_REQUEST
    );

    let quan = c.session("quan").await;
    let audit = c.get("/audit", &quan).await.text().await.unwrap();
    assert_eq!(audit.matches("export_downloaded").count(), 3);
}
