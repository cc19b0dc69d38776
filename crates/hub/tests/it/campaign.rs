//! The campaign page over HTTP: targets per group and checkpoint against
//! the adoption of the last 7 days; reached, behind, missed; the table of
//! units behind in each sort order; only admins set targets; audited.

use chrono::{Duration, Utc};
use reqwest::StatusCode;

use super::console::{Console, csrf_of};
use super::support::check_in;
use checkpoint_hub::db::Checkpoint;

/// Ids of the rows of the "behind" table, in page order.
fn behind(html: &str) -> Vec<String> {
    html.split("id=\"behind-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn targets_against_measured_adoption() {
    let c = Console::start().await;
    let db = c.hub.db();
    for (id, name, group) in [
        ("a", "Cửa khẩu A", "G1"),
        ("b", "Bến xe B", "G2"),
        ("c", "Chợ C", "G1"),
    ] {
        let cp = Checkpoint {
            id: id.into(),
            name: name.into(),
            province: String::new(),
            ward: String::new(),
            group: group.into(),
            kiosks: vec![],
        };
        db.add_checkpoint(&cp).await.unwrap();
        db.assign_kiosk(&format!("K{id}"), id).await.unwrap();
    }
    let now = Utc::now();
    // G1: a 1 of 2, c 1 of 2 (and one unobserved) = 50%; G2: b 3 of 3; and
    // a day ten days ago at b that the last 7 days leave out.
    let at = |kiosk: &str, bz: &[Option<bool>], days_ago: i64| {
        let records: Vec<_> = bz
            .iter()
            .map(|b| check_in(now - Duration::days(days_ago), *b))
            .collect();
        (kiosk.to_owned(), records)
    };
    for (kiosk, records) in [
        at("Ka", &[Some(true), Some(false)], 1),
        at("Kc", &[Some(true), Some(false), None], 2),
        at("Kb", &[Some(true), Some(true), Some(true)], 0),
        at(
            "Kb",
            &[Some(false), Some(false), Some(false), Some(false)],
            10,
        ),
    ] {
        db.insert(&kiosk, records).await.unwrap();
    }

    let quan = c.session("quan").await;
    let page = c.get("/campaign", &quan).await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let future = (now + Duration::days(30)).format("%Y-%m-%d").to_string();
    let past = (now - Duration::days(1)).format("%Y-%m-%d").to_string();
    for (unit, percent, deadline) in [
        ("group:G1", "80", future.as_str()),
        ("group:G2", "80", future.as_str()),
        ("checkpoint:a", "60", past.as_str()),
    ] {
        let r = c
            .post(
                "/campaign/target",
                &quan,
                &[
                    ("csrf", &csrf),
                    ("unit", unit),
                    ("percent", percent),
                    ("deadline", deadline),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{unit}");
    }
    let twice = c
        .post(
            "/campaign/target",
            &quan,
            &[
                ("csrf", &csrf),
                ("unit", "group:G1"),
                ("percent", "90"),
                ("deadline", &future),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(twice.contains("id=\"form-error\""));
    let invalid = c
        .post(
            "/campaign/target",
            &quan,
            &[
                ("csrf", &csrf),
                ("unit", "group:G1"),
                ("percent", "180"),
                ("deadline", &future),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(invalid.contains("id=\"form-error\""));

    let targets = db
        .targets(&checkpoint_hub::accounts::Scope::all())
        .await
        .unwrap();
    let id = |unit: &str| {
        targets
            .iter()
            .find(|t| t.unit_columns().1 == unit)
            .unwrap()
            .id
            .to_string()
    };
    // A viewer sees it; G2 reached; G1 behind by 30 points; a missed by 10.
    let an = c.session("an").await;
    let page = c.get("/campaign", &an).await.text().await.unwrap();
    assert_eq!(behind(&page), [id("G1"), id("a")], "by gap");
    assert!(page.contains(&format!("id=\"target-chart-{}\"", id("G1"))));
    assert!(page.contains("50%") && page.contains("stroke-dasharray"));
    assert!(
        !page.contains("id=\"targets\""),
        "viewers do not set targets"
    );
    let by_deadline = c
        .get("/campaign?sort=deadline", &an)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(behind(&by_deadline), [id("a"), id("G1")]);
    let by_name = c
        .get("/campaign?sort=name&lang=en", &an)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        behind(&by_name),
        [id("a"), id("G1")],
        "Cửa khẩu A before G1"
    );
    assert!(by_name.contains("deadline passed, not reached"));

    let viewer_csrf = csrf_of(&page);
    let r = c
        .post(
            "/campaign/target",
            &an,
            &[
                ("csrf", &viewer_csrf),
                ("unit", "group:G2"),
                ("percent", "90"),
                ("deadline", &future),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(
            "/campaign/target",
            &quan,
            &[
                ("csrf", "forged"),
                ("unit", "group:G2"),
                ("percent", "90"),
                ("deadline", &future),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // An officer limited to G2 sees only G2's target: nothing behind.
    super::console::add_account(
        &c.hub,
        "g2",
        checkpoint_hub::accounts::Role::Viewer,
        &["G2"],
    )
    .await;
    let g2 = c.session("g2").await;
    assert!(behind(&c.get("/campaign", &g2).await.text().await.unwrap()).is_empty());

    let r = c
        .post(
            "/campaign/delete",
            &quan,
            &[("csrf", &csrf), ("id", &id("a"))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        behind(&c.get("/campaign", &an).await.text().await.unwrap()),
        [id("G1")]
    );
    let audit = c.get("/audit", &quan).await.text().await.unwrap();
    assert!(audit.contains("target_added") && audit.contains("target_deleted"));
}
