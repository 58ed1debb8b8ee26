//! Benchmarks of canonical JSON (formats::jcs) on a result sheet of 20,000 entities (about
//! 3 MB), the size a national-scale draw publishes: the direct writer against the
//! `serde_json::Value` tree it replaced, and `parse_canonical`'s typed fast path against the
//! tree-only check.
//!
//! `cargo bench --bench jcs` runs them; each group's two lines give the ratio in one run.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use double_random::ceremony::sheet::Sheet;
use double_random::formats::jcs::{parse_canonical, to_canonical};
use double_random::internals::{parse_canonical_via_value, to_canonical_via_value};
use std::hint::black_box;
use std::path::Path;

const ENTITIES: usize = 20_000;

/// The void vector's sheet with its entities repeated under new ids, in ascending id order.
fn big_sheet() -> Sheet {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/ceremony-void/GY-2026-05-V2/sheet.json");
    let mut sheet = Sheet::parse(&std::fs::read(path).expect("the vector's sheet")).unwrap();
    let model = std::mem::take(&mut sheet.entities);
    sheet.entities = (0..ENTITIES)
        .map(|i| {
            let mut e = model[i % model.len()].clone();
            e.id = format!("91520103{i:010}");
            e
        })
        .collect();
    sheet
}

fn bench_jcs(c: &mut Criterion) {
    let sheet = big_sheet();
    let bytes = to_canonical(&sheet).unwrap();
    assert_eq!(bytes, to_canonical_via_value(&sheet).unwrap());
    assert_eq!(parse_canonical::<Sheet>(&bytes).unwrap(), sheet);

    let mut g = c.benchmark_group("to_canonical");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_with_input(BenchmarkId::new("direct", ENTITIES), &sheet, |b, s| {
        b.iter(|| to_canonical(black_box(s)).unwrap())
    });
    g.bench_with_input(BenchmarkId::new("value_tree", ENTITIES), &sheet, |b, s| {
        b.iter(|| to_canonical_via_value(black_box(s)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("parse_canonical");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_with_input(BenchmarkId::new("typed_first", ENTITIES), &bytes, |b, d| {
        b.iter(|| parse_canonical::<Sheet>(black_box(d)).unwrap())
    });
    g.bench_with_input(BenchmarkId::new("value_tree", ENTITIES), &bytes, |b, d| {
        b.iter(|| parse_canonical_via_value::<Sheet>(black_box(d)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_jcs);
criterion_main!(benches);
