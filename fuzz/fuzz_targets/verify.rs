#![no_main]
//! Fuzz target: see `double_random::fuzzing::Fixture::check_verify`.

use double_random::fuzzing::{Fixture, InputFiles, read_inputs};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

macro_rules! vector {
    ($f:literal) => {
        include_bytes!(concat!("../../tests/vectors/01-small-undirected/", $f))
    };
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let inputs = read_inputs(&InputFiles {
        entities: vector!("entities.csv"),
        inspectors: vector!("inspectors.csv"),
        items: vector!("items.csv"),
        conflicts: vector!("conflicts.csv"),
        history: vector!("history.csv"),
        plan: vector!("plan.toml"),
    })
    .expect("test vector 01 reads");
    Fixture::new(inputs).expect("test vector 01 draws")
});

fuzz_target!(|data: &[u8]| {
    if let Err(e) = FIXTURE.check_verify(data) {
        panic!("property violated: {e}");
    }
});
