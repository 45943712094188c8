"""Generate the test vectors in this directory: `python sync/testdata/generate.py`.

Deterministic: fixed key seeds, fixed clock values, fixed ephemeral key and nonce. Each case is
one file named <area>_<defect>: `key: value` header lines, a blank line, then the raw bundle bytes.
The test sync/tests/test_vectors.py rebuilds every case and checks the files byte for byte, then
imports each into a fresh database and checks the expected outcome.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402

from sync.encoding import Value  # noqa: E402
from sync.feeds import Entry, seal  # noqa: E402
from sync.format import (  # noqa: E402
    BUNDLE_CONTEXT,
    CAP_ZLIB,
    T_SIGNATURE,
    Bundle,
    Recipient,
    encode_bundle,
)
from sync.signing import SigningKey, x25519_public  # noqa: E402
from sync.trust import Certificate, Revocation  # noqa: E402

ROOT = SigningKey.from_seed(bytes(range(1, 33)))
SITE = SigningKey.from_seed(bytes(range(33, 65)))
STRANGER = SigningKey.from_seed(bytes(range(65, 97)))
RECIPIENT_X = X25519PrivateKey.from_private_bytes(bytes(range(97, 129)))
EPHEMERAL_X = X25519PrivateKey.from_private_bytes(bytes(range(129, 161)))
NONCE = bytes(range(12))
SITE_ID = "a1" * 16
RECIPIENT_ID = "b2" * 16
#: a second reader of the sealed cases, and their fixed content key
CITY_X = X25519PrivateKey.from_private_bytes(bytes(range(161, 193)))
CITY_ID = "c3" * 16
CONTENT_KEY = bytes(range(193, 225))
CLOCK = 1_767_225_600_000 << 16  # 2026-01-01T00:00:00Z


def entries(first: int = 1) -> list[Entry]:
    h = CLOCK
    rows: list[tuple[str, str, str, Value]] = [
        ("tasks", "t1", "~", 0),
        ("tasks", "t1", "title", "Rà soát thủ tục hành chính"),
        ("tasks", "t1", "progress", 40),
        ("tasks", "t2", "~", 0),
        ("tasks", "t2", "title", "Số hoá hồ sơ"),
        ("tasks", "t2", "progress", None),
        ("tasks", "t1", "progress", 55),
    ]
    out = []
    for i, (t, r, c, v) in enumerate(rows):
        h += 1 if c == "~" or i == 6 else 0
        out.append(Entry(first + i, h, t, r, c, v))
    return out


def site_cert(scope: list[str] = ["u1"]) -> Certificate:  # noqa: B006
    return Certificate.issue(
        ROOT, site=SITE_ID, key=SITE.public, role="unit", scope=scope, issued=CLOCK,
        enc_key=None,
    )


def recipient_cert() -> Certificate:
    return Certificate.issue(
        ROOT, site=RECIPIENT_ID, key=STRANGER.public, role="unit", scope=["u2"],
        issued=CLOCK, enc_key=x25519_public(RECIPIENT_X),
    )


def sealed_readers() -> list[Recipient]:
    return [
        Recipient(RECIPIENT_ID, x25519_public(RECIPIENT_X)),
        Recipient(CITY_ID, x25519_public(CITY_X)),
    ]


def base_bundle(segments: list | None = None, certs: list | None = None) -> Bundle:
    if segments is None:
        segments = [seal(SITE, SITE_ID, entries(), b"\x00" * 32, {})]
    return Bundle(
        sender=SITE_ID,
        sender_key=SITE.public,
        created=CLOCK + 100,
        caps=[CAP_ZLIB],
        certs=[site_cert()] if certs is None else certs,
        acks={SITE_ID: segments[-1].last_seq if segments else 0},
        segments=segments,
    )


def resign(data: bytes, key: SigningKey = SITE) -> bytes:
    """Replace the trailing sender signature after tampering with earlier bytes."""
    body = data[: -(64 + 2)]
    sig = key.sign(BUNDLE_CONTEXT + hashlib.sha256(body).digest())
    return body + bytes([T_SIGNATURE, 64]) + sig


def cases() -> dict[str, tuple[dict[str, str], bytes]]:
    out: dict[str, tuple[dict[str, str], bytes]] = {}
    common = {"root": ROOT.public.hex()}

    valid = encode_bundle(base_bundle(), SITE)
    out["bundle_valid"] = (
        {**common, "expect": "success", "applied": "7",
         "comment": "one site, one segment of 7 changes to 2 rows, its certificate"},
        valid,
    )

    s1 = seal(SITE, SITE_ID, entries()[:3], b"\x00" * 32, {})
    s2 = seal(SITE, SITE_ID, entries()[3:], s1.head, {})
    out["bundle_valid_two_segments"] = (
        {**common, "expect": "success", "applied": "7",
         "comment": "the same changes as two chained segments"},
        encode_bundle(base_bundle([s1, s2]), SITE),
    )

    out["segment_gap_held"] = (
        {**common, "expect": "success", "applied": "0", "held": "4",
         "comment": "only the second segment: its predecessor is missing, so it is held"},
        encode_bundle(base_bundle([s2]), SITE),
    )

    enc = base_bundle(certs=[site_cert(), recipient_cert()])
    enc.recipient = RECIPIENT_ID
    out["bundle_valid_encrypted"] = (
        {**common, "expect": "success", "applied": "7",
         "recipient_x25519": RECIPIENT_X.private_bytes_raw().hex(),
         "comment": "encrypted to the recipient's X25519 key; the signature covers the ciphertext"},
        encode_bundle(enc, SITE, encrypt_to=x25519_public(RECIPIENT_X), ephemeral=EPHEMERAL_X,
                      nonce=NONCE),
    )

    # sealed to two readers under one content key wrapped for each (SPEC.md section 7,
    # "Encryption"): each of them opens it, a third site is told it is not a recipient
    two = base_bundle(certs=[site_cert(), recipient_cert()])
    sealed_two = encode_bundle(two, SITE, seal_to=sealed_readers(), ephemeral=EPHEMERAL_X,
                               nonce=NONCE, content_key=CONTENT_KEY)
    out["bundle_valid_sealed_two"] = (
        {**common, "expect": "success", "applied": "7",
         "recipient_x25519": RECIPIENT_X.private_bytes_raw().hex(),
         "comment": "sealed to two sites (capability x25519-chacha20poly1305-multi); opened "
         "with the key of the one whose wrap comes first"},
        sealed_two,
    )
    out["bundle_valid_sealed_two_other"] = (
        {**common, "expect": "success", "applied": "7",
         "recipient_x25519": CITY_X.private_bytes_raw().hex(),
         "comment": "the same bytes, opened with the other recipient's key"},
        sealed_two,
    )
    out["sealed_not_a_recipient"] = (
        {**common, "expect": "decryption_failed",
         "comment": "the same bytes at a site holding neither recipient's key"},
        sealed_two,
    )
    mine = x25519_public(RECIPIENT_X).hex().encode()
    at = sealed_two.index(b'"wrap":"', sealed_two.index(mine)) + len(b'"wrap":"')
    swapped = b"0" if sealed_two[at : at + 1] != b"0" else b"1"
    out["sealed_wrap_altered"] = (
        {**common, "expect": "decryption_failed",
         "recipient_x25519": RECIPIENT_X.private_bytes_raw().hex(),
         "comment": "one hex digit of this recipient's wrapped key changed, bundle re-signed"},
        resign(sealed_two[:at] + swapped + sealed_two[at + 1 :]),
    )
    first = sealed_two.index(b'{"rpk":')
    middle = sealed_two.index(b',{"rpk":', first)
    end = sealed_two.index(b"}]", middle) + 1
    out["sealed_recipients_unsorted"] = (
        {**common, "expect": "malformed",
         "recipient_x25519": RECIPIENT_X.private_bytes_raw().hex(),
         "comment": "the two recipients swapped (keys must ascend), bundle re-signed"},
        resign(sealed_two[:first] + sealed_two[middle + 1 : end] + b","
               + sealed_two[first:middle] + sealed_two[end:]),
    )

    out["header_unknown_major"] = (
        {**common, "expect": "unknown_major_version",
         "comment": "format version 2.0: refused by name before anything else is read"},
        valid[:8] + bytes([2, 0]) + valid[10:],
    )

    caps = base_bundle()
    caps.caps = [CAP_ZLIB, "zstd-dictionary"]
    out["header_unknown_capability"] = (
        {**common, "expect": "unknown_capability",
         "comment": "requires capability zstd-dictionary"},
        encode_bundle(caps, SITE),
    )

    out["magic_wrong"] = (
        {**common, "expect": "not_a_bundle", "comment": "first byte changed"},
        b"T" + valid[1:],
    )

    out["bundle_truncated"] = (
        {**common, "expect": "truncated", "comment": "the last 40 bytes are missing"},
        valid[:-40],
    )

    flipped = bytearray(valid)
    flipped[-1] ^= 0x01
    out["signature_flipped"] = (
        {**common, "expect": "signature_invalid", "comment": "last bit of the sender signature"},
        bytes(flipped),
    )

    seg = seal(SITE, SITE_ID, entries(), b"\x00" * 32, {})
    bad_sig = replace(seg, sig=bytes(64))
    out["segment_signature_invalid"] = (
        {**common, "expect": "signature_invalid",
         "comment": "the segment's own signature is zeroed; the bundle signature is valid"},
        encode_bundle(base_bundle([bad_sig]), SITE),
    )

    from sync.feeds import signed_message

    wrong_head = b"\x11" * 32
    forged = replace(
        seg, head=wrong_head,
        sig=SITE.sign(signed_message(SITE_ID, SITE.public, 1, 7, b"\x00" * 32, wrong_head, {})),
    )
    out["segment_chain_broken"] = (
        {**common, "expect": "chain_broken",
         "comment": "a correctly signed head that the entries do not hash to"},
        encode_bundle(base_bundle([forged]), SITE),
    )

    tampered = bytearray(valid)
    tampered[len(valid) - 66 - 10] ^= 0x01  # inside the segment section, before the signature
    out["manifest_hash_mismatch"] = (
        {**common, "expect": "hash_mismatch",
         "comment": "one byte of a section changed and the bundle re-signed, manifest unchanged"},
        resign(bytes(tampered)),
    )

    stranger = Bundle(
        sender=SITE_ID, sender_key=STRANGER.public, created=CLOCK, caps=[CAP_ZLIB],
        acks={}, segments=[seal(STRANGER, SITE_ID, entries(), b"\x00" * 32, {})],
    )
    out["signer_untrusted"] = (
        {**common, "expect": "signer_untrusted", "comment": "no certificate for the sender key"},
        encode_bundle(stranger, STRANGER),
    )

    revoked = base_bundle()
    revoked.revocations = [Revocation.issue(ROOT, key=SITE.public, site=SITE_ID, issued=CLOCK)]
    out["signer_revoked"] = (
        {**common, "expect": "signer_revoked",
         "comment": "the bundle carries the root's revocation of its own sender"},
        encode_bundle(revoked, SITE),
    )

    # a relayer carries a revoked site's feed with the root's revocation: the segment ending at
    # the cutoff applies, the one after it is refused (SPEC.md section 6, "Revocation")
    cut = Revocation.issue(ROOT, key=SITE.public, site=SITE_ID, issued=CLOCK + 50,
                           upto=s1.last_seq)
    relayed = Bundle(
        sender=RECIPIENT_ID, sender_key=STRANGER.public, created=CLOCK + 100, caps=[CAP_ZLIB],
        certs=[site_cert(), recipient_cert()], revocations=[cut], acks={},
        segments=[s1, s2],
    )
    out["revocation_cutoff"] = (
        {**common, "expect": "success", "applied": "3", "rejected": "4",
         "comment": "relayed: a revocation with cutoff 3; the segment 1..3 applies, 4..7 is "
         "refused (signer_revoked)"},
        encode_bundle(relayed, STRANGER),
    )

    # a revocation naming the head of the feed at its cutoff: only that history stands below it
    # (SPEC.md section 6, "Revocation and its cutoff")
    fixed = Revocation.issue(ROOT, key=SITE.public, site=SITE_ID, issued=CLOCK + 50,
                             upto=s1.last_seq, head=s1.head)
    out["revocation_head"] = (
        {**common, "expect": "success", "applied": "3", "rejected": "4",
         "comment": "relayed: a revocation with cutoff 3 naming the head h[3] of segment 1..3; "
         "that segment is on the named history and applies, 4..7 is refused (signer_revoked)"},
        encode_bundle(replace(relayed, revocations=[fixed]), STRANGER),
    )
    forged = seal(SITE, SITE_ID, [e._replace(value="giả") if e.col == "title" else e
                                  for e in entries()[:3]], b"\x00" * 32, {})
    out["revocation_head_forged"] = (
        {**common, "expect": "success", "applied": "0", "rejected": "3",
         "comment": "relayed: the same revocation, and a different history 1..3 signed with the "
         "revoked key (a thief's): not on the named history, refused (signer_revoked)"},
        encode_bundle(replace(relayed, revocations=[fixed], segments=[forged]), STRANGER),
    )

    # a proof that the site forked its feed: two of its segments from position 3 on that
    # disagree; its feed stands only up to 3 (SPEC.md section 4a, "Forks")
    other = seal(SITE, SITE_ID, [e._replace(value=99) if e.col == "progress" else e
                                 for e in entries()[3:]], s1.head, {})
    low, high = sorted((s2, other), key=lambda x: x.encode())
    out["fork_proof"] = (
        {**common, "expect": "success", "applied": "3", "rejected": "4",
         "comment": "relayed: segments 1..3 and 4..7 with a fork proof (4..7 and another 4..7 "
         "after the same head h[3]); 1..3 applies, 4..7 lies beyond the fork (feed_forked)"},
        encode_bundle(replace(relayed, revocations=[], forks=[(low, high)]), STRANGER),
    )

    # limits (SPEC.md section 7, "Limits"): each refused before the memory it aims at is used
    from sync.encoding import Reader, varint
    from sync.format import MAGIC, T_HEADER
    from sync.limits import MAX_BUNDLE_BODY, MAX_JSON_DEPTH, MAX_SEGMENT_BODY

    out["segment_body_too_large"] = (
        {**common, "expect": "too_large",
         "comment": f"a signed segment declaring {MAX_SEGMENT_BODY + 1} bytes uncompressed"},
        encode_bundle(base_bundle([replace(seg, raw_len=MAX_SEGMENT_BODY + 1)]), SITE),
    )

    bomb = replace(seg, body=zlib.compress(bytes(1 << 20), 9))
    out["segment_decompression_bomb"] = (
        {**common, "expect": "too_large",
         "comment": f"a signed segment declaring {seg.raw_len} bytes whose body inflates to 1 MiB"},
        encode_bundle(base_bundle([bomb]), SITE),
    )

    many = MAX_BUNDLE_BODY // MAX_SEGMENT_BODY + 1
    out["bundle_bodies_too_large"] = (
        {**common, "expect": "too_large",
         "comment": f"{many} segments declaring {MAX_SEGMENT_BODY} bytes each, "
         f"above {MAX_BUNDLE_BODY} together"},
        encode_bundle(base_bundle([replace(seg, raw_len=MAX_SEGMENT_BODY)] * many), SITE),
    )

    r = Reader(valid, "bundle", len(MAGIC) + 2)
    r.byte("header type")
    header = r.lp("header")
    depth = MAX_JSON_DEPTH * 4
    deep = header[:-1] + b',"zz":' + b"[" * depth + b"]" * depth + b"}"
    body = valid[: len(MAGIC) + 2] + bytes([T_HEADER]) + varint(len(deep)) + deep
    out["header_too_deep"] = (
        {**common, "expect": "too_large",
         "comment": f"a signed header holding {depth} nested arrays"},
        resign(body + valid[r.pos :]),
    )
    return out


def render(header: dict[str, str], data: bytes) -> bytes:
    lines = "".join(f"{k}: {v}\n" for k, v in header.items())
    return lines.encode("utf-8") + b"\n" + data


def parse(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, data = raw.partition(b"\n\n")
    header = {}
    for line in head.decode("utf-8").splitlines():
        k, _, v = line.partition(": ")
        header[k] = v
    return header, data


def main() -> None:
    for name, (header, data) in cases().items():
        (HERE / name).write_bytes(render(header, data))
        print(f"wrote {name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
