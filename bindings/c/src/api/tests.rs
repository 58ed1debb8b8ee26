use super::*;

const V: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/");

fn files(dir: &str) -> [Vec<u8>; 6] {
    [
        "entities.csv",
        "inspectors.csv",
        "items.csv",
        "conflicts.csv",
        "history.csv",
        "plan.toml",
    ]
    .map(|n| std::fs::read(format!("{V}{dir}/{n}")).unwrap())
}

fn load(dir: &str) -> Inputs {
    let f = files(dir);
    Inputs::load(&InputFiles {
        entities: &f[0],
        inspectors: &f[1],
        items: &f[2],
        conflicts: Some(&f[3]),
        history: Some(&f[4]),
        plan: &f[5],
    })
    .unwrap()
}

fn hex32(b: u8) -> String {
    hex::encode([b; 32])
}

#[test]
fn a_ceremony_in_memory_announces_draws_and_verifies() {
    let inputs = load("01-small-undirected");
    let key = Key::from_seed([1; 8], &[2; 32]);
    let office = Office::new();
    let c: Value = serde_json::from_slice(
        &commit(format!(r#"{{"draw_id":"D1","party":"w","secret":"{}"}}"#, hex32(4)).as_bytes())
            .unwrap(),
    )
    .unwrap();
    let ann = format!(
        r#"{{"draw_id":"D1","organizer":"o","organizer_secret":"{}","witnesses":[{{"name":"w","commitment":{}}}],"announced_at":"2026-03-01T01:00:00Z","scheduled_at":"2026-03-01T02:00:00Z"}}"#,
        hex32(3),
        c["commitment"]
    );
    let made: Value =
        serde_json::from_slice(&office.announce(&inputs, &key, ann.as_bytes()).unwrap()).unwrap();
    assert_eq!(made["name"], "announcement.json");
    assert_eq!(
        office.get("D1", "announcement.json").unwrap(),
        made["document"].as_str().unwrap().as_bytes()
    );
    let early = format!(
        r#"{{"draw_id":"D1","reveals":[{{"name":"o","secret":"{}"}},{{"name":"w","secret":"{}"}}],"drawn_at":"2026-03-01T01:59:59Z"}}"#,
        hex32(3),
        hex32(4)
    );
    let e = office.draw(&inputs, &key, early.as_bytes()).unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (DrStatus::Refused, "step.not_yet_due")
    );
    assert_eq!(e.fields["scheduled_at"], "2026-03-01T02:00:00Z");
    let on_time = early.replace("01:59:59", "02:00:00");
    let drawn: Value =
        serde_json::from_slice(&office.draw(&inputs, &key, on_time.as_bytes()).unwrap()).unwrap();
    // Two documents, their signatures, and a signed checkpoint of the log after each step.
    assert_eq!(office.len(), 8);
    assert_eq!(drawn["checkpoint"]["name"], "checkpoint-2.json");
    assert_eq!(
        office.get("checkpoints", "checkpoint-2.json").unwrap(),
        drawn["checkpoint"]["document"].as_str().unwrap().as_bytes()
    );
    let pk: Value = serde_json::from_slice(&key.public()).unwrap();
    let req = json!({"draw_id": "D1", "public_key": pk["public_key"], "strict": true}).to_string();
    let v: Value =
        serde_json::from_slice(&office.verify(Some(&inputs), req.as_bytes()).unwrap()).unwrap();
    assert_eq!(v["passed"], true, "{v}");
    assert_eq!(v["replayed"], true);
    // Another key's public key fails verification, as a result rather than an error.
    let other: Value = serde_json::from_slice(&Key::from_seed([1; 8], &[3; 32]).public()).unwrap();
    let req = json!({"draw_id": "D1", "public_key": other["public_key"]}).to_string();
    let v: Value = serde_json::from_slice(&office.verify(None, req.as_bytes()).unwrap()).unwrap();
    assert_eq!(v["passed"], false);
    assert!(
        v["findings"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("signature"),
        "{v}"
    );
}

#[test]
fn bad_requests_and_inputs_are_typed_errors() {
    let e = commit(b"{\"draw_id\":\"D1\"").unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (DrStatus::Argument, "argument.json")
    );
    let e = commit(br#"{"draw_id":"D1","party":"w","secret":"zz"}"#).unwrap_err();
    assert_eq!(e.code, "argument.json");
    assert!(
        !e.message.contains("zz"),
        "the secret's text is not echoed: {}",
        e.message
    );
    let mut f = files("01-small-undirected");
    f[0].extend_from_slice(b"\nnot,a,row\n");
    let e = Inputs::load(&InputFiles {
        entities: &f[0],
        inspectors: &f[1],
        items: &f[2],
        conflicts: None,
        history: None,
        plan: b"plan_id = 3\n",
    })
    .unwrap_err();
    assert_eq!(
        (e.status, e.code.as_str()),
        (DrStatus::Input, "input.invalid")
    );
    let problems = e.fields["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["file"] == "entities.csv" && p["line"].as_u64() > Some(1))
    );
    assert!(problems.iter().any(|p| p["file"] == "plan.toml"));
}

#[test]
fn a_roster_without_a_column_the_plan_reads_is_refused() {
    let f = files("01-small-undirected");
    // The plan keeps one region; the entity roster has no region column (its 5th).
    let plan = String::from_utf8(f[5].clone())
        .unwrap()
        .replace("[filters]", "[filters]\nregions = [\"5201\"]");
    let entities: String = String::from_utf8(f[0].clone())
        .unwrap()
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(4);
            cells.join(",") + "\n"
        })
        .collect();
    let load = |entities: &[u8], plan: &[u8]| {
        Inputs::load(&InputFiles {
            entities,
            inspectors: &f[1],
            items: &f[2],
            conflicts: Some(&f[3]),
            history: Some(&f[4]),
            plan,
        })
    };
    let Err(e) = load(entities.as_bytes(), plan.as_bytes()) else {
        panic!("a roster without the region column was accepted for a plan that filters by region");
    };
    assert_eq!(
        (e.status, e.code.as_str()),
        (DrStatus::Input, "input.invalid")
    );
    let p = &e.fields["problems"][0];
    assert_eq!(
        (&p["code"], &p["field"], &p["plan_field"]),
        (
            &json!("input.needed_column"),
            &json!("region"),
            &json!("filters.regions")
        )
    );
    // Without the region filter the same roster is accepted: the column is optional.
    assert!(load(entities.as_bytes(), &f[5]).is_ok());
}
