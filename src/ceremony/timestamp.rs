//! RFC 3161 timestamp tokens: the request, the token's contents, its verification against
//! certificates the verifier names, and a demonstration time-stamping authority.
//!
//! The office asks a time-stamping authority (TSA) to sign the SHA-256 digest of
//! `announcement.json`; the reply (`announcement.json.tsr`) proves the announcement existed at
//! the token's `genTime`. [`verify`] trusts nothing in the token itself: the chain must reach
//! a certificate passed in `trusted`. Every check is listed in `docs/timestamp-notes.md`.
//!
//! Everything here is pure: bytes in, values out, no files and no clock. `genTime` is read to
//! the second; a fraction of a second in the token is dropped (truncated, never rounded).
//!
//! ```
//! use double_random::ceremony::{timestamp, Timestamp};
//! use double_random::Digest32;
//!
//! let tsa = timestamp::DemoTsa::from_seed([7; 32]).unwrap();
//! let imprint = Digest32::of(b"announcement bytes");
//! let request = timestamp::request(&imprint, 42);
//! let time = Timestamp::from_unix(1_772_330_400).unwrap();
//! let reply = tsa.stamp(&request, time, 1).unwrap();
//!
//! let token = timestamp::parse(&reply).unwrap();
//! assert_eq!(token.gen_time, time);
//! assert_eq!(token.nonce_u64(), Some(42));
//!
//! let trusted = timestamp::read_certificates(tsa.certificate_pem().as_bytes()).unwrap();
//! let verified = timestamp::verify(&reply, &imprint, &trusted).unwrap();
//! assert_eq!(verified.gen_time, time);
//! assert!(verified.signer.contains("DEMONSTRATION"));
//!
//! let other = Digest32::of(b"another file");
//! assert!(matches!(
//!     timestamp::verify(&reply, &other, &trusted),
//!     Err(timestamp::TokenError::ImprintMismatch { .. })
//! ));
//! ```

use crate::ceremony::Timestamp;
use crate::digest::Digest32;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Any, AnyRef, BitString, OctetString, SetOfVec, Uint};
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Header, Reader, Sequence, SliceReader, Tag, Tagged};
use sha2::Digest as _;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::ext::{Extension, Extensions};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

/// Object identifiers used by RFC 3161, CMS and X.509.
mod oid {
    use der::oid::ObjectIdentifier as O;
    pub const SIGNED_DATA: O = O::new_unwrap("1.2.840.113549.1.7.2");
    pub const TST_INFO: O = O::new_unwrap("1.2.840.113549.1.9.16.1.4");
    pub const CONTENT_TYPE: O = O::new_unwrap("1.2.840.113549.1.9.3");
    pub const MESSAGE_DIGEST: O = O::new_unwrap("1.2.840.113549.1.9.4");
    pub const SIGNING_CERTIFICATE: O = O::new_unwrap("1.2.840.113549.1.9.16.2.12");
    pub const SIGNING_CERTIFICATE_V2: O = O::new_unwrap("1.2.840.113549.1.9.16.2.47");
    pub const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub const RSA_ENCRYPTION: O = O::new_unwrap("1.2.840.113549.1.1.1");
    pub const SHA256_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.13");
    pub const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
    pub const ECDSA_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
    pub const P256: O = O::new_unwrap("1.2.840.10045.3.1.7");
    pub const P384: O = O::new_unwrap("1.3.132.0.34");
    pub const ED25519: O = O::new_unwrap("1.3.101.112");
    pub const KP_TIME_STAMPING: O = O::new_unwrap("1.3.6.1.5.5.7.3.8");
    pub const SUBJECT_KEY_ID: O = O::new_unwrap("2.5.29.14");
    pub const KEY_USAGE: O = O::new_unwrap("2.5.29.15");
    pub const BASIC_CONSTRAINTS: O = O::new_unwrap("2.5.29.19");
    pub const EXT_KEY_USAGE: O = O::new_unwrap("2.5.29.37");
    /// The demonstration TSA's policy: the example policy of OpenSSL's sample configuration.
    pub const DEMO_POLICY: O = O::new_unwrap("1.2.3.4.1");
}

/// Links allowed between the signer certificate and a trusted certificate.
const MAX_CHAIN_LINKS: usize = 4;

/// Why a timestamp token was refused or could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// A part of the token is not the DER the standard describes.
    #[error("timestamp token: {part} is malformed: {source}")]
    Malformed {
        /// Which part (e.g. "TimeStampResp", "TSTInfo", "certificate").
        part: &'static str,
        /// What the DER decoder said.
        source: DerError,
    },
    /// The TSA did not grant the request.
    #[error(
        "timestamp reply: status {status} ({}), failure info {failure_info:?}, text {text:?}",
        status_name(*status)
    )]
    NotGranted {
        /// PKIStatus (0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning,
        /// 5 revocationNotification).
        status: u32,
        /// Names of the PKIFailureInfo bits set (e.g. "badAlg", "badDataFormat").
        failure_info: Vec<&'static str>,
        /// The statusString texts.
        text: Vec<String>,
    },
    /// The reply was granted but carries no token.
    #[error("timestamp reply: granted but no token is included")]
    MissingToken,
    /// The ContentInfo is not id-signedData.
    #[error("timestamp token: content type {found} is not id-signedData")]
    NotSignedData {
        /// Content type found.
        found: ObjectIdentifier,
    },
    /// The encapsulated content is not id-ct-TSTInfo.
    #[error("timestamp token: encapsulated content type {found} is not id-ct-TSTInfo")]
    NotTstInfo {
        /// eContentType found.
        found: ObjectIdentifier,
    },
    /// The SignedData carries no encapsulated TSTInfo.
    #[error("timestamp token: the TSTInfo is missing (detached content)")]
    MissingTstInfo,
    /// TSTInfo version other than 1.
    #[error("timestamp token: TSTInfo version {found} (only 1 is defined)")]
    TstInfoVersion {
        /// Version found.
        found: u64,
    },
    /// genTime is not a GeneralizedTime `YYYYMMDDhhmmss[.f]Z` from 1970 to 9999.
    #[error("timestamp token: genTime {text:?} is not a UTC GeneralizedTime from 1970 to 9999")]
    GenTime {
        /// The time's text, as found.
        text: String,
    },
    /// The TSTInfo has a critical extension this verifier does not know.
    #[error("timestamp token: TSTInfo has a critical extension {oid}")]
    CriticalTstExtension {
        /// The extension.
        oid: ObjectIdentifier,
    },
    /// The message imprint was not made with SHA-256.
    #[error("timestamp token: message imprint uses {found}, not SHA-256")]
    ImprintAlgorithm {
        /// Hash algorithm found.
        found: ObjectIdentifier,
    },
    /// The token is over another digest.
    #[error("timestamp token is over {found}, not {expected}")]
    ImprintMismatch {
        /// The digest asked about.
        expected: Digest32,
        /// The token's hashedMessage, hex.
        found: String,
    },
    /// Not exactly one SignerInfo.
    #[error("timestamp token has {found} signers (exactly one is required)")]
    SignerCount {
        /// SignerInfos found.
        found: usize,
    },
    /// The SignerInfo has no signed attributes.
    #[error("timestamp token: the signer has no signed attributes")]
    NoSignedAttributes,
    /// A required signed attribute is absent, repeated or not single-valued.
    #[error(
        "timestamp token: signed attribute {attribute} is absent, repeated or not single-valued"
    )]
    Attribute {
        /// "content-type", "message-digest" or "signing-certificate".
        attribute: &'static str,
    },
    /// The content-type signed attribute is not id-ct-TSTInfo.
    #[error("timestamp token: content-type attribute {found} is not id-ct-TSTInfo")]
    ContentTypeAttribute {
        /// Value found.
        found: ObjectIdentifier,
    },
    /// The message-digest attribute does not match the TSTInfo.
    #[error("timestamp token: message-digest attribute does not match the TSTInfo")]
    MessageDigestMismatch,
    /// An algorithm this verifier does not implement.
    #[error("timestamp token: {part} uses unsupported algorithm {oid}")]
    UnsupportedAlgorithm {
        /// Where ("digest", "signature", "public key", "curve", "ESS hash").
        part: &'static str,
        /// The algorithm.
        oid: ObjectIdentifier,
    },
    /// No certificate matches the SignerIdentifier.
    #[error("timestamp token: no certificate in the token or the trusted set matches the signer")]
    SignerNotFound,
    /// The signature over the signed attributes does not verify.
    #[error("timestamp token: the signature of {signer} does not verify")]
    BadSignature {
        /// Subject of the signer certificate.
        signer: String,
    },
    /// The signer certificate is not for time-stamping.
    #[error(
        "timestamp token: certificate {subject} is not a time-stamping certificate ({problem})"
    )]
    WrongPurpose {
        /// Subject of the signer certificate.
        subject: String,
        /// What is wrong.
        problem: PurposeProblem,
    },
    /// A certificate is not valid at genTime.
    #[error(
        "timestamp token: certificate {subject} is valid from {not_before} to {not_after}, not at genTime {gen_time}"
    )]
    NotValidAtGenTime {
        /// Subject.
        subject: String,
        /// notBefore (clamped to 1970-9999).
        not_before: Timestamp,
        /// notAfter (clamped to 1970-9999).
        not_after: Timestamp,
        /// The token's genTime.
        gen_time: Timestamp,
    },
    /// The ESS signing-certificate attribute names another certificate.
    #[error("timestamp token: the {attribute} attribute does not identify certificate {subject}")]
    SigningCertificateMismatch {
        /// "signingCertificate" or "signingCertificateV2".
        attribute: &'static str,
        /// Subject of the signer certificate.
        subject: String,
    },
    /// A certificate on the path to a trusted one is not a CA.
    #[error("timestamp token: issuer {subject} is not a CA (basicConstraints cA or keyCertSign)")]
    IssuerNotCa {
        /// Subject of the issuer.
        subject: String,
    },
    /// A certificate's signature does not verify with its issuer's key.
    #[error("timestamp token: the signature on {subject} does not verify with {issuer}'s key")]
    CertificateSignature {
        /// Subject of the certificate.
        subject: String,
        /// Subject of the would-be issuer.
        issuer: String,
    },
    /// No path of at most four links reaches a trusted certificate.
    #[error("timestamp token signed by {signer} does not chain to any trusted certificate")]
    Untrusted {
        /// Subject of the signer certificate.
        signer: String,
    },
    /// A trusted certificate does not parse.
    #[error("trusted certificate {index}: {source}")]
    TrustedCertificate {
        /// Position in the trusted list.
        index: usize,
        /// What the DER decoder said.
        source: DerError,
    },
    /// Certificate file holds no certificate, or PEM that does not decode.
    #[error("certificate file: {source}")]
    CertificateFile {
        /// What the PEM or DER decoder said.
        source: DerError,
    },
    /// Certificate file has no certificate at all.
    #[error("certificate file holds no certificate")]
    NoCertificate,
    /// The demonstration TSA could not read the request.
    #[error("timestamp request: {source}")]
    Request {
        /// What the DER decoder said.
        source: DerError,
    },
    /// The demonstration TSA could not make a key.
    #[error("demonstration TSA: {0}")]
    Random(crate::OsRandomError),
    /// The demonstration TSA could not sign.
    #[error("demonstration TSA: signing failed")]
    Signing,
}

/// What makes a certificate unfit to sign timestamps (RFC 3161 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurposeProblem {
    /// No extendedKeyUsage extension.
    #[error("no extendedKeyUsage")]
    NoExtendedKeyUsage,
    /// extendedKeyUsage is not marked critical.
    #[error("extendedKeyUsage is not critical")]
    NotCritical,
    /// extendedKeyUsage does not list id-kp-timeStamping.
    #[error("extendedKeyUsage lacks id-kp-timeStamping")]
    NotTimeStamping,
    /// extendedKeyUsage lists purposes besides id-kp-timeStamping.
    #[error("extendedKeyUsage lists other purposes besides id-kp-timeStamping")]
    OtherPurposes,
    /// keyUsage allows neither digitalSignature nor nonRepudiation.
    #[error("keyUsage allows neither digitalSignature nor nonRepudiation")]
    KeyUsage,
}

fn status_name(status: u32) -> &'static str {
    match status {
        0 => "granted",
        1 => "grantedWithMods",
        2 => "rejection",
        3 => "waiting",
        4 => "revocationWarning",
        5 => "revocationNotification",
        _ => "unknown",
    }
}

const FAILURE_NAMES: [(usize, &str); 8] = [
    (0, "badAlg"),
    (2, "badRequest"),
    (5, "badDataFormat"),
    (14, "timeNotAvailable"),
    (15, "unacceptedPolicy"),
    (16, "unacceptedExtension"),
    (17, "addInfoNotAvailable"),
    (25, "systemFailure"),
];

/// What the DER (or PEM) decoder found wrong: where, and in its words.
///
/// Kept apart from the decoder's own error type so that the library's errors hold no type of
/// another crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
#[non_exhaustive]
pub struct DerError {
    /// The byte offset where decoding stopped, when the decoder knows it.
    pub position: Option<u64>,
    /// The decoder's description (with the position, when known).
    pub detail: String,
}

impl From<der::Error> for DerError {
    fn from(e: der::Error) -> Self {
        DerError {
            position: e.position().map(|p| u64::from(u32::from(p))),
            detail: e.to_string(),
        }
    }
}

fn malformed(part: &'static str) -> impl FnOnce(der::Error) -> TokenError {
    move |source| TokenError::Malformed {
        part,
        source: source.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// ASN.1 types of RFC 3161 and RFC 5035 (ESS), declared with the `der` derive.

/// MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
#[derive(Clone, Debug, Sequence)]
struct MessageImprint {
    hash_algorithm: AlgorithmIdentifierOwned,
    hashed_message: OctetString,
}

/// TimeStampReq (RFC 3161 §2.4.1).
#[derive(Clone, Debug, Sequence)]
struct TimeStampReq {
    version: u8,
    message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    nonce: Option<Uint>,
    #[asn1(default = "Default::default")]
    cert_req: bool,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

/// PKIStatusInfo (RFC 3161 §2.4.2).
#[derive(Clone, Debug, Sequence)]
struct PkiStatusInfo {
    status: u32,
    #[asn1(optional = "true")]
    status_string: Option<Vec<String>>,
    #[asn1(optional = "true")]
    fail_info: Option<BitString>,
}

/// TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }
#[derive(Clone, Debug, Sequence)]
struct TimeStampResp {
    status: PkiStatusInfo,
    #[asn1(optional = "true")]
    token: Option<ContentInfo>,
}

/// Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] .., micros [1] .. }
#[derive(Clone, Debug, Sequence)]
struct Accuracy {
    #[asn1(optional = "true")]
    seconds: Option<u64>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    micros: Option<u16>,
}

/// TSTInfo (RFC 3161 §2.4.2); genTime is kept as its raw TLV so that fractions can be read.
#[derive(Clone, Debug, Sequence)]
struct TstInfo {
    version: u64,
    policy: ObjectIdentifier,
    message_imprint: MessageImprint,
    serial_number: Uint,
    gen_time: Any,
    #[asn1(optional = "true")]
    accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    ordering: bool,
    #[asn1(optional = "true")]
    nonce: Option<Uint>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    extensions: Option<Extensions>,
}

/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// ESSCertID ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }
#[derive(Clone, Debug, Sequence)]
struct EssCertId {
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// SigningCertificate ::= SEQUENCE { certs SEQUENCE OF ESSCertID, policies .. OPTIONAL }
#[derive(Clone, Debug, Sequence)]
struct SigningCertificate {
    certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    policies: Option<Vec<Any>>,
}

/// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies .. OPTIONAL }
#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Vec<Any>>,
}

// ---------------------------------------------------------------------------------------------
// Request.

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oid::SHA256,
        parameters: None,
    }
}

/// The DER TimeStampReq to send a TSA: version 1, SHA-256 imprint, certReq TRUE, the nonce.
///
/// The nonce lets the requester match the reply to this request; [`Token::nonce_u64`] reads
/// it back.
///
/// ```
/// use double_random::{ceremony::timestamp, Digest32};
/// let req = timestamp::request(&Digest32::of(b"x"), 7);
/// assert_eq!(req[0], 0x30); // a DER SEQUENCE
/// ```
pub fn request(imprint: &Digest32, nonce: u64) -> Vec<u8> {
    let req = TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: sha256_algorithm(),
            hashed_message: OctetString::new(imprint.0.to_vec()).expect("32 bytes fit"),
        },
        req_policy: None,
        nonce: Some(Uint::new(&nonce.to_be_bytes()).expect("8 bytes fit")),
        cert_req: true,
        extensions: None,
    };
    req.to_der().expect("a fixed-size request encodes")
}

// ---------------------------------------------------------------------------------------------
// Parse.

/// What a timestamp token says, read without checking its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Token {
    /// genTime, truncated to the second.
    pub gen_time: Timestamp,
    /// The hashedMessage, when the imprint is SHA-256; see [`Token::imprint_algorithm`].
    pub imprint: Option<Digest32>,
    /// The messageImprint's hash algorithm, dotted.
    pub imprint_algorithm: String,
    /// The nonce, big-endian without leading zeros, if the TSA echoed one.
    pub nonce: Option<Vec<u8>>,
    /// The TSA's policy, dotted.
    pub policy: String,
    /// The token's serial number, lower-case hex without leading zero bytes.
    pub serial: String,
    /// Subject (RFC 4514) of the certificate the SignerIdentifier names, when it is in the
    /// token.
    pub signer: Option<String>,
}

impl Token {
    /// The nonce as a `u64`, if present and small enough.
    pub fn nonce_u64(&self) -> Option<u64> {
        let n = self.nonce.as_ref()?;
        (n.len() <= 8).then(|| n.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)))
    }
}

/// A token taken apart, with the raw bytes that the signature checks need.
struct Decoded {
    signed: SignedData,
    tst_der: Vec<u8>,
    tst: TstInfo,
    gen_time: Timestamp,
    /// Certificates carried in the token, each as its own DER.
    certs: Vec<Vec<u8>>,
    /// The first SignerInfo's signed attributes as received, re-tagged as SET OF (0x31).
    signed_attrs_der: Option<Vec<u8>>,
}

/// Reads a DER TimeStampResp (status granted or grantedWithMods) or a bare TimeStampToken.
///
/// Checks the structure only (step 1 of [`verify`]): nothing is trusted yet.
///
/// ```
/// use double_random::ceremony::timestamp::{parse, TokenError};
/// assert!(matches!(parse(b"not DER"), Err(TokenError::Malformed { .. })));
/// ```
pub fn parse(bytes: &[u8]) -> Result<Token, TokenError> {
    let d = decode(bytes)?;
    let imprint_algorithm = d.tst.message_imprint.hash_algorithm.oid;
    let hashed = d.tst.message_imprint.hashed_message.as_bytes();
    let imprint = (imprint_algorithm == oid::SHA256)
        .then(|| <[u8; 32]>::try_from(hashed).ok().map(Digest32))
        .flatten();
    let signer = d.signed.signer_infos.0.iter().next().and_then(|si| {
        d.certs
            .iter()
            .filter_map(|c| Certificate::from_der(c).ok())
            .find(|c| identifies(&si.sid, c))
            .map(|c| c.tbs_certificate().subject().to_string())
    });
    Ok(Token {
        gen_time: d.gen_time,
        imprint,
        imprint_algorithm: imprint_algorithm.to_string(),
        nonce: d.tst.nonce.as_ref().map(|n| n.as_bytes().to_vec()),
        policy: d.tst.policy.to_string(),
        serial: hex::encode(d.tst.serial_number.as_bytes()),
        signer,
    })
}

fn decode(bytes: &[u8]) -> Result<Decoded, TokenError> {
    // A TimeStampResp starts with a SEQUENCE (PKIStatusInfo); a ContentInfo with an OID.
    let outer = AnyRef::from_der(bytes).map_err(malformed("timestamp token"))?;
    if outer.tag() != Tag::Sequence {
        return Err(TokenError::Malformed {
            part: "timestamp token",
            source: der::Error::from(der::ErrorKind::TagUnexpected {
                expected: Some(Tag::Sequence),
                actual: outer.tag(),
            })
            .into(),
        });
    }
    let first_tag =
        AnyRef::from_der(first_tlv(outer.value()).map_err(malformed("timestamp token"))?)
            .map_err(malformed("timestamp token"))?
            .tag();
    let info = if first_tag == Tag::Sequence {
        let resp = TimeStampResp::from_der(bytes).map_err(malformed("TimeStampResp"))?;
        let status = resp.status.status;
        if status > 1 {
            let failure_info = resp
                .status
                .fail_info
                .as_ref()
                .map(|b| {
                    let bits: Vec<bool> = b.bits().collect();
                    FAILURE_NAMES
                        .iter()
                        .filter(|(i, _)| bits.get(*i).copied().unwrap_or(false))
                        .map(|(_, n)| *n)
                        .collect()
                })
                .unwrap_or_default();
            return Err(TokenError::NotGranted {
                status,
                failure_info,
                text: resp.status.status_string.unwrap_or_default(),
            });
        }
        resp.token.ok_or(TokenError::MissingToken)?
    } else {
        ContentInfo::from_der(bytes).map_err(malformed("ContentInfo"))?
    };
    if info.content_type != oid::SIGNED_DATA {
        return Err(TokenError::NotSignedData {
            found: info.content_type,
        });
    }
    let sd_der = info.content.to_der().map_err(malformed("SignedData"))?;
    let signed = SignedData::from_der(&sd_der).map_err(malformed("SignedData"))?;
    let encap = &signed.encap_content_info;
    if encap.econtent_type != oid::TST_INFO {
        return Err(TokenError::NotTstInfo {
            found: encap.econtent_type,
        });
    }
    let econtent = encap.econtent.as_ref().ok_or(TokenError::MissingTstInfo)?;
    if econtent.tag() != Tag::OctetString {
        return Err(TokenError::Malformed {
            part: "eContent",
            source: der::Error::from(der::ErrorKind::TagUnexpected {
                expected: Some(Tag::OctetString),
                actual: econtent.tag(),
            })
            .into(),
        });
    }
    let tst_der = econtent.value().to_vec();
    let tst = TstInfo::from_der(&tst_der).map_err(malformed("TSTInfo"))?;
    if tst.version != 1 {
        return Err(TokenError::TstInfoVersion { found: tst.version });
    }
    let gen_time = gen_time(&tst.gen_time)?;
    if let Some(ext) = tst
        .extensions
        .iter()
        .flatten()
        .find(|e: &&Extension| e.critical)
    {
        return Err(TokenError::CriticalTstExtension { oid: ext.extn_id });
    }
    let (certs, signed_attrs_der) =
        raw_parts(info.content.value()).map_err(malformed("SignedData"))?;
    Ok(Decoded {
        signed,
        tst_der,
        tst,
        gen_time,
        certs,
        signed_attrs_der,
    })
}

/// The first TLV inside a constructed value.
fn first_tlv(value: &[u8]) -> der::Result<&[u8]> {
    let mut r = SliceReader::new(value)?;
    let start = r.position();
    let _ = r.tlv_bytes()?;
    let end = r.position();
    let (s, e) = (usize::try_from(start)?, usize::try_from(end)?);
    value.get(s..e).ok_or_else(|| {
        der::ErrorKind::Incomplete {
            expected_len: end,
            actual_len: Default::default(),
        }
        .into()
    })
}

/// The elements of a constructed value, each as its raw TLV.
fn elements(value: &[u8]) -> der::Result<Vec<AnyRef<'_>>> {
    let mut r = SliceReader::new(value)?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(AnyRef::decode(&mut r)?);
    }
    Ok(out)
}

/// Carried certificates' DER, and the first signer's signed attributes' DER.
type RawParts = (Vec<Vec<u8>>, Option<Vec<u8>>);

/// From the SignedData's content octets: each carried certificate's DER, and the first
/// SignerInfo's signed attributes exactly as received but tagged SET OF, which is what the
/// signature covers (RFC 5652 §5.4). Taking the bytes, not re-encoding parsed values, keeps
/// the check exact even where a decoder would sort a SET OF.
fn raw_parts(sd_value: &[u8]) -> der::Result<RawParts> {
    let items = elements(sd_value)?;
    let cert_tag = Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber(0),
    };
    let mut certs = Vec::new();
    for item in items.iter().filter(|a| a.tag() == cert_tag) {
        for c in elements(item.value())? {
            certs.push(c.to_der()?);
        }
    }
    let mut attrs = None;
    if let Some(infos) = items.last()
        && let Some(first) = elements(infos.value())?.first()
        && let Some(a) = elements(first.value())?
            .get(3)
            .filter(|a| a.tag() == cert_tag)
    {
        let mut out = Header::new(Tag::Set, a.value().len().try_into()?).to_der()?;
        out.extend_from_slice(a.value());
        attrs = Some(out);
    }
    Ok((certs, attrs))
}

/// genTime: `YYYYMMDDhhmmss[.f+]Z`, read to the second (any fraction is dropped).
fn gen_time(any: &Any) -> Result<Timestamp, TokenError> {
    let raw = any.value();
    let text = String::from_utf8_lossy(raw).into_owned();
    let bad = || TokenError::GenTime { text: text.clone() };
    if any.tag() != Tag::GeneralizedTime || raw.len() < 15 || raw.last() != Some(&b'Z') {
        return Err(bad());
    }
    let digits = &raw[..14];
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(bad());
    }
    let rest = &raw[14..raw.len() - 1];
    if !rest.is_empty() {
        // DER: a fraction has at least one digit and no trailing zero.
        let ok = rest.len() >= 2
            && rest[0] == b'.'
            && rest[1..].iter().all(u8::is_ascii_digit)
            && rest.last() != Some(&b'0');
        if !ok {
            return Err(bad());
        }
    }
    let n = |r: std::ops::Range<usize>| -> u32 {
        digits[r]
            .iter()
            .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'))
    };
    let month = u8::try_from(n(4..6))
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let date =
        time::Date::from_calendar_date(n(0..4) as i32, month, n(6..8) as u8).map_err(|_| bad())?;
    let t = time::Time::from_hms(n(8..10) as u8, n(10..12) as u8, n(12..14) as u8)
        .map_err(|_| bad())?;
    let secs = time::PrimitiveDateTime::new(date, t)
        .assume_utc()
        .unix_timestamp();
    u64::try_from(secs)
        .ok()
        .and_then(Timestamp::from_unix)
        .ok_or_else(bad)
}

// ---------------------------------------------------------------------------------------------
// Verify.

/// What a verified token proves: the time, who signed it, and which trusted certificate
/// vouched for the signer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// genTime, truncated to the second.
    pub gen_time: Timestamp,
    /// Subject of the signer certificate (RFC 4514).
    pub signer: String,
    /// Subject of the trusted certificate the chain reached (the signer's own when it is
    /// trusted itself).
    pub anchor: String,
}

/// A certificate with the DER it came from.
struct Cert {
    der: Vec<u8>,
    cert: Certificate,
}

impl Cert {
    fn parse(der: &[u8]) -> der::Result<Cert> {
        Ok(Cert {
            der: der.to_vec(),
            cert: Certificate::from_der(der)?,
        })
    }
    fn subject(&self) -> String {
        self.cert.tbs_certificate().subject().to_string()
    }
    /// The tbsCertificate exactly as received.
    fn tbs_der(&self) -> der::Result<Vec<u8>> {
        let outer = AnyRef::from_der(&self.der)?;
        Ok(first_tlv(outer.value())?.to_vec())
    }
}

/// Checks a timestamp token over `imprint` against the DER certificates in `trusted`.
///
/// The checks, in order, each with its own [`TokenError`]: the structure; the SHA-256
/// imprint; one SignerInfo whose content-type and message-digest attributes match; the
/// signature with the signer certificate's key; the certificate's time-stamping purpose and
/// validity at genTime; the ESS signing-certificate attribute; a chain of at most four links
/// to a certificate in `trusted`. `docs/timestamp-notes.md` states each precisely.
///
/// ```
/// use double_random::ceremony::timestamp::{verify, TokenError};
/// use double_random::Digest32;
/// assert!(matches!(verify(&[], &Digest32::of(b""), &[]), Err(TokenError::Malformed { .. })));
/// ```
pub fn verify(
    token: &[u8],
    imprint: &Digest32,
    trusted: &[Vec<u8>],
) -> Result<Verified, TokenError> {
    // 1. Structure.
    let d = decode(token)?;
    // 2. Message imprint.
    let mi = &d.tst.message_imprint;
    if mi.hash_algorithm.oid != oid::SHA256 || !null_or_absent(&mi.hash_algorithm) {
        return Err(TokenError::ImprintAlgorithm {
            found: mi.hash_algorithm.oid,
        });
    }
    if mi.hashed_message.as_bytes() != imprint.0 {
        return Err(TokenError::ImprintMismatch {
            expected: *imprint,
            found: hex::encode(mi.hashed_message.as_bytes()),
        });
    }
    // 3. The signer and its signed attributes.
    let infos = &d.signed.signer_infos.0;
    if infos.len() != 1 {
        return Err(TokenError::SignerCount { found: infos.len() });
    }
    let si = infos
        .iter()
        .next()
        .ok_or(TokenError::SignerCount { found: 0 })?;
    let attrs = si
        .signed_attrs
        .as_ref()
        .ok_or(TokenError::NoSignedAttributes)?;
    let attrs_der = d
        .signed_attrs_der
        .as_ref()
        .ok_or(TokenError::NoSignedAttributes)?;
    let content_type = single_attribute(attrs, oid::CONTENT_TYPE, "content-type")?
        .ok_or(TokenError::Attribute {
            attribute: "content-type",
        })?
        .decode_as::<ObjectIdentifier>()
        .map_err(malformed("content-type attribute"))?;
    if content_type != oid::TST_INFO {
        return Err(TokenError::ContentTypeAttribute {
            found: content_type,
        });
    }
    let md = single_attribute(attrs, oid::MESSAGE_DIGEST, "message-digest")?
        .ok_or(TokenError::Attribute {
            attribute: "message-digest",
        })?
        .decode_as::<OctetString>()
        .map_err(malformed("message-digest attribute"))?;
    let digest_alg = Hash::from_digest_algorithm(&si.digest_alg)?;
    if digest_alg.digest(&d.tst_der) != md.as_bytes() {
        return Err(TokenError::MessageDigestMismatch);
    }
    // The signer certificate: among the token's certificates, then the trusted ones.
    let carried: Vec<Cert> = d
        .certs
        .iter()
        .map(|c| Cert::parse(c))
        .collect::<Result<_, _>>()
        .map_err(malformed("certificate"))?;
    let anchors: Vec<Cert> = trusted
        .iter()
        .enumerate()
        .map(|(index, c)| {
            Cert::parse(c).map_err(|source| TokenError::TrustedCertificate {
                index,
                source: source.into(),
            })
        })
        .collect::<Result<_, _>>()?;
    let signer = carried
        .iter()
        .chain(anchors.iter())
        .find(|c| identifies(&si.sid, &c.cert))
        .ok_or(TokenError::SignerNotFound)?;
    let signer_subject = signer.subject();
    let ok = verify_signature(
        &signer
            .cert
            .tbs_certificate()
            .subject_public_key_info()
            .clone(),
        &si.signature_algorithm,
        Some(digest_alg),
        attrs_der,
        si.signature.as_bytes(),
    )?;
    if !ok {
        return Err(TokenError::BadSignature {
            signer: signer_subject,
        });
    }
    // 4. The signer certificate.
    check_purpose(&signer.cert).map_err(|problem| TokenError::WrongPurpose {
        subject: signer_subject.clone(),
        problem,
    })?;
    check_validity(&signer.cert, d.gen_time)?;
    check_ess(attrs, signer)?;
    // 5. The chain.
    let anchor = chain(signer, &carried, &anchors, d.gen_time)?;
    Ok(Verified {
        gen_time: d.gen_time,
        signer: signer_subject,
        anchor,
    })
}

fn null_or_absent(alg: &AlgorithmIdentifierOwned) -> bool {
    match &alg.parameters {
        None => true,
        Some(p) => p.tag() == Tag::Null && p.value().is_empty(),
    }
}

/// The one value of the one attribute `oid`; `None` when absent; an error when repeated or
/// not single-valued.
fn single_attribute<'a>(
    attrs: &'a SetOfVec<Attribute>,
    oid: ObjectIdentifier,
    attribute: &'static str,
) -> Result<Option<&'a Any>, TokenError> {
    let mut found = attrs.iter().filter(|a| a.oid == oid);
    let Some(first) = found.next() else {
        return Ok(None);
    };
    if found.next().is_some() || first.values.len() != 1 {
        return Err(TokenError::Attribute { attribute });
    }
    Ok(first.values.iter().next())
}

/// Whether `sid` names `cert`.
fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == *tbs.issuer()
                && isn.serial_number.as_bytes() == tbs.serial_number().as_bytes()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
            .extensions()
            .into_iter()
            .flatten()
            .find(|e| e.extn_id == oid::SUBJECT_KEY_ID)
            .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
            .is_some_and(|v| v.as_bytes() == ski.0.as_bytes()),
    }
}

/// The hash functions this verifier computes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_digest_algorithm(alg: &AlgorithmIdentifierOwned) -> Result<Hash, TokenError> {
        let unsupported = TokenError::UnsupportedAlgorithm {
            part: "digest",
            oid: alg.oid,
        };
        if !null_or_absent(alg) {
            return Err(unsupported);
        }
        match alg.oid {
            oid::SHA256 => Ok(Hash::Sha256),
            oid::SHA384 => Ok(Hash::Sha384),
            oid::SHA512 => Ok(Hash::Sha512),
            _ => Err(unsupported),
        }
    }
    fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Hash::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Hash::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }
}

/// Verifies `signature` over `message` with the key in `spki`.
///
/// `signature_algorithm` is either a combined one (sha256WithRSAEncryption, ecdsa-with-SHA256,
/// Ed25519, …), whose hash is used, or a bare key algorithm (rsaEncryption, id-ecPublicKey)
/// as some CMS signers write, in which case `digest` (the SignerInfo's digestAlgorithm) names
/// the hash. Returns `Ok(false)` for a signature that does not verify.
fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    signature_algorithm: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, TokenError> {
    let unsupported = |part, oid| TokenError::UnsupportedAlgorithm { part, oid };
    let sig_oid = signature_algorithm.oid;
    let (family, hash) = match sig_oid {
        oid::SHA256_WITH_RSA => (oid::RSA_ENCRYPTION, Some(Hash::Sha256)),
        oid::SHA384_WITH_RSA => (oid::RSA_ENCRYPTION, Some(Hash::Sha384)),
        oid::SHA512_WITH_RSA => (oid::RSA_ENCRYPTION, Some(Hash::Sha512)),
        oid::RSA_ENCRYPTION => (oid::RSA_ENCRYPTION, digest),
        oid::ECDSA_SHA256 => (oid::EC_PUBLIC_KEY, Some(Hash::Sha256)),
        oid::ECDSA_SHA384 => (oid::EC_PUBLIC_KEY, Some(Hash::Sha384)),
        oid::ECDSA_SHA512 => (oid::EC_PUBLIC_KEY, Some(Hash::Sha512)),
        oid::EC_PUBLIC_KEY => (oid::EC_PUBLIC_KEY, digest),
        oid::ED25519 => (oid::ED25519, None),
        other => return Err(unsupported("signature", other)),
    };
    if spki.algorithm.oid != family {
        return Err(unsupported("public key", spki.algorithm.oid));
    }
    let key = spki.subject_public_key.raw_bytes();
    match family {
        oid::RSA_ENCRYPTION => {
            let hash = hash.ok_or(unsupported("signature", sig_oid))?;
            let spki_der = spki.to_der().map_err(malformed("public key"))?;
            let spki_ref = spki::SubjectPublicKeyInfoRef::from_der(&spki_der)
                .map_err(malformed("public key"))?;
            let public = rsa::PublicKey::try_from(spki_ref)
                .map_err(|_| unsupported("public key", spki.algorithm.oid))?;
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return Ok(false);
            };
            use rsa::signature::Verifier;
            Ok(match hash {
                Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(public)
                    .verify(message, &sig)
                    .is_ok(),
                Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(public)
                    .verify(message, &sig)
                    .is_ok(),
                Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(public)
                    .verify(message, &sig)
                    .is_ok(),
            })
        }
        oid::EC_PUBLIC_KEY => {
            let hash = hash.ok_or(unsupported("signature", sig_oid))?;
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                .ok_or(unsupported("curve", spki.algorithm.oid))?;
            let prehash = hash.digest(message);
            use p256::ecdsa::signature::hazmat::PrehashVerifier;
            match curve {
                oid::P256 => {
                    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .map_err(|_| unsupported("public key", curve))?;
                    let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                        return Ok(false);
                    };
                    Ok(vk.verify_prehash(&prehash, &sig).is_ok())
                }
                oid::P384 => {
                    let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                        .map_err(|_| unsupported("public key", curve))?;
                    let Ok(sig) = p384::ecdsa::Signature::from_der(signature) else {
                        return Ok(false);
                    };
                    Ok(vk.verify_prehash(&prehash, &sig).is_ok())
                }
                other => Err(unsupported("curve", other)),
            }
        }
        _ => {
            // Ed25519 (RFC 8410 keys, RFC 8419 signatures): no parameters, pure signature.
            if signature_algorithm.parameters.is_some() {
                return Err(unsupported("signature", sig_oid));
            }
            let key: [u8; 32] = key
                .try_into()
                .map_err(|_| unsupported("public key", spki.algorithm.oid))?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&key)
                .map_err(|_| unsupported("public key", spki.algorithm.oid))?;
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return Ok(false);
            };
            Ok(vk.verify_strict(message, &sig).is_ok())
        }
    }
}

/// The certificate's extensions (none when it has no extension field).
fn extensions(cert: &Certificate) -> Vec<&Extension> {
    cert.tbs_certificate()
        .extensions()
        .into_iter()
        .flatten()
        .collect()
}

/// RFC 3161 §2.3: extendedKeyUsage present, critical, and id-kp-timeStamping its only
/// purpose; keyUsage, if present, allows digitalSignature or nonRepudiation.
fn check_purpose(cert: &Certificate) -> Result<(), PurposeProblem> {
    let exts = extensions(cert);
    let eku = exts
        .iter()
        .find(|e| e.extn_id == oid::EXT_KEY_USAGE)
        .ok_or(PurposeProblem::NoExtendedKeyUsage)?;
    let purposes = ExtendedKeyUsage::from_der(eku.extn_value.as_bytes())
        .map_err(|_| PurposeProblem::NotTimeStamping)?;
    if !purposes.0.contains(&oid::KP_TIME_STAMPING) {
        return Err(PurposeProblem::NotTimeStamping);
    }
    if purposes.0.iter().any(|p| *p != oid::KP_TIME_STAMPING) {
        return Err(PurposeProblem::OtherPurposes);
    }
    if !eku.critical {
        return Err(PurposeProblem::NotCritical);
    }
    if let Some(ku) = exts.iter().find(|e| e.extn_id == oid::KEY_USAGE) {
        let ku =
            KeyUsage::from_der(ku.extn_value.as_bytes()).map_err(|_| PurposeProblem::KeyUsage)?;
        if !ku.digital_signature() && !ku.non_repudiation() {
            return Err(PurposeProblem::KeyUsage);
        }
    }
    Ok(())
}

fn check_validity(cert: &Certificate, gen_time: Timestamp) -> Result<(), TokenError> {
    let v = cert.tbs_certificate().validity();
    let nb = v.not_before.to_unix_duration().as_secs();
    let na = v.not_after.to_unix_duration().as_secs();
    let t = gen_time.unix();
    if nb <= t && t <= na {
        return Ok(());
    }
    let clamp = |s: u64| Timestamp::from_unix(s.min(253_402_300_799)).unwrap_or(gen_time);
    Err(TokenError::NotValidAtGenTime {
        subject: cert.tbs_certificate().subject().to_string(),
        not_before: clamp(nb),
        not_after: clamp(na),
        gen_time,
    })
}

/// RFC 2634 / RFC 5035 ESS: the first ESSCertID of signingCertificate (SHA-1) and of
/// signingCertificateV2 (its hash, SHA-256 by default) must be the signer certificate's hash,
/// and its issuerSerial, if present, the certificate's issuer and serial. At least one of the
/// two attributes must be present; each present one must match.
fn check_ess(attrs: &SetOfVec<Attribute>, signer: &Cert) -> Result<(), TokenError> {
    let subject = signer.subject();
    let mismatch = |attribute| TokenError::SigningCertificateMismatch {
        attribute,
        subject: subject.clone(),
    };
    let v1 = single_attribute(attrs, oid::SIGNING_CERTIFICATE, "signing-certificate")?;
    let v2 = single_attribute(attrs, oid::SIGNING_CERTIFICATE_V2, "signing-certificate")?;
    if v1.is_none() && v2.is_none() {
        return Err(TokenError::Attribute {
            attribute: "signing-certificate",
        });
    }
    if let Some(v) = v1 {
        let sc: SigningCertificate = v
            .decode_as()
            .map_err(malformed("signingCertificate attribute"))?;
        let id = sc
            .certs
            .first()
            .ok_or_else(|| mismatch("signingCertificate"))?;
        let hash = sha1::Sha1::digest(&signer.der);
        if id.cert_hash.as_bytes() != hash.as_slice()
            || !issuer_serial_matches(id.issuer_serial.as_ref(), &signer.cert)
        {
            return Err(mismatch("signingCertificate"));
        }
    }
    if let Some(v) = v2 {
        let sc: SigningCertificateV2 = v
            .decode_as()
            .map_err(malformed("signingCertificateV2 attribute"))?;
        let id = sc
            .certs
            .first()
            .ok_or_else(|| mismatch("signingCertificateV2"))?;
        let hash = match &id.hash_algorithm {
            None => Hash::Sha256,
            Some(alg) => {
                Hash::from_digest_algorithm(alg).map_err(|_| TokenError::UnsupportedAlgorithm {
                    part: "ESS hash",
                    oid: alg.oid,
                })?
            }
        };
        if id.cert_hash.as_bytes() != hash.digest(&signer.der)
            || !issuer_serial_matches(id.issuer_serial.as_ref(), &signer.cert)
        {
            return Err(mismatch("signingCertificateV2"));
        }
    }
    Ok(())
}

fn issuer_serial_matches(is: Option<&IssuerSerial>, cert: &Certificate) -> bool {
    let Some(is) = is else { return true };
    let tbs = cert.tbs_certificate();
    is.serial_number.as_bytes() == tbs.serial_number().as_bytes()
        && is
            .issuer
            .iter()
            .any(|g| matches!(g, GeneralName::DirectoryName(n) if n == tbs.issuer()))
}

/// Whether `cert` may issue certificates: basicConstraints cA TRUE and, if keyUsage is
/// present, keyCertSign.
fn is_ca(cert: &Certificate) -> bool {
    let exts = extensions(cert);
    let ca = exts
        .iter()
        .find(|e| e.extn_id == oid::BASIC_CONSTRAINTS)
        .and_then(|e| BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca);
    let ku = exts
        .iter()
        .find(|e| e.extn_id == oid::KEY_USAGE)
        .map(|e| {
            KeyUsage::from_der(e.extn_value.as_bytes())
                .map(|k| k.key_cert_sign())
                .unwrap_or(false)
        })
        .unwrap_or(true);
    ca && ku
}

/// Whether `issuer`'s key verifies `cert`'s signature over its tbsCertificate as received.
fn signed_by(cert: &Cert, issuer: &Cert) -> Result<bool, TokenError> {
    let tbs = cert.tbs_der().map_err(malformed("certificate"))?;
    let Some(sig) = cert.cert.signature().as_bytes() else {
        return Ok(false);
    };
    verify_signature(
        issuer.cert.tbs_certificate().subject_public_key_info(),
        cert.cert.signature_algorithm(),
        None,
        &tbs,
        sig,
    )
}

/// Finds a path from `signer` to a trusted certificate; returns the anchor's subject.
fn chain(
    signer: &Cert,
    carried: &[Cert],
    anchors: &[Cert],
    gen_time: Timestamp,
) -> Result<String, TokenError> {
    if anchors.iter().any(|a| a.der == signer.der) {
        return Ok(signer.subject());
    }
    let mut specific = None;
    let found = walk(signer, carried, anchors, gen_time, 1, &mut specific)?;
    found.ok_or_else(|| {
        specific.unwrap_or(TokenError::Untrusted {
            signer: signer.subject(),
        })
    })
}

/// Depth-first search for an issuer of `cert`; `links` counts the link being looked for.
/// Issuers that name themselves right but fail a check are kept in `specific`, reported when
/// no path succeeds.
fn walk(
    cert: &Cert,
    carried: &[Cert],
    anchors: &[Cert],
    gen_time: Timestamp,
    links: usize,
    specific: &mut Option<TokenError>,
) -> Result<Option<String>, TokenError> {
    if links > MAX_CHAIN_LINKS {
        return Ok(None);
    }
    let issuer_name = cert.cert.tbs_certificate().issuer();
    let candidates = anchors
        .iter()
        .map(|c| (c, true))
        .chain(carried.iter().map(|c| (c, false)));
    for (issuer, trusted) in candidates {
        if issuer.der == cert.der || issuer.cert.tbs_certificate().subject() != issuer_name {
            continue;
        }
        let verdict = (|| {
            if !signed_by(cert, issuer)? {
                return Err(TokenError::CertificateSignature {
                    subject: cert.subject(),
                    issuer: issuer.subject(),
                });
            }
            if !is_ca(&issuer.cert) {
                return Err(TokenError::IssuerNotCa {
                    subject: issuer.subject(),
                });
            }
            check_validity(&issuer.cert, gen_time)
        })();
        match verdict {
            Err(TokenError::UnsupportedAlgorithm { .. }) | Err(TokenError::Malformed { .. })
                if specific.is_some() => {}
            Err(e) => {
                specific.get_or_insert(e);
            }
            Ok(()) if trusted => return Ok(Some(issuer.subject())),
            Ok(()) => {
                if let Some(a) = walk(issuer, carried, anchors, gen_time, links + 1, specific)? {
                    return Ok(Some(a));
                }
            }
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// Certificates from files.

/// Reads certificates from PEM (one or more `CERTIFICATE` blocks) or one DER certificate.
///
/// Each certificate is returned as DER, checked to parse.
///
/// ```
/// use double_random::ceremony::timestamp::{read_certificates, DemoTsa};
/// let tsa = DemoTsa::from_seed([1; 32]).unwrap();
/// let pem = tsa.certificate_pem();
/// assert_eq!(read_certificates(pem.as_bytes()).unwrap(), vec![tsa.certificate_der()]);
/// assert_eq!(read_certificates(&tsa.certificate_der()).unwrap().len(), 1);
/// ```
pub fn read_certificates(pem_or_der: &[u8]) -> Result<Vec<Vec<u8>>, TokenError> {
    let text = std::str::from_utf8(pem_or_der).ok();
    let certs = if text.is_some_and(|t| t.contains("-----BEGIN")) {
        let certs = Certificate::load_pem_chain(pem_or_der).map_err(|source| {
            TokenError::CertificateFile {
                source: source.into(),
            }
        })?;
        certs
            .iter()
            .map(|c| c.to_der())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| TokenError::CertificateFile {
                source: source.into(),
            })?
    } else {
        Certificate::from_der(pem_or_der).map_err(|source| TokenError::CertificateFile {
            source: source.into(),
        })?;
        vec![pem_or_der.to_vec()]
    };
    if certs.is_empty() {
        return Err(TokenError::NoCertificate);
    }
    Ok(certs)
}

// ---------------------------------------------------------------------------------------------
// The demonstration TSA.

/// A demonstration time-stamping authority: a self-signed ECDSA P-256 certificate and its key.
///
/// It signs whatever time it is given, so its tokens prove nothing about time: it exists for
/// tests, examples and trying the ceremony without a real TSA. Its certificate's subject says
/// so. Signatures are deterministic (RFC 6979), so [`DemoTsa::from_seed`] gives the same
/// certificate and the same tokens every time. Its certificate is valid from 2000-01-01 to
/// 9999-12-31 (a time outside that fails verification).
pub struct DemoTsa {
    key: p256::ecdsa::SigningKey,
    cert_der: Vec<u8>,
    cert: Certificate,
}

impl std::fmt::Debug for DemoTsa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoTsa")
            .field(
                "subject",
                &self.cert.tbs_certificate().subject().to_string(),
            )
            .finish_non_exhaustive()
    }
}

/// The demonstration TSA's common name.
pub const DEMO_TSA_NAME: &str = "double-random DEMONSTRATION TSA - not an authority";

/// tbsCertificate as the demonstration TSA writes it.
#[derive(Sequence)]
struct TbsOut {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: x509_cert::certificate::Version,
    serial_number: SerialNumber,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: ValidityOut,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
    extensions: Vec<Extension>,
}

#[derive(Sequence)]
struct ValidityOut {
    not_before: Time,
    not_after: Time,
}

#[derive(Sequence)]
struct CertOut {
    tbs: Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

fn ecdsa_sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: oid::ECDSA_SHA256,
        parameters: None,
    }
}

fn der_err(_: der::Error) -> TokenError {
    TokenError::Signing
}

impl DemoTsa {
    /// The demonstration TSA whose key is derived from `seed`: same seed, same certificate,
    /// same tokens.
    pub fn from_seed(seed: [u8; 32]) -> Result<Self, TokenError> {
        let mut counter = 0u32;
        let key = loop {
            let mut h = sha2::Sha256::new();
            h.update(b"double-random demonstration TSA P-256 key v1");
            h.update(seed);
            h.update(counter.to_be_bytes());
            if let Ok(k) = p256::ecdsa::SigningKey::from_slice(&h.finalize()) {
                break k;
            }
            counter += 1;
        };
        Self::from_key(key)
    }

    /// A demonstration TSA with a fresh key from the operating system's generator.
    #[cfg(feature = "os-random")]
    pub fn generate() -> Result<Self, TokenError> {
        let mut seed = [0u8; 32];
        crate::os_random::fill(&mut seed).map_err(TokenError::Random)?;
        Self::from_seed(seed)
    }

    fn from_key(key: p256::ecdsa::SigningKey) -> Result<Self, TokenError> {
        let point = key.verifying_key().to_sec1_point(false);
        let point = point.as_bytes();
        let key_hash = sha2::Sha256::digest(point);
        let spki = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oid::EC_PUBLIC_KEY,
                parameters: Some(Any::encode_from(&oid::P256).map_err(der_err)?),
            },
            subject_public_key: BitString::from_bytes(point).map_err(der_err)?,
        };
        let name: Name = format!(
            "CN={DEMO_TSA_NAME},OU=demonstration key {}",
            hex::encode(&key_hash[..4])
        )
        .parse()
        .map_err(der_err)?;
        let mut serial = key_hash[..8].to_vec();
        serial[0] &= 0x7f;
        serial[0] |= 0x40;
        let ext = |id, critical, value: Vec<u8>| -> Result<Extension, TokenError> {
            Ok(Extension {
                extn_id: id,
                critical,
                extn_value: OctetString::new(value).map_err(der_err)?,
            })
        };
        let extensions = vec![
            ext(
                oid::BASIC_CONSTRAINTS,
                true,
                BasicConstraints {
                    ca: false,
                    path_len_constraint: None,
                }
                .to_der()
                .map_err(der_err)?,
            )?,
            ext(
                oid::KEY_USAGE,
                true,
                KeyUsage(x509_cert::ext::pkix::KeyUsages::DigitalSignature.into())
                    .to_der()
                    .map_err(der_err)?,
            )?,
            ext(
                oid::EXT_KEY_USAGE,
                true,
                ExtendedKeyUsage(vec![oid::KP_TIME_STAMPING])
                    .to_der()
                    .map_err(der_err)?,
            )?,
            ext(
                oid::SUBJECT_KEY_ID,
                false,
                OctetString::new(&key_hash[..20])
                    .map_err(der_err)?
                    .to_der()
                    .map_err(der_err)?,
            )?,
        ];
        let time = |s: u64| -> Result<Time, TokenError> {
            let d = std::time::Duration::from_secs(s);
            Time::try_from(std::time::UNIX_EPOCH + d).map_err(der_err)
        };
        let tbs = TbsOut {
            version: x509_cert::certificate::Version::V3,
            serial_number: SerialNumber::new(&serial).map_err(der_err)?,
            signature: ecdsa_sha256(),
            issuer: name.clone(),
            validity: ValidityOut {
                not_before: time(946_684_800)?,    // 2000-01-01T00:00:00Z
                not_after: time(253_402_300_799)?, // 9999-12-31T23:59:59Z
            },
            subject: name,
            subject_public_key_info: spki,
            extensions,
        };
        let tbs_der = tbs.to_der().map_err(der_err)?;
        let sig = sign(&key, &tbs_der)?;
        let cert_der = CertOut {
            tbs: Any::from_der(&tbs_der).map_err(der_err)?,
            signature_algorithm: ecdsa_sha256(),
            signature: BitString::from_bytes(&sig).map_err(der_err)?,
        }
        .to_der()
        .map_err(der_err)?;
        let cert = Certificate::from_der(&cert_der).map_err(der_err)?;
        Ok(DemoTsa {
            key,
            cert_der,
            cert,
        })
    }

    /// The self-signed certificate, DER.
    pub fn certificate_der(&self) -> Vec<u8> {
        self.cert_der.clone()
    }

    /// The self-signed certificate, PEM.
    pub fn certificate_pem(&self) -> String {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.cert_der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }

    /// A DER TimeStampResp, status granted, for `request_der` at `time` with `serial`.
    ///
    /// The token echoes the request's imprint (any hash algorithm) and nonce, carries the
    /// certificate when the request sets certReq, and has the signed attributes content-type,
    /// message-digest (SHA-256) and signingCertificateV2 (SHA-256 with issuerSerial); the
    /// signature is ECDSA P-256 with SHA-256.
    pub fn stamp(
        &self,
        request_der: &[u8],
        time: Timestamp,
        serial: u64,
    ) -> Result<Vec<u8>, TokenError> {
        let req = TimeStampReq::from_der(request_der).map_err(|source| TokenError::Request {
            source: source.into(),
        })?;
        if req.version != 1 {
            return Err(TokenError::Request {
                source: der::Error::from(der::ErrorKind::Value { tag: Tag::Integer }).into(),
            });
        }
        let when = time::OffsetDateTime::from_unix_timestamp(time.unix() as i64)
            .map_err(|_| TokenError::Signing)?;
        let gen_text = format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}Z",
            when.year(),
            u8::from(when.month()),
            when.day(),
            when.hour(),
            when.minute(),
            when.second()
        );
        let tst = TstInfo {
            version: 1,
            policy: req.req_policy.unwrap_or(oid::DEMO_POLICY),
            message_imprint: req.message_imprint,
            serial_number: Uint::new(&serial.to_be_bytes()).map_err(der_err)?,
            gen_time: Any::new(Tag::GeneralizedTime, gen_text.into_bytes()).map_err(der_err)?,
            accuracy: None,
            ordering: false,
            nonce: req.nonce,
            tsa: None,
            extensions: None,
        };
        let tst_der = tst.to_der().map_err(der_err)?;
        let tbs = self.cert.tbs_certificate();
        let ess = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                hash_algorithm: None,
                cert_hash: OctetString::new(sha2::Sha256::digest(&self.cert_der).to_vec())
                    .map_err(der_err)?,
                issuer_serial: Some(IssuerSerial {
                    issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
                    serial_number: tbs.serial_number().clone(),
                }),
            }],
            policies: None,
        };
        let attr = |oid, value: Any| -> Result<Attribute, TokenError> {
            Ok(Attribute {
                oid,
                values: SetOfVec::try_from(vec![value]).map_err(der_err)?,
            })
        };
        let digest = OctetString::new(sha2::Sha256::digest(&tst_der).to_vec()).map_err(der_err)?;
        let attrs = SetOfVec::try_from(vec![
            attr(
                oid::CONTENT_TYPE,
                Any::encode_from(&oid::TST_INFO).map_err(der_err)?,
            )?,
            attr(
                oid::MESSAGE_DIGEST,
                Any::encode_from(&digest).map_err(der_err)?,
            )?,
            attr(
                oid::SIGNING_CERTIFICATE_V2,
                Any::encode_from(&ess).map_err(der_err)?,
            )?,
        ])
        .map_err(der_err)?;
        let signature = sign(&self.key, &attrs.to_der().map_err(der_err)?)?;
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            }),
            digest_alg: sha256_algorithm(),
            signed_attrs: Some(attrs),
            signature_algorithm: ecdsa_sha256(),
            signature: OctetString::new(signature).map_err(der_err)?,
            unsigned_attrs: None,
        };
        let certificates = if req.cert_req {
            Some(CertificateSet(
                SetOfVec::try_from(vec![CertificateChoices::Certificate(self.cert.clone())])
                    .map_err(der_err)?,
            ))
        } else {
            None
        };
        let signed = SignedData {
            version: CmsVersion::V3,
            digest_algorithms: SetOfVec::try_from(vec![sha256_algorithm()]).map_err(der_err)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: oid::TST_INFO,
                econtent: Some(
                    Any::encode_from(&OctetString::new(tst_der).map_err(der_err)?)
                        .map_err(der_err)?,
                ),
            },
            certificates,
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(der_err)?),
        };
        let resp = TimeStampResp {
            status: PkiStatusInfo {
                status: 0,
                status_string: None,
                fail_info: None,
            },
            token: Some(ContentInfo {
                content_type: oid::SIGNED_DATA,
                content: Any::encode_from(&signed).map_err(der_err)?,
            }),
        };
        resp.to_der().map_err(der_err)
    }
}

/// Deterministic ECDSA P-256 with SHA-256 (RFC 6979), DER-encoded.
fn sign(key: &p256::ecdsa::SigningKey, message: &[u8]) -> Result<Vec<u8>, TokenError> {
    use p256::ecdsa::signature::Signer;
    let sig: p256::ecdsa::Signature = key.try_sign(message).map_err(|_| TokenError::Signing)?;
    Ok(sig.to_der().as_bytes().to_vec())
}
