//! The JSON of `verify --json` (docs/MESSAGES.md): one verdict, its checks and findings by code,
//! each with its words in both languages.
//!
//! The browser verifier (`web/verify`) compiles this same file, so the page and the command line
//! give the same JSON for the same files.

use crate::i18n::{self, Lang};
use double_random::bundle::{self, Depth};
use double_random::ceremony::outcomes::{OutcomeFinding, Review, Standing};
use double_random::ceremony::verify::{Check, Finding};
use double_random::publish::check::{DifferenceKind, ViewCheck, ViewStatus};
use serde_json::json;

/// The whole verdict: `log` is the office log checked, as shown to the reader.
pub fn verification(v: &bundle::DirVerification, log: Option<String>) -> serde_json::Value {
    json!({
        "result": verdict(v),
        "draw_id": v.draw_id,
        "depth": match v.depth {
            Depth::Announcement => "announcement",
            Depth::Public => "public",
            Depth::Plan => "plan",
            Depth::Full => "full",
        },
        "key_from_folder": v.key_from_folder,
        "log": log,
        "withheld": v.withheld,
        "amendments": v.amendments,
        "checked": v.report.checked.iter().map(|c| check_json(c, &v.report.findings)).collect::<Vec<_>>(),
        "findings": v.report.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "views": v.views.iter().map(view_json).collect::<Vec<_>>(),
        "trust": v.trust,
    })
}

/// A check of `verify --json` (docs/MESSAGES.md): its code, document, whether it passed, and
/// its words in both languages.
pub fn check_json(c: &Check, findings: &[Finding]) -> serde_json::Value {
    let document = match c {
        Check::Signature { document } | Check::AmendmentReplay { document } => {
            Some(document.as_str())
        }
        _ => None,
    };
    json!({
        "code": c.code(),
        "document": document,
        "passed": !findings.iter().any(|f| c.fails(f)),
        "text": {
            "en": i18n::checked(Lang::En, c),
            "zh": i18n::checked(Lang::Zh, c),
        },
    })
}

/// A finding of `verify --json` (docs/MESSAGES.md): its code, its structured fields, and its
/// words in both languages.
pub fn finding_json(f: &Finding) -> serde_json::Value {
    let fields: serde_json::Map<String, serde_json::Value> = f
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect();
    json!({
        "code": f.code(),
        "fields": fields,
        "text": {
            "en": i18n::finding(Lang::En, f),
            "zh": i18n::finding(Lang::Zh, f),
        },
    })
}

pub fn view_json(c: &ViewCheck) -> serde_json::Value {
    let (status, reason) = match &c.status {
        ViewStatus::Matches => ("matches", None),
        ViewStatus::Differs => ("differs", None),
        ViewStatus::NotChecked(why) => ("not_checked", Some(why.to_string())),
    };
    json!({
        "file": c.file,
        "status": status,
        "reason": reason,
        "differences": c.differences.iter().map(|d| json!({
            "section": d.section,
            "row": d.row,
            "column": d.column,
            "line": d.line,
            "kind": match d.kind {
                DifferenceKind::Text => "text",
                DifferenceKind::NotTextCell => "not_text_cell",
                DifferenceKind::MissingRow => "missing_row",
                DifferenceKind::ExtraRow => "extra_row",
            },
            "expected": d.expected,
            "found": d.found,
        })).collect::<Vec<_>>(),
        "omitted": c.omitted,
        "unchecked": c.unchecked,
    })
}

/// FAIL when a check or a view failed.
pub fn failed(v: &bundle::DirVerification) -> bool {
    !v.report.passed() || v.views.iter().any(ViewCheck::failed)
}

pub fn verdict(v: &bundle::DirVerification) -> &'static str {
    if failed(v) {
        "FAIL"
    } else if v.key_from_folder {
        "NOT VERIFIED"
    } else {
        "PASS"
    }
}

/// The outcome part of `verify --json` and `status --json`.
pub fn review_json(r: &Review) -> serde_json::Value {
    json!({
        "records": r.records.len(),
        "inspections_end": r.inspections_end.map(|d| d.to_string()),
        "completed": r.completed(),
        "entities": r.entities.len(),
        "provisional_calendar": r.provisional,
        "status": r.entities.iter().map(|s| {
            let (code, deadline, document, published_on) = match &s.standing {
                Standing::Published { document, published_on, deadline, late } => (
                    if *late { "published_late" } else { "published" },
                    *deadline,
                    Some(document.clone()),
                    Some(published_on.to_string()),
                ),
                Standing::Due { deadline } => ("due", *deadline, None, None),
                Standing::Overdue { deadline } => ("overdue", Some(*deadline), None, None),
                _ => ("unknown", None, None, None),
            };
            json!({
                "entity": s.entity.id,
                "name": s.entity.name,
                "status": code,
                "deadline": deadline.map(|d| d.to_string()),
                "document": document,
                "published_on": published_on,
            })
        }).collect::<Vec<_>>(),
        "findings": r.findings.iter().map(outcome_finding_json).collect::<Vec<_>>(),
    })
}

/// A finding of the outcome records, shaped like `verify --json`'s findings.
pub fn outcome_finding_json(f: &OutcomeFinding) -> serde_json::Value {
    let mut fields = serde_json::Map::new();
    if let Some(d) = f.document().filter(|d| !d.is_empty()) {
        fields.insert("document".into(), d.into());
    }
    if let Some(e) = f.entity() {
        fields.insert("id".into(), e.into());
    }
    for (k, v) in f.fields() {
        fields.insert(k.into(), v.into());
    }
    json!({
        "code": f.code(),
        "fields": fields,
        "text": {
            "en": i18n::outcome_finding(Lang::En, f),
            "zh": i18n::outcome_finding(Lang::Zh, f),
        },
    })
}
