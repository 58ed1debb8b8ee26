//! Generates synthetic 双随机 rosters: entities, inspectors, items, conflicts and history.
//!
//! ```text
//! cargo run --release --example gen-rosters -- --entities 2000 --inspectors 40 --seed 2026 \
//!     --out examples/data [--history H] [--conflicts C] [--encoding utf8|gbk] [--english-headers]
//! ```
//!
//! The rows look like a Guizhou market-regulation export (贵阳, 遵义 and 安顺 counties and
//! districts), but every name and code is invented: the 统一社会信用代码 and 注册号 carry valid
//! check characters and are unique, nothing more. The same arguments always give the same bytes:
//! all randomness comes from ChaCha20 streams ([`Stream::from_key`]) keyed by the seed and the
//! file being written, so changing `--history` does not move a single entity row.
//!
//! Entity rows are written one at a time through a buffered writer; history and conflict rows
//! that refer to an entity are written while that entity is generated. Memory stays small however
//! many entities are asked for (up to 100,000,000, the size of the id space used).
#![forbid(unsafe_code)]

use double_random::codes::{USCC_CHARSET, org_code_check, regno_check_digit, uscc_check_char};
use double_random::internals::Framed;
use double_random::internals::Stream;
use double_random::model::Date;
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The command-line help.
const USAGE: &str = "\
usage: gen-rosters --entities N --inspectors M --seed S --out DIR
                   [--history H] [--conflicts C] [--encoding utf8|gbk] [--english-headers]

Writes entities.csv, inspectors.csv, items.csv, conflicts.csv and history.csv into DIR.
  --entities N       entity rows (1 to 100000000)
  --inspectors M     inspector rows (10 to 500000); 3 departments below 200, 9 from 200
  --seed S           any unsigned 64-bit number; same arguments, same bytes
  --history H        past inspections in the year before 2026-03-01 (default N/10)
  --conflicts C      declared conflicts, each on a different entity (default M/2, at most N)
  --encoding E       utf8 (with BOM, as Excel's \"CSV UTF-8\"; the default) or gbk
  --english-headers  English column names instead of Chinese";

/// Most entities: the id space of the old-style organisation codes is 10^8.
const MAX_ENTITIES: u64 = 100_000_000;
/// Most inspectors: certificate serials have 6 digits.
const MAX_INSPECTORS: u64 = 500_000;
/// Fewest inspectors: every department needs at least two officers.
const MIN_INSPECTORS: u64 = 10;

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen-rosters: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-rosters: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

/// Character encoding of the written files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    /// UTF-8 with a byte-order mark.
    Utf8,
    /// GBK, as Excel writes "CSV" on a Chinese Windows.
    Gbk,
}

/// Parsed command line.
#[derive(Debug)]
struct Args {
    /// Entity rows.
    entities: u64,
    /// Inspector rows.
    inspectors: u64,
    /// The seed of every stream.
    seed: u64,
    /// Output directory.
    out: PathBuf,
    /// History rows.
    history: u64,
    /// Conflict rows.
    conflicts: u64,
    /// Output encoding.
    encoding: Encoding,
    /// English column names.
    english: bool,
}

/// Parses the arguments; `Ok(None)` asks for the help text.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut args = args.peekable();
    let (mut entities, mut inspectors, mut seed, mut out) = (None, None, None, None);
    let (mut history, mut conflicts) = (None, None);
    let mut encoding = Encoding::Utf8;
    let mut english = false;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let number = |v: String| -> Result<u64, String> {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} takes a whole number, not {v:?}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--entities" => entities = Some(number(value()?)?),
            "--inspectors" => inspectors = Some(number(value()?)?),
            "--seed" => seed = Some(number(value()?)?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--history" => history = Some(number(value()?)?),
            "--conflicts" => conflicts = Some(number(value()?)?),
            "--encoding" => {
                encoding = match value()?.to_ascii_lowercase().as_str() {
                    "utf8" | "utf-8" => Encoding::Utf8,
                    "gbk" | "gb18030" => Encoding::Gbk,
                    other => return Err(format!("unknown encoding {other:?}: use utf8 or gbk")),
                }
            }
            "--english-headers" => english = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let entities = entities.ok_or("--entities is required")?;
    let inspectors = inspectors.ok_or("--inspectors is required")?;
    let seed = seed.ok_or("--seed is required")?;
    let out = out.ok_or("--out is required")?;
    if !(1..=MAX_ENTITIES).contains(&entities) {
        return Err(format!("--entities must be from 1 to {MAX_ENTITIES}"));
    }
    if !(MIN_INSPECTORS..=MAX_INSPECTORS).contains(&inspectors) {
        return Err(format!(
            "--inspectors must be from {MIN_INSPECTORS} to {MAX_INSPECTORS}"
        ));
    }
    let conflicts = conflicts.unwrap_or((inspectors / 2).min(entities));
    if conflicts > entities {
        return Err("--conflicts may not exceed --entities (one conflict per entity)".into());
    }
    Ok(Some(Args {
        entities,
        inspectors,
        seed,
        out,
        history: history.unwrap_or(entities / 10),
        conflicts,
        encoding,
        english,
    }))
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/// Domain tag of the generator's stream keys.
const KEY_TAG: &str = "double-random/gen-rosters/v1";

/// The stream for one part of the output: ChaCha20 keyed by SHA-256 of the tag, label and seed.
fn stream(seed: u64, label: &str) -> Stream {
    let key = Framed::new(KEY_TAG)
        .part(label.as_bytes())
        .part(&seed.to_le_bytes())
        .finish();
    Stream::from_key(key.0)
}

/// A uniform index below `len` (which must not be 0).
fn index(s: &mut Stream, len: usize) -> usize {
    s.below(len as u64) as usize
}

/// A uniform element of a non-empty slice.
fn pick<T: Copy>(s: &mut Stream, xs: &[T]) -> T {
    xs[index(s, xs.len())]
}

/// True with probability `per_mille` / 1000.
fn chance(s: &mut Stream, per_mille: u32) -> bool {
    s.below(1000) < u64::from(per_mille)
}

/// An index drawn with probability proportional to its weight (the total must not be 0).
fn weighted(s: &mut Stream, weights: &[u32]) -> usize {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let mut x = s.below(total);
    for (i, &w) in weights.iter().enumerate() {
        if x < u64::from(w) {
            return i;
        }
        x -= u64::from(w);
    }
    weights.len() - 1
}

/// Two distinct indices below `n` (which must be at least 2).
fn two_distinct(s: &mut Stream, n: usize) -> (usize, usize) {
    let a = index(s, n);
    let b = index(s, n - 1);
    (a, if b >= a { b + 1 } else { b })
}

/// A keyed permutation of `0..half²`: a four-round Feistel network on base-`half` digit pairs.
///
/// It turns row numbers into code bodies that look random but can never collide.
struct Permutation {
    /// Round keys.
    keys: [u64; 4],
}

impl Permutation {
    /// Draws the round keys.
    fn new(s: &mut Stream) -> Self {
        Permutation {
            keys: [s.next_u64(), s.next_u64(), s.next_u64(), s.next_u64()],
        }
    }

    /// The image of `x` (which must be below `half²`).
    fn apply(&self, x: u64, half: u64) -> u64 {
        let (mut l, mut r) = (x / half, x % half);
        for k in self.keys {
            let f = mix(r ^ k) % half;
            (l, r) = (r, (l + f) % half);
        }
        l * half + r
    }
}

/// The SplitMix64 finaliser: a fixed bijective scramble of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
// CSV output
// ---------------------------------------------------------------------------------------------

/// One CSV file being written row by row, in UTF-8 with BOM or in GBK, with CRLF line ends.
struct CsvOut {
    /// The file.
    w: BufWriter<File>,
    /// Its path, for messages.
    path: PathBuf,
    /// Encoding.
    enc: Encoding,
    /// The row being built, in UTF-8.
    line: String,
    /// Whether the row has a field yet.
    started: bool,
    /// Rows written, header excluded.
    rows: u64,
    /// GBK bytes of each non-ASCII character met so far (encoding_rs's GBK encoder is slow on
    /// CJK text, and the generator uses only a few hundred distinct characters).
    gbk: HashMap<char, Box<[u8]>>,
    /// The row in GBK.
    bytes: Vec<u8>,
}

impl CsvOut {
    /// Creates `dir/name` and writes the byte-order mark (UTF-8 only) and the header.
    fn create(dir: &Path, name: &str, enc: Encoding, header: &[&str]) -> io::Result<Self> {
        let path = dir.join(name);
        let file = File::create(&path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let mut out = CsvOut {
            w: BufWriter::with_capacity(1 << 20, file),
            path,
            enc,
            line: String::with_capacity(512),
            started: false,
            rows: 0,
            gbk: HashMap::new(),
            bytes: Vec::with_capacity(512),
        };
        if enc == Encoding::Utf8 {
            out.w.write_all("\u{feff}".as_bytes())?;
        }
        for h in header {
            out.field(h);
        }
        out.end()?;
        out.rows = 0;
        Ok(out)
    }

    /// Appends a field, quoted only if it holds a comma, quote or line break.
    fn field(&mut self, s: &str) {
        if self.started {
            self.line.push(',');
        }
        self.started = true;
        if s.contains([',', '"', '\r', '\n']) {
            self.line.push('"');
            self.line.push_str(&s.replace('"', "\"\""));
            self.line.push('"');
        } else {
            self.line.push_str(s);
        }
    }

    /// Ends the row and writes it.
    fn end(&mut self) -> io::Result<()> {
        self.line.push_str("\r\n");
        match self.enc {
            Encoding::Utf8 => self.w.write_all(self.line.as_bytes())?,
            Encoding::Gbk => {
                self.bytes.clear();
                for c in self.line.chars() {
                    if c.is_ascii() {
                        self.bytes.push(c as u8);
                        continue;
                    }
                    if !self.gbk.contains_key(&c) {
                        let mut utf8 = [0; 4];
                        let (bytes, _, unmappable) =
                            encoding_rs::GBK.encode(c.encode_utf8(&mut utf8));
                        if unmappable {
                            return Err(io::Error::new(
                                io::ErrorKind::InvalidData,
                                format!("{}: {c:?} has no GBK form", self.path.display()),
                            ));
                        }
                        self.gbk.insert(c, bytes.into());
                    }
                    self.bytes.extend_from_slice(&self.gbk[&c]);
                }
                self.w.write_all(&self.bytes)?;
            }
        }
        self.line.clear();
        self.started = false;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file; returns the path and the number of rows written.
    fn finish(mut self) -> io::Result<(PathBuf, u64)> {
        self.w.flush()?;
        Ok((self.path, self.rows))
    }
}

/// Column names of every file, Chinese then English.
#[rustfmt::skip]
mod headers {
    /// entities.csv.
    pub const ENTITIES: [[&str; 10]; 2] = [
        ["统一社会信用代码", "名称", "市场主体类型", "登记机关", "行政区划代码", "行业代码", "登记状态", "经营异常名录", "信用风险分类", "标签"],
        ["id", "name", "kind", "authority", "region", "industry", "status", "abnormal", "risk", "tags"],
    ];
    /// inspectors.csv.
    pub const INSPECTORS: [[&str; 8]; 2] = [
        ["执法证号", "姓名", "所属部门", "行政区划代码", "执法资质", "业务专长", "人员类别", "状态"],
        ["id", "name", "department", "region", "qualifications", "specialties", "kind", "status"],
    ];
    /// items.csv.
    pub const ITEMS: [[&str; 8]; 2] = [
        ["事项编号", "事项名称", "检查依据", "检查主体", "检查内容", "检查方式", "事项类别", "所需资质"],
        ["id", "name", "basis", "subject", "content", "method", "category", "qualification"],
    ];
    /// conflicts.csv.
    pub const CONFLICTS: [[&str; 3]; 2] = [
        ["执法证号", "统一社会信用代码", "回避事由"],
        ["inspector", "entity", "reason"],
    ];
    /// history.csv.
    pub const HISTORY: [[&str; 5]; 2] = [
        ["统一社会信用代码", "检查日期", "事项编号", "检查人员", "检查类型"],
        ["entity", "date", "item", "inspectors", "kind"],
    ];
}

// ---------------------------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------------------------

/// A county-level division (GB/T 2260) with what names are built from.
struct Region {
    /// 行政区划代码.
    code: &'static str,
    /// Full name, as it starts an individual business's name: 修文县.
    name: &'static str,
    /// Short name, as in a branch's name: 修文.
    short: &'static str,
    /// The prefix of its market-regulation bureau: 修文县, 贵阳市南明区.
    bureau: &'static str,
    /// The prefecture-level city, short: 贵阳.
    city: &'static str,
    /// Some of its towns.
    towns: &'static [&'static str],
    /// Relative share of entities and inspectors.
    weight: u32,
}

/// Counties and districts of 贵阳市 (5201), 遵义市 (5203) and 安顺市 (5204).
#[rustfmt::skip]
const REGIONS: &[Region] = &[
    Region { code: "520102", name: "南明区", short: "南明", bureau: "贵阳市南明区", city: "贵阳", towns: &[], weight: 14 },
    Region { code: "520103", name: "云岩区", short: "云岩", bureau: "贵阳市云岩区", city: "贵阳", towns: &[], weight: 14 },
    Region { code: "520111", name: "花溪区", short: "花溪", bureau: "贵阳市花溪区", city: "贵阳", towns: &["青岩镇", "石板镇", "党武镇"], weight: 9 },
    Region { code: "520112", name: "乌当区", short: "乌当", bureau: "贵阳市乌当区", city: "贵阳", towns: &["新场镇", "羊昌镇", "水田镇"], weight: 7 },
    Region { code: "520113", name: "白云区", short: "白云", bureau: "贵阳市白云区", city: "贵阳", towns: &["沙文镇", "麦架镇"], weight: 7 },
    Region { code: "520115", name: "观山湖区", short: "观山湖", bureau: "贵阳市观山湖区", city: "贵阳", towns: &[], weight: 10 },
    Region { code: "520121", name: "开阳县", short: "开阳", bureau: "开阳县", city: "贵阳", towns: &["城关镇", "双流镇", "南江乡"], weight: 5 },
    Region { code: "520122", name: "息烽县", short: "息烽", bureau: "息烽县", city: "贵阳", towns: &["永靖镇", "温泉镇", "小寨坝镇"], weight: 4 },
    Region { code: "520123", name: "修文县", short: "修文", bureau: "修文县", city: "贵阳", towns: &["龙场镇", "扎佐镇", "六屯镇", "洒坪镇"], weight: 5 },
    Region { code: "520181", name: "清镇市", short: "清镇", bureau: "清镇市", city: "贵阳", towns: &["红枫湖镇", "站街镇", "卫城镇"], weight: 5 },
    Region { code: "520302", name: "红花岗区", short: "红花岗", bureau: "遵义市红花岗区", city: "遵义", towns: &[], weight: 4 },
    Region { code: "520303", name: "汇川区", short: "汇川", bureau: "遵义市汇川区", city: "遵义", towns: &[], weight: 4 },
    Region { code: "520304", name: "播州区", short: "播州", bureau: "遵义市播州区", city: "遵义", towns: &["鸭溪镇", "枫香镇"], weight: 2 },
    Region { code: "520328", name: "湄潭县", short: "湄潭", bureau: "湄潭县", city: "遵义", towns: &["永兴镇", "兴隆镇"], weight: 1 },
    Region { code: "520381", name: "赤水市", short: "赤水", bureau: "赤水市", city: "遵义", towns: &[], weight: 1 },
    Region { code: "520382", name: "仁怀市", short: "仁怀", bureau: "仁怀市", city: "遵义", towns: &["茅台镇"], weight: 2 },
    Region { code: "520402", name: "西秀区", short: "西秀", bureau: "安顺市西秀区", city: "安顺", towns: &["旧州镇"], weight: 3 },
    Region { code: "520403", name: "平坝区", short: "平坝", bureau: "安顺市平坝区", city: "安顺", towns: &["天龙镇"], weight: 2 },
    Region { code: "520422", name: "普定县", short: "普定", bureau: "普定县", city: "安顺", towns: &[], weight: 1 },
];

/// A line of business: its GB/T 4754-2017 class, the words a name uses for it, its tags.
struct Trade {
    /// 行业代码: section letter and 4-digit class.
    code: &'static str,
    /// Name words: an enterprise's 行业 word, an individual's shop, a cooperative's line.
    words: &'static [&'static str],
    /// Tags with their chance in per mille.
    tags: &'static [(&'static str, u32)],
    /// Relative share within its kind of entity.
    weight: u32,
}

/// Shorthand for a [`Trade`] row.
const fn trade(
    code: &'static str,
    words: &'static [&'static str],
    tags: &'static [(&'static str, u32)],
    weight: u32,
) -> Trade {
    Trade {
        code,
        words,
        tags,
        weight,
    }
}

/// Lines of business of enterprises.
#[rustfmt::skip]
const ENTERPRISE_TRADES: &[Trade] = &[
    trade("A0141", &["农业发展", "生态农业", "农业科技"], &[], 3),
    trade("A0164", &["茶业", "生态茶业"], &[], 3),
    trade("A0171", &["中药材", "中药材开发"], &[], 2),
    trade("C1391", &["食品", "淀粉制品"], &[("食品生产许可", 900), ("排污许可", 400)], 1),
    trade("C1431", &["食品", "米粉"], &[("食品生产许可", 900), ("排污许可", 300), ("特种设备", 300)], 2),
    trade("C1469", &["食品", "辣椒制品"], &[("食品生产许可", 900), ("排污许可", 300)], 2),
    trade("C1512", &["酒业", "酿酒"], &[("食品生产许可", 950), ("排污许可", 700), ("特种设备", 600)], 2),
    trade("C1530", &["茶业", "茶叶加工"], &[("食品生产许可", 900)], 1),
    trade("C2740", &["药业", "制药"], &[("排污许可", 800), ("特种设备", 600), ("高新技术企业", 300)], 1),
    trade("C3021", &["建材", "水泥制品"], &[("排污许可", 700), ("特种设备", 500)], 2),
    trade("C3311", &["钢结构", "钢构"], &[("特种设备", 700), ("排污许可", 400)], 1),
    trade("E4710", &["建筑工程", "建设工程"], &[("特种设备", 300)], 3),
    trade("E5012", &["装饰工程", "建筑装饰", "装饰设计"], &[], 5),
    trade("F5121", &["粮油", "商贸"], &[("食品经营许可", 900)], 3),
    trade("F5127", &["酒业", "商贸", "贸易"], &[("食品经营许可", 900)], 3),
    trade("F5211", &["商贸", "百货", "商业管理"], &[("食品经营许可", 300), ("特种设备", 200)], 5),
    trade("F5212", &["超市", "连锁超市"], &[("食品经营许可", 950), ("特种设备", 300)], 4),
    trade("F5251", &["医药", "大药房", "药房连锁"], &[("药品经营许可", 950)], 3),
    trade("F5292", &["电子商务", "网络科技"], &[("电商", 1000), ("食品经营许可", 300)], 4),
    trade("G5431", &["物流", "运输", "货运"], &[], 3),
    trade("H6110", &["酒店管理", "酒店"], &[("食品经营许可", 800), ("特种设备", 700)], 2),
    trade("H6210", &["餐饮管理", "餐饮", "饮食文化"], &[("食品经营许可", 1000)], 5),
    trade("H6291", &["餐饮", "小吃"], &[("食品经营许可", 1000)], 2),
    trade("I6450", &["大数据", "数据科技", "云计算"], &[("高新技术企业", 300)], 2),
    trade("I6513", &["科技", "信息技术", "软件"], &[("高新技术企业", 250)], 4),
    trade("K7010", &["房地产开发", "置业"], &[("特种设备", 500)], 3),
    trade("K7020", &["物业管理", "物业服务"], &[("特种设备", 800)], 3),
    trade("L7111", &["汽车租赁"], &[], 1),
    trade("L7259", &["文化传媒", "广告", "广告传媒"], &[], 3),
    trade("O8040", &["美容美发", "美业"], &[], 1),
    trade("O8111", &["汽车服务", "汽车维修"], &[], 2),
    trade("P8391", &["教育科技", "教育咨询"], &[], 1),
    trade("R9011", &["娱乐", "文化娱乐"], &[], 1),
];

/// Lines of business of 个体工商户: the words are shop names.
#[rustfmt::skip]
const INDIVIDUAL_TRADES: &[Trade] = &[
    trade("C1431", &["米粉加工坊"], &[("食品生产许可", 700)], 2),
    trade("E5012", &["装饰部"], &[], 2),
    trade("F5212", &["超市", "便民超市"], &[("食品经营许可", 950)], 6),
    trade("F5213", &["便利店"], &[("食品经营许可", 950)], 4),
    trade("F5221", &["粮油店", "米行"], &[("食品经营许可", 900)], 3),
    trade("F5223", &["水果店", "蔬菜店", "果蔬店"], &[("食品经营许可", 700)], 5),
    trade("F5224", &["鲜肉店", "冷鲜肉店"], &[("食品经营许可", 900)], 3),
    trade("F5226", &["烟酒店", "茶叶店"], &[("食品经营许可", 800)], 5),
    trade("F5229", &["副食店", "食品店"], &[("食品经营许可", 950)], 10),
    trade("F5232", &["服装店"], &[], 5),
    trade("F5271", &["五金店"], &[], 3),
    trade("F5292", &["网店"], &[("电商", 1000)], 3),
    trade("G5431", &["货运部"], &[], 2),
    trade("H6210", &["饭店", "餐馆", "火锅店", "农家乐"], &[("食品经营许可", 1000)], 10),
    trade("H6291", &["小吃店", "羊肉粉馆", "牛肉粉店", "肠旺面馆", "丝娃娃店", "烙锅店"], &[("食品经营许可", 1000)], 12),
    trade("O8030", &["干洗店"], &[], 1),
    trade("O8040", &["理发店", "美发店", "美甲店"], &[], 6),
    trade("O8111", &["汽修店", "汽车维修部"], &[], 3),
];

/// Lines of business of 农民专业合作社.
#[rustfmt::skip]
const COOP_TRADES: &[Trade] = &[
    trade("A0141", &["蔬菜种植", "辣椒种植"], &[("农产品", 600)], 4),
    trade("A0142", &["食用菌种植"], &[("农产品", 600)], 2),
    trade("A0159", &["刺梨种植", "精品水果种植"], &[("农产品", 600)], 2),
    trade("A0164", &["茶叶种植"], &[("农产品", 600)], 3),
    trade("A0171", &["中药材种植"], &[("农产品", 600)], 2),
    trade("A0311", &["肉牛养殖"], &[("农产品", 600)], 1),
    trade("A0313", &["生猪养殖"], &[("农产品", 600), ("排污许可", 200)], 2),
];

/// 字号 stems.
#[rustfmt::skip]
const BRANDS: &[&str] = &[
    "黔味", "筑城", "山韵", "云岭", "乌江", "红枫", "苗岭", "夜郎", "黔丰", "金筑", "百灵", "多彩",
    "黔诚", "鸿泰", "宏达", "兴黔", "盛世", "恒通", "瑞丰", "聚源", "福满", "佳禾", "顺和", "嘉信",
    "博远", "康源", "绿野", "青禾", "鑫旺", "万家", "同心", "和美", "华创", "晟达", "锦程", "天成",
    "永盛", "利民", "众合", "新航", "远航", "博雅", "汇通", "东方", "铭泰", "盈科", "创联", "中黔",
    "贵山", "黔北", "黔中", "南江", "龙场", "阳明", "红岩", "翠微", "碧水", "青山", "梵净", "娄山",
];

/// Characters sometimes added to a 字号.
const BRAND_TAILS: &[&str] = &["源", "达", "鑫", "盛", "泰", "通", "隆", "祥", "兴", "昌"];

/// Common surnames, those frequent in Guizhou included.
#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙",
    "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "严", "覃", "武", "戴", "莫", "向",
];

/// Characters of given names.
#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "红", "梅", "林", "建", "国", "志",
    "文", "斌", "辉", "鹏", "飞", "宇", "浩", "婷", "雪", "琴", "云", "峰", "俊", "晓", "小", "春",
];

/// Kind of market entity.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 企业.
    Enterprise,
    /// 个体工商户.
    Individual,
    /// 农民专业合作社.
    Cooperative,
}

impl Kind {
    /// The roster spelling.
    fn label(self) -> &'static str {
        match self {
            Kind::Enterprise => "企业",
            Kind::Individual => "个体工商户",
            Kind::Cooperative => "农民专业合作社",
        }
    }

    /// The USCC's second character (organisation type under registering department 9, 工商).
    fn uscc_type(self) -> char {
        match self {
            Kind::Enterprise => '1',
            Kind::Individual => '2',
            Kind::Cooperative => '3',
        }
    }

    /// Chance in per mille that the USCC body is a new-style `MA…` code.
    fn new_style_per_mille(self) -> u32 {
        match self {
            Kind::Enterprise => 750,
            Kind::Individual => 850,
            Kind::Cooperative => 800,
        }
    }

    /// The kind's lines of business.
    fn trades(self) -> &'static [Trade] {
        match self {
            Kind::Enterprise => ENTERPRISE_TRADES,
            Kind::Individual => INDIVIDUAL_TRADES,
            Kind::Cooperative => COOP_TRADES,
        }
    }
}

/// Kinds of entity and their shares in per mille.
const KINDS: [(Kind, u32); 3] = [
    (Kind::Enterprise, 600),
    (Kind::Individual, 350),
    (Kind::Cooperative, 50),
];
/// 登记状态 and shares in per mille.
const STATUSES: [(&str, u32); 4] = [("存续", 920), ("吊销", 40), ("注销", 30), ("迁出", 10)];
/// 信用风险分类 shares of entities not on the abnormal list.
const RISK_NORMAL: [(&str, u32); 4] = [("A", 400), ("B", 450), ("C", 120), ("D", 30)];
/// 信用风险分类 shares of entities on the abnormal list.
const RISK_ABNORMAL: [(&str, u32); 2] = [("C", 550), ("D", 450)];

/// The second elements of a list of pairs.
fn weights<T>(pairs: &[(T, u32)]) -> Vec<u32> {
    pairs.iter().map(|p| p.1).collect()
}

// ---------------------------------------------------------------------------------------------
// Departments, inspectors and items
// ---------------------------------------------------------------------------------------------

/// A department whose officers inspect, with its qualification vocabulary and items.
struct Dept {
    /// 所属部门, as plans name it.
    name: &'static str,
    /// Share of the inspector roster.
    share: u32,
    /// 执法资质: the first every officer holds, the others with their chance in per mille.
    quals: &'static [(&'static str, u32)],
    /// 业务专长 of officers.
    specialties: &'static [&'static str],
    /// 业务专长 of experts: qualification words, so experts can join teams for the items.
    expert_specialties: &'static [&'static str],
    /// The department's items.
    items: &'static [Item],
}

/// One inspection item of the item list.
struct Item {
    /// 事项编号.
    id: &'static str,
    /// 事项名称.
    name: &'static str,
    /// 检查依据.
    basis: &'static str,
    /// 检查主体.
    subject: &'static str,
    /// 检查内容.
    content: &'static str,
    /// 检查方式.
    method: &'static str,
    /// 事项类别: 一般 or 重点.
    category: &'static str,
    /// 所需资质: one of the department's 执法资质.
    qualification: &'static str,
}

/// Item shorthand.
#[allow(clippy::too_many_arguments)]
const fn item(
    id: &'static str,
    name: &'static str,
    basis: &'static str,
    subject: &'static str,
    content: &'static str,
    method: &'static str,
    category: &'static str,
    qualification: &'static str,
) -> Item {
    Item {
        id,
        name,
        basis,
        subject,
        content,
        method,
        category,
        qualification,
    }
}

/// The three departments of every roster, then those added from 200 inspectors on.
#[rustfmt::skip]
const DEPTS: &[Dept] = &[
    Dept {
        name: "市场监督管理局",
        share: 40,
        quals: &[("市场监管综合执法", 1000), ("食品安全", 600), ("特种设备安全监察", 300), ("产品质量", 300), ("药品监管", 200), ("计量", 150)],
        specialties: &["企业登记监管", "广告监管", "网络交易监管", "价格监督检查", "知识产权保护", "消费者权益保护", "标准化"],
        expert_specialties: &["食品安全", "特种设备安全监察", "产品质量", "药品监管", "计量"],
        items: &[
            item("GZ-SC-001", "企业公示信息检查", "《企业信息公示暂行条例》", "市场监督管理部门", "年度报告及即时信息公示的真实性、及时性", "书面检查、实地核查、网络监测", "一般", "市场监管综合执法"),
            item("GZ-SC-002", "食品经营者检查", "《中华人民共和国食品安全法》", "市场监督管理部门", "经营资质、从业人员健康管理、进货查验记录、食品贮存及标签标识", "实地检查、抽样检验", "重点", "食品安全"),
            item("GZ-SC-003", "特种设备使用单位检查", "《中华人民共和国特种设备安全法》《特种设备安全监察条例》", "市场监督管理部门", "使用登记、定期检验、作业人员持证、安全管理制度及隐患排查", "实地检查、查阅资料", "重点", "特种设备安全监察"),
            item("GZ-SC-004", "生产企业产品质量检查", "《中华人民共和国产品质量法》", "市场监督管理部门", "产品标识标注、生产条件、出厂检验记录", "实地检查、抽样检验", "一般", "产品质量"),
            item("GZ-SC-005", "药品零售企业检查", "《中华人民共和国药品管理法》", "市场监督管理部门", "经营许可、执业药师在岗、药品购进验收及储存", "实地检查", "重点", "药品监管"),
            item("GZ-SC-006", "计量器具使用情况检查", "《中华人民共和国计量法》", "市场监督管理部门", "强制检定计量器具的登记、检定及使用", "实地检查", "一般", "计量"),
        ],
    },
    Dept {
        name: "税务局",
        share: 14,
        quals: &[("税务稽查", 1000)],
        specialties: &["发票管理", "纳税评估", "社保费征管", "出口退税", "个人所得税"],
        expert_specialties: &["税务稽查", "纳税评估"],
        items: &[
            item("GZ-SW-001", "税务登记情况检查", "《中华人民共和国税收征收管理法》", "税务机关", "税务登记、变更登记及账簿设置", "书面检查、实地核查", "一般", "税务稽查"),
            item("GZ-SW-002", "发票使用和管理情况检查", "《中华人民共和国发票管理办法》", "税务机关", "发票领用、开具、保管及缴销", "书面检查、实地核查", "一般", "税务稽查"),
        ],
    },
    Dept {
        name: "生态环境局",
        share: 12,
        quals: &[("环境执法", 1000), ("辐射安全", 100)],
        specialties: &["大气污染防治", "水污染防治", "固体废物管理", "土壤污染防治", "噪声污染防治"],
        expert_specialties: &["环境执法", "辐射安全"],
        items: &[
            item("GZ-HB-001", "排污许可执行情况检查", "《排污许可管理条例》", "生态环境部门", "持证排污、自行监测、环境管理台账及执行报告", "实地检查、监测", "重点", "环境执法"),
            item("GZ-HB-002", "建设项目环境影响评价执行情况检查", "《中华人民共和国环境影响评价法》", "生态环境部门", "环评审批手续、环境保护设施建设及验收", "实地检查、查阅资料", "一般", "环境执法"),
        ],
    },
    Dept {
        name: "农业农村局",
        share: 6,
        quals: &[("农业综合执法", 1000)],
        specialties: &["农药监管", "种子监管", "动物防疫"],
        expert_specialties: &["农业综合执法"],
        items: &[item("GZ-NY-001", "农药经营者检查", "《农药管理条例》", "农业农村部门", "经营许可、进货查验及销售台账", "实地检查", "一般", "农业综合执法")],
    },
    Dept {
        name: "交通运输局",
        share: 6,
        quals: &[("交通运输综合执法", 1000)],
        specialties: &["道路运输", "工程质量"],
        expert_specialties: &["交通运输综合执法"],
        items: &[item("GZ-JT-001", "道路运输经营者检查", "《中华人民共和国道路运输条例》", "交通运输部门", "经营许可、车辆技术状况及从业人员资格", "实地检查", "一般", "交通运输综合执法")],
    },
    Dept {
        name: "应急管理局",
        share: 6,
        quals: &[("应急管理综合执法", 1000)],
        specialties: &["危险化学品", "工贸安全", "消防"],
        expert_specialties: &["应急管理综合执法"],
        items: &[item("GZ-YJ-001", "危险化学品经营单位检查", "《危险化学品安全管理条例》", "应急管理部门", "经营许可、储存设施及安全管理制度", "实地检查", "重点", "应急管理综合执法")],
    },
    Dept {
        name: "卫生健康局",
        share: 6,
        quals: &[("卫生健康执法", 1000)],
        specialties: &["公共场所卫生", "医疗机构监管"],
        expert_specialties: &["卫生健康执法"],
        items: &[item("GZ-WJ-001", "公共场所卫生检查", "《公共场所卫生管理条例》", "卫生健康部门", "卫生许可、从业人员健康证明及卫生检测", "实地检查", "一般", "卫生健康执法")],
    },
    Dept {
        name: "文化和旅游局",
        share: 5,
        quals: &[("文化市场综合执法", 1000)],
        specialties: &["娱乐场所", "旅游市场"],
        expert_specialties: &["文化市场综合执法"],
        items: &[item("GZ-WL-001", "娱乐场所经营情况检查", "《娱乐场所管理条例》", "文化和旅游部门", "经营许可、安全管理及经营行为", "实地检查", "一般", "文化市场综合执法")],
    },
    Dept {
        name: "住房和城乡建设局",
        share: 5,
        quals: &[("住房城乡建设执法", 1000)],
        specialties: &["建筑市场", "工程质量安全"],
        expert_specialties: &["住房城乡建设执法"],
        items: &[item("GZ-ZJ-001", "建筑施工企业质量安全检查", "《建设工程质量管理条例》", "住房和城乡建设部门", "企业资质、质量安全管理制度及现场管理", "实地检查、查阅资料", "一般", "住房城乡建设执法")],
    },
];

/// Departments of a roster of `inspectors` rows.
fn departments(inspectors: u64) -> &'static [Dept] {
    if inspectors < 200 { &DEPTS[..3] } else { DEPTS }
}

/// Inspector statuses and shares in per mille.
const INSPECTOR_STATUSES: [(&str, u32); 3] = [("在岗", 920), ("休假", 50), ("借调", 30)];

/// What later files need to know of an inspector.
struct Inspector {
    /// 执法证号 or expert registry number.
    id: String,
    /// Index into the department list.
    dept: usize,
    /// An officer (not an expert).
    officer: bool,
    /// 执法资质.
    quals: Vec<&'static str>,
}

/// Splits `total` rows among departments by share (cumulative rounding, so the counts add up).
fn split_by_share(total: u64, depts: &[Dept]) -> Vec<u64> {
    let sum: u64 = depts.iter().map(|d| u64::from(d.share)).sum();
    let mut cum = 0;
    let mut prev = 0;
    depts
        .iter()
        .map(|d| {
            cum += u64::from(d.share);
            let upto = (total * cum + sum / 2) / sum;
            let n = upto - prev;
            prev = upto;
            n
        })
        .collect()
}

/// Writes inspectors.csv and returns the roster.
fn write_inspectors(args: &Args, dir: &Path) -> io::Result<(Vec<Inspector>, (PathBuf, u64))> {
    let mut s = stream(args.seed, "inspectors");
    let depts = departments(args.inspectors);
    let region_w: Vec<u32> = REGIONS.iter().map(|r| r.weight).collect();
    let status_w = weights(&INSPECTOR_STATUSES);
    let mut out = CsvOut::create(
        dir,
        "inspectors.csv",
        args.encoding,
        &headers::INSPECTORS[usize::from(args.english)],
    )?;
    let serial_base = s.below(100_000);
    let mut roster = Vec::with_capacity(args.inspectors as usize);
    let mut experts = 0u64;
    let mut name = String::new();
    let mut list = String::new();
    for (d, (dept, count)) in depts
        .iter()
        .zip(split_by_share(args.inspectors, depts))
        .enumerate()
    {
        let n_experts = ((count + 5) / 10).min(count.saturating_sub(2));
        for k in 0..count {
            let officer = k < count - n_experts;
            let region = &REGIONS[weighted(&mut s, &region_w)];
            let id = if officer {
                let year = 15 + s.below(10);
                let serial = serial_base + roster.len() as u64 + 1;
                format!("{}{year:02}{serial:06}", region.code)
            } else {
                experts += 1;
                format!("ZJ-{experts:04}")
            };
            person_name(&mut s, &mut name);
            let mut quals = Vec::new();
            let mut specialties = Vec::new();
            if officer {
                // The first officers hold the optional qualifications in turn, so that every
                // item of the department has a qualified officer; the rest come by chance.
                let turn = k as usize + 1;
                for (j, &(q, p)) in dept.quals.iter().enumerate() {
                    if j == turn || chance(&mut s, p) {
                        quals.push(q);
                    }
                }
                specialties.push(pick(&mut s, dept.specialties));
            } else {
                specialties.push(pick(&mut s, dept.expert_specialties));
            }
            if chance(&mut s, 500) {
                let pool = if officer {
                    dept.specialties
                } else {
                    dept.expert_specialties
                };
                let extra = pick(&mut s, pool);
                if !specialties.contains(&extra) {
                    specialties.push(extra);
                }
            }
            let status = INSPECTOR_STATUSES[weighted(&mut s, &status_w)].0;
            out.field(&id);
            out.field(&name);
            out.field(dept.name);
            out.field(region.code);
            join_into(&mut list, &quals);
            out.field(&list);
            join_into(&mut list, &specialties);
            out.field(&list);
            out.field(if officer { "执法人员" } else { "专家" });
            out.field(status);
            out.end()?;
            roster.push(Inspector {
                id,
                dept: d,
                officer,
                quals,
            });
        }
    }
    Ok((roster, out.finish()?))
}

/// Writes `words` joined with `;` into `out`.
fn join_into(out: &mut String, words: &[&str]) {
    out.clear();
    for w in words {
        add_tag(out, w);
    }
}

/// A person's name: a surname and one or two given-name characters.
fn person_name(s: &mut Stream, out: &mut String) {
    out.clear();
    out.push_str(pick(s, SURNAMES));
    out.push_str(pick(s, GIVEN));
    if chance(s, 700) {
        out.push_str(pick(s, GIVEN));
    }
}

/// Writes items.csv: the items of the roster's departments.
fn write_items(args: &Args, dir: &Path) -> io::Result<(PathBuf, u64)> {
    let mut out = CsvOut::create(
        dir,
        "items.csv",
        args.encoding,
        &headers::ITEMS[usize::from(args.english)],
    )?;
    for dept in departments(args.inspectors) {
        for it in dept.items {
            for f in [
                it.id,
                it.name,
                it.basis,
                it.subject,
                it.content,
                it.method,
                it.category,
                it.qualification,
            ] {
                out.field(f);
            }
            out.end()?;
        }
    }
    out.finish()
}

// ---------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------

/// The entity generator: one stream, the id permutation and the weight tables.
struct EntityGen {
    /// The entity stream.
    s: Stream,
    /// Turns row numbers into code bodies.
    perm: Permutation,
    /// Region weights.
    region_w: Vec<u32>,
    /// Kind weights.
    kind_w: Vec<u32>,
    /// Trade weights per kind, in [`KINDS`] order.
    trade_w: [Vec<u32>; 3],
    /// Status weights.
    status_w: Vec<u32>,
    /// Risk weights, normal and abnormal.
    risk_w: (Vec<u32>, Vec<u32>),
}

/// The fields of one entity row; reused from row to row.
#[derive(Default)]
struct EntityRow {
    /// 统一社会信用代码 or 注册号.
    id: String,
    /// 名称.
    name: String,
    /// 登记机关.
    authority: String,
    /// 标签, joined with `;`.
    tags: String,
}

impl EntityGen {
    /// A generator for `seed`.
    fn new(seed: u64) -> Self {
        let mut s = stream(seed, "entities");
        let perm = Permutation::new(&mut s);
        EntityGen {
            s,
            perm,
            region_w: REGIONS.iter().map(|r| r.weight).collect(),
            kind_w: weights(&KINDS),
            trade_w: KINDS.map(|(k, _)| k.trades().iter().map(|t| t.weight).collect()),
            status_w: weights(&STATUSES),
            risk_w: (weights(&RISK_NORMAL), weights(&RISK_ABNORMAL)),
        }
    }

    /// Generates row number `idx` into `row` and writes it to `out`.
    fn row(&mut self, idx: u64, row: &mut EntityRow, out: &mut CsvOut) -> io::Result<()> {
        let s = &mut self.s;
        let k = weighted(s, &self.kind_w);
        let kind = KINDS[k].0;
        let region = &REGIONS[weighted(s, &self.region_w)];
        let trade = &kind.trades()[weighted(s, &self.trade_w[k])];
        entity_id(s, &self.perm, idx, kind, region, &mut row.id);
        match kind {
            Kind::Enterprise => enterprise_name(s, region, trade, &mut row.name),
            Kind::Individual => individual_name(s, region, trade, &mut row.name),
            Kind::Cooperative => coop_name(s, region, trade, &mut row.name),
        }
        row.authority.clear();
        let level = s.below(100);
        if kind == Kind::Enterprise && level < 3 {
            row.authority.push_str("贵州省");
        } else if kind == Kind::Enterprise && level < 23 {
            row.authority.push_str(region.city);
            row.authority.push('市');
        } else {
            row.authority.push_str(region.bureau);
        }
        row.authority.push_str("市场监督管理局");
        let status = STATUSES[weighted(s, &self.status_w)].0;
        let abnormal = chance(s, 30);
        let risk = if abnormal {
            RISK_ABNORMAL[weighted(s, &self.risk_w.1)].0
        } else {
            RISK_NORMAL[weighted(s, &self.risk_w.0)].0
        };
        row.tags.clear();
        for &(t, p) in trade.tags {
            if chance(s, p) {
                add_tag(&mut row.tags, t);
            }
        }
        if kind == Kind::Enterprise && chance(s, 750) {
            add_tag(&mut row.tags, "小微企业");
        }
        if !row.tags.contains("电商") && chance(s, 20) {
            add_tag(&mut row.tags, "电商");
        }
        out.field(&row.id);
        out.field(&row.name);
        out.field(kind.label());
        out.field(&row.authority);
        out.field(region.code);
        out.field(trade.code);
        out.field(status);
        out.field(if abnormal { "是" } else { "否" });
        out.field(risk);
        out.field(&row.tags);
        out.end()
    }
}

/// Appends a word to a `;`-separated list.
fn add_tag(tags: &mut String, tag: &str) {
    if !tags.is_empty() {
        tags.push(';');
    }
    tags.push_str(tag);
}

/// Writes the id of row `idx`: about 2% legacy 注册号, the rest USCCs.
///
/// Every part that could collide comes from the row number through a permutation, so ids are
/// unique: a 注册号 is the region code, 8 permuted digits and its ISO 7064 check digit; a USCC is
/// `9`, the kind's type digit, the region code, a 9-character subject id (`MA` and 6 permuted
/// characters, or 8 permuted digits, then the GB 11714 check character, deliberately wrong in about
/// 1.5% of rows, as some issuers did) and the GB 32100 check character.
fn entity_id(
    s: &mut Stream,
    perm: &Permutation,
    idx: u64,
    kind: Kind,
    region: &Region,
    out: &mut String,
) {
    out.clear();
    if chance(s, 20) {
        out.push_str(region.code);
        push_digits(out, perm.apply(idx, 10_000), 8);
        let check = regno_check_digit(out).expect("14 digits");
        out.push(check);
        return;
    }
    out.push('9');
    out.push(kind.uscc_type());
    out.push_str(region.code);
    let body = out.len();
    if chance(s, kind.new_style_per_mille()) {
        out.push_str("MA");
        let mut v = perm.apply(idx, 31 * 31 * 31);
        let chars = USCC_CHARSET.as_bytes();
        let mut tail = [0u8; 6];
        for c in tail.iter_mut().rev() {
            *c = chars[(v % 31) as usize];
            v /= 31;
        }
        out.extend(tail.iter().map(|&b| char::from(b)));
    } else {
        push_digits(out, perm.apply(idx, 10_000), 8);
    }
    let honest = chance(s, 985);
    let wrong = pick(s, &['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    for c in ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'] {
        out.push(c);
        if org_code_check(&out[body..]) {
            break;
        }
        out.pop();
    }
    if !honest {
        let right = out.pop().unwrap_or('0');
        let d = if right == 'X' {
            wrong
        } else {
            // Shift the right digit by 1..=9: a different digit.
            let r = right as u8 - b'0';
            char::from(b'0' + (r + (wrong as u8 - b'0')) % 10)
        };
        out.push(d);
    }
    let check = uscc_check_char(out).expect("17 characters from the USCC charset");
    out.push(check);
}

/// Writes `v` as `width` decimal digits.
fn push_digits(out: &mut String, v: u64, width: usize) {
    use std::fmt::Write as _;
    write!(out, "{v:0width$}").expect("writing to a String");
}

/// A 字号: a stem, sometimes with one more character.
fn brand(s: &mut Stream, out: &mut String) {
    out.push_str(pick(s, BRANDS));
    if chance(s, 300) {
        out.push_str(pick(s, BRAND_TAILS));
    }
}

/// An enterprise name: 贵州黔味源食品有限公司, 遵义鸿泰物流有限公司, 修文县云岭建材有限责任公司,
/// 贵州宏达商贸有限公司清镇分公司.
fn enterprise_name(s: &mut Stream, region: &Region, trade: &Trade, out: &mut String) {
    out.clear();
    let style = s.below(100);
    let form = match s.below(100) {
        0..62 => "有限公司",
        62..92 => "有限责任公司",
        _ => "股份有限公司",
    };
    match style {
        0..45 => out.push_str("贵州"),
        45..70 => out.push_str(region.city),
        70..90 => out.push_str(region.name),
        _ => {}
    }
    brand(s, out);
    if (90..95).contains(&style) {
        out.push_str("（贵州）");
    }
    out.push_str(pick(s, trade.words));
    if style >= 95 {
        out.push_str("贵州");
        out.push_str(form);
        out.push_str(region.short);
        out.push_str("分公司");
    } else {
        out.push_str(form);
    }
}

/// An individual business's name: 修文县龙场镇张记副食店, 南明区黔味小吃店, 息烽县王小芳烟酒店.
fn individual_name(s: &mut Stream, region: &Region, trade: &Trade, out: &mut String) {
    out.clear();
    out.push_str(region.name);
    let style = s.below(100);
    if !region.towns.is_empty() && !(35..85).contains(&style) {
        out.push_str(pick(s, region.towns));
    }
    match style {
        0..35 => {
            out.push_str(pick(s, SURNAMES));
            out.push_str(if chance(s, 700) { "记" } else { "氏" });
        }
        35..50 => {
            out.push_str(pick(s, SURNAMES));
            out.push_str(pick(s, GIVEN));
            out.push_str(pick(s, GIVEN));
        }
        _ => brand(s, out),
    }
    out.push_str(pick(s, trade.words));
}

/// A cooperative's name: 息烽县永靖镇绿野蔬菜种植农民专业合作社.
fn coop_name(s: &mut Stream, region: &Region, trade: &Trade, out: &mut String) {
    out.clear();
    out.push_str(region.name);
    if !region.towns.is_empty() && chance(s, 600) {
        out.push_str(pick(s, region.towns));
    }
    brand(s, out);
    out.push_str(pick(s, trade.words));
    out.push_str("农民专业合作社");
}

// ---------------------------------------------------------------------------------------------
// History and conflicts
// ---------------------------------------------------------------------------------------------

/// Reasons declared for a conflict (回避事由).
const CONFLICT_REASONS: &[&str] = &[
    "近亲属任职",
    "曾在该企业任职",
    "近亲属持有该企业股份",
    "与法定代表人系近亲属",
    "与该企业存在经济往来",
    "其他可能影响公正执法的情形",
];

/// The history writer: picks an item and a team for each sampled entity.
struct HistoryGen {
    /// The history stream.
    s: Stream,
    /// Sorted row numbers of the entities inspected, one entry per inspection.
    rows: Vec<u64>,
    /// Next entry of `rows`.
    next: usize,
    /// Items with the officers qualified for each (indices into the roster).
    items: Vec<(&'static Item, Vec<usize>)>,
    /// The first day of the history year.
    start: Date,
    /// The inspectors' certificate numbers.
    ids: Vec<String>,
    /// Joined inspectors of the row being written.
    team: String,
}

impl HistoryGen {
    /// Samples `count` inspections (with repetition) among `entities` rows.
    fn new(seed: u64, entities: u64, count: u64, roster: &[Inspector], depts: &[Dept]) -> Self {
        let mut s = stream(seed, "history");
        let mut rows: Vec<u64> = (0..count).map(|_| s.below(entities)).collect();
        rows.sort_unstable();
        let items = depts
            .iter()
            .enumerate()
            .flat_map(|(d, dept)| dept.items.iter().map(move |it| (d, it)))
            .map(|(d, it)| {
                let qualified = roster
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| {
                        i.officer && i.dept == d && i.quals.contains(&it.qualification)
                    })
                    .map(|(k, _)| k)
                    .collect();
                (it, qualified)
            })
            .collect();
        HistoryGen {
            s,
            rows,
            next: 0,
            items,
            start: Date::from_ymd(2025, 3, 1).expect("a valid date"),
            ids: roster.iter().map(|i| i.id.clone()).collect(),
            team: String::new(),
        }
    }

    /// The item whose id is `id`, if it has at least two qualified officers.
    fn staffed(&self, id: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|(it, q)| it.id == id && q.len() >= 2)
    }

    /// Writes the inspections of entity row `idx`, if any.
    fn entity(&mut self, idx: u64, row: &EntityRow, out: &mut CsvOut) -> io::Result<()> {
        while self.rows.get(self.next) == Some(&idx) {
            self.next += 1;
            let roll = self.s.below(100);
            let wanted = if row.tags.contains("排污许可") && roll < 30 {
                "GZ-HB-001"
            } else if row.tags.contains("特种设备") && roll < 55 {
                "GZ-SC-003"
            } else if row.tags.contains("药品经营许可") && roll < 75 {
                "GZ-SC-005"
            } else if row.tags.contains("食品") && roll < 75 {
                "GZ-SC-002"
            } else if roll >= 85 {
                if roll >= 93 { "GZ-SW-002" } else { "GZ-SW-001" }
            } else {
                "GZ-SC-001"
            };
            let Some(k) = self.staffed(wanted).or_else(|| self.staffed("GZ-SC-001")) else {
                continue;
            };
            let (it, qualified) = &self.items[k];
            let (a, b) = two_distinct(&mut self.s, qualified.len());
            self.team.clear();
            self.team.push_str(&self.ids[qualified[a]]);
            self.team.push(';');
            self.team.push_str(&self.ids[qualified[b]]);
            let date = self
                .start
                .add_days(self.s.below(365) as i64)
                .expect("a date in 2025-2026");
            let kind = if chance(&mut self.s, 850) {
                "双随机"
            } else {
                "投诉举报"
            };
            out.field(&row.id);
            out.field(&date.to_string());
            out.field(it.id);
            out.field(&self.team);
            out.field(kind);
            out.end()?;
        }
        Ok(())
    }
}

/// The conflict writer: distinct entities, each with one inspector and a reason.
struct ConflictGen {
    /// Sorted (entity row, inspector index, reason) triples.
    rows: Vec<(u64, usize, &'static str)>,
    /// Next entry of `rows`.
    next: usize,
}

impl ConflictGen {
    /// Draws `count` distinct entity rows among `entities`, an inspector and a reason for each.
    fn new(seed: u64, entities: u64, count: u64, inspectors: usize) -> Self {
        let mut s = stream(seed, "conflicts");
        let mut seen = std::collections::BTreeSet::new();
        let mut rows = Vec::with_capacity(count as usize);
        while (seen.len() as u64) < count {
            let e = s.below(entities);
            if seen.insert(e) {
                rows.push((e, index(&mut s, inspectors), pick(&mut s, CONFLICT_REASONS)));
            }
        }
        rows.sort_unstable();
        ConflictGen { rows, next: 0 }
    }

    /// Writes the conflict of entity row `idx`, if any.
    fn entity(
        &mut self,
        idx: u64,
        row: &EntityRow,
        roster: &[Inspector],
        out: &mut CsvOut,
    ) -> io::Result<()> {
        if let Some(&(e, i, reason)) = self.rows.get(self.next)
            && e == idx
        {
            self.next += 1;
            out.field(&roster[i].id);
            out.field(&row.id);
            out.field(reason);
            out.end()?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------

/// Writes every file.
fn run(args: &Args) -> io::Result<()> {
    let started = Instant::now();
    let dir = args.out.as_path();
    fs::create_dir_all(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    let header = usize::from(args.english);
    let (roster, inspectors_done) = write_inspectors(args, dir)?;
    let items_done = write_items(args, dir)?;
    let depts = departments(args.inspectors);
    let mut history = HistoryGen::new(args.seed, args.entities, args.history, &roster, depts);
    let mut conflicts = ConflictGen::new(args.seed, args.entities, args.conflicts, roster.len());

    let mut entities_out = CsvOut::create(
        dir,
        "entities.csv",
        args.encoding,
        &headers::ENTITIES[header],
    )?;
    let mut history_out =
        CsvOut::create(dir, "history.csv", args.encoding, &headers::HISTORY[header])?;
    let mut conflicts_out = CsvOut::create(
        dir,
        "conflicts.csv",
        args.encoding,
        &headers::CONFLICTS[header],
    )?;
    let mut generator = EntityGen::new(args.seed);
    let mut row = EntityRow::default();
    for idx in 0..args.entities {
        generator.row(idx, &mut row, &mut entities_out)?;
        history.entity(idx, &row, &mut history_out)?;
        conflicts.entity(idx, &row, &roster, &mut conflicts_out)?;
    }
    let done = [
        entities_out.finish()?,
        inspectors_done,
        items_done,
        conflicts_out.finish()?,
        history_out.finish()?,
    ];
    for (path, rows) in done {
        let bytes = fs::metadata(&path)?.len();
        eprintln!("{:>12} rows {:>14} bytes  {}", rows, bytes, path.display());
    }
    eprintln!("done in {:.2} s", started.elapsed().as_secs_f64());
    Ok(())
}
