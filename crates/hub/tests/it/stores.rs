//! Checkpoints, the groups accounts are limited to, the index columns and
//! their one-time backfill, retention and backup: on SQLite and on
//! PostgreSQL (when `.ci/test` provides one), through the command line as an
//! operator uses it and through the store as the console reads it.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::support::{Store, declaration, fresh_postgres, hub, step, text};
use checkpoint_hub::HubDb;
use checkpoint_hub::accounts::{Role, Scope};
use checkpoint_hub::db::{PageOf, RetentionRule};
use checkpoint_hub::index::case_key;

const PAGE: PageOf = PageOf {
    offset: 0,
    limit: 100,
};

async fn checkpoints_scopes_and_retention(store: Store, data: &std::path::Path) {
    let db = HubDb::open(&store.target).await.unwrap();
    let now = Utc::now();
    // Two visitors at kiosk K1 before it is assigned anywhere.
    let early = vec![
        declaration(now, "Nguyễn Văn An", "001098012345", "0912 345 678", true),
        declaration(now, "Trần Thị Bình", "079304001234", "0987654321", false),
    ];
    db.insert("K1", early.clone()).await.unwrap();

    let run = |args: &[&str]| {
        let out = hub(data, &store.args, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    run(&[
        "checkpoint",
        "add",
        "moc-bai",
        "--name",
        "Cửa khẩu Mộc Bài",
        "--group",
        "Tây Ninh",
        "--province",
        "80",
    ]);
    run(&[
        "checkpoint",
        "add",
        "noi-bai",
        "--name",
        "Sân bay Nội Bài",
        "--group",
        "Hà Nội",
    ]);
    let refused = hub(
        data,
        &store.args,
        &["checkpoint", "add", "Mộc Bài", "--name", "x"],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("lower-case"),
        "{}",
        text(&refused.stderr)
    );
    let bad_province = hub(
        data,
        &store.args,
        &["checkpoint", "add", "x", "--name", "x", "--province", "99"],
    );
    assert!(text(&bad_province.stderr).contains("No province with code 99"));

    let assigned = run(&[
        "checkpoint",
        "assign",
        "--kiosk",
        "K1",
        "--checkpoint",
        "moc-bai",
    ]);
    assert!(assigned.contains("2 earlier records"), "{assigned}");
    run(&[
        "checkpoint",
        "assign",
        "--kiosk",
        "K2",
        "--checkpoint",
        "noi-bai",
    ]);
    let missing = hub(
        data,
        &store.args,
        &[
            "checkpoint",
            "assign",
            "--kiosk",
            "K3",
            "--checkpoint",
            "nowhere",
        ],
    );
    assert!(!missing.status.success());
    let listed = run(&["checkpoint", "list"]);
    assert!(
        listed.contains("moc-bai\tCửa khẩu Mộc Bài\tTây Ninh\tTỉnh Tây Ninh\tK1"),
        "{listed}"
    );

    // Records from now on are attached as they arrive.
    let later = declaration(now, "Lê Văn Cường", "001098054321", "+84 912 345 678", true);
    db.insert("K1", vec![later.clone()]).await.unwrap();
    let at_noi_bai = declaration(now, "Phạm Thị Dung", "001198011111", "0900000001", true);
    db.insert("K2", vec![at_noi_bai.clone()]).await.unwrap();

    // Scopes: an officer of Tây Ninh sees Mộc Bài's two flagged visitors,
    // one of Huế none, one of every group all three.
    let flagged_ids = |groups: &[&str]| {
        let access = Role::HealthOfficer
            .personal_access(Scope::of(
                &groups.iter().map(|g| g.to_string()).collect::<Vec<_>>(),
            ))
            .unwrap();
        let db = db.clone();
        async move {
            let (rows, total) = db.flagged(&access, PAGE).await.unwrap();
            assert_eq!(rows.len() as u64, total);
            let mut ids: Vec<Uuid> = rows.iter().map(|r| r.id.parse().unwrap()).collect();
            ids.sort();
            ids
        }
    };
    let mut tay_ninh = vec![early[0].id, later.id];
    tay_ninh.sort();
    assert_eq!(flagged_ids(&["Tây Ninh"]).await, tay_ninh);
    assert!(flagged_ids(&["Huế"]).await.is_empty());
    assert_eq!(flagged_ids(&[]).await.len(), 3);
    assert_eq!(flagged_ids(&["Hà Nội", "Tây Ninh"]).await.len(), 3);
    assert!(Role::Viewer.personal_access(Scope::all()).is_none());

    // One phone, two spellings: both check-ins found by either.
    let all = Role::Admin.personal_access(Scope::all()).unwrap();
    for typed in ["0912345678", "+84912345678", "0912 345 678"] {
        let found = db
            .check_ins_of(&all, &case_key(typed), now - Duration::days(14))
            .await
            .unwrap();
        let ids: Vec<Uuid> = found.iter().map(|r| r.id.parse().unwrap()).collect();
        assert_eq!(ids, [early[0].id, later.id], "{typed}");
        assert!(
            found
                .iter()
                .all(|r| r.checkpoint_id.as_deref() == Some("moc-bai"))
        );
    }
    let hanoi = Role::HealthOfficer
        .personal_access(Scope::of(&["Hà Nội".to_owned()]))
        .unwrap();
    let none = db
        .check_ins_of(&hanoi, &case_key("0912345678"), now - Duration::days(14))
        .await
        .unwrap();
    assert!(none.is_empty(), "out of scope");

    // Retention: 21 days, flagged under follow-up up to 90.
    let old = now - Duration::days(30);
    let plain = declaration(old, "Cũ", "001098000001", "0900000002", false);
    let waiting = declaration(old, "Chờ", "001098000002", "0900000003", true);
    let cleared = declaration(old, "Xong", "001098000003", "0900000004", true);
    let ancient = declaration(
        now - Duration::days(100),
        "Rất cũ",
        "001098000004",
        "",
        true,
    );
    let steps = vec![
        step(old, waiting.id, "contacted"),
        step(old, cleared.id, "contacted"),
        step(old + Duration::hours(1), cleared.id, "cleared"),
    ];
    let mut backdated = vec![
        plain.clone(),
        waiting.clone(),
        cleared.clone(),
        ancient.clone(),
    ];
    backdated.extend(steps.clone());
    db.insert("K1", backdated).await.unwrap();
    assert_eq!(db.record_ids().await.unwrap().len(), 4 + 7);
    let purged = db.purge(&RetentionRule::default(), now).await.unwrap();
    assert_eq!(purged.records, 5, "plain, cleared + 2 steps, ancient");
    assert_eq!(purged.kept_for_follow_up, 1);
    let left = db.record_ids().await.unwrap();
    assert_eq!(left.len(), 6);
    for gone in [plain.id, cleared.id, ancient.id, steps[1].id, steps[2].id] {
        assert!(!left.contains(&gone));
    }
    for kept in [waiting.id, steps[0].id, early[1].id] {
        assert!(left.contains(&kept));
    }
    let again = run(&["purge"]);
    assert!(
        again.contains("Deleted 0 records older than 21 days; kept 1"),
        "{again}"
    );
}

#[tokio::test]
async fn checkpoints_scopes_and_retention_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path());
    checkpoints_scopes_and_retention(store, dir.path()).await;
}

#[tokio::test]
async fn checkpoints_scopes_and_retention_on_postgres() {
    let Some(url) = fresh_postgres("checkpoints_scopes_and_retention_on_postgres").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    checkpoints_scopes_and_retention(Store::postgres(url), dir.path()).await;
}

/// A flagged visitor waits until a step is stored for them, whichever
/// arrives first and in whatever batch; the latest step by its time decides
/// what retention keeps, even when an older step arrives late.
async fn waiting_follows_the_latest_step(db: HubDb) {
    let now = Utc::now();
    let all = Scope::all();
    let before = now - Duration::hours(4);
    let at = now - Duration::hours(5);
    let alone = declaration(at, "Chờ", "001098000010", "0900000010", true);
    let later = declaration(at, "Gọi sau", "001098000011", "0900000011", true);
    let together = declaration(at, "Cùng lô", "001098000012", "0900000012", true);
    let calm = declaration(at, "Khoẻ", "001098000013", "0900000013", false);
    let recent = declaration(now, "Vừa đến", "001098000014", "0900000014", true);
    let early = declaration(at, "Bước trước", "001098000015", "0900000015", true);
    // A step that reaches the hub before its declaration (another kiosk's).
    db.insert("K2", vec![step(at, early.id, "seen")])
        .await
        .unwrap();
    db.insert(
        "K1",
        vec![
            alone.clone(),
            later.clone(),
            together.clone(),
            step(at, together.id, "contacted"),
            calm,
            recent,
            early,
        ],
    )
    .await
    .unwrap();
    assert_eq!(db.waiting_flagged(&all, before).await.unwrap(), 2);
    db.insert("K1", vec![step(now, later.id, "contacted")])
        .await
        .unwrap();
    assert_eq!(db.waiting_flagged(&all, before).await.unwrap(), 1);
    assert_eq!(
        db.waiting_flagged(&all, now + Duration::hours(1))
            .await
            .unwrap(),
        2
    );

    // Old enough for retention: the latest step by time decides.
    let old = now - Duration::days(30);
    let cleared_then_late = declaration(old, "Xong", "001098000020", "0900000020", true);
    let reopened = declaration(old, "Mở lại", "001098000021", "0900000021", true);
    db.insert(
        "K1",
        vec![
            cleared_then_late.clone(),
            reopened.clone(),
            step(old + Duration::hours(2), cleared_then_late.id, "cleared"),
            step(old + Duration::hours(1), reopened.id, "cleared"),
        ],
    )
    .await
    .unwrap();
    db.insert(
        "K2",
        vec![
            step(old + Duration::hours(1), cleared_then_late.id, "contacted"),
            step(old + Duration::hours(2), reopened.id, "contacted"),
        ],
    )
    .await
    .unwrap();
    let purged = db.purge(&RetentionRule::default(), now).await.unwrap();
    assert_eq!(purged.kept_for_follow_up, 1);
    let left = db.record_ids().await.unwrap();
    assert!(!left.contains(&cleared_then_late.id));
    assert!(left.contains(&reopened.id));
}

#[tokio::test]
async fn waiting_follows_the_latest_step_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = HubDb::open(&Store::sqlite(dir.path()).target)
        .await
        .unwrap();
    waiting_follows_the_latest_step(db).await;
}

#[tokio::test]
async fn waiting_follows_the_latest_step_on_postgres() {
    let Some(url) = fresh_postgres("waiting_follows_the_latest_step_on_postgres").await else {
        return;
    };
    let db = HubDb::open(&Store::postgres(url).target).await.unwrap();
    waiting_follows_the_latest_step(db).await;
}

/// A visitor set back to "new" on the console waits again, as on the
/// kiosk: the hub's count and its index take "waiting" from the follow-up
/// states, not from "no step yet".
async fn set_back_to_new_waits_again(db: HubDb) {
    let now = Utc::now();
    let all = Scope::all();
    let at = now - Duration::hours(5);
    let visitor = declaration(at, "Trở lại", "001098000030", "0900000030", true);
    db.insert(
        "K1",
        vec![visitor.clone(), step(at, visitor.id, "contacted")],
    )
    .await
    .unwrap();
    assert_eq!(db.waiting_flagged(&all, now).await.unwrap(), 0);
    db.insert("K1", vec![step(now, visitor.id, "new")])
        .await
        .unwrap();
    assert_eq!(db.waiting_flagged(&all, now).await.unwrap(), 1);
}

#[tokio::test]
async fn set_back_to_new_waits_again_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = HubDb::open(&Store::sqlite(dir.path()).target)
        .await
        .unwrap();
    set_back_to_new_waits_again(db).await;
}

#[tokio::test]
async fn set_back_to_new_waits_again_on_postgres() {
    let Some(url) = fresh_postgres("set_back_to_new_waits_again_on_postgres").await else {
        return;
    };
    // A hub of an earlier build made the index on "no step yet".
    {
        let db = HubDb::open(&Store::postgres(url.clone()).target)
            .await
            .unwrap();
        drop(db);
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(
                "DROP INDEX records_waiting;
                 CREATE INDEX records_waiting ON records (created_at) INCLUDE (checkpoint_id)
                     WHERE flagged AND kind = 'declaration' AND follow_up IS NULL;",
            )
            .await
            .unwrap();
    }
    let db = HubDb::open(&Store::postgres(url.clone()).target)
        .await
        .unwrap();
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let def: String = client
        .query_one(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'records_waiting'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(def.contains("'new'"), "made again on opening: {def}");
    set_back_to_new_waits_again(db).await;
}

#[tokio::test]
async fn a_backup_opens_with_the_key_and_holds_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path());
    let db = HubDb::open(&store.target).await.unwrap();
    let records: Vec<_> = (0..500)
        .map(|i| {
            declaration(
                Utc::now(),
                "Khách",
                "001098012345",
                &format!("09{i:08}"),
                i % 7 == 0,
            )
        })
        .collect();
    db.insert("K1", records).await.unwrap();
    let copy = dir.path().join("copy.db");
    let out = hub(
        dir.path(),
        &store.args,
        &["backup", "--out", copy.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Keep the key file"),
        "{}",
        text(&out.stdout)
    );
    let checkpoint_hub::DbTarget::Sqlite { key_file, .. } = &store.target else {
        unreachable!()
    };
    let reopened = HubDb::open(&checkpoint_hub::DbTarget::Sqlite {
        path: copy.clone(),
        key_file: key_file.clone(),
    })
    .await
    .unwrap();
    let (mut a, mut b) = (
        db.record_ids().await.unwrap(),
        reopened.record_ids().await.unwrap(),
    );
    a.sort();
    b.sort();
    assert_eq!(a.len(), 500);
    assert_eq!(a, b);
    // Encrypted: no visitor's text in the file.
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"Kh\xc3\xa1c"));
    // Never over an existing file.
    let again = hub(
        dir.path(),
        &store.args,
        &["backup", "--out", copy.to_str().unwrap()],
    );
    assert!(!again.status.success());
}

#[tokio::test]
async fn backup_on_postgres_says_what_to_run() {
    let Some(url) = fresh_postgres("backup_on_postgres_says_what_to_run").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = hub(
        dir.path(),
        &Store::postgres(url).args,
        &["backup", "--out", "x.dump"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("pg_dump --format=custom --file=x.dump"));
}

/// The records table as the hub made it before checkpoints existed.
const V1_RECORDS: &str = "CREATE TABLE records (
    id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL)";

async fn older_records_are_indexed_once(db: HubDb, flagged: &checkpoint_hub::db::NewRecord) {
    let all = Role::Admin.personal_access(Scope::all()).unwrap();
    let (rows, total) = db.flagged(&all, PAGE).await.unwrap();
    assert_eq!(total, 2);
    assert!(rows.iter().any(|r| r.id == flagged.id.to_string()));
    // Chi's step was stored too: only An still waits.
    let waiting = db
        .waiting_flagged(&Scope::all(), Utc::now() - Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(waiting, 0);
    let waiting = db
        .waiting_flagged(&Scope::all(), Utc::now() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(waiting, 1);
    let found = db
        .check_ins_of(
            &all,
            &case_key("+84 912 000 111"),
            Utc::now() - Duration::days(14),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    // Attached to a checkpoint when its kiosk is assigned.
    db.add_checkpoint(&checkpoint_hub::db::Checkpoint {
        id: "a".into(),
        name: "A".into(),
        province: String::new(),
        ward: String::new(),
        group: "G".into(),
        kiosks: vec![],
    })
    .await
    .unwrap();
    assert_eq!(db.assign_kiosk("K1", "a").await.unwrap(), Some(4));
    assert_eq!(db.assign_kiosk("K1", "nowhere").await.unwrap(), None);
}

fn v1_records() -> Vec<checkpoint_hub::db::NewRecord> {
    let now = Utc::now();
    let attended = declaration(
        now - Duration::hours(6),
        "Chi",
        "001098012347",
        "0912000333",
        true,
    );
    let attended_step = step(now - Duration::hours(5), attended.id, "contacted");
    vec![
        declaration(now, "An", "001098012345", "0912000111", true),
        declaration(now, "Bình", "001098012346", "0912000222", false),
        attended,
        attended_step,
    ]
}

#[tokio::test]
async fn records_stored_before_the_index_are_read_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path());
    let checkpoint_hub::DbTarget::Sqlite { path, key_file } = &store.target else {
        unreachable!()
    };
    let key = "ab".repeat(32);
    std::fs::write(key_file, &key).unwrap();
    let records = v1_records();
    {
        checkpoint_sqlcipher::ready();
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\"; {V1_RECORDS};"))
            .unwrap();
        for r in &records {
            conn.execute(
                "INSERT INTO records VALUES (?1, 'K1', ?4, ?2, ?2, ?3)",
                rusqlite::params![
                    r.id.to_string(),
                    checkpoint_hub::db::timestamp(r.created_at),
                    r.body,
                    r.kind.as_str()
                ],
            )
            .unwrap();
        }
    }
    let db = HubDb::open(&store.target).await.unwrap();
    older_records_are_indexed_once(db, &records[0]).await;
}

#[tokio::test]
async fn records_stored_before_the_index_are_read_once_on_postgres() {
    let Some(url) =
        fresh_postgres("records_stored_before_the_index_are_read_once_on_postgres").await
    else {
        return;
    };
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(
            &V1_RECORDS
                .replace("id TEXT PRIMARY KEY", "id uuid PRIMARY KEY")
                .replace("created_at TEXT", "created_at timestamptz")
                .replace("received_at TEXT", "received_at timestamptz")
                .replace("body TEXT", "body json"),
        )
        .await
        .unwrap();
    let records = v1_records();
    for r in &records {
        client
            .execute(
                "INSERT INTO records VALUES ($1::text::uuid, 'K1', $3, $4::text::timestamptz, now(), $2::text::json)",
                &[
                    &r.id.to_string(),
                    &r.body,
                    &r.kind.as_str(),
                    &checkpoint_hub::db::timestamp(r.created_at),
                ],
            )
            .await
            .unwrap();
    }
    let db = HubDb::open(&checkpoint_hub::DbTarget::Postgres(url))
        .await
        .unwrap();
    older_records_are_indexed_once(db, &records[0]).await;
}

/// A kiosk of checkpoint A sends a step about a visitor of checkpoint B
/// (claiming to be B's officer, "cleared"): it is stored as sent but counts
/// for nothing: B's visitor still waits, B's list shows no such step, and
/// retention still keeps the visitor. Steps from B's own kiosk, from the
/// console, and from another kiosk of B count.
async fn a_step_from_another_checkpoint_counts_for_nothing(db: HubDb) {
    let now = Utc::now();
    let at = now - Duration::hours(5);
    for (id, group, kiosks) in [("ca", "GA", ["KA"]), ("cb", "GB", ["KB"])] {
        let mut checkpoint = checkpoint_hub::db::Checkpoint::named(id, id);
        checkpoint.group = group.into();
        assert!(db.add_checkpoint(&checkpoint).await.unwrap());
        for kiosk in kiosks {
            db.assign_kiosk(kiosk, id).await.unwrap();
        }
    }
    db.assign_kiosk("KB2", "cb").await.unwrap();
    let officer_b = Role::HealthOfficer
        .personal_access(Scope::of(&["GB".to_owned()]))
        .unwrap();
    let visitor = declaration(at, "Ở cửa B", "001098000040", "0900000040", true);
    let early = declaration(at, "Bước lạ trước", "001098000041", "0900000041", true);
    // A's step about B's visitor arrives before that visitor's declaration.
    db.insert("KA", vec![step(at, early.id, "cleared")])
        .await
        .unwrap();
    db.insert("KB", vec![visitor.clone(), early.clone()])
        .await
        .unwrap();
    db.insert("KA", vec![step(at, visitor.id, "cleared")])
        .await
        .unwrap();
    let all = Scope::all();
    assert_eq!(db.waiting_flagged(&all, now).await.unwrap(), 2);
    let ids = vec![visitor.id.to_string(), early.id.to_string()];
    let shown = db.follow_ups_of(&officer_b, ids.clone()).await.unwrap();
    assert!(shown.is_empty(), "{shown:?}");
    let old_rule = RetentionRule {
        days: 0,
        follow_up_max_days: 90,
        ..RetentionRule::default()
    };
    assert_eq!(
        db.purge(&old_rule, now).await.unwrap().kept_for_follow_up,
        2
    );

    // B's own kiosk, another kiosk of B and the console: each counts.
    db.insert("KB2", vec![step(at, visitor.id, "contacted")])
        .await
        .unwrap();
    db.insert(
        checkpoint_hub::console::CONSOLE_SOURCE,
        vec![step(at, early.id, "seen-at-desk")],
    )
    .await
    .unwrap();
    assert_eq!(db.waiting_flagged(&all, now).await.unwrap(), 0);
    let shown = db.follow_ups_of(&officer_b, ids).await.unwrap();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown.iter().all(|s| s.kiosk_id != "KA"));
    // No kiosk may take the console's name.
    assert!(db.add_token("h", "console", "x").await.is_err());
}

#[tokio::test]
async fn a_step_from_another_checkpoint_counts_for_nothing_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = HubDb::open(&Store::sqlite(dir.path()).target)
        .await
        .unwrap();
    a_step_from_another_checkpoint_counts_for_nothing(db).await;
}

#[tokio::test]
async fn a_step_from_another_checkpoint_counts_for_nothing_on_postgres() {
    let Some(url) = fresh_postgres("a_step_from_another_checkpoint_counts_for_nothing").await
    else {
        return;
    };
    let db = HubDb::open(&Store::postgres(url).target).await.unwrap();
    a_step_from_another_checkpoint_counts_for_nothing(db).await;
}

/// The audit log keeps its entries `audit_days` (365 by default) and no
/// longer; its triggers still refuse every update and every delete of an
/// entry younger than 30 days, whoever asks (`raw` runs SQL on the store
/// directly and says whether it was refused).
async fn the_audit_log_is_kept_its_time_and_no_longer<F, Fut>(db: HubDb, raw: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    use checkpoint_hub::db::AuditEntry;
    let now = Utc::now();
    for (days, target) in [(400, "old"), (40, "month"), (0, "today")] {
        let entry = AuditEntry {
            at: checkpoint_hub::db::timestamp(now - Duration::days(days)),
            account: "quan".into(),
            action: "signed_in".into(),
            target: target.into(),
            detail: String::new(),
        };
        db.audit(entry).await.unwrap();
    }
    let kept = || async { db.audit_entries(100).await.unwrap().len() };
    let purged = db.purge(&RetentionRule::default(), now).await.unwrap();
    assert_eq!((purged.audit_entries, kept().await), (1, 2));
    for refused in [
        "UPDATE audit SET target = 'changed'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE target = 'today'",
    ] {
        assert!(raw(refused).await, "{refused} was not refused");
    }
    assert_eq!(kept().await, 2);
    let month = RetentionRule {
        audit_days: 31,
        ..RetentionRule::default()
    };
    let purged = db.purge(&month, now).await.unwrap();
    assert_eq!((purged.audit_entries, kept().await), (1, 1));
    // Below the shortest retention nothing more goes, whatever the rule.
    let none = RetentionRule {
        audit_days: 0,
        ..RetentionRule::default()
    };
    assert_eq!(db.purge(&none, now).await.unwrap().audit_entries, 0);
    assert_eq!(kept().await, 1);
}

#[tokio::test]
async fn the_audit_log_is_kept_its_time_and_no_longer_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::sqlite(dir.path());
    let db = HubDb::open(&store.target).await.unwrap();
    let checkpoint_hub::DbTarget::Sqlite { path, key_file } = store.target.clone() else {
        unreachable!()
    };
    let raw = move |sql: &'static str| {
        let (path, key_file) = (path.clone(), key_file.clone());
        async move {
            let key = std::fs::read_to_string(&key_file).unwrap();
            checkpoint_sqlcipher::ready();
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.trim()))
                .unwrap();
            conn.execute_batch(sql).is_err()
        }
    };
    the_audit_log_is_kept_its_time_and_no_longer(db, &raw).await;
    numbers_traced_in_clear_are_masked_once(&store.target, &raw).await;
}

#[tokio::test]
async fn the_audit_log_is_kept_its_time_and_no_longer_on_postgres() {
    let Some(url) = fresh_postgres("the_audit_log_is_kept_its_time_and_no_longer").await else {
        return;
    };
    let store = Store::postgres(url.clone());
    let db = HubDb::open(&store.target).await.unwrap();
    let raw = move |sql: &'static str| {
        let url = url.clone();
        async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            client.batch_execute(sql).await.is_err()
        }
    };
    the_audit_log_is_kept_its_time_and_no_longer(db, &raw).await;
    numbers_traced_in_clear_are_masked_once(&store.target, &raw).await;
}

/// Numbers traced before cases were masked are masked when the store opens,
/// once, and the log is append-only again after.
async fn numbers_traced_in_clear_are_masked_once<F, Fut>(target: &checkpoint_hub::DbTarget, raw: &F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    use checkpoint_hub::db::AuditEntry;
    let db = HubDb::open(target).await.unwrap();
    for (action, target) in [
        ("trace_run", "0912 345 678"),
        ("trace_exported", "001098012345"),
        ("user_added", "lan"),
    ] {
        let entry = AuditEntry {
            at: checkpoint_hub::db::timestamp(Utc::now()),
            account: "lan".into(),
            action: action.into(),
            target: target.into(),
            detail: String::new(),
        };
        db.audit(entry).await.unwrap();
    }
    drop(db);
    let db = HubDb::open(target).await.unwrap();
    let targets: Vec<String> = db
        .audit_entries(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.target)
        .collect();
    assert!(
        targets.iter().any(|t| t.starts_with("••••••5678 #")),
        "{targets:?}"
    );
    assert!(
        targets.iter().any(|t| t.starts_with("••••••••2345 #")),
        "{targets:?}"
    );
    assert!(
        targets
            .iter()
            .all(|t| !t.contains("0912") && !t.contains("001098"))
    );
    assert!(
        targets.iter().any(|t| t == "lan"),
        "other entries as they were"
    );
    assert_eq!(db.mask_clear_traces().await.unwrap(), 0, "once");
    assert!(raw("UPDATE audit SET target = 'changed'").await);
}

/// Two hubs on one store (two handles, each with its own connections):
/// a session started through one is open on the other and ended by it, a
/// lockout made through one holds on the other, and of two hubs claiming a
/// timer's run at the same moment exactly one gets it.
async fn shared_by_two_hubs(store: Store) {
    use checkpoint_hub::console::session::Sessions;
    use checkpoint_hub::console::throttle::Throttle;
    let one = HubDb::open(&store.target).await.unwrap();
    let two = HubDb::open(&store.target).await.unwrap();
    let now = Utc::now();

    let id = Sessions::new(one.clone())
        .start("lan", Role::HealthOfficer, vec!["GA".into()], now)
        .await
        .unwrap();
    let on_two = Sessions::new(two.clone());
    let session = on_two
        .get(&id, now)
        .await
        .expect("the session is open on the other hub");
    assert_eq!(
        (session.account.as_str(), session.groups),
        ("lan", vec!["GA".to_owned()])
    );
    on_two.end(&id).await;
    assert!(Sessions::new(one.clone()).get(&id, now).await.is_none());

    let (t1, t2) = (
        Throttle::by_account(one.clone()),
        Throttle::by_account(two.clone()),
    );
    for i in 0..5 {
        let through = if i % 2 == 0 { &t1 } else { &t2 };
        assert_eq!(through.blocked_until("lan", now).await, None);
        through.failed("lan", now).await;
    }
    assert!(t1.blocked_until("lan", now).await.is_some());
    assert!(t2.blocked_until("lan", now).await.is_some());

    for round in 0..20 {
        let name = format!("timer-{round}");
        let (a, b) = tokio::join!(
            one.claim_run(&name, now, Duration::minutes(60)),
            two.claim_run(&name, now, Duration::minutes(60))
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a ^ b, "round {round}: one hub runs it ({a}, {b})");
        // Within the period nobody claims it again; after it, one does.
        assert!(
            !one.claim_run(&name, now + Duration::minutes(59), Duration::minutes(60))
                .await
                .unwrap()
        );
        assert!(
            two.claim_run(&name, now + Duration::minutes(60), Duration::minutes(60))
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn sessions_lockouts_and_timers_are_shared_by_two_hubs_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    shared_by_two_hubs(Store::sqlite(dir.path())).await;
}

#[tokio::test]
async fn sessions_lockouts_and_timers_are_shared_by_two_hubs_on_postgres() {
    let Some(url) =
        fresh_postgres("sessions_lockouts_and_timers_are_shared_by_two_hubs_on_postgres").await
    else {
        return;
    };
    shared_by_two_hubs(Store::postgres(url)).await;
}
