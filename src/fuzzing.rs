//! Robustness properties, shared by the fuzz targets in `fuzz/` and the property tests in
//! `tests/all/robustness.rs`.
//!
//! Every `check_*` function takes arbitrary bytes, runs one parser or checker on them and
//! returns `Err` with a description when a property is violated (a panic inside the library
//! is, of course, also a violation). None of this is used by the draw itself.
#![doc(hidden)]

use crate::ceremony::amend::{self, Action, Amendment, Reason, ReasonCode};
use crate::ceremony::announce::{
    ANNOUNCEMENT_FORMAT, Announcement, InputDigests, PlanRef, VERSION,
};
use crate::ceremony::commit::{Party, Reveal, Role, Secret, commitment};
use crate::ceremony::log;
use crate::ceremony::log::Position;
use crate::ceremony::sheet::{self, Sheet};
use crate::ceremony::verify::{Published, Report, SignedDocument, trusted_comment, verify};
use crate::digest::Digest32;
use crate::draw::OwnedInputs;
use crate::formats::roster::Encoding;
use crate::formats::{plan_toml, roster_csv};
use crate::sign::{self, KeyId, PublicKey, SecretKey, Signature};

/// The five roster tables, in the order the selector byte of [`check_roster`] picks them.
pub const TABLES: [&str; 5] = ["entities", "inspectors", "items", "conflicts", "history"];

/// Reads `bytes` as roster table `table` (an index into [`TABLES`]) and returns its digest.
///
/// # Errors
///
/// The reader's errors, rendered.
pub fn roster_digest(table: usize, bytes: &[u8]) -> Result<(Digest32, Encoding), String> {
    fn fin<T: serde::Serialize>(
        r: Result<crate::formats::roster::Roster<T>, crate::formats::error::InputErrors>,
    ) -> Result<(Digest32, Encoding), String> {
        let r = r.map_err(|e| e.to_string())?;
        let d = r.digest().map_err(|e| format!("digest failed: {e}"))?;
        Ok((d, r.encoding))
    }
    let name = "roster.csv";
    match table % 5 {
        0 => fin(roster_csv::read_entities(name, bytes)),
        1 => fin(roster_csv::read_inspectors(name, bytes)),
        2 => fin(roster_csv::read_items(name, bytes)),
        3 => fin(roster_csv::read_conflicts(name, bytes)),
        _ => fin(roster_csv::read_history(name, bytes)),
    }
}

/// Roster CSV: byte 0 picks the table (mod 5) and, if `>= 128`, the rest is re-encoded from
/// UTF-8 (lossily) to GBK before reading. Properties: no panic; reading is deterministic; a
/// file read as BOM-less UTF-8 gives the same digest with a UTF-8 BOM in front; an entity
/// roster read by the parallel reader (with blocks of 7 bytes, of a byte count from byte 1, and
/// of 1 MiB) gives exactly what the sequential reader gives, or is declined; so does a history
/// table read by the plain history reader, with the same block sizes.
///
/// # Errors
///
/// A description of the violated property.
pub fn check_roster(data: &[u8]) -> Result<(), String> {
    let Some((&sel, rest)) = data.split_first() else {
        return Ok(());
    };
    let table = usize::from(sel % 5);
    let bytes: Vec<u8> = if sel >= 128 {
        let text = String::from_utf8_lossy(rest);
        encoding_rs::GBK.encode(&text).0.into_owned()
    } else {
        rest.to_vec()
    };
    let first = roster_digest(table, &bytes);
    if roster_digest(table, &bytes) != first {
        return Err("reading the same bytes twice gave different results".into());
    }
    if table == 0 {
        let odd = usize::from(rest.first().copied().unwrap_or(1)).max(1);
        for block in [7, odd, 1 << 20] {
            crate::formats::entity_scan::cross_check(&bytes, 2, block)?;
        }
    }
    if table == 4 {
        let odd = usize::from(rest.first().copied().unwrap_or(1)).max(1);
        for block in [7, odd, 1 << 20] {
            crate::formats::history_scan::cross_check(&bytes, block)?;
        }
    }
    if let Ok((digest, Encoding::Utf8)) = first {
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(&bytes);
        match roster_digest(table, &with_bom) {
            Ok((d, _)) if d == digest => {}
            other => return Err(format!("a UTF-8 BOM changed the result: {other:?}")),
        }
    }
    Ok(())
}

/// Plan TOML: no panic; an accepted plan has a digest.
///
/// # Errors
///
/// A description of the violated property.
pub fn check_plan(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    if let Ok(plan) = plan_toml::read_plan("plan.toml", text) {
        plan_toml::plan_digest(&plan).map_err(|e| format!("accepted plan has no digest: {e}"))?;
    }
    Ok(())
}

/// Announcement, sheet and amendment parsing (byte 0 picks, mod 3): no panic, and a document
/// is accepted only if its bytes are exactly its canonical encoding.
///
/// # Errors
///
/// A description of the violated property.
pub fn check_document(data: &[u8]) -> Result<(), String> {
    let Some((&sel, doc)) = data.split_first() else {
        return Ok(());
    };
    let again = match sel % 3 {
        0 => Announcement::parse(doc).map(|a| a.to_canonical()),
        1 => Sheet::parse(doc).map(|s| s.to_canonical()),
        _ => Amendment::parse(doc).map(|a| a.to_canonical()),
    };
    match again {
        Ok(Ok(bytes)) if bytes == doc => Ok(()),
        Ok(other) => Err(format!("accepted a non-canonical document: {other:?}")),
        Err(_) => Ok(()),
    }
}

/// The office log check: no panic; a log found clean is empty or ends with a newline, and
/// stays clean when its last line is removed.
///
/// # Errors
///
/// A description of the violated property.
pub fn check_log(data: &[u8]) -> Result<(), String> {
    let report = log::check(data, true);
    let strict = log::check(data, false);
    if strict.is_ok() && !report.is_ok() {
        return Err("clean without pending draws but not with them".into());
    }
    if report.is_ok() && !data.is_empty() {
        if data.last() != Some(&b'\n') {
            return Err("an unterminated log was found clean".into());
        }
        let body = &data[..data.len() - 1];
        let cut = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        if !log::check(&data[..cut], true).is_ok() {
            return Err("a clean log's prefix is not clean".into());
        }
    }
    Ok(())
}

/// The fixed key every fuzzed signature is checked against.
pub fn fixed_key() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"fuzz-key"), &[7; 32])
}

/// Signature, public-key and secret-key files (byte 0 picks, mod 3): no panic; whatever
/// parses writes back to text that parses to the same thing; a parsed signature can be
/// checked against the fixed key without panicking, and never verifies a message it was not
/// made for.
///
/// # Errors
///
/// A description of the violated property.
pub fn check_minisign(data: &[u8]) -> Result<(), String> {
    let Some((&sel, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    match sel % 3 {
        0 => {
            if let Ok(sig) = Signature::parse(text) {
                let back = Signature::parse(&sig.to_minisig())
                    .map_err(|e| format!("written signature does not parse: {e}"))?;
                if back.to_minisig() != sig.to_minisig() || back.key_id() != sig.key_id() {
                    return Err("signature changed when written and read".into());
                }
                let pk = fixed_key().public_key();
                if sign::verify(&pk, b"a message nobody signed", &sig).is_ok() {
                    return Err("a fuzzed signature verified".into());
                }
            }
        }
        1 => {
            if let Ok(pk) = PublicKey::parse(text) {
                let back = PublicKey::parse(&pk.to_minisign())
                    .map_err(|e| format!("written public key does not parse: {e}"))?;
                if back.as_bytes() != pk.as_bytes() || back.key_id() != pk.key_id() {
                    return Err("public key changed when written and read".into());
                }
            }
        }
        _ => {
            if let Ok(sk) = SecretKey::parse(text) {
                let back = SecretKey::parse(&sk.to_key_file())
                    .map_err(|e| format!("written secret key does not parse: {e}"))?;
                if back.public_key().as_bytes() != sk.public_key().as_bytes()
                    || back.key_id() != sk.key_id()
                {
                    return Err("secret key changed when written and read".into());
                }
            }
        }
    }
    Ok(())
}

/// The input files of a draw, as bytes.
#[derive(Clone, Copy, Debug)]
pub struct InputFiles<'a> {
    /// entities.csv
    pub entities: &'a [u8],
    /// inspectors.csv
    pub inspectors: &'a [u8],
    /// items.csv
    pub items: &'a [u8],
    /// conflicts.csv
    pub conflicts: &'a [u8],
    /// history.csv
    pub history: &'a [u8],
    /// plan.toml
    pub plan: &'a [u8],
}

/// Reads all inputs of a draw.
///
/// # Errors
///
/// The first reader's error, rendered.
pub fn read_inputs(f: &InputFiles<'_>) -> Result<OwnedInputs, String> {
    let s = |e: &dyn std::fmt::Display| e.to_string();
    let plan_text = std::str::from_utf8(f.plan).map_err(|e| s(&e))?;
    Ok(OwnedInputs {
        plan: plan_toml::read_plan("plan.toml", plan_text).map_err(|e| s(&e))?,
        entities: roster_csv::read_entities("entities.csv", f.entities)
            .map_err(|e| s(&e))?
            .rows,
        inspectors: roster_csv::read_inspectors("inspectors.csv", f.inspectors)
            .map_err(|e| s(&e))?
            .rows,
        items: roster_csv::read_items("items.csv", f.items)
            .map_err(|e| s(&e))?
            .rows,
        conflicts: roster_csv::read_conflicts("conflicts.csv", f.conflicts)
            .map_err(|e| s(&e))?
            .rows,
        history: roster_csv::read_history("history.csv", f.history)
            .map_err(|e| s(&e))?
            .rows,
    })
}

/// Signs a document with the trusted comment verification expects.
///
/// # Errors
///
/// The signer's error, rendered.
pub fn sign_document(
    key: &SecretKey,
    draw_id: &str,
    file: &str,
    bytes: &[u8],
) -> Result<String, String> {
    let c = trusted_comment(draw_id, file, &Digest32::of(bytes)).map_err(|e| e.to_string())?;
    Ok(
        sign::sign(key, bytes, &c.to_string(), "double-random signature")
            .map_err(|e| e.to_string())?
            .to_minisig(),
    )
}

/// A complete, honestly signed ceremony over fixed inputs, with fixed secrets and key.
#[derive(Debug)]
pub struct Fixture {
    /// The signing key.
    pub key: SecretKey,
    /// Its public half.
    pub public: PublicKey,
    /// The inputs.
    pub inputs: OwnedInputs,
    /// announcement.json
    pub ann: Vec<u8>,
    /// Its signature.
    pub ann_sig: String,
    /// sheet.json
    pub sheet: Vec<u8>,
    /// Its signature.
    pub sheet_sig: String,
    /// amendment-1.json: the first drawn entity replaced.
    pub amendment: Vec<u8>,
    /// Its signature.
    pub amendment_sig: String,
}

/// The draw id of every fixture.
pub const DRAW_ID: &str = "FUZZ-2026-1";

impl Fixture {
    /// Announces, draws and signs over `inputs`.
    ///
    /// # Errors
    ///
    /// Any step's error, rendered.
    pub fn new(inputs: OwnedInputs) -> Result<Fixture, String> {
        let key = fixed_key();
        let public = key.public_key();
        let e = |e: &dyn std::fmt::Display| e.to_string();
        let ts = |t: &str| t.parse().map_err(|x| e(&x));
        let secrets = [("organizer", [11u8; 32]), ("witness", [22u8; 32])];
        let ann = Announcement {
            format: ANNOUNCEMENT_FORMAT.into(),
            version: VERSION.into(),
            draw_id: DRAW_ID.into(),
            plan: PlanRef::of(&inputs.plan),
            inputs: InputDigests::of(&inputs.as_inputs()).map_err(|x| e(&x))?,
            parties: secrets
                .iter()
                .map(|(name, s)| Party {
                    name: (*name).into(),
                    role: if *name == "organizer" {
                        Role::Organizer
                    } else {
                        Role::Witness
                    },
                    commitment: commitment(DRAW_ID, name, &Secret::from_bytes(*s)),
                })
                .collect(),
            beacon: None,
            announced_at: ts("2026-02-27T01:00:00Z")?,
            scheduled_at: ts("2026-02-27T02:00:00Z")?,
            key_id: key.key_id().to_string(),
            log: Position { seq: 1, prev: None },
            supersedes: None,
        };
        let reveals: Vec<Reveal> = secrets
            .iter()
            .map(|(name, s)| Reveal {
                name: (*name).into(),
                secret: Digest32(*s),
            })
            .collect();
        let ann_bytes = ann.to_canonical().map_err(|x| e(&x))?;
        let ann_sig = sign_document(&key, DRAW_ID, "announcement.json", &ann_bytes)?;
        let sheet = sheet::run(
            &ann,
            &reveals,
            None,
            &inputs.as_inputs(),
            ts("2026-02-27T02:00:00Z")?,
            Position { seq: 2, prev: None },
        )
        .map_err(|x| e(&x))?;
        let sheet_bytes = sheet.to_canonical().map_err(|x| e(&x))?;
        let sheet_sig = sign_document(&key, DRAW_ID, "sheet.json", &sheet_bytes)?;
        let first = sheet
            .entities
            .first()
            .ok_or("the draw drew nobody")?
            .id
            .clone();
        let a = amend::amend(
            &sheet,
            &[],
            Action::ReplaceEntity { entity: first },
            Reason {
                code: ReasonCode::EntityClosed,
                text: "注销".into(),
            },
            &inputs.as_inputs(),
            ts("2026-03-02T02:00:00Z")?,
            Position { seq: 3, prev: None },
        )
        .map_err(|x| e(&x))?;
        let amendment = a.to_canonical().map_err(|x| e(&x))?;
        let amendment_sig = sign_document(&key, DRAW_ID, "amendment-1.json", &amendment)?;
        Ok(Fixture {
            key,
            public,
            inputs,
            ann: ann_bytes,
            ann_sig,
            sheet: sheet_bytes,
            sheet_sig,
            amendment,
            amendment_sig,
        })
    }

    /// Verifies a set of documents against this fixture's key.
    pub fn verify(
        &self,
        ann: &[u8],
        ann_sig: &str,
        sheet: &[u8],
        sheet_sig: &str,
        inputs: Option<&OwnedInputs>,
    ) -> Report {
        self.verify_amended(ann, ann_sig, sheet, sheet_sig, None, inputs)
    }

    /// Verifies a set of documents with at most one amendment against this fixture's key.
    pub fn verify_amended(
        &self,
        ann: &[u8],
        ann_sig: &str,
        sheet: &[u8],
        sheet_sig: &str,
        amendment: Option<(&[u8], &str)>,
        inputs: Option<&OwnedInputs>,
    ) -> Report {
        let published = Published {
            public_key: &self.public,
            announcement: SignedDocument {
                name: "announcement.json",
                bytes: ann,
                signature: ann_sig,
            },
            sheet: SignedDocument {
                name: "sheet.json",
                bytes: sheet,
                signature: sheet_sig,
            },
            amendments: amendment
                .map(|(bytes, signature)| SignedDocument {
                    name: "amendment-1.json",
                    bytes,
                    signature,
                })
                .into_iter()
                .collect(),
        };
        let inputs = inputs.map(OwnedInputs::as_inputs);
        verify(&published, None, inputs.as_ref())
    }

    /// Verify on a fuzzed file set.
    ///
    /// Byte 0 holds flags: bit 0, the fixture's key signs the fuzzed documents (so that the
    /// replay, not the signature, must catch a change); bit 1, verify with the inputs; bit 2,
    /// publish an amendment. The rest is split at `0xFF` bytes into announcement, its
    /// signature, sheet, its signature, an optional entities CSV and plan TOML replacing the
    /// fixture's, the amendment and its signature; an empty or missing part keeps the
    /// fixture's.
    ///
    /// Properties: no panic; with the fuzzed signatures, PASS only for the fixture's exact
    /// documents (and inputs with the announced digests); with fixture-signed documents and
    /// inputs, PASS only when the sheet is exactly the sheet a fresh draw writes for that
    /// announcement, reveals and time, and the amendment exactly what a fresh amendment
    /// writes for its action, reason and time.
    ///
    /// # Errors
    ///
    /// A description of the violated property.
    pub fn check_verify(&self, data: &[u8]) -> Result<(), String> {
        let Some((&flags, rest)) = data.split_first() else {
            return Ok(());
        };
        let parts: Vec<&[u8]> = rest.split(|&b| b == 0xFF).collect();
        let part = |i: usize| parts.get(i).copied().filter(|p| !p.is_empty());
        let ann = part(0).unwrap_or(&self.ann);
        let sheet = part(2).unwrap_or(&self.sheet);
        let resign = flags & 1 == 1;
        let amended = flags & 4 == 4;
        let amendment = part(6).unwrap_or(&self.amendment);
        let text = |i: usize, d: &str| {
            part(i).map_or_else(
                || d.to_string(),
                |p| String::from_utf8_lossy(p).into_owned(),
            )
        };
        let (ann_sig, sheet_sig, amendment_sig) = if resign {
            let draw_id = Announcement::parse(ann).map_or_else(|_| DRAW_ID.into(), |a| a.draw_id);
            (
                sign_document(&self.key, &draw_id, "announcement.json", ann)?,
                sign_document(&self.key, &draw_id, "sheet.json", sheet)?,
                sign_document(&self.key, &draw_id, "amendment-1.json", amendment)?,
            )
        } else {
            (
                text(1, &self.ann_sig),
                text(3, &self.sheet_sig),
                text(7, &self.amendment_sig),
            )
        };
        let published_amendment = amended.then_some((amendment, amendment_sig.as_str()));
        let mut inputs = None;
        if flags & 2 == 2 {
            let mut owned = self.inputs.clone();
            if let Some(csv) = part(4) {
                match roster_csv::read_entities("entities.csv", csv) {
                    Ok(r) => owned.entities = r.rows,
                    Err(_) => return Ok(()),
                }
            }
            if let Some(toml) = part(5) {
                match std::str::from_utf8(toml)
                    .ok()
                    .and_then(|t| plan_toml::read_plan("plan.toml", t).ok())
                {
                    Some(p) => owned.plan = p,
                    None => return Ok(()),
                }
            }
            inputs = Some(owned);
        }
        let report = self.verify_amended(
            ann,
            &ann_sig,
            sheet,
            &sheet_sig,
            published_amendment,
            inputs.as_ref(),
        );
        if !report.passed() {
            return Ok(());
        }
        if !resign {
            if ann != self.ann.as_slice()
                || sheet != self.sheet.as_slice()
                || (amended && amendment != self.amendment.as_slice())
            {
                return Err("PASS for documents that were not signed".into());
            }
            if let Some(i) = &inputs {
                let found = InputDigests::of(&i.as_inputs()).map_err(|e| e.to_string())?;
                let announced =
                    InputDigests::of(&self.inputs.as_inputs()).map_err(|e| e.to_string())?;
                if found != announced {
                    return Err("PASS with inputs other than the announced ones".into());
                }
            }
        } else if let Some(i) = &inputs {
            let a = Announcement::parse(ann).map_err(|e| format!("PASS, but {e}"))?;
            let s = Sheet::parse(sheet).map_err(|e| format!("PASS, but {e}"))?;
            let fresh = sheet::run(
                &a,
                &s.reveals,
                s.beacon.as_ref(),
                &i.as_inputs(),
                s.drawn_at,
                s.log,
            )
            .map_err(|e| format!("PASS, but a fresh draw fails: {e}"))?;
            if fresh.to_canonical().ok().as_deref() != Some(sheet) {
                return Err("PASS for a sheet a fresh draw does not write".into());
            }
            if amended {
                let m = Amendment::parse(amendment).map_err(|e| format!("PASS, but {e}"))?;
                let again = amend::amend(
                    &s,
                    &[],
                    m.action,
                    m.reason,
                    &i.as_inputs(),
                    m.amended_at,
                    m.log,
                )
                .map_err(|e| format!("PASS, but a fresh amendment fails: {e}"))?;
                if again.to_canonical().ok().as_deref() != Some(amendment) {
                    return Err("PASS for an amendment a fresh replay does not write".into());
                }
            }
        }
        Ok(())
    }
}

/// An .xlsx package whose first worksheet's XML is `sheet` and whose shared strings part's,
/// if any, is `shared`; the parts stored, or deflated when `deflate`.
///
/// # Errors
///
/// The zip writer's error, rendered.
#[cfg(feature = "xlsx")]
pub fn xlsx_package(sheet: &[u8], shared: Option<&[u8]>, deflate: bool) -> Result<Vec<u8>, String> {
    use std::io::Write;
    const NS: &str = "http://schemas.openxmlformats.org";
    let types = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let book = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let book_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let e = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        })
        .large_file(sheet.len() > u32::MAX as usize);
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s));
    }
    for (name, body) in parts {
        zip.start_file(name, options).map_err(|x| e(&x))?;
        zip.write_all(body).map_err(|x| e(&x))?;
    }
    Ok(zip.finish().map_err(|x| e(&x))?.into_inner())
}

/// Limits small enough that an allocation far past them (which the fuzzer's malloc limit
/// catches) is a bug, and a fuzzed workbook can pass each of them.
#[cfg(feature = "xlsx")]
pub const TIGHT_XLSX_LIMITS: crate::formats::xlsx::XlsxLimits = crate::formats::xlsx::XlsxLimits {
    parts: 16,
    part_bytes: 1 << 20,
    total_bytes: 2 << 20,
    cell_bytes: 4096,
    rows: 4096,
    columns: 64,
    cells: 1 << 16,
    shared_strings: 4096,
    shared_string_bytes: 64 << 10,
};

/// xlsx: byte 0 holds flags: bit 0, the rest is a whole workbook; otherwise the rest is split
/// at its first `0xFF` into a worksheet's XML and a shared strings part's, packed into a
/// workbook (bit 1: deflated). Properties: no panic; reading is deterministic; a workbook
/// read under [`TIGHT_XLSX_LIMITS`] without passing one of them reads exactly the same (rows,
/// lines, warnings or errors) under the default limits.
///
/// # Errors
///
/// A description of the violated property.
#[cfg(feature = "xlsx")]
pub fn check_xlsx(data: &[u8]) -> Result<(), String> {
    use crate::formats::error::InputErrorKind;
    use crate::formats::xlsx::{XlsxLimits, read_entities_xlsx_limited};
    let Some((&flags, rest)) = data.split_first() else {
        return Ok(());
    };
    let bytes = if flags & 1 == 1 {
        rest.to_vec()
    } else {
        let (sheet, shared) = match rest.iter().position(|&b| b == 0xFF) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        xlsx_package(sheet, shared, flags & 2 == 2)?
    };
    let read = |limits: &XlsxLimits| {
        read_entities_xlsx_limited("x.xlsx", std::io::Cursor::new(&bytes[..]), limits)
            .map(|r| (r.rows, r.lines, r.warnings))
    };
    let tight = read(&TIGHT_XLSX_LIMITS);
    if read(&TIGHT_XLSX_LIMITS) != tight {
        return Err("reading the same workbook twice gave different results".into());
    }
    let limited = tight.as_ref().is_err_and(|e| {
        e.errors
            .iter()
            .any(|x| matches!(x.kind, InputErrorKind::WorkbookLimit { .. }))
    });
    if !limited {
        let default = read(&XlsxLimits::DEFAULT);
        if default != tight {
            return Err(format!(
                "within the tight limits, but the default limits read it otherwise: {tight:?} / {default:?}"
            ));
        }
    }
    Ok(())
}
