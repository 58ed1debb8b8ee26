//! RFC 3161 timestamp tokens against a real local TSA made with `openssl ts`, and the
//! demonstration TSA against `openssl ts -verify`.
//!
//! Every key and certificate is made at run time in a temporary folder. The `openssl` binary
//! must be on `PATH`: without it these tests fail with a message saying so (they never skip).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use double_random::Digest32;
use double_random::ceremony::Timestamp;
use double_random::ceremony::timestamp::{
    self, DemoTsa, PurposeProblem, TokenError, parse, read_certificates, request, verify,
};

const ANNOUNCEMENT: &[u8] = b"{\"format\":\"double-random/announcement\",\"office\":\"test\"}\n";

/// Runs `openssl` with `args` in `dir`; panics with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) -> Output {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let ok = Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "the `openssl` binary is not on PATH: these tests need it (Debian: apt-get install openssl)"
        );
    });
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn pem_certs(path: impl AsRef<Path>) -> Vec<Vec<u8>> {
    read_certificates(&read(path)).expect("certificate file reads")
}

/// Key algorithms used in the tests.
#[derive(Clone, Copy)]
enum Alg {
    Rsa,
    P256,
    P384,
}

impl Alg {
    fn genpkey(self) -> &'static [&'static str] {
        match self {
            Alg::Rsa => &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            Alg::P256 => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
            Alg::P384 => &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        }
    }
}

const EXTENSIONS: &str = "\
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
[ code_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,codeSigning
";

/// A test certificate authority in its own folder, issuing with `openssl ca`.
struct Ca {
    dir: PathBuf,
}

impl Ca {
    fn new(dir: &Path, name: &str, alg: Alg) -> Ca {
        let dir = dir.join(name);
        std::fs::create_dir_all(dir.join("newcerts")).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        std::fs::write(dir.join("ca.serial"), "1000\n").unwrap();
        std::fs::write(dir.join("ext.cnf"), EXTENSIONS).unwrap();
        std::fs::write(
            dir.join("ca.cnf"),
            format!("[ ca ]\ndefault_ca = ca1\n[ ca1 ]\ndatabase = index.txt\nnew_certs_dir = newcerts\n\
             serial = ca.serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n\
             default_days = 365\n[ any ]\ncommonName = supplied\n\
             [ req ]\ndistinguished_name = dn\n[ dn ]\n{EXTENSIONS}",
        ))
        .unwrap();
        let mut args = vec!["genpkey"];
        args.extend_from_slice(alg.genpkey());
        args.extend_from_slice(&["-out", "ca.key"]);
        openssl(&dir, &args);
        let subj = format!("/CN={name} Test Root CA");
        openssl(
            &dir,
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "3650",
                "-subj",
                &subj,
                "-config",
                "ca.cnf",
                "-extensions",
                "ca_ext",
            ],
        );
        Ca { dir }
    }

    fn cert(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    /// A key and a certificate `name` issued with extension section `ext`, valid for a year
    /// from now or between `dates` (`YYYYMMDDhhmmssZ`).
    fn issue(
        &self,
        name: &str,
        alg: Alg,
        ext: &str,
        dates: Option<(&str, &str)>,
    ) -> (PathBuf, PathBuf) {
        let key = format!("{name}.key");
        let csr = format!("{name}.csr");
        let crt = format!("{name}.crt");
        let mut args = vec!["genpkey"];
        args.extend_from_slice(alg.genpkey());
        args.extend_from_slice(&["-out", &key]);
        openssl(&self.dir, &args);
        let subj = format!("/CN={name}");
        openssl(
            &self.dir,
            &[
                "req", "-new", "-key", &key, "-out", &csr, "-subj", &subj, "-config", "ca.cnf",
            ],
        );
        let mut args = vec![
            "ca",
            "-batch",
            "-notext",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.crt",
            "-keyfile",
            "ca.key",
            "-in",
            &csr,
            "-out",
            &crt,
            "-extfile",
            "ext.cnf",
            "-extensions",
            ext,
        ];
        if let Some((start, end)) = dates {
            args.extend_from_slice(&["-startdate", start, "-enddate", end]);
        }
        openssl(&self.dir, &args);
        (self.dir.join(key), self.dir.join(crt))
    }
}

/// An `openssl ts` TSA signing with `key` and `cert`.
struct Tsa {
    dir: PathBuf,
    cert: PathBuf,
}

impl Tsa {
    fn new(ca: &Ca, name: &str, alg: Alg, dates: Option<(&str, &str)>) -> Tsa {
        let (key, cert) = ca.issue(name, alg, "tsa_ext", dates);
        let dir = ca.dir.join(format!("tsa-{name}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("serial"), "01\n").unwrap();
        std::fs::write(
            dir.join("tsa.cnf"),
            format!(
                "[ tsa ]\ndefault_tsa = tsa_config1\n[ tsa_config1 ]\nserial = serial\n\
                 signer_cert = {c}\ncerts = {c}\nsigner_key = {k}\nsigner_digest = sha256\n\
                 default_policy = 1.2.3.4.1\ndigests = sha256\n",
                c = cert.display(),
                k = key.display()
            ),
        )
        .unwrap();
        Tsa { dir, cert }
    }

    /// The reply to `query` (a path), as bytes.
    fn reply(&self, query: &Path) -> Vec<u8> {
        let out = self.dir.join("reply.tsr");
        openssl(
            &self.dir,
            &[
                "ts",
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                &query.display().to_string(),
                "-out",
                &out.display().to_string(),
            ],
        );
        read(out)
    }

    /// A token over `data` from a query made by `openssl ts -query`.
    fn stamp(&self, data: &[u8]) -> Vec<u8> {
        let file = self.dir.join("data");
        std::fs::write(&file, data).unwrap();
        openssl(
            &self.dir,
            &[
                "ts", "-query", "-data", "data", "-sha256", "-cert", "-out", "q.tsq",
            ],
        );
        self.reply(&self.dir.join("q.tsq"))
    }
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

#[test]
fn rsa_and_ec_tokens_verify_against_the_ca_and_the_tsa_certificate() {
    let tmp = tempdir();
    // An RSA TSA under an RSA CA, and a P-256 TSA under a P-384 CA.
    for (label, ca_alg, tsa_alg) in [("rsa", Alg::Rsa, Alg::Rsa), ("ec", Alg::P384, Alg::P256)] {
        let ca = Ca::new(tmp.path(), label, ca_alg);
        let tsa = Tsa::new(&ca, &format!("{label} TSA"), tsa_alg, None);
        let before = Timestamp::now();
        let token = tsa.stamp(ANNOUNCEMENT);
        let imprint = Digest32::of(ANNOUNCEMENT);

        let parsed = parse(&token).unwrap();
        assert_eq!(parsed.imprint, Some(imprint), "{label}");
        assert_eq!(parsed.policy, "1.2.3.4.1");
        assert!(!parsed.serial.is_empty() && parsed.serial.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(parsed.nonce.is_some(), "openssl ts -query sends a nonce");
        assert_eq!(
            parsed.signer.as_deref(),
            Some(format!("CN={label} TSA").as_str())
        );
        assert!(parsed.gen_time >= before && parsed.gen_time <= Timestamp::now());

        let v = verify(&token, &imprint, &pem_certs(ca.cert())).unwrap();
        assert_eq!(v.gen_time, parsed.gen_time);
        assert_eq!(v.signer, format!("CN={label} TSA"));
        assert_eq!(v.anchor, format!("CN={label} Test Root CA"));

        let v = verify(&token, &imprint, &pem_certs(&tsa.cert)).unwrap();
        assert_eq!(
            v.anchor,
            format!("CN={label} TSA"),
            "the TSA certificate trusted itself"
        );
    }
}

#[test]
fn openssl_answers_our_request_and_verifies_its_reply_against_it() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "req", Alg::Rsa);
    let tsa = Tsa::new(&ca, "req TSA", Alg::P256, None);
    let imprint = Digest32::of(ANNOUNCEMENT);
    let nonce = 0x0123_4567_89ab_cdef;
    let query = tsa.dir.join("ours.tsq");
    std::fs::write(&query, request(&imprint, nonce)).unwrap();
    let token = tsa.reply(&query);
    assert_eq!(parse(&token).unwrap().nonce_u64(), Some(nonce));
    verify(&token, &imprint, &pem_certs(ca.cert())).unwrap();
    std::fs::write(tsa.dir.join("ours.tsr"), &token).unwrap();
    let ca_path = ca.cert().display().to_string();
    let out = openssl(
        &tsa.dir,
        &[
            "ts",
            "-verify",
            "-queryfile",
            "ours.tsq",
            "-in",
            "ours.tsr",
            "-CAfile",
            &ca_path,
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verification: OK"));
}

#[test]
fn a_token_over_another_file_is_an_imprint_mismatch() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "mm", Alg::Rsa);
    let tsa = Tsa::new(&ca, "mm TSA", Alg::Rsa, None);
    let token = tsa.stamp(b"another file");
    let err = verify(&token, &Digest32::of(ANNOUNCEMENT), &pem_certs(ca.cert())).unwrap_err();
    match err {
        TokenError::ImprintMismatch { expected, found } => {
            assert_eq!(expected, Digest32::of(ANNOUNCEMENT));
            assert_eq!(found, Digest32::of(b"another file").to_hex());
        }
        other => panic!("expected ImprintMismatch, got {other:?}"),
    }
}

#[test]
fn a_token_from_a_tsa_under_another_ca_is_untrusted() {
    let tmp = tempdir();
    let ours = Ca::new(tmp.path(), "ours", Alg::Rsa);
    let theirs = Ca::new(tmp.path(), "theirs", Alg::Rsa);
    let tsa = Tsa::new(&theirs, "their TSA", Alg::P256, None);
    let token = tsa.stamp(ANNOUNCEMENT);
    let imprint = Digest32::of(ANNOUNCEMENT);
    verify(&token, &imprint, &pem_certs(theirs.cert())).unwrap();
    match verify(&token, &imprint, &pem_certs(ours.cert())).unwrap_err() {
        TokenError::Untrusted { signer } => assert_eq!(signer, "CN=their TSA"),
        other => panic!("expected Untrusted, got {other:?}"),
    }
    // Nor does an empty trust list reach anything.
    assert!(matches!(
        verify(&token, &imprint, &[]).unwrap_err(),
        TokenError::Untrusted { .. }
    ));
}

#[test]
fn a_tsa_certificate_expired_or_not_yet_valid_at_gen_time_is_refused() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "dates", Alg::Rsa);
    let imprint = Digest32::of(ANNOUNCEMENT);
    for (name, dates) in [
        ("expired TSA", ("20000101000000Z", "20010101000000Z")),
        ("future TSA", ("20900101000000Z", "20910101000000Z")),
    ] {
        // `openssl ts -reply` signs with a certificate whatever its dates.
        let tsa = Tsa::new(&ca, name, Alg::Rsa, Some(dates));
        let token = tsa.stamp(ANNOUNCEMENT);
        for trusted in [pem_certs(ca.cert()), pem_certs(&tsa.cert)] {
            match verify(&token, &imprint, &trusted).unwrap_err() {
                TokenError::NotValidAtGenTime {
                    subject,
                    not_before,
                    not_after,
                    gen_time,
                } => {
                    assert_eq!(subject, format!("CN={name}"));
                    assert!(gen_time < not_before || gen_time > not_after);
                    assert_eq!(not_before.to_string()[..4], dates.0[..4]);
                }
                other => panic!("{name}: expected NotValidAtGenTime, got {other:?}"),
            }
        }
    }
}

#[test]
fn a_certificate_without_the_time_stamping_purpose_is_refused() {
    // `openssl ts -reply` refuses such a signer, so the token is made by `openssl cms -sign`
    // over the TSTInfo of a genuine token: the same content, signed by a code-signing
    // certificate from the same CA.
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "purpose", Alg::Rsa);
    let tsa = Tsa::new(&ca, "purpose TSA", Alg::Rsa, None);
    let (key, cert) = ca.issue("code signer", Alg::Rsa, "code_ext", None);
    let dir = &tsa.dir;
    std::fs::write(dir.join("good.tsr"), tsa.stamp(ANNOUNCEMENT)).unwrap();
    openssl(
        dir,
        &[
            "ts",
            "-reply",
            "-in",
            "good.tsr",
            "-token_out",
            "-out",
            "good.tst",
        ],
    );
    openssl(
        dir,
        &[
            "cms",
            "-verify",
            "-noverify",
            "-inform",
            "DER",
            "-in",
            "good.tst",
            "-out",
            "tstinfo.der",
        ],
    );
    let (cert_s, key_s) = (cert.display().to_string(), key.display().to_string());
    openssl(
        dir,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-in",
            "tstinfo.der",
            "-econtent_type",
            "1.2.840.113549.1.9.16.1.4",
            "-signer",
            &cert_s,
            "-inkey",
            &key_s,
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-out",
            "bad.tst",
        ],
    );
    let token = read(dir.join("bad.tst"));
    let imprint = Digest32::of(ANNOUNCEMENT);
    assert_eq!(
        parse(&token).unwrap().imprint,
        Some(imprint),
        "a bare token parses"
    );
    match verify(&token, &imprint, &pem_certs(ca.cert())).unwrap_err() {
        TokenError::WrongPurpose { subject, problem } => {
            assert_eq!(subject, "CN=code signer");
            assert_eq!(problem, PurposeProblem::NotTimeStamping);
        }
        other => panic!("expected WrongPurpose, got {other:?}"),
    }
}

#[test]
fn a_flipped_byte_in_the_signature_is_a_bad_signature() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "flip", Alg::Rsa);
    let imprint = Digest32::of(ANNOUNCEMENT);
    for (name, alg) in [("flip RSA TSA", Alg::Rsa), ("flip EC TSA", Alg::P256)] {
        let tsa = Tsa::new(&ca, name, alg, None);
        let mut token = tsa.stamp(ANNOUNCEMENT);
        verify(&token, &imprint, &pem_certs(ca.cert())).unwrap();
        // openssl writes no unsigned attributes: the signature's octets end the reply.
        let last = token.len() - 1;
        token[last] ^= 0x01;
        match verify(&token, &imprint, &pem_certs(ca.cert())).unwrap_err() {
            TokenError::BadSignature { signer } => assert_eq!(signer, format!("CN={name}")),
            other => panic!("{name}: expected BadSignature, got {other:?}"),
        }
    }
}

#[test]
fn a_rejected_request_reports_status_and_failure_info() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "reject", Alg::Rsa);
    let tsa = Tsa::new(&ca, "reject TSA", Alg::Rsa, None);
    std::fs::write(tsa.dir.join("data"), ANNOUNCEMENT).unwrap();
    // The TSA accepts SHA-256 only; a SHA-1 query is refused with badAlg.
    openssl(
        &tsa.dir,
        &["ts", "-query", "-data", "data", "-sha1", "-out", "sha1.tsq"],
    );
    let reply = tsa.reply(&tsa.dir.join("sha1.tsq"));
    match parse(&reply).unwrap_err() {
        TokenError::NotGranted {
            status,
            failure_info,
            ..
        } => {
            assert_eq!(status, 2);
            assert_eq!(failure_info, vec!["badAlg"]);
        }
        other => panic!("expected NotGranted, got {other:?}"),
    }
}

#[test]
fn garbage_and_truncated_tokens_are_parse_errors() {
    let tsa = DemoTsa::from_seed([3; 32]).unwrap();
    let imprint = Digest32::of(ANNOUNCEMENT);
    let token = tsa
        .stamp(
            &request(&imprint, 9),
            Timestamp::from_unix(1_772_330_400).unwrap(),
            5,
        )
        .unwrap();
    let trusted = vec![tsa.certificate_der()];
    for bad in [
        &b"garbage, not DER at all"[..],
        &[],
        &token[..token.len() / 2],
        &token[..token.len() - 1],
    ] {
        assert!(
            matches!(parse(bad), Err(TokenError::Malformed { .. })),
            "{bad:?}"
        );
        assert!(matches!(
            verify(bad, &imprint, &trusted),
            Err(TokenError::Malformed { .. })
        ));
    }
    assert!(matches!(
        read_certificates(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"),
        Err(TokenError::CertificateFile { .. })
    ));
}

#[test]
fn openssl_verifies_the_demonstration_tsa_tokens() {
    let tmp = tempdir();
    let dir = tmp.path();
    let tsa = DemoTsa::generate().unwrap();
    std::fs::write(dir.join("demo.crt"), tsa.certificate_pem()).unwrap();
    std::fs::write(dir.join("data"), ANNOUNCEMENT).unwrap();
    let imprint = Digest32::of(ANNOUNCEMENT);
    let time = Timestamp::from_unix(1_772_330_400).unwrap();

    // Our request and openssl's query, both stamped by the demonstration TSA.
    std::fs::write(dir.join("ours.tsq"), request(&imprint, 77)).unwrap();
    openssl(
        dir,
        &[
            "ts",
            "-query",
            "-data",
            "data",
            "-sha256",
            "-cert",
            "-out",
            "theirs.tsq",
        ],
    );
    for q in ["ours", "theirs"] {
        let reply = tsa
            .stamp(&read(dir.join(format!("{q}.tsq"))), time, 12)
            .unwrap();
        std::fs::write(dir.join(format!("{q}.tsr")), &reply).unwrap();
        let out = openssl(
            dir,
            &[
                "ts",
                "-verify",
                "-data",
                "data",
                "-in",
                &format!("{q}.tsr"),
                "-CAfile",
                "demo.crt",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Verification: OK"));
        let out = openssl(
            dir,
            &[
                "ts",
                "-verify",
                "-queryfile",
                &format!("{q}.tsq"),
                "-in",
                &format!("{q}.tsr"),
                "-CAfile",
                "demo.crt",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Verification: OK"));
        let v = verify(&reply, &imprint, &[tsa.certificate_der()]).unwrap();
        assert_eq!(v.gen_time, time);
        assert_eq!(v.signer, v.anchor);
        let text = openssl(dir, &["ts", "-reply", "-in", &format!("{q}.tsr"), "-text"]);
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("Time stamp: Mar  1 02:00:00 2026 GMT"),
            "{text}"
        );
    }
}

#[test]
fn the_demonstration_tsa_from_a_seed_is_reproducible() {
    let imprint = Digest32::of(ANNOUNCEMENT);
    let time = Timestamp::from_unix(1_772_330_400).unwrap();
    let req = request(&imprint, 1);
    let a = DemoTsa::from_seed([9; 32]).unwrap();
    let b = DemoTsa::from_seed([9; 32]).unwrap();
    assert_eq!(a.certificate_der(), b.certificate_der());
    assert_eq!(
        a.stamp(&req, time, 3).unwrap(),
        b.stamp(&req, time, 3).unwrap()
    );
    let c = DemoTsa::from_seed([10; 32]).unwrap();
    assert_ne!(a.certificate_der(), c.certificate_der());
    assert!(a.certificate_pem().contains("BEGIN CERTIFICATE"));
    // The other seed's TSA is not trusted by the first one's certificate.
    let token = c.stamp(&req, time, 3).unwrap();
    assert!(matches!(
        verify(&token, &imprint, &[a.certificate_der()]),
        Err(TokenError::Untrusted { .. })
    ));
    // Its certificate says it is a demonstration.
    let v = verify(&token, &imprint, &[c.certificate_der()]).unwrap();
    assert!(v.signer.contains(timestamp::DEMO_TSA_NAME), "{}", v.signer);
}

/// A small deterministic generator for the byte flips (xorshift64*).
struct Flips(u64);

impl Flips {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn parse_and_verify_never_panic_on_truncated_or_flipped_tokens() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "fuzz", Alg::Rsa);
    let tsa = Tsa::new(&ca, "fuzz TSA", Alg::P256, None);
    let imprint = Digest32::of(ANNOUNCEMENT);
    let demo = DemoTsa::from_seed([5; 32]).unwrap();
    let demo_token = demo
        .stamp(
            &request(&imprint, 1),
            Timestamp::from_unix(1_772_330_400).unwrap(),
            1,
        )
        .unwrap();
    let cases = [
        (tsa.stamp(ANNOUNCEMENT), pem_certs(ca.cert())),
        (demo_token, vec![demo.certificate_der()]),
    ];
    let mut flips = Flips(0x9e37_79b9_7f4a_7c15);
    for (token, trusted) in &cases {
        verify(token, &imprint, trusted).unwrap();
        for len in 0..token.len() {
            let t = &token[..len];
            assert!(parse(t).is_err(), "a truncation to {len} bytes parsed");
            assert!(verify(t, &imprint, trusted).is_err());
        }
        let original = parse(token).unwrap();
        let mut refused = 0;
        for _ in 0..300 {
            let mut t = token.clone();
            let at = (flips.next() % t.len() as u64) as usize;
            let bit = 1u8 << (flips.next() % 8);
            t[at] ^= bit;
            let _ = parse(&t);
            match verify(&t, &imprint, trusted) {
                Err(_) => refused += 1,
                // A flip that still verifies lies outside what is signed or used (openssl
                // carries the TSA certificate twice; the SignedData's digest list is not
                // signed): the token must still say the same thing.
                Ok(v) => {
                    let p = parse(&t).unwrap();
                    assert_eq!(
                        (v.gen_time, p.imprint, &p.serial),
                        (original.gen_time, original.imprint, &original.serial)
                    );
                }
            }
        }
        assert!(
            refused > 150,
            "only {refused} of 300 flipped tokens were refused"
        );
    }
}

#[test]
fn a_gen_time_with_a_fraction_is_truncated_to_the_second() {
    let tmp = tempdir();
    let ca = Ca::new(tmp.path(), "frac", Alg::Rsa);
    let tsa = Tsa::new(&ca, "frac TSA", Alg::P256, None);
    // Milliseconds in genTime, with accuracy, ordering and the TSA's name in the TSTInfo.
    let cnf = tsa.dir.join("tsa.cnf");
    let mut text = std::fs::read_to_string(&cnf).unwrap();
    text.push_str(
        "clock_precision_digits = 3\naccuracy = secs:1, millisecs:500\nordering = yes\ntsa_name = yes\n",
    );
    std::fs::write(&cnf, text).unwrap();
    let imprint = Digest32::of(ANNOUNCEMENT);
    // Until a time whose fraction is not .000 (written without the fraction) turns up.
    for _ in 0..20 {
        let token = tsa.stamp(ANNOUNCEMENT);
        // genTime: tag 0x18, length 16 to 19 (`YYYYMMDDhhmmss.f[f[f]]Z`), year 20xx.
        let Some(at) = token
            .windows(4)
            .position(|w| w[0] == 0x18 && (16..=19).contains(&w[1]) && &w[2..] == b"20")
        else {
            continue;
        };
        let raw = &token[at + 2..at + 2 + token[at + 1] as usize];
        assert_eq!(raw[14], b'.', "{}", String::from_utf8_lossy(raw));
        let s = String::from_utf8_lossy(&raw[..14]).into_owned();
        let whole: Timestamp = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[8..10],
            &s[10..12],
            &s[12..14]
        )
        .parse()
        .unwrap();
        assert_eq!(parse(&token).unwrap().gen_time, whole);
        let v = verify(&token, &imprint, &pem_certs(ca.cert())).unwrap();
        assert_eq!(v.gen_time, whole);
        return;
    }
    panic!("openssl never wrote a fraction of a second in 20 tokens");
}
