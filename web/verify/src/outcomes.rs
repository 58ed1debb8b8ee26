//! Outcome records (SPEC §18) among the dropped files, checked as `verify` checks them in a
//! folder (`examples/double-random/results.rs`, `verify_outcomes`): the same library call on the
//! same documents, with the calendars and vocabulary found among the files instead of in the
//! office folder.

use crate::i18n::{self, Lang};
use double_random::bundle::{SHEET_FILE, amendment_file, signature_file};
use double_random::ceremony::Timestamp;
use double_random::ceremony::amend::Amendment;
use double_random::ceremony::calendar::{Calendars, YearCalendar};
use double_random::ceremony::outcomes::{self, Review, ReviewInputs, SignedRecord, Vocabulary};
use double_random::ceremony::sheet::Sheet;
use double_random::formats::files::MemoryFiles;
use double_random::sign::PublicKey;

/// Why outcome records could not be checked: shown in both languages, as the command line's
/// error would be.
#[derive(Debug)]
pub struct OutcomeError {
    en: String,
    zh: String,
}

impl OutcomeError {
    fn new(zh: String, en: String) -> Self {
        OutcomeError { en, zh }
    }

    /// `{"result": "ERROR", "error": {"en": …, "zh": …}}`.
    pub fn json(&self) -> String {
        serde_json::json!({
            "result": "ERROR",
            "error": { "en": self.en, "zh": self.zh },
        })
        .to_string()
    }
}

/// The review of the outcome records among `files` (`None` when there is no `outcomes-1.json`),
/// their signatures checked with `key`, deadlines judged on the day (北京时间) of `now_unix`.
pub fn verify(
    files: &MemoryFiles,
    key: &PublicKey,
    now_unix: u64,
) -> Result<Option<Review>, OutcomeError> {
    if !files.contains_key("outcomes-1.json") {
        return Ok(None);
    }
    let unreadable = |name: &str, e: &dyn std::fmt::Display| {
        OutcomeError::new(format!("{name} 无法读取：{e}"), format!("{name}: {e}"))
    };
    let Some(sheet_bytes) = files.get(SHEET_FILE) else {
        return Err(OutcomeError::new(
            "还没有抽取（没有 sheet.json），检查结果记录无从核对".into(),
            "not drawn (no sheet.json): the outcome records cannot be checked".into(),
        ));
    };
    let sheet = Sheet::parse(sheet_bytes).map_err(|e| unreadable(SHEET_FILE, &e))?;
    let mut amendments = vec![];
    for seq in 1u32.. {
        let name = amendment_file(seq);
        let Some(b) = files.get(&name) else { break };
        amendments.push(Amendment::parse(b).map_err(|e| unreadable(&name, &e))?);
    }
    let mut records = vec![];
    for seq in 1u32.. {
        let name = format!("outcomes-{seq}.json");
        let Some(bytes) = files.get(&name) else { break };
        let signature = files
            .get(&signature_file(&name))
            .map(|b| String::from_utf8_lossy(b).into_owned());
        records.push((name, bytes.as_slice(), signature));
    }
    // Every holidays-*.toml among the files, in name order (the command line takes those of
    // the office folder).
    let mut cals = Calendars::default();
    for (name, bytes) in files
        .iter()
        .filter(|(n, _)| !n.contains('/') && n.starts_with("holidays-") && n.ends_with(".toml"))
    {
        let text = String::from_utf8(bytes.clone()).map_err(|_| {
            OutcomeError::new(
                format!("{name} 不是 UTF-8 文本"),
                format!("{name} is not UTF-8 text"),
            )
        })?;
        YearCalendar::from_toml(name, &text)
            .and_then(|cal| cals.add(name, cal))
            .map_err(|e| {
                OutcomeError::new(
                    i18n::calendar_error(Lang::Zh, &e),
                    i18n::calendar_error(Lang::En, &e),
                )
            })?;
    }
    let vocabulary = match files.get("results.toml") {
        None => None,
        Some(b) => Some(
            Vocabulary::from_toml("results.toml", &String::from_utf8_lossy(b))
                .map_err(|e| unreadable("results.toml", &e))?,
        ),
    };
    let now = Timestamp::from_unix(now_unix).unwrap_or(sheet.drawn_at);
    let signed: Vec<SignedRecord<'_>> = records
        .iter()
        .map(|(name, bytes, signature)| SignedRecord {
            name,
            bytes,
            signature: signature.as_deref(),
        })
        .collect();
    Ok(Some(outcomes::verify_signed(
        key,
        &signed,
        &ReviewInputs {
            sheet: &sheet,
            amendments: &amendments,
            records: &[],
            calendars: &cals,
            vocabulary: vocabulary.as_ref(),
            today: outcomes::beijing_date(now),
            inspections_end: None,
        },
    )))
}
