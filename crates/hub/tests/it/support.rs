//! What several of the hub's test files need: the binary as an operator
//! runs it, a fresh PostgreSQL database, and declarations to store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use checkpoint_domain::declaration::{Declaration, Record, Symptom};
use checkpoint_hub::DbTarget;
use checkpoint_hub::db::NewRecord;
use checkpoint_wire::RecordKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// `checkpoint-hub --lang en <store> <args>`.
pub fn hub(data: &Path, store: &[String], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkpoint-hub"))
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(store)
        .args(args)
        .output()
        .unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh, empty database on the PostgreSQL `.ci/test` runs; `None` (the
/// test says SKIPPED) without one.
pub async fn fresh_postgres(test: &str) -> Option<String> {
    const ENV: &str = "CK_TEST_POSTGRES_URL";
    let Ok(admin) = std::env::var(ENV) else {
        eprintln!("SKIPPED {test}: {ENV} is not set (bash .ci/test sets it)");
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let name = format!("ck_{}", Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    Some(format!("{}/{name}", admin.rsplit_once('/').unwrap().0))
}

/// A store, as the command line selects it and as the library opens it.
pub struct Store {
    pub args: Vec<String>,
    pub target: DbTarget,
}

impl Store {
    pub fn sqlite(dir: &Path) -> Self {
        let path = dir.join("hub.db");
        let key_file = PathBuf::from(format!("{}.key", path.display()));
        Self {
            args: vec!["--db".into(), path.display().to_string()],
            target: DbTarget::Sqlite { path, key_file },
        }
    }

    pub fn postgres(url: String) -> Self {
        Self {
            args: vec!["--database-url".into(), url.clone()],
            target: DbTarget::Postgres(url),
        }
    }
}

/// A visitor's declaration as a kiosk sends it: flagged by triage (a
/// cough) or not.
pub fn declaration(
    at: DateTime<Utc>,
    name: &str,
    document: &str,
    phone: &str,
    flagged: bool,
) -> NewRecord {
    let mut d = Declaration::example();
    d.identity.full_name = name.into();
    d.identity.document.number = document.into();
    d.identity.phone = phone.into();
    if flagged {
        d.symptoms.selected.insert(Symptom::Cough);
    }
    let mut r = Record::new(d, "K", at, at);
    r.bluezone_nearby = Some(true);
    assert_eq!(r.flagged, flagged);
    NewRecord {
        id: r.record_id,
        kind: RecordKind::Declaration,
        created_at: at,
        body: serde_json::to_string(&r).unwrap(),
    }
}

/// A step of a flagged visitor's follow-up.
pub fn step(at: DateTime<Utc>, declaration: Uuid, state: &str) -> NewRecord {
    let body = serde_json::json!({
        "declaration_id": declaration, "state": state, "by": "Lan", "at": at,
    });
    NewRecord {
        id: Uuid::now_v7(),
        kind: RecordKind::FollowUp,
        created_at: at,
        body: body.to_string(),
    }
}

/// A calm visitor's declaration, with or without a Bluezone phone near.
pub fn check_in(at: DateTime<Utc>, bluezone: Option<bool>) -> NewRecord {
    let mut record = declaration(at, "KHÁCH", "", "0900000000", false);
    let mut body: serde_json::Value = serde_json::from_str(&record.body).unwrap();
    body["bluezone_nearby"] = serde_json::json!(bluezone);
    record.body = body.to_string();
    record
}
