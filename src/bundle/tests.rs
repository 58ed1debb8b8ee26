//! Tests of the input loading that need its private parts.

use super::*;

/// The example inputs, with `entities` as the entity roster's bytes if given.
fn inputs_with(entities: Option<&[u8]>) -> (tempfile::TempDir, InputPaths) {
    let dir = tempfile::tempdir().unwrap();
    example_input_files(dir.path()).unwrap();
    if let Some(bytes) = entities {
        std::fs::write(dir.path().join("entities.csv"), bytes).unwrap();
    }
    let paths = InputPaths::find(dir.path(), None).unwrap();
    (dir, paths)
}

#[test]
fn a_missing_column_the_plan_reads_is_refused_before_announcing_but_replays_with_its_default() {
    // The example roster without its kind column, and a plan filtering on kinds.
    let roster = "统一社会信用代码,名称,行政区划代码,登记状态\n\
                  91520102MA6D0000X3,甲商贸有限公司,520102,存续\n\
                  92520103MA6D00018E,乙餐饮店,520103,存续\n";
    let (dir, paths) = inputs_with(Some(roster.as_bytes()));
    let plan = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    let plan = plan.replace("[strata]", "[filters]\nkinds = [\"企业\"]\n[strata]");
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let office = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
    let Err(BundleError::Inputs(p)) = office else {
        panic!("the office's check accepted a roster without the kind column")
    };
    assert!(
        matches!(
            &p.problems[..],
            [InputProblem::NeededColumn { field: "kind", .. }]
        ),
        "{p}"
    );
    // A verifier replays the same files: every kind is the default (none), so no entity
    // passes the filter, as the draw that was announced from them found too.
    let replay = load_input_files_with(&paths, &mut NoProgress, false, Guard::Replay);
    let inputs = replay.expect("replay loads the inputs the draw used");
    assert_eq!(inputs.entities.len(), 2);
    assert!(inputs.entities.iter().all(|e| e.kind.is_none()));
}

#[test]
fn the_entity_roster_loads_alike_on_every_core_and_on_one() {
    let header = "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态,标签\n";
    let mut plain = String::from(header);
    for i in 0..20_000u64 {
        let id = crate::formats::entity_scan::tests::uscc(i);
        // Every 500th name has spaces around it: a warning-free row off the plain path.
        let name = if i % 500 == 1 {
            format!(" 甲{i} ")
        } else {
            format!("甲{i}有限公司")
        };
        plain.push_str(&format!("{id},{name},企业,520102,存续,食品;特种设备\n"));
    }
    let quoted = plain.replacen("甲3有限公司", "\"甲3,有限公司\"", 1);
    let twice = format!("{plain}{}", plain.lines().nth(9).unwrap());
    let broken = plain.replacen(",520102,", ",52010X,", 1);
    let gbk = encoding_rs::GBK.encode(&plain).0.into_owned();
    let cases: [(&str, Option<&[u8]>); 6] = [
        ("plain", Some(plain.as_bytes())),
        ("quoted", Some(quoted.as_bytes())),
        ("an id twice", Some(twice.as_bytes())),
        ("a broken row", Some(broken.as_bytes())),
        ("GBK", Some(&gbk)),
        ("the example", None),
    ];
    for (what, bytes) in cases {
        let (_dir, paths) = inputs_with(bytes);
        let parallel = load_input_files_with(&paths, &mut NoProgress, true, Guard::Office);
        let sequential = load_input_files_with(&paths, &mut NoProgress, false, Guard::Office);
        assert_eq!(format!("{parallel:?}"), format!("{sequential:?}"), "{what}");
        let outcome = match what {
            "an id twice" | "a broken row" => parallel.is_err(),
            _ => parallel.is_ok(),
        };
        assert!(outcome, "{what}");
    }
    // The plain roster is one the parallel reader takes.
    let read = crate::formats::entity_scan::read_all("e.csv", plain.as_bytes(), 2).unwrap();
    assert_eq!(read.rows.len(), 20_000);
}

#[test]
fn a_folder_of_csv_files_is_streamed_and_draws_as_its_rows_in_memory() {
    use crate::ceremony::source::{DrawSource, SourceError};
    let (dir, _) = inputs_with(None);
    let loaded = load_inputs(dir.path(), None).unwrap();
    let seed = Digest32([5; 32]);
    let mut progress = NoProgress;
    let source = FolderSource::open(&DrawDir::new(dir.path()), &mut progress).unwrap();
    assert!(matches!(source.rows, Rows::Streamed { .. }));
    let streamed = source.draw(&loaded.digests, &seed).unwrap();
    let in_memory = loaded
        .as_draw_inputs()
        .draw(&loaded.digests, &seed)
        .unwrap();
    assert_eq!(streamed, in_memory);
    let kept = source.drawn().unwrap();
    assert_eq!(kept.entities, in_memory.entities);
    assert_eq!(kept.digests, loaded.digests);

    // A changed file is named as the in-memory draw names it.
    let mut announced = loaded.digests;
    announced.items.digest = Digest32([0; 32]);
    let changed = |r: Result<_, SourceError>| match r {
        Err(SourceError::Ceremony(CeremonyError::InputChanged { input, .. })) => input,
        other => panic!("{other:?}"),
    };
    assert_eq!(changed(source.draw(&announced, &seed)), "items");
    assert_eq!(
        changed(loaded.as_draw_inputs().draw(&announced, &seed)),
        "items"
    );
}

#[test]
fn a_problem_met_while_streaming_is_reported_as_reading_the_files_whole_reports_it() {
    use crate::ceremony::source::{DrawSource, SourceError};
    let (dir, paths) = inputs_with(None);
    let digests = load_inputs(dir.path(), None).unwrap().digests;
    // A broken region code: the announced files were changed.
    let e = std::fs::read_to_string(&paths.entities).unwrap();
    std::fs::write(&paths.entities, e.replacen(",520102,", ",52010X,", 1)).unwrap();
    let whole = load_input_files_with(&paths, &mut NoProgress, true, Guard::Replay).unwrap_err();
    let mut progress = NoProgress;
    let source = FolderSource::open(&DrawDir::new(dir.path()), &mut progress).unwrap();
    let Err(SourceError::Store(e)) = source.draw(&digests, &Digest32([5; 32])) else {
        panic!("a broken row was drawn from")
    };
    let e = e.downcast::<BundleError>().unwrap();
    assert!(matches!(*e, BundleError::Inputs(_)));
    assert_eq!(format!("{e:?}"), format!("{whole:?}"));
}

#[test]
fn a_sheet_without_amendments_is_replayed_by_streaming_its_files() {
    let (dir, paths) = inputs_with(None);
    let loaded = load_inputs(dir.path(), None).unwrap();
    let seed = Digest32([5; 32]);
    let (plan, out, rows) =
        FolderSource::replay(&paths, &seed, None).expect("plain CSV files stream");
    assert!(rows.is_none());
    assert_eq!(plan, loaded.plan);
    assert_eq!(out.digests, loaded.digests);
    assert_eq!(
        out.result,
        draw::run(&loaded.as_draw_inputs(), &seed).unwrap()
    );
    // A workbook is read whole.
    let mut xlsx = paths.clone();
    xlsx.entities = xlsx.entities.with_extension("xlsx");
    assert!(FolderSource::replay(&xlsx, &seed, None).is_none());
}

/// The input folders of the test vectors and the sample data.
fn input_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests/vectors")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("plan.toml").is_file())
        .collect();
    dirs.sort();
    dirs.push(PathBuf::from("examples/data"));
    dirs
}

/// A summary or its error, as text (whether it was streamed aside).
fn said(r: &Result<InputSummary, BundleError>) -> String {
    match r {
        Ok(s) => format!(
            "{:?}",
            (
                &s.paths, &s.plan, &s.digests, &s.notes, &s.strata, &s.trial, s.empty
            )
        ),
        Err(e) => format!("{e:?}"),
    }
}

/// The summary of the inputs at `paths` both ways, checked alike; whether it was streamed.
fn summaries_agree(paths: &InputPaths, what: &str) -> bool {
    let streamed = summarize_input_files(paths, &mut NoProgress);
    let whole = load_input_files(paths, &mut NoProgress).map(|i| InputSummary::of(&i));
    assert_eq!(said(&streamed), said(&whole), "{what}");
    streamed.is_ok_and(|s| s.streamed)
}

#[test]
fn input_summaries_streamed_and_read_whole_agree_on_every_vector_and_the_sample() {
    let mut streamed = 0;
    for dir in input_dirs() {
        let Ok(paths) = InputPaths::find(&dir, None) else {
            continue;
        };
        streamed += usize::from(summaries_agree(&paths, &dir.display().to_string()));
    }
    // Every folder of plain CSV files with no note but ignored columns is streamed.
    assert!(streamed >= 8, "{streamed} streamed");
}

#[test]
fn warnings_are_noted_from_the_stream_and_unknown_references_or_needed_columns_read_it_whole() {
    let warned = format!(
        "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态\n{},甲商贸有限公司,企业,520102,存续\n\
         92520103MA6D00018E,乙餐饮店,个体工商户,520103,存续\n",
        crate::formats::entity_scan::tests::org_warned(7)
    );
    let extra = "统一社会信用代码,名称,市场主体类型,行政区划代码,登记状态,备注\n\
                 91520102MA6D0000X3,甲商贸有限公司,企业,520102,存续,x\n\
                 92520103MA6D00018E,乙餐饮店,个体工商户,520103,存续,y\n";
    let no_kind = "统一社会信用代码,名称,行政区划代码,登记状态\n\
                   91520102MA6D0000X3,甲商贸有限公司,520102,存续\n";
    let unknown_conflict = "执法证号,统一社会信用代码\n52010001,91520102MA6D00999X\n";
    let unknown_inspector = "执法证号,统一社会信用代码\n52019999,91520102MA6D0000X3\n";
    let unknown_history = "统一社会信用代码,检查日期\n91520102MA6D00999X,2025-01-02\n";
    // (what, file, its text, a plan change, streamed)
    let cases: [(&str, &str, &str, bool, bool); 6] = [
        ("a warning", "entities.csv", &warned, false, true),
        ("an ignored column", "entities.csv", extra, false, true),
        (
            "a needed column absent",
            "entities.csv",
            no_kind,
            true,
            false,
        ),
        (
            "an unknown entity in conflicts",
            "conflicts.csv",
            unknown_conflict,
            false,
            false,
        ),
        (
            "an unknown inspector in conflicts",
            "conflicts.csv",
            unknown_inspector,
            false,
            false,
        ),
        (
            "an unknown entity in history",
            "history.csv",
            unknown_history,
            false,
            false,
        ),
    ];
    for (what, file, text, kinds, want_streamed) in cases {
        let (dir, paths) = inputs_with(None);
        std::fs::write(dir.path().join(file), text).unwrap();
        if kinds {
            let plan = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
            let plan = plan.replace("[strata]", "[filters]\nkinds = [\"企业\"]\n[strata]");
            std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
        }
        assert_eq!(summaries_agree(&paths, what), want_streamed, "{what}");
    }
}

/// The test organizer's signing key and seed secret.
fn drill_key_and_secret() -> (SecretKey, Secret) {
    let key = SecretKey::from_seed(crate::sign::KeyId([1; 8]), &[2; 32]);
    (key, Secret::from_bytes([7; 32]))
}

/// The announcement of the drill `D1` of `inputs`, announced and scheduled at one time.
fn drill_of_d1<'a>(
    inputs: &'a dyn AnnouncedInputs,
    key: &'a SecretKey,
    secret: &'a Secret,
) -> AnnounceRequest<'a> {
    let t: Timestamp = "2026-03-01T01:00:00Z".parse().unwrap();
    AnnounceRequest {
        draw_id: "D1",
        inputs,
        key,
        organizer: "organizer",
        organizer_secret: secret,
        witnesses: &[],
        beacon: None,
        announced_at: t,
        scheduled_at: t,
        drill: true,
    }
}

/// The temporary files in `dir`.
fn temporary_files(dir: &Path) -> Vec<String> {
    let names = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name());
    names
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect()
}

#[test]
fn inputs_copied_while_they_are_checked_are_put_in_place_by_the_announcement_or_removed() {
    let (rosters, paths) = inputs_with(None);
    let office = tempfile::tempdir().unwrap();
    let folder = DrawDir::new(office.path().join("D1"));
    let summary = summarize_input_files_into(&paths, &folder, &mut NoProgress).unwrap();
    // Nothing is in the draw folder yet: the copies wait, hidden, in the folder above it.
    assert!(!folder.root().exists());
    // (Not while another test limits the library to one thread.)
    let waiting = temporary_files(office.path());
    let staged = waiting.len() == 6;
    assert!(staged || waiting.is_empty(), "{waiting:?}");
    assert!(waiting.iter().all(|n| n.starts_with('.')));
    // The roster changes after the check: the announcement puts in place the copy made while
    // it was checked (no second copy is made).
    let entities = rosters.path().join("entities.csv");
    let checked = std::fs::read(&entities).unwrap();
    let mut later = checked.clone();
    later.extend_from_slice(b"\n");
    std::fs::write(&entities, &later).unwrap();
    let (key, secret) = drill_key_and_secret();
    let req = drill_of_d1(&summary, &key, &secret);
    let private = PrivateDir::new(office.path().join("private"));
    let log = office.path().join(LOG_FILE);
    announce(&folder, &private, &log, &req).unwrap();
    let copied = std::fs::read(folder.path("entities.csv")).unwrap();
    let expected = if staged { checked } else { later };
    assert!(
        copied == expected,
        "the copy put in place is not the one made while checking"
    );
    for (from, name) in paths.standard_names() {
        let copy = std::fs::read(folder.path(&name)).unwrap();
        assert!(
            name == "entities.csv" || copy == std::fs::read(from).unwrap(),
            "{name}"
        );
    }
    assert!(temporary_files(office.path()).is_empty());
    assert!(temporary_files(folder.root()).is_empty());
    // A summary never announced leaves nothing behind; one for a folder that holds an
    // announcement copies nothing.
    let other = DrawDir::new(office.path().join("D2"));
    drop(summarize_input_files_into(&paths, &other, &mut NoProgress).unwrap());
    assert!(temporary_files(office.path()).is_empty());
    let again = summarize_input_files_into(&paths, &folder, &mut NoProgress).unwrap();
    assert!(temporary_files(folder.root()).is_empty());
    let req = AnnounceRequest {
        inputs: &again,
        ..req
    };
    assert!(announce(&folder, &private, &log, &req).is_err());
}

/// An office that has announced and drawn from the inputs in `rosters` (`None` if they
/// cannot be drawn).
fn drawn_office(rosters: &Path) -> Option<(tempfile::TempDir, DrawDir, PathBuf, SecretKey)> {
    let office = tempfile::tempdir().unwrap();
    let private = PrivateDir::new(office.path().join("private"));
    let log = office.path().join(LOG_FILE);
    let (key, secret) = drill_key_and_secret();
    let folder = DrawDir::new(office.path().join("D1"));
    let paths = InputPaths::find(rosters, None).ok()?;
    let inputs = load_input_files(&paths, &mut NoProgress).ok()?;
    let req = drill_of_d1(&inputs, &key, &secret);
    announce(&folder, &private, &log, &req).ok()?;
    let req = DrawRequest {
        key: &key,
        reveals: &[],
        beacon: None,
        drawn_at: req.scheduled_at,
    };
    draw(&folder, &private, &log, &req, &mut NoProgress).ok()?;
    Some((office, folder, log, key))
}

#[test]
fn amendments_from_the_streamed_population_are_those_from_every_row() {
    use crate::ceremony::amend::{self, ReasonCode};
    use crate::ceremony::sheet::stratum_of_label;
    use crate::ceremony::source::AmendSource;
    use crate::model::Stratum;
    use crate::pipeline::Keep;
    let mut compared = 0;
    for dir in input_dirs() {
        let Some((_office, folder, _, _)) = drawn_office(&dir) else {
            continue;
        };
        let sheet = folder.read_sheet().unwrap().unwrap().value;
        let paths = folder.input_paths().unwrap();
        let whole = load_input_files_with(&paths, &mut NoProgress, true, Guard::Replay).unwrap();
        let Some(rows) = streamed_population(&folder, Keep::Every) else {
            continue;
        };
        assert_eq!(rows.digests, whole.digests, "{}", dir.display());
        let reason = |code| Reason {
            code,
            text: String::new(),
        };
        let both = |previous: &[Amendment], action: Action, code: ReasonCode| {
            let t = sheet.drawn_at;
            let want = amend::amend(
                &sheet,
                previous,
                action.clone(),
                reason(code),
                &whole.as_draw_inputs(),
                t,
                sheet.log,
            );
            let got = amend::amend_from(
                &sheet,
                previous,
                action.clone(),
                reason(code),
                &rows,
                t,
                sheet.log,
            );
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{}", dir.display());
            // Every replacement and each entity's first recusal (each takes a replay).
            let first_recusal = match &action {
                Action::ReplaceEntity { .. } => true,
                Action::ReplaceInspector { entity, inspector } => {
                    sheet
                        .entities
                        .iter()
                        .find(|e| &e.id == entity)
                        .and_then(|e| e.officers.first().or(e.experts.first()))
                        == Some(inspector)
                }
            };
            if first_recusal {
                // A verifier's replay keeps only the strata of the entities the amendments
                // replace and the rows of those whose teams they change; the amendment step, those
                // strata and the rows of the sheet's entities.
                let actions: Vec<&Action> = previous
                    .iter()
                    .map(|a| &a.action)
                    .chain([&action])
                    .collect();
                let (strata_of, rows_of) = amended_ids(actions.iter().copied());
                let sheet_ids: Vec<String> = sheet.entities.iter().map(|e| e.id.clone()).collect();
                let (_, _, verifier) = FolderSource::replay(
                    &paths,
                    &sheet.seed,
                    Some(Keep::Named {
                        strata_of: &strata_of,
                        rows_of: &rows_of,
                    }),
                )
                .expect("plain CSV files stream");
                let verifier = verifier.expect("the population is kept");
                let step = streamed_population(
                    &folder,
                    Keep::Named {
                        strata_of: &strata_of,
                        rows_of: &sheet_ids,
                    },
                )
                .expect("plain CSV files stream");
                let theirs: Vec<Stratum> = strata_of
                    .iter()
                    .filter_map(|id| rows.stratum_of(id))
                    .collect();
                for kept in [&verifier, &step] {
                    let mine = amend::amend_from(
                        &sheet,
                        previous,
                        action.clone(),
                        reason(code),
                        kept,
                        t,
                        sheet.log,
                    );
                    assert_eq!(
                        format!("{mine:?}"),
                        format!("{want:?}"),
                        "{}",
                        dir.display()
                    );
                    assert!(!kept.missed(), "{}", dir.display());
                    for s in &sheet.strata {
                        let s = stratum_of_label(&s.stratum).unwrap();
                        let want = if theirs.contains(&s) {
                            rows.stratum_len(s)
                        } else {
                            0
                        };
                        assert_eq!(kept.stratum_len(s), want, "{}", dir.display());
                    }
                }
                // The step reads back every row of the sheet from what it kept.
                assert_eq!(
                    step.rows_of(sheet_ids.iter().map(String::as_str)).unwrap(),
                    rows.rows_of(sheet_ids.iter().map(String::as_str)).unwrap(),
                );
            }
            got.ok()
        };
        let mut first = None;
        for e in &sheet.entities {
            let replace = Action::ReplaceEntity {
                entity: e.id.clone(),
            };
            let a = both(&[], replace, ReasonCode::EntityClosed);
            first = first.or(a);
            for i in e.officers.iter().chain(&e.experts) {
                let recuse = Action::ReplaceInspector {
                    entity: e.id.clone(),
                    inspector: i.clone(),
                };
                both(&[], recuse, ReasonCode::InspectorRecused);
            }
            compared += 1;
        }
        // After a first replacement, the next ones continue its stratum's stream.
        if let Some(first) = first {
            for e in &sheet.entities {
                let replace = Action::ReplaceEntity {
                    entity: e.id.clone(),
                };
                both(
                    std::slice::from_ref(&first),
                    replace,
                    ReasonCode::EntityUnreachable,
                );
            }
        }
        assert!(!rows.missed(), "{}", dir.display());
    }
    assert!(compared > 0);
}

#[test]
fn an_amended_sheet_is_amended_and_replayed_from_the_streamed_rosters() {
    let (_office, folder, log, key) = drawn_office(Path::new("examples/data")).unwrap();
    let sheet = folder.read_sheet().unwrap().unwrap().value;
    let t: Timestamp = "2026-03-02T01:00:00Z".parse().unwrap();
    let first = sheet.entities[0].clone();
    let reason = |code| Reason {
        code,
        text: String::new(),
    };
    let (a, drawn) = amend(
        &folder,
        &log,
        &key,
        Action::ReplaceEntity {
            entity: first.id.clone(),
        },
        reason(crate::ceremony::amend::ReasonCode::EntityClosed),
        t,
        &mut NoProgress,
    )
    .unwrap();
    let crate::ceremony::amend::Outcome::ReplaceEntity { entity: new } = &a.outcome else {
        panic!("{a:?}")
    };
    // The rows the views need: the sheet's entities and the replacement, read back.
    assert_eq!(drawn.inputs.entities.len(), sheet.entities.len() + 1);
    assert!(
        drawn
            .inputs
            .entities
            .iter()
            .any(|e| e.id == new.id && e.name == new.name)
    );
    let report =
        verify_dir_detailed(folder.root(), Some(&key.public_key()), &mut NoProgress).unwrap();
    assert!(report.passed(), "{:?}", report.report.findings);
    assert_eq!(report.depth, Depth::Full);
    assert!(
        report
            .report
            .checked
            .iter()
            .any(|c| matches!(c, verify::Check::AmendmentReplay { .. }))
    );
}

/// The files of `dir` in memory, by name.
fn memory_copy(dir: &Path) -> files::MemoryFiles {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn rosters_in_memory_load_as_on_disk_csv_and_xlsx() {
    for dir in [
        "tests/vectors/01-small-undirected",
        "tests/vectors/08-small-undirected-xlsx",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let on_disk = InputPaths::find(&dir, None).unwrap();
        let disk = load_input_files_with(&on_disk, &mut NoProgress, false, Guard::Replay).unwrap();
        let files = memory_copy(&dir);
        let in_memory = InputPaths::find_in(&files).unwrap();
        assert_eq!(in_memory.entities, disk.paths.entities.file_name().unwrap());
        // The sequential reader and the fast one (on one thread: no worker, as in a browser),
        // with the same warnings (named by the file's name alone, as it was given).
        let mut first_notes = None;
        for (fast, threads) in [(false, 2), (true, 1), (true, 2)] {
            crate::set_threads(threads);
            let mem = load_inputs_from(
                &InputSource::Memory(&files),
                &in_memory,
                &mut NoProgress,
                fast,
                Guard::Replay,
            );
            crate::set_threads(0);
            let mem = mem.unwrap();
            assert_eq!(mem.digests, disk.digests, "{} {fast}", dir.display());
            assert_eq!(mem.entities, disk.entities);
            assert_eq!(
                &mem.notes,
                first_notes.get_or_insert_with(|| mem.notes.clone())
            );
            assert_eq!(mem.notes.len(), disk.notes.len());
            assert!(!mem.entities.is_empty());
        }
    }
}

#[test]
fn a_broken_row_in_memory_names_the_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    example_input_files(dir.path()).unwrap();
    let mut files = memory_copy(dir.path());
    files.insert(
        "inspectors.csv".into(),
        "执法证号,姓名,所属部门\nA1,,局\n".as_bytes().to_vec(),
    );
    files.remove("items.csv");
    let paths = InputPaths::find_in(&files).unwrap_err();
    assert!(matches!(
        &paths.problems[..],
        [InputProblem::Missing { what: "items", .. }]
    ));
    files.insert(
        "items.csv".into(),
        std::fs::read(dir.path().join("items.csv")).unwrap(),
    );
    let paths = InputPaths::find_in(&files).unwrap();
    let source = InputSource::Memory(&files);
    let Err(BundleError::Inputs(p)) =
        load_inputs_from(&source, &paths, &mut NoProgress, false, Guard::Replay)
    else {
        panic!("a broken roster loaded")
    };
    let InputProblem::Roster(e) = &p.problems[0] else {
        panic!("{p}")
    };
    assert_eq!(
        (e.file.as_str(), e.line, e.field.as_ref().map(|f| f.name)),
        ("inspectors.csv", 2, Some("name"))
    );
}
