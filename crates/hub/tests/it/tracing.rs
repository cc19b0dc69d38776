//! Contact tracing over HTTP on a data set built for it: two checkpoints,
//! a kiosk assigned to none, a case seen at both, neighbours inside and
//! just outside the window, a report, a check-in older than 14 days. The
//! trace must return exactly the expected records, by phone (either
//! spelling), by ID number and by record id; a group-limited officer sees
//! only their group; a viewer is refused; the CSV export holds the same
//! rows; each run is in the audit log.

use std::collections::BTreeMap;

use chrono::{Duration, DurationRound, Utc};
use reqwest::StatusCode;
use uuid::Uuid;

use super::console::{Console, add_account, csrf_of};
use super::support::declaration;
use checkpoint_hub::accounts::Role;
use checkpoint_hub::db::{Checkpoint, NewRecord};

/// What the data set holds, by the name of each record.
pub struct TraceSet {
    pub ids: BTreeMap<&'static str, Uuid>,
}

impl TraceSet {
    pub fn id(&self, name: &str) -> String {
        self.ids[name].to_string()
    }
}

pub async fn trace_set(c: &Console) -> TraceSet {
    let db = c.hub.db();
    for (id, name, group) in [("a", "Cửa khẩu A", "G1"), ("b", "Bến xe B", "G2")] {
        let checkpoint = Checkpoint {
            id: id.into(),
            name: name.into(),
            province: String::new(),
            ward: String::new(),
            group: group.into(),
            kiosks: vec![],
        };
        assert!(db.add_checkpoint(&checkpoint).await.unwrap());
    }
    for (kiosk, checkpoint) in [("KA1", "a"), ("KA2", "a"), ("KB", "b")] {
        db.assign_kiosk(kiosk, checkpoint).await.unwrap().unwrap();
    }
    let t = Utc::now().duration_trunc(Duration::hours(1)).unwrap() - Duration::days(2);
    let case = |at, kiosk: &'static str| {
        (
            kiosk,
            declaration(at, "CA BỆNH", "001098012345", "0912 345 678", true),
        )
    };
    let other = |at, kiosk: &'static str, name: &str, phone: &str| {
        (kiosk, declaration(at, name, "", phone, false))
    };
    let set: Vec<(&'static str, (&'static str, NewRecord))> = vec![
        ("c1", case(t, "KA1")),
        ("c2", case(t + Duration::days(1), "KB")),
        ("c3", case(t - Duration::days(20), "KA1")),
        (
            "p1",
            other(t + Duration::minutes(30), "KA2", "NGƯỜI MỘT", "0900000001"),
        ),
        (
            "p2",
            other(t - Duration::minutes(60), "KA1", "NGƯỜI HAI", "0900000002"),
        ),
        (
            "p3",
            other(t + Duration::minutes(61), "KA1", "NGƯỜI BA", "0900000003"),
        ),
        (
            "p4",
            other(
                t + Duration::days(1) - Duration::minutes(10),
                "KB",
                "NGƯỜI BỐN",
                "0900000004",
            ),
        ),
        ("p5", other(t, "KB", "NGƯỜI NĂM", "0900000005")),
        (
            "p6",
            other(t + Duration::minutes(5), "KX", "NGƯỜI SÁU", "0900000006"),
        ),
    ];
    let mut ids = BTreeMap::new();
    for (name, (kiosk, record)) in set {
        ids.insert(name, record.id);
        db.insert(kiosk, vec![record]).await.unwrap();
    }
    // A report at A in the window is no check-in.
    let report = NewRecord {
        id: Uuid::now_v7(),
        kind: checkpoint_wire::RecordKind::Report,
        created_at: t,
        body: "{}".into(),
    };
    db.insert("KA1", vec![report]).await.unwrap();
    TraceSet { ids }
}

/// The check-ins of a trace page, newest first, each with its contacts.
pub fn encounters(html: &str) -> Vec<(String, Vec<String>)> {
    html.split("id=\"check-in-")
        .skip(1)
        .map(|section| {
            let id = section.split('"').next().unwrap().to_owned();
            let contacts = section
                .split("id=\"contact-")
                .skip(1)
                .map(|c| c.split('"').next().unwrap().to_owned())
                .collect();
            (id, contacts)
        })
        .collect()
}

async fn trace(c: &Console, session: &str, case: &str, window: &str) -> (StatusCode, String) {
    let page = c.get("/tracing", session).await;
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_of(&page.text().await.unwrap());
    let r = c
        .post(
            "/tracing",
            session,
            &[("csrf", &csrf), ("case", case), ("window", window)],
        )
        .await;
    (r.status(), r.text().await.unwrap())
}

async fn traces_exactly_the_expected_records(c: Console) {
    let set = trace_set(&c).await;
    let lan = c.session("lan").await;
    let expected = vec![
        (set.id("c2"), vec![set.id("p4")]),
        (set.id("c1"), vec![set.id("p2"), set.id("p1")]),
    ];
    for case in [
        "+84912345678",
        "0912 345 678",
        "001098012345",
        &set.id("c1"),
    ] {
        let (status, html) = trace(&c, &lan, case, "60").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(encounters(&html), expected, "case {case}");
        assert!(html.contains("href=\"tel:0900000001\""));
        assert!(html.contains("Cửa khẩu A") && html.contains("Bến xe B"));
    }
    let (_, narrow) = trace(&c, &lan, "0912345678", "30").await;
    assert_eq!(
        encounters(&narrow),
        vec![
            (set.id("c2"), vec![set.id("p4")]),
            (set.id("c1"), vec![set.id("p1")]),
        ]
    );
    let (_, unknown) = trace(&c, &lan, "0999999999", "60").await;
    assert!(encounters(&unknown).is_empty());
    let (status, _) = trace(&c, &lan, "0912345678", "100000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // An officer of G2 sees the case only where G2's checkpoints are.
    add_account(&c.hub, "binh", Role::HealthOfficer, &["G2"]).await;
    let binh = c.session("binh").await;
    let (_, scoped) = trace(&c, &binh, "0912345678", "60").await;
    assert_eq!(
        encounters(&scoped),
        vec![(set.id("c2"), vec![set.id("p4")])]
    );
    let (_, by_record) = trace(&c, &binh, &set.id("c1"), "60").await;
    assert!(
        encounters(&by_record).is_empty(),
        "a record of G1 is not found"
    );

    // The export: the same three contacts, with names and phones.
    let page = c.get("/tracing", &lan).await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = c
        .post(
            "/tracing/export?lang=en",
            &lan,
            &[("csrf", &csrf), ("case", "0912345678"), ("window", "60")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"trace-"),
        "{disposition}"
    );
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 3, "{csv}");
    for name in ["NGƯỜI MỘT", "NGƯỜI HAI", "NGƯỜI BỐN"] {
        assert!(csv.contains(name), "{name} in {csv}");
    }
    for name in ["NGƯỜI BA", "NGƯỜI NĂM", "NGƯỜI SÁU", "CA BỆNH"] {
        assert!(!csv.contains(name), "{name} is not a contact");
    }

    // Refused: a viewer, a form without its token, no session.
    let an = c.session("an").await;
    assert_eq!(c.get("/tracing", &an).await.status(), StatusCode::FORBIDDEN);
    let viewer_csrf = csrf_of(&c.get("/", &an).await.text().await.unwrap());
    let r = c
        .post(
            "/tracing",
            &an,
            &[("csrf", &viewer_csrf), ("case", "0912345678")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(
            "/tracing",
            &lan,
            &[("csrf", "forged"), ("case", "0912345678")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(
            "/tracing/export",
            "",
            &[("csrf", &csrf), ("case", "0912345678")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Audited: who traced whom, and who exported.
    let quan = c.session("quan").await;
    let audit = c.get("/audit", &quan).await.text().await.unwrap();
    assert!(
        audit.contains("trace_run") && audit.contains("trace_exported"),
        "{audit}"
    );
    let runs = audit.matches("trace_run").count();
    assert_eq!(
        runs,
        6 + 2,
        "every run by both officers (not the refused one)"
    );
    assert!(audit.contains("window_minutes"), "{audit}");
    // Who traced whom, without the number: masked and a keyed hash.
    let entries = c.hub.db().audit_entries(1_000).await.unwrap();
    let traced: Vec<&str> = entries
        .iter()
        .filter(|e| e.action == "trace_run")
        .map(|e| e.target.as_str())
        .collect();
    assert!(
        traced.iter().any(|t| t.starts_with("••••••5678 #")),
        "{traced:?}"
    );
    assert!(
        entries
            .iter()
            .all(|e| !e.target.contains("0912345678") && !e.target.contains("912345678")),
        "a traced number in clear: {traced:?}"
    );
}

#[tokio::test]
async fn tracing_on_sqlite() {
    traces_exactly_the_expected_records(Console::start().await).await;
}

#[tokio::test]
async fn tracing_on_postgres() {
    if let Some(c) = Console::start_on_postgres().await {
        traces_exactly_the_expected_records(c).await;
    }
}
