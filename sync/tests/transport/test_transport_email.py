"""E-mail carrier: .eml files a mail client opens, SMTP delivery, and import from saved mail."""

from __future__ import annotations

import os
import random
import unicodedata
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from sync.transport import (
    AddResult,
    MailFailed,
    NotABundle,
    PartStore,
    SmtpConfig,
    extract_parts,
    gather,
    send_emails,
    sha256_hex,
    write_emails,
)
from sync.transport.email import extract_parts_from_bytes, part_size_for_message_limit

SENDER = "dao.bachlongvi@example.vn"
CITY = "vanphong.thanhpho@example.vn"


def _read(path: Path):  # type: ignore[no-untyped-def]
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_one_eml_per_part_with_vietnamese_subject_and_body(tmp_path: Path) -> None:
    data = os.urandom(40_000)
    sha8 = sha256_hex(data)[:8]
    paths = write_emails(tmp_path, data, to=CITY, sender=SENDER, part_size=16_000, prefix="dao")
    assert [p.name for p in paths] == [f"dao-{sha8}.part00{i}-of-003.eml" for i in (1, 2, 3)]
    for i, path in enumerate(paths, start=1):
        raw = path.read_bytes()
        raw.decode("ascii")  # every header and body line is 7-bit: safe through any mail server
        msg = _read(path)
        expected = unicodedata.normalize("NFC", f"Gói dữ liệu đồng bộ {sha8} — phần {i}/3")
        assert msg["Subject"] == expected
        assert "=?utf-8?" in raw.split(b"\r\n\r\n")[0].decode("ascii").lower()
        assert msg["To"] == CITY and msg["From"] == SENDER and msg["X-Unsent"] == "1"
        body = msg.get_body(preferencelist=("plain",)).get_content()
        assert unicodedata.is_normalized("NFC", body)
        assert "cchc sync import" in body and f"phần {i} trên tổng số 3" in body
        (att,) = list(msg.iter_attachments())
        assert att.get_filename() == f"dao-{sha8}.part00{i}-of-003.cchc"
        assert att.get_content_type() == "application/octet-stream"


def test_saved_eml_files_import_in_any_order_across_separate_runs(tmp_path: Path) -> None:
    data = os.urandom(60_000)
    (tmp_path / "mail").mkdir()
    paths = write_emails(tmp_path / "mail", data, to=CITY, sender=SENDER, part_size=10_000)
    random.Random(7).shuffle(paths)
    got = []
    for path in paths:
        found = gather([path], PartStore(tmp_path / "staging"))
        assert found.refused == []
        got.extend(found.bundles)
    assert [b.data for b in got] == [data]
    assert PartStore(tmp_path / "staging").status() == []


def test_extract_parts_returns_the_attached_part_bytes(tmp_path: Path) -> None:
    data = os.urandom(3_000)
    (path,) = write_emails(tmp_path, data, to=[CITY, SENDER], sender=SENDER)
    (blob,) = extract_parts(path)
    assert path.with_suffix(".cchc").name in _read(path).get_payload()[1].get_filename()
    store = PartStore(tmp_path / "s")
    assert store.add(blob).bundle == data


def test_message_without_attachment_is_not_a_bundle(tmp_path: Path) -> None:
    path = tmp_path / "hello.eml"
    path.write_bytes(b"Subject: hi\r\nFrom: a@b\r\n\r\nJust text.\r\n")
    with pytest.raises(NotABundle) as info:
        extract_parts(path)
    assert "hello.eml" in str(info.value)
    found = gather([path], PartStore(tmp_path / "s"))
    assert [r.error.code for r in found.refused] == ["not_a_bundle"]


def test_parts_sent_over_smtp_arrive_whole_and_reassemble(smtp_sink, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(25_000)
    config = SmtpConfig("127.0.0.1", smtp_sink.port, security="none", timeout=10)
    sent = send_emails(data, config, to=CITY, sender=SENDER, part_size=8_000)
    assert sent == len(smtp_sink.messages) == 4
    store = PartStore(tmp_path)
    results: list[AddResult] = []
    for envelope_from, rcpts, raw in reversed(smtp_sink.messages):
        assert envelope_from == SENDER and rcpts == [CITY]
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        assert msg["Subject"].startswith("Gói dữ liệu đồng bộ") and msg["X-Unsent"] is None
        results.extend(store.add(b) for b in extract_parts_from_bytes(raw))
    assert results[-1].status == "complete" and results[-1].bundle == data


def test_smtp_refusal_raises_mail_failed_naming_the_message(smtp_sink) -> None:  # type: ignore[no-untyped-def]
    smtp_sink.refuse_data = True
    config = SmtpConfig("127.0.0.1", smtp_sink.port, security="none", timeout=10)
    with pytest.raises(MailFailed) as info:
        send_emails(b"bundle", config, to=CITY, sender=SENDER)
    assert "Gói dữ liệu đồng bộ" in str(info.value) and info.value.code == "mail_failed"


def test_unreachable_smtp_server_raises_mail_failed_quoting_host_and_port() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(MailFailed) as info:
        send_emails(
            b"bundle",
            SmtpConfig("127.0.0.1", port, security="none", timeout=5),
            to=CITY,
            sender=SENDER,
        )
    assert f"127.0.0.1:{port}" in str(info.value)


def test_part_size_for_a_message_limit_keeps_messages_under_it(tmp_path: Path) -> None:
    limit = 100_000
    paths = write_emails(
        tmp_path,
        os.urandom(300_000),
        to=CITY,
        sender=SENDER,
        part_size=part_size_for_message_limit(limit),
    )
    assert len(paths) == 5 and all(p.stat().st_size <= limit for p in paths)


def test_app_wording_replaces_the_default_subject_and_body(tmp_path: Path) -> None:
    (path,) = write_emails(
        tmp_path / "new-folder",
        b"bundle bytes",
        to=CITY,
        subject_template="Đặc khu Bạch Long Vĩ — đồng bộ {index}/{count}",
        body_template="Tệp {filename}: {size} byte.",
    )
    msg = _read(path)
    assert msg["Subject"] == "Đặc khu Bạch Long Vĩ — đồng bộ 1/1"
    assert msg["From"] == "dong-bo@localhost"
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert body.strip() == f"Tệp {path.with_suffix('.cchc').name}: 12 byte."
