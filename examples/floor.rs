//! The floor for reading a roster: one pass of the `csv` parser over the file with a reused
//! `ByteRecord`, no decoding, no checks, no hashing.
//!
//! ```text
//! cargo run --release --example floor -- FILE
//! ```
//!
//! `benches/compare.sh` times it next to the streamed draw: nothing that parses the CSV can be
//! faster than this on one core.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: floor FILE");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("floor: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(256 * 1024, file));
    let mut rec = csv::ByteRecord::new();
    let (mut rows, mut fields) = (0u64, 0u64);
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                rows += 1;
                fields += rec.len() as u64;
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("floor: {path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{rows} records, {fields} fields");
    ExitCode::SUCCESS
}
