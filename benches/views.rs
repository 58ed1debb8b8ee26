//! Benchmarks of the published views of a large draw: building `sheet.csv`, `sheet.xlsx` and
//! `notice.html`, writing all three (the workbook beside the others), and checking them: with
//! the items roster beside them, as in a draw folder (`check_all`: each view is rebuilt and
//! compared byte for byte), and without it (`check_all_read`: the items' cells cannot be
//! rebuilt, so each view is read and compared cell by cell or line by line).
//!
//! The sheet is the example draw's with its entities repeated to 20,000 under new ids (about
//! what a 1,000,000-entity roster gives with the plan of `benches/compare-plan.toml`).
//! `cargo bench --bench views` runs them; CI runs `cargo bench -- --test` (each once).

use criterion::{Criterion, criterion_group, criterion_main};
use double_random::publish::{self, Lang, Publication, check, notice};
use std::hint::black_box;

/// The example documents, the sheet holding `n` entities.
fn documents(
    n: usize,
) -> (
    double_random::Announcement,
    double_random::Sheet,
    double_random::internals::ExampleDraw,
) {
    let draw = double_random::internals::example_draw().expect("example draw");
    let (ann, mut sheet) = (draw.drawn.announcement.clone(), draw.drawn.sheet.clone());
    let base = sheet.entities.clone();
    sheet.entities = (0..n)
        .map(|i| {
            let mut e = base[i % base.len()].clone();
            e.id = format!("91520100{i:010}");
            e.name = format!("{}{i}", e.name);
            e
        })
        .collect();
    (ann, sheet, draw)
}

fn bench_views(c: &mut Criterion) {
    let (ann, sheet, draw) = documents(20_000);
    let items = double_random::bundle::load_items(draw.folder.root(), &ann).expect("items");
    let p = Publication::new(&ann, &sheet, &[], Some(&items)).expect("publication");
    let mut g = c.benchmark_group("views_20k");
    g.sample_size(10);
    g.bench_function("csv", |b| b.iter(|| black_box(publish::csv::sheet_csv(&p))));
    g.bench_function("xlsx", |b| {
        b.iter(|| black_box(publish::xlsx::sheet_xlsx(&p)))
    });
    g.bench_function("notice", |b| {
        b.iter(|| black_box(notice::render(&p, Lang::Zh, &notice::standard_sections())))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    g.bench_function("write_all", |b| {
        b.iter(|| black_box(publish::write_views(dir.path(), &p, Lang::Zh)))
    });
    // The views to check, written here so that the checks run on their own too.
    publish::write_views(dir.path(), &p, Lang::Zh).expect("views");
    let ann_bytes = ann.to_canonical().expect("announcement");
    let sheet_bytes = sheet.to_canonical().expect("sheet");
    let check_all = |b: &mut criterion::Bencher| {
        b.iter(|| {
            let checks = check::check_views(dir.path(), &ann_bytes, Some(&sheet_bytes), &[]);
            assert!(checks.iter().all(|c| c.differences.is_empty()));
            black_box(checks)
        })
    };
    std::fs::copy(draw.folder.path("items.csv"), dir.path().join("items.csv")).expect("items");
    g.bench_function("check_all", check_all);
    std::fs::remove_file(dir.path().join("items.csv")).expect("items");
    g.bench_function("check_all_read", check_all);
    g.finish();
}

criterion_group!(benches, bench_views);
criterion_main!(benches);
