use super::*;
use proptest::prelude::*;
use serde::ser::{SerializeMap as _, SerializeStruct as _};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The string escaping as first written, character by character: the reference for the
/// run-copying [`write_string`].
fn write_string_by_chars(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[test]
fn finds_every_byte_that_needs_an_escape_at_every_position() {
    for len in 0..=17 {
        for at in 0..len {
            for b in 0..=0x7fu8 {
                let mut s = vec![b'a'; len];
                s[at] = b;
                let want = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(needs_escape(&s), want, "{b:#x} at {at} of {len}");
                // Bytes of other characters around it change nothing.
                let mut s = "两".repeat(len).into_bytes();
                s[at * 3] = b;
                s[at * 3 + 1] = b'z';
                s[at * 3 + 2] = 0xff;
                assert_eq!(needs_escape(&s), want, "{b:#x} at {at} of {len}, wide");
            }
        }
    }
}

/// Both paths agree: the same bytes, or the same error (variant, path, number, detail).
/// Returns the result.
fn same_as_value_path<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JcsError> {
    let new = to_canonical(value);
    let old = to_canonical_via_value(value);
    assert_eq!(format!("{new:?}"), format!("{old:?}"));
    // The direct writer gives the tree path's bytes whenever it gives any, and declines
    // whenever the tree path refuses.
    match (ser::to_vec(value, 0), &old) {
        (Some(direct), Ok(old)) => assert_eq!(&direct, old),
        (Some(direct), Err(e)) => panic!("direct wrote {direct:?}, the tree path refused: {e}"),
        (None, _) => {}
    }
    new
}

fn text(r: Result<Vec<u8>, JcsError>) -> String {
    String::from_utf8(r.unwrap()).unwrap()
}

#[test]
fn escapes_like_json_stringify() {
    let v = json!({"s": "a\"\\\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}/€\u{2028}"});
    let got = text(same_as_value_path(&v));
    assert_eq!(
        got,
        "{\"s\":\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}/€\u{2028}\"}"
    );
}

#[test]
fn sorts_by_utf16_code_units() {
    // In UTF-8, U+E000 sorts before U+1F600; in UTF-16 the surrogate pair of
    // U+1F600 (D83D DE00) sorts before E000, and JCS follows UTF-16.
    let v = json!({"\u{e000}": 1, "\u{1f600}": 2, "a": 3});
    let got = text(same_as_value_path(&v));
    assert_eq!(got, "{\"a\":3,\"\u{1f600}\":2,\"\u{e000}\":1}");
}

#[test]
fn refuses_floats_and_big_integers() {
    assert!(matches!(
        same_as_value_path(&json!({"a": [1.5]})),
        Err(JcsError::Number { path, .. }) if path == "$.a[0]"
    ));
    assert!(same_as_value_path(&json!(9007199254740992u64)).is_err());
    assert!(same_as_value_path(&json!(-9007199254740991i64)).is_ok());
}

#[test]
fn rejects_non_canonical_inputs() {
    assert!(parse_canonical::<Value>(b"{\"a\":1} ").is_err());
    assert!(parse_canonical::<Value>(b"{\"a\":1,\"a\":1}").is_err());
    assert!(parse_canonical::<Value>(b"{\"a\":\"\\u0041\"}").is_err());
    assert!(parse_canonical::<Value>(b"{\"a\":1.0}").is_err());
    assert!(parse_canonical::<Value>("{\"a\":\"两\"}".as_bytes()).is_ok());
}

/// A value whose `Serialize` fails with a custom error.
struct Fails;

impl Serialize for Fails {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot write this"))
    }
}

/// Bytes serialised as bytes (not as a sequence).
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// A map written entry by entry, repeats and all.
struct Entries<K, V>(Vec<(K, V)>);

impl<K: Serialize, V: Serialize> Serialize for Entries<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_key(k)?;
            m.serialize_value(v)?;
        }
        m.end()
    }
}

/// A struct that writes the same field name twice.
struct Twice;

impl Serialize for Twice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Twice", 3)?;
        st.serialize_field("b", &1)?;
        st.serialize_field("a", &2)?;
        st.serialize_field("b", &3)?;
        st.end()
    }
}

#[derive(Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Unit,
    Newtype(u8),
    Tuple(u8, &'static str),
    Struct { z: u8, a: Option<u8> },
}

#[derive(Serialize)]
struct UnitStruct;

#[derive(Serialize)]
struct NewtypeStruct(&'static str);

#[derive(Serialize)]
struct TupleStruct(u8, bool);

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct KeyNewtype(u16);

#[derive(Serialize)]
struct Everything {
    shapes: Vec<Shape>,
    none: Option<u8>,
    some: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<u8>,
    int_keys: BTreeMap<i32, &'static str>,
    bool_keys: BTreeMap<bool, u8>,
    char_keys: BTreeMap<char, u8>,
    variant_keys: BTreeMap<Shape, u8>,
    newtype_keys: BTreeMap<KeyNewtype, u8>,
    c: char,
    bytes: Bytes,
    unit: (),
    unit_struct: UnitStruct,
    newtype: NewtypeStruct,
    tuple: (u8, i64, &'static str),
    tuple_struct: TupleStruct,
    wide: (i128, u128),
    nan: f64,
    infinite: f32,
    #[serde(flatten)]
    flat: BTreeMap<&'static str, u8>,
}

fn everything() -> Everything {
    Everything {
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(1, "x"),
            Shape::Struct { z: 2, a: None },
        ],
        none: None,
        some: Some("s"),
        skipped: None,
        int_keys: [(-3, "m"), (10, "t"), (2, "two")].into(),
        bool_keys: [(true, 1), (false, 0)].into(),
        char_keys: [('b', 1), ('两', 2)].into(),
        variant_keys: [(Shape::Unit, 1)].into(),
        newtype_keys: [(KeyNewtype(9), 1)].into(),
        c: '\n',
        bytes: Bytes(&[0, 255, 10]),
        unit: (),
        unit_struct: UnitStruct,
        newtype: NewtypeStruct("inner"),
        tuple: (1, -9007199254740991, "t"),
        tuple_struct: TupleStruct(3, false),
        wide: (-5, 9007199254740991),
        nan: f64::NAN,
        infinite: f32::INFINITY,
        flat: [("aa", 1), ("zz", 2)].into(),
    }
}

#[test]
fn every_serde_shape_writes_as_the_tree_path_does() {
    let got = text(same_as_value_path(&everything()));
    assert_eq!(
        got,
        concat!(
            r#"{"aa":1,"bool_keys":{"false":0,"true":1},"bytes":[0,255,10],"c":"\n","#,
            r#""char_keys":{"b":1,"两":2},"infinite":null,"int_keys":{"-3":"m","10":"t","2":"two"},"#,
            r#""nan":null,"newtype":"inner","newtype_keys":{"9":1},"none":null,"#,
            r#""shapes":["Unit",{"Newtype":7},{"Tuple":[1,"x"]},{"Struct":{"a":null,"z":2}}],"#,
            r#""some":"s","tuple":[1,-9007199254740991,"t"],"tuple_struct":[3,false],"#,
            r#""unit":null,"unit_struct":null,"variant_keys":{"Unit":1},"#,
            r#""wide":[-5,9007199254740991],"zz":2}"#
        )
    );
    // The direct writer wrote it (nothing here needs the tree path).
    assert!(ser::to_vec(&everything(), 0).is_some());
}

#[test]
fn repeated_names_keep_the_last_member() {
    assert_eq!(text(same_as_value_path(&Twice)), r#"{"a":2,"b":3}"#);
    let m = Entries(vec![("k", json!(1)), ("a", json!(0)), ("k", json!([2]))]);
    assert_eq!(text(same_as_value_path(&m)), r#"{"a":0,"k":[2]}"#);
    // A refused number in a member that a later one replaces is not in the tree either.
    let m = Entries(vec![("k", json!(1.5)), ("k", json!(2))]);
    assert_eq!(text(same_as_value_path(&m)), r#"{"k":2}"#);
    // An integer key and a string key with the same text are the same name.
    let m = Entries(vec![(json!(1), 1), (json!("1"), 2)]);
    assert_eq!(text(same_as_value_path(&m)), r#"{"1":2}"#);
    let m = BTreeMap::from([(1u8, "one")]);
    assert_eq!(text(same_as_value_path(&m)), r#"{"1":"one"}"#);
}

#[test]
fn refusals_are_the_tree_paths_errors() {
    let err = |r: Result<Vec<u8>, JcsError>| format!("{:?}", r.unwrap_err());
    // Numbers: the path is the path in the sorted tree; the first refused number in sorted
    // order is reported, whatever order the fields were written in.
    let got = err(same_as_value_path(
        &json!({"b": [0, 0, 1e300], "a": {"x": 1.0}}),
    ));
    assert!(got.contains(r#"path: "$.a.x", number: "1.0""#), "{got}");
    let got = err(same_as_value_path(&(1u64 << 53)));
    assert!(
        got.contains(r#"path: "$", number: "9007199254740992""#),
        "{got}"
    );
    let got = err(same_as_value_path(&-(1i64 << 53)));
    assert!(got.contains(r#"number: "-9007199254740992""#), "{got}");
    let got = err(same_as_value_path(&[i128::MIN]));
    assert!(
        got.contains("Syntax") && got.contains("number out of range"),
        "{got}"
    );
    let got = err(same_as_value_path(&[u128::MAX]));
    assert!(got.contains("number out of range"), "{got}");
    let got = err(same_as_value_path(&(1u128 << 60)));
    assert!(got.contains(r#"number: "1152921504606846976""#), "{got}");
    assert!(err(same_as_value_path(&1.0f32)).contains("Number"));
    // A custom error wins over a refused number met earlier, as in the tree path.
    let got = err(same_as_value_path(&(1.5, Fails)));
    assert!(
        got.contains("Syntax") && got.contains("cannot write this"),
        "{got}"
    );
    // Map keys serde_json refuses.
    let got = err(same_as_value_path(&Entries(vec![(vec![1], 0)])));
    assert!(got.contains("key must be a string"), "{got}");
    let got = err(same_as_value_path(&Entries(vec![(None::<u8>, 0)])));
    assert!(got.contains("key must be a string"), "{got}");
    let got = err(same_as_value_path(&Entries(vec![(f64::NAN, 0)])));
    assert!(got.contains("finite"), "{got}");
    let got = err(same_as_value_path(&Entries(vec![(Shape::Newtype(1), 0)])));
    assert!(got.contains("key must be a string"), "{got}");
    // A finite floating-point key is a name in serde_json; the tree path writes it.
    assert_eq!(
        text(same_as_value_path(&Entries(vec![(1.5f64, 0)]))),
        r#"{"1.5":0}"#
    );
}

#[test]
fn compares_names_as_utf16() {
    let names = [
        "",
        "a",
        "ab",
        "b",
        "\u{7f}",
        "\u{80}",
        "\u{7ff}",
        "\u{800}",
        "\u{d7ff}",
        "\u{e000}",
        "\u{ffff}",
        "\u{10000}",
        "\u{1f600}",
        "\u{10ffff}",
        "a\u{e000}",
        "a\u{10000}",
    ];
    for a in names {
        for b in names {
            assert_eq!(
                ser::utf16_cmp(a, b),
                a.encode_utf16().cmp(b.encode_utf16()),
                "{a:?} {b:?}"
            );
        }
    }
}

/// Characters from every range that matters: ASCII, controls, the BMP below and above the
/// surrogates, private use, and astral.
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('a', 'e'),
        prop::char::range('\u{0}', '\u{7f}'),
        prop::char::range('\u{80}', '\u{d7ff}'),
        prop::char::range('\u{e000}', '\u{f8ff}'),
        prop::char::range('\u{f900}', '\u{ffff}'),
        prop::char::range('\u{10000}', '\u{10ffff}'),
        prop::char::range('\u{f0000}', '\u{10fffd}'),
    ]
}

fn any_string() -> impl Strategy<Value = String> {
    prop::collection::vec(any_char(), 0..6).prop_map(|cs| cs.into_iter().collect())
}

fn any_number() -> impl Strategy<Value = Value> {
    const M: i64 = (1 << 53) - 1;
    prop_oneof![
        (-3i64..=3).prop_map(|d| json!(M + d)),
        (-3i64..=3).prop_map(|d| json!(-M + d)),
        any::<i64>().prop_map(|i| json!(i)),
        any::<u64>().prop_map(|u| json!(u)),
        (u64::MAX - 3..=u64::MAX).prop_map(|u| json!(u)),
        (-100i64..100).prop_map(|i| json!(i)),
        any::<f64>().prop_map(|f| json!(f)),
        (-5i32..5).prop_map(|i| json!(f64::from(i))),
    ]
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any_number(),
        any_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any_string(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn any_key() -> impl Strategy<Value = Value> {
    // Map keys as serde types: a Value key is serialised as its content.
    prop_oneof![
        any_string().prop_map(Value::String),
        (-3i64..3).prop_map(|i| json!(i)),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        Just(json!(0.5)),
        Just(json!([1])),
    ]
}

proptest! {
    #[test]
    fn the_direct_writer_matches_the_tree_path(v in any_value()) {
        let old = to_canonical_via_value(&v);
        let new = to_canonical(&v);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
        // A tree holds no floating-point keys, so the direct writer writes every value the tree
        // path accepts, and declines the others.
        prop_assert_eq!(ser::to_vec(&v, 0), old.ok());
    }

    #[test]
    fn maps_with_repeats_and_odd_keys_match_the_tree_path(
        kv in prop::collection::vec((any_key(), any_value()), 0..6)
    ) {
        let m = Entries(kv);
        let old = to_canonical_via_value(&m);
        let new = to_canonical(&m);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
        if let Some(direct) = ser::to_vec(&m, 0) {
            prop_assert_eq!(Some(direct), old.ok());
        }
    }

    #[test]
    fn write_string_escapes_as_before(s in any_string(), t in ".*") {
        for s in [s, t] {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            write_string(&s, &mut fast);
            write_string_by_chars(&s, &mut slow);
            prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn parse_canonical_agrees_with_the_tree_path(v in any_value(), ws in any::<bool>()) {
        let bytes = if ws {
            serde_json::to_vec_pretty(&v).unwrap()
        } else {
            serde_json::to_vec(&v).unwrap()
        };
        let new = parse_canonical::<Value>(&bytes);
        let old = parse_canonical_via_value::<Value>(&bytes);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
    }
}

/// A document type that ignores unknown fields, to test the fast path of `parse_canonical`.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
struct Lenient {
    a: u64,
    #[serde(default)]
    b: Option<String>,
}

/// The same, refusing unknown fields as the published documents do.
#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Strict {
    a: u64,
    #[serde(default)]
    b: Option<String>,
}

#[test]
fn parse_canonical_fast_path_accepts_only_what_the_tree_path_accepts() {
    let cases: &[&[u8]] = &[
        br#"{"a":1,"b":"x"}"#,
        br#"{"a":1,"b":null}"#,
        br#"{"a":1}"#,
        br#"{"a":1,"a":1,"b":"x"}"#,
        br#"{"a":1,"b":"x","b":"x"}"#,
        br#"{"a":1,"b":"x","c":0}"#,
        br#"{"a":1,"b":"x","c":1.5}"#,
        br#"{"a":1, "b":"x"}"#,
        b"{\"a\":1,\"b\":\"x\"}\n",
        b" {\"a\":1,\"b\":\"x\"}",
        br#"{"a":1,"b":"\u0041"}"#,
        br#"{"a":1,"b":"\/"}"#,
        br#"{"a":1.0,"b":"x"}"#,
        br#"{"a":-0,"b":"x"}"#,
        br#"{"a":0,"b":"x"}"#,
        br#"{"a":1e0,"b":"x"}"#,
        br#"{"b":"x","a":1}"#,
        br#"{"a":9007199254740991,"b":"x"}"#,
        br#"{"a":9007199254740992,"b":"x"}"#,
        br#"{"a":18446744073709551616,"b":"x"}"#,
        br#"{"a":1,"b":"x"}{}"#,
        br#"{"a":1,"b":"x""#,
        br#"{"a":1,"b":"\ud800"}"#,
        br#"[1,2]"#,
        br#"{"a":1,"b":"x","c":[1,2,{"z":1,"y":2}]}"#,
        br#"{"a":1,"b":"x","c":[1,2,{"y":2,"z":1}]}"#,
        b"",
    ];
    let mut accepted = 0;
    for bytes in cases {
        let shown = String::from_utf8_lossy(bytes);
        let new = format!("{:?}", parse_canonical::<Value>(bytes));
        let old = format!("{:?}", parse_canonical_via_value::<Value>(bytes));
        assert_eq!(new, old, "Value: {shown}");
        let new = parse_canonical::<Lenient>(bytes);
        let old = parse_canonical_via_value::<Lenient>(bytes);
        assert_eq!(format!("{new:?}"), format!("{old:?}"), "Lenient: {shown}");
        accepted += usize::from(new.is_ok());
        let new = format!("{:?}", parse_canonical::<Strict>(bytes));
        let old = format!("{:?}", parse_canonical_via_value::<Strict>(bytes));
        assert_eq!(new, old, "Strict: {shown}");
    }
    // The four canonical ones (`b` null, `a` 1, 0 and 2^53 − 1).
    assert_eq!(accepted, 4);
    // An unknown field the type ignores reads, but writes back without it: refused.
    assert!(matches!(
        parse_canonical::<Lenient>(br#"{"a":1,"b":"x","c":0}"#),
        Err(JcsError::NotCanonical { offset: 14 })
    ));
    // A repeated name: the tree keeps one, and the bytes differ from its canonical form.
    assert!(matches!(
        parse_canonical::<Lenient>(br#"{"a":1,"a":1,"b":"x"}"#),
        Err(JcsError::NotCanonical { .. })
    ));
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `bytes` parse as `T` on both paths to the same value, and the direct writer writes them
/// back byte for byte.
fn round_trips<T: serde::de::DeserializeOwned + Serialize>(bytes: &[u8], name: &Path) {
    let typed: T = parse_canonical(bytes).unwrap_or_else(|e| panic!("{}: {e}", name.display()));
    let old: T = parse_canonical_via_value(bytes).unwrap();
    assert_eq!(
        ser::to_vec(&typed, 0).as_deref(),
        Some(bytes),
        "{}",
        name.display()
    );
    assert_eq!(to_canonical(&old).unwrap(), bytes, "{}", name.display());
    assert_eq!(to_canonical_via_value(&typed).unwrap(), bytes);
    let v: Value = parse_canonical(bytes).unwrap();
    assert_eq!(ser::to_vec(&v, 0).as_deref(), Some(bytes));
}

#[test]
fn every_vector_document_writes_back_byte_for_byte() {
    use crate::ceremony::{
        amend::Amendment, announce::Announcement, log, outcomes::OutcomeRecord, sheet::Sheet,
        void::Void,
    };
    let mut files = Vec::new();
    files_under(&vectors(), &mut files);
    let mut seen = BTreeMap::<&str, usize>::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let bytes = std::fs::read(path).unwrap();
        let kind = match name {
            "announcement.json" => {
                round_trips::<Announcement>(&bytes, path);
                "announcement"
            }
            "sheet.json" => {
                round_trips::<Sheet>(&bytes, path);
                "sheet"
            }
            "void.json" => {
                round_trips::<Void>(&bytes, path);
                "void"
            }
            n if n.starts_with("amendment-") && n.ends_with(".json") => {
                round_trips::<Amendment>(&bytes, path);
                "amendment"
            }
            n if n.starts_with("outcomes-") && n.ends_with(".json") => {
                round_trips::<OutcomeRecord>(&bytes, path);
                "outcomes"
            }
            n if n.starts_with("checkpoint-") && n.ends_with(".json") => {
                round_trips::<log::Checkpoint>(&bytes, path);
                "checkpoint"
            }
            "office.log" => {
                let body = bytes.strip_suffix(b"\n").unwrap();
                for line in body.split(|&b| b == b'\n') {
                    round_trips::<log::Entry>(line, path);
                }
                "log entry"
            }
            _ => continue,
        };
        *seen.entry(kind).or_default() += 1;
    }
    let kinds = [
        "amendment",
        "announcement",
        "checkpoint",
        "log entry",
        "outcomes",
        "sheet",
        "void",
    ];
    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), kinds, "{seen:?}");
}

/// One edit of a document: a byte replaced, removed, or inserted.
#[derive(Debug, Clone)]
enum Edit {
    Replace(prop::sample::Index, u8),
    Remove(prop::sample::Index),
    Insert(prop::sample::Index, u8),
}

fn any_edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter in JSON more often than others.
    let byte = prop_oneof![
        prop::sample::select(b" \n\",:{}[]\\-.0123456789eEu+abcdefABCDEFnlt".to_vec()),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<prop::sample::Index>(), byte.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
        any::<prop::sample::Index>().prop_map(Edit::Remove),
        (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
    ]
}

fn edited(mut doc: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        match *e {
            Edit::Replace(ref i, b) if !doc.is_empty() => {
                let at = i.index(doc.len());
                doc[at] = b;
            }
            Edit::Remove(ref i) if !doc.is_empty() => {
                doc.remove(i.index(doc.len()));
            }
            Edit::Insert(ref i, b) => doc.insert(i.index(doc.len() + 1), b),
            _ => {}
        }
    }
    doc
}

proptest! {
    #[test]
    fn edited_documents_get_the_tree_paths_answer(edits in prop::collection::vec(any_edit(), 1..3)) {
        use crate::ceremony::{announce::Announcement, sheet::Sheet};
        let dir = vectors().join("ceremony-void/GY-2026-05-V2");
        let sheet = edited(std::fs::read(dir.join("sheet.json")).unwrap(), &edits);
        let new = parse_canonical::<Sheet>(&sheet);
        let old = parse_canonical_via_value::<Sheet>(&sheet);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
        let ann = edited(std::fs::read(dir.join("announcement.json")).unwrap(), &edits);
        let new = parse_canonical::<Announcement>(&ann);
        let old = parse_canonical_via_value::<Announcement>(&ann);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
        let new = parse_canonical::<Value>(&ann);
        let old = parse_canonical_via_value::<Value>(&ann);
        prop_assert_eq!(format!("{new:?}"), format!("{old:?}"));
    }
}
