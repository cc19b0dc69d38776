//! Picker search speed: a visitor typing a ward name, one query per keystroke,
//! over all 3,321 current wards (no province chosen: the worst case) and
//! within one province; plus card-address mapping and the first-use load.
//!
//! Run: `cargo bench --bench address`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use checkpoint_domain::address::{map_address, search_provinces, search_wards};
use criterion::{Criterion, criterion_group, criterion_main};

/// Every prefix of what people type, keystroke by keystroke.
fn keystrokes(typed: &[&str]) -> Vec<String> {
    typed
        .iter()
        .flat_map(|t| {
            t.char_indices()
                .map(|(i, c)| t[..i + c.len_utf8()].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

const TYPED: &[&str] = &[
    "phuong hoan kiem",
    "Xã Quỳnh Hoa",
    "ben thanh",
    "con dao",
    "tan thanh",
    "p 12",
    "nhon trach",
];

/// Nanoseconds this thread has run on a CPU (Linux: /proc/thread-self/schedstat).
/// On a loaded machine wall time includes waiting for a core; this does not.
fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Wall and on-CPU time per query over `rounds` passes of `queries`.
fn per_query(label: &str, queries: &[String], rounds: usize, run: impl Fn(&str)) {
    let (cpu0, wall0) = (on_cpu_ns(), Instant::now());
    for _ in 0..rounds {
        for q in queries {
            run(q);
        }
    }
    let calls = (rounds * queries.len()) as f64;
    let wall = wall0.elapsed().as_secs_f64() * 1e6 / calls;
    let cpu = match (cpu0, on_cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.1}", (b - a) as f64 / 1e3 / calls),
        _ => "n/a".to_owned(),
    };
    eprintln!("{label}: {wall:.1} µs wall, {cpu} µs on CPU per query ({calls} queries)");
}

fn bench(c: &mut Criterion) {
    // The first call parses the embedded tables: time it once, apart.
    let start = Instant::now();
    black_box(search_wards("x", None, 1));
    eprintln!("first use (parse embedded tables): {:?}", start.elapsed());

    let queries = keystrokes(TYPED);
    let n = queries.len();
    eprintln!("{n} keystroke queries per iteration");

    // `cargo test --all-targets` runs this file once as a test: keep that quick.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        50
    } else {
        1
    };
    per_query("plain: search_wards all 3321", &queries, rounds, |q| {
        black_box(search_wards(black_box(q), None, 20));
    });
    per_query(
        "plain: search_wards within Hà Nội",
        &queries,
        rounds * 10,
        |q| {
            black_box(search_wards(black_box(q), Some("01"), 20));
        },
    );

    c.bench_function("search_wards all 3321, per keystroke query", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &queries[i % n];
            i += 1;
            black_box(search_wards(black_box(q), None, 20))
        });
    });
    c.bench_function("search_wards within Hà Nội (126), per query", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &queries[i % n];
            i += 1;
            black_box(search_wards(black_box(q), Some("01"), 20))
        });
    });
    c.bench_function("search_provinces, per query", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &queries[i % n];
            i += 1;
            black_box(search_provinces(black_box(q), 10))
        });
    });
    let addresses = [
        "Thôn Đông, Xã Quỳnh Hoa, Huyện Quỳnh Phụ, Tỉnh Thái Bình",
        "Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội",
        "Tổ 10, Kp Phước Hiệp, Hiệp Phước, Nhơn Trạch, Đồng Nai",
        "Phường Hoàn Kiếm, Thành phố Hà Nội",
        "P1, Q3, HCM",
    ];
    c.bench_function("map_address, per address", |b| {
        let mut i = 0;
        b.iter(|| {
            let a = addresses[i % addresses.len()];
            i += 1;
            black_box(map_address(black_box(a)))
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
