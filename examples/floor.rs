//! The floor for reading a roster: read the file, SHA-256 it and run one pass of the `csv`
//! parser over it with a reused `ByteRecord`, on one thread; no decoding, no checks.
//!
//! ```text
//! cargo run --release --example floor -- FILE               # read + SHA-256 + ByteRecord pass
//! cargo run --release --example floor -- --parse-only FILE  # the ByteRecord pass alone
//! ```
//!
//! `benches/compare.sh` times it next to the streamed draw: a tool that fingerprints a file and
//! parses it cannot do less on one core.
#![forbid(unsafe_code)]

use sha2::{Digest as _, Sha256};
use std::io::Read;
use std::process::ExitCode;

/// Passes bytes through to the parser, hashing them on the way.
struct Hashing<R> {
    inner: R,
    hash: Option<Sha256>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        if let Some(h) = &mut self.hash {
            h.update(&out[..n]);
        }
        Ok(n)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (parse_only, path) = match args.as_slice() {
        [flag, path] if flag == "--parse-only" => (true, path),
        [path] => (false, path),
        _ => {
            eprintln!("usage: floor [--parse-only] FILE");
            return ExitCode::from(2);
        }
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("floor: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Hashing {
            inner: file,
            hash: (!parse_only).then(Sha256::new),
        });
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
    match rdr.into_inner().hash {
        Some(h) => println!(
            "{rows} records, {fields} fields, sha256 {}",
            hex::encode(h.finalize())
        ),
        None => println!("{rows} records, {fields} fields"),
    }
    ExitCode::SUCCESS
}
