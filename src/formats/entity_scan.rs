//! Reads a UTF-8 entity roster on every core, without building an [`Entity`] per row.
//!
//! [`roster_csv::for_each_entity`](super::roster_csv::for_each_entity) reads row after row
//! and builds an `Entity` (a dozen strings) for each; on a national roster that costs far more
//! than parsing the file. This reader cuts the file into blocks of whole records, lets one
//! worker per core check, fingerprint and hand over each row as borrowed
//! [`EntityFields`], and only takes the general path for a row whose text is not already in
//! canonical form (surrounding spaces, full-width or lower-case codes, text that is not NFC, a
//! warning). The outcome — rows, digest, warnings, what each row says — is the sequential
//! reader's, exactly.
//!
//! It declines (returns [`Declined`]) rather than guess whenever the file is not plain: an
//! encoding other than UTF-8, any problem in any row, a header it cannot use, or a block cut
//! inside a quoted field. The caller then reads the file again with the sequential reader, which
//! finds and reports every problem in order. Declining costs one more read of the file; it never
//! changes a result.
//!
//! One check is left to the caller: that no id occurs twice. The collector sees every id and
//! keeps what it needs of each row anyway (the pipeline keeps the packed id of every row), so it
//! checks uniqueness in far less memory than a separate set of ids would take; on a repeat the
//! caller reads the file sequentially, which reports it.
//!
//! How blocks are cut: a block ends after a newline that an even number of `"` precede
//! (counted from the block's start, which is a record boundary). Where that guess is wrong (a
//! `"` inside an unquoted field), the worker parsing the record that spans the cut runs out of
//! input before the record ends, and the scan declines.

use super::error::{InputWarning, InputWarningKind, MAX_REPORTED};
use super::roster::{
    Driver, Encoding, RosterSummary, Table, e, pack_entity_id, split_list, write_entity_json,
    write_plain_entity_json,
};
use super::roster_csv::{FIELD_LIMIT, ROW_LIMIT, WINDOW_LIMIT};
use crate::codes::{self, CodeWarning};
use crate::digest::{Digest32, LeafSet, RowHasher};
use crate::model::{Entity, EntityFields, EntityKind, EntityStatus, RiskClass};
use std::borrow::Cow;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

/// What the caller does with each valid row, on the worker threads.
///
/// The collector must check that no id comes twice (see the [module docs](self)).
pub(crate) trait Collector: Send + Sized {
    /// Takes one valid row, which lies at `offset` (after any byte order mark) and is `len`
    /// bytes long with its line end.
    fn add<T: AsRef<str>>(&mut self, e: &EntityFields<'_, T>, offset: u64, len: usize);
    /// Takes over what another collector took. Rows reach collectors in no particular order.
    fn merge(&mut self, other: Self);
}

/// A finished scan.
pub(crate) struct Scanned<C> {
    /// What the sequential reader would have said of the file, once digested.
    pub(crate) summary: Undigested,
    /// Every row, collected.
    pub(crate) collected: C,
    /// Bytes of the file before its first data row: any byte order mark, the header row and
    /// blank lines. With them, rows read again from the file can be scanned again on their own.
    pub(crate) header_end: u64,
}

/// A scan's summary before the table digest: the leaves it is made of, and the rest.
///
/// Sorting and hashing ten million leaves takes about half a second on two cores; a caller
/// with other work to do (the pipeline draws meanwhile) digests them beside it.
pub(crate) struct Undigested {
    /// The summary, but for its digest, which [`Undigested::digest`] sets.
    summary: RosterSummary,
    leaves: LeafSet,
}

impl Undigested {
    /// The summary, with the digest of the leaves (SPEC §3.4).
    pub(crate) fn digest(mut self) -> RosterSummary {
        self.summary.digest = self.leaves.digest(Table::Entities.as_str());
        self.summary
    }

    /// How the file was encoded.
    pub(crate) fn encoding(&self) -> Encoding {
        self.summary.encoding
    }
}

/// Why the scan gave the file back to the sequential reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Declined {
    /// Reading failed.
    Io,
    /// A byte order mark of UTF-16, or text that is not UTF-8.
    Encoding,
    /// The header row is missing, too long or has problems.
    Header,
    /// A row has a problem.
    Problem,
    /// A block was cut inside a record.
    Misaligned,
    /// The file has no data row.
    NoRows,
    /// A quote or a lone carriage return: records that only a CSV parser reads right (the
    /// history reader, which has none, declines them).
    Quoting,
}

/// Bytes read per block.
const BLOCK: usize = 1 << 20;

/// The most rows a block may hold tags for on the stack before a row takes the general path.
const MAX_FAST_TAGS: usize = 16;

/// Reads the entity roster `file` (named `file_name` in problems) with `threads` workers, each
/// collecting rows into a collector made by `make`.
pub(crate) fn scan<C: Collector>(
    file_name: &str,
    file: impl Read,
    threads: usize,
    make: impl Fn() -> C + Sync,
) -> Result<Scanned<C>, Declined> {
    scan_blocks(file_name, file, (threads, BLOCK, true), make)
}

/// Reads rows as [`scan`] does, but without fingerprinting them: for rows read a second time,
/// whose digest is known already. Only what the collector collected comes back.
pub(crate) fn scan_rows<C: Collector>(
    file_name: &str,
    file: impl Read,
    threads: usize,
    make: impl Fn() -> C + Sync,
) -> Result<C, Declined> {
    scan_blocks(file_name, file, (threads, BLOCK, false), make).map(|s| s.collected)
}

/// Every row of an entity roster, owned and in file order, with the sequential reader's warnings:
/// what [`roster_csv::read_entities`](super::roster_csv::read_entities) gives, read on every
/// core.
pub(crate) struct AllRows {
    /// The rows, in the order of the file.
    pub(crate) rows: Vec<Entity>,
    /// The warnings, as the sequential reader reports them (at most [`MAX_REPORTED`]).
    pub(crate) warnings: Vec<InputWarning>,
    /// Columns ignored and fields absent, as the sequential reader reports them.
    pub(crate) columns: super::roster::Columns,
}

/// Reads every row of the entity roster `file` into memory with `threads` workers; `None` if
/// the scan declines the file or an id occurs twice. The caller then reads it with the
/// sequential reader, which reports what it finds.
///
/// For the ceremony, which holds the whole roster: several times faster than the sequential
/// reader on a plain file, with the same rows, in the same order, and the same warnings.
pub(crate) fn read_all(file_name: &str, file: impl Read, threads: usize) -> Option<AllRows> {
    read_all_blocks(file_name, file, threads, BLOCK)
}

/// [`read_all`] with blocks of `block` bytes.
fn read_all_blocks(
    file_name: &str,
    file: impl Read,
    threads: usize,
    block: usize,
) -> Option<AllRows> {
    let scanned = scan_blocks(
        file_name,
        file,
        (threads, block, false),
        InFileOrder::default,
    )
    .ok()?;
    let mut rows = scanned.collected.0;
    // The check left to the caller: every id once. Ids are compared packed where they pack
    // (a packed id and one that does not pack are never equal), which sorts far faster.
    let (mut packed, mut other) = (Vec::with_capacity(rows.len()), Vec::new());
    for (_, e) in &rows {
        match pack_entity_id(&e.id) {
            Some(key) => packed.push(key),
            None => other.push(e.id.as_str()),
        }
    }
    packed.sort_unstable();
    other.sort_unstable();
    if packed.windows(2).any(|w| w[0] == w[1]) || other.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    drop((packed, other));
    // Each worker's rows are in file order, one worker's after another's: put them in order by
    // moving each row once, along the cycles of the permutation, rather than sorting rows.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by_key(|&i| rows[i].0);
    permute(&mut rows, &mut order);
    Some(AllRows {
        rows: rows.into_iter().map(|(_, e)| e).collect(),
        warnings: scanned.summary.summary.warnings,
        columns: scanned.summary.summary.columns,
    })
}

/// Rearranges `v` so that its `i`th element is the one that was at `order[i]`; `order` (a
/// permutation of the indices) is used up.
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        // Follow the cycle through `start`, marking each place done by pointing it at itself.
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            v.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// Rows with their offsets, owned, for [`read_all`].
#[derive(Default)]
struct InFileOrder(Vec<(u64, Entity)>);

impl Collector for InFileOrder {
    fn add<T: AsRef<str>>(&mut self, e: &EntityFields<'_, T>, offset: u64, _: usize) {
        self.0.push((offset, e.to_entity()));
    }

    fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

/// [`scan`] with blocks of `block` bytes (small blocks test the cutting); rows are fingerprinted
/// if `hash` (otherwise the summary's digest means nothing).
fn scan_blocks<C: Collector>(
    file_name: &str,
    mut file: impl Read,
    (threads, block, hash): (usize, usize, bool),
    make: impl Fn() -> C + Sync,
) -> Result<Scanned<C>, Declined> {
    let block = block.max(1);
    let mut buf = Vec::with_capacity(2 * block);
    let mut eof = fill(&mut file, &mut buf, block)?;
    if buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF") {
        return Err(Declined::Encoding);
    }
    let bom = buf.starts_with(b"\xEF\xBB\xBF");
    if bom {
        buf.drain(..3);
    }
    let header = loop {
        match Header::parse(file_name, &buf, eof)? {
            Some(h) => break h,
            None if buf.len() > WINDOW_LIMIT => return Err(Declined::Header),
            None => {
                let want = buf.len() + block;
                eof = fill(&mut file, &mut buf, want)?;
            }
        }
    };
    let data_start = header.end;
    let base_lines = count_newlines(&buf[..data_start]);
    buf.drain(..data_start);

    let start = (buf, eof, data_start as u64, block);
    let parts = if threads <= 1 {
        vec![scan_here(
            file_name,
            &mut file,
            start,
            &header,
            hash,
            make(),
        )?]
    } else {
        scan_on_workers(file_name, &mut file, start, (threads, hash), &header, &make)?
    };
    let header_end = data_start as u64 + if bom { 3 } else { 0 };
    finish(file_name, bom, (base_lines, header_end), &header, parts)
}

/// Where the blocks after the header start: the buffer read so far (from the first record),
/// whether the file ended, the stream offset of the buffer's first byte, and the block size.
type Start = (Vec<u8>, bool, u64, usize);

/// Reads every block on the calling thread and parses it there: for one thread, and for targets
/// without threads (WebAssembly in a browser). The rows, warnings and digest are those of any
/// number of workers.
fn scan_here<C: Collector>(
    file_name: &str,
    file: &mut impl Read,
    start: Start,
    header: &Header,
    hash: bool,
    collector: C,
) -> Result<Part<C>, Declined> {
    let mut worker = Worker::new(file_name, header, collector);
    worker.hash = hash;
    let abort = AtomicBool::new(false);
    // The block just parsed, whose buffer the next block reuses.
    let spare = std::cell::Cell::new(None);
    read_blocks(
        file,
        start,
        &mut |chunk| {
            if let Err(d) = worker.chunk(&chunk) {
                worker.part.declined.get_or_insert(d);
                abort.store(true, Ordering::Relaxed);
            }
            spare.set(Some(chunk.data));
            true
        },
        &mut || spare.take(),
        &abort,
    )?;
    Ok(worker.part)
}

/// Reads the blocks on the calling thread and parses them on `threads` workers.
fn scan_on_workers<C: Collector>(
    file_name: &str,
    file: &mut impl Read,
    start: Start,
    (threads, hash): (usize, bool),
    header: &Header,
    make: &(impl Fn() -> C + Sync),
) -> Result<Vec<Part<C>>, Declined> {
    let abort = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<Chunk>(threads * 2);
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let (recycle_tx, recycle_rx) = mpsc::channel::<Vec<u8>>();
        let mut workers = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (rx, abort) = (&rx, &abort);
            let recycle_tx = recycle_tx.clone();
            workers.push(scope.spawn(move || {
                let mut worker = Worker::new(file_name, header, make());
                worker.hash = hash;
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => break,
                    };
                    let Ok(chunk) = next else { break };
                    if !abort.load(Ordering::Relaxed)
                        && let Err(d) = worker.chunk(&chunk)
                    {
                        worker.part.declined.get_or_insert(d);
                        abort.store(true, Ordering::Relaxed);
                    }
                    // The reader may be gone; the buffer is then simply dropped.
                    let _ = recycle_tx.send(chunk.data);
                }
                worker.part
            }));
        }
        drop(recycle_tx);
        let read = read_blocks(
            file,
            start,
            &mut |chunk| tx.send(chunk).is_ok(),
            &mut || recycle_rx.try_recv().ok(),
            &abort,
        );
        if read.is_err() {
            abort.store(true, Ordering::Relaxed);
        }
        drop(tx);
        let mut parts = Vec::with_capacity(workers.len());
        for w in workers {
            match w.join() {
                Ok(p) => parts.push(p),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        read.map(|()| parts)
    })
}

/// Reads from `file` until `buf` holds at least `want` bytes or the file ends; `true` at the end.
pub(crate) fn fill(file: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> Result<bool, Declined> {
    while buf.len() < want {
        let need = (want - buf.len()) as u64;
        match file.by_ref().take(need).read_to_end(buf) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Declined::Io),
        }
    }
    Ok(false)
}

/// Newlines in `b`.
fn count_newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Where to cut a block that starts at a record boundary: after the last newline preceded by
/// an even number of quotes; `None` if there is none.
fn find_cut(b: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', b).is_none() {
        return memchr::memrchr(b'\n', b).map(|p| p + 1);
    }
    let mut quoted = false;
    let mut cut = None;
    for p in memchr::memchr2_iter(b'"', b'\n', b) {
        if b[p] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            cut = Some(p + 1);
        }
    }
    cut
}

/// A block of whole records handed to a worker.
struct Chunk {
    /// Its place in the file, from 0.
    index: usize,
    /// The records are `data[..len]`.
    data: Vec<u8>,
    len: usize,
    /// Stream offset (after any byte order mark) of `data[0]`.
    offset: u64,
    /// The file ends with this block.
    last: bool,
}

/// The reading loop: cuts the stream into chunks and sends them to the workers.
fn read_blocks(
    file: &mut impl Read,
    (mut buf, mut eof, mut offset, block): Start,
    send: &mut dyn FnMut(Chunk) -> bool,
    recycled: &mut dyn FnMut() -> Option<Vec<u8>>,
    abort: &AtomicBool,
) -> Result<(), Declined> {
    let mut index = 0;
    let mut need_more = false;
    loop {
        if abort.load(Ordering::Relaxed) {
            return Ok(());
        }
        if !eof {
            let want = if need_more {
                buf.len() + block
            } else {
                block.max(buf.len())
            };
            eof = fill(file, &mut buf, want)?;
        }
        if eof {
            let len = buf.len();
            let chunk = Chunk {
                index,
                data: buf,
                len,
                offset,
                last: true,
            };
            // A refusal means every worker stopped; they say why.
            let _ = send(chunk);
            return Ok(());
        }
        let Some(cut) = find_cut(&buf) else {
            if buf.len() > 2 * WINDOW_LIMIT + block {
                return Err(Declined::Misaligned);
            }
            need_more = true;
            continue;
        };
        need_more = false;
        let mut next = recycled().unwrap_or_default();
        next.clear();
        next.reserve(2 * block);
        next.extend_from_slice(&buf[cut..]);
        let chunk = Chunk {
            index,
            data: std::mem::replace(&mut buf, next),
            len: cut,
            offset,
            last: false,
        };
        if !send(chunk) {
            return Ok(());
        }
        index += 1;
        offset += cut as u64;
    }
}

/// The header row, parsed once and shared by the workers.
struct Header {
    /// Its cells, decoded.
    cells: Vec<String>,
    /// Its line.
    line: u64,
    /// Stream offset just past it.
    end: usize,
    /// Per field of the entity table, the column holding it.
    columns: [Option<usize>; 10],
    /// Columns no field is named in.
    unnamed: Vec<usize>,
    /// Fields per row.
    width: usize,
    /// The language of its headers.
    language: super::roster::HeaderLanguage,
    /// Columns ignored and fields absent.
    columns_read: super::roster::Columns,
}

impl Header {
    /// Parses the header at the start of `buf`; `None` if `buf` may not hold all of it yet.
    fn parse(file_name: &str, buf: &[u8], eof: bool) -> Result<Option<Header>, Declined> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(buf);
        let mut rec = csv::ByteRecord::new();
        let mut start = 0;
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) if super::roster_csv::is_blank(&rec) => {
                    start = rdr.position().byte() as usize;
                }
                Ok(true) => break,
                Ok(false) if eof => return Err(Declined::Header),
                Ok(false) => return Ok(None),
                Err(_) => return Err(Declined::Header),
            }
        }
        let end = rdr.position().byte() as usize;
        let terminated = end < buf.len() || matches!(buf.last(), Some(b'\n' | b'\r'));
        if !terminated && !eof {
            return Ok(None);
        }
        let start = start
            + buf[start..]
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
        if end - start > ROW_LIMIT || rec.iter().any(|f| f.len() > FIELD_LIMIT) {
            return Err(Declined::Header);
        }
        let line = count_newlines(&buf[..start]) + 1;
        let mut cells = Vec::with_capacity(rec.len());
        for f in rec.iter() {
            let s = std::str::from_utf8(f).map_err(|_| Declined::Encoding)?;
            if s.contains('\u{FEFF}') {
                return Err(Declined::Header);
            }
            cells.push(s.to_owned());
        }
        let (driver, usable) = header_driver(file_name, &cells, line);
        if !usable || driver.has_errors() {
            return Err(Declined::Header);
        }
        let map = driver.header_map().ok_or(Declined::Header)?;
        let columns = map.field_columns();
        let unnamed = map.unnamed_columns();
        let language = map.language();
        let columns_read = map.columns(Table::Entities);
        Ok(Some(Header {
            language,
            columns_read,
            width: cells.len(),
            cells,
            line,
            end,
            columns,
            unnamed,
        }))
    }

    /// A driver for the general path, with this header.
    fn driver(&self, file_name: &str) -> Driver<Entity> {
        header_driver(file_name, &self.cells, self.line).0
    }
}

/// A row driver that has taken the header `cells` of `line`, and whether the header is usable.
fn header_driver(file_name: &str, cells: &[String], line: u64) -> (Driver<Entity>, bool) {
    let mut driver = Driver::<Entity>::new(file_name, false);
    let borrowed: Vec<Cow<'_, str>> = cells.iter().map(|c| Cow::Borrowed(c.as_str())).collect();
    let usable = driver.header(&borrowed, line);
    (driver, usable)
}

/// What one worker found.
struct Part<C> {
    collector: C,
    leaves: LeafSet,
    rows: u64,
    /// Per chunk: its index and the newlines in it.
    lines: Vec<(usize, u64)>,
    /// Warnings: chunk index, order within the chunk, the warning with its line counted from
    /// the chunk's first line (0).
    warnings: Vec<(usize, u64, InputWarning)>,
    declined: Option<Declined>,
}

/// Where a record lies in its chunk: from byte `start`, `len` bytes with its line end, on
/// line `line` counted from the chunk's first (0).
#[derive(Clone, Copy)]
struct At {
    start: usize,
    len: usize,
    line: u64,
}

/// A worker: turns chunks into leaves and collected rows.
struct Worker<'h, C> {
    header: &'h Header,
    part: Part<C>,
    /// The general path, for rows not in canonical form.
    driver: Driver<Entity>,
    /// CSV parser for records with quotes or a lone CR.
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    json: Vec<u8>,
    /// Hashes the rows' JSON.
    row_hash: RowHasher,
    /// Whether rows are fingerprinted.
    hash: bool,
    warning_seq: u64,
    /// Fields of the record [`Worker::core_record`] parsed last.
    core_fields: usize,
}

impl<'h, C: Collector> Worker<'h, C> {
    fn new(file_name: &str, header: &'h Header, collector: C) -> Self {
        let mut core = csv_core::Reader::new();
        // A fresh parser strips a byte order mark from its first input; one blank line first
        // makes it treat every later byte as data, as the sequential reader does.
        let _ = core.read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
        Worker {
            header,
            part: Part {
                collector,
                leaves: LeafSet::new(),
                rows: 0,
                lines: Vec::new(),
                warnings: Vec::new(),
                declined: None,
            },
            driver: header.driver(file_name),
            core,
            out: vec![0; 4096],
            ends: vec![0; 64],
            json: Vec::with_capacity(1024),
            row_hash: RowHasher::new(),
            hash: true,
            warning_seq: 0,
            core_fields: 0,
        }
    }

    /// Reads every record of a chunk.
    ///
    /// One pass finds the commas and newlines of the plain records. A record that is not plain
    /// is looked at again: if it holds a quote or a carriage return (other than before its
    /// newline) the CSV parser reads it, otherwise the general path takes its fields.
    fn chunk(&mut self, c: &Chunk) -> Result<(), Declined> {
        let data = &c.data[..c.len];
        let text = simdutf8::basic::from_utf8(data).map_err(|_| Declined::Encoding)?;
        let n = data.len();
        let mut fields: Vec<&str> = Vec::with_capacity(self.header.width + 1);
        let mut i = 0;
        let mut line = 0u64;
        // Commas and newlines of `data[base..]`, in order; those before a record's start (blank
        // lines) are passed over.
        let mut base = 0;
        let mut seps = memchr::memchr2_iter(b',', b'\n', data);
        while i < n {
            match data[i] {
                b'\n' => {
                    line += 1;
                    i += 1;
                    continue;
                }
                b'\r' => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let start = i;
            let row_line = line;
            fields.clear();
            let mut from = start;
            let mut nl = None;
            for p in seps.by_ref().map(|p| base + p) {
                if p < start {
                    continue;
                }
                if data[p] == b',' {
                    fields.push(&text[from..p]);
                    from = p + 1;
                } else {
                    nl = Some(p);
                    break;
                }
            }
            let line_end = nl.unwrap_or(n);
            let body_end = if line_end > start && data[line_end - 1] == b'\r' {
                line_end - 1
            } else {
                line_end
            };
            // `from` is at most `body_end`: a comma is not a carriage return.
            fields.push(text.get(from..body_end).ok_or(Declined::Misaligned)?);
            let terminator = usize::from(body_end < line_end || nl.is_some());
            let len = body_end - start + terminator;
            let at = At {
                start,
                len,
                line: row_line,
            };
            let taken = self.plain(&fields, c, at)?;
            if taken || memchr::memchr2(b'"', b'\r', &data[start..body_end]).is_none() {
                line += u64::from(nl.is_some());
                i = nl.map_or(n, |p| p + 1);
                if !taken {
                    self.general_row(&fields, c, at)?;
                }
            } else {
                let used = self.core_record(&data[start..], c.last)?;
                line += count_newlines(&data[start..start + used]);
                i = start + used;
                // The parser may have ended the record before the newline (a lone carriage
                // return) or after it (a quoted newline): look for separators again from here.
                base = i;
                seps = memchr::memchr2_iter(b',', b'\n', &data[i..]);
                let (out, ends) = (
                    std::mem::take(&mut self.out),
                    std::mem::take(&mut self.ends),
                );
                let result = quoted_fields(&out, &ends[..self.core_fields])
                    .and_then(|quoted| self.row(&quoted, c, At { len: used, ..at }));
                self.out = out;
                self.ends = ends;
                result?;
            }
        }
        self.part.lines.push((c.index, line));
        Ok(())
    }
}

impl<C: Collector> Worker<'_, C> {
    /// Parses one record at the start of `input` with the CSV parser into `out` and `ends`
    /// (field count in `core_fields`); returns the bytes it took.
    fn core_record(&mut self, input: &[u8], last: bool) -> Result<usize, Declined> {
        let (mut nin, mut nout, mut nend) = (0, 0, 0);
        loop {
            let (res, i, o, e) =
                self.core
                    .read_record(&input[nin..], &mut self.out[nout..], &mut self.ends[nend..]);
            nin += i;
            nout += o;
            nend += e;
            match res {
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.out.len();
                    self.out.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len();
                    self.ends.resize(len * 2, 0);
                }
                csv_core::ReadRecordResult::InputEmpty => {
                    if !last || nin < input.len() {
                        return Err(Declined::Misaligned);
                    }
                    // The file's last record, without a line end: an empty input ends it.
                    let (res, _, _, e) =
                        self.core.read_record(&[], &mut [], &mut self.ends[nend..]);
                    nend += e;
                    match res {
                        csv_core::ReadRecordResult::Record => break,
                        csv_core::ReadRecordResult::OutputEndsFull => {
                            let len = self.ends.len();
                            self.ends.resize(len * 2, 0);
                        }
                        _ => return Err(Declined::Misaligned),
                    }
                }
                csv_core::ReadRecordResult::End => return Err(Declined::Misaligned),
            }
        }
        self.core_fields = nend;
        Ok(nin)
    }
}

/// The fields of a record the CSV parser wrote into `out`, ending at `ends`.
fn quoted_fields<'a>(out: &'a [u8], ends: &[usize]) -> Result<Vec<&'a str>, Declined> {
    let mut fields = Vec::with_capacity(ends.len());
    let mut from = 0;
    for &end in ends {
        let f = out.get(from..end).ok_or(Declined::Misaligned)?;
        fields.push(std::str::from_utf8(f).map_err(|_| Declined::Encoding)?);
        from = end;
    }
    Ok(fields)
}

/// [`normalize::text`] without allocating, for text whose characters are all NFC on their own
/// (and hold no byte order mark, which the sequential reader refuses inside a field), none of
/// which JSON escapes (`"`, `\\`, control characters): such text goes into the row's JSON as
/// it is ([`write_plain_entity_json`]).
///
/// Works on the UTF-8 bytes: the characters of [`normalize::is_plain_nfc`] are ASCII and
/// three-byte sequences told apart by their first two bytes, and the only trim characters
/// among them left are the space and U+3000 (`E3 80 80`).
///
/// [`normalize::text`]: crate::normalize::text
/// [`normalize::is_plain_nfc`]: crate::normalize::is_plain_nfc
fn plain_text(raw: &str) -> Option<&str> {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // U+5000–U+9FFF, most of Chinese text, first: the string is UTF-8, so two more bytes
        // follow.
        if (0xE5..=0xE9).contains(&c) {
            i += 3;
            continue;
        }
        if c < 0x80 {
            if c < 0x20 || c == b'"' || c == b'\\' {
                return None;
            }
            i += 1;
            continue;
        }
        let (c1, c2) = (*b.get(i + 1)?, *b.get(i + 2)?);
        let plain = match c {
            // U+4000–U+4DBF and U+4E00–U+4FFF, not U+4DC0–U+4DFF.
            0xE4 => c1 != 0xB7,
            // U+3400–U+3FFF, and U+3000–U+3029.
            0xE3 => c1 >= 0x90 || (c1 == 0x80 && c2 <= 0xA9),
            // U+FF01–U+FF5E.
            0xEF => (c1 == 0xBC && c2 >= 0x81) || (c1 == 0xBD && c2 <= 0x9E),
            _ => false,
        };
        if !plain {
            return None;
        }
        i += 3;
    }
    Some(plain_trim(raw))
}

/// [`normalize::trim`] of [`plain_text`]: among its characters, only the space and U+3000
/// (`E3 80 80`) are trimmed, so whole ones are cut from both ends, on character boundaries.
///
/// [`normalize::trim`]: crate::normalize::trim
#[inline]
fn plain_trim(text: &str) -> &str {
    let b = text.as_bytes();
    // Most text neither begins with a space or U+3000 nor ends with one (whose last byte is
    // 0x80).
    if let (Some(&first), Some(&last)) = (b.first(), b.last())
        && !matches!(first, b' ' | 0xE3)
        && !matches!(last, b' ' | 0x80)
    {
        return text;
    }
    let (mut start, mut end) = (0, b.len());
    loop {
        match &b[start..end] {
            [b' ', ..] => start += 1,
            [0xE3, 0x80, 0x80, ..] => start += 3,
            [.., b' '] => end -= 1,
            [.., 0xE3, 0x80, 0x80] => end -= 3,
            _ => break,
        }
    }
    text.get(start..end).unwrap_or(text)
}

/// A word of a closed vocabulary (`parse`) in a plain field: taken as it stands when it is a
/// spelling already, otherwise from its [`plain_text`].
///
/// Every spelling is plain text and unchanged by [`normalize::text`] (a test checks each, in
/// either ASCII case), so a field that parses as it stands reads as the general path reads it.
///
/// [`normalize::text`]: crate::normalize::text
fn plain_word<V>(raw: &str, parse: fn(&str) -> Option<V>) -> Option<V> {
    parse(raw).or_else(|| parse(plain_text(raw)?))
}

/// Whether every field of a record is empty or ASCII white space: a blank row, which the
/// sequential reader passes over (`roster_csv::is_blank`).
pub(crate) fn is_blank(fields: &[&str]) -> bool {
    fields
        .iter()
        .all(|f| f.bytes().all(|b| b.is_ascii_whitespace()))
}

/// Whether a field holds a byte order mark, which the sequential reader refuses inside a field.
pub(crate) fn has_bom(fields: &[&str]) -> bool {
    fields.iter().any(|f| f.contains('\u{FEFF}'))
}

/// Whether the `unnamed` columns of a record (ignored columns, whose values are never read)
/// are free of a byte order mark, the one thing the general path refuses in any field whatever
/// its column (the fast paths check the columns they read themselves).
pub(crate) fn unnamed_are_plain(unnamed: &[usize], fields: &[&str]) -> bool {
    unnamed.iter().all(|&c| !fields[c].contains('\u{FEFF}'))
}

/// A row whose every field is already in canonical form, as borrowed fields, and whether its
/// id carries the one warning a canonical id can have (a USCC whose organisation code fails
/// GB 11714, [`codes::is_checked_uscc_with_org_warning`]); `None` if any field needs the
/// general path (which normalises, explains, or warns otherwise).
///
/// Each field follows `Entity::build` in `roster.rs` rule for rule; the tests compare the two
/// on random rows.
fn plain_row<'a>(
    header: &Header,
    fields: &[&'a str],
    tags: &'a mut [&'a str; MAX_FAST_TAGS],
) -> Option<(EntityFields<'a, &'a str>, bool)> {
    if !unnamed_are_plain(&header.unnamed, fields) {
        return None;
    }
    let raw = |fi: usize| header.columns[fi].map_or("", |c| fields[c]);
    let id = raw(e::ID);
    let org_warning = !codes::is_clean_entity_id(id);
    if org_warning && !codes::is_checked_uscc_with_org_warning(id) {
        return None;
    }
    let name = plain_text(raw(e::NAME)).filter(|s| !s.is_empty())?;
    let kind = match header.columns[e::KIND] {
        None => None,
        Some(_) => Some(plain_word(raw(e::KIND), EntityKind::parse)?),
    };
    let authority = plain_text(raw(e::AUTHORITY))?;
    let region = raw(e::REGION);
    if header.columns[e::REGION].is_some() && !codes::is_clean_region(region) {
        return None;
    }
    let industry = raw(e::INDUSTRY);
    if !industry.is_empty() && !codes::is_clean_industry(industry) {
        return None;
    }
    let status = plain_word(raw(e::STATUS), EntityStatus::parse)?;
    let abnormal = plain_word(raw(e::ABNORMAL), super::roster::parse_bool)?;
    let risk = plain_word(raw(e::RISK), |r| match r {
        "" => Some(None),
        r => RiskClass::parse(r).map(Some),
    })?;
    let tag_text = plain_text(raw(e::TAGS))?;
    let mut n = 0;
    // Each tag is plain text too: no separator splits a character.
    for t in split_list(tag_text).map(plain_trim) {
        if t.is_empty() {
            continue;
        }
        *tags.get_mut(n)? = t;
        n += 1;
    }
    let tags = &mut tags[..n];
    tags.sort_unstable();
    let mut kept = 0;
    for i in 0..tags.len() {
        if kept == 0 || tags[i] != tags[kept - 1] {
            tags[kept] = tags[i];
            kept += 1;
        }
    }
    let view = EntityFields {
        id,
        name,
        kind,
        authority,
        region,
        industry,
        status,
        abnormal,
        risk,
        tags: &tags[..kept],
    };
    Some((view, org_warning))
}

impl<C: Collector> Worker<'_, C> {
    /// A record split at every comma, taken if it is plain ([`plain_row`]) and within the
    /// limits; `false` (nothing done) otherwise. A plain record holds no quote and no carriage
    /// return, so splitting it at every comma was right.
    fn plain(&mut self, fields: &[&str], c: &Chunk, at: At) -> Result<bool, Declined> {
        let At { start, len, line } = at;
        if !self.fits(fields, len) {
            return Ok(false);
        }
        let mut tags = [""; MAX_FAST_TAGS];
        let Some((view, org_warning)) = plain_row(self.header, fields, &mut tags) else {
            return Ok(false);
        };
        self.part.rows += 1;
        if org_warning {
            self.org_warning(view.id, line, c.index);
        }
        self.take(&view, c.offset + start as u64, len, true)?;
        Ok(true)
    }

    /// Whether a record of `len` bytes split into `fields` has the header's width and is within
    /// the row and field limits (otherwise the sequential reader reports it).
    fn fits(&self, fields: &[&str], len: usize) -> bool {
        fields.len() == self.header.width
            && len <= ROW_LIMIT
            && fields.iter().all(|f| f.len() <= FIELD_LIMIT)
    }

    /// The warning the general path gives an id whose organisation code fails its check, on
    /// the id's field.
    fn org_warning(&mut self, id: &str, line: u64, index: usize) {
        let field = self.header.columns[e::ID].and_then(|col| self.driver.field_at(col));
        let uscc = id.to_owned();
        let kind = InputWarningKind::Code(CodeWarning::OrgCodeCheck { uscc });
        self.driver.sink.warn(line, field, kind);
        self.keep_warnings(index);
    }

    /// One record: skipped if blank; checked, fingerprinted and collected if valid.
    fn row(&mut self, fields: &[&str], c: &Chunk, at: At) -> Result<(), Declined> {
        if self.plain(fields, c, at)? {
            return Ok(());
        }
        self.general_row(fields, c, at)
    }

    /// [`Worker::row`] for a record that is not plain: skipped if blank, otherwise read by
    /// the general path.
    fn general_row(&mut self, fields: &[&str], c: &Chunk, at: At) -> Result<(), Declined> {
        if is_blank(fields) {
            return Ok(());
        }
        if !self.fits(fields, at.len) {
            return Err(Declined::Problem);
        }
        // The general path: what the sequential reader does with the row.
        if has_bom(fields) {
            return Err(Declined::Problem);
        }
        self.part.rows += 1;
        let cells: Vec<Cow<'_, str>> = fields.iter().map(|f| Cow::Borrowed(*f)).collect();
        let row = self.driver.row(&cells, at.line, Vec::new());
        if self.driver.has_errors() {
            return Err(Declined::Problem);
        }
        let entity = row.ok_or(Declined::Problem)?;
        self.keep_warnings(c.index);
        self.take(&entity.fields(), c.offset + at.start as u64, at.len, false)
    }

    /// Moves the warnings of the row just read into the part, in order, for chunk `index`.
    fn keep_warnings(&mut self, index: usize) {
        for w in self.driver.sink.warnings.drain(..) {
            self.part.warnings.push((index, self.warning_seq, w));
            self.warning_seq += 1;
        }
    }

    /// Fingerprints a valid row and collects it; `plain` if its text has nothing to escape
    /// (it came through [`plain_row`]).
    fn take<T: AsRef<str>>(
        &mut self,
        view: &EntityFields<'_, T>,
        offset: u64,
        len: usize,
        plain: bool,
    ) -> Result<(), Declined> {
        if self.hash {
            self.json.clear();
            if plain {
                write_plain_entity_json(view, &mut self.json);
            } else {
                write_entity_json(view, &mut self.json);
            }
            self.part.leaves.push(self.row_hash.leaf(&mut self.json));
        }
        self.part.collector.add(view, offset, len);
        Ok(())
    }
}

/// Puts the workers' parts together into what the sequential reader would have said.
fn finish<C: Collector>(
    file_name: &str,
    bom: bool,
    (base_lines, header_end): (u64, u64),
    header: &Header,
    parts: Vec<Part<C>>,
) -> Result<Scanned<C>, Declined> {
    if let Some(d) = parts.iter().find_map(|p| p.declined) {
        return Err(d);
    }
    let rows: u64 = parts.iter().map(|p| p.rows).sum();
    if rows == 0 {
        return Err(Declined::NoRows);
    }
    let mut lines: Vec<(usize, u64)> = Vec::new();
    let mut warnings = Vec::new();
    let mut leaves = LeafSet::new();
    let mut collected: Option<C> = None;
    for p in parts {
        lines.extend(p.lines);
        warnings.extend(p.warnings);
        leaves.append(p.leaves);
        match &mut collected {
            Some(c) => c.merge(p.collector),
            None => collected = Some(p.collector),
        }
    }
    // Line numbers: each chunk starts after the newlines of the header part and every chunk
    // before it.
    lines.sort_unstable();
    let mut first_line = Vec::with_capacity(lines.len());
    let mut before = base_lines;
    for (_, n) in &lines {
        first_line.push(before + 1);
        before += n;
    }
    warnings.sort_unstable_by_key(|(chunk, seq, _)| (*chunk, *seq));
    let total = warnings.len();
    let warnings: Vec<InputWarning> = warnings
        .into_iter()
        .take(MAX_REPORTED)
        .map(|(chunk, _, mut w)| {
            w.line += first_line.get(chunk).copied().unwrap_or(0);
            w.file = file_name.to_owned();
            w
        })
        .collect();
    Ok(Scanned {
        summary: Undigested {
            summary: RosterSummary {
                table: Table::Entities,
                rows,
                digest: Digest32([0; 32]),
                warnings_omitted: (total - warnings.len()) as u64,
                warnings,
                encoding: if bom {
                    Encoding::Utf8Bom
                } else {
                    Encoding::Utf8
                },
                header_language: header.language,
                columns: header.columns_read.clone(),
            },
            leaves,
        },
        collected: collected.ok_or(Declined::NoRows)?,
        header_end,
    })
}

#[cfg(any(test, feature = "test-support"))]
/// Collects every row as (offset, length, canonical JSON): for checking the scan against the
/// sequential reader.
#[derive(Default)]
pub(crate) struct Rows(pub(crate) Vec<(u64, usize, Vec<u8>)>);

#[cfg(any(test, feature = "test-support"))]
impl Collector for Rows {
    fn add<T: AsRef<str>>(&mut self, e: &EntityFields<'_, T>, offset: u64, len: usize) {
        let mut json = Vec::new();
        write_entity_json(e, &mut json);
        self.0.push((offset, len, json));
    }
    fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
    }
}

#[cfg(any(test, feature = "test-support"))]
/// What checking the scan against the sequential reader found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Agreement {
    /// Both read the file, with the same summary and rows.
    Same,
    /// The scan declined (the sequential reader may or may not have accepted the file).
    Declined(Declined),
    /// The scan read every row, but an id repeats (which the scan leaves to its caller), and
    /// the sequential reader refused the file.
    Repeated,
}

#[cfg(any(test, feature = "test-support"))]
/// Scans `data` with `threads` workers and blocks of `block` bytes, and compares the outcome with
/// [`roster_csv::for_each_entity`](super::roster_csv::for_each_entity): a scan that reads the
/// file must say exactly what the sequential reader says, and a file the sequential reader
/// refuses must be declined or hold a repeated id.
///
/// # Errors
///
/// A description of the disagreement.
pub(crate) fn cross_check(data: &[u8], threads: usize, block: usize) -> Result<Agreement, String> {
    let mut want = Rows::default();
    let seq = super::roster_csv::for_each_entity_at("e.csv", data, |pos, e: Entity| {
        want.add(&e.fields(), pos.offset, pos.len);
        Ok::<(), super::error::InputErrors>(())
    });
    let scanned = match scan_blocks("e.csv", data, (threads, block, true), Rows::default) {
        Ok(s) => s,
        Err(d) => {
            if read_all_blocks("e.csv", data, threads, block).is_some() {
                return Err(format!("read_all took a file the scan declined: {d:?}"));
            }
            return Ok(Agreement::Declined(d));
        }
    };
    let mut got = scanned.collected.0;
    // Without fingerprints, the same rows.
    let mut unhashed = scan_blocks("e.csv", data, (threads, block, false), Rows::default)
        .map_err(|d| format!("declined when not hashing: {d:?}"))?
        .collected
        .0;
    unhashed.sort_unstable();
    let mut ids: Vec<&[u8]> = got.iter().map(|r| id_in(&r.2)).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        if read_all_blocks("e.csv", data, threads, block).is_some() {
            return Err("read_all took a file with a repeated id".into());
        }
        return match seq {
            Err(_) => Ok(Agreement::Repeated),
            Ok(_) => Err("a repeated id that the sequential reader accepted".into()),
        };
    }
    let summary = seq.map_err(|e| format!("the scan accepted a file with problems: {e}"))?;
    let scanned_summary = scanned.summary.digest();
    if scanned_summary != summary {
        return Err(format!(
            "summaries differ: {scanned_summary:?} against {summary:?}"
        ));
    }
    got.sort_unstable();
    if unhashed != got {
        return Err("the rows read without hashing differ".into());
    }
    want.0.sort_unstable();
    if got != want.0 {
        return Err("the rows differ".into());
    }
    // Read whole, for the ceremony: the sequential reader's rows, in its order, and its warnings.
    let all = read_all_blocks("e.csv", data, threads, block)
        .ok_or("read_all declined a file the scan read")?;
    let full = super::roster_csv::read_entities("e.csv", data)
        .map_err(|e| format!("read_entities refused a file the scan read: {e}"))?;
    if all.rows != full.rows || all.warnings != full.warnings || all.columns != full.columns {
        return Err("read_all differs from read_entities".into());
    }
    Ok(Agreement::Same)
}

#[cfg(any(test, feature = "test-support"))]
/// The id's bytes in a row's canonical JSON (`…,"id":"…",…`; an id holds no quote).
fn id_in(json: &[u8]) -> &[u8] {
    let key = b"\"id\":\"";
    let Some(at) = json.windows(key.len()).position(|w| w == key) else {
        return &[];
    };
    let rest = &json[at + key.len()..];
    let end = memchr::memchr(b'"', rest).unwrap_or(rest.len());
    &rest[..end]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::formats::error::InputErrors;
    use crate::formats::roster::LIST_SEPARATORS;
    use crate::formats::roster_csv;
    use crate::normalize;
    use proptest::prelude::*;
    use std::path::Path;

    /// Scans and compares with the sequential reader; `Ok(())` when both read the file.
    fn check(data: &[u8], threads: usize, block: usize) -> Result<(), Agreement> {
        match cross_check(data, threads, block) {
            Ok(Agreement::Same) => Ok(()),
            Ok(other) => Err(other),
            Err(e) => panic!("{e}"),
        }
    }

    fn sequential(data: &[u8]) -> Result<RosterSummary, InputErrors> {
        roster_csv::for_each_entity("e.csv", data, |_, _| Ok::<(), InputErrors>(()))
    }

    const HEADER: &str = "统一社会信用代码,名称,市场主体类型,登记机关,行政区划代码,行业代码,登记状态,经营异常名录,信用风险分类,标签\n";

    /// A USCC whose check character is right and whose organisation code fails its check.
    pub(crate) fn org_warned(n: u64) -> String {
        let org = "0123456789X"
            .chars()
            .map(|c| format!("MA{:06}{c}", n % 1_000_000))
            .find(|o| !codes::org_code_check(o))
            .unwrap();
        let body = format!("91520102{org}");
        let check = codes::uscc_check_char(&body).unwrap();
        format!("{body}{check}")
    }

    /// A valid USCC whose organisation code passes its check too.
    pub(crate) fn uscc(n: u64) -> String {
        let org8 = format!("MA{:06}", n % 1_000_000);
        let org = "0123456789X"
            .chars()
            .map(|c| format!("{org8}{c}"))
            .find(|o| codes::org_code_check(o))
            .unwrap();
        let body = format!("91520102{org}");
        let check = codes::uscc_check_char(&body).unwrap();
        format!("{body}{check}")
    }

    proptest! {
        #[test]
        fn permute_puts_each_element_where_the_order_says(
            order in (0usize..60).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle()),
        ) {
            let mut v: Vec<usize> = (100..100 + order.len()).collect();
            let want: Vec<usize> = order.iter().map(|&i| v[i]).collect();
            let mut o = order.clone();
            permute(&mut v, &mut o);
            prop_assert_eq!(v, want);
        }
    }

    #[test]
    fn read_all_gives_the_sequential_readers_rows_in_file_order() {
        // Three blocks and more, so that the workers' rows interleave; rows with warnings and
        // rows off the plain path among them.
        let mut csv = String::from(HEADER);
        for i in 0..40_000u64 {
            // Every 1,000th id's organisation code fails GB 11714: a warning.
            let id = if i % 1_000 == 7 {
                org_warned(i)
            } else {
                uscc(i)
            };
            let name = if i % 997 == 3 {
                format!(" 甲{i} ")
            } else {
                format!("贵阳{i}商贸有限公司")
            };
            csv.push_str(&format!(
                "{id},{name},企业,贵阳市市场监督管理局,520102,F5211,存续,否,{},食品;特种设备\n",
                ["A", "B", "", "D"][i as usize % 4]
            ));
        }
        let want = roster_csv::read_entities("e.csv", csv.as_bytes()).unwrap();
        assert!(!want.warnings.is_empty());
        for threads in [1, 2, 3] {
            let got = read_all("e.csv", csv.as_bytes(), threads).unwrap();
            assert_eq!(got.rows, want.rows, "{threads} threads");
            assert_eq!(got.warnings, want.warnings, "{threads} threads");
        }
        // An id twice: left to the sequential reader, which reports it.
        let twice = format!("{csv}{}", csv.lines().nth(5).unwrap());
        assert!(read_all("e.csv", twice.as_bytes(), 2).is_none());
        assert!(roster_csv::read_entities("e.csv", twice.as_bytes()).is_err());
    }

    #[test]
    fn plain_rows_are_read_on_the_fast_path_with_the_sequential_result() {
        let mut csv = String::from(HEADER);
        for i in 0..2000u64 {
            csv.push_str(&format!(
                "{},贵阳{i}商贸有限公司,企业,贵阳市市场监督管理局,520102,F5211,存续,否,{},食品;特种设备;食品\n",
                uscc(i),
                ["A", "B", "", "D"][i as usize % 4]
            ));
        }
        for block in [64, 1000, 1 << 20] {
            for threads in [1, 2, 3] {
                assert_eq!(
                    check(csv.as_bytes(), threads, block),
                    Ok(()),
                    "{block} {threads}"
                );
            }
        }
    }

    #[test]
    fn ignored_and_absent_columns_are_read_on_the_fast_path_with_the_sequential_result() {
        // An export: extra columns (one without a header) around the fields, no kind, region,
        // industry, abnormal or tags column.
        let mut csv =
            String::from("序号,统一社会信用代码,法定代表人,,名称,登记状态,信用风险分类,住所\n");
        for i in 0..2000u64 {
            csv.push_str(&format!(
                "{i},{},张\"三\",x y,贵阳{i}商贸有限公司,存续,{},\u{3000}贵阳市 某路\n",
                uscc(i),
                ["A", "B", "", "D"][i as usize % 4]
            ));
        }
        for block in [64, 1000, 1 << 20] {
            for threads in [1, 2] {
                assert_eq!(
                    check(csv.as_bytes(), threads, block),
                    Ok(()),
                    "{block} {threads}"
                );
            }
        }
        let scanned = scan("e.csv", csv.as_bytes(), 2, Rows::default).unwrap();
        let summary = scanned.summary.digest();
        let ignored: Vec<&str> = summary
            .columns
            .ignored
            .iter()
            .map(|c| c.header.as_str())
            .collect();
        assert_eq!(ignored, ["序号", "法定代表人", "住所"]);
        assert_eq!(
            summary.columns.absent,
            [
                "kind",
                "authority",
                "region",
                "industry",
                "abnormal",
                "tags"
            ]
        );
    }

    #[test]
    fn rows_off_the_fast_path_give_the_sequential_result_and_warnings() {
        let mut csv = String::from("\u{feff}");
        csv.push_str(HEADER);
        csv.push_str("\r\n\r\n");
        for i in 0..500u64 {
            let id = uscc(i);
            let row = match i % 7 {
                0 => format!(
                    " {} ,\"贵阳,{i}\"\"号\",企业,,520102,,存续,否,A,\r\n",
                    id.to_lowercase()
                ),
                1 => format!(
                    "{id},\"多行\n名称{i}\",enterprise,,５２０１０２,f5211,active,no,b,a|b\n"
                ),
                2 => format!("{id},Cafe\u{301}{i},企业,,520102,5211,存续,是,C,\n"),
                3 => format!(",,,,,,,,,\n{id},名{i},企业,,520102,,存续,,D,标签\u{3000}、标签\n"),
                // An organisation code that fails its check: accepted with a warning.
                4 => {
                    let body = format!("91520102MA{:06}0", i % 1_000_000);
                    let c = codes::uscc_check_char(&body).unwrap();
                    format!("{body}{c},名{i},企业,,520102,,存续,否,A,\n")
                }
                5 => format!(
                    "{id},名{i},企业,,520102,,存续,否,A,{}\n",
                    (0..20)
                        .map(|t| format!("t{t}"))
                        .collect::<Vec<_>>()
                        .join(";")
                ),
                _ => format!("{id},名{i},企业,,520102,,存续,否,A,x\r"),
            };
            csv.push_str(&row);
        }
        csv.push_str(&format!("{},末行,企业,,520102,,存续,否,A,", uscc(999_999)));
        for block in [16, 300, 4096, 1 << 20] {
            for threads in [1, 2] {
                assert_eq!(
                    check(csv.as_bytes(), threads, block),
                    Ok(()),
                    "block {block}"
                );
            }
        }
        let summary = sequential(csv.as_bytes()).unwrap();
        assert!(!summary.warnings.is_empty());
    }

    #[test]
    fn files_with_problems_or_other_encodings_are_declined() {
        let good = format!("{HEADER}{},甲,企业,,520102,,存续,否,A,\n", uscc(1));
        assert_eq!(check(good.as_bytes(), 2, 64), Ok(()));
        let dup = format!("{good}{},乙,企业,,520102,,存续,否,A,\n", uscc(1));
        assert_eq!(check(dup.as_bytes(), 2, 64), Err(Agreement::Repeated));
        let bad = format!("{good}x,乙,企业,,520102,,存续,否,A,\n");
        assert_eq!(
            check(bad.as_bytes(), 2, 64),
            Err(Agreement::Declined(Declined::Problem))
        );
        let short = format!("{good}{},乙\n", uscc(2));
        assert_eq!(
            check(short.as_bytes(), 2, 64),
            Err(Agreement::Declined(Declined::Problem))
        );
        assert_eq!(
            check(HEADER.as_bytes(), 2, 64),
            Err(Agreement::Declined(Declined::NoRows))
        );
        assert_eq!(
            check(b"", 2, 64),
            Err(Agreement::Declined(Declined::Header))
        );
        assert_eq!(
            check(b"id,name\n", 2, 64),
            Err(Agreement::Declined(Declined::Header))
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode(&good);
        assert_eq!(
            check(&gbk, 2, 64),
            Err(Agreement::Declined(Declined::Encoding))
        );
        let bom_inside = format!("{HEADER}{},\u{feff}甲,企业,,520102,,存续,否,A,\n", uscc(1));
        assert_eq!(
            check(bom_inside.as_bytes(), 2, 64),
            Err(Agreement::Declined(Declined::Problem))
        );
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_never_gives_a_wrong_result() {
        let mut csv = String::from(HEADER);
        for i in 0..200u64 {
            let name = if i % 3 == 0 {
                format!("名\"{i}")
            } else {
                format!("\"名\n{i}\"")
            };
            csv.push_str(&format!("{},{name},企业,,520102,,存续,否,A,\n", uscc(i)));
        }
        for block in [16, 100, 1000] {
            // Declining is allowed, a different result is not (`check` asserts that).
            let _ = check(csv.as_bytes(), 2, block);
        }
    }

    #[test]
    fn every_test_vector_and_the_sample_data() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/vectors"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        dirs.push(root.join("examples/data"));
        let mut fast = 0;
        for d in dirs {
            let Ok(data) = std::fs::read(d.join("entities.csv")) else {
                continue;
            };
            if check(&data, 2, 256).is_ok() {
                fast += 1;
            }
        }
        assert!(fast >= 7, "{fast}");
    }

    /// Pieces of CSV text that exercise quoting, line ends, blank rows and normalisation.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("91520102MA6DKQ1U8B"),
            Just("91520102ma6dkq1u8b"),
            Just("110108000000016"),
            Just("91520102MA6DKQ1U8C"),
            Just("甲"),
            Just("企业"),
            Just("存续"),
            Just("520102"),
            Just("F5211"),
            Just("A"),
            Just("否"),
            Just(","),
            Just(",,"),
            Just("\""),
            Just("\"\""),
            Just("\n"),
            Just("\r\n"),
            Just("\r"),
            Just(" "),
            Just("\u{3000}"),
            Just("\u{feff}"),
            Just(";"),
            Just("e\u{301}"),
        ]
    }

    #[test]
    fn every_spelling_of_a_vocabulary_is_plain_and_normal() {
        let lists: [&[&str]; 6] = [
            crate::model::HistoryKind::SPELLINGS,
            EntityKind::SPELLINGS,
            EntityStatus::SPELLINGS,
            RiskClass::SPELLINGS,
            &crate::formats::roster::NO,
            &crate::formats::roster::YES,
        ];
        for w in lists.into_iter().flatten() {
            for v in [
                w.to_string(),
                w.to_ascii_uppercase(),
                w.to_ascii_lowercase(),
            ] {
                assert_eq!(plain_text(&v), Some(v.as_str()), "{v:?}");
                assert_eq!(normalize::text(&v), v, "{v:?}");
            }
        }
        assert!(EntityKind::SPELLINGS.len() > EntityKind::ALL.len());
    }

    proptest! {
        #[test]
        fn plain_text_is_normalize_text_on_plain_characters(
            s in proptest::collection::vec(prop_oneof![
                proptest::char::range('\0', '\u{7f}'),
                proptest::char::range('\u{2fff}', '\u{3030}'),
                proptest::char::range('\u{33f0}', '\u{3410}'),
                proptest::char::range('\u{4db0}', '\u{4e10}'),
                proptest::char::range('\u{9ff0}', '\u{a010}'),
                proptest::char::range('\u{ff00}', '\u{ff60}'),
                Just('\u{feff}'), Just('\u{a0}'), Just('é'), Just('\u{301}'), Just('\u{2028}'),
                Just('；'), Just('、'), Just('|'), Just(';'),
                proptest::char::any(),
            ], 0..12).prop_map(|v| v.into_iter().collect::<String>()),
        ) {
            let all_plain = s.chars().all(normalize::is_plain_nfc)
                && !s.contains(|c: char| c < ' ' || c == '"' || c == '\\');
            let want = all_plain.then(|| normalize::trim(&s));
            prop_assert_eq!(plain_text(&s), want);
            if all_plain {
                prop_assert_eq!(plain_text(&s).unwrap(), normalize::text(&s));
            }
            let parts: Vec<&str> = split_list(&s).collect();
            let want: Vec<&str> = s.split(LIST_SEPARATORS).collect();
            prop_assert_eq!(&parts, &want);
            if all_plain {
                for p in parts {
                    prop_assert_eq!(plain_trim(p), normalize::trim(p));
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_input_is_read_as_the_sequential_reader_reads_it_or_declined(
            rows in proptest::collection::vec(proptest::collection::vec(piece(), 0..30), 0..12),
            block in 1usize..200,
            threads in 1usize..4,
        ) {
            let mut csv = String::from("id,name,kind,authority,region,industry,status,abnormal,risk,tags\n");
            for r in &rows {
                csv.push_str(&r.concat());
            }
            let _ = check(csv.as_bytes(), threads, block);
        }

        #[test]
        fn each_field_in_any_spelling_reads_as_the_general_path_reads_it(
            cells in (
                prop_oneof![Just(uscc(7)), Just(uscc(7).to_lowercase()), Just(format!(" {} ", uscc(7))),
                    Just("１１０１０８０００００００１６".to_string()), Just("110108000000016".to_string()),
                    Just("9,13501E+17".to_string())],
                prop_oneof![Just("甲（集团）"), Just(" 甲\u{3000}"), Just("Cafe\u{301}"), Just("a\tb"), Just(""),
                    Just("\u{200b}乙"), Just("䷀"), Just("ｶ")],
                prop_oneof![Just("企业"), Just(" enterprise"), Just("ENTERPRISE"), Just("个体工商户"), Just("x"), Just("")],
                prop_oneof![Just(""), Just("贵阳市局"), Just(" 局 "), Just("\u{1}")],
                prop_oneof![Just("520102"), Just("５２０１０２"), Just(" 520102"), Just("52010"), Just("020102")],
                prop_oneof![Just(""), Just("F5211"), Just("5211"), Just("f5211"), Just("E"), Just("A1311"), Just(" "), Just("U")],
                prop_oneof![Just("存续"), Just("active"), Just("在业"), Just("吊销"), Just("?")],
                prop_oneof![Just("否"), Just("是"), Just("YES"), Just(" n "), Just(""), Just("2")],
                prop_oneof![Just("A"), Just("b"), Just(""), Just(" "), Just("F")],
                prop_oneof![Just(""), Just("b;a;b"), Just("a；b、c|d"), Just(" ; "), Just("Ｔ"), Just("e\u{301};x")],
            ),
        ) {
            let (a, b, c, d, e, f, g, h, i, j) = cells;
            let row = [a, b.into(), c.into(), d.into(), e.into(), f.into(), g.into(), h.into(), i.into(), j.into()];
            let csv = format!("{HEADER}{}\n", row.join(","));
            let _ = check(csv.as_bytes(), 1, 1 << 20);
        }

        #[test]
        fn valid_rows_with_random_quoting_are_read_on_the_fast_path(
            quote in proptest::collection::vec(any::<bool>(), 10),
            crlf in any::<bool>(),
            block in 1usize..400,
        ) {
            let mut csv = String::from(HEADER);
            for i in 0..30u64 {
                let cells = [uscc(i), format!("名,{i}"), "企业".into(), "".into(), "520102".into(),
                    "C1311".into(), "存续".into(), "否".into(), "B".into(), "a;\"b\"".into()];
                let line: Vec<String> = cells.iter().zip(&quote).map(|(c, &q)| {
                    if q || c.contains(',') || c.contains('"') {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                }).collect();
                csv.push_str(&line.join(","));
                csv.push_str(if crlf { "\r\n" } else { "\n" });
            }
            prop_assert_eq!(check(csv.as_bytes(), 2, block), Ok(()));
        }
    }
}
