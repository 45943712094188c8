"""The city hub's TLS certificate, as the command line handles it: make one, read its
fingerprint in the form laptops are given (`AB:CD:…`)."""

from __future__ import annotations

from pathlib import Path

from sync.transport.tls import display_fingerprint, make_self_signed, pem_file_fingerprint


def certificate_fingerprint(cert_file: Path) -> str:
    """The fingerprint of the certificate in `cert_file`, as laptops are told it."""
    return display_fingerprint(pem_file_fingerprint(cert_file))


def make_certificate(cert_out: Path, key_out: Path, hosts: list[str], days: int) -> str:
    """Write a self-signed certificate for `hosts` and its key; return its fingerprint."""
    return display_fingerprint(make_self_signed(cert_out, key_out, hosts, days))
