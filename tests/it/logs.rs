//! Log files: under the data folder, rotated at their cap, and free of the
//! names, ID numbers and phones of the records stored meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::store_support::*;

#[test]
fn log_files_rotate_at_their_cap_and_hold_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let cap = 2048;
    std::fs::write(
        dir.path().join("config.toml"),
        format!("[logging]\nmax_file_bytes = {cap}\nkeep_files = 3\nlevel = \"debug\"\n"),
    )
    .unwrap();
    // The level comes from the configuration, as on a kiosk.
    let run = |args: &[&str], stdin: &[u8]| {
        let mut cmd = bin();
        cmd.env_remove("CK_LOG");
        run_with(cmd, dir.path(), args, stdin)
    };
    let people: Vec<Person> = (0..30).map(person).collect();
    for p in &people {
        let json = serde_json::to_vec(&declaration_of(p)).unwrap();
        let out = run(&["declare", "--json", "-"], &json);
        assert_exit(&out, 0);
    }
    // Plus a failure, whose message names the field, not its value.
    let mut bad = declaration_of(&people[0]);
    bad.identity.phone = "0912345".into();
    let out = run(
        &["declare", "--json", "-"],
        &serde_json::to_vec(&bad).unwrap(),
    );
    assert_exit(&out, 2);

    let logs = dir.path().join("logs");
    let mut files: Vec<_> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // The current file and the 3 kept: 30 stores wrote far more than one cap.
    assert_eq!(names, ["cli.log", "cli.log.1", "cli.log.2", "cli.log.3"]);
    let mut stored_lines = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        // Rotated once past the cap: at most one line over it.
        assert!(
            text.len() <= cap + 400,
            "{}: {} bytes",
            f.display(),
            text.len()
        );
        stored_lines += text.matches("declaration stored").count();
        for p in &people {
            assert!(!text.contains(&p.name), "{} in {}", p.name, f.display());
            assert!(
                !text.contains(&p.document),
                "{} in {}",
                p.document,
                f.display()
            );
            assert!(!text.contains(&p.phone), "{} in {}", p.phone, f.display());
        }
        assert!(!text.contains("0912345"));
    }
    assert!(
        stored_lines >= 10,
        "the files hold the kiosk's work: {stored_lines}"
    );
}
