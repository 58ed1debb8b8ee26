//! Benchmarks of reading rosters and of the streamed draw from files ([`double_random::pipeline`]).
//!
//! `cargo bench --bench pipeline` runs them; `cargo bench -- --test` runs each once. The entity
//! rosters (10,000 and 100,000 rows, valid ids, the sample data's names and tags) are written to
//! a temporary folder at start, next to the sample inspectors, items, conflicts and history. A
//! history table of a tenth as many rows is read with the sequential and the plain reader.
//! National-scale figures come from `benches/compare.sh`, not from here.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use double_random::Digest32;
use double_random::codes::{org_code_check, uscc_check_char};
use double_random::formats::error::InputErrors;
use double_random::formats::plan_toml::read_plan;
use double_random::formats::roster_csv::{for_each_entity, read_entities};
use double_random::internals::history_rows;
use double_random::pipeline::{self, RosterFiles};
use std::hint::black_box;
use std::path::Path;

/// A valid 统一社会信用代码 for serial `i` in 贵阳市南明区.
fn uscc(i: usize) -> String {
    let body = format!("{:08}", i % 100_000_000);
    let org = "0123456789X"
        .chars()
        .map(|c| format!("{body}{c}"))
        .find(|o| org_code_check(o))
        .expect("some check character fits");
    let first17 = format!("91520102{org}");
    let check = uscc_check_char(&first17).expect("17 USCC characters");
    format!("{first17}{check}")
}

/// Writes a folder with `n` entities (rows of the sample data with fresh ids) and the sample's
/// other tables.
fn make_dir(root: &Path, n: usize) -> std::path::PathBuf {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let dir = root.join(format!("n{n}"));
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "inspectors.csv",
        "items.csv",
        "conflicts.csv",
        "history.csv",
    ] {
        std::fs::copy(data.join(f), dir.join(f)).unwrap();
    }
    let sample = std::fs::read_to_string(data.join("entities.csv")).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    let mut out = String::with_capacity(n * 160);
    out.push_str(header);
    out.push('\n');
    for i in 0..n {
        let row = rows[i % rows.len()];
        let rest = &row[row.find(',').unwrap()..];
        out.push_str(&uscc(i));
        out.push_str(rest);
        out.push('\n');
    }
    std::fs::write(dir.join("entities.csv"), out).unwrap();
    dir
}

/// A history table of `n` random inspections in 2025, two inspectors each, as UTF-8 with CRLF.
fn history(n: usize) -> Vec<u8> {
    let mut out = String::from("统一社会信用代码,检查日期,事项编号,检查人员,检查类型\r\n");
    for i in 0..n {
        out.push_str(&format!(
            "{},2025-{:02}-{:02},GZ-SC-001,GZ-{:03};GZ-{:03},双随机\r\n",
            uscc(i * 7),
            i % 12 + 1,
            i % 28 + 1,
            i % 40,
            (i + 1) % 40
        ));
    }
    out.into_bytes()
}

fn bench_pipeline(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    // The plan of benches/compare.sh: no workload cap, so the sample's 40 inspectors serve
    // every drawn entity.
    let plan = read_plan(
        "compare-plan.toml",
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/compare-plan.toml"),
        )
        .unwrap(),
    )
    .unwrap();
    let seed = Digest32([5; 32]);
    let mut g = c.benchmark_group("roster");
    g.sample_size(10);
    for n in [10_000usize, 100_000] {
        let dir = make_dir(tmp.path(), n);
        let bytes = std::fs::read(dir.join("entities.csv")).unwrap();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("load_validate", n), &bytes, |b, bytes| {
            b.iter(|| read_entities("entities.csv", black_box(&bytes[..])).unwrap())
        });
        g.bench_with_input(
            BenchmarkId::new("stream_validate_digest", n),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    for_each_entity("entities.csv", black_box(&bytes[..]), |_, _| {
                        Ok::<(), InputErrors>(())
                    })
                    .unwrap()
                })
            },
        );
        let rows = read_entities("entities.csv", &bytes[..]).unwrap();
        g.bench_with_input(BenchmarkId::new("digest_rows", n), &rows, |b, rows| {
            b.iter(|| black_box(rows).digest().unwrap())
        });
        let history = history(n / 10);
        g.throughput(Throughput::Elements((n / 10) as u64));
        for (name, plain) in [("history_sequential", false), ("history_plain", true)] {
            g.bench_with_input(BenchmarkId::new(name, n / 10), &history, |b, h| {
                b.iter(|| history_rows(black_box(h), plain).expect("a plain, valid table"))
            });
        }
        g.throughput(Throughput::Elements(n as u64));
        let files = RosterFiles::in_dir(&dir);
        g.bench_with_input(BenchmarkId::new("draw_end_to_end", n), &files, |b, f| {
            b.iter(|| pipeline::draw(f, &plan, &seed).unwrap())
        });
        let announced = pipeline::draw(&files, &plan, &seed).unwrap().digests;
        g.bench_with_input(BenchmarkId::new("replay_end_to_end", n), &files, |b, f| {
            b.iter(|| pipeline::replay(f, &plan, &seed, &announced).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_pipeline);
criterion_main!(benches);
