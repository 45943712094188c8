"""TLS for the hub without a public CA: the laptops pin the SHA-256 fingerprint of its certificate.

The city makes a self-signed certificate once (`make_self_signed`, or `cchc sync hub-cert`) and
hands out its fingerprint with the trust file and the root fingerprint. A client connects once
to read the certificate the server presents, refuses it unless its fingerprint is the pinned one,
then talks through a context that trusts that one certificate and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sync.transport.errors import TransportError


class BadFingerprint(TransportError):
    """A hub fingerprint that is not 64 hex digits."""

    code = "bad_fingerprint"


class BadCertificate(TransportError):
    """A TLS certificate file that cannot be read."""

    code = "hub_cannot_start"


class TlsPinMismatch(TransportError):
    """The server's certificate is not the one whose fingerprint this laptop was given."""

    code = "tls_pin_mismatch"


def normalize_fingerprint(text: str) -> str:
    """A SHA-256 fingerprint in any usual spelling (colons, spaces, case) as 64 lowercase hex."""
    h = "".join(ch for ch in text.lower() if ch in "0123456789abcdef")
    if len(h) != 64:
        raise BadFingerprint(
            f"a hub fingerprint is 64 hex digits (SHA-256), got {text!r}", fingerprint=text
        )
    return h


def display_fingerprint(hex64: str) -> str:
    """`AB:CD:…` as `openssl x509 -fingerprint -sha256` prints it."""
    return ":".join(hex64[i : i + 2] for i in range(0, 64, 2)).upper()


def cert_fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate in DER, as 64 lowercase hex."""
    return hashlib.sha256(der).hexdigest()


def pem_file_fingerprint(path: str | Path) -> str:
    """Fingerprint of the (first) certificate in a PEM file; `BadCertificate` if unreadable."""
    try:
        cert = x509.load_pem_x509_certificate(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise BadCertificate(
            f"{str(path)!r} is not a readable PEM certificate", path=str(path)
        ) from exc
    return cert_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def make_self_signed(
    cert_path: str | Path, key_path: str | Path, hosts: list[str], days: int = 3650
) -> str:
    """Write a self-signed P-256 certificate for `hosts` (names or IPs) and its key (0600).

    Returns the certificate's fingerprint.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts else "cchc-hub")])
    alt: list[x509.GeneralName] = []
    for h in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            alt.append(x509.DNSName(h))
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    )
    if alt:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    Path(cert_path).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    kp = Path(key_path)
    kp.touch(mode=0o600, exist_ok=True)
    kp.chmod(0o600)
    kp.write_bytes(key_pem)
    return cert_fingerprint(cert.public_bytes(serialization.Encoding.DER))


def fetch_server_cert(host: str, port: int, timeout: float) -> bytes:
    """The DER certificate a TLS server presents (no verification: the caller compares it)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        ctx.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise TlsPinMismatch(f"the server at {host}:{port} presented no certificate", host=host)
    return der


def pinned_context(host: str, port: int, fingerprint: str, timeout: float) -> ssl.SSLContext:
    """A client context that accepts only the certificate whose SHA-256 is `fingerprint`.

    Raises `TlsPinMismatch` (naming the fingerprint seen) when the server shows another one, and
    the socket's `OSError` when it cannot be reached.
    """
    want = normalize_fingerprint(fingerprint)
    der = fetch_server_cert(host, port, timeout)
    got = cert_fingerprint(der)
    if got != want:
        raise TlsPinMismatch(
            f"the hub at {host}:{port} shows certificate {display_fingerprint(got)}, not the "
            f"pinned {display_fingerprint(want)}: refusing to talk to it",
            host=host,
            seen=display_fingerprint(got),
        )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.check_hostname = False  # the pin names the certificate itself, whatever host it claims
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    ctx.load_verify_locations(cadata=der)
    return ctx
