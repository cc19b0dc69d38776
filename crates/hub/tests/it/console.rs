//! The console over real HTTP: sign-in with its one-time token, the session
//! cookie's flags, throttling after five failures, escaping, the overview's
//! counts, the language switch, sign-out; every refusal checked.

use checkpoint_hub::accounts::{self, Account, Role};
use checkpoint_hub::db::NewRecord;
use checkpoint_hub::{DbTarget, HubOptions, RunningHub};
use checkpoint_wire::RecordKind;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use uuid::Uuid;

pub struct Console {
    pub hub: RunningHub,
    http: Client,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Console {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = DbTarget::Sqlite {
            path: dir.path().join("hub.db"),
            key_file: dir.path().join("hub.db.key"),
        };
        Self::start_on(db, dir).await
    }

    /// On PostgreSQL, in a fresh database, when `.ci/test` provides one.
    pub async fn start_on_postgres() -> Option<Self> {
        let url = super::support::fresh_postgres("console on PostgreSQL").await?;
        Some(Self::start_on(DbTarget::Postgres(url), tempfile::tempdir().unwrap()).await)
    }

    /// Over HTTPS, on the certificate a fresh hub makes for itself.
    pub async fn start_tls() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = DbTarget::Sqlite {
            path: dir.path().join("hub.db"),
            key_file: dir.path().join("hub.db.key"),
        };
        let files = checkpoint_hub::certificate::default_files(dir.path());
        checkpoint_hub::certificate::ensure(&files, &["localhost".to_owned()]).unwrap();
        Self::start_with(db, dir, Some(files)).await
    }

    async fn start_on(db: DbTarget, dir: tempfile::TempDir) -> Self {
        Self::start_with(db, dir, None).await
    }

    async fn start_with(
        db: DbTarget,
        dir: tempfile::TempDir,
        tls: Option<checkpoint_hub::TlsFiles>,
    ) -> Self {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let hub = RunningHub::start(HubOptions::new("127.0.0.1:0".parse().unwrap(), db, tls))
            .await
            .unwrap();
        for (name, role) in [
            ("lan", Role::HealthOfficer),
            ("an", Role::Viewer),
            ("quan", Role::Admin),
        ] {
            add_account(&hub, name, role, &[]).await;
        }
        // The hub's own certificate is pinned by kiosks, not trusted by a CA:
        // this client is about the console, so it takes it as it is.
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .tls_danger_accept_invalid_certs(scheme == "https")
            .build()
            .unwrap();
        let base = format!("{scheme}://{}", hub.addr());
        Self {
            hub,
            http,
            base,
            _dir: dir,
        }
    }

    /// The hub's data folder (its generated certificate is in it).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn get(&self, path: &str, cookies: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, cookies)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, cookies: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, cookies)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// The sign-in form's token and its cookie.
    async fn login_form(&self) -> (String, String) {
        let r = self.get("/login", "").await;
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = set_cookie(&r, "ck_login");
        let html = r.text().await.unwrap();
        let token = html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        (token, cookie)
    }

    pub async fn sign_in(&self, name: &str, password: &str) -> Response {
        let (token, cookie) = self.login_form().await;
        self.post(
            "/login",
            &format!("ck_login={cookie}"),
            &[("name", name), ("password", password), ("csrf", &token)],
        )
        .await
    }

    /// Signs in and returns the `Cookie` header value of the session.
    pub async fn session(&self, name: &str) -> String {
        let r = self.sign_in(name, "mật khẩu đủ dài").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
        format!("__Host-ck_session={}", set_cookie(&r, "__Host-ck_session"))
    }
}

/// An account with the tests' password, limited to `groups` (none: all).
pub async fn add_account(hub: &RunningHub, name: &str, role: Role, groups: &[&str]) {
    let account = Account {
        name: name.into(),
        role,
        groups: groups.iter().map(|g| g.to_string()).collect(),
        password_hash: accounts::hash_password("mật khẩu đủ dài").unwrap(),
        created_at: String::new(),
        disabled_at: None,
    };
    assert!(hub.db().add_account(&account).await.unwrap());
}

/// A form's fields as `post` takes them.
fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect()
}

/// The CSRF token in a page's first form.
pub fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

/// The value of cookie `name` set by a response (and its whole line).
fn set_cookie(r: &Response, name: &str) -> String {
    set_cookie_line(r, name)
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap()
}

fn set_cookie_line(r: &Response, name: &str) -> String {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", r.headers()))
}

fn location(r: &Response) -> &str {
    r.headers().get(LOCATION).unwrap().to_str().unwrap()
}

#[tokio::test]
async fn sign_in_see_the_counts_and_sign_out() {
    let c = Console::start().await;
    // Nothing without a session.
    let r = c.get("/", "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login");

    let records: Vec<NewRecord> = (0..3)
        .map(|_| NewRecord {
            id: Uuid::now_v7(),
            kind: RecordKind::Declaration,
            created_at: chrono::Utc::now(),
            body: "{}".into(),
        })
        .collect();
    c.hub.db().insert("K1", records).await.unwrap();

    let r = c.sign_in("lan", "mật khẩu đủ dài").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    let line = set_cookie_line(&r, "__Host-ck_session");
    for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(line.contains(flag), "{line}");
    }
    let session = format!("__Host-ck_session={}", set_cookie(&r, "__Host-ck_session"));

    let r = c.get("/", &session).await;
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Tổng quan") && html.contains("lan (cán bộ y tế)"),
        "{html}"
    );
    let card = html.split("id=\"count-declaration\"").nth(1).unwrap();
    assert!(card.contains("<div class=\"figure\">3</div>"), "{card}");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from elsewhere"
    );

    // English on request, kept in a cookie.
    let r = c.get("/?lang=en", &session).await;
    assert!(set_cookie_line(&r, "ck_lang").starts_with("ck_lang=en"));
    assert!(r.text().await.unwrap().contains("Overview"));

    // A session of an account disabled elsewhere (the command line) ends.
    let viewer = c.sign_in("an", "mật khẩu đủ dài").await;
    let viewer = format!(
        "__Host-ck_session={}",
        set_cookie(&viewer, "__Host-ck_session")
    );
    assert_eq!(c.get("/", &viewer).await.status(), StatusCode::OK);
    c.hub.db().disable_account("an").await.unwrap();
    assert_eq!(c.get("/", &viewer).await.status(), StatusCode::SEE_OTHER);

    // Sign-out needs the session's token.
    let r = c.post("/logout", &session, &[("csrf", "forged")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(c.get("/", &session).await.status(), StatusCode::OK);
    let html = c.get("/", &session).await.text().await.unwrap();
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = c.post("/logout", &session, &[("csrf", &token)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(set_cookie_line(&r, "__Host-ck_session").contains("Max-Age=0"));
    assert_eq!(c.get("/", &session).await.status(), StatusCode::SEE_OTHER);
    c.hub.stop().await;
}

#[tokio::test]
async fn forged_forms_wrong_passwords_and_scripts_are_refused() {
    let c = Console::start().await;
    // A sign-in without the form's token, or with another one.
    let (_, cookie) = c.login_form().await;
    let r = c
        .post(
            "/login",
            &format!("ck_login={cookie}"),
            &[
                ("name", "lan"),
                ("password", "mật khẩu đủ dài"),
                ("csrf", "forged"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(
            "/login",
            "",
            &[
                ("name", "lan"),
                ("password", "mật khẩu đủ dài"),
                ("csrf", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A name holding markup comes back as text.
    let r = c
        .sign_in("<script>alert(1)</script>", "whatever-long")
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"));

    // Five failures lock the account for 15 minutes, even with the right password.
    for _ in 0..4 {
        assert_eq!(
            c.sign_in("an", "wrong password").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = c.sign_in("an", "wrong password").await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Sai tên tài khoản hoặc mật khẩu")
    );
    let r = c.sign_in("an", "mật khẩu đủ dài").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("15 phút"));
    // Another account is not affected.
    assert_eq!(
        c.sign_in("lan", "mật khẩu đủ dài").await.status(),
        StatusCode::SEE_OTHER
    );
    // A disabled account cannot sign in.
    c.hub.db().disable_account("lan").await.unwrap();
    assert_eq!(
        c.sign_in("lan", "mật khẩu đủ dài").await.status(),
        StatusCode::UNAUTHORIZED
    );
    c.hub.stop().await;
}

/// Names no account can have (too long, a newline that would forge a log
/// line) are refused before anything is throttled, audited or logged, and a
/// sign-in form larger than its limit is not read at all.
#[tokio::test]
async fn sign_in_names_no_account_can_have_leave_no_trace() {
    let c = Console::start().await; // "lan" is one of its accounts
    let audited = || async { c.hub.db().audit_entries(10_000).await.unwrap().len() };
    let before = audited().await;
    // The store's files (the database and its write-ahead log).
    let stored_bytes = || {
        ["hub.db", "hub.db-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(c.dir().join(f)).ok())
            .map(|m| m.len())
            .sum::<u64>()
    };
    let bytes_before = stored_bytes();
    let long = "n".repeat(15_000);
    let forged = "lan\nWARN FORGED: admin root signed in";
    for name in [long.as_str(), forged, "lan\u{0}", ""] {
        for _ in 0..6 {
            let r = c.sign_in(name, "not the password").await;
            assert_eq!(
                r.status(),
                StatusCode::UNAUTHORIZED,
                "{:?}",
                &name[..name.len().min(20)]
            );
        }
    }
    assert_eq!(
        audited().await,
        before,
        "no audit row for an impossible name"
    );
    // 24 sign-ins carrying 15,000-character names (before: 25 of 1 MiB grew
    // the store by 28 MB) wrote less than one name's worth.
    let grown = stored_bytes().saturating_sub(bytes_before);
    assert!(grown < 15_000, "the store grew by {grown} bytes");
    // Six tries with the forged name did not lock the account it starts with.
    assert_eq!(
        c.sign_in("lan", "mật khẩu đủ dài").await.status(),
        StatusCode::SEE_OTHER
    );

    // A form past 16 KiB is refused unread (before: 1.9 MiB were accepted).
    let (token, cookie) = c.login_form().await;
    let page = c.get("/login", "").await;
    // Plain HTTP: no HSTS; Server-Timing only when asked for.
    for header in ["strict-transport-security", "server-timing"] {
        assert!(page.headers().get(header).is_none(), "{header}");
    }
    let huge = "n".repeat(17 * 1024);
    let r = c
        .post(
            "/login",
            &format!("ck_login={cookie}"),
            &[("name", huge.as_str()), ("password", "x"), ("csrf", &token)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        audited().await,
        before + 1,
        "only lan's own sign-in was audited"
    );
}

#[tokio::test]
async fn flagged_visitors_on_sqlite() {
    follow_up_flagged_visitors(Console::start().await).await;
}

#[tokio::test]
async fn flagged_visitors_on_postgres() {
    if let Some(c) = Console::start_on_postgres().await {
        follow_up_flagged_visitors(c).await;
    }
}

/// Health officers follow up flagged visitors, viewers never see them, and
/// admins read the audit log.
async fn follow_up_flagged_visitors(c: Console) {
    use checkpoint_domain::declaration::{Declaration, Record, Symptom};
    use checkpoint_wire::{FollowUp, FollowUpState};

    let mut declaration = Declaration::example();
    declaration.identity.full_name = "LÊ THỊ <B>HOA</B>".into();
    declaration.identity.phone = "0912345678".into();
    declaration.symptoms.selected.insert(Symptom::Fever);
    let visitor = Record::new(
        declaration,
        "BORDER-1",
        chrono::Utc::now(),
        chrono::Utc::now(),
    );
    assert!(visitor.flagged);
    let calm = Record::new(
        Declaration::example(),
        "BORDER-1",
        chrono::Utc::now(),
        chrono::Utc::now(),
    );
    let kiosk_step = FollowUp {
        declaration_id: visitor.record_id,
        state: FollowUpState::SeenAtDesk,
        by: "Bảo vệ Minh".into(),
        at: chrono::Utc::now(),
        note: String::new(),
    };
    let records = vec![
        NewRecord {
            id: visitor.record_id,
            kind: RecordKind::Declaration,
            created_at: visitor.submitted_at,
            body: serde_json::to_string(&visitor).unwrap(),
        },
        NewRecord {
            id: calm.record_id,
            kind: RecordKind::Declaration,
            created_at: calm.submitted_at,
            body: serde_json::to_string(&calm).unwrap(),
        },
        NewRecord {
            id: Uuid::now_v7(),
            kind: RecordKind::FollowUp,
            created_at: kiosk_step.at,
            body: serde_json::to_string(&kiosk_step).unwrap(),
        },
    ];
    c.hub.db().insert("BORDER-1", records).await.unwrap();
    let report = checkpoint_domain::declaration::report::ReportRecord::new(
        checkpoint_domain::declaration::report::Report {
            kinds: [checkpoint_domain::declaration::report::ReportKind::SuspectedCase].into(),
            details: "Người ho và sốt ở chợ <b>Đồng Xuân</b>".into(),
            province: "01".into(),
            ..Default::default()
        },
        "BORDER-1",
        chrono::Utc::now(),
    );
    let sent = NewRecord {
        id: report.record_id,
        kind: RecordKind::Report,
        created_at: report.submitted_at,
        body: serde_json::to_string(&report).unwrap(),
    };
    c.hub.db().insert("BORDER-1", vec![sent]).await.unwrap();

    // A viewer: counts, never a name or a phone, and no way to the list.
    let viewer = c.session("an").await;
    let overview = c.get("/", &viewer).await.text().await.unwrap();
    // By the name's accented part: a page's random CSRF token may spell "HOA".
    assert!(!overview.contains("LÊ THỊ") && !overview.contains("0912345678"));
    assert!(
        !overview.contains("/flagged"),
        "no link to what the role cannot open"
    );
    assert_eq!(
        c.get("/flagged", &viewer).await.status(),
        StatusCode::FORBIDDEN
    );

    // A health officer: the flagged visitor only, why, how to reach them, the kiosk's step.
    let officer = c.session("lan").await;
    let r = c.get("/flagged?lang=en", &officer).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("LÊ THỊ &lt;B&gt;HOA&lt;/B&gt;"),
        "the name is text: {html}"
    );
    assert!(html.contains("0912345678") && html.contains("BORDER-1"));
    assert!(
        html.contains("One visitor triaged red"),
        "the calm visitor is not listed"
    );
    assert!(
        html.contains("Seen at the desk") && html.contains("Bảo vệ Minh"),
        "{html}"
    );

    // A step: refused without the session's token, stored and shown with it.
    let form = |csrf: &str, note: &str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("subject".to_owned(), visitor.record_id.to_string()),
            ("state".to_owned(), "referred-for-testing".to_owned()),
            ("note".to_owned(), note.to_owned()),
        ]
    };

    let forged = form("forged", "x");
    assert_eq!(
        c.post("/flagged/step", &officer, &refs(&forged))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let real = form(&csrf_of(&html), "<script>alert(2)</script> gửi Trạm Y tế");
    let r = c.post("/flagged/step", &officer, &refs(&real)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = c.get("/flagged", &officer).await.text().await.unwrap();
    assert!(
        html.contains("Chuyển đi xét nghiệm") || html.contains("xét nghiệm"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(2)&lt;/script&gt; gửi Trạm Y tế"));
    assert!(!html.contains("<script>"));
    let viewer_step = form(
        &csrf_of(&c.get("/", &viewer).await.text().await.unwrap()),
        "x",
    );
    assert_eq!(
        c.post("/flagged/step", &viewer, &refs(&viewer_step))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Reports, for the health officer: what, where, the details as text.
    let reports = c.get("/reports", &officer).await.text().await.unwrap();
    assert!(
        reports.contains("Người ho và sốt ở chợ &lt;b&gt;Đồng Xuân&lt;/b&gt;"),
        "{reports}"
    );
    assert!(
        reports.contains("Hà Nội") && reports.contains("BORDER-1"),
        "{reports}"
    );
    // A report followed up in the same states; a flagged visitor's id is
    // not a report (nor the other way round).
    let report_step = |subject: String| {
        vec![
            ("csrf".to_owned(), csrf_of(&reports)),
            ("subject".to_owned(), subject),
            ("state".to_owned(), "contacted".to_owned()),
            ("note".to_owned(), "đã gọi ban quản lý chợ".to_owned()),
        ]
    };
    let r = c
        .post(
            "/reports/step",
            &officer,
            &refs(&report_step(report.record_id.to_string())),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/reports?page=0");
    let r = c
        .post(
            "/reports/step",
            &officer,
            &refs(&report_step(visitor.record_id.to_string())),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let reports = c.get("/reports", &officer).await.text().await.unwrap();
    assert!(
        reports.contains("đã gọi ban quản lý chợ") && reports.contains("lan"),
        "{reports}"
    );

    // The admin reads who did what; nobody else can.
    assert_eq!(
        c.get("/audit", &officer).await.status(),
        StatusCode::FORBIDDEN
    );
    let admin = c.session("quan").await;
    let audit = c.get("/audit", &admin).await.text().await.unwrap();
    for action in [
        "signed_in",
        "flagged_viewed",
        "follow_up_recorded",
        "reports_viewed",
    ] {
        assert!(audit.contains(action), "{action} missing: {audit}");
    }
    assert!(audit.contains(&visitor.record_id.to_string()));
    c.hub.stop().await;
}

/// The part of `html` from the element with id `id` to the end of its row.
fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
    let from = html
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    from.split("</tr>").next().unwrap_or(from)
}

/// The figure on the overview's card with id `id`.
fn card_figure(html: &str, id: &str) -> String {
    row_of(html, id)
        .split("class=\"figure\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_overview_adds_up_with_kiosks_not_yet_assigned() {
    use super::support::declaration;
    let c = Console::start().await;
    let db = c.hub.db();
    db.add_checkpoint(&checkpoint_hub::db::Checkpoint {
        id: "moc-bai".into(),
        name: "Cửa khẩu Mộc Bài".into(),
        province: String::new(),
        ward: String::new(),
        group: "Tây Ninh".into(),
        kiosks: vec![],
    })
    .await
    .unwrap();
    db.assign_kiosk("K1", "moc-bai").await.unwrap();
    let now = chrono::Utc::now();
    let at = |n: &str, flagged| declaration(now, n, "001098012345", "0912345678", flagged);
    db.insert("K1", vec![at("A", true), at("B", false)])
        .await
        .unwrap();
    db.insert("K9", vec![at("C", false), at("D", false), at("E", true)])
        .await
        .unwrap();

    let admin = c.session("quan").await;
    let html = c.get("/", &admin).await.text().await.unwrap();
    assert_eq!(card_figure(&html, "count-declaration"), "5", "{html}");
    let unassigned = row_of(&html, "unassigned");
    assert!(
        unassigned.contains("Máy chưa gán điểm kiểm soát") && unassigned.contains(">3<"),
        "{unassigned}"
    );
    // An officer of Tây Ninh counts Mộc Bài only: no row for the others.
    add_account(&c.hub, "ninh", Role::HealthOfficer, &["Tây Ninh"]).await;
    let officer = c.session("ninh").await;
    let html = c.get("/", &officer).await.text().await.unwrap();
    assert_eq!(card_figure(&html, "count-declaration"), "2", "{html}");
    assert!(!html.contains("id=\"unassigned\""));
    c.hub.stop().await;
}

/// A client that announces a body and never sends it is answered 408 and
/// cut off once the request's time is up, on a page and on the kiosks' API
/// alike (before: still open after 75 s).
#[tokio::test]
async fn a_request_that_never_ends_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let db = DbTarget::Sqlite {
        path: dir.path().join("hub.db"),
        key_file: dir.path().join("hub.db.key"),
    };
    let mut options = HubOptions::new("127.0.0.1:0".parse().unwrap(), db, None);
    options.page_timeout = std::time::Duration::from_secs(2);
    options.api_timeout = std::time::Duration::from_secs(2);
    let hub = RunningHub::start(options).await.unwrap();
    let token = checkpoint_hub::auth::generate_token();
    hub.db()
        .add_token(&checkpoint_hub::auth::hash_token(&token), "K1", "t")
        .await
        .unwrap();
    for path in ["/login", "/api/v1/records"] {
        let mut tcp = tokio::net::TcpStream::connect(hub.addr()).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Authorization: Bearer {token}\r\nCK-Protocol: 1\r\nContent-Length: 1000\r\n\r\nname=a"
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            tcp.read_to_end(&mut answer),
        )
        .await;
        assert!(read.is_ok(), "{path}: still open after 20 s");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{path}: {text}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{path}"
        );
    }
    hub.stop().await;
}

/// A name sprayed across accounts is slowed too: 20 failed sign-ins from
/// one address, whatever the names, lock that address for 15 minutes (the
/// right password included), audited once when the lock begins.
#[tokio::test]
async fn failures_from_one_address_lock_it_whatever_the_names() {
    let c = Console::start().await;
    let audited = || async {
        c.hub
            .db()
            .audit_entries(10_000)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "sign_in_throttled")
            .count()
    };
    for i in 0..20 {
        let r = c.sign_in(&format!("spray{i}"), "not the password").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "try {i}");
    }
    assert_eq!(audited().await, 1, "the lock, once");
    for _ in 0..3 {
        let r = c.sign_in("lan", "mật khẩu đủ dài").await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(
        audited().await,
        1,
        "refusals while locked are not audited again"
    );
    c.hub.stop().await;
}
