//! The engine's threshold against zxing-cpp's own, bit by bit (a plain
//! harness: `cargo bench --bench qr_threshold_bits`): every corpus photo and
//! a dozen synthetic camera frames, upright and turned 90°, thresholded by
//! `checkpoint_qr_threshold::local_average` and by the C++
//! `HybridBinarizer::getBlackMatrix` of the zxing-cpp this build bundles (a
//! small C++ program compiled here with g++ against the `libZXing.a` cargo
//! built and the crate's own headers). Prints how many are identical; exits
//! non-zero on any difference. Without `--bench` (as `cargo test
//! --all-targets` runs it) it only says how to run it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;

use checkpoint_kiosk::scan::frame::grey_of_rgba;
use checkpoint_kiosk::scan::synthetic::scene;
use checkpoint_qr_threshold::local_average;
use image::GrayImage;

const HARNESS: &str = r#"
#include "HybridBinarizer.h"
#include "BitMatrix.h"
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>
using namespace ZXing;
int main(int, char** argv) {
    std::ifstream list(argv[1]);
    std::string name; int w, h;
    while (list >> name >> w >> h) {
        std::vector<uint8_t> px(size_t(w) * h);
        FILE* f = std::fopen(name.c_str(), "rb");
        if (!f || std::fread(px.data(), 1, px.size(), f) != px.size()) return 2;
        std::fclose(f);
        HybridBinarizer bin(ImageView(px.data(), w, h, ImageFormat::Lum));
        auto bits = bin.getBlackMatrix();
        std::vector<uint8_t> out(px.size());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) out[size_t(y) * w + x] = bits->get(x, y) ? 0 : 255;
        FILE* g = std::fopen((name + ".zxing").c_str(), "wb");
        std::fwrite(out.data(), 1, out.size(), g);
        std::fclose(g);
    }
}
"#;

/// The zxing-cpp crate's source folder, from cargo's metadata.
fn crate_dir() -> Option<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let manifest = meta["packages"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == "zxing-cpp")?["manifest_path"]
        .as_str()?
        .to_owned();
    Path::new(&manifest).parent().map(Path::to_path_buf)
}

/// The newest `libZXing.a` cargo built, with its build folder (Version.h).
fn library() -> Option<(PathBuf, PathBuf)> {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let mut found = Vec::new();
    for profile in ["release", "debug"] {
        let Ok(dirs) = std::fs::read_dir(target.join(profile).join("build")) else {
            continue;
        };
        for dir in dirs.flatten() {
            let out = dir.path().join("out");
            let lib = out.join("lib/libZXing.a");
            if let Ok(meta) = lib.metadata() {
                found.push((meta.modified().ok()?, lib, out.join("build")));
            }
        }
    }
    found.sort();
    found.pop().map(|(_, lib, build)| (lib, build))
}

fn images() -> Vec<(String, GrayImage)> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/qr/zxing");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "png") {
                out.push((
                    path.display().to_string(),
                    image::open(&path).unwrap().to_luma8(),
                ));
            }
        }
    }
    for (w, h) in [(640, 480), (1280, 720), (1920, 1080)] {
        for seed in 0..4 {
            out.push((
                format!("scene {w}x{h} {seed}"),
                grey_of_rgba(&scene(w, h, seed)),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("qr_threshold_bits: run with `cargo bench --bench qr_threshold_bits`");
        return;
    }
    let (Some(src), Some((lib, build))) = (crate_dir(), library()) else {
        println!("skipped: zxing-cpp's sources or libZXing.a not found (build first)");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let harness = work.path().join("harness");
    std::fs::write(work.path().join("harness.cpp"), HARNESS).unwrap();
    let built = Command::new("g++")
        .args(["-std=c++20", "-O2", "-DZXING_INTERNAL", "-o"])
        .arg(&harness)
        .arg("-I")
        .arg(src.join("core/src"))
        .arg("-I")
        .arg(&build)
        .arg(work.path().join("harness.cpp"))
        .arg(&lib)
        .status()
        .unwrap();
    assert!(built.success(), "g++ failed");
    let mut list = String::new();
    let mut ours = Vec::new();
    for (i, (name, img)) in images().into_iter().enumerate() {
        for turned in [false, true] {
            let img = if turned {
                image::imageops::rotate90(&img)
            } else {
                img.clone()
            };
            let raw = work.path().join(format!("{i:04}-{turned}.raw"));
            std::fs::write(&raw, img.as_raw()).unwrap();
            list.push_str(&format!(
                "{} {} {}\n",
                raw.display(),
                img.width(),
                img.height()
            ));
            ours.push((
                format!("{name}{}", if turned { " @90" } else { "" }),
                raw,
                local_average(&img),
            ));
        }
    }
    let list_file = work.path().join("list.txt");
    std::fs::write(&list_file, list).unwrap();
    assert!(
        Command::new(&harness)
            .arg(&list_file)
            .status()
            .unwrap()
            .success()
    );
    let (mut same, mut global, mut different) = (0, 0, Vec::new());
    for (name, raw, bits) in ours {
        let theirs = std::fs::read(raw.with_extension("raw.zxing")).unwrap();
        match bits {
            // zxing-cpp used its global histogram there too.
            None => global += 1,
            Some(b) if b.as_raw() == &theirs => same += 1,
            Some(_) => different.push(name),
        }
    }
    println!(
        "threshold bits: {same} identical, {} different, {global} left to the global histogram ({})",
        different.len(),
        lib.display()
    );
    if !different.is_empty() {
        println!("different: {}", different.join(", "));
        std::process::exit(1);
    }
}
