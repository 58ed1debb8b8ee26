//! The safe Rust layer of the ABI: what each C function does, with Rust types.
//!
//! The C functions (`crate::ffi`) only turn pointers into slices, call these, and hand the
//! result or the error back as bytes; the Python binding calls these directly. Requests and
//! results are JSON; documents are their canonical JSON bytes, carried as strings.

use crate::error::{DrStatus, Error, finding_json, plan_errors, roster_errors};
use crate::library::{
    Action, AmendStep, Amendment, AnnounceStep, BeaconSpec, BeaconValue, Conflict, Digest32,
    DrawInputs, DrawStep, Entity, HistoryRecord, InputDigests, Inspector, Item, KeyId, Made, Plan,
    PublicKey, Published, Reason, Records, SHEET_FILE, Secret, SecretKey, SignedDocument, Stored,
    Table, Timestamp, TimestampError, VoidReason, VoidStep, amendment_file, commitment, draw, log,
    needed_fields, read_plan, roster_csv, signature_file, steps, verify,
};
use serde::{Deserialize, Deserializer, de::DeserializeOwned};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// The library's version and the ABI's, e.g. `double-random-ffi 0.1.0 (abi 1)`.
pub const VERSION: &str = concat!("double-random-ffi ", env!("CARGO_PKG_VERSION"), " (abi 1)");

/// The version of the ABI: raised when a function's signature or a JSON shape changes.
pub const ABI_VERSION: u32 = 1;

/// A secret given as 64 hex digits, read without copying the text and wiped when dropped.
struct SecretHex(Secret);

impl<'de> Deserialize<'de> for SecretHex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <&str>::deserialize(d)?;
        Secret::from_hex(text)
            .map(SecretHex)
            .map_err(|_| serde::de::Error::custom("a secret is 64 hex digits"))
    }
}

fn request<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::json(what, &e))
}

fn time(field: &str, text: &str) -> Result<Timestamp, Error> {
    text.parse().map_err(|e: TimestampError| {
        Error::new(DrStatus::Argument, "argument.time", e.to_string()).with("field", field)
    })
}

fn to_json(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// The six input files as bytes: the rosters as CSV (UTF-8 or GB18030, Chinese or English
/// headers, as the library reads them) and the plan as TOML. Absent conflicts or history are
/// the empty tables.
#[derive(Clone, Copy, Debug, Default)]
pub struct InputFiles<'a> {
    /// `entities.csv`.
    pub entities: &'a [u8],
    /// `inspectors.csv`.
    pub inspectors: &'a [u8],
    /// `items.csv`.
    pub items: &'a [u8],
    /// `conflicts.csv`, if any.
    pub conflicts: Option<&'a [u8]>,
    /// `history.csv`, if any.
    pub history: Option<&'a [u8]>,
    /// `plan.toml`.
    pub plan: &'a [u8],
}

/// Checked inputs of a draw, held for the steps that need them (announce, draw, amend, verify).
/// Immutable once made: one value may serve several threads.
#[derive(Debug)]
pub struct Inputs {
    plan: Plan,
    entities: Vec<Entity>,
    inspectors: Vec<Inspector>,
    items: Vec<Item>,
    conflicts: Vec<Conflict>,
    history: Vec<HistoryRecord>,
    digests: InputDigests,
    report: Vec<u8>,
}

/// The error of inputs with `problems`, each with its file, line and field.
fn invalid(problems: Vec<Value>) -> Error {
    Error::new(
        DrStatus::Input,
        "input.invalid",
        format!("{} problem(s) in the inputs", problems.len()),
    )
    .with("problems", problems)
}

impl Inputs {
    /// Reads and checks the inputs: every problem of every file at once, then whether they fit
    /// the plan. The report (JSON: digests, row counts, warnings) is [`Inputs::report`].
    pub fn load(files: &InputFiles<'_>) -> Result<Inputs, Error> {
        let mut problems: Vec<Value> = vec![];
        let mut warnings: Vec<Value> = vec![];
        // The columns each file lacks, for the plan's needed columns (SPEC §3.3).
        let mut absent: Vec<(Table, &'static str, Vec<&'static str>)> = vec![];
        macro_rules! table {
            ($read:path, $name:literal, $bytes:expr) => {
                match $read($name, $bytes) {
                    Ok(r) => {
                        warnings.extend(r.warnings.iter().map(|w| json!(w.to_string())));
                        absent.push((r.table, $name, r.columns.absent.clone()));
                        Some(r.rows)
                    }
                    Err(e) => {
                        problems.extend(roster_errors(&e));
                        None
                    }
                }
            };
        }
        let entities = table!(roster_csv::read_entities, "entities.csv", files.entities);
        let inspectors = table!(
            roster_csv::read_inspectors,
            "inspectors.csv",
            files.inspectors
        );
        let items = table!(roster_csv::read_items, "items.csv", files.items);
        let conflicts = match files.conflicts {
            Some(b) => table!(roster_csv::read_conflicts, "conflicts.csv", b),
            None => Some(vec![]),
        };
        let history = match files.history {
            Some(b) => table!(roster_csv::read_history, "history.csv", b),
            None => Some(vec![]),
        };
        let plan = match std::str::from_utf8(files.plan) {
            Ok(text) => match read_plan("plan.toml", text) {
                Ok(p) => Some(p),
                Err(e) => {
                    problems.extend(plan_errors(&e));
                    None
                }
            },
            Err(_) => {
                problems.push(json!({"file": "plan.toml", "line": 0, "field": null,
                    "message": "not UTF-8 text; save the plan as UTF-8"}));
                None
            }
        };
        // A roster without a column the plan reads would give every row the field's default, and
        // the plan's rule would silently admit or refuse everyone: refused, as `check` and
        // `announce` refuse it.
        if let (Some(plan), Some(items)) = (&plan, &items) {
            for n in needed_fields(plan, items) {
                if let Some((_, file, _)) = absent
                    .iter()
                    .find(|(t, _, a)| *t == n.table && a.contains(&n.field))
                {
                    problems.push(json!({
                        "file": file, "line": 0, "field": n.field, "code": "input.needed_column",
                        "plan_field": n.plan_field,
                        "message": format!(
                            "no column {}, which the plan's {} needs; add it to the {} file",
                            n.field, n.plan_field, file
                        ),
                    }));
                }
            }
        }
        let (
            Some(entities),
            Some(inspectors),
            Some(items),
            Some(conflicts),
            Some(history),
            Some(plan),
        ) = (entities, inspectors, items, conflicts, history, plan)
        else {
            return Err(invalid(problems));
        };
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let di = DrawInputs {
            plan: &plan,
            entities: &entities,
            inspectors: &inspectors,
            items: &items,
            conflicts: &conflicts,
            history: &history,
        };
        let fit = draw::general_cap(di.plan, di.items)
            .and_then(|_| draw::population(&di))
            .and_then(|_| draw::teams::pools(di.plan, di.items));
        if let Err(e) = fit {
            return Err(
                Error::new(DrStatus::Input, "input.draw", e.to_string()).with("file", "plan.toml")
            );
        }
        let digests = InputDigests::of(&di)
            .map_err(|e| Error::new(DrStatus::Internal, "internal.jcs", e.to_string()))?;
        let report = to_json(&json!({
            "digests": digests,
            "plan": { "plan_id": plan.plan_id, "task_id": plan.task_id },
            "warnings": warnings,
        }));
        Ok(Inputs {
            plan,
            entities,
            inspectors,
            items,
            conflicts,
            history,
            digests,
            report,
        })
    }

    /// The check's report: `{"digests": {...}, "plan": {...}, "warnings": [...]}`.
    pub fn report(&self) -> &[u8] {
        &self.report
    }

    fn draw_inputs(&self) -> DrawInputs<'_> {
        DrawInputs {
            plan: &self.plan,
            entities: &self.entities,
            inspectors: &self.inspectors,
            items: &self.items,
            conflicts: &self.conflicts,
            history: &self.history,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/// The organizer's signing key, wiped from memory when dropped.
pub struct Key(SecretKey);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.0.key_id())
    }
}

impl Key {
    /// A key from its 8-byte id and 32-byte Ed25519 seed (tests, and keys kept in an HSM-less
    /// vault as raw seeds).
    pub fn from_seed(key_id: [u8; 8], seed: &[u8; 32]) -> Key {
        Key(SecretKey::from_seed(KeyId(key_id), seed))
    }

    /// A key from a minisign secret key file's text, with its password if it is encrypted.
    pub fn from_minisign(text: &str, password: Option<&[u8]>) -> Result<Key, Error> {
        Ok(Key(match password {
            Some(p) => SecretKey::parse_with_password(text, p)?,
            None => SecretKey::parse(text)?,
        }))
    }

    /// `{"key_id": "…", "public_key": "<minisign .pub text>"}`.
    pub fn public(&self) -> Vec<u8> {
        to_json(&json!({
            "key_id": self.0.key_id().to_string(),
            "public_key": self.0.public_key().to_minisign(),
        }))
    }
}

// ---------------------------------------------------------------------------------------------
// The office: an in-memory store of the log and the published documents
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Store {
    docs: BTreeMap<(String, String), Vec<u8>>,
    log: Vec<u8>,
}

impl Records for Store {
    fn document(&self, draw_id: &str, name: &str) -> Option<Vec<u8>> {
        self.docs
            .get(&(draw_id.to_string(), name.to_string()))
            .cloned()
    }
    fn has(&self, draw_id: &str, name: &str) -> bool {
        self.docs
            .contains_key(&(draw_id.to_string(), name.to_string()))
    }
}

impl Store {
    fn bytes(&self, draw_id: &str, name: &str) -> Result<&[u8], Error> {
        self.docs
            .get(&(draw_id.to_string(), name.to_string()))
            .map(Vec::as_slice)
            .ok_or_else(|| Error::not_found(draw_id, name))
    }

    fn text(&self, draw_id: &str, name: &str) -> Result<&str, Error> {
        std::str::from_utf8(self.bytes(draw_id, name)?).map_err(|_| {
            Error::new(
                DrStatus::Argument,
                "argument.utf8",
                format!("{name}: not UTF-8"),
            )
            .with("document", name)
        })
    }

    fn stored(&self, draw_id: &str, name: &str) -> Result<Stored<'_>, Error> {
        Ok(Stored {
            bytes: self.bytes(draw_id, name)?,
            signature: Some(self.text(draw_id, &signature_file(name))?),
        })
    }

    fn amendments(&self, draw_id: &str) -> Vec<String> {
        (1..)
            .map(amendment_file)
            .take_while(|n| self.has(draw_id, n))
            .collect()
    }

    /// Appends the entry, then stores the document and its signature and the signed checkpoint
    /// of the new log (SPEC §12.3, under the draw id `checkpoints`, as in an office folder);
    /// returns the result JSON.
    fn publish<T>(&mut self, made: &Made<T>, key: &SecretKey) -> Result<Vec<u8>, Error> {
        let draw_id = made.entry.draw_id.clone();
        let doc = &made.document;
        let sig_name = signature_file(&doc.name);
        for name in [&doc.name, &sig_name] {
            if self.has(&draw_id, name) {
                return Err(Error::new(
                    DrStatus::Refused,
                    "step.exists",
                    format!("{draw_id}/{name}: already exists; records are never overwritten"),
                )
                .with("document", name.as_str()));
            }
        }
        let line = made
            .entry
            .to_line()
            .map_err(crate::library::StepError::from)?;
        let mut log = self.log.clone();
        made.append_to(&mut log)?;
        let checkpoint = steps::checkpoint(&log::check(&log, false), key, made.entry.time)?;
        self.log = log;
        self.docs.insert(
            (CHECKPOINTS.to_string(), signature_file(&checkpoint.name)),
            checkpoint.signature.clone().into_bytes(),
        );
        self.docs.insert(
            (CHECKPOINTS.to_string(), checkpoint.name.clone()),
            checkpoint.bytes.clone(),
        );
        self.docs
            .insert((draw_id.clone(), doc.name.clone()), doc.bytes.clone());
        self.docs.insert(
            (draw_id.clone(), sig_name.clone()),
            doc.signature.clone().into_bytes(),
        );
        Ok(to_json(&json!({
            "draw_id": draw_id,
            "name": doc.name,
            "document": String::from_utf8_lossy(&doc.bytes),
            "signature_name": sig_name,
            "signature": doc.signature,
            "entry": String::from_utf8_lossy(&line),
            "checkpoint": {
                "name": checkpoint.name,
                "document": String::from_utf8_lossy(&checkpoint.bytes),
                "signature_name": signature_file(&checkpoint.name),
                "signature": checkpoint.signature,
            },
        })))
    }
}

/// The "draw id" under which the office keeps the log's signed checkpoints (the folder name an
/// office folder gives them).
pub const CHECKPOINTS: &str = "checkpoints";

/// An office in memory: the log and the documents published so far, by draw id and file name.
///
/// Each step reads it and, when the step succeeds, publishes into it (document, signature,
/// log entry) and returns what it published, for the caller's own storage. All access is
/// behind one lock: steps on one office run one after another, from any thread.
#[derive(Default)]
pub struct Office(Mutex<Store>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Witness {
    name: String,
    commitment: Digest32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnounceRequest {
    draw_id: String,
    organizer: String,
    organizer_secret: SecretHex,
    #[serde(default)]
    witnesses: Vec<Witness>,
    #[serde(default)]
    beacon: Option<BeaconSpec>,
    announced_at: String,
    scheduled_at: String,
    #[serde(default)]
    drill: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevealRequest {
    name: String,
    secret: SecretHex,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DrawRequest {
    draw_id: String,
    reveals: Vec<RevealRequest>,
    #[serde(default)]
    beacon: Option<BeaconValue>,
    drawn_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendRequest {
    draw_id: String,
    action: Action,
    reason: Reason,
    amended_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidRequest {
    draw_id: String,
    reason: VoidReason,
    voided_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    draw_id: String,
    public_key: String,
    #[serde(default)]
    strict: bool,
}

impl Office {
    /// An empty office (a first draw).
    pub fn new() -> Office {
        Office::default()
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic inside a step leaves the store as it was (it publishes last): go on.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the log with `bytes` (an office's `office.log` read back from storage).
    /// Steps refuse to append to a damaged log.
    pub fn set_log(&self, bytes: &[u8]) {
        self.lock().log = bytes.to_vec();
    }

    /// The log's bytes.
    pub fn log(&self) -> Vec<u8> {
        self.lock().log.clone()
    }

    /// Loads a published document (or signature) read back from storage. Documents are never
    /// overwritten.
    pub fn put(&self, draw_id: &str, name: &str, bytes: &[u8]) -> Result<(), Error> {
        let mut s = self.lock();
        let k = (draw_id.to_string(), name.to_string());
        if s.docs.contains_key(&k) {
            return Err(Error::new(
                DrStatus::Refused,
                "step.exists",
                format!("{draw_id}/{name}: already exists; records are never overwritten"),
            )
            .with("document", name));
        }
        s.docs.insert(k, bytes.to_vec());
        Ok(())
    }

    /// A document's bytes.
    pub fn get(&self, draw_id: &str, name: &str) -> Result<Vec<u8>, Error> {
        self.lock().bytes(draw_id, name).map(<[u8]>::to_vec)
    }

    /// How many files (documents and signatures) the office holds.
    pub fn len(&self) -> usize {
        self.lock().docs.len()
    }

    /// Whether the office holds no file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every file the office holds, as `[[draw_id, name], …]` in order.
    pub fn list(&self) -> Vec<u8> {
        let s = self.lock();
        to_json(&json!(s.docs.keys().collect::<Vec<_>>()))
    }

    /// Announces a draw (SPEC §12): request `{"draw_id", "organizer", "organizer_secret",
    /// "witnesses": [{"name", "commitment"}], "beacon", "announced_at", "scheduled_at",
    /// "drill"}`.
    pub fn announce(&self, inputs: &Inputs, key: &Key, req: &[u8]) -> Result<Vec<u8>, Error> {
        let r: AnnounceRequest = request("announce request", req)?;
        let witnesses: Vec<(String, Digest32)> = r
            .witnesses
            .iter()
            .map(|w| (w.name.clone(), w.commitment))
            .collect();
        let mut s = self.lock();
        let made = steps::announce(
            &log::check(&s.log, false),
            &*s,
            &AnnounceStep {
                draw_id: &r.draw_id,
                plan: &inputs.plan,
                inputs: inputs.digests,
                key: &key.0,
                organizer: &r.organizer,
                organizer_secret: &r.organizer_secret.0,
                witnesses: &witnesses,
                beacon: r.beacon.as_ref(),
                announced_at: time("announced_at", &r.announced_at)?,
                scheduled_at: time("scheduled_at", &r.scheduled_at)?,
                drill: r.drill,
            },
        )?;
        s.publish(&made, &key.0)
    }

    /// Draws an announced draw: request `{"draw_id", "reveals": [{"name", "secret"}],
    /// "beacon", "drawn_at"}`, every party's secret among the reveals.
    pub fn draw(&self, inputs: &Inputs, key: &Key, req: &[u8]) -> Result<Vec<u8>, Error> {
        let r: DrawRequest = request("draw request", req)?;
        let reveals: Vec<(String, Secret)> = r
            .reveals
            .into_iter()
            .map(|x| (x.name, x.secret.0))
            .collect();
        let drawn_at = time("drawn_at", &r.drawn_at)?;
        let mut s = self.lock();
        let made = {
            let store = &*s;
            steps::draw(
                &log::check(&store.log, false),
                store,
                &DrawStep {
                    announcement: store.stored(&r.draw_id, steps::ANNOUNCEMENT_FILE)?,
                    key: &key.0,
                    reveals: &reveals,
                    beacon: r.beacon.as_ref(),
                    drawn_at,
                },
                &inputs.draw_inputs(),
            )?
        };
        s.publish(&made, &key.0)
    }

    /// Amends a drawn draw: request `{"draw_id", "action", "reason", "amended_at"}`.
    pub fn amend(&self, inputs: &Inputs, key: &Key, req: &[u8]) -> Result<Vec<u8>, Error> {
        let r: AmendRequest = request("amend request", req)?;
        let amended_at = time("amended_at", &r.amended_at)?;
        let mut s = self.lock();
        let made = {
            let store = &*s;
            let previous = store
                .amendments(&r.draw_id)
                .iter()
                .map(|n| {
                    Amendment::parse(store.bytes(&r.draw_id, n)?).map_err(|e| {
                        Error::new(DrStatus::Refused, e.code(), e.to_string())
                            .with("document", n.as_str())
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?;
            steps::amend(
                &log::check(&store.log, false),
                &AmendStep {
                    announcement: store.stored(&r.draw_id, steps::ANNOUNCEMENT_FILE)?,
                    sheet: store.stored(&r.draw_id, SHEET_FILE)?,
                    previous: &previous,
                    key: &key.0,
                    action: &r.action,
                    reason: &r.reason,
                    amended_at,
                },
                &inputs.draw_inputs(),
                &inputs.digests,
            )?
        };
        s.publish(&made, &key.0)
    }

    /// Voids an announced draw that has no sheet: request `{"draw_id", "reason", "voided_at"}`.
    pub fn void(&self, key: &Key, req: &[u8]) -> Result<Vec<u8>, Error> {
        let r: VoidRequest = request("void request", req)?;
        let voided_at = time("voided_at", &r.voided_at)?;
        let mut s = self.lock();
        let made = {
            let store = &*s;
            steps::void(
                &log::check(&store.log, false),
                store,
                &VoidStep {
                    announcement: store.stored(&r.draw_id, steps::ANNOUNCEMENT_FILE)?,
                    key: &key.0,
                    reason: &r.reason,
                    time: voided_at,
                },
            )?
        };
        s.publish(&made, &key.0)
    }

    /// Verifies a drawn draw (SPEC §13) against the organizer's public key, with the inputs for
    /// the full replay when given: request `{"draw_id", "public_key", "strict"}`. A failed
    /// verification is a result (`"passed": false`), not an error.
    pub fn verify(&self, inputs: Option<&Inputs>, req: &[u8]) -> Result<Vec<u8>, Error> {
        let r: VerifyRequest = request("verify request", req)?;
        let pk = PublicKey::parse(&r.public_key)?;
        let s = self.lock();
        let id = r.draw_id.as_str();
        let doc = |name: &'static str| -> Result<(&'static str, &[u8], &str), Error> {
            Ok((name, s.bytes(id, name)?, s.text(id, &signature_file(name))?))
        };
        let (an, ab, asig) = doc(steps::ANNOUNCEMENT_FILE)?;
        let (sn, sb, ssig) = doc(SHEET_FILE)?;
        let names = s.amendments(id);
        let mut amendments = vec![];
        for n in &names {
            amendments.push(SignedDocument {
                name: n,
                bytes: s.bytes(id, n)?,
                signature: s.text(id, &signature_file(n))?,
            });
        }
        let published = Published {
            public_key: &pk,
            announcement: SignedDocument {
                name: an,
                bytes: ab,
                signature: asig,
            },
            sheet: SignedDocument {
                name: sn,
                bytes: sb,
                signature: ssig,
            },
            amendments,
        };
        let di = inputs.map(Inputs::draw_inputs);
        let report = verify::verify(&published, inputs.map(|i| &i.plan), di.as_ref());
        let office_log = log::check(&s.log, r.strict);
        let checks: Vec<Value> = report
            .checked
            .iter()
            .map(|c| {
                let document = match c {
                    verify::Check::Signature { document }
                    | verify::Check::AmendmentReplay { document } => Some(document.as_str()),
                    _ => None,
                };
                json!({
                    "code": c.code(),
                    "document": document,
                    "passed": !report.findings.iter().any(|f| c.fails(f)),
                })
            })
            .collect();
        let log_findings: Vec<Value> = office_log
            .findings
            .iter()
            .map(|f| json!({ "code": f.code(), "line": f.line(), "message": f.to_string() }))
            .collect();
        Ok(to_json(&json!({
            "draw_id": id,
            "passed": report.passed() && log_findings.is_empty(),
            "replayed": inputs.is_some(),
            "checks": checks,
            "findings": report.findings.iter().map(finding_json).collect::<Vec<_>>(),
            "log_findings": log_findings,
        })))
    }
}

// ---------------------------------------------------------------------------------------------
// Stateless helpers
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitRequest {
    draw_id: String,
    party: String,
    secret: SecretHex,
}

/// A party's commitment to its secret (SPEC §7): request `{"draw_id", "party", "secret"}`,
/// result `{"commitment"}`. Witnesses compute it on their own machines.
pub fn commit(req: &[u8]) -> Result<Vec<u8>, Error> {
    let r: CommitRequest = request("commitment request", req)?;
    let c = commitment(&r.draw_id, &r.party, &r.secret.0);
    Ok(to_json(&json!({ "commitment": c })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayRequest {
    seed: Digest32,
    stratum: String,
    members: Vec<String>,
    n: u64,
    k: u64,
    members_digest: Digest32,
}

/// Replays one stratum from its member list alone (SPEC §13.2): request `{"seed", "stratum",
/// "members", "n", "k", "members_digest"}` (the sheet's values), result `{"picks": [...]}`.
pub fn replay_stratum(req: &[u8]) -> Result<Vec<u8>, Error> {
    let r: ReplayRequest = request("replay request", req)?;
    let picks =
        verify::replay_stratum(&r.seed, &r.stratum, &r.members, r.n, r.k, &r.members_digest)?;
    Ok(to_json(&json!({ "picks": picks })))
}

#[cfg(test)]
mod tests;
