"""RFC 3161 timestamp tokens over the announcement (SPEC §8.5, §8.6).

The DER is read by the small reader below (CMS is not parsed by `cryptography`); certificates
and signatures are left to `cryptography`. `check_token` returns the token's `genTime` and the
findings, each naming the rule of SPEC §8.6 that failed.
"""

import calendar
import datetime
import hashlib

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_TST_INFO = "1.2.840.113549.1.9.16.1.4"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_CERT = "1.2.840.113549.1.9.16.2.12"
OID_SIGNING_CERT_V2 = "1.2.840.113549.1.9.16.2.47"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
DIGESTS = {"2.16.840.1.101.3.4.2.1": hashes.SHA256, "2.16.840.1.101.3.4.2.2": hashes.SHA384,
           "2.16.840.1.101.3.4.2.3": hashes.SHA512}
ESS_HASHES = {**DIGESTS, "1.3.14.3.2.26": hashes.SHA1}
OID_RSA = "1.2.840.113549.1.1.1"
RSA_WITH = {"1.2.840.113549.1.1.11": hashes.SHA256, "1.2.840.113549.1.1.12": hashes.SHA384,
            "1.2.840.113549.1.1.13": hashes.SHA512}
ECDSA_WITH = {"1.2.840.10045.4.3.2": hashes.SHA256, "1.2.840.10045.4.3.3": hashes.SHA384,
              "1.2.840.10045.4.3.4": hashes.SHA512}
OID_ED25519 = "1.3.101.112"
MAX_LINKS = 4


class DerError(ValueError):
    pass


# ---------------------------------------------------------------- a small DER reader

class Tlv:
    """One DER element: tag byte, content and its whole encoding."""

    __slots__ = ("tag", "content", "raw")

    def __init__(self, tag, content, raw):
        self.tag, self.content, self.raw = tag, content, raw

    @property
    def constructed(self):
        return bool(self.tag & 0x20)

    def children(self):
        if not self.constructed:
            raise DerError(f"element with tag 0x{self.tag:02x} is not constructed")
        return read_all(self.content)


def read_one(data, at=0):
    """(Tlv, next offset). Definite lengths, single-byte tags (all this format needs)."""
    if at + 2 > len(data):
        raise DerError("truncated element")
    tag = data[at]
    if tag & 0x1F == 0x1F:
        raise DerError("multi-byte tags are not used here")
    first = data[at + 1]
    pos = at + 2
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise DerError("indefinite length is not DER")
    else:
        n = first & 0x7F
        if n > 4 or pos + n > len(data):
            raise DerError("bad length")
        length = int.from_bytes(data[pos:pos + n], "big")
        if length < 0x80 or data[pos] == 0:
            raise DerError("length not in its shortest form")
        pos += n
    end = pos + length
    if end > len(data):
        raise DerError("element longer than its container")
    return Tlv(tag, data[pos:end], data[at:end]), end


def read_all(data):
    out, at = [], 0
    while at < len(data):
        tlv, at = read_one(data, at)
        out.append(tlv)
    return out


def parse(data):
    tlv, end = read_one(data)
    if end != len(data):
        raise DerError("bytes after the element")
    return tlv


def expect(tlv, tag, what):
    if tlv.tag != tag:
        raise DerError(f"{what}: tag 0x{tlv.tag:02x}, expected 0x{tag:02x}")
    return tlv


def oid(tlv):
    expect(tlv, 0x06, "object identifier")
    b = tlv.content
    if not b:
        raise DerError("empty object identifier")
    arcs, value = [], 0
    for byte in b:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(x) for x in [first, arcs[0] - 40 * first, *arcs[1:]])


def integer(tlv):
    expect(tlv, 0x02, "integer")
    return int.from_bytes(tlv.content, "big", signed=True)


def generalized_time(tlv):
    """GeneralizedTime YYYYMMDDHHMMSS[.f...]Z -> Unix seconds, fraction truncated."""
    expect(tlv, 0x18, "GeneralizedTime")
    s = tlv.content.decode("ascii", "replace")
    if len(s) < 15 or not s.endswith("Z") or not s[:14].isdigit():
        raise DerError(f"GeneralizedTime {s!r} is not YYYYMMDDHHMMSS[.f]Z")
    try:
        t = datetime.datetime.strptime(s[:14], "%Y%m%d%H%M%S")
    except ValueError:
        raise DerError(f"GeneralizedTime {s!r} is not a time") from None
    return calendar.timegm(t.timetuple())


def algorithm(tlv):
    return oid(expect(tlv, 0x30, "AlgorithmIdentifier").children()[0])


# ---------------------------------------------------------------- the token's structure

class Token:
    """What SPEC §8.6 needs from a TimeStampToken."""


def read_token(data):
    """Parse a TimeStampResp or a bare TimeStampToken (rule 1's structure)."""
    top = expect(parse(data), 0x30, "TimeStampResp or ContentInfo")
    parts = top.children()
    if not parts:
        raise DerError("empty SEQUENCE")
    if parts[0].tag == 0x30:  # TimeStampResp: status, token
        status = integer(parts[0].children()[0])
        if status not in (0, 1):
            raise DerError(f"TimeStampResp.status is {status}: not granted")
        if len(parts) < 2:
            raise DerError("TimeStampResp holds no token")
        content_info = expect(parts[1], 0x30, "timeStampToken")
    else:
        content_info = top
    ci = content_info.children()
    if oid(ci[0]) != OID_SIGNED_DATA:
        raise DerError(f"ContentInfo type {oid(ci[0])} is not id-signedData")
    signed = expect(expect(ci[1], 0xA0, "ContentInfo content").children()[0], 0x30, "SignedData")
    sd = signed.children()
    encap = expect(sd[2], 0x30, "encapContentInfo").children()
    if oid(encap[0]) != OID_TST_INFO:
        raise DerError(f"encapsulated content type {oid(encap[0])} is not id-ct-TSTInfo")
    tok = Token()
    tok.tst_der = expect(expect(encap[1], 0xA0, "eContent").children()[0], 0x04,
                         "eContent OCTET STRING").content
    tok.certificates = []
    signer_infos = None
    for part in sd[3:]:
        if part.tag == 0xA0:
            tok.certificates = [c.raw for c in part.children() if c.tag == 0x30]
        elif part.tag == 0x31:
            signer_infos = part.children()
    if signer_infos is None:
        raise DerError("SignedData has no signerInfos")
    tok.signer_count = len(signer_infos)
    tst = expect(parse(tok.tst_der), 0x30, "TSTInfo").children()
    tok.version = integer(tst[0])
    imprint = expect(tst[2], 0x30, "messageImprint").children()
    tok.imprint_algorithm = algorithm(imprint[0])
    tok.imprint = expect(imprint[1], 0x04, "hashedMessage").content
    tok.gen_time = generalized_time(tst[4])
    tok.tsa_name = None
    for part in tst[5:]:
        if part.tag == 0xA0:
            tok.tsa_name = part.content
    if signer_infos:
        _read_signer(tok, expect(signer_infos[0], 0x30, "SignerInfo").children())
    return tok


def _read_signer(tok, si):
    sid = si[1]
    if sid.tag == 0x30:
        issuer, serial = sid.children()[:2]
        tok.sid = ("issuer_serial", issuer.raw, integer(serial))
    elif sid.tag == 0x80:
        tok.sid = ("ski", sid.content)
    else:
        raise DerError(f"SignerIdentifier tag 0x{sid.tag:02x}")
    tok.digest_algorithm = algorithm(si[2])
    at = 3
    tok.signed_attrs_der = None
    tok.attributes = {}
    if si[at].tag == 0xA0:
        attrs = si[at]
        tok.signed_attrs_der = b"\x31" + attrs.raw[1:]  # [0] IMPLICIT SET OF -> SET OF
        for attr in attrs.children():
            a = attr.children()
            tok.attributes.setdefault(oid(a[0]), []).append(expect(a[1], 0x31, "attrValues").children())
        at += 1
    tok.signature_algorithm = algorithm(si[at])
    tok.signature = expect(si[at + 1], 0x04, "signature").content


# ---------------------------------------------------------------- checking it

def load_certificates(data, name):
    """Certificates from a PEM (one or more) or DER file."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as e:
        raise DerError(f"{name}: not a PEM or DER certificate ({e})") from None


def _verify_signature(cert, tok, data):
    key = cert.public_key()
    alg = tok.signature_algorithm
    if isinstance(key, rsa.RSAPublicKey):
        if alg == OID_RSA:
            h = DIGESTS.get(tok.digest_algorithm)
        else:
            h = RSA_WITH.get(alg)
        if h is None:
            return f"signature algorithm {alg} is not RSA PKCS#1 v1.5 with SHA-256/384/512"
        key.verify(tok.signature, data, padding.PKCS1v15(), h())
    elif isinstance(key, ec.EllipticCurvePublicKey):
        h = ECDSA_WITH.get(alg)
        if h is None or key.curve.name not in ("secp256r1", "secp384r1"):
            return f"signature algorithm {alg} on {key.curve.name} is not ECDSA P-256/P-384"
        key.verify(tok.signature, data, ec.ECDSA(h()))
    elif isinstance(key, ed25519.Ed25519PublicKey):
        if alg != OID_ED25519:
            return f"signature algorithm {alg} is not Ed25519"
        key.verify(tok.signature, data)
    else:
        return "the signer's key is not RSA, ECDSA or Ed25519"
    return None


def _valid_at(cert, t):
    return cert.not_valid_before_utc.timestamp() <= t <= cert.not_valid_after_utc.timestamp()


def _extension(cert, oid_):
    try:
        return cert.extensions.get_extension_for_oid(oid_)
    except x509.ExtensionNotFound:
        return None


def _is_ca(cert):
    bc = _extension(cert, ExtensionOID.BASIC_CONSTRAINTS)
    if bc is None or not bc.value.ca:
        return False
    ku = _extension(cert, ExtensionOID.KEY_USAGE)
    return ku is None or ku.value.key_cert_sign


def _issued_by(cert, issuer):
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def _chains_to_trusted(cert, trusted, carried, t, links=0):
    """SPEC §8.6 rule 5: cert is trusted, or issued by a trusted or carried CA (<= 4 links)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    if any(der == c.public_bytes(serialization.Encoding.DER) for c in trusted):
        return True
    if links >= MAX_LINKS:
        return False
    for issuer in trusted + carried:
        if issuer.subject != cert.issuer or not _is_ca(issuer) or not _valid_at(issuer, t):
            continue
        if not _issued_by(cert, issuer):
            continue
        if any(issuer.public_bytes(serialization.Encoding.DER) == c.public_bytes(
                serialization.Encoding.DER) for c in trusted):
            return True
        if _chains_to_trusted(issuer, trusted, carried, t, links + 1):
            return True
    return False


def _find_signer(tok, certs):
    for cert in certs:
        if tok.sid[0] == "issuer_serial":
            if cert.issuer.public_bytes() == tok.sid[1] and cert.serial_number == tok.sid[2]:
                return cert
        else:
            ski = _extension(cert, ExtensionOID.SUBJECT_KEY_IDENTIFIER)
            if ski is not None and ski.value.digest == tok.sid[1]:
                return cert
    return None


def _names_certificate(tok, cert_der):
    """ESS signingCertificate(V2) lists the signer certificate by its hash (rule 4)."""
    for attr_oid, default in ((OID_SIGNING_CERT, "1.3.14.3.2.26"), (OID_SIGNING_CERT_V2, OID_SHA256)):
        for values in tok.attributes.get(attr_oid, []):
            for value in values:
                certs = value.children()[0].children()
                for ess in certs[:1]:  # the first ESSCertID names the signing certificate
                    parts = ess.children()
                    alg = default
                    if attr_oid == OID_SIGNING_CERT_V2 and parts[0].tag == 0x30:
                        alg = algorithm(parts[0])
                        parts = parts[1:]
                    h = ESS_HASHES.get(alg)
                    if h is None:
                        continue
                    digest = hashes.Hash(h())
                    digest.update(cert_der)
                    if expect(parts[0], 0x04, "certHash").content == digest.finalize():
                        return True
    return False


def check_token(data, announcement_bytes, trusted):
    """(genTime or None, signer subject or None, [(rule, message)]) for a token (SPEC §8.6).

    genTime is returned only when every rule holds. Never raises on any input."""
    try:
        return _check_token(data, announcement_bytes, trusted)
    except (DerError, IndexError, UnicodeError, ValueError) as e:
        return None, None, [("1 structure", f"malformed token: {e}")]


def _check_token(data, announcement_bytes, trusted):
    findings = []
    try:
        tok = read_token(data)
    except (DerError, IndexError, UnicodeError) as e:
        return None, None, [("1 structure", f"not a timestamp token: {e}")]
    if tok.version != 1:
        findings.append(("1 structure", f"TSTInfo.version is {tok.version}, not 1"))
    if tok.imprint_algorithm != OID_SHA256:
        findings.append(("2 imprint", f"hash algorithm {tok.imprint_algorithm} is not SHA-256"))
    elif tok.imprint != hashlib.sha256(announcement_bytes).digest():
        findings.append(("2 imprint", "the token is over another file: its hashedMessage is "
                         f"{tok.imprint.hex()}, announcement.json's SHA-256 is "
                         f"{hashlib.sha256(announcement_bytes).hexdigest()}"))
    if tok.signer_count != 1:
        return None, None, findings + [("3 signature", f"{tok.signer_count} SignerInfos, not 1")]
    try:
        carried = [x509.load_der_x509_certificate(c) for c in tok.certificates]
    except ValueError as e:
        return None, None, findings + [("4 certificate", f"a carried certificate is unreadable: {e}")]
    signer = _find_signer(tok, carried + list(trusted))
    if signer is None:
        return None, None, findings + [("4 certificate", "the signer certificate named by the "
                                        "SignerIdentifier is neither in the token nor trusted")]
    # 3: signed attributes and signature
    h = DIGESTS.get(tok.digest_algorithm)
    if tok.signed_attrs_der is None:
        findings.append(("3 signature", "no signed attributes"))
    elif h is None:
        findings.append(("3 signature", f"digest algorithm {tok.digest_algorithm} is not SHA-256/384/512"))
    else:
        ct = tok.attributes.get(OID_CONTENT_TYPE, [])
        if len(ct) != 1 or len(ct[0]) != 1 or oid(ct[0][0]) != OID_TST_INFO:
            findings.append(("3 signature", "the content-type attribute is not id-ct-TSTInfo"))
        digest = hashes.Hash(h())
        digest.update(tok.tst_der)
        md = tok.attributes.get(OID_MESSAGE_DIGEST, [])
        if len(md) != 1 or len(md[0]) != 1 or md[0][0].tag != 0x04 or \
                md[0][0].content != digest.finalize():
            findings.append(("3 signature", "the message-digest attribute is not the digest "
                             "of the TSTInfo"))
        try:
            problem = _verify_signature(signer, tok, tok.signed_attrs_der)
            if problem:
                findings.append(("3 signature", problem))
        except InvalidSignature:
            findings.append(("3 signature", "the signature over the signed attributes does "
                             "not verify with the signer certificate's key"))
    # 4: the signer certificate
    eku = _extension(signer, ExtensionOID.EXTENDED_KEY_USAGE)
    if eku is None or not eku.critical or ExtendedKeyUsageOID.TIME_STAMPING not in eku.value:
        findings.append(("4 certificate", "the signer certificate has no critical "
                         "extendedKeyUsage with id-kp-timeStamping"))
    ku = _extension(signer, ExtensionOID.KEY_USAGE)
    if ku is not None and not (ku.value.digital_signature or ku.value.content_commitment):
        findings.append(("4 certificate", "keyUsage allows neither digitalSignature nor "
                         "nonRepudiation"))
    if not _valid_at(signer, tok.gen_time):
        findings.append(("4 certificate", "the signer certificate is not valid at genTime"))
    if not _names_certificate(tok, signer.public_bytes(serialization.Encoding.DER)):
        findings.append(("4 certificate", "no ESS signingCertificate(V2) attribute names the "
                         "signer certificate"))
    # 5: trust
    if not _chains_to_trusted(signer, list(trusted), carried, tok.gen_time):
        findings.append(("5 trust", "the signer certificate is not a trusted TSA certificate "
                         "nor issued by one (through at most 4 CA links)"))
    subject = signer.subject.rfc4514_string()
    return (None if findings else tok.gen_time), subject, findings
