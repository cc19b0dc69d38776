//! The console tried as an attacker would, over TLS: an admin limited to
//! group GA against every admin action outside it. Each is refused and
//! nothing it asked for happened; the same admin still manages GA.

use checkpoint_hub::accounts::Role;
use checkpoint_hub::auth;
use checkpoint_hub::db::{Checkpoint, RevokeSelector};
use checkpoint_hub::stats::{Level, Target};
use reqwest::StatusCode;

use super::console::{Console, add_account, csrf_of};

async fn two_groups(c: &Console) {
    let db = c.hub.db();
    for (id, group, kiosk) in [("ca", "GA", "KA"), ("cb", "GB", "KB")] {
        let mut checkpoint = Checkpoint::named(id, id);
        checkpoint.group = group.into();
        assert!(db.add_checkpoint(&checkpoint).await.unwrap());
        db.assign_kiosk(kiosk, id).await.unwrap();
        db.add_token(&auth::hash_token(&auth::generate_token()), kiosk, "t")
            .await
            .unwrap();
    }
    add_account(&c.hub, "adminA", Role::Admin, &["GA"]).await;
    add_account(&c.hub, "offA", Role::HealthOfficer, &["GA"]).await;
    add_account(&c.hub, "offB", Role::HealthOfficer, &["GB"]).await;
    let target = Target {
        id: 0,
        unit: Level::Group("GB".into()),
        percent: 80,
        deadline: chrono::NaiveDate::from_ymd_opt(2021, 9, 30).unwrap(),
    };
    assert!(db.add_target(&target).await.unwrap());
}

#[tokio::test]
async fn an_admin_of_one_group_manages_that_group_only() {
    let c = Console::start_tls().await;
    two_groups(&c).await;
    let db = c.hub.db();
    let _ = c.session("offB").await; // an audit entry of GB's officer
    let admin = c.session("adminA").await;
    let users = c.get("/users", &admin).await.text().await.unwrap();
    assert!(users.contains("user-offA") && users.contains("user-adminA"));
    for hidden in ["user-quan", "user-offB", "user-lan"] {
        assert!(!users.contains(hidden), "{hidden} listed");
    }
    let csrf = csrf_of(&users);
    let post = |path: &'static str, fields: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields);
        let admin = admin.clone();
        let c = &c;
        async move {
            let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post(path, &admin, &refs).await
        }
    };
    let quan_hash = db.account("quan").await.unwrap().unwrap().password_hash;
    let b_token = db
        .tokens()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.kiosk_id == "KB")
        .unwrap();
    let gb_target = db
        .targets(&checkpoint_hub::accounts::Scope::all())
        .await
        .unwrap()[0]
        .id;

    // Accounts: no unscoped or other group's account made, reset or disabled.
    for groups in ["", "GB", "GA, GB"] {
        let r = post(
            "/users/add",
            vec![
                ("name", "evil".into()),
                ("role", "admin".into()),
                ("groups", groups.into()),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "groups {groups:?}");
        assert!(r.text().await.unwrap().contains("form-error"));
        assert!(
            db.account("evil").await.unwrap().is_none(),
            "groups {groups:?}"
        );
    }
    let refused = [
        ("/users/reset", vec![("name", "quan".to_owned())]),
        ("/users/disable", vec![("name", "offB".to_owned())]),
        ("/kiosks/token", vec![("kiosk", "KB".to_owned())]),
        (
            "/kiosks/revoke",
            vec![("id", b_token.hash[..12].to_owned())],
        ),
        (
            "/kiosks/assign",
            vec![("kiosk", "KB".to_owned()), ("checkpoint", "ca".to_owned())],
        ),
        (
            "/kiosks/assign",
            vec![("kiosk", "KA".to_owned()), ("checkpoint", "cb".to_owned())],
        ),
        ("/campaign/delete", vec![("id", gb_target.to_string())]),
    ];
    for (path, fields) in refused {
        let r = post(path, fields.clone()).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path} {fields:?}");
    }
    assert_eq!(
        db.account("quan").await.unwrap().unwrap().password_hash,
        quan_hash
    );
    assert!(!db.account("offB").await.unwrap().unwrap().is_disabled());
    let tokens = db.tokens().await.unwrap();
    assert_eq!(tokens.iter().filter(|t| t.kiosk_id == "KB").count(), 1);
    assert!(tokens.iter().all(|t| t.revoked_at.is_none()));
    let everywhere = db
        .checkpoints(&checkpoint_hub::accounts::Scope::all())
        .await
        .unwrap();
    let kiosks_of = |id: &str| {
        everywhere
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .kiosks
            .clone()
    };
    assert_eq!(
        (kiosks_of("ca"), kiosks_of("cb")),
        (vec!["KA".to_owned()], vec!["KB".to_owned()])
    );
    assert_eq!(
        db.targets(&checkpoint_hub::accounts::Scope::all())
            .await
            .unwrap()
            .len(),
        1
    );
    let r = post(
        "/kiosks/checkpoint",
        vec![
            ("id", "cb2".into()),
            ("name", "B2".into()),
            ("group", "GB".into()),
        ],
    )
    .await;
    assert!(r.text().await.unwrap().contains("form-error"));
    assert!(
        !db.checkpoints(&checkpoint_hub::accounts::Scope::all())
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == "cb2")
    );

    let r = post(
        "/campaign/target",
        vec![
            ("unit", "group:GB".into()),
            ("percent", "90".into()),
            ("deadline", "2021-10-01".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        db.targets(&checkpoint_hub::accounts::Scope::all())
            .await
            .unwrap()
            .len(),
        1
    );
    let r = post(
        "/kiosks/enrol",
        vec![("checkpoint", "cb".into()), ("hours", "24".into())],
    )
    .await;
    assert!(r.text().await.unwrap().contains("enrol-result"));
    assert!(
        db.enrolments().await.unwrap().is_empty(),
        "a code for GB made"
    );

    // The audit log, on the page and exported: its own group's accounts only.
    // Around today, whatever the hour in Vietnam.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let r = post(
        "/audit/export",
        vec![("from", from.to_string()), ("to", to.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    assert!(csv.contains("adminA") && !csv.contains("offB"), "{csv}");
    let audit = c.get("/audit", &admin).await.text().await.unwrap();
    assert!(audit.contains("adminA"), "{audit}");
    assert!(!audit.contains("offB"), "GB's officer's entries shown");

    // Within GA it still manages: an officer, a token for KA.
    let r = post(
        "/users/add",
        vec![
            ("name", "offA2".into()),
            ("role", "health-officer".into()),
            ("groups", "GA".into()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(db.account("offA2").await.unwrap().is_some());
    let r = post("/kiosks/token", vec![("kiosk", "KA".into())]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        db.tokens()
            .await
            .unwrap()
            .iter()
            .filter(|t| t.kiosk_id == "KA")
            .count(),
        2
    );
    // And the whole hub's admin still manages everything.
    let root = c.session("quan").await;
    let all = c.get("/users", &root).await.text().await.unwrap();
    assert!(all.contains("user-offB") && all.contains("user-adminA"));
    assert_eq!(
        db.revoke(&RevokeSelector::Kiosk("KB".into()))
            .await
            .unwrap(),
        1
    );
    c.hub.stop().await;
}
