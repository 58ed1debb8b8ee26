//! Benchmarks of the pure core: digests, the entity draw, team assignment, signatures.
//!
//! `cargo bench --bench draw` runs them; CI runs `cargo bench -- --test` (each once).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use double_random::ceremony::announce::InputDigests;
use double_random::draw::teams::{Exclusions, Target, assign_pool, pools};
use double_random::draw::{self, example_entity, example_inspector};
use double_random::internals::Stream;
use double_random::model::{Conflict, RiskClass};
use double_random::sign::{self, SecretKey};
use double_random::{Digest32, internals::table_digest_of};
use std::hint::black_box;

fn entities(n: usize) -> Vec<double_random::model::Entity> {
    let classes = [RiskClass::A, RiskClass::B];
    (0..n)
        .map(|i| {
            let mut e = example_entity(&format!("9152{i:014}"), classes[i % 2]);
            e.region = format!("5201{:02}", i % 13);
            e
        })
        .collect()
}

fn bench_digest(c: &mut Criterion) {
    let mut g = c.benchmark_group("digest");
    for n in [10_000usize, 100_000] {
        let rows = entities(n);
        g.bench_with_input(BenchmarkId::new("entities", n), &rows, |b, rows| {
            b.iter(|| table_digest_of("entities", black_box(rows)).unwrap())
        });
        // What an announcement commits to, as the ceremony computes it from rows in memory:
        // each row type's own JSON writer, on every core.
        let mut inputs = draw::example_inputs();
        inputs.entities = rows;
        g.bench_with_input(BenchmarkId::new("input_digests", n), &inputs, |b, x| {
            b.iter(|| InputDigests::of(&black_box(x).as_inputs()).unwrap())
        });
    }
    g.finish();
}

fn bench_entity_draw(c: &mut Criterion) {
    let mut g = c.benchmark_group("entity_draw");
    for n in [10_000usize, 100_000] {
        let mut inputs = draw::example_inputs();
        inputs.entities = entities(n);
        g.bench_with_input(BenchmarkId::new("entities", n), &inputs, |b, x| {
            b.iter(|| draw::draw_entities(&x.as_inputs(), &Digest32([1; 32])).unwrap())
        });
    }
    g.finish();
}

/// Team assignment of `e` entities over `p` inspectors, two per team, the balanced cap,
/// same-region exclusion and one conflict per entity.
fn team_case(
    e: usize,
    p: usize,
) -> (
    Vec<Target>,
    Vec<double_random::model::Inspector>,
    Exclusions,
) {
    let inspectors: Vec<_> = (0..p)
        .map(|i| {
            let mut x = example_inspector(i);
            x.id = format!("X{i:06}");
            x.region = format!("5201{:02}", i % 13);
            x
        })
        .collect();
    let targets: Vec<Target> = (0..e)
        .map(|i| Target {
            id: format!("E{i:08}"),
            region: format!("5201{:02}", (i * 7) % 13),
        })
        .collect();
    let mut plan = draw::example_plan();
    plan.team.exclude_same_region = true;
    let conflicts: Vec<Conflict> = (0..e)
        .map(|i| Conflict {
            inspector: format!("X{:06}", (i * 31) % p),
            entity: format!("E{i:08}"),
            reason: String::new(),
        })
        .collect();
    let ex = Exclusions::new(&plan, &conflicts, &[]);
    (targets, inspectors, ex)
}

fn bench_teams(c: &mut Criterion) {
    let mut g = c.benchmark_group("teams");
    g.sample_size(10);
    let pool = pools(&draw::example_plan(), &draw::example_items())
        .unwrap()
        .remove(0);
    let mut cases = vec![(1_000usize, 100usize), (50_000, 1_000)];
    if std::env::var_os("DR_BENCH_LARGE").is_some() {
        cases.push((500_000, 5_000));
    }
    for (e, p) in cases {
        let (targets, inspectors, ex) = team_case(e, p);
        g.bench_function(BenchmarkId::new("assign", format!("{e}x{p}")), |b| {
            b.iter(|| {
                assign_pool(
                    &pool,
                    &inspectors,
                    &targets,
                    &vec![vec![]; targets.len()],
                    &vec![2; targets.len()],
                    None,
                    &ex,
                    Stream::new(&Digest32([3; 32]), "officers"),
                )
                .unwrap()
            })
        });
    }
    g.finish();
}

fn bench_sign(c: &mut Criterion) {
    let key = SecretKey::generate().unwrap();
    let pk = key.public_key();
    let doc = vec![b'x'; 100_000];
    let sig = sign::sign(&key, &doc, "draw:D1", "bench").unwrap();
    c.bench_function("sign_100k", |b| {
        b.iter(|| sign::sign(&key, black_box(&doc), "draw:D1", "bench").unwrap())
    });
    c.bench_function("verify_100k", |b| {
        b.iter(|| sign::verify(&pk, black_box(&doc), &sig).unwrap())
    });
}

criterion_group!(
    benches,
    bench_digest,
    bench_entity_draw,
    bench_teams,
    bench_sign
);
criterion_main!(benches);
