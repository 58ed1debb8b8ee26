//! The data of a draw: entities, inspectors, items, conflicts, history and the plan.
//!
//! Pure data with the rules that belong to it (which entity a filter admits, which
//! inspector may serve an item). Values here are already normalised (SPEC §3): the
//! roster and plan readers produce them, the draw consumes them, and their serde form is
//! the canonical row form that fingerprints are computed over.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`.
///
/// Dates decide the repeat rules (history windows, yearly caps); the plan's draw date
/// makes them deterministic.
///
/// ```
/// use double_random::model::Date;
/// let d: Date = "2026-03-01".parse().unwrap();
/// let e: Date = "2026-02-27".parse().unwrap();
/// assert_eq!(d.days_since(&e), 2);
/// assert_eq!(d.year(), 2026);
/// assert_eq!(d.to_string(), "2026-03-01");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(time::Date);

/// Why a date did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a date of the form YYYY-MM-DD (e.g. 2026-03-01)")]
#[non_exhaustive]
pub struct DateError {
    /// The text that was given.
    pub value: String,
}

impl Date {
    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(&self, earlier: &Date) -> i64 {
        i64::from(self.0.to_julian_day()) - i64::from(earlier.0.to_julian_day())
    }

    /// The calendar year.
    pub fn year(&self) -> i32 {
        self.0.year()
    }

    /// Year, month (1–12) and day.
    pub(crate) fn ymd(&self) -> (i32, u8, u8) {
        (self.0.year(), u8::from(self.0.month()), self.0.day())
    }

    /// Builds a date from its parts; `None` if it does not exist.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let m = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, m, day).ok().map(Date)
    }

    /// The date `days` later (earlier if negative); `None` out of range.
    pub fn add_days(&self, days: i64) -> Option<Date> {
        let j = i64::from(self.0.to_julian_day()).checked_add(days)?;
        time::Date::from_julian_day(i32::try_from(j).ok()?)
            .ok()
            .map(Date)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, DateError> {
        let err = || DateError {
            value: s.to_string(),
        };
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
                Date::from_ymd(y as i32, m as u8, d as u8).ok_or_else(err)
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Declares a closed vocabulary: canonical English names plus accepted aliases.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $canon:literal [$($alias:literal),*]),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $canon)] $var),+
        }
        impl $name {
            /// Every value, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// Every accepted spelling, canonical names and aliases (for tests).
            #[cfg(test)]
            #[allow(dead_code, reason = "tests check the spellings of some vocabularies only")]
            pub(crate) const SPELLINGS: &'static [&'static str] = &[$($canon, $($alias),*),+];
            /// The canonical (English) name, as hashed and as written in canonical JSON.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$var => $canon),+ }
            }
            /// Parses the canonical name or any accepted alias (Chinese or English,
            /// ASCII case-insensitive).
            pub fn parse(s: &str) -> Option<$name> {
                $(
                    if s.eq_ignore_ascii_case($canon) $(|| s.eq_ignore_ascii_case($alias))* {
                        return Some($name::$var);
                    }
                )+
                None
            }
            /// All accepted spellings, for error messages.
            pub fn spellings() -> &'static str {
                concat!($($canon, " (", $($alias, " ",)* ") "),+)
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Kind of market entity (市场主体类型).
    ///
    /// ```
    /// use double_random::model::EntityKind;
    /// assert_eq!(EntityKind::parse("个体工商户"), Some(EntityKind::Individual));
    /// assert_eq!(EntityKind::Individual.as_str(), "individual");
    /// ```
    EntityKind {
        /// 企业
        Enterprise = "enterprise" ["企业", "公司"],
        /// 个体工商户
        Individual = "individual" ["个体工商户", "个体"],
        /// 农民专业合作社
        Cooperative = "cooperative" ["农民专业合作社", "合作社", "农专"],
        /// 其他 (products, projects, other organisations)
        Other = "other" ["其他"],
    }
}

vocabulary! {
    /// Registration status (登记状态).
    ///
    /// ```
    /// use double_random::model::EntityStatus;
    /// assert_eq!(EntityStatus::parse("在营"), Some(EntityStatus::Active));
    /// assert_eq!(EntityStatus::parse("注销"), Some(EntityStatus::Cancelled));
    /// ```
    EntityStatus {
        /// 存续 / 在营 / 开业
        Active = "active" ["存续", "在营", "开业", "在业"],
        /// 吊销
        Revoked = "revoked" ["吊销", "吊销未注销"],
        /// 注销
        Cancelled = "cancelled" ["注销", "canceled"],
        /// 迁出
        MovedOut = "moved_out" ["迁出", "moved"],
        /// 撤销
        Withdrawn = "withdrawn" ["撤销"],
    }
}

vocabulary! {
    /// Credit-risk class (信用风险分类): A (low) to D nationally, A–E in some provinces.
    ///
    /// ```
    /// use double_random::model::RiskClass;
    /// assert_eq!(RiskClass::parse("c"), Some(RiskClass::C));
    /// assert_eq!(RiskClass::parse("C类"), Some(RiskClass::C));
    /// ```
    RiskClass {
        /// A: low risk
        A = "A" ["A类"],
        /// B
        B = "B" ["B类"],
        /// C
        C = "C" ["C类"],
        /// D
        D = "D" ["D类"],
        /// E (provinces with five classes)
        E = "E" ["E类"],
    }
}

vocabulary! {
    /// Officer (执法人员, counts toward a team) or expert (专家, never counts).
    ///
    /// ```
    /// use double_random::model::InspectorKind;
    /// assert_eq!(InspectorKind::parse("专家"), Some(InspectorKind::Expert));
    /// ```
    InspectorKind {
        /// A certified enforcement officer.
        Officer = "officer" ["执法人员", "执法检查人员", "检查人员"],
        /// An expert who may join a team but never counts toward its size.
        Expert = "expert" ["专家"],
    }
}

vocabulary! {
    /// Inspector status; only `on_duty` (在岗) inspectors are drawable.
    ///
    /// ```
    /// use double_random::model::InspectorStatus;
    /// assert_eq!(InspectorStatus::parse("在岗"), Some(InspectorStatus::OnDuty));
    /// ```
    InspectorStatus {
        /// 在岗
        OnDuty = "on_duty" ["在岗", "在职", "正常"],
        /// 休假
        Leave = "leave" ["休假", "请假"],
        /// 借调
        Seconded = "seconded" ["借调"],
        /// 离岗 / 调离
        OffDuty = "off_duty" ["离岗", "调离", "停职"],
        /// 退休
        Retired = "retired" ["退休"],
    }
}

vocabulary! {
    /// General items have their ratio capped; key items (重点) have no upper cap.
    ///
    /// ```
    /// use double_random::model::ItemCategory;
    /// assert_eq!(ItemCategory::parse("重点"), Some(ItemCategory::Key));
    /// ```
    ItemCategory {
        /// 一般事项
        General = "general" ["一般", "一般事项"],
        /// 重点事项
        Key = "key" ["重点", "重点事项"],
    }
}

vocabulary! {
    /// Why an inspection happened: random ones count for repeat rules, case-triggered do not.
    ///
    /// ```
    /// use double_random::model::HistoryKind;
    /// assert_eq!(HistoryKind::parse("投诉举报"), Some(HistoryKind::Case));
    /// ```
    HistoryKind {
        /// 双随机抽查
        Random = "random" ["双随机", "随机抽查", "抽查"],
        /// 案件、投诉举报、转办交办 (exempt from repeat caps)
        Case = "case" ["案件", "投诉举报", "举报", "转办", "交办"],
    }
}

/// One row of the entity roster (检查对象名录库), normalised.
///
/// The serde form of this struct is the canonical row hashed into the roster digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// 统一社会信用代码 (18) or legacy 注册号 (15), normalised.
    pub id: String,
    /// 名称 (NFC, trimmed).
    pub name: String,
    /// Entity kind; `None` when the roster has no kind column (SPEC §3.3).
    pub kind: Option<EntityKind>,
    /// 登记机关 (may be empty).
    pub authority: String,
    /// 行政区划代码, 6 digits; empty when the roster has no region column.
    pub region: String,
    /// 行业代码, canonical `letter[digits]` (empty when not given).
    pub industry: String,
    /// 登记状态.
    pub status: EntityStatus,
    /// On the abnormal-operations list (经营异常名录).
    pub abnormal: bool,
    /// Credit-risk class; `None` when unclassified.
    pub risk: Option<RiskClass>,
    /// Free tags, sorted and deduplicated.
    pub tags: Vec<String>,
}

impl Entity {
    /// The entity's fields, borrowed.
    ///
    /// Filters and the canonical row writer take an [`EntityFields`], so that a reader can
    /// check and fingerprint a row straight from the file's text without building an `Entity`.
    ///
    /// ```
    /// # use double_random::model::RiskClass;
    /// let e = double_random::draw::example_entity("91520100MA6DKQ1U8B", RiskClass::A);
    /// assert_eq!(e.fields().id, "91520100MA6DKQ1U8B");
    /// ```
    pub fn fields(&self) -> EntityFields<'_, String> {
        EntityFields {
            id: &self.id,
            name: &self.name,
            kind: self.kind,
            authority: &self.authority,
            region: &self.region,
            industry: &self.industry,
            status: self.status,
            abnormal: self.abnormal,
            risk: self.risk,
            tags: &self.tags,
        }
    }
}

/// An entity row with borrowed text: what [`Entity`] holds, without owning it.
///
/// Reading a national roster builds one of these per row from the file's own bytes; only the
/// rows that are drawn become an [`Entity`]. `T` is `String` (from [`Entity::fields`]) or
/// `&str` (from a reader). The values must already be normalised, as in `Entity`.
///
/// ```
/// use double_random::model::{EntityFields, EntityKind, EntityStatus, Filters};
/// let tags = ["特种设备"];
/// let e = EntityFields {
///     id: "91520100MA6DKQ1U8B", name: "甲", kind: Some(EntityKind::Enterprise), authority: "",
///     region: "520102", industry: "", status: EntityStatus::Active, abnormal: false,
///     risk: None, tags: &tags[..],
/// };
/// let f = Filters { region_prefixes: vec!["52".into()], ..Filters::default() };
/// assert!(f.admits_fields(&e));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntityFields<'a, T> {
    /// See [`Entity::id`].
    pub id: &'a str,
    /// See [`Entity::name`].
    pub name: &'a str,
    /// See [`Entity::kind`].
    pub kind: Option<EntityKind>,
    /// See [`Entity::authority`].
    pub authority: &'a str,
    /// See [`Entity::region`].
    pub region: &'a str,
    /// See [`Entity::industry`].
    pub industry: &'a str,
    /// See [`Entity::status`].
    pub status: EntityStatus,
    /// See [`Entity::abnormal`].
    pub abnormal: bool,
    /// See [`Entity::risk`].
    pub risk: Option<RiskClass>,
    /// See [`Entity::tags`]: sorted and deduplicated.
    pub tags: &'a [T],
}

impl<T: AsRef<str>> EntityFields<'_, T> {
    /// The row as an owned [`Entity`].
    ///
    /// For the few rows a draw picks out of millions read as borrowed fields.
    ///
    /// ```
    /// # use double_random::model::{EntityFields, EntityKind, EntityStatus};
    /// let tags = ["特种设备"];
    /// let e = EntityFields {
    ///     id: "91520100MA6DKQ1U8B", name: "甲", kind: Some(EntityKind::Enterprise), authority: "",
    ///     region: "520102", industry: "", status: EntityStatus::Active, abnormal: false,
    ///     risk: None, tags: &tags[..],
    /// };
    /// let owned = e.to_entity();
    /// assert_eq!(owned.fields().id, e.id);
    /// assert_eq!(owned.tags, ["特种设备"]);
    /// ```
    pub fn to_entity(&self) -> Entity {
        Entity {
            id: self.id.to_owned(),
            name: self.name.to_owned(),
            kind: self.kind,
            authority: self.authority.to_owned(),
            region: self.region.to_owned(),
            industry: self.industry.to_owned(),
            status: self.status,
            abnormal: self.abnormal,
            risk: self.risk,
            tags: self.tags.iter().map(|t| t.as_ref().to_owned()).collect(),
        }
    }
}

/// One row of the inspector roster (执法检查人员名录库), normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    /// 执法证号 (certificate number), unique; for experts their registry number.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 所属部门/机构.
    pub department: String,
    /// 行政区划代码, 6 digits (empty when not given).
    pub region: String,
    /// 执法资质/门类, sorted and deduplicated.
    pub qualifications: Vec<String>,
    /// 业务专长, sorted and deduplicated.
    pub specialties: Vec<String>,
    /// Officer or expert.
    pub kind: InspectorKind,
    /// Duty status.
    pub status: InspectorStatus,
}

impl Inspector {
    /// Whether this inspector holds every qualification in `required`.
    ///
    /// Officers must hold them as 执法资质; experts may hold them as 资质 or 业务专长.
    ///
    /// ```
    /// # use double_random::model::*;
    /// let mut i = Inspector { id: "X1".into(), name: "张三".into(), department: "局".into(),
    ///     region: String::new(), qualifications: vec!["食品".into()], specialties: vec![],
    ///     kind: InspectorKind::Officer, status: InspectorStatus::OnDuty };
    /// assert!(i.is_qualified(&["食品".to_string()]));
    /// assert!(!i.is_qualified(&["药品".to_string()]));
    /// ```
    pub fn is_qualified(&self, required: &[String]) -> bool {
        required.iter().all(|q| {
            self.qualifications.binary_search(q).is_ok()
                || (self.kind == InspectorKind::Expert && self.specialties.binary_search(q).is_ok())
        })
    }
}

/// One inspection item of the published item list (随机抽查事项清单).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Item id.
    pub id: String,
    /// 事项名称.
    pub name: String,
    /// 检查依据.
    pub basis: String,
    /// 检查主体.
    pub subject: String,
    /// 检查内容.
    pub content: String,
    /// 检查方式.
    pub method: String,
    /// General or key.
    pub category: ItemCategory,
    /// Qualification an inspector must hold to inspect it (empty: none).
    pub qualification: String,
}

/// A declared conflict of interest: this inspector must not inspect this entity (回避).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// Inspector certificate number.
    pub inspector: String,
    /// Entity id.
    pub entity: String,
    /// Declared reason.
    pub reason: String,
}

/// One past inspection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryRecord {
    /// Entity id.
    pub entity: String,
    /// Date of the inspection.
    pub date: Date,
    /// Item id (may be empty).
    pub item: String,
    /// Inspector certificate numbers, sorted and deduplicated.
    pub inspectors: Vec<String>,
    /// Random or case-triggered.
    pub kind: HistoryKind,
}

/// How a ratio turns into a whole number of entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round up (default: regulations say "not less than").
    #[default]
    Up,
    /// Round down.
    Down,
    /// Round half up.
    Nearest,
}

/// How many to draw from one stratum.
///
/// `k = max(ratio part, count)`, then `max(k, min)`, `min(k, max)`, `min(k, n)` (SPEC §6.3).
///
/// ```
/// use double_random::model::{Quota, Rounding};
/// let q = Quota { ratio_bp: Some(300), count: None, min: Some(1), max: None, rounding: Rounding::Up };
/// assert_eq!(q.count_for(1000), 30);
/// assert_eq!(q.count_for(1001), 31);
/// assert_eq!(q.count_for(5), 1);
/// assert_eq!(q.count_for(0), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// Ratio in basis points (1/10000): 300 = 3 %.
    pub ratio_bp: Option<u32>,
    /// A fixed count.
    pub count: Option<u64>,
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
    /// Rounding of the ratio part.
    pub rounding: Rounding,
}

impl Quota {
    /// The number to draw from a stratum of `n` members.
    pub fn count_for(&self, n: u64) -> u64 {
        let by_ratio = self.ratio_bp.map_or(0, |bp| {
            let num = u128::from(n) * u128::from(bp);
            let k = match self.rounding {
                Rounding::Up => num.div_ceil(10_000),
                Rounding::Down => num / 10_000,
                Rounding::Nearest => (num + 5_000) / 10_000,
            };
            u64::try_from(k).unwrap_or(u64::MAX)
        });
        let mut k = by_ratio.max(self.count.unwrap_or(0));
        if let Some(min) = self.min {
            k = k.max(min);
        }
        if let Some(max) = self.max {
            k = k.min(max);
        }
        k.min(n)
    }
}

/// The stratum an entity falls in.
///
/// ```
/// use double_random::model::{Stratum, RiskClass};
/// assert_eq!(Stratum::Risk(RiskClass::B).label(), "B");
/// assert_eq!(Stratum::All.label(), "all");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stratum {
    /// The whole population (no stratification).
    All,
    /// One credit-risk class.
    Risk(RiskClass),
    /// Entities without a risk class, in a plan stratified by risk.
    Unclassified,
}

impl Stratum {
    /// The stratum's label, as used in stream labels and sheets.
    pub fn label(&self) -> &'static str {
        match self {
            Stratum::All => "all",
            Stratum::Risk(r) => r.as_str(),
            Stratum::Unclassified => "unclassified",
        }
    }

    /// Parses a label.
    pub fn parse(s: &str) -> Option<Stratum> {
        match s {
            "all" => Some(Stratum::All),
            "unclassified" => Some(Stratum::Unclassified),
            _ => RiskClass::parse(s)
                .filter(|r| r.as_str() == s)
                .map(Stratum::Risk),
        }
    }
}

/// The plan's filters (定向抽查): an entity must pass every non-empty one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    /// Region code prefixes (any matches).
    pub region_prefixes: Vec<String>,
    /// Industry code prefixes in canonical form (any matches).
    pub industry_prefixes: Vec<String>,
    /// Entity kinds admitted (empty: all).
    pub kinds: Vec<EntityKind>,
    /// Statuses admitted; the plan reader defaults this to `[active]`.
    pub statuses: Vec<EntityStatus>,
    /// Tags of which the entity must have at least one (empty: no condition).
    pub tags_any: Vec<String>,
    /// Tags the entity must all have.
    pub tags_all: Vec<String>,
    /// Whether entities on the abnormal list are left out.
    pub exclude_abnormal: bool,
}

impl Filters {
    /// Whether `e` passes every filter (SPEC §6.1).
    pub fn admits(&self, e: &Entity) -> bool {
        self.admits_fields(&e.fields())
    }

    /// [`Filters::admits`] on borrowed fields.
    ///
    /// ```
    /// # use double_random::model::{Filters, RiskClass};
    /// let e = double_random::draw::example_entity("91520100MA6DKQ1U8B", RiskClass::A);
    /// assert!(Filters::default().admits_fields(&e.fields()));
    /// ```
    pub fn admits_fields<T: AsRef<str>>(&self, e: &EntityFields<'_, T>) -> bool {
        let has_tag = |t: &String| e.tags.binary_search_by(|x| x.as_ref().cmp(t)).is_ok();
        (self.region_prefixes.is_empty()
            || self
                .region_prefixes
                .iter()
                .any(|p| e.region.starts_with(p.as_str())))
            && (self.industry_prefixes.is_empty()
                || self
                    .industry_prefixes
                    .iter()
                    .any(|p| e.industry.starts_with(p.as_str())))
            && (self.kinds.is_empty() || e.kind.is_some_and(|k| self.kinds.contains(&k)))
            && (self.statuses.is_empty() || self.statuses.contains(&e.status))
            && (self.tags_any.is_empty() || self.tags_any.iter().any(has_tag))
            && self.tags_all.iter().all(has_tag)
            && !(self.exclude_abnormal && e.abnormal)
    }
}

/// Strata and their quotas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case", tag = "by")]
pub enum Strata {
    /// One stratum, `all`.
    None {
        /// Its quota.
        quota: Quota,
    },
    /// One stratum per risk class.
    Risk {
        /// Quota per class; an entity whose class has no quota is an error.
        classes: std::collections::BTreeMap<RiskClass, Quota>,
        /// Quota for entities without a class; `None` makes such entities an error.
        unclassified: Option<Quota>,
    },
}

/// Repeat rules from history (R11). Only `random` history rows count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RepeatRules {
    /// Leave out an entity inspected within this many days before the draw date.
    pub entity_window_days: Option<u32>,
    /// Leave out an entity already inspected this many times in the draw date's year.
    pub entity_yearly_cap: Option<u32>,
    /// Count only history rows whose item is one of the plan's items.
    pub same_items_only: bool,
    /// An officer who inspected an entity within this many days may not inspect it again.
    pub inspector_window_days: Option<u32>,
}

/// One department of a joint inspection (跨部门联合抽查).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JointDepartment {
    /// Department name, as in the inspector roster.
    pub department: String,
    /// Officers this department sends to each entity (at least 1).
    pub officers: u32,
    /// The plan items this department inspects.
    pub items: Vec<String>,
}

/// How teams are formed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRules {
    /// Officers per entity (at least 2; in a joint plan, the sum over departments).
    pub officers: u32,
    /// Experts per entity (never counted as officers).
    pub experts: u32,
    /// Whether an inspector may not inspect an entity of his or her own region.
    pub exclude_same_region: bool,
    /// Most entities one inspector may be sent to; `None`: the balanced share rounded up.
    pub workload_cap: Option<u32>,
    /// Recusals allowed per entity after the draw (SPEC §11.4; default 2).
    pub recusal_cap: u32,
    /// Departments whose officers form the pool (empty: all); ignored in joint plans.
    pub departments: Vec<String>,
    /// Joint inspection: one object draw, one inspector draw per department.
    pub joint: Vec<JointDepartment>,
}

/// A draw plan: one batch of one task (R9), normalised.
///
/// Its canonical JSON is what the plan digest covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// 抽查计划编号.
    pub plan_id: String,
    /// 抽查计划名称.
    pub plan_name: String,
    /// 抽查任务编号.
    pub task_id: String,
    /// 抽查任务名称.
    pub task_name: String,
    /// 批次.
    pub batch: String,
    /// 抽查机关.
    pub authority: String,
    /// 定向 (true) or 不定向 (false).
    pub directed: bool,
    /// The day the draw is held: history windows are counted back from it.
    pub draw_date: Date,
    /// Item ids, from the item list.
    pub items: Vec<String>,
    /// Ratio cap for general items in basis points (`None`: no cap).
    pub general_ratio_cap_bp: Option<u32>,
    /// Filters.
    pub filters: Filters,
    /// Strata and quotas.
    pub strata: Strata,
    /// Repeat rules.
    pub repeat: RepeatRules,
    /// Team rules.
    pub team: TeamRules,
    /// Whether the sheet may show each entity's risk class (stratum); default false.
    pub publish_risk: bool,
}

impl Plan {
    /// The stratum of an entity, or `None` when the plan has no quota for it.
    pub fn stratum_of(&self, e: &Entity) -> Option<Stratum> {
        self.stratum_of_risk(e.risk)
    }

    /// The stratum of an entity of risk class `risk` (`None`: unclassified), or `None` when
    /// the plan has no quota for it.
    ///
    /// ```
    /// # use double_random::model::{RiskClass, Stratum};
    /// let plan = double_random::draw::example_plan();
    /// assert_eq!(plan.stratum_of_risk(Some(RiskClass::A)), Some(Stratum::Risk(RiskClass::A)));
    /// ```
    pub fn stratum_of_risk(&self, risk: Option<RiskClass>) -> Option<Stratum> {
        match &self.strata {
            Strata::None { .. } => Some(Stratum::All),
            Strata::Risk {
                classes,
                unclassified,
            } => match risk {
                Some(r) => classes.contains_key(&r).then_some(Stratum::Risk(r)),
                None => unclassified.as_ref().map(|_| Stratum::Unclassified),
            },
        }
    }

    /// The quota of a stratum.
    pub fn quota(&self, s: Stratum) -> Option<&Quota> {
        match (&self.strata, s) {
            (Strata::None { quota }, Stratum::All) => Some(quota),
            (Strata::Risk { classes, .. }, Stratum::Risk(r)) => classes.get(&r),
            (Strata::Risk { unclassified, .. }, Stratum::Unclassified) => unclassified.as_ref(),
            _ => None,
        }
    }

    /// Every stratum the plan defines, in canonical order (`all`; or A..E then `unclassified`).
    pub fn strata_labels(&self) -> Vec<Stratum> {
        match &self.strata {
            Strata::None { .. } => vec![Stratum::All],
            Strata::Risk {
                classes,
                unclassified,
            } => {
                let mut v: Vec<Stratum> = classes.keys().map(|r| Stratum::Risk(*r)).collect();
                if unclassified.is_some() {
                    v.push(Stratum::Unclassified);
                }
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_strictly() {
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2026-2-28".parse::<Date>().is_err());
        assert!("２０２６-02-28".parse::<Date>().is_err());
        assert!("2026-13-01".parse::<Date>().is_err());
        let d: Date = "2026-01-01".parse().unwrap();
        assert_eq!(d.add_days(-1).unwrap().to_string(), "2025-12-31");
    }

    #[test]
    fn quota_rounding() {
        let mut q = Quota {
            ratio_bp: Some(250),
            count: None,
            min: None,
            max: None,
            rounding: Rounding::Up,
        };
        assert_eq!(q.count_for(100), 3);
        q.rounding = Rounding::Down;
        assert_eq!(q.count_for(100), 2);
        q.rounding = Rounding::Nearest;
        assert_eq!(q.count_for(100), 3);
        assert_eq!(q.count_for(99), 2);
        q.count = Some(10);
        assert_eq!(q.count_for(100), 10);
        q.max = Some(4);
        assert_eq!(q.count_for(100), 4);
        assert_eq!(q.count_for(3), 3);
    }

    #[test]
    fn vocabulary_aliases() {
        assert_eq!(
            EntityStatus::parse("MOVED_OUT"),
            Some(EntityStatus::MovedOut)
        );
        assert_eq!(EntityStatus::parse("nonsense"), None);
        assert!(EntityStatus::spellings().contains("注销"));
        assert_eq!(Stratum::parse("A"), Some(Stratum::Risk(RiskClass::A)));
        assert_eq!(Stratum::parse("a"), None);
    }
}
