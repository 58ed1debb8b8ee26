"""A local RFC 3161 TSA made with `openssl ts`, for the timestamp tests (SPEC §8.6).

A self-signed test CA, a TSA certificate issued by it (critical extendedKeyUsage
timeStamping), and `openssl ts -reply` answering a query over a file.
"""

import os
import shutil
import subprocess

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"

CONFIG = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = {cn}
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[tsa_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
[tsa]
default_tsa = tsa_config1
[tsa_config1]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.crt
certs = {dir}/tsa.crt
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
"""


def available():
    return os.path.exists(OPENSSL)


def _run(*args, cwd):
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


class Tsa:
    """A test CA and TSA in `directory`; `ca.crt` is what a verifier trusts."""

    def __init__(self, directory, name="Test TSA", key="rsa:2048"):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        self.config = os.path.join(directory, "tsa.cnf")
        with open(self.config, "w") as fh:
            fh.write(CONFIG.format(cn=name, dir=directory))
        with open(os.path.join(directory, "serial"), "w") as fh:
            fh.write("01\n")
        d = directory
        if key.startswith("ec"):
            _run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key", cwd=d)
            _run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tsa.key", cwd=d)
        else:
            _run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", "ca.key", cwd=d)
            _run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", "tsa.key", cwd=d)
        _run("req", "-new", "-x509", "-key", "ca.key", "-out", "ca.crt", "-days", "3650",
             "-config", self.config, "-extensions", "ca_ext", "-subj", f"/CN={name} CA", cwd=d)
        _run("req", "-new", "-key", "tsa.key", "-out", "tsa.csr", "-config", self.config,
             "-subj", f"/CN={name}", cwd=d)
        _run("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "tsa.crt", "-days", "3650", "-extfile", self.config,
             "-extensions", "tsa_ext", cwd=d)
        self.ca_cert = os.path.join(d, "ca.crt")
        self.tsa_cert = os.path.join(d, "tsa.crt")

    def stamp(self, data_file, out, token_only=False):
        """Write openssl's TimeStampResp (or the bare token) over data_file to out."""
        query = out + ".tsq"
        _run("ts", "-query", "-data", data_file, "-sha256", "-cert", "-out", query, cwd=self.dir)
        args = ["ts", "-reply", "-config", self.config, "-queryfile", query, "-out", out]
        if token_only:
            args.append("-token_out")
        _run(*args, cwd=self.dir)
        return out
