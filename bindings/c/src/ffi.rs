//! The C functions: pointers in, a status and a buffer out.
//!
//! Rules common to every function (the header repeats them):
//! - Byte arguments are a pointer and a length; a null pointer is allowed only with length 0.
//!   Text (draw ids, names, keys, requests) is UTF-8; nothing needs a terminating NUL.
//! - The return value is a [`DrStatus`]: 0 on success. `out`, when not null, then holds the
//!   result (JSON unless the function says otherwise); on failure it holds the error's JSON
//!   `{"status", "code", "message", "fields"}`. Free it with [`dr_buffer_free`].
//! - No panic crosses: a panic becomes status 7 (`internal.panic`) and nothing is published.
//! - Handles (`DrInputs`, `DrKey`, `DrOffice`) are freed by their `_free` function, once.
//!   Inputs and keys are immutable and may be shared between threads; an office serializes
//!   its steps behind a lock.

use crate::api::{self, InputFiles, Inputs, Key, Office};
use crate::error::{DrStatus, Error};
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Bytes handed to the caller, to be released with [`dr_buffer_free`].
#[repr(C)]
#[derive(Debug)]
pub struct DrBuffer {
    /// The bytes, or null when empty.
    pub data: *mut u8,
    /// How many.
    pub len: usize,
}

impl DrBuffer {
    fn empty() -> DrBuffer {
        DrBuffer {
            data: std::ptr::null_mut(),
            len: 0,
        }
    }

    fn of(bytes: Vec<u8>) -> DrBuffer {
        if bytes.is_empty() {
            return DrBuffer::empty();
        }
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        DrBuffer {
            data: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Checked inputs of a draw (opaque).
pub struct DrInputs(Inputs);

/// The organizer's signing key (opaque); wiped when freed.
pub struct DrKey(Key);

/// An office in memory: log and published documents (opaque).
pub struct DrOffice(Office);

/// Runs `f` with panics caught, writes its result or error to `out`, returns the status.
fn run(out: *mut DrBuffer, f: impl FnOnce() -> Result<Vec<u8>, Error>) -> i32 {
    let result = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err(Error::panic()));
    let (status, bytes) = match result {
        Ok(b) => (DrStatus::Ok as i32, b),
        Err(e) => (e.status as i32, e.to_json()),
    };
    if !out.is_null() {
        // SAFETY: the caller passes `out` pointing to a writable DrBuffer (or null, checked
        // above); writing does not read or free what was there.
        unsafe { out.write(DrBuffer::of(bytes)) };
    }
    status
}

fn null(what: &str) -> Error {
    Error::new(
        DrStatus::Argument,
        "argument.null",
        format!("{what} is null"),
    )
    .with("argument", what)
}

/// The bytes at `ptr`, `len` long.
///
/// # Safety
/// `ptr` is null with `len` 0, or points to `len` readable bytes that outlive `'a`.
unsafe fn bytes<'a>(what: &str, ptr: *const u8, len: usize) -> Result<&'a [u8], Error> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null(what));
    }
    // SAFETY: non-null and, by the caller's contract, `len` readable bytes living for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The optional bytes at `ptr`: `None` when `ptr` is null.
///
/// # Safety
/// As [`bytes`].
unsafe fn optional<'a>(what: &str, ptr: *const u8, len: usize) -> Result<Option<&'a [u8]>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract is the one `bytes` needs.
    unsafe { bytes(what, ptr, len) }.map(Some)
}

/// The UTF-8 text at `ptr`.
///
/// # Safety
/// As [`bytes`].
unsafe fn text<'a>(what: &str, ptr: *const u8, len: usize) -> Result<&'a str, Error> {
    // SAFETY: the caller's contract is the one `bytes` needs.
    let b = unsafe { bytes(what, ptr, len) }?;
    std::str::from_utf8(b).map_err(|_| {
        Error::new(
            DrStatus::Argument,
            "argument.utf8",
            format!("{what} is not UTF-8"),
        )
        .with("argument", what)
    })
}

/// The value behind a handle.
///
/// # Safety
/// `ptr` is null or a live handle of this type made by this library.
unsafe fn handle<'a, T>(what: &str, ptr: *const T) -> Result<&'a T, Error> {
    // SAFETY: null or a live handle, by the caller's contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(what))
}

/// Stores a new handle in `*slot` (when `slot` is not null).
///
/// # Safety
/// `slot` is null or points to a writable pointer.
unsafe fn give<T>(slot: *mut *mut T, value: T) {
    if !slot.is_null() {
        // SAFETY: non-null and writable by the caller's contract.
        unsafe { slot.write(Box::into_raw(Box::new(value))) };
    }
}

/// Frees a handle made by this library.
///
/// # Safety
/// `ptr` is null or a live handle of this type, not used again.
unsafe fn drop_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: made by Box::into_raw in `give`, freed once by the caller's contract.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// The library's version, a NUL-terminated static string such as
/// `double-random-ffi 0.1.0 (abi 1)`. Never free it.
#[unsafe(no_mangle)]
pub extern "C" fn dr_version() -> *const c_char {
    concat!(
        "double-random-ffi ",
        env!("CARGO_PKG_VERSION"),
        " (abi 1)\0"
    )
    .as_ptr()
    .cast()
}

/// The ABI's version (1): raised when a signature or a JSON shape changes.
#[unsafe(no_mangle)]
pub extern "C" fn dr_abi_version() -> u32 {
    api::ABI_VERSION
}

/// Frees the bytes of a buffer this library filled and sets it empty. Safe on an empty buffer
/// and on null.
///
/// # Safety
/// `buffer` is null or points to a DrBuffer filled by this library (or empty).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_buffer_free(buffer: *mut DrBuffer) {
    let _ = catch_unwind(|| {
        // SAFETY: null or a DrBuffer, by the caller's contract.
        let Some(b) = (unsafe { buffer.as_mut() }) else {
            return;
        };
        if !b.data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(b.data, b.len);
            // SAFETY: `data`/`len` come from Box::into_raw of a boxed slice in DrBuffer::of,
            // and are cleared below so they are freed once.
            drop(unsafe { Box::from_raw(slice) });
        }
        *b = DrBuffer::empty();
    });
}

/// Checks inputs: reads the rosters (CSV bytes) and the plan (TOML bytes), reports every
/// problem with file, line and field (status 2), and checks that they fit the plan. On success
/// `out` holds `{"digests", "plan", "warnings"}` and, when `inputs_out` is not null,
/// `*inputs_out` a handle for the steps (free it with [`dr_inputs_free`]). `conflicts` and
/// `history` may be null: the empty tables.
///
/// # Safety
/// Each pointer/length pair as the module says; `inputs_out` null or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn dr_inputs_load(
    entities: *const u8,
    entities_len: usize,
    inspectors: *const u8,
    inspectors_len: usize,
    items: *const u8,
    items_len: usize,
    conflicts: *const u8,
    conflicts_len: usize,
    history: *const u8,
    history_len: usize,
    plan: *const u8,
    plan_len: usize,
    inputs_out: *mut *mut DrInputs,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: each pair is the caller's, valid for the call by the contract above.
        let files = unsafe {
            InputFiles {
                entities: bytes("entities", entities, entities_len)?,
                inspectors: bytes("inspectors", inspectors, inspectors_len)?,
                items: bytes("items", items, items_len)?,
                conflicts: optional("conflicts", conflicts, conflicts_len)?,
                history: optional("history", history, history_len)?,
                plan: bytes("plan", plan, plan_len)?,
            }
        };
        let inputs = Inputs::load(&files)?;
        let report = inputs.report().to_vec();
        // SAFETY: null or writable, by the contract above.
        unsafe { give(inputs_out, DrInputs(inputs)) };
        Ok(report)
    })
}

/// Frees inputs.
///
/// # Safety
/// `inputs` is null or a live handle from [`dr_inputs_load`], not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_inputs_free(inputs: *mut DrInputs) {
    // SAFETY: the caller's contract is drop_handle's.
    let _ = catch_unwind(AssertUnwindSafe(|| unsafe { drop_handle(inputs) }));
}

/// A signing key from its 8-byte id and 32-byte Ed25519 seed. `out` holds
/// `{"key_id", "public_key"}` (the minisign `.pub` text).
///
/// # Safety
/// `key_id` points to 8 bytes, `seed` to 32; `key_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_key_from_seed(
    key_id: *const u8,
    seed: *const u8,
    key_out: *mut *mut DrKey,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: 8 and 32 readable bytes by the contract above.
        let (id, seed) = unsafe { (bytes("key_id", key_id, 8)?, bytes("seed", seed, 32)?) };
        let mut s = zeroize::Zeroizing::new([0u8; 32]);
        s.copy_from_slice(seed);
        let mut i = [0u8; 8];
        i.copy_from_slice(id);
        let key = Key::from_seed(i, &s);
        let public = key.public();
        if key_out.is_null() {
            return Err(null("key_out"));
        }
        // SAFETY: non-null and writable by the contract above.
        unsafe { give(key_out, DrKey(key)) };
        Ok(public)
    })
}

/// A signing key from a minisign secret key file's text and, when it is encrypted, its
/// password (null for none). `out` holds `{"key_id", "public_key"}`.
///
/// # Safety
/// Pointer/length pairs as the module says; `key_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_key_from_minisign(
    key_file: *const u8,
    key_file_len: usize,
    password: *const u8,
    password_len: usize,
    key_out: *mut *mut DrKey,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: the caller's pairs, valid for the call.
        let (t, p) = unsafe {
            (
                text("key_file", key_file, key_file_len)?,
                optional("password", password, password_len)?,
            )
        };
        let key = Key::from_minisign(t, p)?;
        let public = key.public();
        if key_out.is_null() {
            return Err(null("key_out"));
        }
        // SAFETY: non-null and writable by the contract above.
        unsafe { give(key_out, DrKey(key)) };
        Ok(public)
    })
}

/// Frees a key, wiping it.
///
/// # Safety
/// `key` is null or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_key_free(key: *mut DrKey) {
    // SAFETY: the caller's contract is drop_handle's.
    let _ = catch_unwind(AssertUnwindSafe(|| unsafe { drop_handle(key) }));
}

/// A new, empty office. Free it with [`dr_office_free`].
#[unsafe(no_mangle)]
pub extern "C" fn dr_office_new() -> *mut DrOffice {
    catch_unwind(|| Box::into_raw(Box::new(DrOffice(Office::new()))))
        .unwrap_or(std::ptr::null_mut())
}

/// Frees an office.
///
/// # Safety
/// `office` is null or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_free(office: *mut DrOffice) {
    // SAFETY: the caller's contract is drop_handle's.
    let _ = catch_unwind(AssertUnwindSafe(|| unsafe { drop_handle(office) }));
}

/// Sets the office's log to `bytes` (an `office.log` read back from storage).
///
/// # Safety
/// `office` is a live handle; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_set_log(
    office: *const DrOffice,
    log: *const u8,
    log_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let (o, b) = unsafe { (handle("office", office)?, bytes("log", log, log_len)?) };
        o.0.set_log(b);
        Ok(vec![])
    })
}

/// The office's log: `out` holds its bytes (not JSON).
///
/// # Safety
/// `office` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_log(office: *const DrOffice, out: *mut DrBuffer) -> i32 {
    // SAFETY: by the contract above.
    run(out, || Ok(unsafe { handle("office", office)? }.0.log()))
}

/// Loads a document or signature read back from storage into the office (never over one it
/// holds: status 3, `step.exists`).
///
/// # Safety
/// `office` is a live handle; the pairs as the module says.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn dr_office_put(
    office: *const DrOffice,
    draw_id: *const u8,
    draw_id_len: usize,
    name: *const u8,
    name_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let (o, d, n, b) = unsafe {
            (
                handle("office", office)?,
                text("draw_id", draw_id, draw_id_len)?,
                text("name", name, name_len)?,
                bytes("data", data, data_len)?,
            )
        };
        o.0.put(d, n, b)?;
        Ok(vec![])
    })
}

/// A document or signature of the office: `out` holds its bytes (not JSON); status 6
/// (`office.missing_document`) when the office lacks it.
///
/// # Safety
/// `office` is a live handle; the pairs as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_get(
    office: *const DrOffice,
    draw_id: *const u8,
    draw_id_len: usize,
    name: *const u8,
    name_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let (o, d, n) = unsafe {
            (
                handle("office", office)?,
                text("draw_id", draw_id, draw_id_len)?,
                text("name", name, name_len)?,
            )
        };
        o.0.get(d, n)
    })
}

/// How many files (documents and signatures) the office holds; 0 for null.
///
/// # Safety
/// `office` is null or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_len(office: *const DrOffice) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: null or a live handle, by the contract above.
        unsafe { office.as_ref() }.map_or(0, |o| o.0.len())
    }))
    .unwrap_or(0)
}

/// Every file of the office: `out` holds `[[draw_id, name], …]`.
///
/// # Safety
/// `office` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_office_list(office: *const DrOffice, out: *mut DrBuffer) -> i32 {
    // SAFETY: by the contract above.
    run(out, || Ok(unsafe { handle("office", office)? }.0.list()))
}

/// The arguments every step takes.
///
/// # Safety
/// Live handles or null; the pair as the module says.
unsafe fn step_args<'a>(
    office: *const DrOffice,
    key: *const DrKey,
    request: *const u8,
    request_len: usize,
) -> Result<(&'a Office, &'a Key, &'a [u8]), Error> {
    // SAFETY: by the caller's contract.
    unsafe {
        Ok((
            &handle("office", office)?.0,
            &handle("key", key)?.0,
            bytes("request", request, request_len)?,
        ))
    }
}

/// Announces a draw (JSON request, see docs/bindings/c.md). On success the office holds the
/// announcement, its signature and the log entry, and `out` holds `{"draw_id", "name",
/// "document", "signature_name", "signature", "entry", "checkpoint"}` for the caller's storage.
///
/// # Safety
/// Live handles; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_announce(
    office: *const DrOffice,
    inputs: *const DrInputs,
    key: *const DrKey,
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let ((o, k, r), i) = unsafe {
            (
                step_args(office, key, request, request_len)?,
                handle("inputs", inputs)?,
            )
        };
        o.announce(&i.0, k, r)
    })
}

/// Draws an announced draw; publishes the sheet as [`dr_announce`] does.
///
/// # Safety
/// Live handles; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_draw(
    office: *const DrOffice,
    inputs: *const DrInputs,
    key: *const DrKey,
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let ((o, k, r), i) = unsafe {
            (
                step_args(office, key, request, request_len)?,
                handle("inputs", inputs)?,
            )
        };
        o.draw(&i.0, k, r)
    })
}

/// Amends a drawn draw (replace an entity or an inspector); publishes `amendment-<n>.json`.
///
/// # Safety
/// Live handles; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_amend(
    office: *const DrOffice,
    inputs: *const DrInputs,
    key: *const DrKey,
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let ((o, k, r), i) = unsafe {
            (
                step_args(office, key, request, request_len)?,
                handle("inputs", inputs)?,
            )
        };
        o.amend(&i.0, k, r)
    })
}

/// Voids an announced draw without a sheet; publishes `void.json`.
///
/// # Safety
/// Live handles; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_void(
    office: *const DrOffice,
    key: *const DrKey,
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let (o, k, r) = unsafe { step_args(office, key, request, request_len)? };
        o.void(k, r)
    })
}

/// Verifies a drawn draw of the office; `inputs` may be null (no replay). `out` holds
/// `{"draw_id", "passed", "replayed", "checks", "findings", "log_findings"}`: a failed
/// verification is status 0 with `"passed": false`.
///
/// # Safety
/// `office` live, `inputs` null or live; the pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_verify(
    office: *const DrOffice,
    inputs: *const DrInputs,
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: by the contract above.
        let (o, i, r) = unsafe {
            (
                handle("office", office)?,
                inputs.as_ref(),
                bytes("request", request, request_len)?,
            )
        };
        o.0.verify(i.map(|i| &i.0), r)
    })
}

/// A party's commitment to its secret: request `{"draw_id", "party", "secret"}`.
///
/// # Safety
/// The pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_commitment(
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: the pair is the caller's, valid for the call, by the contract above.
        let request = unsafe { bytes("request", request, request_len)? };
        api::commit(request)
    })
}

/// Replays one stratum from its member list (SPEC §13.2); status 5 when the list does not
/// match the sheet's digest or count.
///
/// # Safety
/// The pair as the module says.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dr_replay_stratum(
    request: *const u8,
    request_len: usize,
    out: *mut DrBuffer,
) -> i32 {
    run(out, || {
        // SAFETY: the pair is the caller's, valid for the call, by the contract above.
        let request = unsafe { bytes("request", request, request_len)? };
        api::replay_stratum(request)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_status_7_with_its_code_and_crosses_nothing() {
        let mut out = DrBuffer::empty();
        let status = run(&mut out, || panic!("a bug"));
        assert_eq!(status, DrStatus::Internal as i32);
        // SAFETY: `out` was filled by `run` just above.
        let text = unsafe { std::slice::from_raw_parts(out.data, out.len) };
        let e: serde_json::Value = serde_json::from_slice(text).unwrap();
        assert_eq!(e["code"], "internal.panic");
        assert_eq!(e["status"], 7);
        // SAFETY: a buffer this library filled; freed once, then empty.
        unsafe {
            dr_buffer_free(&mut out);
            dr_buffer_free(&mut out);
        }
        assert!(out.data.is_null() && out.len == 0);
    }
}
