"""Parts and folders as the officer meets them: a bundle in two parts reads "đã đủ 2/2" once
both are in and "đã có 1/2" while one waits; "Nhập" on a USB stick finds the files each unit
left in a folder of its own, and no deeper than it should."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import exchange
from cchc.services import tasks as task_service
from cchc.services.import_summary import summary_of
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe
from cchc.texts.exchange import summary_lines
from cchc.ui.sync.receive_panel import part_line
from tests.integration.worlds import certified_net

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(tmp_path, (("vhxh", "vhxh", "consolidator"), ("tthcc", "tthcc", "unit")))
    yield sites
    for ws in sites.values():
        ws.close()


def _two_parts(tthcc: Workspace, tmp_path: Path) -> list[Path]:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(6000))
    stt = next(t.stt for t in task_service.list_tasks(tthcc) if t.lead_unit == "tthcc" and t.stt)
    task_service.update_task(
        tthcc,
        str(stt),
        progress=50,
        by="Trần Văn C",
        evidence=task_service.Evidence(
            file=scan, doc_type="Kế hoạch", number="12/KH-TTHCC", date="10/03/2026"
        ),
    )
    # the size of the bundle as it leaves by hand: sealed to its readers (a header of wraps)
    (whole,) = exchange.export_to(tthcc, tmp_path / "whole")
    size = whole.stat().st_size
    parts = exchange.export_to(tthcc, tmp_path / "parts", part_size=size // 2 + 200)
    assert len(parts) == 2
    return parts


def test_a_complete_two_part_bundle_reads_whole_and_an_incomplete_one_says_what_it_has(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    vhxh = net["vhxh"]
    first, second = _two_parts(net["tthcc"], tmp_path)

    half = exchange.import_paths(vhxh, [first])
    half_lines = summary_lines(summary_of(vhxh, half))
    (staged,) = half.files
    assert staged.staged and staged.part is not None
    assert part_line(staged.part).endswith(": đã có 1/2.")
    assert any(line.endswith("đã có 1/2 phần, còn chờ các phần chưa tới.") for line in half_lines)

    rest = exchange.import_paths(vhxh, [second])
    summary = summary_of(vhxh, rest)
    (done,) = rest.files
    assert done.part is not None and part_line(done.part).endswith(": đã đủ 2/2.")
    assert [(u.name, u.counts.get("documents")) for u in summary.units] == [(TTHCC, 1)]
    assert summary.parts_waiting == 0
    assert any(line.endswith(": đã đủ 2/2 phần.") for line in summary_lines(summary))


def test_both_parts_in_one_import_both_read_whole(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    vhxh = net["vhxh"]
    parts = _two_parts(net["tthcc"], tmp_path)

    report = exchange.import_paths(vhxh, [tmp_path / "parts"])

    notes = [f.part for f in report.files]
    assert [n is not None and n.complete for n in notes] == [True, True]
    lines = summary_lines(summary_of(vhxh, report))
    assert not any("chờ" in line for line in lines), lines
    assert sum("đã đủ 2/2 phần" in line for line in lines) == 1
    assert {p.name for p in parts} == {Path(f.source).name for f in report.files}


def test_importing_a_stick_looks_into_each_units_folder_but_not_without_bound(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh = net["tthcc"], net["vhxh"]
    stt = next(t.stt for t in task_service.list_tasks(tthcc) if t.lead_unit == "tthcc" and t.stt)
    task_service.update_task(tthcc, str(stt), progress=30, by="Trần Văn C")
    stick = tmp_path / "usb"
    (written,) = exchange.export_to(tthcc, stick / "TTHCC" / "thang-3")
    deep = stick / "a" / "b" / "c" / "d"
    deep.mkdir(parents=True)
    (deep / "lost.cchc").write_bytes(b"not looked at")  # four levels down: out of reach
    (stick / "TTHCC" / ".Trash-1000").mkdir()
    (stick / "TTHCC" / ".Trash-1000" / "old.cchc").write_bytes(b"hidden")
    (stick / "link").symlink_to(stick / "TTHCC", target_is_directory=True)

    report = exchange.import_paths(vhxh, [stick])

    assert [f.source for f in report.files] == [str(written)]
    summary = summary_of(vhxh, report)
    assert [(u.name, u.counts.get("task_updates")) for u in summary.units] == [(TTHCC, 1)]


def test_a_stick_with_more_entries_than_looked_at_is_said_so_not_silently_cut(
    net: dict[str, Workspace], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exchange, "FOLDER_ENTRIES", 5)
    stick = tmp_path / "usb"
    for i in range(8):
        (stick / f"anh-{i}").mkdir(parents=True)

    report = exchange.import_paths(net["vhxh"], [stick])

    (said,) = [f for f in report.files if f.error_code == "folder_too_many"]
    assert said.source == str(stick)
    assert said.error is not None and "chỉ xem 5 mục đầu tiên" in describe(said.error)
    lines = summary_lines(summary_of(net["vhxh"], report))
    # said as what it is (not all was looked at), not as a file refused
    assert any(line.startswith("Thư mục này có quá nhiều mục") for line in lines), lines
    assert not any("bị từ chối" in line for line in lines)
