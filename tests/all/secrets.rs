//! Secrets: seed secrets (`Secret`) and signing keys (`SecretKey`) are redacted in `Debug`,
//! wiped on drop, written to private files, and never echoed by an error message.

use double_random::Digest32;
use double_random::ceremony::announce::Announcement;
use double_random::ceremony::commit::{Reveal, Secret};
use double_random::ceremony::log::Position;
use double_random::ceremony::sheet;
use double_random::formats::files::write_secret_new;
use double_random::fuzzing::{self, Fixture, InputFiles};
use double_random::sign::{KdfLimits, KeyId, SecretKey, SignError};
use zeroize::{Zeroize, ZeroizeOnDrop};

const SEED: [u8; 32] = [0xA7; 32];

/// Every 12-character window of `secret`: a message holding any of them leaks part of it.
fn windows(secret: &str) -> Vec<String> {
    let c: Vec<char> = secret.chars().collect();
    c.windows(12).map(|w| w.iter().collect()).collect()
}

fn assert_clean(what: &str, text: &str, secrets: &[String]) {
    for s in secrets {
        for w in windows(s) {
            assert!(!text.contains(&w), "{what} leaks secret text {w:?}: {text}");
        }
    }
}

fn key() -> SecretKey {
    SecretKey::from_seed(KeyId(*b"secrets!"), &SEED)
}

/// The secret parts of a key file: its base64 line, and the seed in hex.
fn key_secrets(k: &SecretKey) -> Vec<String> {
    let file = k.to_key_file();
    vec![
        file.lines().nth(1).unwrap().to_string(),
        hex::encode(SEED),
        hex::encode_upper(SEED),
    ]
}

#[test]
fn debug_is_redacted() {
    let s = Secret::from_bytes(SEED);
    let d = format!("{s:?} {s:#?}");
    assert_clean("Secret's Debug", &d, &[hex::encode(SEED)]);
    assert!(!d.contains("167"), "{d}");
    let k = key();
    let d = format!("{k:?} {k:#?}");
    assert_clean("SecretKey's Debug", &d, &key_secrets(&k));
    assert!(!d.contains("167"), "{d}");
}

fn zeroize_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn zeroized_on_request_and_on_drop() {
    zeroize_on_drop::<Secret>();
    zeroize_on_drop::<SecretKey>();
    let mut s = Secret::from_bytes(SEED);
    s.zeroize();
    assert_eq!(s.as_bytes(), &[0; 32]);
    let mut k = key();
    let before = k.public_key();
    k.zeroize();
    assert_ne!(k.public_key().as_bytes(), before.as_bytes());
    assert_eq!(
        k.public_key().as_bytes(),
        SecretKey::from_seed(KeyId([0; 8]), &[0; 32])
            .public_key()
            .as_bytes()
    );
    // The hex and key-file texts handed out are wiping buffers too.
    let _: zeroize::Zeroizing<String> = Secret::from_bytes(SEED).to_hex();
    let _: zeroize::Zeroizing<String> = key().to_key_file();
}

#[cfg(unix)]
#[test]
fn secret_files_are_owner_only_and_never_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let k = key();
    let path = dir.path().join("organizer.key");
    write_secret_new(&path, k.to_key_file().as_bytes()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let s = Secret::from_bytes(SEED);
    let spath = dir.path().join("witness.secret");
    write_secret_new(&spath, s.to_hex().as_bytes()).unwrap();
    assert_eq!(
        std::fs::metadata(&spath).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // A second write is refused, the message names the file but not what was to be written.
    let other = SecretKey::from_seed(KeyId(*b"another!"), &[0x3C; 32]);
    let err = write_secret_new(&path, other.to_key_file().as_bytes()).unwrap_err();
    assert_clean("FileError", &format!("{err} {err:?}"), &key_secrets(&other));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        *k.to_key_file(),
        "the key file was overwritten"
    );
}

#[test]
fn no_error_message_echoes_a_secret_key() {
    let k = key();
    let secrets = key_secrets(&k);
    let file = k.to_key_file().to_string();
    let mut errors = 0;
    // Every byte of the key file changed, and the file cut at every line.
    for i in 0..file.len() {
        let mut b = file.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let Ok(text) = String::from_utf8(b) else {
            continue;
        };
        if let Err(e) = SecretKey::parse(&text) {
            errors += 1;
            assert_clean("SignError", &format!("{e} {e:?}"), &secrets);
        }
    }
    for cut in 0..file.len() {
        if let Err(e) = SecretKey::parse(&file[..cut]) {
            assert_clean("SignError", &format!("{e} {e:?}"), &secrets);
        }
    }
    assert!(errors > 50, "only {errors} damaged files refused");
}

/// An encrypted key file holds neither the seed nor the unencrypted key's text, and neither a
/// wrong password nor a damaged file brings the password or the key into an error message.
#[test]
fn encrypted_key_files_and_their_errors_hold_no_secret() {
    let k = key();
    let password = "office password 口令";
    let cheap = KdfLimits {
        opslimit: 32768,
        memlimit: 1 << 20,
    };
    let text = k.to_encrypted_key_file(password.as_bytes(), cheap).unwrap();
    let mut secrets = key_secrets(&k);
    // The public half is public; leave out the windows that only it fills.
    assert_clean("encrypted key file", &text, &secrets[1..]);
    assert!(!text.contains(secrets[0].as_str()));
    secrets.push(password.to_string());
    let wrong = SecretKey::parse_with_password(&text, b"office password X").unwrap_err();
    assert_eq!(wrong, SignError::WrongPassword);
    assert_clean("SignError", &format!("{wrong} {wrong:?}"), &secrets);
    // Damaged copies: every error is clean (most are a wrong password, the key id being
    // encrypted too).
    let line = text.lines().nth(1).unwrap();
    for i in (0..line.len()).step_by(7) {
        let mut b = line.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let damaged = format!("untrusted comment: x\n{}\n", String::from_utf8(b).unwrap());
        match SecretKey::parse_with_password(&damaged, password.as_bytes()) {
            Err(e) => assert_clean("SignError", &format!("{e} {e:?}"), &secrets),
            Ok(opened) => assert_eq!(opened.public_key(), k.public_key()),
        }
    }
}

#[test]
fn no_error_message_echoes_a_seed_secret() {
    // Hex that is almost a secret.
    let hex = hex::encode(SEED);
    for bad in [&hex[..63], &format!("{hex}0"), &hex.replacen('a', "g", 1)] {
        let e = Secret::from_hex(bad).unwrap_err();
        assert_clean(
            "SecretError",
            &format!("{e} {e:?}"),
            std::slice::from_ref(&hex),
        );
    }
    // A wrong secret revealed at the draw.
    let v = |n: &str| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/vectors/01-small-undirected")
                .join(n),
        )
        .unwrap()
    };
    let inputs = fuzzing::read_inputs(&InputFiles {
        entities: &v("entities.csv"),
        inspectors: &v("inspectors.csv"),
        items: &v("items.csv"),
        conflicts: &v("conflicts.csv"),
        history: &v("history.csv"),
        plan: &v("plan.toml"),
    })
    .unwrap();
    let fx = Fixture::new(inputs).unwrap();
    let ann = Announcement::parse(&fx.ann).unwrap();
    let wrong = Reveal {
        name: "witness".into(),
        secret: Digest32(SEED),
    };
    let right = Reveal {
        name: "organizer".into(),
        secret: Digest32([11; 32]),
    };
    let e = sheet::run(
        &ann,
        &[right, wrong],
        None,
        &fx.inputs.as_inputs(),
        "2026-02-27T02:00:00Z".parse().unwrap(),
        Position {
            seq: 2,
            prev: Some(Digest32::of(&fx.ann)),
        },
    )
    .unwrap_err();
    assert!(
        matches!(&e, double_random::ceremony::CeremonyError::CommitmentMismatch { party } if party == "witness"),
        "{e:?}"
    );
    assert_clean("CeremonyError", &format!("{e} {e:?}"), &[hex]);
}
