//! Publication views: what citizens, journalists and the national publicity system read.
//!
//! The signed documents (announcement, sheet, amendments) are the record; the views are
//! derived from them: `sheet.csv` (the national publicity columns, [`csv`]), `sheet.xlsx`
//! (the same table with every cell a text cell, [`xlsx`], feature `xlsx`) and `notice.html`
//! (the printable page, [`notice`]). Because the views are unsigned, a verifier rebuilds
//! them from the documents and compares ([`check`]): an edited name in a view is a finding
//! naming the file, the row and the column.
//!
//! Every view is a deterministic function of the documents and of explicit parameters that
//! a verifier can read back: the item names come from the items roster whose digest the
//! announcement commits to, the notice's language is written in its `<html lang>` and the
//! zone of its times ([`local_time::Zone`], 北京时间 by default) in its
//! `<meta name="utc-offset">`. Nothing reads the clock or the environment.
//!
//! Every inspector is listed with their 执法证号: the tables have a column of them (in the
//! order of the names), the notice writes `张三（执法证号 44010012）`.
//!
//! Codes in spreadsheets: opened in a spreadsheet, a CSV cell of 18 digits becomes a number
//! and loses its last digits when saved. `sheet.csv` keeps every code exactly as it is, since
//! the publicity system imports it and any marker added for a spreadsheet would change the
//! code it reads; for people, `sheet.xlsx` holds the same table as text cells, which a
//! spreadsheet shows and saves unchanged. The CSV still neutralises formulas (see
//! [`csv::neutralise`]).
//!
//! ```
//! use double_random::publish::{Lang, Publication};
//! # use double_random::bundle::*;
//! # use double_random::ceremony::commit::Secret;
//! # use double_random::sign::SecretKey;
//! # let office = tempfile::tempdir()?;
//! # example_input_files(&office.path().join("r"))?;
//! # let private = PrivateDir::new(office.path().join("private"));
//! # let log = office.path().join(LOG_FILE);
//! # let key = SecretKey::generate()?;
//! # let folder = DrawDir::new(office.path().join("D1"));
//! # let inputs = load_inputs(&office.path().join("r"), None)?;
//! # let t = |s: &str| s.parse().unwrap();
//! # announce(&folder, &private, &log, &AnnounceRequest {
//! #     draw_id: "D1", inputs: &inputs, key: &key, organizer: "organizer",
//! #     organizer_secret: &Secret::generate()?, witnesses: &[], beacon: None,
//! #     announced_at: t("2026-03-01T01:00:00Z"), scheduled_at: t("2026-03-01T01:00:00Z"),
//! #     drill: true,
//! # })?;
//! let drawn = draw(&folder, &private, &log, &DrawRequest { key: &key, reveals: &[],
//!     beacon: None, drawn_at: t("2026-03-01T01:00:00Z") }, &mut NoProgress)?;
//! let p = Publication::new(&drawn.announcement, &drawn.sheet, &[], Some(&drawn.inputs.items))?;
//! let written = double_random::publish::write_views(folder.root(), &p, Lang::Zh)?;
//! assert!(written.contains(&"sheet.csv".to_string()));
//! // Nothing was edited: every view present matches its rebuild.
//! let checks = double_random::publish::check::check_dir(folder.root());
//! assert!(checks.iter().all(|c| c.passed()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod csv;
pub mod local_time;
pub mod notice;
pub mod results;
#[cfg(feature = "xlsx")]
pub mod xlsx;

use crate::ceremony::amend::{self, Action, Amendment, Outcome, ReasonCode};
use crate::ceremony::announce::Announcement;
use crate::ceremony::sheet::{Sheet, SheetEntity, SheetInspector};
use crate::ceremony::timestamp::Token;
use crate::digest::Digest32;
use crate::formats::files;
use crate::formats::jcs::JcsError;
use crate::model::Item;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// The CSV view's file name.
pub const CSV_FILE: &str = "sheet.csv";
/// The workbook view's file name.
pub const XLSX_FILE: &str = "sheet.xlsx";
/// The notice's file name.
pub const NOTICE_FILE: &str = "notice.html";
/// The verification page beside the notice: the verifier compiled to WebAssembly, in one file
/// (`web/build.sh` builds it from this library).
pub const VERIFY_PAGE_FILE: &str = "verify.html";

/// The bytes of [`VERIFY_PAGE_FILE`], built by `web/build.sh` and committed under `web/dist/`.
#[cfg(feature = "verify-page")]
pub const VERIFY_PAGE: &[u8] = include_bytes!("../../web/dist/verify.html");

/// The layout version of the views; a view written with another one is not checked.
///
/// Raise it whenever the rendering changes, so that a verifier of one version does not
/// report a view of another as edited.
pub const VIEWS_VERSION: &str = "3";

/// The language of the notice (the tables are always in Chinese: they follow the national
/// publicity system's columns).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文, the default: the notice is a public document of the office.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The value of `<html lang>` for this language.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language whose `<html lang>` value is `code`, if it is one of ours.
    ///
    /// ```
    /// use double_random::publish::Lang;
    /// assert_eq!(Lang::from_html_code("zh-CN"), Some(Lang::Zh));
    /// assert_eq!(Lang::from_html_code("fr"), None);
    /// ```
    pub fn from_html_code(code: &str) -> Option<Lang> {
        [Lang::Zh, Lang::En]
            .into_iter()
            .find(|l| l.html_code() == code)
    }
}

/// Why views could not be built or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// A document could not be serialised to compute its digest.
    #[error("{document}: cannot compute its digest: {source}")]
    Digest {
        /// Which document.
        document: &'static str,
        /// Why.
        source: JcsError,
    },
    /// The CSV writer failed.
    #[error("{file}: {detail}")]
    Csv {
        /// Which file.
        file: &'static str,
        /// The writer's description.
        detail: String,
    },
    /// The workbook writer failed.
    #[cfg(feature = "xlsx")]
    #[error("{file}: {source}")]
    Xlsx {
        /// Which file.
        file: &'static str,
        /// Why the table could not be written.
        source: xlsx::WriteError,
    },
    /// A view could not be written.
    #[error(transparent)]
    File(#[from] files::FileError),
}

/// An inspector on a team, as the views show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    /// 执法证号 (certificate number).
    pub id: String,
    /// 姓名 (the id when the documents do not name them).
    pub name: String,
    /// Department (empty when unknown).
    pub department: String,
    /// Whether a technical expert rather than an officer.
    pub expert: bool,
}

/// One row of the current result: an entity of the sheet after its amendments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The entity and its team (inspector ids).
    pub entity: SheetEntity,
    /// The team: officers (lead first), then experts.
    pub team: Vec<TeamMember>,
    /// The amendment that brought this entity in (补抽) and the id it replaced, if any.
    pub replacement_of: Option<(u32, String)>,
    /// Amendments that changed its team.
    pub team_changed_by: Vec<u32>,
}

/// One stratum with its population n, its count k and the chance k/n.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StratumView {
    /// Stratum label (`all`, `A`…`E`, `unclassified`).
    pub label: String,
    /// Population.
    pub n: u64,
    /// Drawn.
    pub k: u64,
    /// k/n as a percentage with two decimals.
    pub chance: String,
    /// Digest of the sorted member ids.
    pub members_digest: Digest32,
}

/// The sheet after its amendments: everything the views show, from the signed documents.
#[derive(Clone, Debug)]
pub struct Publication<'a> {
    /// The announcement.
    pub announcement: &'a Announcement,
    /// Its digest.
    pub announcement_digest: Digest32,
    /// The sheet.
    pub sheet: &'a Sheet,
    /// Its digest.
    pub sheet_digest: Digest32,
    /// Amendments, in order.
    pub amendments: &'a [Amendment],
    /// Names of the plan's items in plan order; `None` when the items roster is not at hand
    /// (the ids are shown then, and a check leaves those cells unchecked).
    pub item_names: Option<Vec<String>>,
    /// The timestamp token published beside the announcement (`announcement.json.tsr`), as
    /// read without checking its signature; `None` when there is none. See
    /// [`Publication::with_timestamp`].
    pub timestamp: Option<TimestampNote>,
    /// The zone the notice shows times in (北京时间 unless set with [`Publication::with_zone`]);
    /// the notice records it, so the check rebuilds it.
    pub zone: local_time::Zone,
    /// The named inspectors by id, the sheet's before the amendments' (the first of an id
    /// listed twice), so that naming every team takes time in proportion to the teams.
    inspectors_by_id: std::collections::HashMap<&'a str, &'a SheetInspector>,
    /// The entities after every amendment when there are amendments (the sheet's own
    /// otherwise): worked out once, and shared by the clones a check of the notice makes.
    amended: Option<Arc<[SheetEntity]>>,
    /// The plan's items as shown ([`Publication::items_text`]), a cell of every row.
    items_shown: String,
}

/// A row of the publication table as the views write it: its cells borrowed from the
/// documents where they can be.
pub(crate) type TableRow<'a> = Vec<Cow<'a, str>>;

/// What the notice can say of the timestamp token beside the announcement.
///
/// The notice only repeats what the token says; whether the TSA really signed it is for the
/// reader to check against the TSA's certificate (`verify --tsa-cert`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimestampNote {
    /// The token, read with [`crate::ceremony::timestamp::parse`].
    Token(Token),
    /// The file is there but is not a timestamp token this version reads.
    Unreadable,
}

/// The timestamp token in `dir` (`announcement.json.tsr`), if there is one.
///
/// Both the writer of the views and their check read it from the draw folder, so that the
/// notice is a function of the folder's files.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// assert_eq!(double_random::publish::read_timestamp(dir.path()), None);
/// std::fs::write(dir.path().join("announcement.json.tsr"), b"not DER")?;
/// assert_eq!(
///     double_random::publish::read_timestamp(dir.path()),
///     Some(double_random::publish::TimestampNote::Unreadable)
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_timestamp(dir: &Path) -> Option<TimestampNote> {
    read_timestamp_in(&dir)
}

/// [`read_timestamp`] from a folder or from files in memory.
pub(crate) fn read_timestamp_in(src: &dyn files::FileSource) -> Option<TimestampNote> {
    let name = crate::ceremony::steps::TIMESTAMP_FILE;
    if !src.has_file(name) {
        return None;
    }
    Some(
        src.read_file(name, files::MAX_SMALL_FILE_BYTES)
            .ok()
            .and_then(|b| crate::ceremony::timestamp::parse(&b).ok())
            .map_or(TimestampNote::Unreadable, TimestampNote::Token),
    )
}

impl<'a> Publication<'a> {
    /// Gathers the views' content from the documents (already verified by the caller).
    ///
    /// `items` is the items roster whose digest the announcement commits to; it supplies the
    /// items' names (the documents hold only their ids).
    pub fn new(
        announcement: &'a Announcement,
        sheet: &'a Sheet,
        amendments: &'a [Amendment],
        items: Option<&[Item]>,
    ) -> Result<Self, PublishError> {
        let item_names: Option<Vec<String>> = items.map(|items| {
            sheet
                .plan
                .items
                .iter()
                .map(|id| {
                    items
                        .iter()
                        .find(|i| &i.id == id)
                        .map_or_else(|| id.clone(), |i| i.name.clone())
                })
                .collect()
        });
        let items_shown = match &item_names {
            Some(names) => names.join("；"),
            None => sheet.plan.items.join("；"),
        };
        let amended = (!amendments.is_empty()).then(|| {
            amend::state_after(sheet, amendments, &BTreeMap::new())
                .entities
                .into()
        });
        Ok(Publication {
            announcement,
            announcement_digest: announcement
                .digest()
                .map_err(|source| PublishError::Digest {
                    document: "announcement",
                    source,
                })?,
            sheet,
            sheet_digest: sheet.digest().map_err(|source| PublishError::Digest {
                document: "sheet",
                source,
            })?,
            amendments,
            item_names,
            timestamp: None,
            zone: local_time::Zone::BEIJING,
            inspectors_by_id: {
                let mut by_id = std::collections::HashMap::new();
                for i in sheet
                    .inspectors
                    .iter()
                    .chain(amendments.iter().flat_map(|a| a.inspectors.iter()))
                {
                    by_id.entry(i.id.as_str()).or_insert(i);
                }
                by_id
            },
            amended,
            items_shown,
        })
    }

    /// The same publication with the timestamp token published beside the announcement (see
    /// [`read_timestamp`]); the notice states it.
    pub fn with_timestamp(mut self, timestamp: Option<TimestampNote>) -> Self {
        self.timestamp = timestamp;
        self
    }

    /// The same publication with the notice's times shown in `zone`.
    pub fn with_zone(mut self, zone: local_time::Zone) -> Self {
        self.zone = zone;
        self
    }

    /// The plan's items as shown: names joined with `；` (ids when the names are unknown).
    pub fn items_text(&self) -> String {
        self.items_shown.clone()
    }

    /// The entities after every amendment, in the order of [`Publication::rows`].
    pub(crate) fn entities_after(&self) -> &[SheetEntity] {
        self.amended.as_deref().unwrap_or(&self.sheet.entities)
    }

    /// The amendment that brought the entity `id` in, with the id it replaced.
    pub(crate) fn replacement_of(&self, id: &str) -> Option<(u32, &'a str)> {
        self.amendments
            .iter()
            .find_map(|a| match (&a.action, &a.outcome) {
                (Action::ReplaceEntity { entity }, Outcome::ReplaceEntity { entity: new })
                    if new.id == id =>
                {
                    Some((a.seq, entity.as_str()))
                }
                _ => None,
            })
    }

    /// The amendments that changed the team of the entity `id`.
    pub(crate) fn team_changed_by<'s>(&'s self, id: &'s str) -> impl Iterator<Item = u32> + 's {
        self.amendments
            .iter()
            .filter(move |a| {
                matches!(&a.action, Action::ReplaceInspector { entity, .. } if *entity == id)
            })
            .map(|a| a.seq)
    }

    /// The result after every amendment, in ascending id order.
    pub fn rows(&self) -> Vec<Row> {
        self.entities_after()
            .iter()
            .map(|e| Row {
                team: self.team(e),
                replacement_of: self
                    .replacement_of(&e.id)
                    .map(|(seq, id)| (seq, id.to_string())),
                team_changed_by: self.team_changed_by(&e.id).collect(),
                entity: e.clone(),
            })
            .collect()
    }

    /// The strata with n, k and the chance k/n.
    pub fn strata(&self) -> Vec<StratumView> {
        self.sheet
            .strata
            .iter()
            .map(|s| StratumView {
                label: s.stratum.clone(),
                n: s.n,
                k: s.k,
                chance: chance(s.k, s.n),
                members_digest: s.members_digest,
            })
            .collect()
    }

    /// How many amendments give each reason code.
    pub fn reason_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for a in self.amendments {
            *counts.entry(reason_key(a.reason.code)).or_insert(0) += 1;
        }
        counts
    }

    fn inspector(&self, id: &str) -> Option<&SheetInspector> {
        self.inspectors_by_id.get(id).copied()
    }

    /// An inspector's name (the id when unknown).
    pub fn inspector_name(&self, id: &str) -> String {
        self.name_of(id).to_string()
    }

    /// An inspector's name as the views show it: the id when the documents do not name them.
    fn name_of<'s>(&'s self, id: &'s str) -> &'s str {
        self.inspector(id).map_or(id, |i| i.name.as_str())
    }

    /// An entity's team with names and departments: officers (lead first), then experts.
    pub fn team(&self, e: &SheetEntity) -> Vec<TeamMember> {
        let member = |id: &String, expert: bool| {
            let i = self.inspector(id);
            TeamMember {
                id: id.clone(),
                name: i.map_or_else(|| id.clone(), |i| i.name.clone()),
                department: i.map(|i| i.department.clone()).unwrap_or_default(),
                expert,
            }
        };
        e.officers
            .iter()
            .map(|id| member(id, false))
            .chain(e.experts.iter().map(|id| member(id, true)))
            .collect()
    }

    /// The team as names: officers (lead first), then experts marked as such.
    pub fn team_names(&self, e: &SheetEntity, lang: Lang) -> String {
        let expert = match lang {
            Lang::Zh => "（专家）",
            Lang::En => " (expert)",
        };
        let mut names = String::new();
        for (k, id) in e.officers.iter().chain(&e.experts).enumerate() {
            if k > 0 {
                names.push('、');
            }
            names.push_str(self.name_of(id));
            if k >= e.officers.len() {
                names.push_str(expert);
            }
        }
        names
    }

    /// The team with each inspector's 执法证号: `张三（执法证号 44010012）、李四（专家，执法证号
    /// 44010013）` or `Zhang San (certificate 44010012), …`, officers (lead first), then experts.
    ///
    /// ```
    /// # use double_random::publish::{Publication, Lang};
    /// # let (ann, sheet) = double_random::internals::example_documents()?;
    /// let p = Publication::new(&ann, &sheet, &[], None)?;
    /// let e = &sheet.entities[0];
    /// let lead = &e.officers[0];
    /// let text = p.team_with_ids(e, Lang::Zh);
    /// assert!(text.starts_with(&format!("{}（执法证号 {lead}）", p.inspector_name(lead))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn team_with_ids(&self, e: &SheetEntity, lang: Lang) -> String {
        let mut text = String::new();
        self.push_team_with_ids(&mut text, e, lang, |out, s| out.push_str(s));
        text
    }

    /// [`Publication::team_with_ids`] added to `out`, each name and id through `push` (which
    /// may escape them; the words around them need no escaping in HTML).
    pub(crate) fn push_team_with_ids(
        &self,
        out: &mut String,
        e: &SheetEntity,
        lang: Lang,
        push: impl Fn(&mut String, &str),
    ) {
        let separator = match lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        for (k, id) in e.officers.iter().chain(&e.experts).enumerate() {
            if k > 0 {
                out.push_str(separator);
            }
            let expert = k >= e.officers.len();
            push_member_with_id(out, self.name_of(id), id, expert, lang, &push);
        }
    }

    /// The team's 执法证号 in the order of [`Publication::team_names`], joined with `、`.
    pub fn team_ids(&self, e: &SheetEntity) -> String {
        let mut ids = String::new();
        for (k, id) in e.officers.iter().chain(&e.experts).enumerate() {
            if k > 0 {
                ids.push('、');
            }
            ids.push_str(id);
        }
        ids
    }

    /// An inspector's name with their 执法证号 (see [`Publication::team_with_ids`]).
    pub fn inspector_with_id(&self, id: &str, lang: Lang) -> String {
        let mut text = String::new();
        let push = |out: &mut String, s: &str| out.push_str(s);
        push_member_with_id(&mut text, self.name_of(id), id, false, lang, &push);
        text
    }

    /// Whether the plan publishes risk classes (the sheet then shows each entity's stratum).
    pub fn publishes_risk(&self) -> bool {
        self.sheet.entities.iter().any(|e| e.stratum.is_some())
    }

    /// The publication table (always in Chinese): the header, then one row per entity.
    ///
    /// `sheet.csv` and `sheet.xlsx` both hold exactly these cells (the CSV neutralises
    /// formulas on top).
    pub fn table(&self) -> Vec<Vec<String>> {
        self.table_rows()
            .map(|row| row.into_iter().map(Cow::into_owned).collect())
            .collect()
    }

    /// The rows of [`Publication::table`], the header first, made one at a time (a writer of
    /// a large sheet then never holds the whole table), their cells borrowed where they can be.
    pub(crate) fn table_rows(&self) -> impl Iterator<Item = TableRow<'_>> + '_ {
        let publish_risk = self.publishes_risk();
        let mut header: TableRow<'_> = TABLE_HEADER.iter().map(|h| Cow::Borrowed(*h)).collect();
        if publish_risk {
            header.push(Cow::Borrowed(RISK_HEADER));
        }
        let plan = &self.sheet.plan;
        let kind = if plan.directed { "定向" } else { "不定向" };
        let columns = header.len();
        std::iter::once(header).chain(self.entities_after().iter().map(move |e| {
            let mut row = Vec::with_capacity(columns);
            row.extend(
                [
                    plan.plan_id.as_str(),
                    &plan.plan_name,
                    &plan.task_id,
                    &plan.task_name,
                    kind,
                    &plan.authority,
                    &e.name,
                    &e.id,
                    &self.items_shown,
                ]
                .map(Cow::Borrowed),
            );
            row.push(Cow::Owned(self.team_names(e, Lang::Zh)));
            row.push(Cow::Owned(self.team_ids(e)));
            if publish_risk {
                row.push(Cow::Borrowed(e.stratum.as_deref().unwrap_or_default()));
            }
            row
        }))
    }
}

/// A team member as `name（执法证号 id）`, `name（专家，执法证号 id）` (or in English), added
/// to `out`, the name and id through `push`.
fn push_member_with_id(
    out: &mut String,
    name: &str,
    id: &str,
    expert: bool,
    lang: Lang,
    push: &impl Fn(&mut String, &str),
) {
    let (before_id, after_id) = match (lang, expert) {
        (Lang::Zh, false) => ("（执法证号 ", "）"),
        (Lang::Zh, true) => ("（专家，执法证号 ", "）"),
        (Lang::En, false) => (" (certificate ", ")"),
        (Lang::En, true) => (" (expert, certificate ", ")"),
    };
    push(out, name);
    out.push_str(before_id);
    push(out, id);
    out.push_str(after_id);
}

/// The columns of the publication table: the national publicity system's, then the
/// inspectors' 执法证号 (in the order of the names, joined with `、`).
pub const TABLE_HEADER: [&str; 11] = [
    "抽查计划编号",
    "抽查计划名称",
    "抽查任务编号",
    "抽查任务名称",
    "抽查类型",
    "抽查机关",
    "名称",
    "统一社会信用代码",
    "检查事项",
    "检查人员",
    "检查人员执法证号",
];

/// The column of the risk class, present only when the plan publishes it.
pub const RISK_HEADER: &str = "信用风险分类";

/// The column of the items: names come from the items roster, not from the signed documents.
pub const ITEMS_HEADER: &str = "检查事项";

/// The reason code as written in the documents (`entity_closed`, …).
pub fn reason_key(code: ReasonCode) -> &'static str {
    match code {
        ReasonCode::EntityClosed => "entity_closed",
        ReasonCode::EntityUnreachable => "entity_unreachable",
        ReasonCode::EntityMovedOut => "entity_moved_out",
        ReasonCode::EntityOutOfScope => "entity_out_of_scope",
        ReasonCode::InspectorRecused => "inspector_recused",
        ReasonCode::InspectorUnavailable => "inspector_unavailable",
    }
}

/// A reason code for people.
///
/// ```
/// use double_random::ceremony::amend::ReasonCode;
/// use double_random::publish::{reason_text, Lang};
/// assert_eq!(reason_text(Lang::En, ReasonCode::InspectorRecused), "inspector recused");
/// ```
pub fn reason_text(lang: Lang, code: ReasonCode) -> &'static str {
    let (zh, en) = match code {
        ReasonCode::EntityClosed => ("检查对象已注销或吊销", "entity closed"),
        ReasonCode::EntityUnreachable => ("通过登记的住所无法联系", "entity unreachable"),
        ReasonCode::EntityMovedOut => ("检查对象已迁出", "entity moved out"),
        ReasonCode::EntityOutOfScope => ("检查对象不属于本次抽查范围", "entity out of scope"),
        ReasonCode::InspectorRecused => ("检查人员回避", "inspector recused"),
        ReasonCode::InspectorUnavailable => ("检查人员无法参加", "inspector unavailable"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A stratum label for people: `all` → 全部, `A` → A类, `unclassified` → 未分类.
///
/// ```
/// use double_random::publish::{stratum_name, Lang};
/// assert_eq!(stratum_name(Lang::Zh, "B"), "B类");
/// assert_eq!(stratum_name(Lang::En, "B"), "class B");
/// ```
pub fn stratum_name(lang: Lang, label: &str) -> String {
    match (lang, label) {
        (Lang::Zh, "all") => "全部".into(),
        (Lang::Zh, "unclassified") => "未分类".into(),
        (Lang::Zh, l) if l.len() == 1 => format!("{l}类"),
        (Lang::En, "all") => "all".into(),
        (Lang::En, l) if l.len() == 1 => format!("class {l}"),
        (_, l) => l.to_string(),
    }
}

/// k/n as a percentage rounded to two decimals ("—" when n is 0).
///
/// ```
/// use double_random::publish::chance;
/// assert_eq!(chance(1, 3), "33.33%");
/// assert_eq!(chance(0, 0), "—");
/// ```
pub fn chance(k: u64, n: u64) -> String {
    if n == 0 {
        return "—".into();
    }
    let bp = (u128::from(k) * 1_000_000 / u128::from(n) + 50) / 100;
    let bp = u64::try_from(bp).unwrap_or(u64::MAX);
    format!("{}.{:02}%", bp / 100, bp % 100)
}

/// Writes `sheet.csv`, `sheet.xlsx` (feature `xlsx`) and `notice.html` into `dir`,
/// replacing earlier ones (views are rewritten after each amendment). Returns the names
/// written.
///
/// The workbook, the slowest of the three to build, is built on a thread of its own while
/// the other two are built (see [`crate::threads`]); each file is then written in turn.
pub fn write_views(
    dir: &Path,
    p: &Publication<'_>,
    lang: Lang,
) -> Result<Vec<String>, PublishError> {
    #[cfg(feature = "xlsx")]
    let (workbook, others) =
        crate::shares::both(|| xlsx::sheet_xlsx(p), || csv_and_notice(p, lang));
    #[cfg(not(feature = "xlsx"))]
    let others = csv_and_notice(p, lang);
    let (table, page) = others?;
    let mut written = vec![];
    files::write_replace(dir.join(CSV_FILE), &table)?;
    written.push(CSV_FILE.to_string());
    #[cfg(feature = "xlsx")]
    {
        files::write_replace(dir.join(XLSX_FILE), &workbook?)?;
        written.push(XLSX_FILE.to_string());
    }
    files::write_replace(dir.join(NOTICE_FILE), page.as_bytes())?;
    written.push(NOTICE_FILE.to_string());
    #[cfg(feature = "verify-page")]
    {
        files::write_replace(dir.join(VERIFY_PAGE_FILE), VERIFY_PAGE)?;
        written.push(VERIFY_PAGE_FILE.to_string());
    }
    Ok(written)
}

/// The bytes of `sheet.csv` and the text of `notice.html`.
fn csv_and_notice(p: &Publication<'_>, lang: Lang) -> Result<(Vec<u8>, String), PublishError> {
    let table = csv::sheet_csv(p)?;
    Ok((table, notice::render(p, lang, &notice::standard_sections())))
}
