//! Interoperability with the stock `minisign` tool: keys and signatures made on either side must
//! be accepted by the other.
//!
//! These tests run the `minisign` binary found on `PATH`. When it is missing they print a note
//! and pass, except when the `CI` environment variable is set: CI installs minisign, so there a
//! missing binary is a failure (`CI` empty, `0` or `false` counts as unset).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use double_random::sign::{
    KdfLimits, PublicKey, SecretKey, SignError, Signature, SignatureAlgorithm,
    TRUSTED_COMMENT_MAX_BYTES, TrustedComment, sign, verify,
};

const SHEET: &[u8] =
    "{\"draw\":\"2025-017\",\"office\":\"市场监管局\",\"picked\":[\"91110000600037341L\"]}\n"
        .as_bytes();

/// Whether the stock tool can be run; panics under CI when it cannot.
fn have_minisign() -> bool {
    let found = Command::new("minisign")
        .arg("-v")
        .output()
        .map(|out| out.status.success())
        .unwrap_or(false);
    if !found {
        if running_in_ci() {
            panic!("the `minisign` binary is not on PATH, but CI is set: install minisign");
        }
        eprintln!("note: `minisign` not found on PATH; skipping the interoperability test");
    }
    found
}

/// `CI` set to anything but empty, `0` or `false`.
fn running_in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

fn minisign(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut cmd = Command::new("minisign");
    for arg in args {
        cmd.arg(arg);
    }
    cmd.output().expect("run minisign")
}

/// Runs the stock tool with `input` on its standard input, as a password typed (not a terminal,
/// so minisign 0.11 reads the lines from standard input).
fn minisign_with_input(args: &[&dyn AsRef<std::ffi::OsStr>], input: &str) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new("minisign");
    for arg in args {
        cmd.arg(arg);
    }
    let mut child = cmd
        .env_remove("MINISIGN_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run minisign");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("minisign ends")
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write test file");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read test file")
}

fn sheet_comment() -> String {
    TrustedComment::new()
        .with("draw", "2025-017")
        .unwrap()
        .with("file", "sheet.json")
        .unwrap()
        .with("office", "市场监管局")
        .unwrap()
        .to_string()
}

/// (1) A signature made by the library verifies with `minisign -Vm FILE -p PUBKEY`.
#[test]
fn stock_tool_verifies_library_signatures() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sk = SecretKey::generate().unwrap();
    let pk = sk.public_key();
    let pub_file = write(dir.path(), "office.pub", pk.to_minisign());
    let sheet = write(dir.path(), "sheet.json", SHEET);
    let comment = sheet_comment();
    let sig = sign(&sk, SHEET, &comment, "double-random result sheet").unwrap();
    write(dir.path(), "sheet.json.minisig", sig.to_minisig());

    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file]);
    assert_success(&out, "minisign -V with the public key file");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("Trusted comment: {comment}\n")),
        "{stdout}"
    );

    // The bare base64 key, as `-P` takes it.
    let out = minisign(&[&"-Vm", &sheet, &"-P", &pk.to_base64()]);
    assert_success(&out, "minisign -V with -P");

    // Prehashed only: the stock tool's -H refuses legacy signatures.
    let out = minisign(&[&"-H", &"-Vm", &sheet, &"-p", &pub_file]);
    assert_success(&out, "minisign -V -H");

    // The longest trusted comment the library allows is still read by the stock tool.
    let long = "x".repeat(TRUSTED_COMMENT_MAX_BYTES);
    let sig_file = write(
        dir.path(),
        "long.minisig",
        sign(&sk, SHEET, &long, "").unwrap().to_minisig(),
    );
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file, &"-x", &sig_file]);
    assert_success(&out, "minisign -V with the longest trusted comment");

    // A changed file or comment is refused by the stock tool too.
    let tampered = write(dir.path(), "tampered.json", b"{}\n");
    let sig_file = dir.path().join("sheet.json.minisig");
    let out = minisign(&[&"-Vm", &tampered, &"-p", &pub_file, &"-x", &sig_file]);
    assert!(!out.status.success(), "a tampered file must not verify");
    let forged = read(&sig_file).replace("draw:2025-017", "draw:2025-018");
    let forged_file = write(dir.path(), "forged.minisig", forged);
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file, &"-x", &forged_file]);
    assert!(
        !out.status.success(),
        "a changed trusted comment must not verify"
    );
}

/// (2) A key made by `minisign -G -W` and a signature made by the stock tool verify with the
/// library, and the library can load and sign with that key.
#[test]
fn library_verifies_stock_keys_and_signatures() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pub_file = dir.path().join("stock.pub");
    let sec_file = dir.path().join("stock.key");
    let out = minisign(&[&"-G", &"-W", &"-p", &pub_file, &"-s", &sec_file]);
    assert_success(&out, "minisign -G -W");

    let sheet = write(dir.path(), "sheet.json", SHEET);
    let comment = sheet_comment();
    let out = minisign(&[
        &"-S",
        &"-s",
        &sec_file,
        &"-m",
        &sheet,
        &"-t",
        &comment,
        &"-c",
        &"stock signature",
    ]);
    assert_success(&out, "minisign -S");

    let pk = PublicKey::parse(&read(&pub_file)).unwrap();
    let sig = Signature::parse(&read(&dir.path().join("sheet.json.minisig"))).unwrap();
    assert_eq!(sig.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
    assert_eq!(sig.untrusted_comment(), "stock signature");
    let checked = verify(&pk, SHEET, &sig).unwrap();
    assert_eq!(checked.trusted_comment(), comment);
    assert_eq!(checked.fields().unwrap().get("office"), Some("市场监管局"));
    assert!(verify(&pk, b"{}\n", &sig).is_err());

    // The key id the stock tool prints is the one the library shows (the stock tool
    // writes it without zero padding in the public key file).
    let first_line = read(&pub_file).lines().next().unwrap().to_owned();
    assert_eq!(
        first_line,
        format!(
            "untrusted comment: minisign public key {:X}",
            pk.key_id().to_u64()
        )
    );
    assert_eq!(pk.to_minisign().lines().next().unwrap(), first_line);

    // A legacy (non-prehashed) stock signature verifies too.
    let legacy_file = dir.path().join("legacy.minisig");
    let out = minisign(&[
        &"-S",
        &"-l",
        &"-s",
        &sec_file,
        &"-m",
        &sheet,
        &"-x",
        &legacy_file,
        &"-t",
        &"legacy:1",
    ]);
    assert_success(&out, "minisign -S -l");
    let legacy = Signature::parse(&read(&legacy_file)).unwrap();
    assert_eq!(legacy.algorithm(), SignatureAlgorithm::Ed25519Legacy);
    assert_eq!(
        verify(&pk, SHEET, &legacy).unwrap().trusted_comment(),
        "legacy:1"
    );

    // The library loads the stock secret key, gets the same public key, and its signatures
    // are byte for byte the stock tool's (Ed25519 is deterministic).
    let sk = SecretKey::parse(&read(&sec_file)).unwrap();
    assert_eq!(sk.public_key(), pk);
    let ours = sign(&sk, SHEET, &comment, "stock signature").unwrap();
    assert_eq!(
        ours.to_minisig(),
        read(&dir.path().join("sheet.json.minisig"))
    );
}

/// (3) The stock tool signs with a secret key written by the library, and derives the same
/// public key from it.
#[test]
fn stock_tool_signs_with_library_keys() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sk = SecretKey::generate().unwrap();
    let sec_file = write(dir.path(), "office.key", sk.to_key_file().as_bytes());
    let pub_file = write(dir.path(), "office.pub", sk.public_key().to_minisign());
    let sheet = write(dir.path(), "sheet.json", SHEET);
    let comment = sheet_comment();

    // -p makes the stock tool check the new signature against our public key before writing.
    let out = minisign(&[
        &"-S", &"-s", &sec_file, &"-p", &pub_file, &"-m", &sheet, &"-t", &comment,
    ]);
    assert_success(&out, "minisign -S with a library key");
    let sig = Signature::parse(&read(&dir.path().join("sheet.json.minisig"))).unwrap();
    assert_eq!(sig.key_id(), sk.key_id());
    let checked = verify(&sk.public_key(), SHEET, &sig).unwrap();
    assert_eq!(checked.trusted_comment(), comment);
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file]);
    assert_success(&out, "minisign -V of its own signature with a library key");

    // The stock tool recreates exactly our public-key file from our secret key.
    let recreated = dir.path().join("recreated.pub");
    let out = minisign(&[&"-R", &"-s", &sec_file, &"-p", &recreated]);
    assert_success(&out, "minisign -R");
    assert_eq!(read(&recreated), sk.public_key().to_minisign());
}

/// A password with spaces and Chinese characters, as an office might choose.
const PASSWORD: &str = "县局 签名口令 2026";

/// (4) An encrypted key written by the library at the stock tool's limits: the library signs
/// with it and `minisign -V` accepts the signature; the stock `minisign -S` opens the same file
/// with the password (and refuses a wrong one).
#[test]
fn stock_tool_uses_library_encrypted_keys() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sk = SecretKey::generate().unwrap();
    let text = sk
        .to_encrypted_key_file(PASSWORD.as_bytes(), KdfLimits::MINISIGN)
        .unwrap();
    let sec_file = write(dir.path(), "office.key", text.as_bytes());
    let pub_file = write(dir.path(), "office.pub", sk.public_key().to_minisign());
    let sheet = write(dir.path(), "sheet.json", SHEET);
    let comment = sheet_comment();

    // The library opens its own file and signs; the stock tool verifies with our public key.
    let opened = SecretKey::parse_with_password(&text, PASSWORD.as_bytes()).unwrap();
    assert_eq!(opened.public_key(), sk.public_key());
    let ours = sign(&opened, SHEET, &comment, "library signature").unwrap();
    let ours_file = write(dir.path(), "ours.minisig", ours.to_minisig());
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file, &"-x", &ours_file]);
    assert_success(
        &out,
        "minisign -V of a signature by a library encrypted key",
    );

    // The stock tool opens the file with the password; -p makes it check the new signature
    // against our public key.
    let stock_sig = dir.path().join("stock.minisig");
    let out = minisign_with_input(
        &[
            &"-S", &"-s", &sec_file, &"-p", &pub_file, &"-m", &sheet, &"-x", &stock_sig, &"-t",
            &comment,
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_success(&out, "minisign -S with a library encrypted key");
    // Ed25519 is deterministic: the stock signature is ours, byte for byte, but for the
    // untrusted comment.
    let stock = Signature::parse(&read(&stock_sig)).unwrap();
    assert_eq!(
        stock.to_minisig().lines().skip(1).collect::<Vec<_>>(),
        ours.to_minisig().lines().skip(1).collect::<Vec<_>>()
    );

    let out = minisign_with_input(
        &[
            &"-S",
            &"-s",
            &sec_file,
            &"-m",
            &sheet,
            &"-x",
            &dir.path().join("no.minisig"),
        ],
        "not the password\n",
    );
    assert!(
        !out.status.success(),
        "the stock tool took a wrong password"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Wrong password"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// (5) A key made by the stock `minisign -G` with a password (read from standard input): the
/// library opens it with the password and signs, the stock tool verifies; a wrong password is
/// [`SignError::WrongPassword`], never a key.
#[test]
fn library_uses_stock_encrypted_keys() {
    if !have_minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pub_file = dir.path().join("stock.pub");
    let sec_file = dir.path().join("stock.key");
    let out = minisign_with_input(
        &[&"-G", &"-p", &pub_file, &"-s", &sec_file],
        &format!("{PASSWORD}\n{PASSWORD}\n"),
    );
    assert_success(&out, "minisign -G with a password");
    let text = read(&sec_file);
    assert!(SecretKey::is_encrypted(&text));
    assert_eq!(
        SecretKey::parse(&text).unwrap_err(),
        SignError::EncryptedSecretKey
    );

    let pk = PublicKey::parse(&read(&pub_file)).unwrap();
    let sk = SecretKey::parse_with_password(&text, PASSWORD.as_bytes()).unwrap();
    assert_eq!(sk.public_key(), pk);

    let sheet = write(dir.path(), "sheet.json", SHEET);
    let comment = sheet_comment();
    let sig = sign(&sk, SHEET, &comment, "library signature").unwrap();
    write(dir.path(), "sheet.json.minisig", sig.to_minisig());
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file]);
    assert_success(
        &out,
        "minisign -V of a library signature by a stock encrypted key",
    );

    assert_eq!(
        SecretKey::parse_with_password(&text, b"not the password").unwrap_err(),
        SignError::WrongPassword
    );
}

/// The command-line example, built (or brought up to date) with this test's profile and target
/// folder: `cargo test --test all minisign_interop::` alone does not build examples.
#[cfg(unix)]
fn example_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable has a path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test executable lies in <target>/<profile>/deps");
    let target_dir = profile_dir.parent().expect("a target folder");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args([
        "build",
        "--quiet",
        "--example",
        "double-random",
        "--target-dir",
    ])
    .arg(target_dir)
    .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    assert!(
        cmd.status().expect("cargo runs").success(),
        "building the example failed"
    );
    profile_dir.join("examples").join("double-random")
}

/// Runs `command` (a shell command line) on a pseudo-terminal made by util-linux's `script`,
/// answering each prompt in turn with `answer` and a line end; returns the exit status and
/// everything the terminal showed.
#[cfg(unix)]
fn on_terminal(
    command: &str,
    prompts: &[&str],
    answer: &str,
) -> (std::process::ExitStatus, String) {
    use std::io::{Read as _, Write as _};
    use std::sync::mpsc;
    use std::time::Duration;

    let mut child = Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .env_remove("DOUBLE_RANDOM_PASSWORD_FILE")
        .env_remove("DOUBLE_RANDOM_TEST_FIXED_SECRETS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run script");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    for prompt in prompts {
        while !String::from_utf8_lossy(&seen).contains(prompt) {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(chunk) => seen.extend_from_slice(&chunk),
                Err(e) => panic!(
                    "no {prompt:?} ({e}); so far: {}",
                    String::from_utf8_lossy(&seen)
                ),
            }
        }
        // rpassword prints the prompt, then turns echo off: give it a moment before typing,
        // as a person would (typed-ahead text would be echoed by the terminal itself).
        std::thread::sleep(Duration::from_millis(300));
        stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    // Everything until the program ends and closes the terminal.
    while let Ok(chunk) = rx.recv_timeout(Duration::from_secs(120)) {
        seen.extend_from_slice(&chunk);
    }
    let status = child.wait().expect("the program ends");
    drop(stdin);
    (status, String::from_utf8_lossy(&seen).into_owned())
}

/// (6) `keygen` as an office runs it, on a terminal: it asks for the password twice and never
/// shows it; the stock `minisign -S` then signs with the key file it wrote, given the same
/// password, and `minisign -V` accepts the signature with the public key it wrote. A signing
/// step (`announce`) asks once, shows nothing, and signs.
#[cfg(unix)]
#[test]
fn keygen_on_a_terminal_hides_the_password_and_the_stock_tool_signs_with_its_key() {
    if !have_minisign() {
        return;
    }
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: `script` (util-linux) not found; skipping the terminal test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("office");
    let private = dir.path().join("private");
    let bin = example_bin();
    let (status, shown) = on_terminal(
        &format!(
            "'{}' --lang en keygen --office '{}' --private '{}'",
            bin.display(),
            office.display(),
            private.display()
        ),
        &[
            "Password to protect the secret key (not shown): ",
            "The same password again: ",
        ],
        PASSWORD,
    );
    assert!(status.success(), "keygen failed: {shown}");
    assert!(
        shown.contains("Made the organizer's signing key"),
        "{shown}"
    );
    assert!(
        !shown.contains(PASSWORD) && !shown.contains("签名口令"),
        "the password was shown: {shown}"
    );

    let sec_file = private.join("organizer.key");
    let pub_file = office.join("organizer.pub");
    assert!(SecretKey::is_encrypted(&read(&sec_file)));
    let sheet = write(dir.path(), "sheet.json", SHEET);
    let out = minisign_with_input(
        &[&"-S", &"-s", &sec_file, &"-p", &pub_file, &"-m", &sheet],
        &format!("{PASSWORD}\n"),
    );
    assert_success(&out, "minisign -S with the key keygen wrote");
    let out = minisign(&[&"-Vm", &sheet, &"-p", &pub_file]);
    assert_success(&out, "minisign -V with the public key keygen wrote");

    // A signing step asks once.
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/keys.in");
    let (status, shown) = on_terminal(
        &format!(
            "cd '{}' && '{}' --lang en announce --draw-id T-1 --inputs '{}' --office '{}' --private '{}' --no-independent-randomness",
            dir.path().display(),
            bin.display(),
            inputs.display(),
            office.display(),
            private.display()
        ),
        &["Password of the secret key"],
        PASSWORD,
    );
    assert!(status.success(), "announce failed: {shown}");
    assert_eq!(
        shown.matches("Password of the secret key").count(),
        1,
        "{shown}"
    );
    assert!(!shown.contains(PASSWORD), "the password was shown: {shown}");
    let announcement = office.join("T-1").join("announcement.json");
    let out = minisign(&[&"-Vm", &announcement, &"-p", &pub_file]);
    assert_success(
        &out,
        "minisign -V of the announcement signed after the prompt",
    );
}
