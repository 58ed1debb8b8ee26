//! Benchmarks of the table digest over sorted leaves, as computed when reading a national-scale
//! roster, against plain sort-then-hash and a chunked heap merge.
//!
//! `cargo bench --bench digest` runs them at 1,000,000 leaves; with `DR_BENCH_LARGE` set, also
//! at 10,000,000.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use double_random::internals::leaf_set_digest;
use double_random::{
    Digest32,
    internals::{Framed, TABLE_TAG, table_digest},
};
use std::collections::BinaryHeap;
use std::hint::black_box;

fn sizes() -> Vec<usize> {
    let mut v = vec![1_000_000];
    if std::env::var_os("DR_BENCH_LARGE").is_some() {
        v.push(10_000_000);
    }
    v
}

fn leaves(n: usize) -> Vec<Digest32> {
    (0..n as u64)
        .map(|i| Digest32::of(&i.to_le_bytes()))
        .collect()
}

/// The earlier way: chunks of 2^20 leaves, each sorted, merged through a binary heap.
fn chunked_heap_digest(kind: &str, leaves: &[Digest32]) -> Digest32 {
    let mut chunks: Vec<Vec<Digest32>> = leaves.chunks(1 << 20).map(<[_]>::to_vec).collect();
    if chunks.len() <= 1 {
        return table_digest(kind, chunks.pop().unwrap_or_default());
    }
    let mut h = Framed::new(TABLE_TAG).part(kind.as_bytes());
    h.push(&(leaves.len() as u64).to_be_bytes());
    let mut heap = BinaryHeap::new();
    for (c, chunk) in chunks.iter_mut().enumerate() {
        chunk.sort_unstable();
        if let Some(first) = chunk.first() {
            heap.push(std::cmp::Reverse((*first, c, 0usize)));
        }
    }
    while let Some(std::cmp::Reverse((leaf, c, i))) = heap.pop() {
        h.push(&leaf.0);
        if let Some(next) = chunks[c].get(i + 1) {
            heap.push(std::cmp::Reverse((*next, c, i + 1)));
        }
    }
    h.finish()
}

fn bench_table_digest(c: &mut Criterion) {
    let mut g = c.benchmark_group("table_digest");
    g.sample_size(10);
    for n in sizes() {
        let all = leaves(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("sort_then_hash", n), &all, |b, l| {
            b.iter(|| table_digest("entities", black_box(l).to_vec()))
        });
        g.bench_with_input(BenchmarkId::new("chunks_heap_merge", n), &all, |b, l| {
            b.iter(|| chunked_heap_digest("entities", black_box(l)))
        });
        g.bench_with_input(BenchmarkId::new("leaf_set", n), &all, |b, l| {
            b.iter(|| leaf_set_digest("entities", black_box(l)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_table_digest);
criterion_main!(benches);
