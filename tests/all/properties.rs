//! Properties the spec promises for the draw: order independence, domain separation,
//! prefix stability, and value stability (no `rand` distribution in the draw path).

use double_random::Digest32;
use double_random::draw::{self, OwnedInputs, example_entity, example_inspector};
use double_random::model::{Quota, RiskClass, Rounding, Strata};
use proptest::prelude::*;

fn inputs(n_a: usize, n_b: usize) -> OwnedInputs {
    let mut x = draw::example_inputs();
    x.entities = (0..n_a)
        .map(|i| example_entity(&format!("A{i:04}"), RiskClass::A))
        .chain((0..n_b).map(|i| example_entity(&format!("B{i:04}"), RiskClass::B)))
        .collect();
    x.inspectors = (0..12).map(example_inspector).collect();
    x
}

fn picks(x: &OwnedInputs, seed: u8, label: &str) -> Vec<String> {
    let r = draw::run(&x.as_inputs(), &Digest32([seed; 32])).unwrap();
    r.strata
        .into_iter()
        .find(|s| s.stratum.label() == label)
        .map(|s| s.picks)
        .unwrap_or_default()
}

fn set_count(x: &mut OwnedInputs, class: RiskClass, k: u64) {
    if let Strata::Risk { classes, .. } = &mut x.plan.strata {
        classes.insert(
            class,
            Quota {
                ratio_bp: None,
                count: Some(k),
                min: None,
                max: None,
                rounding: Rounding::Up,
            },
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn row_order_changes_nothing(n_a in 1usize..80, n_b in 1usize..80, seed in any::<u8>(), rot in 0usize..200) {
        let x = inputs(n_a, n_b);
        let mut y = x.clone();
        let len = y.entities.len();
        y.entities.rotate_left(rot % len);
        y.entities.reverse();
        y.inspectors.reverse();
        let a = draw::run(&x.as_inputs(), &Digest32([seed; 32])).unwrap();
        let b = draw::run(&y.as_inputs(), &Digest32([seed; 32])).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn one_stratum_never_moves_another(n_a in 1usize..80, extra in 1usize..50, n_b in 1usize..80, seed in any::<u8>()) {
        let x = inputs(n_a, n_b);
        let y = inputs(n_a + extra, n_b);
        prop_assert_eq!(picks(&x, seed, "B"), picks(&y, seed, "B"));
        prop_assert_ne!(picks(&x, seed, "A").len() + picks(&y, seed, "A").len(), 0);
    }

    #[test]
    fn one_more_pick_keeps_the_earlier_ones(n in 2usize..200, k in 1u64..20, seed in any::<u8>()) {
        let mut x = inputs(n, 1);
        let k = k.min(n as u64 - 1);
        set_count(&mut x, RiskClass::A, k);
        let first = picks(&x, seed, "A");
        set_count(&mut x, RiskClass::A, k + 1);
        let more = picks(&x, seed, "A");
        prop_assert_eq!(first.len() as u64, k);
        prop_assert_eq!(&more[..k as usize], &first[..]);
    }
}

/// The draw path may use only the raw ChaCha20 stream: no `rand` distributions, whose
/// output `rand` allows itself to change between versions.
#[test]
fn no_rand_distributions_in_the_library() {
    let forbidden = [
        "rand::seq",
        "random_range(",
        "gen_range(",
        ".shuffle(",
        "SliceRandom",
        "IteratorRandom",
        "rand::distr",
        "thread_rng",
        ".choose(",
    ];
    let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    let mut checked = 0;
    while let Some(p) = stack.pop() {
        for entry in std::fs::read_dir(&p).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                checked += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, line) in text.lines().enumerate() {
                    let code = line.trim_start();
                    if code.starts_with("//") {
                        continue;
                    }
                    for f in forbidden {
                        assert!(!code.contains(f), "{}:{}: uses {f}", path.display(), i + 1);
                    }
                }
            }
        }
    }
    assert!(checked > 10);
}
