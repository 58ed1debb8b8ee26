//! Reads a UTF-8 history table on one thread, without a CSV parser and without allocating per
//! row.
//!
//! A national history table holds millions of past inspections. Through
//! [`roster_csv::for_each_history`](super::roster_csv::for_each_history) each row is parsed
//! into records, decoded field by field and built into a new [`HistoryRecord`] (three strings
//! and a list): on a table of a million rows that is a second or more of one core, while the
//! entity file is being read on the others. This reader splits each line at its commas, takes
//! the fields as they stand when they are already in canonical form (a clean id, a
//! `YYYY-MM-DD` date, codes without spaces or lower case, a known kind), and fills one record
//! that it hands to the caller by reference and then reuses. A row in any other form goes
//! through the general path, the sequential reader's row rules, with the same warnings. The
//! outcome (rows, digest, warnings, and each row in order) is the sequential reader's, exactly.
//!
//! It declines (returns [`Declined`]) rather than guess whenever the file is not plain: an
//! encoding other than UTF-8, a quote or a carriage return anywhere but before a newline (records
//! only a CSV parser reads right), a line of [`FIELD_LIMIT`] bytes or more, a header it cannot use,
//! or any problem in any row. The caller then starts again with the sequential reader, which
//! reports every problem in order. Rows handed over before the decline are to be forgotten.

use std::borrow::Cow;
use std::io::Read;

use super::entity_scan::{Declined, fill, has_bom, is_blank, unnamed_are_plain};
use super::roster::{
    Driver, Encoding, Leaves, RosterSummary, Table, h, parse_roster_date, split_list,
};
use super::roster_csv::{FIELD_LIMIT, open};
use crate::codes;
use crate::model::{Date, HistoryKind, HistoryRecord};
use crate::normalize;

/// Bytes read at a time: enough to make the cost per read vanish, small beside the memory the
/// entity file's reader takes at the same time.
const BLOCK: usize = 256 << 10;

/// The most inspectors a row may list before it takes the general path.
const MAX_FAST_INSPECTORS: usize = 16;

/// Reads the history table `file` (named `file_name` in warnings) and hands each valid row to
/// `f`, in file order; returns what the sequential reader would have said of the file. With
/// `threads`, rows are hashed on a second thread (for a caller with a core to spare),
/// otherwise on this one.
///
/// The record passed to `f` is reused for the next row: a caller that keeps a row clones it.
pub(crate) fn scan(
    file_name: &str,
    file: impl Read,
    threads: bool,
    f: impl FnMut(&HistoryRecord),
) -> Result<RosterSummary, Declined> {
    scan_blocks(file_name, file, (BLOCK, threads), f)
}

/// [`scan`] reading `block` bytes at a time (small blocks test lines cut between reads).
fn scan_blocks(
    file_name: &str,
    file: impl Read,
    (block, threads): (usize, bool),
    f: impl FnMut(&HistoryRecord),
) -> Result<RosterSummary, Declined> {
    let (bom, head, mut reader) = open(file).map_err(|_| Declined::Io)?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(Declined::Encoding);
    }
    let mut s = Scanner {
        driver: Driver::new(file_name, false),
        columns: None,
        line: 0,
        leaves: Leaves::new(!threads),
        rows: 0,
        scratch: HistoryRecord {
            entity: String::new(),
            date: Date::from_ymd(2000, 1, 1).ok_or(Declined::Problem)?,
            item: String::new(),
            inspectors: Vec::new(),
            kind: HistoryKind::Random,
        },
        f,
    };
    let mut buf = Vec::with_capacity(2 * block);
    loop {
        let want = buf.len() + block;
        let eof = fill(&mut reader, &mut buf, want)?;
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(p) => p + 1,
                None if buf.len() > FIELD_LIMIT => return Err(Declined::Problem),
                None => continue,
            }
        };
        s.lines(&buf[..cut])?;
        if eof {
            break;
        }
        buf.drain(..cut);
    }
    s.finish(bom)
}

/// Where the header put each field, and how wide rows are.
struct Columns {
    /// Per field of the history table, the column holding it.
    of_field: [Option<usize>; 5],
    /// Columns no field is named in.
    unnamed: Vec<usize>,
    /// Fields per row.
    width: usize,
}

/// The reading state between blocks.
struct Scanner<F> {
    /// The header and the general path.
    driver: Driver<HistoryRecord>,
    /// Set once the header has been read.
    columns: Option<Columns>,
    /// Lines read so far.
    line: u64,
    leaves: Leaves,
    rows: u64,
    /// The record handed to the caller, refilled for each row on the plain path.
    scratch: HistoryRecord,
    f: F,
}

impl<F: FnMut(&HistoryRecord)> Scanner<F> {
    /// Reads whole lines (the last may lack its newline only at the end of the file).
    fn lines(&mut self, data: &[u8]) -> Result<(), Declined> {
        let text = simdutf8::basic::from_utf8(data).map_err(|_| Declined::Encoding)?;
        // No quote; a carriage return ends a record wherever it stands, so here only before a
        // newline or at the end of the file, where it ends the line anyway.
        for p in memchr::memchr2_iter(b'"', b'\r', data) {
            if data[p] == b'"' || data.get(p + 1).is_some_and(|&b| b != b'\n') {
                return Err(Declined::Quoting);
            }
        }
        let mut fields: Vec<&str> = Vec::with_capacity(16);
        let (mut start, mut from) = (0, 0);
        for p in memchr::memchr2_iter(b',', b'\n', data) {
            fields.push(&text[from..p]);
            from = p + 1;
            if data[p] == b'\n' {
                self.line(&mut fields, p - start)?;
                start = from;
            }
        }
        if start < data.len() {
            fields.push(&text[from..]);
            self.line(&mut fields, data.len() - start)?;
        }
        Ok(())
    }

    /// Takes the `fields` of a line `len` bytes long before its newline, and clears them.
    fn line(&mut self, fields: &mut Vec<&str>, len: usize) -> Result<(), Declined> {
        self.line += 1;
        if len >= FIELD_LIMIT {
            return Err(Declined::Problem);
        }
        if let Some(last) = fields.last_mut()
            && let Some(cut) = last.strip_suffix('\r')
        {
            *last = cut;
        }
        let read = self.record(fields);
        fields.clear();
        read
    }

    /// One record of the file: the header, a blank row, or a row. An empty line is blank too
    /// (the CSV parser passes over it).
    fn record(&mut self, fields: &[&str]) -> Result<(), Declined> {
        if is_blank(fields) {
            return Ok(());
        }
        let Some(columns) = &self.columns else {
            return self.header(fields);
        };
        if fields.len() != columns.width {
            return Err(Declined::Problem);
        }
        // A plain row holds no byte order mark (its fields are ASCII but for known words and
        // list separators).
        if plain_row(columns, fields, &mut self.scratch) {
            self.rows += 1;
            return take(&mut self.leaves, &mut self.f, &self.scratch);
        }
        if has_bom(fields) {
            return Err(Declined::Problem);
        }
        // The general path: what the sequential reader does with the row.
        let cells: Vec<Cow<'_, str>> = fields.iter().map(|f| Cow::Borrowed(*f)).collect();
        let row = self.driver.row(&cells, self.line, Vec::new());
        if self.driver.has_errors() {
            return Err(Declined::Problem);
        }
        let row = row.ok_or(Declined::Problem)?;
        self.rows += 1;
        take(&mut self.leaves, &mut self.f, &row)
    }

    /// The header row: usable, without problems, or the file is declined.
    fn header(&mut self, fields: &[&str]) -> Result<(), Declined> {
        if has_bom(fields) {
            return Err(Declined::Header);
        }
        let cells: Vec<Cow<'_, str>> = fields.iter().map(|f| Cow::Borrowed(*f)).collect();
        if !self.driver.header(&cells, self.line) || self.driver.has_errors() {
            return Err(Declined::Header);
        }
        let map = self.driver.header_map().ok_or(Declined::Header)?;
        self.columns = Some(Columns {
            of_field: map.field_columns(),
            unnamed: map.unnamed_columns(),
            width: fields.len(),
        });
        Ok(())
    }

    /// What the sequential reader would have said of the file.
    fn finish(self, bom: bool) -> Result<RosterSummary, Declined> {
        if self.columns.is_none() {
            return Err(Declined::Header);
        }
        let finished = self.driver.finish().map_err(|_| Declined::Problem)?;
        Ok(RosterSummary {
            table: Table::History,
            rows: self.rows,
            digest: self.leaves.finish().digest(Table::History.as_str()),
            warnings: finished.warnings,
            warnings_omitted: finished.warnings_omitted,
            encoding: if bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            },
            header_language: finished.header_language,
            columns: finished.columns,
        })
    }
}

/// Fingerprints a valid row (SPEC §3.4) and hands it to `f`.
fn take(
    leaves: &mut Leaves,
    f: &mut impl FnMut(&HistoryRecord),
    row: &HistoryRecord,
) -> Result<(), Declined> {
    // Writing a history row's canonical JSON cannot fail; should it, the sequential reader
    // reports it.
    leaves.push(row).map_err(|_| Declined::Problem)?;
    f(row);
    Ok(())
}

/// Whether `raw` is a code that [`normalize::code`] leaves as it is: ASCII, with no space and
/// no lower-case letter.
fn is_plain_code(raw: &str) -> bool {
    raw.bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ' | b'a'..=b'z'))
}

/// Fills `out` with a row whose every field is already in canonical form, and says whether it
/// did; `false` (with `out` in any state) if a field needs the general path, which normalises,
/// explains or warns.
///
/// Each field follows `HistoryRecord::build` in `roster.rs` rule for rule; the tests compare
/// the two on random rows.
fn plain_row(columns: &Columns, fields: &[&str], out: &mut HistoryRecord) -> bool {
    if !unnamed_are_plain(&columns.unnamed, fields) {
        return false;
    }
    let raw = |fi: usize| columns.of_field[fi].map_or("", |c| fields[c]);
    let entity = raw(h::ENTITY);
    if !codes::is_clean_entity_id(entity) {
        return false;
    }
    // An ASCII date holds no byte order mark, which the general path refuses.
    let date = raw(h::DATE);
    if !date.is_ascii() || normalize::is_blank(date) {
        return false;
    }
    let Some(date) = parse_roster_date(date) else {
        return false;
    };
    let item = raw(h::ITEM);
    if !is_plain_code(item) {
        return false;
    }
    // A known word as it stands: every spelling, in either ASCII case, is unchanged by
    // `normalize::text` (a test checks each).
    let kind = match raw(h::KIND) {
        "" => HistoryKind::Random,
        k => match HistoryKind::parse(k) {
            Some(k) => k,
            None => return false,
        },
    };
    let mut names = [""; MAX_FAST_INSPECTORS];
    let mut n = 0;
    for name in split_list(raw(h::INSPECTORS)) {
        if name.is_empty() {
            continue;
        }
        if !is_plain_code(name) {
            return false;
        }
        let Some(slot) = names.get_mut(n) else {
            return false;
        };
        *slot = name;
        n += 1;
    }
    let names = &mut names[..n];
    names.sort_unstable();
    out.inspectors.truncate(n);
    let mut kept = 0;
    for i in 0..names.len() {
        if i > 0 && names[i] == names[i - 1] {
            continue;
        }
        match out.inspectors.get_mut(kept) {
            Some(s) => {
                s.clear();
                s.push_str(names[i]);
            }
            None => out.inspectors.push(names[i].to_owned()),
        }
        kept += 1;
    }
    out.inspectors.truncate(kept);
    out.entity.clear();
    out.entity.push_str(entity);
    out.date = date;
    out.item.clear();
    out.item.push_str(item);
    out.kind = kind;
    true
}

#[cfg(any(test, feature = "test-support"))]
/// What checking the scan against the sequential reader found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Agreement {
    /// Both read the file, with the same summary and the same rows in the same order.
    Same,
    /// The scan declined (the sequential reader may or may not have accepted the file).
    Declined(Declined),
}

#[cfg(any(test, feature = "test-support"))]
/// Scans `data` reading `block` bytes at a time, and compares the outcome with
/// [`roster_csv::for_each_history`](super::roster_csv::for_each_history): a scan that reads
/// the file must say exactly what the sequential reader says.
///
/// # Errors
///
/// A description of the disagreement.
pub(crate) fn cross_check(data: &[u8], block: usize) -> Result<Agreement, String> {
    let mut want = Vec::new();
    let seq = super::roster_csv::for_each_history("h.csv", data, false, |_, h| {
        want.push(h);
        Ok::<(), super::error::InputErrors>(())
    });
    let mut outcomes = Vec::new();
    for threads in [false, true] {
        let mut got = Vec::new();
        let scanned = scan_blocks("h.csv", data, (block, threads), |h| got.push(h.clone()));
        outcomes.push((scanned, got));
    }
    if outcomes[0] != outcomes[1] {
        return Err("hashing on a second thread changed the outcome".into());
    }
    let (scanned, got) = outcomes.swap_remove(0);
    let scanned = match scanned {
        Ok(s) => s,
        Err(d) => return Ok(Agreement::Declined(d)),
    };
    let summary = seq.map_err(|e| format!("the scan accepted a file with problems: {e}"))?;
    if scanned != summary {
        return Err(format!("summaries differ: {scanned:?} against {summary:?}"));
    }
    if got != want {
        return Err("the rows differ".into());
    }
    Ok(Agreement::Same)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::entity_scan::tests::{org_warned, uscc};
    use proptest::prelude::*;

    const HEADER: &str = "统一社会信用代码,检查日期,事项编号,检查人员,检查类型\n";

    /// Scans and compares with the sequential reader at several block sizes; `Ok(())` when
    /// both read the file at every size, the first decline otherwise.
    fn check(data: &[u8]) -> Result<(), Declined> {
        for block in [1, 7, 64, BLOCK] {
            match cross_check(data, block) {
                Ok(Agreement::Same) => {}
                Ok(Agreement::Declined(d)) => return Err(d),
                Err(e) => panic!("block {block}: {e}"),
            }
        }
        Ok(())
    }

    /// `n` plain rows.
    fn plain(n: u64) -> String {
        let mut csv = String::from(HEADER);
        for i in 0..n {
            csv.push_str(&format!(
                "{},2025-{:02}-{:02},GZ-SC-00{},P{};P{};P{},{}\n",
                uscc(i),
                i % 12 + 1,
                i % 28 + 1,
                i % 3,
                i % 5,
                i % 3,
                i % 5,
                ["双随机", "", "random", "投诉举报"][i as usize % 4]
            ));
        }
        csv
    }

    /// The columns of [`HEADER`].
    fn columns() -> Columns {
        Columns {
            of_field: [Some(0), Some(1), Some(2), Some(3), Some(4)],
            unnamed: vec![],
            width: 5,
        }
    }

    #[test]
    fn plain_rows_are_read_without_the_general_path() {
        // More rows than a batch of leaves: hashed on a second thread too.
        let csv = plain(5_000);
        assert_eq!(check(csv.as_bytes()), Ok(()));
        let mut out = HistoryRecord {
            entity: "old".into(),
            date: Date::from_ymd(2000, 1, 1).unwrap(),
            item: "old".into(),
            inspectors: vec!["x".into(); 5],
            kind: HistoryKind::Case,
        };
        for line in csv.lines().skip(1).take(500) {
            let fields: Vec<&str> = line.split(',').collect();
            assert!(plain_row(&columns(), &fields, &mut out), "{line}");
            let want = crate::formats::roster_csv::read_history(
                "h.csv",
                format!("{HEADER}{line}\n").as_bytes(),
            )
            .unwrap()
            .rows
            .remove(0);
            assert_eq!(out, want, "{line}");
        }
    }

    #[test]
    fn rows_off_the_plain_path_give_the_sequential_result_and_warnings() {
        let mut csv = String::from("\u{feff}\r\n ,, ,,\r\n");
        csv.push_str(&HEADER.replace('\n', "\r\n"));
        csv.push_str("\r\n");
        for i in 0..300u64 {
            let id = uscc(i);
            let row = match i % 10 {
                0 => format!(
                    " {} ,2025/3/{},gz-sc-001, p1 ；P2、p1|,CASE\r\n",
                    id.to_lowercase(),
                    i % 28 + 1
                ),
                1 => format!("{id},2025年3月1日,ＧＺ-SC-001,,抽查\r\n"),
                // A USCC whose organisation code fails its check: a warning.
                2 => format!("{},2025-03-01,,P1,\r\n", org_warned(i)),
                3 => format!("{id},2025-03-01,,P1;P1;;P0,双随机\r\n"),
                4 => format!("{id}, 2025-03-01,,P1,双随机\r\n"),
                5 => format!("{id},2025-03-01,A\tB,P1,双随机\r\n"),
                6 => format!(
                    "{id},2025-03-01,,{},双随机\r\n",
                    (0..20)
                        .map(|k| format!("P{k}"))
                        .collect::<Vec<_>>()
                        .join(";")
                ),
                7 => format!("{id},2025-03-01,,P1, 双随机 \r\n"),
                8 => ",,,,\r\n\r\n".to_string(),
                _ => format!("{id},2025-03-01,I\u{1},P1\\,random\r\n"),
            };
            csv.push_str(&row);
        }
        csv.push_str(&format!("{},2025-03-01,,P1,", uscc(9)));
        assert_eq!(check(csv.as_bytes()), Ok(()));
        let summary = scan("h.csv", csv.as_bytes(), true, |_| {}).unwrap();
        assert_eq!(summary.encoding, Encoding::Utf8Bom);
        assert!(!summary.warnings.is_empty());
        assert_eq!(summary.warnings[0].line, 7, "{:?}", summary.warnings[0]);
    }

    #[test]
    fn other_headers_columns_and_files_without_rows() {
        let id = uscc(1);
        for csv in [
            format!("kind,entity,,date\nrandom,{id},,2025-03-01\ncase,{id}, \t,2025-03-02\n"),
            format!("entity,date\n{id},2025-03-01"),
            "entity,date,item,inspectors,kind\n".to_string(),
            "entity,date,item,inspectors,kind".to_string(),
            format!("\n\n{HEADER}\n"),
        ] {
            assert_eq!(check(csv.as_bytes()), Ok(()), "{csv:?}");
        }
    }

    #[test]
    fn files_that_are_not_plain_or_have_problems_are_declined() {
        let id = uscc(1);
        let row = format!("{id},2025-03-01,,P1,\n");
        let cases: [(String, Declined); 11] = [
            (
                format!("{HEADER}{id},2025-03-01,\"A\",P1,\n"),
                Declined::Quoting,
            ),
            (
                format!("{HEADER}{id},2025-03-01,A\rB,P1,\n"),
                Declined::Quoting,
            ),
            (
                format!("{HEADER}{row}{id},2025-13-01,,P1,\n"),
                Declined::Problem,
            ),
            (
                format!("{HEADER}{row}bad,2025-03-01,,P1,\n"),
                Declined::Problem,
            ),
            (
                format!("{HEADER}{row}{id},2025-03-01,,P1,抽签\n"),
                Declined::Problem,
            ),
            (format!("{HEADER}{id},2025-03-01,,P1\n"), Declined::Problem),
            (
                format!("{HEADER}{id},2025-03-01,,P1,,x\n"),
                Declined::Problem,
            ),
            (
                format!("{HEADER}{id},2025-03-01,\u{feff}A,P1,\n"),
                Declined::Problem,
            ),
            (
                format!("{HEADER}{id},2025-03-01,{},P1,\n", "A".repeat(FIELD_LIMIT)),
                Declined::Problem,
            ),
            ("entity,name\n".to_string(), Declined::Header),
            (String::new(), Declined::Header),
        ];
        for (csv, want) in cases {
            assert_eq!(check(csv.as_bytes()), Err(want), "{csv:.80}");
        }
        let gbk = encoding_rs::GBK.encode(&plain(10)).0.into_owned();
        assert_eq!(check(&gbk), Err(Declined::Encoding));
        assert_eq!(check(b"\xFF\xFEe\0"), Err(Declined::Encoding));
    }

    #[test]
    fn a_reused_record_is_refilled_in_full() {
        // A long list, then a short one, then the general path, then a plain row again.
        let id = uscc(2);
        let csv = format!(
            "{HEADER}{id},2025-03-01,A,P3;P2;P1,case\n{id},2025-03-02,,P9,\n{id},2025-03-03,b,p1,\n{id},2025-03-04,,,\n"
        );
        let mut seen = Vec::new();
        scan("h.csv", csv.as_bytes(), true, |h| seen.push(h.clone())).unwrap();
        let want = crate::formats::roster_csv::read_history("h.csv", csv.as_bytes()).unwrap();
        assert_eq!(seen, want.rows);
        assert!(seen[3].inspectors.is_empty() && seen[3].item.is_empty());
    }

    /// Pieces of CSV text that exercise line ends, blank rows, lists and normalisation.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(uscc(3)),
            Just(uscc(3).to_lowercase()),
            Just(org_warned(3)),
            Just("110108000000016".to_string()),
            Just("2025-03-01".to_string()),
            Just("2025/3/1".to_string()),
            Just("2025-02-30".to_string()),
            Just("双随机".to_string()),
            Just("Case".to_string()),
            Just("P1".to_string()),
            Just("p1".to_string()),
            Just(";".to_string()),
            Just("、".to_string()),
            Just(",".to_string()),
            Just(",,".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("\"".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\u{3000}".to_string()),
            Just("\u{feff}".to_string()),
            Just("\u{1}".to_string()),
            Just("\\".to_string()),
            Just("Ａ".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_input_is_read_as_the_sequential_reader_reads_it_or_declined(
            rows in proptest::collection::vec(proptest::collection::vec(piece(), 0..14), 0..12),
            block in 1usize..200,
        ) {
            let mut csv = String::from(HEADER);
            for r in &rows {
                csv.push_str(&r.concat());
            }
            // `cross_check` fails on any disagreement; declining is allowed.
            cross_check(csv.as_bytes(), block).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn valid_rows_in_any_spelling_are_never_declined(
            rows in proptest::collection::vec((
                prop_oneof![Just(uscc(4)), Just(uscc(4).to_lowercase()), Just(format!(" {} ", uscc(4))),
                    Just(org_warned(4)), Just("１１０１０８０００００００１６".to_string())],
                prop_oneof![Just("2025-03-01"), Just("2025/3/1"), Just(" 2025-03-01"), Just("2025年3月1日")],
                prop_oneof![Just(""), Just("GZ-SC-001"), Just("gz-sc-001"), Just(" A B "), Just("\u{1}")],
                prop_oneof![Just(""), Just("P2;P1;P2"), Just("p1；P2、P3|p4"), Just(" ; "), Just("Ｐ１")],
                prop_oneof![Just(""), Just("双随机"), Just("CASE"), Just(" random "), Just("投诉举报")],
                any::<bool>(),
            ), 1..20),
            block in 1usize..300,
        ) {
            let mut csv = String::from(HEADER);
            for (a, b, c, d, e, crlf) in &rows {
                csv.push_str(&[a.as_str(), b, c, d, e].join(","));
                csv.push_str(if *crlf { "\r\n" } else { "\n" });
            }
            prop_assert_eq!(cross_check(csv.as_bytes(), block), Ok(Agreement::Same));
        }
    }
}
