//! Strata replayed from member lists among the dropped files (SPEC §13.2): for a reader who
//! holds one stratum's members (an industry association, a district) but not the rosters.
//!
//! A member list is a file `members-<stratum>.txt` (or `.csv`): one entity id per line, UTF-8,
//! blank lines skipped, each id read as the rosters read ids (the format of the Python
//! verifier's `stratum` command). The stratum is replayed from the list and the sheet's seed,
//! and each pick must be on the sheet or replaced by one of its amendments.

use crate::i18n::{self, Lang};
use crate::verify_json;
use double_random::ceremony::verify::check_stratum;
use double_random::codes::parse_entity_id;
use double_random::formats::files::MemoryFiles;
use double_random::{Amendment, Sheet};
use serde_json::{Value, json};

/// The stratum named by a member list's file name, if it is one.
fn stratum_of(name: &str) -> Option<&str> {
    let stem = name.strip_prefix("members-")?;
    stem.strip_suffix(".txt")
        .or_else(|| stem.strip_suffix(".csv"))
        .filter(|s| !s.is_empty())
}

/// The ids of a member list, or the first line that is not one (its number and the texts).
fn member_ids(bytes: &[u8]) -> Result<Vec<String>, (usize, String, String)> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        (
            0,
            "文件不是 UTF-8 编码".to_string(),
            "the file is not UTF-8".to_string(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut ids = vec![];
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_entity_id(line) {
            Ok((id, _)) => ids.push(id.as_str().to_string()),
            Err(e) => {
                return Err((
                    n + 1,
                    i18n::code_error(Lang::Zh, &e),
                    i18n::code_error(Lang::En, &e),
                ));
            }
        }
    }
    Ok(ids)
}

/// Each member list among `files`, replayed against `sheet.json` and its amendments: one JSON
/// object per list (`file`, `stratum`, `result` PASS or FAIL, and `members`, `picks`,
/// `not_on_sheet` or a `finding` with its code and texts). Empty when there is no list.
pub fn replays(files: &MemoryFiles) -> Vec<Value> {
    let lists: Vec<(&String, &str, &Vec<u8>)> = files
        .iter()
        .filter_map(|(name, bytes)| stratum_of(name).map(|s| (name, s, bytes)))
        .collect();
    if lists.is_empty() {
        return vec![];
    }
    let sheet = files.get("sheet.json").and_then(|b| Sheet::parse(b).ok());
    let amendments: Vec<Amendment> = (1u32..)
        .map_while(|seq| files.get(&format!("amendment-{seq}.json")))
        .filter_map(|b| Amendment::parse(b).ok())
        .collect();
    let failed = |name: &str, label: &str, code: &str, zh: String, en: String| {
        json!({
            "file": name,
            "stratum": label,
            "result": "FAIL",
            "finding": { "code": code, "fields": {}, "text": { "zh": zh, "en": en } },
        })
    };
    lists
        .into_iter()
        .map(|(name, label, bytes)| {
            let ids = match member_ids(bytes) {
                Ok(ids) => ids,
                Err((line, zh, en)) => {
                    return failed(
                        name,
                        label,
                        "members.unreadable",
                        format!("{name} 第 {line} 行：{zh}"),
                        format!("{name} line {line}: {en}"),
                    );
                }
            };
            let Some(sheet) = &sheet else {
                return failed(
                    name,
                    label,
                    "members.no_sheet",
                    "没有可读的 sheet.json，无法按名单重放".into(),
                    "no readable sheet.json to replay the member list against".into(),
                );
            };
            match check_stratum(sheet, &amendments, label, &ids) {
                Ok(r) => json!({
                    "file": name,
                    "stratum": r.stratum,
                    "result": if r.not_on_sheet.is_empty() { "PASS" } else { "FAIL" },
                    "members": r.n,
                    "picks": r.picks,
                    "not_on_sheet": r.not_on_sheet,
                }),
                Err(f) => json!({
                    "file": name,
                    "stratum": label,
                    "result": "FAIL",
                    "members": ids.len(),
                    "finding": verify_json::finding_json(&f),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The recusals vector: one stratum (`all`), entities replaced by amendments.
    fn vector() -> (MemoryFiles, Vec<String>) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors/ceremony-recusals/GY-2026-03-R");
        let inputs = double_random::bundle::load_inputs(&dir, None).unwrap();
        let population = double_random::draw::population(&inputs.as_draw_inputs()).unwrap();
        let members = population.into_values().next().unwrap();
        let mut files = MemoryFiles::new();
        for name in [
            "sheet.json",
            "amendment-1.json",
            "amendment-2.json",
            "amendment-3.json",
        ] {
            files.insert(name.into(), std::fs::read(dir.join(name)).unwrap());
        }
        (files, members)
    }

    #[test]
    fn a_member_list_replays_its_stratum_and_finds_every_pick() {
        let (mut files, members) = vector();
        assert!(replays(&files).is_empty());
        let list = format!("\u{feff}{}\n\n", members.join("\n"));
        files.insert("members-all.txt".into(), list.into_bytes());
        let r = replays(&files);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["result"], "PASS", "{}", r[0]);
        assert_eq!(r[0]["members"], members.len());
        assert!(!r[0]["picks"].as_array().unwrap().is_empty());
    }

    #[test]
    fn a_wrong_list_or_a_bad_line_fails_with_its_reason() {
        let (mut files, members) = vector();
        files.insert(
            "members-all.txt".into(),
            members[1..].join("\n").into_bytes(),
        );
        let r = replays(&files);
        assert_eq!(r[0]["result"], "FAIL");
        assert_eq!(r[0]["finding"]["code"], "stratum.differs", "{}", r[0]);
        let bad = format!("{}\nnot an id\n", members[0]);
        files.insert("members-all.txt".into(), bad.into_bytes());
        let r = replays(&files);
        assert_eq!(r[0]["finding"]["code"], "members.unreadable", "{}", r[0]);
        assert!(
            r[0]["finding"]["text"]["en"]
                .as_str()
                .unwrap()
                .contains("line 2")
        );
        files.insert("members-all.txt".into(), members.join("\n").into_bytes());
        files.remove("sheet.json");
        assert_eq!(replays(&files)[0]["finding"]["code"], "members.no_sheet");
    }
}
