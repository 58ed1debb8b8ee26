//! Where a draw's inputs come from: rows held in memory, or a store that streams them.
//!
//! The draw step ([`steps::draw`](super::steps::draw)) needs, besides the announcement and the
//! seed, the draw itself and the few rows its sheet names: the drawn entities' names and the
//! inspector roster. A [`DrawSource`] gives exactly that. Borrowed rows in memory
//! ([`DrawInputs`]) are one source; a file store that streams a national roster (the
//! `bundle` module, through `pipeline`) is another, which never holds the roster in memory.
//! Both draw with the same engine: the strata are counted and drawn by
//! [`draw::entities::stratum_count`] and [`draw::entities::draw_stratum`], and the
//! teams assigned by [`draw::assign_teams`].
//!
//! ```
//! use double_random::ceremony::announce::InputDigests;
//! use double_random::ceremony::source::DrawSource;
//! use double_random::Digest32;
//! let owned = double_random::draw::example_inputs();
//! let inputs = owned.as_inputs();
//! let announced = InputDigests::of(&inputs)?;
//! let drawn = inputs.draw(&announced, &Digest32([9; 32]))?;
//! // The rows kept are those the sheet names.
//! assert_eq!(drawn.entities.len(), drawn.result.assignments.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::CeremonyError;
use super::announce::InputDigests;
use crate::digest::Digest32;
use crate::draw::{self, DrawInputs, DrawResult};
use crate::model::{Entity, Inspector, Plan, Stratum};

/// A draw made by a [`DrawSource`]: the result and the rows the sheet names.
///
/// Not `#[non_exhaustive]`: a store outside this crate implementing [`DrawSource`] builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceDraw {
    /// The draw, as [`draw::run`] gives it.
    pub result: DrawResult,
    /// The drawn entities' rows, in ascending id order (a source may give more; the sheet
    /// looks up the drawn ones).
    pub entities: Vec<Entity>,
    /// The inspector roster (for the names and departments on the sheet).
    pub inspectors: Vec<Inspector>,
}

/// Why a [`DrawSource`] gave no draw.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The inputs are not the announced ones, or the draw is impossible with them.
    #[error(transparent)]
    Ceremony(#[from] CeremonyError),
    /// The store could not give its inputs (its own error: a file's problems, a database's
    /// failure); a caller that knows the store may downcast it.
    #[error(transparent)]
    Store(Box<dyn std::error::Error + Send + Sync>),
}

/// The inputs of a draw, wherever they are kept.
///
/// Implement it for a store whose rosters do not fit in memory; rows already in memory are a
/// source as they are ([`DrawInputs`]). See the [module](self).
pub trait DrawSource {
    /// The plan the inputs are drawn with.
    fn plan(&self) -> &Plan;

    /// Draws with `seed` if every input has the digest `announced` commits to.
    ///
    /// # Errors
    ///
    /// [`CeremonyError::InputChanged`] for the first input (in the order entities, inspectors,
    /// items, conflicts, history, plan) whose digest differs, [`CeremonyError::Draw`] when the
    /// draw is impossible, [`SourceError::Store`] when the store cannot give its rows.
    fn draw(&self, announced: &InputDigests, seed: &Digest32) -> Result<SourceDraw, SourceError>;
}

impl DrawSource for DrawInputs<'_> {
    fn plan(&self) -> &Plan {
        self.plan
    }

    fn draw(&self, announced: &InputDigests, seed: &Digest32) -> Result<SourceDraw, SourceError> {
        let found = InputDigests::of(self).map_err(CeremonyError::from)?;
        if let Some((input, announced, found)) = announced.differences(&found).first().copied() {
            return Err(CeremonyError::InputChanged {
                input,
                announced,
                found,
            }
            .into());
        }
        let result = draw::run(self, seed).map_err(CeremonyError::from)?;
        let drawn: std::collections::HashSet<&str> = result
            .assignments
            .iter()
            .map(|a| a.entity.as_str())
            .collect();
        let mut entities: Vec<Entity> = self
            .entities
            .iter()
            .filter(|e| drawn.contains(e.id.as_str()))
            .cloned()
            .collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(SourceDraw {
            result,
            entities,
            inspectors: self.inspectors.to_vec(),
        })
    }
}

/// What an amendment needs of a draw's inputs (SPEC §11): the small tables, the strata of the
/// population and the rows of the few entities it names, never the whole entity roster.
///
/// Rows in memory are one source ([`RowsInMemory`](super::amend::RowsInMemory)); the `bundle`
/// module streams its files into another. [`amend_from`](super::amend::amend_from) computes
/// the same amendment from either.
pub trait AmendSource: std::fmt::Debug {
    /// The plan, the inspector roster, the item list, the conflicts and at least the history
    /// rows that bar inspectors ([`Exclusions::counts`](crate::draw::teams::Exclusions::counts));
    /// its entity rows are not read.
    fn tables(&self) -> DrawInputs<'_>;
    /// The stratum of entity `id`, if it is a member of the population (SPEC §6).
    fn stratum_of(&self, id: &str) -> Option<Stratum>;
    /// How many members `stratum` has.
    fn stratum_len(&self, stratum: Stratum) -> u64;
    /// The member of `stratum` at `index` in ascending id order.
    fn member(&self, stratum: Stratum, index: u64) -> Option<String>;
    /// The row of entity `id` (a source that streams may give only members' rows).
    fn entity(&self, id: &str) -> Option<Entity>;
}
