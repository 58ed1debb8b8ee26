//! Tests across the module: vectors from the stock tool, error cases and properties.

use proptest::prelude::*;

use super::text::{decode, encode_into, split_lines};
use super::*;

/// Key pair made by the stock `minisign -G -W` (0.11).
const STOCK_SK: &str = "untrusted comment: minisign encrypted secret key\nRWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA7DsX6RXztGydWmwG/UtFjoFPgVa+zxbAi8jZ+Kg/0mlIHeCWtTe8KzR15+M6lH46xYlxydE8gdflxr/IbfIc3vDVhAAAPWQSAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
const STOCK_PK: &str = "untrusted comment: minisign public key 6CB4F315E9173BEC\nRWTsOxfpFfO0bDR15+M6lH46xYlxydE8gdflxr/IbfIc3vDVhAAAPWQS\n";
/// The message the stock signatures below sign.
const MESSAGE: &[u8] = b"hello\n";
/// `minisign -Sm msg.txt -t "draw:1<TAB>file:x" -c "my untrusted"` with the key above.
const STOCK_SIG: &str = "untrusted comment: my untrusted\nRUTsOxfpFfO0bDhGPkMERYW3rHqzX0LYjKJBx1xNIaKSBBjyOMau26hqsMWizbjwSN86Rz0Ir4jic4ctDyiiTGbm+pGlPAlTvgg=\ntrusted comment: draw:1\tfile:x\n5nlY1QgsgzEsujkNyyRcfz8Tzx12cfc0fSOOtSbhZUlppIX/Kzb1G2fwnRoUagGhBtLNzPnqUYoMs3ND8yhyAg==\n";
/// `minisign -S -l -m msg.txt -t legacy:1 -c legacy`: a legacy (non-prehashed) signature.
const STOCK_LEGACY_SIG: &str = "untrusted comment: legacy\nRWTsOxfpFfO0bKPIZnJ+RHmO3Fy7PzWY2l7AA2h5qWPiXq++pFoV76qQaPPN3vPmm/ojR6YX5raK1Gk2hMjXxKMziage6S9JjA8=\ntrusted comment: legacy:1\nX+8lqLx8WVBQEG+v/L3wF6jLsO12btihUaCDfIRNY0AAi6St2b9/M4Df8Q/Bmk+sQp1Bw2/JPnbV8k8AJqs6BA==\n";

fn stock_pk() -> PublicKey {
    PublicKey::parse(STOCK_PK).unwrap()
}

fn test_key() -> SecretKey {
    SecretKey::from_seed(KeyId([5, 6, 7, 8, 9, 10, 11, 12]), &[0x5a; 32])
}

/// Replaces line `index` (0-based) of a signature text.
fn with_line(text: &str, index: usize, new: &str) -> String {
    let mut lines = split_lines(text);
    lines[index] = new;
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Flips one bit of the base64 payload on line `index` and returns the new text.
fn flip_base64_bit(text: &str, index: usize, bit: usize) -> String {
    let lines = split_lines(text);
    let mut raw = decode(lines[index], index, Field::Signature)
        .unwrap()
        .to_vec();
    let bit = bit % (raw.len() * 8);
    raw[bit / 8] ^= 1 << (bit % 8);
    let mut encoded = String::new();
    encode_into(&raw, &mut encoded);
    with_line(text, index, &encoded)
}

#[test]
fn verifies_a_stock_signature() {
    let sig = Signature::parse(STOCK_SIG).unwrap();
    assert_eq!(sig.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
    assert_eq!(sig.untrusted_comment(), "my untrusted");
    let ok = verify(&stock_pk(), MESSAGE, &sig).unwrap();
    assert_eq!(ok.trusted_comment(), "draw:1\tfile:x");
    assert_eq!(ok.key_id().to_string(), "6CB4F315E9173BEC");
    assert_eq!(ok.algorithm(), SignatureAlgorithm::Ed25519Prehashed);
}

#[test]
fn verifies_a_stock_legacy_signature() {
    let sig = Signature::parse(STOCK_LEGACY_SIG).unwrap();
    assert_eq!(sig.algorithm(), SignatureAlgorithm::Ed25519Legacy);
    let ok = verify(&stock_pk(), MESSAGE, &sig).unwrap();
    assert_eq!(ok.algorithm(), SignatureAlgorithm::Ed25519Legacy);
    assert_eq!(ok.trusted_comment(), "legacy:1");
    assert!(matches!(
        verify(&stock_pk(), b"hello", &sig),
        Err(SignError::BadSignature { .. })
    ));
}

#[test]
fn signs_exactly_as_the_stock_tool() {
    // Ed25519 is deterministic, so the same key, file and comments give the same bytes.
    let sk = SecretKey::parse(STOCK_SK).unwrap();
    let sig = sign(&sk, MESSAGE, "draw:1\tfile:x", "my untrusted").unwrap();
    assert_eq!(sig.to_minisig(), STOCK_SIG);
    assert_eq!(Signature::parse(STOCK_SIG).unwrap(), sig);
}

#[test]
fn reads_crlf_line_ends() {
    let crlf = STOCK_SIG.replace('\n', "\r\n");
    let sig = Signature::parse(&crlf).unwrap();
    assert_eq!(
        verify(&stock_pk(), MESSAGE, &sig)
            .unwrap()
            .trusted_comment(),
        "draw:1\tfile:x"
    );
    assert_eq!(
        PublicKey::parse(&STOCK_PK.replace('\n', "\r\n")).unwrap(),
        stock_pk()
    );
    assert!(SecretKey::parse(&STOCK_SK.replace('\n', "\r\n")).is_ok());
}

#[test]
fn key_id_mismatch_names_both_ids() {
    let sig = Signature::parse(STOCK_SIG).unwrap();
    let other = test_key().public_key();
    let err = verify(&other, MESSAGE, &sig).unwrap_err();
    assert_eq!(
        err,
        SignError::KeyIdMismatch {
            signature: stock_pk().key_id(),
            public_key: other.key_id()
        }
    );
    assert_eq!(
        err.to_string(),
        "the signature was made by key 6CB4F315E9173BEC, but the public key is 0C0B0A0908070605"
    );
}

#[test]
fn a_changed_trusted_comment_breaks_the_global_signature() {
    let text = with_line(STOCK_SIG, 2, "trusted comment: draw:2\tfile:x");
    let sig = Signature::parse(&text).unwrap();
    assert_eq!(
        verify(&stock_pk(), MESSAGE, &sig).unwrap_err(),
        SignError::BadGlobalSignature {
            key_id: stock_pk().key_id()
        }
    );
}

#[test]
fn a_changed_untrusted_comment_does_not_matter() {
    let text = with_line(STOCK_SIG, 0, "untrusted comment: anything");
    let sig = Signature::parse(&text).unwrap();
    assert!(verify(&stock_pk(), MESSAGE, &sig).is_ok());
}

#[test]
fn signature_structure_errors() {
    assert_eq!(
        Signature::parse("").unwrap_err(),
        SignError::MissingLine {
            line: 1,
            field: Field::UntrustedComment
        }
    );
    let lines = split_lines(STOCK_SIG);
    let upto = |n: usize| format!("{}\n", lines[..n].join("\n"));
    assert_eq!(
        Signature::parse(&upto(2)).unwrap_err(),
        SignError::MissingLine {
            line: 3,
            field: Field::TrustedComment
        }
    );
    assert_eq!(
        Signature::parse(&upto(3)).unwrap_err(),
        SignError::MissingLine {
            line: 4,
            field: Field::GlobalSignature
        }
    );
    assert_eq!(
        Signature::parse(&with_line(STOCK_SIG, 0, "comment: x")).unwrap_err(),
        SignError::MissingPrefix {
            line: 1,
            field: Field::UntrustedComment,
            prefix: "untrusted comment: "
        }
    );
    assert_eq!(
        Signature::parse(&with_line(STOCK_SIG, 2, "trusted comment:x")).unwrap_err(),
        SignError::MissingPrefix {
            line: 3,
            field: Field::TrustedComment,
            prefix: "trusted comment: "
        }
    );
    assert!(matches!(
        Signature::parse(&with_line(STOCK_SIG, 1, "RUTs OxfpFfO0bDhG")),
        Err(SignError::Base64 {
            line: 2,
            field: Field::Signature,
            ..
        })
    ));
    assert_eq!(
        Signature::parse(&with_line(STOCK_SIG, 3, "AAAA")).unwrap_err(),
        SignError::WrongLength {
            field: Field::GlobalSignature,
            expected: 64,
            found: 3
        }
    );
    assert_eq!(
        Signature::parse(&format!("{STOCK_SIG}\n \nextra\n")).unwrap_err(),
        SignError::ExtraLine {
            line: 7,
            file: Field::Signature
        }
    );
    assert!(Signature::parse(&format!("{STOCK_SIG}\n\n")).is_ok());
    assert!(Signature::parse(STOCK_SIG.trim_end()).is_ok());
}

#[test]
fn unknown_signature_algorithm() {
    let lines = split_lines(STOCK_SIG);
    let mut raw = decode(lines[1], 1, Field::Signature).unwrap().to_vec();
    raw[..2].copy_from_slice(b"SM");
    let mut encoded = String::new();
    encode_into(&raw, &mut encoded);
    let err = Signature::parse(&with_line(STOCK_SIG, 1, &encoded)).unwrap_err();
    assert_eq!(
        err,
        SignError::UnknownAlgorithm {
            field: Field::Signature,
            found: *b"SM"
        }
    );
    assert_eq!(
        err.to_string(),
        "the signature uses the unknown algorithm \"SM\""
    );
}

#[test]
fn comments_in_files_follow_the_stock_limits() {
    let ok = "a".repeat(TRUSTED_COMMENT_MAX_BYTES);
    let text = with_line(STOCK_SIG, 2, &format!("trusted comment: {ok}"));
    assert!(Signature::parse(&text).is_ok());
    let long = with_line(STOCK_SIG, 2, &format!("trusted comment: {ok}a"));
    assert!(matches!(
        Signature::parse(&long),
        Err(SignError::CommentTooLong {
            comment: CommentKind::Trusted,
            ..
        })
    ));
    let long = with_line(
        STOCK_SIG,
        0,
        &format!(
            "untrusted comment: {}",
            "b".repeat(UNTRUSTED_COMMENT_MAX_BYTES + 1)
        ),
    );
    assert!(matches!(
        Signature::parse(&long),
        Err(SignError::CommentTooLong {
            comment: CommentKind::Untrusted,
            ..
        })
    ));
    assert_eq!(
        Signature::parse(&with_line(STOCK_SIG, 2, "trusted comment: a\rb")).unwrap_err(),
        SignError::CommentLineBreak {
            comment: CommentKind::Trusted
        }
    );
    assert_eq!(
        Signature::parse(&with_line(STOCK_SIG, 0, "untrusted comment: a\0b")).unwrap_err(),
        SignError::CommentNul {
            comment: CommentKind::Untrusted
        }
    );
}

#[test]
fn sign_checks_both_comments() {
    let sk = test_key();
    assert_eq!(
        sign(&sk, b"m", "ok", "two\nlines").unwrap_err(),
        SignError::CommentLineBreak {
            comment: CommentKind::Untrusted
        }
    );
    assert_eq!(
        sign(&sk, b"m", "a\rb", "").unwrap_err(),
        SignError::CommentLineBreak {
            comment: CommentKind::Trusted
        }
    );
    assert!(sign(&sk, b"m", &"x".repeat(TRUSTED_COMMENT_MAX_BYTES), "").is_ok());
    assert!(sign(&sk, b"m", "", &"x".repeat(UNTRUSTED_COMMENT_MAX_BYTES)).is_ok());
}

#[test]
fn empty_message_and_empty_comments() {
    let sk = test_key();
    let sig = sign(&sk, b"", "", "").unwrap();
    let text = sig.to_minisig();
    assert!(text.starts_with("untrusted comment: \n"));
    let back = Signature::parse(&text).unwrap();
    assert_eq!(back, sig);
    assert_eq!(
        verify(&sk.public_key(), b"", &back)
            .unwrap()
            .trusted_comment(),
        ""
    );
}

#[test]
fn the_scheme_trait_round_trips_through_text() {
    fn round<S: SignatureScheme>() -> String {
        let sk = S::secret_key_from_text(&S::secret_key_to_text(&S::generate().unwrap())).unwrap();
        let pk = S::public_key_from_text(&S::public_key_to_text(&S::public_key(&sk))).unwrap();
        let sig = S::signature_from_text(&S::signature_to_text(
            &S::sign(&sk, b"m", "k:v", "u").unwrap(),
        ))
        .unwrap();
        S::verify(&pk, b"m", &sig).unwrap().into_trusted_comment()
    }
    assert_eq!(round::<Ed25519Minisign>(), "k:v");
}

#[test]
fn errors_are_send_sync_and_static() {
    fn check<T: Send + Sync + 'static + std::error::Error>() {}
    check::<SignError>();
}

/// Base64 lines of the right length but arbitrary content, under the right prefixes.
fn near_valid_text() -> impl Strategy<Value = String> {
    let b64 = |lens: Vec<usize>| {
        prop::sample::select(lens).prop_flat_map(|n| {
            prop::collection::vec(any::<u8>(), n).prop_map(|bytes| {
                let mut s = String::new();
                encode_into(&bytes, &mut s);
                s
            })
        })
    };
    (
        "[ -~]{0,30}",
        b64(vec![0, 41, 42, 43, 73, 74, 75, 157, 158]),
        "[ -~\t]{0,30}",
        b64(vec![0, 63, 64, 65]),
        prop::bool::ANY,
    )
        .prop_map(|(u, line2, t, line4, with_prefix)| {
            if with_prefix {
                format!("untrusted comment: {u}\n{line2}\ntrusted comment: {t}\n{line4}\n")
            } else {
                format!("{u}\n{line2}\n{t}\n{line4}")
            }
        })
}

/// A valid secret key file whose 158 bytes are random except for the tags, to reach the
/// checksum and consistency checks.
fn near_valid_secret_key() -> impl Strategy<Value = String> {
    (prop::collection::vec(any::<u8>(), 158), prop::bool::ANY).prop_map(|(mut raw, zero_chk)| {
        raw[..6].copy_from_slice(b"Ed\0\0B2");
        if zero_chk {
            raw[126..].fill(0);
        }
        let mut s = String::from("untrusted comment: k\n");
        encode_into(&raw, &mut s);
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = Signature::parse(&text);
        let _ = PublicKey::parse(&text);
        let _ = SecretKey::parse(&text);
        let _ = TrustedComment::parse(&text);
        let _ = text.parse::<KeyId>();
    }

    #[test]
    fn parsing_near_valid_text_never_panics(text in near_valid_text()) {
        if let Ok(sig) = Signature::parse(&text) {
            prop_assert_eq!(Signature::parse(&sig.to_minisig()).unwrap(), sig.clone());
            let _ = verify(&test_key().public_key(), b"m", &sig);
        }
        if let Ok(pk) = PublicKey::parse(&text) {
            prop_assert_eq!(PublicKey::parse(&pk.to_minisign()).unwrap(), pk);
        }
        let _ = SecretKey::parse(&text);
    }

    #[test]
    fn parsing_near_valid_secret_keys_never_panics(text in near_valid_secret_key()) {
        if let Ok(sk) = SecretKey::parse(&text) {
            let again = SecretKey::parse(&sk.to_key_file()).unwrap();
            prop_assert_eq!(again.public_key(), sk.public_key());
        }
    }

    #[test]
    fn trusted_comments_round_trip(
        fields in prop::collection::btree_map("[a-z0-9_.-]{1,8}", "[^\t\n\r\0]{0,12}", 0..6)
    ) {
        let mut tc = TrustedComment::new();
        for (k, v) in &fields {
            tc.push(k, v).unwrap();
        }
        let back = TrustedComment::parse(&tc.to_string()).unwrap();
        prop_assert_eq!(back, tc);
    }
}

proptest! {
    // Each case signs and verifies several times; keep the debug-build run short.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn sign_then_verify_round_trips(
        seed in any::<[u8; 32]>(),
        id in any::<[u8; 8]>(),
        message in prop::collection::vec(any::<u8>(), 0..300),
        trusted in "[^\n\r\0]{0,40}",
        untrusted in "[^\n\r\0]{0,40}",
    ) {
        let sk = SecretKey::from_seed(KeyId(id), &seed);
        let text = sign(&sk, &message, &trusted, &untrusted).unwrap().to_minisig();
        let sig = Signature::parse(&text).unwrap();
        let pk = PublicKey::parse(&sk.public_key().to_minisign()).unwrap();
        let ok = verify(&pk, &message, &sig).unwrap();
        prop_assert_eq!(ok.trusted_comment(), trusted.as_str());
        prop_assert_eq!(sig.untrusted_comment(), untrusted.as_str());
        let reloaded = SecretKey::parse(&sk.to_key_file()).unwrap();
        prop_assert_eq!(sign(&reloaded, &message, &trusted, &untrusted).unwrap(), sig);
    }

    #[test]
    fn any_flipped_bit_fails_verification(
        seed in any::<[u8; 32]>(),
        message in prop::collection::vec(any::<u8>(), 1..200),
        trusted in "[ -~\t]{1,40}",
        message_bit in any::<prop::sample::Index>(),
        signature_bit in any::<prop::sample::Index>(),
        global_bit in any::<prop::sample::Index>(),
        comment_bit in any::<prop::sample::Index>(),
    ) {
        let sk = SecretKey::from_seed(KeyId([1; 8]), &seed);
        let pk = sk.public_key();
        let text = sign(&sk, &message, &trusted, "").unwrap().to_minisig();
        let verifies = |message: &[u8], text: &str| {
            Signature::parse(text).and_then(|sig| verify(&pk, message, &sig)).is_ok()
        };
        prop_assert!(verifies(&message, &text));

        // The message.
        let mut changed = message.clone();
        let bit = message_bit.index(message.len() * 8);
        changed[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(!verifies(&changed, &text));

        // The signature line (algorithm, key id and signature bytes) and the global signature.
        let bad = flip_base64_bit(&text, 1, signature_bit.index(74 * 8));
        prop_assert!(!verifies(&message, &bad));
        let bad = flip_base64_bit(&text, 3, global_bit.index(64 * 8));
        prop_assert!(!verifies(&message, &bad));

        // The trusted comment: a flip that leaves valid UTF-8 must fail verification; one that
        // does not cannot even be handed to the parser, which takes text.
        let mut bytes = trusted.clone().into_bytes();
        let bit = comment_bit.index(bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(comment) = String::from_utf8(bytes) {
            let bad = with_line(&text, 2, &format!("trusted comment: {comment}"));
            prop_assert!(!verifies(&message, &bad));
        }
    }
}
