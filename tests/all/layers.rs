//! The library's layers point down: no module uses one listed after it in `src/lib.rs`.
//!
//! The list is written once, between the `layers:begin` and `layers:end` markers of the crate
//! documentation; this test reads it and every `crate::` path in `src/`, and names each use of
//! a higher layer with its file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module name → layer number, from the list in `src/lib.rs`.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let begin = lib
        .find("<!-- layers:begin -->")
        .expect("layers:begin marker");
    let end = lib.find("<!-- layers:end -->").expect("layers:end marker");
    let mut out = BTreeMap::new();
    for line in lib[begin..end].lines() {
        let line = line.trim_start_matches("//!").trim();
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(n) = number.parse::<usize>() else {
            continue;
        };
        let names = rest.split(" — ").next().unwrap_or_default();
        for name in names.split(',') {
            let name = name.trim().trim_matches('`');
            assert!(!name.is_empty(), "empty module name in layer {n}");
            assert!(
                out.insert(name.to_string(), n).is_none(),
                "{name} listed twice"
            );
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`src/ceremony/log.rs` → `ceremony`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// Every top-level module named by a `crate::` path in `text`, with its line number. A
/// grouped `use crate::{a, b::c}` names each of its members.
fn crate_uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_group = false;
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                in_group = true;
                rest = group;
                continue;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((i + 1, name));
            rest = after;
        }
        if in_group {
            // Each member of a `use crate::{…}` group starts a path of its own.
            for part in rest.split([',', '{']) {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty()
                    && name != "self"
                    && !out.iter().any(|(l, n)| *l == i + 1 && *n == name)
                {
                    out.push((i + 1, name));
                }
            }
            if code.contains("};") {
                in_group = false;
            }
        }
    }
    out
}

/// The text before a file's unit tests (`#[cfg(test)]` then `mod …`): tests may use any layer.
fn library_part(text: &str) -> &str {
    let mut at = 0;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            return &text[..at];
        }
        at += line.len();
    }
    text
}

/// Whether `file` is a module's unit tests in a file of their own: `tests.rs` beside a
/// `mod.rs` that declares it under `#[cfg(test)]` (tests may use any layer).
fn is_test_file(file: &Path) -> bool {
    file.file_name().is_some_and(|n| n == "tests.rs")
        && std::fs::read_to_string(file.with_file_name("mod.rs"))
            .is_ok_and(|parent| parent.contains("#[cfg(test)]\nmod tests;"))
}

#[test]
fn every_module_is_listed_in_a_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layers = layers(&std::fs::read_to_string(root.join("src/lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut missing: Vec<String> = files
        .iter()
        .filter_map(|f| module_of(&root.join("src"), f))
        .filter(|m| !layers.contains_key(m))
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "modules in no layer of src/lib.rs: {missing:?}"
    );
}

#[test]
fn no_module_uses_a_higher_layer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let layers = layers(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(&own) = layers.get(&module) else {
            continue;
        };
        if is_test_file(file) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for (line, used) in crate_uses(library_part(&text)) {
            if let Some(&theirs) = layers.get(&used)
                && theirs > own
            {
                upward.push(format!(
                    "{}:{line}: {module} (layer {own}) uses {used} (layer {theirs})",
                    file.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "uses of a higher layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_scanner_sees_grouped_and_inline_paths() {
    let text = "use crate::{digest::Digest32, formats::jcs};\nlet x = crate::ceremony::log::read(p);\n// crate::bundle in a comment\n";
    let names: Vec<String> = crate_uses(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["digest", "formats", "ceremony"]);
    let with_tests = "use crate::digest;\n#[cfg(test)]\nmod tests {\n    use crate::bundle;\n}\n";
    assert_eq!(library_part(with_tests), "use crate::digest;\n");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(is_test_file(&root.join("src/bundle/tests.rs")));
    assert!(!is_test_file(&root.join("src/bundle/inputs.rs")));
    let lib = "//! <!-- layers:begin -->\n//! 1. `a`, `b` — low\n//! 2. `c` — high\n//! <!-- layers:end -->\n";
    let l = layers(lib);
    assert_eq!((l["a"], l["b"], l["c"]), (1, 1, 2));
}
