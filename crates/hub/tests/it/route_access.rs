//! Every route of the console and of the kiosks' API, refused as it must
//! be: without a session, to a role below the route's, (for forms) without
//! the session's CSRF token or with another's, and to an admin limited to a
//! group when the form reaches outside it. One table, so a route added
//! without its row is caught by `every_console_route_is_in_the_table`.

use checkpoint_hub::accounts::Role;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use super::console::{Console, csrf_of};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Least {
    Viewer,
    HealthOfficer,
    Admin,
}

impl Least {
    fn admits(self, role: Role) -> bool {
        let rank = match role {
            Role::Viewer => Least::Viewer,
            Role::HealthOfficer => Least::HealthOfficer,
            Role::Admin => Least::Admin,
        };
        rank >= self
    }
}

/// What an admin limited to group GA gets (the table's last column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scoped {
    /// What any account of its role gets (within its groups).
    AsItsRole,
    /// The form's fields reach outside GA (a whole-hub or another group's
    /// thing): refused (403, or the page again with its error), nothing done.
    Refused,
}

/// The signed-in pages.
const PAGES: &[(&str, Least, Scoped)] = &[
    ("/", Least::Viewer, Scoped::AsItsRole),
    ("/kiosks", Least::Viewer, Scoped::AsItsRole),
    ("/campaign", Least::Viewer, Scoped::AsItsRole),
    ("/account", Least::Viewer, Scoped::AsItsRole),
    ("/flagged", Least::HealthOfficer, Scoped::AsItsRole),
    ("/reports", Least::HealthOfficer, Scoped::AsItsRole),
    ("/tracing", Least::HealthOfficer, Scoped::AsItsRole),
    ("/exports", Least::HealthOfficer, Scoped::AsItsRole),
    ("/users", Least::Admin, Scoped::AsItsRole),
    ("/audit", Least::Admin, Scoped::AsItsRole),
];

/// A form's fields, as its page sends them (the CSRF token aside).
type Fields = &'static [(&'static str, &'static str)];

/// The forms, each with the fields its page sends.
const FORMS: &[(&str, Least, Scoped, Fields)] = &[
    (
        "/account/password",
        Least::Viewer,
        Scoped::AsItsRole,
        &[
            ("current", "mật khẩu đủ dài"),
            ("new", "một mật khẩu mới dài"),
            ("repeat", "một mật khẩu mới dài"),
        ],
    ),
    (
        "/flagged/step",
        Least::HealthOfficer,
        Scoped::AsItsRole,
        &[
            ("subject", "01890000-0000-7000-8000-000000000001"),
            ("state", "contacted"),
            ("note", "gọi lại"),
            ("page", "1"),
        ],
    ),
    (
        "/reports/step",
        Least::HealthOfficer,
        Scoped::AsItsRole,
        &[
            ("subject", "01890000-0000-7000-8000-000000000002"),
            ("state", "cleared"),
            ("note", ""),
            ("page", "0"),
        ],
    ),
    (
        "/tracing",
        Least::HealthOfficer,
        Scoped::AsItsRole,
        &[("case", "0912345678"), ("window", "60")],
    ),
    (
        "/tracing/export",
        Least::HealthOfficer,
        Scoped::AsItsRole,
        &[("case", "0912345678"), ("window", "60")],
    ),
    (
        "/exports",
        Least::HealthOfficer,
        Scoped::AsItsRole,
        &[
            ("from", "2026-12-01"),
            ("to", "2026-12-05"),
            ("checkpoint", ""),
            ("format", "csv"),
            ("sheet", "declarations"),
            ("headers", "vi"),
        ],
    ),
    (
        "/kiosks/token",
        Least::Admin,
        Scoped::Refused,
        &[("kiosk", "K-INTRUDER"), ("label", "x")],
    ),
    (
        "/kiosks/revoke",
        Least::Admin,
        Scoped::Refused,
        &[("id", "0123456789ab")],
    ),
    (
        "/kiosks/enrol",
        Least::Admin,
        Scoped::Refused,
        &[("checkpoint", "cp-intruder"), ("hours", "24")],
    ),
    (
        "/kiosks/enrol/revoke",
        Least::Admin,
        Scoped::Refused,
        &[("id", "0123456789ab")],
    ),
    (
        "/kiosks/checkpoint",
        Least::Admin,
        Scoped::Refused,
        &[("id", "cp-intruder"), ("name", "Điểm lạ"), ("group", "G")],
    ),
    (
        "/kiosks/assign",
        Least::Admin,
        Scoped::Refused,
        &[("kiosk", "K1"), ("checkpoint", "cp-intruder")],
    ),
    (
        "/campaign/target",
        Least::Admin,
        Scoped::Refused,
        &[
            ("unit", "group:GB"),
            ("percent", "80"),
            ("deadline", "2027-06-30"),
        ],
    ),
    (
        "/campaign/delete",
        Least::Admin,
        Scoped::Refused,
        &[("id", "1")],
    ),
    (
        "/users/add",
        Least::Admin,
        Scoped::Refused,
        &[("name", "intruder"), ("role", "admin"), ("groups", "")],
    ),
    (
        "/users/disable",
        Least::Admin,
        Scoped::Refused,
        &[("name", "quan")],
    ),
    (
        "/audit/export",
        Least::Admin,
        Scoped::AsItsRole,
        &[("from", "2026-12-01"), ("to", "2026-12-05")],
    ),
    (
        "/users/reset",
        Least::Admin,
        Scoped::Refused,
        &[("name", "quan")],
    ),
];

/// Routes open to anyone, or guarded otherwise (sign-in's own token, the
/// kiosks' bearer token): checked below and in console.rs / the API tests.
const NOT_IN_TABLE: &[&str] = &["/login", "/logout", "/console.css"];

const ROLES: [(&str, Role); 3] = [
    ("an", Role::Viewer),
    ("lan", Role::HealthOfficer),
    ("quan", Role::Admin),
];

fn with_csrf<'a>(fields: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = fields.to_vec();
    form.push(("csrf", csrf));
    form
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn every_route_refuses_without_a_session_or_the_role() {
    let c = Console::start().await;
    let sessions = [
        c.session("an").await,
        c.session("lan").await,
        c.session("quan").await,
    ];
    // The session's CSRF token, as its account's own page carries it.
    let mut tokens = Vec::new();
    for s in &sessions {
        let html = c.get("/account", s).await.text().await.unwrap();
        tokens.push(csrf_of(&html));
    }

    for (path, least, _) in PAGES {
        let r = c.get(path, "").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "GET {path} signed out");
        assert_eq!(location(&r), "/login", "GET {path} signed out");
        let r = c.get(path, "__Host-ck_session=forged-session-id").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "GET {path} forged");
        for ((name, role), session) in ROLES.iter().zip(&sessions) {
            let r = c.get(path, session).await;
            let expected = if least.admits(*role) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status(), expected, "GET {path} as {name}");
            if expected == StatusCode::FORBIDDEN {
                let html = r.text().await.unwrap();
                assert!(html.contains("id=\"page-error\""), "GET {path} as {name}");
            }
        }
    }

    for (path, least, _, fields) in FORMS {
        // Signed out, even with a token that once was valid.
        let r = c.post(path, "", &with_csrf(fields, &tokens[2])).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "POST {path} signed out");
        assert_eq!(location(&r), "/login", "POST {path} signed out");
        for (i, ((name, role), session)) in ROLES.iter().zip(&sessions).enumerate() {
            // No token, an empty one, another session's: refused for every role.
            let other = &tokens[(i + 1) % tokens.len()];
            for csrf in [None, Some(""), Some("forged"), Some(other.as_str())] {
                let form = match csrf {
                    Some(t) => with_csrf(fields, t),
                    None => fields.to_vec(),
                };
                let r = c.post(path, session, &form).await;
                assert_eq!(
                    r.status(),
                    StatusCode::FORBIDDEN,
                    "POST {path} as {name} with csrf {csrf:?}"
                );
            }
            // The account's own token: the role decides.
            if !least.admits(*role) {
                let r = c.post(path, session, &with_csrf(fields, &tokens[i])).await;
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path} as {name}");
                let html = r.text().await.unwrap();
                assert!(html.contains("id=\"page-error\""), "POST {path} as {name}");
            }
        }
    }

    // Nothing the refused forms asked for happened.
    let db = c.hub.db();
    let accounts = db.accounts().await.unwrap();
    assert_eq!(accounts.len(), 3);
    assert!(accounts.iter().all(|a| a.disabled_at.is_none()));
    assert!(db.tokens().await.unwrap().is_empty());
    let all = checkpoint_hub::accounts::Scope::all();
    assert!(db.checkpoints(&all).await.unwrap().is_empty());
    assert!(db.targets(&all).await.unwrap().is_empty());
    assert!(db.enrolments().await.unwrap().is_empty());
    for (name, _) in ROLES {
        // The password is still the old one.
        assert_eq!(
            c.sign_in(name, "mật khẩu đủ dài").await.status(),
            StatusCode::SEE_OTHER
        );
    }

    // The kiosks' API takes a kiosk's token, never a console session.
    for path in ["/api/v1/records", "/api/v1/heartbeat"] {
        let r = c.post(path, &sessions[2], &[("csrf", &tokens[2])]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "POST {path}");
    }
    c.hub.stop().await;
}

/// The table's last column: an admin limited to group GA gets every page,
/// and every form whose fields reach outside GA is refused with nothing
/// done (the attack suite, attacks.rs, does the same within and across two
/// groups).
#[tokio::test]
async fn an_admin_of_one_group_gets_the_scoped_column() {
    let c = Console::start().await;
    super::console::add_account(&c.hub, "quan-ga", Role::Admin, &["GA"]).await;
    let session = c.session("quan-ga").await;
    // A live token of kiosk K1 (at no checkpoint of GA) under the id the
    // revoke form names.
    let k1_hash = format!("0123456789ab{}", "0".repeat(52));
    c.hub.db().add_token(&k1_hash, "K1", "t").await.unwrap();
    // A live enrolment code for a checkpoint outside GA, under the id the
    // enrolment revoke form names.
    let now = chrono::Utc::now();
    let code = checkpoint_hub::rows::Enrolment {
        id: k1_hash[..12].to_owned(), // the store names a code by its hash
        checkpoint_id: "cp-other".into(),
        created_by: "quan".into(),
        created_at: checkpoint_hub::rows::timestamp(now),
        expires_at: checkpoint_hub::rows::timestamp(now + chrono::Duration::hours(24)),
        used_at: None,
        kiosk_id: None,
        revoked_at: None,
    };
    c.hub.db().add_enrolment(&code, &k1_hash).await.unwrap();
    // Group GB's target, number 1 (the one the delete form names).
    let target = checkpoint_hub::stats::Target {
        id: 0,
        unit: checkpoint_hub::stats::Level::Group("GB".into()),
        percent: 80,
        deadline: chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
    };
    assert!(c.hub.db().add_target(&target).await.unwrap());
    for (path, _, scoped) in PAGES {
        assert_eq!(*scoped, Scoped::AsItsRole, "{path}");
        let r = c.get(path, &session).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path} as a GA admin");
    }
    let csrf = csrf_of(&c.get("/account", &session).await.text().await.unwrap());
    let mut refused = 0;
    for (path, _, scoped, fields) in FORMS {
        if *scoped != Scoped::Refused {
            continue;
        }
        let r = c.post(path, &session, &with_csrf(fields, &csrf)).await;
        let status = r.status();
        let html = r.text().await.unwrap();
        let refused_here = status == StatusCode::FORBIDDEN
            || (status == StatusCode::OK
                && (html.contains("form-error") || html.contains("role=\"alert\"")));
        assert!(refused_here, "POST {path} as a GA admin: {status}");
        refused += 1;
    }
    assert_eq!(
        refused, 11,
        "every admin form that names something outside GA"
    );

    let db = c.hub.db();
    let accounts = db.accounts().await.unwrap();
    assert_eq!(accounts.len(), 4);
    assert!(accounts.iter().all(|a| a.disabled_at.is_none()));
    let tokens = db.tokens().await.unwrap();
    assert_eq!(tokens.len(), 1, "no token made");
    assert!(tokens[0].revoked_at.is_none(), "K1's token not revoked");
    let all = checkpoint_hub::accounts::Scope::all();
    assert!(db.checkpoints(&all).await.unwrap().is_empty());
    let targets = db.targets(&all).await.unwrap();
    assert_eq!(targets.len(), 1, "GB's target neither deleted nor joined");
    assert_eq!(targets[0].id, 1);
    let codes = db.enrolments().await.unwrap();
    assert_eq!(codes.len(), 1, "no enrolment code made");
    assert!(
        codes[0].revoked_at.is_none(),
        "the other group's code not revoked"
    );
    assert_eq!(
        c.sign_in("quan", "mật khẩu đủ dài").await.status(),
        StatusCode::SEE_OTHER,
        "the unscoped admin's password was not reset"
    );
    c.hub.stop().await;
}

/// The table names every route the console's router serves: a new page
/// or form must say who may use it.
#[test]
fn every_console_route_is_in_the_table() {
    let source = include_str!("../../src/console/mod.rs");
    let routes: Vec<&str> = source
        .split(".route(")
        .skip(1)
        .filter_map(|r| r.split('"').nth(1))
        .collect();
    assert!(routes.len() >= 20, "{routes:?}");
    for route in routes {
        let known = PAGES.iter().any(|(p, _, _)| *p == route)
            || FORMS.iter().any(|(p, _, _, _)| *p == route)
            || NOT_IN_TABLE.contains(&route);
        assert!(known, "{route} is not in the access table");
    }
}
