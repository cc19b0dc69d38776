//! Accounts on the console over HTTP: changing one's own password (the
//! current one first; every session ends; the new one works, the old does
//! not), and an admin adding, resetting and disabling accounts (a generated
//! password shown once; a disabled account's session ends at once). Other
//! roles, forged forms and no session are refused.

use reqwest::StatusCode;

use super::console::{Console, csrf_of};

fn shown_password(html: &str) -> String {
    html.split("id=\"new-password\"")
        .nth(1)
        .and_then(|s| s.split("<code class=\"token\">").nth(1))
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn passwords_and_accounts_from_the_console() {
    let c = Console::start().await;
    let lan = c.session("lan").await;
    let csrf = csrf_of(&c.get("/account", &lan).await.text().await.unwrap());
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let (c, lan, csrf) = (&c, lan.clone(), csrf.clone());
        async move {
            c.post(
                "/account/password",
                &lan,
                &[
                    ("csrf", &csrf),
                    ("current", current),
                    ("new", new),
                    ("repeat", repeat),
                ],
            )
            .await
        }
    };
    assert_eq!(
        change("sai mật khẩu", "mật khẩu mới dài", "mật khẩu mới dài")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        change("mật khẩu đủ dài", "mật khẩu mới dài", "khác hẳn rồi nhé")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        change("mật khẩu đủ dài", "ngắn", "ngắn").await.status(),
        StatusCode::BAD_REQUEST
    );
    let forged = c
        .post(
            "/account/password",
            &lan,
            &[
                ("csrf", "x"),
                ("current", "mật khẩu đủ dài"),
                ("new", "mật khẩu mới dài"),
                ("repeat", "mật khẩu mới dài"),
            ],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let done = change("mật khẩu đủ dài", "mật khẩu mới dài", "mật khẩu mới dài").await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let to = done.headers()["location"].to_str().unwrap().to_owned();
    let login = c.get(&to, "").await.text().await.unwrap();
    assert!(
        login.contains("Đã đổi mật khẩu. Mời đăng nhập lại bằng mật khẩu mới."),
        "{login}"
    );
    assert!(
        !c.get("/login", "")
            .await
            .text()
            .await
            .unwrap()
            .contains("id=\"notice\""),
        "only after a change"
    );
    assert_eq!(
        c.get("/", &lan).await.status(),
        StatusCode::SEE_OTHER,
        "session ended"
    );
    assert_eq!(
        c.sign_in("lan", "mật khẩu đủ dài").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.sign_in("lan", "mật khẩu mới dài").await.status(),
        StatusCode::SEE_OTHER
    );

    // The users page: admins only.
    let an = c.session("an").await;
    assert_eq!(c.get("/users", &an).await.status(), StatusCode::FORBIDDEN);
    let quan = c.session("quan").await;
    let page = c.get("/users", &quan).await.text().await.unwrap();
    assert!(page.contains("id=\"user-lan\""));
    let csrf = csrf_of(&page);
    let viewer_csrf = csrf_of(&c.get("/", &an).await.text().await.unwrap());
    let refused = c
        .post(
            "/users/add",
            &an,
            &[("csrf", &viewer_csrf), ("name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let added = c
        .post(
            "/users/add",
            &quan,
            &[
                ("csrf", &csrf),
                ("name", "hoa"),
                ("role", "health-officer"),
                ("groups", "G1, G2"),
            ],
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let password = shown_password(&added.text().await.unwrap());
    assert_eq!(password.len(), 16);
    let hoa = c.sign_in("hoa", &password).await;
    assert_eq!(hoa.status(), StatusCode::SEE_OTHER);
    let account = c.hub.db().account("hoa").await.unwrap().unwrap();
    assert_eq!(account.groups, ["G1", "G2"]);
    let markup = c
        .post(
            "/users/add",
            &quan,
            &[("csrf", &csrf), ("name", "<b>x"), ("role", "viewer")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(markup.contains("id=\"form-error\"") && !markup.contains("<b>x"));

    // Reset: the old password stops working, the new one works.
    let reset = c
        .post("/users/reset", &quan, &[("csrf", &csrf), ("name", "hoa")])
        .await;
    let again = shown_password(&reset.text().await.unwrap());
    assert_ne!(again, password);
    assert_eq!(
        c.sign_in("hoa", &password).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let r = c.sign_in("hoa", &again).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("__Host-ck_session="))
        .unwrap();
    let hoa_session = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(
        c.get("/flagged", &hoa_session).await.status(),
        StatusCode::OK
    );

    // Disabled: the open session ends at once.
    let off = c
        .post("/users/disable", &quan, &[("csrf", &csrf), ("name", "hoa")])
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.get("/flagged", &hoa_session).await.status(),
        StatusCode::SEE_OTHER
    );
    let own = c
        .post(
            "/users/disable",
            &quan,
            &[("csrf", &csrf), ("name", "quan")],
        )
        .await;
    assert_eq!(own.status(), StatusCode::BAD_REQUEST, "not oneself");

    let audit = c.get("/audit", &quan).await.text().await.unwrap();
    for action in [
        "password_changed",
        "password_change_refused",
        "user_added",
        "password_reset",
        "user_disabled",
    ] {
        assert!(audit.contains(action), "{action}");
    }
    assert!(
        !audit.contains(&password) && !audit.contains(&again),
        "no password in the log"
    );
}
