//! Times check inputs, announce, draw and verify through the ABI's Rust layer (no foreign
//! call), the baseline of benches/bindings.sh for the Python and Java bindings.
//!
//! ```text
//! cargo run -p double-random-ffi --release --example draw_timing -- INPUTS_DIR
//! ```

use double_random_ffi::api::{InputFiles, Inputs, Key, Office};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: draw_timing DIR")?);
    let read = |n: &str| std::fs::read(dir.join(n));
    let files = [
        read("entities.csv")?,
        read("inspectors.csv")?,
        read("items.csv")?,
        read("conflicts.csv")?,
        read("history.csv")?,
        read("plan.toml")?,
    ];
    let t = Instant::now();
    let inputs = Inputs::load(&InputFiles {
        entities: &files[0],
        inspectors: &files[1],
        items: &files[2],
        conflicts: Some(&files[3]),
        history: Some(&files[4]),
        plan: &files[5],
    })?;
    let load = t.elapsed();
    let key = Key::from_seed([1; 8], &[2; 32]);
    let office = Office::new();
    let secret = "09".repeat(32);
    let t = Instant::now();
    office.announce(
        &inputs,
        &key,
        format!(
            r#"{{"draw_id":"B1","organizer":"o","organizer_secret":"{secret}","announced_at":"2026-03-01T01:00:00Z","scheduled_at":"2026-03-01T02:00:00Z","drill":true}}"#
        )
        .as_bytes(),
    )?;
    let announce = t.elapsed();
    let t = Instant::now();
    office.draw(
        &inputs,
        &key,
        format!(r#"{{"draw_id":"B1","reveals":[{{"name":"o","secret":"{secret}"}}],"drawn_at":"2026-03-01T02:00:00Z"}}"#)
            .as_bytes(),
    )?;
    let draw = t.elapsed();
    let public: serde_json::Value = serde_json::from_slice(&key.public())?;
    let req = serde_json::json!({"draw_id": "B1", "public_key": public["public_key"]});
    let t = Instant::now();
    let v: serde_json::Value =
        serde_json::from_slice(&office.verify(Some(&inputs), req.to_string().as_bytes())?)?;
    let verify = t.elapsed();
    assert_eq!(v["passed"], true, "{v}");
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "rust    load {:8.1} ms  announce {:6.1} ms  draw {:8.1} ms  verify {:8.1} ms",
        ms(load),
        ms(announce),
        ms(draw),
        ms(verify)
    );
    Ok(())
}
