"""What leaves a laptop is what the officer asked for: e-mail letters no larger than the limit
typed (measured on the real files, base64 and MIME included), each size listed, and bundle
files named by the unit and the island's date rather than by raw ids."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import exchange, sync_view
from cchc.services import tasks as task_service
from cchc.services.import_summary import summary_of
from cchc.services.workspace import Workspace
from cchc.texts.exchange import size_text
from tests.integration.worlds import certified_net

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(tmp_path, (("vhxh", "vhxh", "consolidator"), ("tthcc", "tthcc", "unit")))
    yield sites
    for ws in sites.values():
        ws.close()


def _heavy_update(ws: Workspace, tmp_path: Path, size: int) -> None:
    """A task update of Trung tâm with a scanned document of ``size`` random bytes."""
    scan = tmp_path / "ban-scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(size))
    stt = next(t.stt for t in task_service.list_tasks(ws) if t.lead_unit == "tthcc" and t.stt)
    task_service.update_task(
        ws,
        str(stt),
        progress=60,
        by="Trần Văn C",
        evidence=task_service.Evidence(
            file=scan, doc_type="Kế hoạch", number="12/KH-TTHCC", date="10/03/2026"
        ),
    )


def test_no_letter_is_larger_than_the_limit_typed_and_each_size_is_the_files_own(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh = net["tthcc"], net["vhxh"]
    _heavy_update(tthcc, tmp_path, 150_000)
    limit = 60_000
    out = tmp_path / "thu"

    letters = sync_view.write_emails(tthcc, to="vanphong@example.vn", folder=out, letter_size=limit)

    assert len(letters) >= 3  # 150 KB does not fit one 60 KB letter once in base64
    for path, size in letters:
        assert size == path.stat().st_size == len(path.read_bytes())
        assert size <= limit, (path.name, size)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p, _ in letters)
    # the letters are a whole bundle: the other laptop reads back exactly the update
    summary = summary_of(vhxh, exchange.import_paths(vhxh, [out]))
    assert [(u.name, u.counts.get("task_updates"), u.counts.get("documents")) for u in
            summary.units] == [(TTHCC, 1, 1)]  # fmt: skip
    assert summary.parts_waiting == 0


def test_the_default_nine_megabytes_fit_a_ten_megabyte_mail_server(tmp_path: Path) -> None:
    data = os.urandom(20_000_000)  # a bundle carrying scans, larger than two letters
    kwargs = {"to": "vanphong@example.vn", "sender": "cchc@localhost", "prefix": "cchc-x"}

    letters, _part = exchange.letters_within(data, 9_000_000, None, kwargs)

    sizes = [len(m.as_bytes()) for m in letters]
    assert max(sizes) <= 9_000_000 < 10_000_000
    assert min(sizes[:-1]) > 8_900_000  # filled up to the limit, not cut needlessly small
    assert len(sizes) == 4  # 20 MB in base64 is about 27 MB of letters
    assert [size_text(n) for n in sizes][0].endswith(" MB")


def test_a_letter_limit_too_small_for_one_letter_is_refused_before_anything_is_written(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    from cchc.domain.errors import InvalidInput

    out = tmp_path / "thu"
    with pytest.raises(InvalidInput) as refused:
        exchange.write_email(net["tthcc"], to="vp@example.vn", out=out, letter_size=2000)
    assert refused.value.key == "letter_size_small"
    assert not out.exists() or not any(out.iterdir())


def test_bundle_files_carry_the_unit_and_the_island_date_not_raw_ids(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, city = net["tthcc"], net["city"]
    _heavy_update(tthcc, tmp_path, 3000)
    site = str(exchange.identity(tthcc)["site_id"])

    whole = exchange.export_to(tthcc, tmp_path / "usb")
    parts = exchange.export_to(tthcc, tmp_path / "parts", part_size=2048)
    letters = exchange.write_email(tthcc, to="vp@example.vn", out=tmp_path / "thu")
    from_city = exchange.export_to(city, tmp_path / "city")

    day = tthcc.today().isoformat()
    for path in [*whole, *parts, *letters]:
        assert path.name.startswith(f"cchc-trung-tam-phuc-vu-hanh-chinh-cong-dac-khu-{day}-")
        assert site[:8] not in path.name
        assert re.fullmatch(r"[a-z0-9.\-]+", path.name), path.name
    assert from_city[0].name.startswith(f"cchc-thanh-pho-{day}-")
