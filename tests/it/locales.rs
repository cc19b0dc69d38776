//! Every text exists in both languages, and every id the code names exists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use checkpoint_i18n::{Lang, Localizer};

fn ids(lang: Lang) -> BTreeSet<String> {
    Localizer::ids(lang).into_iter().collect()
}

/// Where the Fluent files are.
fn locales() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/i18n/locales")
}

/// Ids written in code as `fl!("...")`, in the kiosk and every crate of the workspace.
fn ids_in_code() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src")];
    for entry in std::fs::read_dir(root.join("crates")).unwrap() {
        stack.push(entry.unwrap().path().join("src"));
    }
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Comments may show the macro as an example; only code counts.
                for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                    for part in line.split("fl!(\"").skip(1) {
                        if let Some(end) = part.find('"') {
                            found.insert((part[..end].to_owned(), path.display().to_string()));
                        }
                    }
                }
            }
        }
    }
    found
}

#[test]
fn both_languages_have_the_same_ids() {
    let vi = ids(Lang::Vi);
    let en = ids(Lang::En);
    assert!(!vi.is_empty());
    let only_vi: Vec<_> = vi.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&vi).collect();
    assert!(
        only_vi.is_empty() && only_en.is_empty(),
        "only in vi: {only_vi:?}\nonly in en: {only_en:?}"
    );
}

#[test]
fn every_id_used_in_code_exists() {
    let vi = ids(Lang::Vi);
    let en = ids(Lang::En);
    let used = ids_in_code();
    assert!(used.len() > 2, "the scan found too few ids: {used:?}");
    let missing: Vec<_> = used
        .iter()
        .filter(|(id, _)| !vi.contains(id) || !en.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "ids used in code but missing: {missing:?}"
    );
}

#[test]
fn ftl_files_parse_without_errors() {
    for lang in ["vi", "en"] {
        let dir = locales().join(lang);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if let Err((_, errors)) = fluent_syntax::parser::parse(text.as_str()) {
                panic!("{}: {errors:?}", path.display());
            }
        }
    }
}

#[test]
fn same_files_in_both_languages() {
    let names = |lang: &str| -> BTreeSet<String> {
        std::fs::read_dir(locales().join(lang))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("vi"), names("en"));
}

#[test]
fn every_question_and_section_has_text_in_both_languages() {
    use checkpoint_domain::declaration::report::ReportKind;
    use checkpoint_domain::declaration::{Condition, Contact, Section, Symptom};
    let mut needed: Vec<String> = Vec::new();
    needed.extend(Contact::ALL.iter().map(|q| q.text_id()));
    needed.extend(Symptom::ALL.iter().map(|q| q.text_id()));
    needed.extend(Condition::ALL.iter().map(|q| q.text_id()));
    needed.extend(Section::ALL.iter().map(|s| s.heading_id()));
    needed.extend(ReportKind::ALL.iter().map(|k| k.text_id()));
    for lang in [Lang::Vi, Lang::En] {
        let have = ids(lang);
        let missing: Vec<_> = needed.iter().filter(|id| !have.contains(*id)).collect();
        assert!(missing.is_empty(), "{lang}: missing {missing:?}");
    }
}

#[test]
fn no_id_is_defined_twice() {
    for lang in [Lang::Vi, Lang::En] {
        let all = Localizer::ids(lang);
        let mut seen = BTreeSet::new();
        let twice: Vec<_> = all.iter().filter(|id| !seen.insert(*id)).collect();
        assert!(twice.is_empty(), "{lang:?}: defined twice: {twice:?}");
    }
}
