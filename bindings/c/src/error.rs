//! Errors of the ABI: a stable status number for the kind, a stable code string for the cause,
//! and the cause's structured fields, all serialized as one JSON object.

use crate::library::{
    CeremonyError, Finding, InputErrors, LogFinding, PlanErrors, SignError, StepError,
};
use serde_json::{Map, Value, json};

/// The status every entry point returns: 0 for success, otherwise the kind of failure.
///
/// The numbers are stable: a binding may switch on them. The error JSON says more.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrStatus {
    /// Success.
    Ok = 0,
    /// A bad argument: a null pointer, text that is not UTF-8, a request that is not the JSON
    /// the function reads, a malformed hex value or time.
    Argument = 1,
    /// The rosters or the plan were refused (each problem with file, line and field).
    Input = 2,
    /// A ceremony step was refused by the ceremony's rules or the log.
    Refused = 3,
    /// A key could not be read or a signature made.
    Key = 4,
    /// A stratum's member list does not match the sheet (replay of one stratum).
    Replay = 5,
    /// The office holds no such document.
    NotFound = 6,
    /// A bug: the library panicked. Nothing was published.
    Internal = 7,
}

/// An error of the ABI: its status and its JSON.
#[derive(Debug)]
pub struct Error {
    /// The kind.
    pub status: DrStatus,
    /// The stable code of the cause (e.g. `step.not_yet_due`, `sign.bad_password`).
    pub code: String,
    /// A message in English, for logs.
    pub message: String,
    /// The cause's structured fields.
    pub fields: Map<String, Value>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// An error with no fields.
    pub fn new(status: DrStatus, code: &str, message: impl Into<String>) -> Error {
        Error {
            status,
            code: code.to_string(),
            message: message.into(),
            fields: Map::new(),
        }
    }

    /// Adds a field.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Error {
        self.fields.insert(name.to_string(), value.into());
        self
    }

    /// The JSON the ABI hands back: `{"status", "code", "message", "fields"}`.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "status": self.status as i32,
            "code": self.code,
            "message": self.message,
            "fields": self.fields,
        }))
        .unwrap_or_else(|_| br#"{"status":7,"code":"internal.json"}"#.to_vec())
    }

    /// A request that is not the JSON expected.
    pub fn json(what: &str, e: &serde_json::Error) -> Error {
        Error::new(DrStatus::Argument, "argument.json", format!("{what}: {e}"))
            .with("argument", what)
            .with("line", e.line())
            .with("column", e.column())
    }

    /// A missing document of the office.
    pub fn not_found(draw_id: &str, name: &str) -> Error {
        Error::new(
            DrStatus::NotFound,
            "office.missing_document",
            format!("{draw_id}/{name}: not in the office"),
        )
        .with("draw_id", draw_id)
        .with("document", name)
    }

    /// A panic caught at the boundary.
    pub fn panic() -> Error {
        Error::new(
            DrStatus::Internal,
            "internal.panic",
            "the library panicked; nothing was published",
        )
    }
}

impl From<SignError> for Error {
    fn from(e: SignError) -> Error {
        Error::new(DrStatus::Key, e.code(), e.to_string())
    }
}

/// The fields of a log finding.
fn log_fields(f: &LogFinding) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(l) = f.line() {
        m.insert("line".into(), l.into());
    }
    m
}

/// A finding of verification as the ABI's JSON: `{"code", "fields"}` (docs/MESSAGES.md).
pub fn finding_json(f: &Finding) -> Value {
    let fields: Map<String, Value> = f
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v)))
        .collect();
    json!({ "code": f.code(), "fields": fields, "message": f.to_string() })
}

impl From<Finding> for Error {
    fn from(f: Finding) -> Error {
        let v = finding_json(&f);
        let mut e = Error::new(DrStatus::Replay, f.code(), f.to_string());
        if let Some(m) = v["fields"].as_object() {
            e.fields = m.clone();
        }
        e
    }
}

fn ceremony(e: &CeremonyError) -> Error {
    Error::new(DrStatus::Refused, e.code(), e.to_string())
}

impl From<StepError> for Error {
    fn from(e: StepError) -> Error {
        let message = e.to_string();
        let refused = |code: &str| Error::new(DrStatus::Refused, code, message.clone());
        match &e {
            StepError::Document { name, source } => {
                let mut out = ceremony(source);
                out.message = message;
                out.with("document", name.clone())
            }
            StepError::Damaged(f) | StepError::Log(f) => {
                let mut out = refused(f.code());
                out.fields = log_fields(f);
                out
            }
            StepError::State { draw_id, state } => refused("step.state")
                .with("draw_id", draw_id.clone())
                .with("state", state.to_string()),
            StepError::NotYetDue { scheduled_at, now } => refused("step.not_yet_due")
                .with("scheduled_at", scheduled_at.to_string())
                .with("now", now.to_string()),
            StepError::UnknownParty { party } => {
                refused("step.unknown_party").with("party", party.clone())
            }
            StepError::MissingReveal { party, .. } => {
                refused("step.missing_reveal").with("party", party.clone())
            }
            StepError::Unsigned { name } => refused("step.unsigned").with("document", name.clone()),
            StepError::Sign { name, source } => {
                let mut out = Error::from(source.clone());
                out.message = message;
                out.with("document", name.clone())
            }
            StepError::Exists { name } => refused("step.exists").with("document", name.clone()),
            StepError::AlreadyDrawn { name } => {
                refused("step.already_drawn").with("document", name.clone())
            }
            StepError::BadName(n) => Error::new(DrStatus::Argument, "name.invalid", message)
                .with("value", n.value.clone()),
            StepError::Jcs(_) => Error::new(DrStatus::Internal, "internal.jcs", message),
            _ => refused("step.other"),
        }
    }
}

/// Roster problems: each with file, line, field and message.
pub fn roster_errors(e: &InputErrors) -> Vec<Value> {
    let mut out: Vec<Value> = e
        .errors
        .iter()
        .map(|p| {
            json!({
                "file": p.file,
                "line": p.line,
                "field": p.field.as_ref().map(|f| f.name),
                "header": p.field.as_ref().map(|f| f.header.clone()),
                "message": p.kind.to_string(),
                "text": p.to_string(),
            })
        })
        .collect();
    if e.omitted > 0 {
        out.push(json!({ "omitted": e.omitted }));
    }
    out
}

/// Plan problems: each with file, line, field and message.
pub fn plan_errors(e: &PlanErrors) -> Vec<Value> {
    e.errors
        .iter()
        .map(|p| {
            json!({
                "file": p.file,
                "line": p.line,
                "field": p.field,
                "message": p.kind.to_string(),
                "text": p.to_string(),
            })
        })
        .collect()
}
