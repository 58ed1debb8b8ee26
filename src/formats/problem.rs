//! One problem with the inputs of a draw: the files a ceremony reads, their rosters and plan.

use crate::draw::DrawError;
use crate::formats::error::InputError;
use crate::formats::plan_toml::PlanError;
use std::path::PathBuf;

/// One problem with the inputs of a draw, with its place.
///
/// Roster problems keep the reader's structured error (file, line, field, kind); the others say
/// which file they concern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputProblem {
    /// A required input file is absent.
    #[error("{}: missing: {what}", path.display())]
    Missing {
        /// The path looked for (or, for an input found by name, the folder and name).
        path: PathBuf,
        /// Which input.
        what: &'static str,
    },
    /// Both `name.csv` and `name.xlsx` are present, so which one is meant is unclear.
    #[error("{} and {} are both present: keep one", csv.display(), xlsx.display())]
    Ambiguous {
        /// The CSV file.
        csv: PathBuf,
        /// The workbook.
        xlsx: PathBuf,
    },
    /// An input file's extension is neither `.csv` nor `.xlsx` (or `.toml` for the plan).
    #[error("{}: unsupported file type; use .csv{}", path.display(), if *xlsx_allowed { " or .xlsx" } else { "" })]
    UnsupportedType {
        /// The file.
        path: PathBuf,
        /// Whether a workbook would be accepted here.
        xlsx_allowed: bool,
    },
    /// A file could not be read.
    #[error("{message}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The error.
        message: String,
    },
    /// A problem in a roster file, at a line and field.
    #[error(transparent)]
    Roster(InputError),
    /// More roster problems were found than kept.
    #[error("{file}: … and {count} more problems")]
    Omitted {
        /// The file.
        file: String,
        /// How many more.
        count: u64,
    },
    /// A problem in the plan file, at a line and field.
    #[error(transparent)]
    Plan(PlanError),
    /// A roster lacks a column that the plan uses (SPEC §3.3): without it every row would have
    /// the field's default and the plan's rule would silently admit or refuse everyone.
    #[error("{file}: no column {field} ({}), which the plan's {plan_field} needs; add it to the {table} file", headers.join(", "))]
    NeededColumn {
        /// The roster file.
        file: String,
        /// Its table.
        table: crate::formats::roster::Table,
        /// The missing field's canonical name.
        field: &'static str,
        /// The headers that name it.
        headers: Vec<&'static str>,
        /// The plan setting that needs it.
        plan_field: &'static str,
    },
    /// The inputs are each valid but do not fit together (an item missing from the item list,
    /// a risk class without a quota, an empty inspector pool).
    #[error("{file}: {error}")]
    Draw {
        /// The file to change (usually the plan).
        file: String,
        /// Why.
        error: DrawError,
    },
}
