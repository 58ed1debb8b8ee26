//! Runs the streamed draw ([`double_random::pipeline`]) on a folder of roster files.
//!
//! ```text
//! cargo run --release --example pipeline -- [--result-hash] draw   DIR PLAN.toml SEED_HEX [DIGESTS_OUT.json]
//! cargo run --release --example pipeline -- [--result-hash] replay DIR PLAN.toml SEED_HEX DIGESTS.json
//! ```
//!
//! `draw` prints the digests and what was drawn, and writes the input digests as JSON when a file
//! is named; `replay` checks every input against such a file and draws again. With
//! `--result-hash` either also prints a hash of the whole result (picks, teams and drawn rows),
//! for comparing two builds; it is off by default because formatting every drawn row costs time
//! the draw does not. Used by `benches/compare.sh` to time the whole pipeline on generated
//! national-scale rosters.
#![forbid(unsafe_code)]

use double_random::Digest32;
use double_random::ceremony::announce::InputDigests;
use double_random::formats::plan_toml::read_plan;
use double_random::pipeline::{self, RosterFiles};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let result_hash = args.first().is_some_and(|a| a == "--result-hash");
    if result_hash {
        args.remove(0);
    }
    let usage = "usage: pipeline [--result-hash] draw|replay DIR PLAN.toml SEED_HEX [DIGESTS.json]";
    if args.len() < 4 {
        return Err(usage.into());
    }
    let files = RosterFiles::in_dir(&args[1]);
    let plan = read_plan("plan.toml", &std::fs::read_to_string(&args[2])?)?;
    let seed = Digest32::from_hex(args[3].trim()).ok_or("the seed must be 64 hex digits")?;
    let out = match args[0].as_str() {
        "draw" => {
            let out = pipeline::draw(&files, &plan, &seed)?;
            if let Some(path) = args.get(4) {
                std::fs::write(path, serde_json::to_vec_pretty(&out.digests)?)?;
            }
            out
        }
        "replay" => {
            let path = args.get(4).ok_or(usage)?;
            let announced: InputDigests = serde_json::from_slice(&std::fs::read(path)?)?;
            pipeline::replay(&files, &plan, &seed, &announced)?
        }
        _ => return Err(usage.into()),
    };
    println!(
        "entities: {} rows, digest {}",
        out.digests.entities.rows, out.digests.entities.digest
    );
    for s in &out.result.strata {
        println!(
            "stratum {}: {} of {}, members {}",
            s.stratum.label(),
            s.k,
            s.n,
            s.members_digest
        );
    }
    println!("drawn: {}", out.result.assignments.len());
    if result_hash {
        // For comparing two builds: every pick, team and drawn row, hashed.
        let everything = format!("{:?}{:?}", out.result, out.drawn);
        println!("result: {}", Digest32::of(everything.as_bytes()));
    }
    // The process ends here and the operating system takes its memory back at once: freeing
    // the drawn rows one string at a time (a tenth of a second for 200,000 rows) would only
    // delay the exit.
    std::mem::forget(out);
    Ok(())
}
