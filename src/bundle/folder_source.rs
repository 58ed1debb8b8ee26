//! The inputs of a draw folder as a [`DrawSource`]: streamed when they are plain CSV files.

use super::*;
use crate::ceremony::source::{DrawSource, SourceDraw, SourceError};
use crate::pipeline::{self, PipelineError, RosterFiles};
use std::cell::RefCell;

/// What the outputs of a draw need from its inputs: the plan, the item list, the inspector
/// roster and the rows of the entities the sheet names, never the whole entity roster.
///
/// [`draw()`] and [`amend()`] give it with their documents, for the publication views
/// (`sheet.csv`, the notice) and for what a caller shows.
#[derive(Debug, Clone)]
pub struct DrawnInputs {
    /// The plan.
    pub plan: Plan,
    /// The item list.
    pub items: Vec<Item>,
    /// The inspector roster.
    pub inspectors: Vec<Inspector>,
    /// The rows of the entities the sheet (and its amendments) name, in ascending id order.
    pub entities: Vec<Entity>,
    /// Every digest the announcement committed to, as read.
    pub digests: InputDigests,
}

impl DrawnInputs {
    /// Keeps of `inputs` the entities `keep` names.
    pub(super) fn of(inputs: Inputs, keep: impl Fn(&str) -> bool) -> Self {
        let mut entities: Vec<Entity> = inputs
            .entities
            .into_iter()
            .filter(|e| keep(&e.id))
            .collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        DrawnInputs {
            plan: inputs.plan,
            items: inputs.items,
            inspectors: inputs.inspectors,
            entities,
            digests: inputs.digests,
        }
    }
}

/// How a folder's inputs are read (one value per draw: its size does not matter).
#[allow(clippy::large_enum_variant)]
pub(super) enum Rows {
    /// Plain CSV files with a readable plan: streamed by [`pipeline`], every row read once
    /// and only the drawn ones kept.
    Streamed { files: RosterFiles, plan: Plan },
    /// Read whole (a workbook, an absent optional file).
    Loaded(Inputs),
}

/// The inputs of a draw folder for [`steps::draw`]: streamed when every file is CSV, read
/// whole otherwise. Any problem found while streaming is reported as reading the files whole
/// reports it (every problem of every file, with its place), so the two ways differ only in
/// the memory they take.
pub(super) struct FolderSource<'p> {
    paths: InputPaths,
    pub(super) rows: Rows,
    progress: RefCell<&'p mut dyn Progress>,
    /// What the draw gave for [`DrawnInputs`].
    drawn: RefCell<Option<DrawnInputs>>,
}

/// The five files at `paths` for [`pipeline`] when every one is present and CSV.
pub(super) fn roster_files(paths: &InputPaths) -> Option<RosterFiles> {
    let csv = |p: &Path| p.extension().is_some_and(|e| e == "csv");
    let (c, h) = (paths.conflicts.as_ref()?, paths.history.as_ref()?);
    [&paths.entities, &paths.inspectors, &paths.items, c, h]
        .iter()
        .all(|p| csv(p))
        .then(|| RosterFiles {
            entities: paths.entities.clone(),
            inspectors: paths.inspectors.clone(),
            items: paths.items.clone(),
            conflicts: c.clone(),
            history: h.clone(),
        })
}

impl FolderSource<'_> {
    /// A replay of a sheet drawn with `seed` from the files at `paths`, streamed: the plan and
    /// the draw, whatever the digests, and with `keep` what the replay of amendments needs of
    /// the population. `None` when the files cannot be streamed or hold a
    /// problem (reading them whole then reports it with its place).
    #[allow(clippy::type_complexity)]
    pub(super) fn replay(
        paths: &InputPaths,
        seed: &Digest32,
        keep: Option<pipeline::Keep<'_>>,
    ) -> Option<(Plan, pipeline::Outcome, Option<pipeline::Population>)> {
        let files = roster_files(paths)?;
        let plan = read_plan_file(&paths.plan, &mut InputProblems::default())?;
        if let Some(keep) = keep {
            let (out, rows) = pipeline::draw_keeping(&files, &plan, seed, keep).ok()?;
            return Some((plan, out, Some(rows)));
        }
        let out = pipeline::draw(&files, &plan, seed).ok()?;
        Some((plan, out, None))
    }
}

impl<'p> FolderSource<'p> {
    /// The inputs of `draw_dir`. Reads the plan, and every file when they cannot be streamed.
    pub(super) fn open(
        draw_dir: &DrawDir,
        progress: &'p mut dyn Progress,
    ) -> Result<Self, BundleError> {
        let paths = draw_dir.input_paths().map_err(BundleError::Inputs)?;
        let files = roster_files(&paths);
        let plan = files
            .is_some()
            .then(|| read_plan_file(&paths.plan, &mut InputProblems::default()))
            .flatten();
        let rows = match (files, plan) {
            (Some(files), Some(plan)) => Rows::Streamed { files, plan },
            // The announcement fixed these inputs; the needed-column guard was announce's.
            _ => Rows::Loaded(load_input_files_with(
                &paths,
                progress,
                true,
                Guard::Replay,
            )?),
        };
        Ok(FolderSource {
            paths,
            rows,
            progress: RefCell::new(progress),
            drawn: RefCell::new(None),
        })
    }

    /// What the draw gave for the outputs (after a successful [`DrawSource::draw`]).
    pub(super) fn drawn(&self) -> Option<DrawnInputs> {
        self.drawn.borrow_mut().take()
    }

    /// The draw on inputs read whole, keeping what the outputs need.
    fn draw_loaded(
        &self,
        inputs: &Inputs,
        announced: &InputDigests,
        seed: &Digest32,
    ) -> Result<SourceDraw, SourceError> {
        let out = inputs.as_draw_inputs().draw(announced, seed)?;
        *self.drawn.borrow_mut() = Some(DrawnInputs {
            plan: inputs.plan.clone(),
            items: inputs.items.clone(),
            inspectors: out.inspectors.clone(),
            entities: out.entities.clone(),
            digests: inputs.digests,
        });
        Ok(out)
    }
}

impl DrawSource for FolderSource<'_> {
    fn plan(&self) -> &Plan {
        match &self.rows {
            Rows::Streamed { plan, .. } => plan,
            Rows::Loaded(inputs) => &inputs.plan,
        }
    }

    fn draw(&self, announced: &InputDigests, seed: &Digest32) -> Result<SourceDraw, SourceError> {
        let (files, plan) = match &self.rows {
            Rows::Loaded(inputs) => return self.draw_loaded(inputs, announced, seed),
            Rows::Streamed { files, plan } => (files, plan),
        };
        match pipeline::replay(files, plan, seed, announced) {
            Ok(out) => {
                *self.drawn.borrow_mut() = Some(DrawnInputs {
                    plan: plan.clone(),
                    items: out.items,
                    inspectors: out.inspectors.clone(),
                    entities: out.drawn.clone(),
                    digests: out.digests,
                });
                Ok(SourceDraw {
                    result: out.result,
                    entities: out.drawn,
                    inspectors: out.inspectors,
                })
            }
            Err(PipelineError::InputChanged {
                input,
                announced,
                found,
            }) => Err(CeremonyError::InputChanged {
                input,
                announced,
                found,
            }
            .into()),
            // Read whole, the files give every problem with its place, or the draw its error.
            Err(_) => {
                let mut progress = self.progress.borrow_mut();
                match load_input_files_with(&self.paths, &mut **progress, true, Guard::Replay) {
                    Ok(inputs) => self.draw_loaded(&inputs, announced, seed),
                    Err(e) => Err(SourceError::Store(Box::new(e))),
                }
            }
        }
    }
}
