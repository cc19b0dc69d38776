//! A fresh database per test on the PostgreSQL that `.ci/test` starts
//! (its URL in `CK_TEST_POSTGRES_URL`).

use tokio_postgres::NoTls;

pub const ENV: &str = "CK_TEST_POSTGRES_URL";

/// A URL to a new, empty database, or None (with a loud note) when no
/// PostgreSQL was provided.
pub async fn fresh_database(test: &str) -> Option<String> {
    let Ok(admin) = std::env::var(ENV) else {
        eprintln!(
            "SKIPPED {test}: {ENV} is not set (bash .ci/test starts a PostgreSQL and sets it)"
        );
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&admin, NoTls)
        .await
        .unwrap_or_else(|e| panic!("{ENV} is set but PostgreSQL is unreachable: {e}"));
    tokio::spawn(conn);
    let name = format!("ck_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let mut url = reqwest::Url::parse(&admin).unwrap();
    url.set_path(&format!("/{name}"));
    Some(url.to_string())
}
