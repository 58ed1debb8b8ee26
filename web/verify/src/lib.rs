//! The verifier of published draws, compiled to WebAssembly for `verify.html`.
//!
//! The page hands over the files a reader dropped (name → bytes); this calls the library's
//! [`double_random::bundle::verify_files`], the same checks as `verify` on a folder, and returns
//! the JSON of `verify --json` (`docs/MESSAGES.md`), built by the command line's own code and
//! texts (`examples/double-random/verify_json.rs` and `i18n.rs`, compiled here as they are).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
#[allow(dead_code, unused_macros, unused_imports)]
#[path = "../../../examples/double-random/i18n.rs"]
mod i18n;
#[allow(dead_code)]
#[path = "../../../examples/double-random/verify_json.rs"]
mod verify_json;

use double_random::bundle::{self, BundleError};
use double_random::formats::files::MemoryFiles;
use i18n::Lang;

mod outcomes;
mod strata;
#[cfg(test)]
mod timing;

/// The verdict on `files` as the JSON text of `verify --json`; the public key is
/// `organizer.pub` among the files, taken as the reader's independently obtained key when
/// `key_given` (otherwise the verdict is at best NOT VERIFIED, as on the command line).
///
/// Files named with a folder (`D1/sheet.json`, as a dropped folder or a zip gives them) are
/// taken by their last component (so the files of one draw are expected: two draws' folders
/// would overwrite each other's files). An error (no announcement, an unreadable key) is returned as
/// `{"error": {"en": …, "zh": …}}`.
///
/// When the rosters and the plan are among the files, the draw is replayed from them; when
/// `office.log` is, the draw is checked against it (the office's other draws' documents are
/// the files named `<draw id>/<file>`); outcome records (`outcomes-N.json`) are checked as
/// `verify` checks them, with `holidays-*.toml` and `results.toml` among the files, on the day
/// (北京时间) of `now_unix` (seconds since 1970), and reported under `"outcomes"`; each member
/// list (`members-<stratum>.txt`, one id per line) replays its stratum alone against the sheet
/// (SPEC §13.2), reported under `"strata"`.
pub fn verify_named_files(files: Vec<(String, Vec<u8>)>, key_given: bool, now_unix: u64) -> String {
    let mut map = MemoryFiles::new();
    for (name, bytes) in files {
        let mut parts = name.rsplit(['/', '\\']);
        let base = parts.next().unwrap_or(&name).to_string();
        // `D2/sheet.json` is also kept whole: the log check reads the other draws' documents
        // (JSON documents only: a roster is not copied).
        if let Some(folder) = parts
            .next()
            .filter(|f| !f.is_empty() && base.ends_with(".json"))
        {
            map.insert(format!("{folder}/{base}"), bytes.clone());
        }
        map.insert(base, bytes);
    }
    let key = if key_given {
        match map
            .get(bundle::PUBLIC_KEY_FILE)
            .map(|b| String::from_utf8_lossy(b).into_owned())
        {
            Some(text) => match double_random::PublicKey::parse(&text) {
                Ok(k) => Some(k),
                Err(e) => {
                    return error_json(&BundleError::Sign {
                        path: bundle::PUBLIC_KEY_FILE.into(),
                        source: e,
                    });
                }
            },
            None => None,
        }
    } else {
        None
    };
    let certs = tsa_certificates(&map);
    match bundle::verify_files(&map, key.as_ref(), &certs) {
        Ok(v) => {
            // Outcome records, checked with the key the draw was checked with (the key among
            // the files when none was given), as `verify` does.
            let outcome_key = key.or_else(|| {
                map.get(bundle::PUBLIC_KEY_FILE)
                    .and_then(|b| double_random::PublicKey::parse(&String::from_utf8_lossy(b)).ok())
            });
            let outcomes = match outcome_key {
                Some(k) => match outcomes::verify(&map, &k, now_unix) {
                    Ok(r) => r,
                    Err(e) => return e.json(),
                },
                None => None,
            };
            let log = map
                .contains_key(bundle::LOG_FILE)
                .then(|| bundle::LOG_FILE.to_string());
            let mut out = verify_json::verification(&v, log);
            if outcomes.as_ref().is_some_and(|r| !r.findings.is_empty()) {
                out["result"] = serde_json::json!("FAIL");
            }
            out["outcomes"] = serde_json::json!(outcomes.as_ref().map(verify_json::review_json));
            // Member lists (`members-<stratum>.txt`): each stratum replayed alone.
            let strata = strata::replays(&map);
            if !strata.is_empty() {
                if strata.iter().any(|s| s["result"] != "PASS") {
                    out["result"] = serde_json::json!("FAIL");
                }
                out["strata"] = serde_json::json!(strata);
            }
            if let Some(o) = out.as_object_mut() {
                o.insert(
                    "key_id".into(),
                    serde_json::Value::String(
                        key.map(|k| k.key_id().to_string()).unwrap_or_default(),
                    ),
                );
            }
            serde_json::to_string_pretty(&out).unwrap_or_default()
        }
        Err(e) => error_json(&e),
    }
}

/// Trusted TSA certificates: every `*.pem` or `*.crt` among the files, PEM blocks decoded.
fn tsa_certificates(files: &MemoryFiles) -> Vec<Vec<u8>> {
    use base64_decode as decode;
    let mut out = vec![];
    for (name, bytes) in files {
        if !(name.ends_with(".pem") || name.ends_with(".crt")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let mut body: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if line == "-----BEGIN CERTIFICATE-----" {
                body = Some(String::new());
            } else if line == "-----END CERTIFICATE-----" {
                if let Some(b) = body.take()
                    && let Some(der) = decode(&b)
                {
                    out.push(der);
                }
            } else if let Some(b) = body.as_mut() {
                b.push_str(line);
            }
        }
    }
    out
}

/// Standard base64, `None` when it is not.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

fn error_json(e: &BundleError) -> String {
    serde_json::json!({
        "result": "ERROR",
        "error": {
            "en": i18n::bundle_error(Lang::En, e),
            "zh": i18n::bundle_error(Lang::Zh, e),
        },
    })
    .to_string()
}

#[cfg(target_family = "wasm")]
mod js {
    use wasm_bindgen::prelude::*;

    /// `verify(names, lengths, contents, keyGiven, nowUnix)`: the verdict JSON text for the
    /// dropped files, `contents` being the files' bytes concatenated and `lengths` their sizes
    /// in order; `nowUnix` (seconds) gives the day outcome deadlines are judged on.
    #[wasm_bindgen]
    pub fn verify(
        names: Vec<String>,
        lengths: Vec<u32>,
        contents: &[u8],
        key_given: bool,
        now_unix: f64,
    ) -> String {
        // A panic is a bug: show its message to the reader instead of "unreachable".
        std::panic::set_hook(Box::new(|info| wasm_bindgen::throw_str(&info.to_string())));
        let mut files = Vec::with_capacity(names.len());
        let mut at = 0usize;
        for (name, len) in names.into_iter().zip(lengths) {
            let end = at.saturating_add(len as usize).min(contents.len());
            files.push((name, contents[at..end].to_vec()));
            at = end;
        }
        // Seconds since 1970 as JavaScript's Date gives them (a clock before 1970 is 0).
        let now = if now_unix.is_finite() && now_unix > 0.0 {
            now_unix as u64
        } else {
            0
        };
        super::verify_named_files(files, key_given, now)
    }
}
