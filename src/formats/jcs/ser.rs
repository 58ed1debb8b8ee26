//! The direct canonical writer: a `serde::Serializer` that writes RFC 8785 bytes straight into
//! one buffer, without building a `serde_json::Value` first.
//!
//! It writes exactly the bytes that `serde_json::to_value` followed by the tree writer would
//! write, for every value it accepts. It does not try to reproduce the tree path's errors:
//! whenever something would be refused, or is unusual enough that matching `serde_json` by hand
//! is not worth it (floating-point map keys, the `serde_json` private number and raw-value
//! tokens), it declines, and [`super::to_canonical`] serialises the value again through the
//! tree, which gives the result and the error (variant, path, text) it always gave. So:
//!
//! - when this writer returns bytes, they are the tree path's bytes;
//! - when the tree path refuses a value, this writer declines (it refuses every number the
//!   tree path refuses, every error a `Serialize` impl raises, and every map key that
//!   `serde_json` refuses).
//!
//! Objects: each member is written as `"name":value` where it comes, and its byte range is
//! remembered with its name. At the end of the object, if the names were already in order (the
//! UTF-16 order of RFC 8785 §3.2.3) nothing moves; otherwise the members are copied out and
//! written back in order. Equal names keep the last member, as a `BTreeMap` insert does.

use super::{MAX_SAFE, write_string};
use serde::ser::{self, Serialize};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

/// Writes `value` canonically into a buffer of `capacity` bytes to start with, or `None` when
/// the value needs the tree path (see the module documentation).
pub(super) fn to_vec<T: Serialize + ?Sized>(value: &T, capacity: usize) -> Option<Vec<u8>> {
    let mut w = Canon {
        out: Vec::with_capacity(capacity),
        members: Vec::new(),
        scratch: Vec::new(),
    };
    value.serialize(&mut w).ok()?;
    Some(w.out)
}

/// Compares two names by their UTF-16 code units, as RFC 8785 §3.2.3 sorts object members.
///
/// UTF-8 byte order is code point order, and UTF-16 order differs from it only between a
/// character in U+E000..=U+FFFF (three bytes, lead byte `EE` or `EF`) and one above U+FFFF
/// (four bytes, lead byte `F0`..=`F4`): the surrogate pair of the latter sorts first. At the
/// first differing byte both bytes are lead bytes or both are continuation bytes (the equal
/// prefix fixes where characters start), so looking at that one pair of bytes suffices.
pub(super) fn utf16_cmp(a: &str, b: &str) -> Ordering {
    match a.bytes().zip(b.bytes()).find(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some((x, y)) if x >= 0xEE && y >= 0xEE && (x >= 0xF0) != (y >= 0xF0) => y.cmp(&x),
        Some((x, y)) => x.cmp(&y),
    }
}

/// The value cannot be written here; the caller goes through the tree instead.
#[derive(Debug)]
pub(super) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value needs the serde_json::Value path")
    }
}

impl std::error::Error for Declined {}

impl ser::Error for Declined {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Declined
    }
}

/// One member of an object being written: its name and the bytes of `"name":value` in `out`.
struct Member {
    key: Cow<'static, str>,
    start: usize,
    end: usize,
}

/// The writer's state: the output, the members of the objects still open (innermost last),
/// and a buffer to reorder members in.
struct Canon {
    out: Vec<u8>,
    members: Vec<Member>,
    scratch: Vec<u8>,
}

impl Canon {
    fn int(&mut self, v: i128) -> Result<(), Declined> {
        if v.unsigned_abs() > MAX_SAFE as u128 {
            return Err(Declined);
        }
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        Ok(())
    }

    /// Every finite float is refused (RFC 8785 would write a double); `serde_json::Value`
    /// holds a non-finite one as `null`.
    fn float(&mut self, finite: bool) -> Result<(), Declined> {
        if finite {
            return Err(Declined);
        }
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn object(&mut self, wrap: Option<&'static str>) -> Object<'_> {
        if let Some(variant) = wrap {
            self.out.push(b'{');
            write_string(variant, &mut self.out);
            self.out.push(b':');
        }
        self.out.push(b'{');
        Object {
            base: self.members.len(),
            open: self.out.len(),
            pending: None,
            wrap: wrap.is_some(),
            w: self,
        }
    }

    fn seq(&mut self, wrap: Option<&'static str>) -> Seq<'_> {
        if let Some(variant) = wrap {
            self.out.push(b'{');
            write_string(variant, &mut self.out);
            self.out.push(b':');
        }
        self.out.push(b'[');
        Seq {
            first: true,
            wrap: wrap.is_some(),
            w: self,
        }
    }
}

impl<'a> ser::Serializer for &'a mut Canon {
    type Ok = ();
    type Error = Declined;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Declined> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Declined> {
        self.int(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Declined> {
        self.int(v.into())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Declined> {
        self.int(i128::try_from(v).map_err(|_| Declined)?)
    }

    fn serialize_f32(self, v: f32) -> Result<(), Declined> {
        self.float(v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Declined> {
        self.float(v.is_finite())
    }

    fn serialize_char(self, v: char) -> Result<(), Declined> {
        write_string(v.encode_utf8(&mut [0; 4]), &mut self.out);
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Declined> {
        write_string(v, &mut self.out);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Declined> {
        self.out.push(b'[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            self.out
                .extend_from_slice(itoa::Buffer::new().format(*b).as_bytes());
        }
        self.out.push(b']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Declined> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Declined> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Declined> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Declined> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Declined> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.out.push(b'{');
        write_string(variant, &mut self.out);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, Declined> {
        Ok(self.seq(None))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Seq<'a>, Declined> {
        Ok(self.seq(None))
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Seq<'a>, Declined> {
        Ok(self.seq(None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, Declined> {
        Ok(self.seq(Some(variant)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, Declined> {
        Ok(self.object(None))
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Object<'a>, Declined> {
        // serde_json's arbitrary-precision numbers and raw values travel as structs with these
        // names; its tree serialiser treats them specially, so leave them to it.
        if name.starts_with("$serde_json::private::") {
            return Err(Declined);
        }
        Ok(self.object(None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, Declined> {
        Ok(self.object(Some(variant)))
    }
}

/// An array being written (also a tuple variant's `{"Name":[...]}`).
pub(super) struct Seq<'a> {
    w: &'a mut Canon,
    first: bool,
    wrap: bool,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        value.serialize(&mut *self.w)
    }

    fn close(self) -> Result<(), Declined> {
        self.w.out.push(b']');
        if self.wrap {
            self.w.out.push(b'}');
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

/// An object being written (a map, a struct, or the inner object of a struct variant's
/// `{"Name":{...}}`).
pub(super) struct Object<'a> {
    w: &'a mut Canon,
    /// Where this object's members start in `w.members`.
    base: usize,
    /// Where this object's members start in `w.out` (just after its `{`).
    open: usize,
    /// A map key written by `serialize_key`, waiting for its value.
    pending: Option<Cow<'static, str>>,
    wrap: bool,
}

impl Object<'_> {
    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Declined> {
        let w = &mut *self.w;
        if w.members.len() > self.base {
            w.out.push(b',');
        }
        let start = w.out.len();
        write_string(&key, &mut w.out);
        w.out.push(b':');
        value.serialize(&mut *w)?;
        let end = w.out.len();
        w.members.push(Member { key, start, end });
        Ok(())
    }

    fn close(self) -> Result<(), Declined> {
        let Canon {
            out,
            members,
            scratch,
        } = &mut *self.w;
        let open = self.open;
        let mine = &mut members[self.base..];
        let in_order = mine
            .windows(2)
            .all(|p| utf16_cmp(&p[0].key, &p[1].key) == Ordering::Less);
        if !in_order {
            // A stable sort keeps members with equal names in the order they came; only the
            // last of them is written.
            mine.sort_by(|a, b| utf16_cmp(&a.key, &b.key));
            reorder(out, scratch, open, mine);
        }
        members.truncate(self.base);
        out.push(b'}');
        if self.wrap {
            out.push(b'}');
        }
        Ok(())
    }
}

/// Writes the members of the object whose members start at `open` in `out` again, in the
/// order of `sorted`, keeping only the last of members with equal names.
fn reorder(out: &mut Vec<u8>, scratch: &mut Vec<u8>, open: usize, sorted: &[Member]) {
    let repeats = sorted.windows(2).any(|p| p[0].key == p[1].key);
    let big = sorted
        .iter()
        .enumerate()
        .max_by_key(|(_, m)| m.end - m.start)
        .map(|(i, _)| i);
    let Some(big) = big.filter(|_| !repeats) else {
        scratch.clear();
        scratch.extend_from_slice(&out[open..]);
        out.truncate(open);
        let mut first = true;
        for (i, m) in sorted.iter().enumerate() {
            if sorted.get(i + 1).is_some_and(|next| next.key == m.key) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&scratch[m.start - open..m.end - open]);
        }
        return;
    };
    // The same members and commas in another order: the object keeps its length. The largest
    // member (in a sheet, the entity list) moves once, within `out`; the others go through
    // `scratch`.
    let (big_start, big_end) = (sorted[big].start, sorted[big].end);
    scratch.clear();
    scratch.extend_from_slice(&out[open..big_start]);
    scratch.extend_from_slice(&out[big_end..]);
    let big_to = open
        + sorted[..big]
            .iter()
            .map(|m| m.end - m.start + 1)
            .sum::<usize>();
    out.copy_within(big_start..big_end, big_to);
    let mut to = open;
    for (i, m) in sorted.iter().enumerate() {
        if i > 0 {
            out[to] = b',';
            to += 1;
        }
        let len = m.end - m.start;
        if i != big {
            let from = if m.start < big_start {
                m.start - open
            } else {
                m.start - big_end + (big_start - open)
            };
            out[to..to + len].copy_from_slice(&scratch[from..from + len]);
        }
        to += len;
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Declined> {
        self.pending = Some(key.serialize(KeyName)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        let key = self.pending.take().ok_or(Declined)?;
        self.member(key, value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.member(Cow::Borrowed(key), value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Declined;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.member(Cow::Borrowed(key), value)
    }

    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

/// A map key as the name of an object member, as serde_json's `MapKeySerializer` makes it:
/// strings as they are, characters, integers and booleans as text, unit variants by name,
/// newtype structs by their content. Floating-point keys (which serde_json writes with its
/// own float formatting) and the key types serde_json refuses are declined.
struct KeyName;

type Key = Result<Cow<'static, str>, Declined>;

fn key_int(v: impl itoa::Integer) -> Key {
    Ok(Cow::Owned(itoa::Buffer::new().format(v).to_owned()))
}

impl ser::Serializer for KeyName {
    type Ok = Cow<'static, str>;
    type Error = Declined;
    type SerializeSeq = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeTuple = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeTupleStruct = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeTupleVariant = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeMap = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeStruct = ser::Impossible<Cow<'static, str>, Declined>;
    type SerializeStructVariant = ser::Impossible<Cow<'static, str>, Declined>;

    fn serialize_bool(self, v: bool) -> Key {
        Ok(Cow::Borrowed(if v { "true" } else { "false" }))
    }

    fn serialize_i8(self, v: i8) -> Key {
        key_int(v)
    }

    fn serialize_i16(self, v: i16) -> Key {
        key_int(v)
    }

    fn serialize_i32(self, v: i32) -> Key {
        key_int(v)
    }

    fn serialize_i64(self, v: i64) -> Key {
        key_int(v)
    }

    fn serialize_i128(self, v: i128) -> Key {
        key_int(v)
    }

    fn serialize_u8(self, v: u8) -> Key {
        key_int(v)
    }

    fn serialize_u16(self, v: u16) -> Key {
        key_int(v)
    }

    fn serialize_u32(self, v: u32) -> Key {
        key_int(v)
    }

    fn serialize_u64(self, v: u64) -> Key {
        key_int(v)
    }

    fn serialize_u128(self, v: u128) -> Key {
        key_int(v)
    }

    fn serialize_f32(self, _v: f32) -> Key {
        Err(Declined)
    }

    fn serialize_f64(self, _v: f64) -> Key {
        Err(Declined)
    }

    fn serialize_char(self, v: char) -> Key {
        Ok(Cow::Owned(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Key {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Key {
        Err(Declined)
    }

    fn serialize_none(self) -> Key {
        Err(Declined)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Key {
        Err(Declined)
    }

    fn serialize_unit(self) -> Key {
        Err(Declined)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Key {
        Err(Declined)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Key {
        Ok(Cow::Borrowed(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Key {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Key {
        Err(Declined)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Declined> {
        Err(Declined)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Declined> {
        Err(Declined)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Declined> {
        Err(Declined)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Declined> {
        Err(Declined)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Declined> {
        Err(Declined)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Declined> {
        Err(Declined)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Declined> {
        Err(Declined)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Key {
        Ok(Cow::Owned(value.to_string()))
    }
}
