//! Verification and replay: PASS, or a precise list of what differs (SPEC §13).
//!
//! Three depths, depending on what the checker holds:
//! - the public (announcement, sheet, signatures, public key): signatures, canonical form,
//!   citations, commitments against reveals, the beacon, the seed derivation; with the
//!   plan also each stratum's k against its n;
//! - whoever holds one stratum's member list: that stratum's picks ([`replay_stratum`]);
//! - whoever holds every input: the whole draw and every amendment, replayed bit for bit.

use super::amend::{self, Amendment};
use super::announce::{Announcement, plan_digest};
use super::sheet::{self, Sheet};
use crate::digest::Digest32;
use crate::draw::entities::{continue_stratum, members_digest};
use crate::draw::{self, DrawInputs};
use crate::model::{Plan, Stratum};
use crate::sign::{self, PublicKey, Signature, TrustedComment};
use std::collections::BTreeMap;

/// One thing that did not check out. Each names the document and what differs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    /// A document could not be read.
    #[error("{document}: cannot be read: {detail}")]
    Unreadable {
        /// Which document.
        document: String,
        /// Why.
        detail: String,
    },
    /// A signature does not verify with the public key.
    #[error("{document}: signature does not verify: {detail}")]
    Signature {
        /// Which document.
        document: String,
        /// Why.
        detail: String,
    },
    /// The signed comment does not describe this document.
    #[error("{document}: the signed comment says {field}={found}, but the document has {expected}")]
    SignedComment {
        /// Which document.
        document: String,
        /// Which field of the comment.
        field: &'static str,
        /// What the document has.
        expected: String,
        /// What the comment says.
        found: String,
    },
    /// A document cites something else than it should.
    #[error("{document}: {field} is {found}, expected {expected}")]
    Cites {
        /// Which document.
        document: String,
        /// Which field.
        field: &'static str,
        /// Expected value.
        expected: String,
        /// Value found.
        found: String,
    },
    /// An input file differs from the announced one.
    #[error("{input}: digest {found} differs from the announced {announced}")]
    InputChanged {
        /// Which input.
        input: String,
        /// Announced digest.
        announced: Digest32,
        /// Digest of the file given.
        found: Digest32,
    },
    /// Reveals, commitments or beacon do not check out.
    #[error("seed: {detail}")]
    SeedInputs {
        /// Why.
        detail: String,
    },
    /// The sheet's seed is not the one derived.
    #[error("seed: the sheet has {found}, derivation gives {expected}")]
    Seed {
        /// Derived seed.
        expected: Digest32,
        /// Sheet's seed.
        found: Digest32,
    },
    /// A stratum's figure differs.
    #[error("stratum {stratum}: {field} is {found} on the sheet, replay gives {expected}")]
    Stratum {
        /// Stratum label.
        stratum: String,
        /// `n`, `k`, `members_digest`, or `present`.
        field: &'static str,
        /// Replayed value.
        expected: String,
        /// Sheet's value.
        found: String,
    },
    /// A drawn entity is missing from the sheet.
    #[error("entity {id}: drawn by the replay but missing from the sheet")]
    EntityMissing {
        /// Entity id.
        id: String,
    },
    /// The sheet lists an entity the replay did not draw.
    #[error("entity {id}: on the sheet but not drawn by the replay")]
    EntityExtra {
        /// Entity id.
        id: String,
    },
    /// A field of a drawn entity differs (team, name, stratum).
    #[error("entity {id}: {field} is {found} on the sheet, replay gives {expected}")]
    EntityField {
        /// Entity id.
        id: String,
        /// Which field.
        field: &'static str,
        /// Replayed value.
        expected: String,
        /// Sheet's value.
        found: String,
    },
    /// Some other part of a document differs from the replay.
    #[error("{document}: {part} differs from the replay")]
    Differs {
        /// Which document.
        document: String,
        /// Which part.
        part: &'static str,
    },
    /// A document the office log records is not published (missing or another file).
    #[error("{document}: recorded at line {line} of the office log, but not published")]
    Unpublished {
        /// The document, as `<draw id>/<file>`.
        document: String,
        /// Its log line.
        line: u64,
    },
    /// A commitment or secret used in another draw of the log (SPEC §8.2).
    #[error("{document}: the {what} of {party} was already used in draw {other}")]
    Reused {
        /// Which document.
        document: String,
        /// The party.
        party: String,
        /// `commitment` or `secret`.
        what: &'static str,
        /// The other draw.
        other: String,
    },
    /// The timestamp token does not prove the announcement's time (SPEC §8.6).
    #[error("{document}: {detail}")]
    Timestamp {
        /// The token file (`announcement.json.tsr`).
        document: String,
        /// Why: the rule of §8.6 that failed, or the margin before the beacon.
        detail: String,
    },
    /// The replay itself failed (the draw is impossible with these inputs).
    #[error("replay failed: {detail}")]
    ReplayFailed {
        /// Why.
        detail: String,
    },
}

/// What verification looked at and what it found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Checks performed, in words, in order.
    pub checked: Vec<String>,
    /// Problems; empty means PASS.
    pub findings: Vec<Finding>,
}

impl Report {
    /// PASS: every check succeeded.
    pub fn passed(&self) -> bool {
        self.findings.is_empty()
    }
}

/// A published document with its detached signature.
#[derive(Clone, Copy, Debug)]
pub struct SignedDocument<'a> {
    /// File name, for findings.
    pub name: &'a str,
    /// The document's bytes (canonical JSON).
    pub bytes: &'a [u8],
    /// The `.minisig` text.
    pub signature: &'a str,
}

/// Everything published about one draw.
#[derive(Clone, Debug)]
pub struct Published<'a> {
    /// The organizer's public key.
    pub public_key: &'a PublicKey,
    /// The announcement.
    pub announcement: SignedDocument<'a>,
    /// The sheet.
    pub sheet: SignedDocument<'a>,
    /// Amendments in order.
    pub amendments: Vec<SignedDocument<'a>>,
}

/// The trusted comment signed with a document: `draw`, `file`, `sha256` (SPEC §14).
///
/// ```
/// use double_random::{ceremony::verify::trusted_comment, digest::Digest32};
/// let c = trusted_comment("D1", "sheet.json", &Digest32([0; 32])).unwrap();
/// assert!(c.to_string().starts_with("draw:D1\tfile:sheet.json\tsha256:0000"));
/// ```
pub fn trusted_comment(
    draw_id: &str,
    file: &str,
    digest: &Digest32,
) -> Result<TrustedComment, sign::SignError> {
    TrustedComment::new()
        .with("draw", draw_id)?
        .with("file", file)?
        .with("sha256", &digest.to_hex())
}

fn check_signature(
    report: &mut Report,
    pk: &PublicKey,
    doc: &SignedDocument<'_>,
    draw_id: &str,
) -> bool {
    report.checked.push(format!("signature of {}", doc.name));
    let fail = |report: &mut Report, detail: String| {
        report.findings.push(Finding::Signature {
            document: doc.name.to_string(),
            detail,
        });
        false
    };
    let sig = match Signature::parse(doc.signature) {
        Ok(s) => s,
        Err(e) => return fail(report, e.to_string()),
    };
    let verified = match sign::verify(pk, doc.bytes, &sig) {
        Ok(v) => v,
        Err(e) => return fail(report, e.to_string()),
    };
    let fields = match verified.fields() {
        Ok(f) => f,
        Err(e) => return fail(report, e.to_string()),
    };
    let digest = Digest32::of(doc.bytes).to_hex();
    let mut ok = true;
    for (field, expected) in [("draw", draw_id), ("sha256", digest.as_str())] {
        let found = fields.get(field).unwrap_or("");
        if found != expected {
            report.findings.push(Finding::SignedComment {
                document: doc.name.to_string(),
                field,
                expected: expected.to_string(),
                found: found.to_string(),
            });
            ok = false;
        }
    }
    ok
}

fn cites(report: &mut Report, document: &str, field: &'static str, expected: &str, found: &str) {
    if expected != found {
        report.findings.push(Finding::Cites {
            document: document.to_string(),
            field,
            expected: expected.to_string(),
            found: found.to_string(),
        });
    }
}

/// Verifies a published draw.
///
/// `inputs` (every roster, the plan, conflicts and history) allow the full replay;
/// `plan` alone allows the quota check. Row order and file encoding of the rosters do
/// not matter: digests and draw work on canonical forms.
pub fn verify(
    published: &Published<'_>,
    plan: Option<&Plan>,
    inputs: Option<&DrawInputs<'_>>,
) -> Report {
    let mut r = Report::default();
    let unreadable = |r: &mut Report, doc: &SignedDocument<'_>, e: &dyn std::fmt::Display| {
        r.findings.push(Finding::Unreadable {
            document: doc.name.to_string(),
            detail: e.to_string(),
        });
    };
    let ann = match Announcement::parse(published.announcement.bytes) {
        Ok(a) => a,
        Err(e) => {
            unreadable(&mut r, &published.announcement, &e);
            return r;
        }
    };
    let ann_digest = Digest32::of(published.announcement.bytes);
    check_signature(
        &mut r,
        published.public_key,
        &published.announcement,
        &ann.draw_id,
    );
    cites(
        &mut r,
        published.announcement.name,
        "key_id",
        &published.public_key.key_id().to_string(),
        &ann.key_id,
    );
    if let Err(e) = ann.check() {
        unreadable(&mut r, &published.announcement, &e);
    }
    let sheet = match Sheet::parse(published.sheet.bytes) {
        Ok(s) => s,
        Err(e) => {
            unreadable(&mut r, &published.sheet, &e);
            return r;
        }
    };
    check_signature(&mut r, published.public_key, &published.sheet, &ann.draw_id);
    r.checked.push("the sheet cites the announcement".into());
    let sname = published.sheet.name;
    cites(
        &mut r,
        sname,
        "announcement",
        &ann_digest.to_hex(),
        &sheet.announcement.to_hex(),
    );
    cites(&mut r, sname, "draw_id", &ann.draw_id, &sheet.draw_id);
    if sheet.plan != ann.plan {
        r.findings.push(Finding::Differs {
            document: sname.to_string(),
            part: "plan",
        });
    }
    if let Err(e) = sheet::check_draw_time(&ann, sheet.drawn_at) {
        cites(
            &mut r,
            sname,
            "drawn_at",
            &format!("no earlier than the beacon: {e}"),
            &sheet.drawn_at.to_string(),
        );
    }
    if sheet.drawn_at < ann.scheduled_at {
        cites(
            &mut r,
            sname,
            "drawn_at",
            &format!("no earlier than {}", ann.scheduled_at),
            &sheet.drawn_at.to_string(),
        );
    }
    r.checked
        .push("commitments, beacon and seed derivation".into());
    match sheet::seed_for(&ann, &ann_digest, &sheet.reveals, sheet.beacon.as_ref()) {
        Ok(seed) if seed != sheet.seed => r.findings.push(Finding::Seed {
            expected: seed,
            found: sheet.seed,
        }),
        Ok(_) => {}
        Err(e) => r.findings.push(Finding::SeedInputs {
            detail: e.to_string(),
        }),
    }
    let plan = inputs.map(|i| i.plan).or(plan);
    if let Some(plan) = plan {
        check_quotas(&mut r, &ann, &sheet, plan);
    }
    let mut amendments = Vec::new();
    let mut prev: Option<Digest32> = None;
    let sheet_digest = Digest32::of(published.sheet.bytes);
    for (i, doc) in published.amendments.iter().enumerate() {
        let a = match Amendment::parse(doc.bytes) {
            Ok(a) => a,
            Err(e) => {
                unreadable(&mut r, doc, &e);
                return r;
            }
        };
        check_signature(&mut r, published.public_key, doc, &ann.draw_id);
        cites(
            &mut r,
            doc.name,
            "sheet",
            &sheet_digest.to_hex(),
            &a.sheet.to_hex(),
        );
        cites(
            &mut r,
            doc.name,
            "seq",
            &(i + 1).to_string(),
            &a.seq.to_string(),
        );
        cites(
            &mut r,
            doc.name,
            "previous",
            &prev.map(|d| d.to_hex()).unwrap_or_default(),
            &a.previous.map(|d| d.to_hex()).unwrap_or_default(),
        );
        if let Some(plan) = plan.or(inputs.map(|i| i.plan))
            && let amend::Action::ReplaceInspector { entity, .. } = &a.action
        {
            let before = amendments
                .iter()
                .filter(|b: &&Amendment| {
                    matches!(&b.action, amend::Action::ReplaceInspector { entity: e, .. } if e == entity)
                })
                .count() as u64;
            if before >= u64::from(plan.team.recusal_cap) {
                cites(
                    &mut r,
                    doc.name,
                    "action",
                    &format!(
                        "at most {} recusals for entity {entity}",
                        plan.team.recusal_cap
                    ),
                    &format!("recusal number {}", before + 1),
                );
            }
        }
        if let Some(last) = amendments.last()
            && a.amended_at < last.amended_at
        {
            cites(
                &mut r,
                doc.name,
                "amended_at",
                &format!("no earlier than {}", last.amended_at),
                &a.amended_at.to_string(),
            );
        }
        if a.amended_at < sheet.drawn_at {
            cites(
                &mut r,
                doc.name,
                "amended_at",
                &format!("no earlier than {}", sheet.drawn_at),
                &a.amended_at.to_string(),
            );
        }
        if !a.reason.code.fits(&a.action) {
            cites(
                &mut r,
                doc.name,
                "reason.code",
                "a reason of the action's kind",
                &format!("{:?}", a.reason.code),
            );
        }
        prev = Some(Digest32::of(doc.bytes));
        amendments.push(a);
    }
    if let Some(inputs) = inputs {
        replay(&mut r, &ann, &sheet, &amendments, published, inputs);
    }
    r
}

fn check_quotas(r: &mut Report, ann: &Announcement, sheet: &Sheet, plan: &Plan) {
    r.checked
        .push("each stratum's k against the plan's quota for its n".into());
    match plan_digest(plan) {
        Ok(d) if d != ann.inputs.plan => r.findings.push(Finding::InputChanged {
            input: "plan".into(),
            announced: ann.inputs.plan,
            found: d,
        }),
        _ => {}
    }
    let labels: Vec<String> = plan
        .strata_labels()
        .iter()
        .map(|s| s.label().to_string())
        .collect();
    let found: Vec<String> = sheet.strata.iter().map(|s| s.stratum.clone()).collect();
    if labels != found {
        r.findings.push(Finding::Stratum {
            stratum: found.join(","),
            field: "present",
            expected: labels.join(","),
            found: found.join(","),
        });
    }
    for s in &sheet.strata {
        if let Some(q) = Stratum::parse(&s.stratum).and_then(|st| plan.quota(st)) {
            let k = q.count_for(s.n);
            if k != s.k {
                r.findings.push(Finding::Stratum {
                    stratum: s.stratum.clone(),
                    field: "k",
                    expected: k.to_string(),
                    found: s.k.to_string(),
                });
            }
        }
    }
    let total: u64 = sheet.strata.iter().map(|s| s.k).sum();
    if total != sheet.entities.len() as u64 {
        r.findings.push(Finding::Differs {
            document: "sheet".into(),
            part: "number of entities (Σ k)",
        });
    }
}

fn replay(
    r: &mut Report,
    ann: &Announcement,
    sheet: &Sheet,
    amendments: &[Amendment],
    published: &Published<'_>,
    inputs: &DrawInputs<'_>,
) {
    r.checked
        .push("input digests against the announcement".into());
    match super::announce::InputDigests::of(inputs) {
        Ok(found) => {
            for (name, announced, got) in ann.inputs.differences(&found) {
                r.findings.push(Finding::InputChanged {
                    input: name.to_string(),
                    announced,
                    found: got,
                });
            }
        }
        Err(e) => r.findings.push(Finding::ReplayFailed {
            detail: e.to_string(),
        }),
    }
    if r.findings
        .iter()
        .any(|f| matches!(f, Finding::InputChanged { .. }))
    {
        // A replay on other inputs would only repeat the same finding at every entity.
        return;
    }
    r.checked.push("full replay of the draw".into());
    let ann_digest = Digest32::of(published.announcement.bytes);
    let result = match draw::run(inputs, &sheet.seed) {
        Ok(x) => x,
        Err(e) => {
            r.findings.push(Finding::ReplayFailed {
                detail: e.to_string(),
            });
            return;
        }
    };
    let expected = sheet::build(
        ann,
        &ann_digest,
        &sheet.reveals,
        sheet.beacon.as_ref(),
        sheet.seed,
        sheet.drawn_at,
        sheet.log,
        inputs,
        &result,
    );
    compare_sheets(r, &expected, sheet, published.sheet.name);
    for (i, a) in amendments.iter().enumerate() {
        let doc = &published.amendments[i];
        r.checked.push(format!("replay of {}", doc.name));
        match amend::amend(
            sheet,
            &amendments[..i],
            a.action.clone(),
            a.reason.clone(),
            inputs,
            a.amended_at,
            a.log,
        ) {
            Ok(want) => {
                if want.outcome != a.outcome {
                    r.findings.push(Finding::Differs {
                        document: doc.name.to_string(),
                        part: "outcome",
                    });
                } else if want != *a {
                    r.findings.push(Finding::Differs {
                        document: doc.name.to_string(),
                        part: "inspectors or citations",
                    });
                }
            }
            Err(e) => r.findings.push(Finding::ReplayFailed {
                detail: format!("{}: {e}", doc.name),
            }),
        }
    }
}

fn compare_sheets(r: &mut Report, want: &Sheet, got: &Sheet, name: &str) {
    for w in &want.strata {
        match got.strata.iter().find(|g| g.stratum == w.stratum) {
            None => r.findings.push(Finding::Stratum {
                stratum: w.stratum.clone(),
                field: "present",
                expected: "present".into(),
                found: "missing".into(),
            }),
            Some(g) => {
                for (field, a, b) in [
                    ("n", w.n.to_string(), g.n.to_string()),
                    ("k", w.k.to_string(), g.k.to_string()),
                    (
                        "members_digest",
                        w.members_digest.to_hex(),
                        g.members_digest.to_hex(),
                    ),
                ] {
                    if a != b {
                        r.findings.push(Finding::Stratum {
                            stratum: w.stratum.clone(),
                            field,
                            expected: a,
                            found: b,
                        });
                    }
                }
            }
        }
    }
    for g in &got.strata {
        if !want.strata.iter().any(|w| w.stratum == g.stratum) {
            r.findings.push(Finding::Stratum {
                stratum: g.stratum.clone(),
                field: "present",
                expected: "absent".into(),
                found: "present".into(),
            });
        }
    }
    // By id, so that a sheet of hundreds of thousands of entities is compared in linear time;
    // an id listed twice is compared by its first row, as a search from the top would.
    let mut got_by_id = std::collections::HashMap::with_capacity(got.entities.len());
    for g in &got.entities {
        got_by_id.entry(g.id.as_str()).or_insert(g);
    }
    let want_ids: std::collections::HashSet<&str> =
        want.entities.iter().map(|w| w.id.as_str()).collect();
    for w in &want.entities {
        match got_by_id.get(w.id.as_str()) {
            None => r.findings.push(Finding::EntityMissing { id: w.id.clone() }),
            Some(g) => {
                for (field, a, b) in [
                    ("name", w.name.clone(), g.name.clone()),
                    ("officers", w.officers.join(","), g.officers.join(",")),
                    ("experts", w.experts.join(","), g.experts.join(",")),
                    (
                        "stratum",
                        w.stratum.clone().unwrap_or_default(),
                        g.stratum.clone().unwrap_or_default(),
                    ),
                ] {
                    if a != b {
                        r.findings.push(Finding::EntityField {
                            id: w.id.clone(),
                            field,
                            expected: a,
                            found: b,
                        });
                    }
                }
            }
        }
    }
    for g in &got.entities {
        if !want_ids.contains(g.id.as_str()) {
            r.findings.push(Finding::EntityExtra { id: g.id.clone() });
        }
    }
    for (part, same) in [
        ("excluded", want.excluded == got.excluded),
        ("pools", want.pools == got.pools),
        ("inspectors", want.inspectors == got.inspectors),
        (
            "entity order",
            want.entities == got.entities
                || r.findings.iter().any(|f| {
                    matches!(
                        f,
                        Finding::EntityField { .. }
                            | Finding::EntityMissing { .. }
                            | Finding::EntityExtra { .. }
                    )
                }),
        ),
    ] {
        if !same {
            r.findings.push(Finding::Differs {
                document: name.to_string(),
                part,
            });
        }
    }
    if r.findings.is_empty() && want != got {
        r.findings.push(Finding::Differs {
            document: name.to_string(),
            part: "other fields",
        });
    }
}

/// Replays one stratum from its member list alone (SPEC §13.2).
///
/// Checks the list against the sheet's member digest and n, and returns the picks, which
/// the caller finds on the sheet. Needs neither the inspector roster nor other strata.
///
/// ```
/// use double_random::{ceremony::verify::replay_stratum, digest::Digest32,
///     draw::entities::members_digest, model::Stratum};
/// let ids: Vec<String> = (0..10).map(|i| format!("E{i}")).collect();
/// let d = members_digest(Stratum::All, &ids);
/// let picks = replay_stratum(&Digest32([1; 32]), "all", &ids, 10, 3, &d).unwrap();
/// assert_eq!(picks.len(), 3);
/// ```
pub fn replay_stratum(
    seed: &Digest32,
    label: &str,
    member_ids: &[String],
    n: u64,
    k: u64,
    digest: &Digest32,
) -> Result<Vec<String>, Finding> {
    let stratum = Stratum::parse(label).ok_or_else(|| Finding::Stratum {
        stratum: label.to_string(),
        field: "present",
        expected: "a known stratum label".into(),
        found: label.to_string(),
    })?;
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() as u64 != n {
        return Err(Finding::Stratum {
            stratum: label.to_string(),
            field: "n",
            expected: n.to_string(),
            found: ids.len().to_string(),
        });
    }
    let d = members_digest(stratum, &ids);
    if &d != digest {
        return Err(Finding::Stratum {
            stratum: label.to_string(),
            field: "members_digest",
            expected: digest.to_hex(),
            found: d.to_hex(),
        });
    }
    Ok(continue_stratum(seed, stratum, &ids, 0, k))
}

/// How the announcement's time before the beacon is known (SPEC §8.5, §13.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeProof {
    /// No beacon: time does not protect this draw.
    NoBeacon,
    /// No timestamp token: `announced_at` is the office's own claim.
    OfficeClaim,
    /// A token was found but no trusted TSA certificate was named: not proven.
    NotChecked,
    /// Proven by a timestamp token checked against a named TSA certificate.
    Proven {
        /// The TSA's certificate subject.
        tsa: String,
        /// The token's time.
        gen_time: super::Timestamp,
    },
    /// The token does not prove it (invalid, untrusted, or too late): a finding.
    Failed {
        /// Why.
        reason: String,
    },
}

/// Another draw of the same task, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Sibling {
    /// Its draw id.
    pub draw_id: String,
    /// Its state in the log.
    pub state: super::log::DrawState,
    /// Its void's reason code, when voided and its void was read.
    pub void_reason: Option<super::void::VoidCode>,
}

/// What the office log says about this draw's task (SPEC §12.4).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LogTrust {
    /// Other draws of the task, in log order.
    pub siblings: Vec<Sibling>,
    /// Whether this draw's announcement supersedes a void.
    pub supersedes: bool,
}

/// What stops the office from choosing this result, and what does not (SPEC §13.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TrustSummary {
    /// Witnesses that committed.
    pub witnesses: Vec<String>,
    /// The beacon, in words (chain and round, or the external description), with its time.
    pub beacon: Option<(String, super::Timestamp)>,
    /// How the announcement's time before the beacon is known.
    pub time: TimeProof,
    /// Whether anything but the office contributed randomness.
    pub independent: bool,
    /// The log's account; `None` when the log was not checked.
    pub log: Option<LogTrust>,
    /// Entity replacements by reason code.
    pub replacements: Vec<(amend::ReasonCode, u64)>,
    /// Recusals by reason code.
    pub recusals: Vec<(amend::ReasonCode, u64)>,
}

impl TrustSummary {
    /// The summary of an announcement and its amendments; `time` and `log` come from the
    /// checks the caller could make.
    pub fn of(
        ann: &Announcement,
        amendments: &[Amendment],
        time: TimeProof,
        log: Option<LogTrust>,
    ) -> Self {
        use super::beacon::BeaconSpec;
        let beacon = ann.beacon.as_ref().map(|b| {
            let words = match b {
                BeaconSpec::Drand {
                    chain_hash, round, ..
                } => {
                    let name =
                        super::beacon::DrandChain::known(&chain_hash.0).map_or("drand", |c| c.name);
                    format!("drand {name} round {round}")
                }
                BeaconSpec::External { description, .. } => description.clone(),
            };
            let t = b
                .time()
                .ok()
                .and_then(super::Timestamp::from_unix)
                .unwrap_or(ann.announced_at);
            (words, t)
        });
        let mut replacements: BTreeMap<amend::ReasonCode, u64> = BTreeMap::new();
        let mut recusals: BTreeMap<amend::ReasonCode, u64> = BTreeMap::new();
        for a in amendments {
            let m = match a.action {
                amend::Action::ReplaceEntity { .. } => &mut replacements,
                amend::Action::ReplaceInspector { .. } => &mut recusals,
            };
            *m.entry(a.reason.code).or_default() += 1;
        }
        TrustSummary {
            witnesses: ann
                .parties
                .iter()
                .filter(|p| p.role == super::commit::Role::Witness)
                .map(|p| p.name.clone())
                .collect(),
            beacon,
            time: if ann.beacon.is_none() {
                TimeProof::NoBeacon
            } else {
                time
            },
            independent: ann.has_independent_randomness(),
            log,
            replacements: replacements.into_iter().collect(),
            recusals: recusals.into_iter().collect(),
        }
    }
}
