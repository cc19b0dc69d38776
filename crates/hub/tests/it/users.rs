//! `checkpoint-hub user …`: the first admin and the other console accounts
//! from the command line, on SQLite and on PostgreSQL (when `.ci/test`
//! provides one): passwords only as argon2id hashes, shown once, names
//! checked, disable and reset.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use checkpoint_hub::accounts::{self, Role};
use checkpoint_hub::{DbTarget, HubDb};

fn hub(data: &Path, db: &[String], args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every account command against one store; `db` selects it (empty: the
/// data folder's SQLite file), `target` opens the same store directly.
async fn accounts_from_the_command_line(db: Vec<String>, target: DbTarget) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let empty = hub(data, &db, &["user", "list"], None);
    assert!(text(&empty.stdout).contains("Add the first admin"));

    let added = hub(data, &db, &["user", "add", "an", "--role", "admin"], None);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let out = text(&added.stdout);
    let generated = out.lines().nth(2).unwrap().trim().to_owned();
    assert_eq!(generated.len(), 16, "{out}");

    let lan = hub(
        data,
        &db,
        &[
            "user",
            "add",
            "lan.nguyen",
            "--role",
            "health-officer",
            "--groups",
            "Lạng Sơn, Cao Bằng",
            "--password-stdin",
        ],
        Some("mật khẩu đủ dài\n"),
    );
    assert!(lan.status.success(), "{}", text(&lan.stderr));
    assert!(
        !text(&lan.stdout).contains("mật khẩu"),
        "a typed password is never echoed"
    );

    // What is stored: roles, groups, and only hashes that verify.
    let store = HubDb::open(&target).await.unwrap();
    let an = store.account("an").await.unwrap().unwrap();
    assert_eq!(an.role, Role::Admin);
    assert!(an.groups.is_empty());
    assert!(an.password_hash.starts_with("$argon2id$"));
    assert!(accounts::verify(Some(&an), &generated));
    let lan = store.account("lan.nguyen").await.unwrap().unwrap();
    assert_eq!(lan.role, Role::HealthOfficer);
    assert_eq!(lan.groups, ["Lạng Sơn", "Cao Bằng"]);
    assert!(accounts::verify(Some(&lan), "mật khẩu đủ dài"));
    assert!(!accounts::verify(Some(&lan), &generated));

    // Refused: a taken name, a name with markup, a short password.
    let again = hub(data, &db, &["user", "add", "an", "--role", "viewer"], None);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));
    let markup = hub(
        data,
        &db,
        &["user", "add", "<b>x", "--role", "viewer"],
        None,
    );
    assert!(!markup.status.success());
    let short = hub(
        data,
        &db,
        &["user", "reset-password", "lan.nguyen", "--password-stdin"],
        Some("short\n"),
    );
    assert!(
        text(&short.stderr).contains("at least 10"),
        "{}",
        text(&short.stderr)
    );

    // Disabled: no sign-in even with the right password; a reset enables it.
    let off = hub(data, &db, &["user", "disable", "lan.nguyen"], None);
    assert!(off.status.success(), "{}", text(&off.stderr));
    let lan = store.account("lan.nguyen").await.unwrap().unwrap();
    assert!(!accounts::verify(Some(&lan), "mật khẩu đủ dài"));
    let listed = text(&hub(data, &db, &["user", "list"], None).stdout);
    let row = listed
        .lines()
        .find(|l| l.starts_with("lan.nguyen"))
        .unwrap();
    assert!(!row.ends_with("\t-"), "disabled shows its date: {row}");
    assert!(!listed.contains("$argon2"), "no hash is listed");
    let reset = hub(data, &db, &["user", "reset-password", "lan.nguyen"], None);
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    let new_password = text(&reset.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .to_owned();
    let lan = store.account("lan.nguyen").await.unwrap().unwrap();
    assert!(accounts::verify(Some(&lan), &new_password));
    let missing = hub(data, &db, &["user", "reset-password", "nobody"], None);
    assert!(!missing.status.success());
}

#[tokio::test]
async fn accounts_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    let db = vec!["--db".to_owned(), path.display().to_string()];
    let mut key = path.clone().into_os_string();
    key.push(".key");
    let target = DbTarget::Sqlite {
        path: path.clone(),
        key_file: key.into(),
    };
    accounts_from_the_command_line(db, target).await;
}

#[tokio::test]
async fn accounts_on_postgres() {
    let Some(url) = super::support::fresh_postgres("accounts_on_postgres").await else {
        return;
    };
    let db = vec!["--database-url".to_owned(), url.clone()];
    accounts_from_the_command_line(db, DbTarget::Postgres(url)).await;
}
