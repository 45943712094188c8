"""An import is summarised as officers count it (by sending unit: reports, task updates,
documents), the same for screen and command line; importing one's own bundle is no exchange."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import exchange, sync_view
from cchc.services import tasks as task_service
from cchc.services.import_summary import summary_of
from cchc.services.workspace import Workspace
from cchc.texts.exchange import summary_lines
from tests.integration.worlds import certified_net

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(tmp_path, (("vhxh", "vhxh", "consolidator"), ("tthcc", "tthcc", "unit")))
    yield sites
    for ws in sites.values():
        ws.close()


def _tthcc_task(ws: Workspace) -> str:
    led = [t for t in task_service.list_tasks(ws) if t.lead_unit == "tthcc" and t.stt]
    return str(led[0].stt)


def test_an_import_says_what_came_from_which_unit_not_how_many_changes(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh = net["tthcc"], net["vhxh"]
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    task_service.update_task(
        tthcc,
        _tthcc_task(tthcc),
        progress=50,
        status="in_progress",
        note="Đang triển khai",
        by="Trần Văn C",
        evidence=task_service.Evidence(
            file=pdf, doc_type="Kế hoạch", number="12/KH-TTHCC", date="10/03/2026"
        ),
    )
    usb = tmp_path / "usb"
    exchange.export_to(tthcc, usb)

    summary = summary_of(vhxh, exchange.import_paths(vhxh, [usb]))
    lines = summary_lines(summary)

    assert [u.name for u in summary.units] == [TTHCC]
    counts = summary.units[0].counts
    assert counts.get("task_updates") == 1
    assert counts.get("documents") == 1
    assert f"Từ {TTHCC}: 1 nhiệm vụ được cập nhật, 1 văn bản." in lines
    assert not any("thay đổi" in line for line in lines)

    again = summary_lines(summary_of(vhxh, exchange.import_paths(vhxh, [usb])))
    assert "Không có gì mới: các gói này đã được nhập trước đây." in again


def test_importing_its_own_bundle_is_not_an_exchange_with_itself(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc = net["tthcc"]
    task_service.update_task(tthcc, _tthcc_task(tthcc), progress=20, by="Trần Văn C")
    usb = tmp_path / "usb"
    exchange.export_to(tthcc, usb)
    exchange.import_paths(tthcc, [usb])
    me = exchange.identity(tthcc)["site_id"]
    assert [
        e.site_id for e in sync_view.last_exchanges(tthcc, "Thành phố") if e.site_id == me
    ] == []


def test_a_refused_change_is_listed_under_its_unit_with_the_reason(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh = net["tthcc"], net["vhxh"]
    other = next(t for t in task_service.list_tasks(tthcc) if t.lead_unit != "tthcc" and t.stt)
    # a tampered laptop writes past its own checks, straight into its database
    tthcc.db.conn.execute("UPDATE tasks SET progress = 90 WHERE stt = ?", (other.stt,))
    tthcc.db.conn.commit()
    usb = tmp_path / "usb"
    exchange.export_to(tthcc, usb)

    summary = summary_of(vhxh, exchange.import_paths(vhxh, [usb]))

    (unit,) = summary.units
    assert unit.name == TTHCC and unit.refused
    lines = summary_lines(summary)
    refused = [line for line in lines if line.startswith(f"Bị từ chối ({TTHCC})")]
    assert refused and all(len(line) > len(f"Bị từ chối ({TTHCC}): ") for line in refused)
    assert "tasks" not in " ".join(refused)  # said in words, not by table name


def test_work_taken_back_from_a_revoked_laptop_is_said_by_unit_not_as_a_refusal(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh, city = net["tthcc"], net["vhxh"], net["city"]
    task_service.update_task(
        tthcc, _tthcc_task(tthcc), progress=70, status="in_progress", by="Trần Văn C"
    )
    exchange.export_to(tthcc, tmp_path / "usb")
    exchange.import_paths(vhxh, [tmp_path / "usb"])  # the city never got it
    exchange.revoke(city, str(exchange.identity(tthcc)["site_id"]))
    exchange.export_to(city, tmp_path / "from-city")

    summary = summary_of(vhxh, exchange.import_paths(vhxh, [tmp_path / "from-city"]))
    lines = summary_lines(summary)

    taken = [u for u in summary.units if u.taken_back]
    assert [u.name for u in taken] == [TTHCC] and not taken[0].refused
    assert any(
        line.startswith(f"Đã gỡ khỏi máy này {taken[0].taken_back} thay đổi của {TTHCC}")
        for line in lines
    ), lines


def _tasks_in_bundles(folder: Path) -> set[str]:
    """The tasks a folder's (unencrypted) bundles really carry: task rows and the tasks of
    task-update rows, read from the bundles' own segments."""
    from sync.format import decode_bundle

    ids: set[str] = set()
    updates: set[str] = set()
    for path in folder.glob("*.cchc"):
        bundle, _signed, _sig = decode_bundle(path.read_bytes(), decrypt_with=[])
        for seg in bundle.segments:
            cols = seg.columns()
            for table, row, col, value in zip(
                cols.tables, cols.rows, cols.cols, cols.values, strict=True
            ):
                if table == "tasks":
                    ids.add(row)
                elif table == "task_updates" and col == "task_id":
                    updates.add(str(value))
    return ids | updates


def test_an_import_counts_only_what_the_files_brought_not_this_laptops_unsent_work(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    tthcc, vhxh = net["tthcc"], net["vhxh"]
    led = [t for t in task_service.list_tasks(tthcc) if t.lead_unit == "tthcc" and t.stt]
    for task in led[:2]:
        task_service.update_task(tthcc, str(task.stt), progress=40, by="Trần Văn C")
    usb = tmp_path / "usb"
    exchange.export_to(tthcc, usb, encrypt=False)  # in the clear: the test reads what it carries
    # the consolidating laptop has work of its own, not sent yet
    own = next(
        t
        for t in task_service.list_tasks(vhxh)
        if t.lead_unit == "vhxh" and t.stt and t.status != "done"  # row 1 is done by the decision
    )
    task_service.update_task(vhxh, str(own.stt), progress=30, by="Lê Thị Bình")

    summary = summary_of(vhxh, exchange.import_paths(vhxh, [usb]))

    carried = _tasks_in_bundles(usb)
    assert len(carried) == 2
    assert [u.name for u in summary.units] == [TTHCC]
    assert summary.units[0].counts.get("task_updates") == len(carried)
    assert not any("Phòng Văn hóa" in line for line in summary_lines(summary))
