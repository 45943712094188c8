"""A new year (JOURNEYS 11), across real certified laptops: in January the city publishes the
2027 plan with two tasks carried over from 2026; the laptops of the zone receive it in a signed
bundle and hold the same plan; 2026 and 2027 each report on their own tasks and targets; the
2026 report issued before still verifies. Only the city writes a plan: a unit laptop that writes
one straight into its file is refused by every other copy."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import CchcError, InvalidInput
from cchc.services import exchange, plan_publish, provenance, report_output
from cchc.services import reports as rs
from cchc.services import targets as target_service
from cchc.services import tasks as task_service
from cchc.services.plan import plan_years, seed_id
from cchc.services.workspace import Workspace
from cchc.store.uow import transaction
from tests.integration.worlds import certify_laptop

ROOT = Path(__file__).resolve().parents[2]
PLAN_2027 = ROOT / "tests" / "plans" / "ke-hoach-bach-long-vi-2027.toml"
MARCH_2026 = dt.datetime.fromisoformat("2026-03-17T09:00:00+07:00")
JANUARY_2027 = dt.datetime.fromisoformat("2027-01-12T09:00:00+07:00")
LAPTOPS = (("vhxh", "vhxh", "consolidator"), ("tthcc", "tthcc", "unit"))
PLAN_TABLES = ("plan", "plan_zone", "areas", "targets", "units", "unit_reporting")


@pytest.fixture
def net(tmp_path: Path) -> Iterator[tuple[dict[str, Workspace], list[dt.datetime]]]:
    """The city (root) and two certified laptops sharing one clock the test moves."""
    moment = [MARCH_2026]

    def clock() -> dt.datetime:
        return moment[0]

    city = Workspace.open(tmp_path / "city.sqlite", clock=clock)
    fp = exchange.init_root(city)["root_fingerprint"]
    sites = {"city": city}
    for name, unit, role in LAPTOPS:
        sites[name] = Workspace.open(tmp_path / f"{name}.sqlite", clock=clock)
        certify_laptop(city, sites[name], unit, role, tmp_path / f"{name}.trust", fp)
    for name, _, _ in LAPTOPS:  # every laptop learns every certificate
        exchange.import_bytes(sites[name], exchange.export_bundle(sites["city"]))
    yield sites, moment
    for ws in sites.values():
        ws.close()


def send(src: Workspace, dst: Workspace) -> None:
    result = exchange.import_bytes(dst, exchange.export_bundle(src))
    assert result.rejected == 0, [r.reason for r in result.rejections]


def rows(ws: Workspace, table: str, where: str = "") -> list[tuple]:
    return ws.db.conn.execute(f"SELECT * FROM {table} {where} ORDER BY 1").fetchall()


def year_2026(sites: dict[str, Workspace], tmp_path: Path) -> dict[str, str | Path]:
    """March 2026: Phòng VH-XH works on row 4 (a document attached); Trung tâm PVHCC submits its
    Q1 report, whose code and PDF are kept; everything reaches the city."""
    evidence = tmp_path / "ke-hoach-tuyen-truyen.pdf"
    evidence.write_bytes(b"%PDF-1.4 ke hoach tuyen truyen 2026")
    task_service.update_task(
        sites["vhxh"],
        "4",
        status="in_progress",
        progress=60,
        by="Trần Thị Bình",
        evidence=task_service.Evidence(
            file=evidence, doc_type="Kế hoạch", number="12/KH-UBND", date="15/03/2026", title=""
        ),
    )
    view = rs.new_report(sites["tthcc"], unit="tthcc", period="2026-Q1", by="Nguyễn Văn An")
    rs.set_report(
        sites["tthcc"],
        view.id,
        fields={
            "received_direct": "40",
            "resolved_on_time": "35",
            "pending_within_time": "5",
            "payments_total": "30",
        },
        sections={"III": "Kết quả quý I của Trung tâm."},
    )
    issued = rs.submit_report(sites["tthcc"], view.id, by="Nguyễn Văn An")
    assert issued.content_code is not None
    pdf = report_output.write_pdf(sites["tthcc"], issued.id, tmp_path / "bao-cao-2026-q1.pdf")
    send(sites["vhxh"], sites["city"])
    send(sites["tthcc"], sites["city"])
    return {"report": issued.id, "code": issued.content_code, "pdf": pdf}


def test_the_city_publishes_2027_with_two_carried_tasks_and_a_laptop_receives_it_by_bundle(
    net, tmp_path
):
    sites, moment = net
    city, vhxh, tthcc = sites["city"], sites["vhxh"], sites["tthcc"]
    issued = year_2026(sites, tmp_path)
    old_row_4 = task_service.get_task(city, "4", 2026)
    assert (old_row_4.status, old_row_4.progress) == ("in_progress", 60)

    moment[0] = JANUARY_2027
    loaded = plan_publish.load_plan(city, PLAN_2027, carry=[8], by="Sở Nội vụ")
    assert (loaded.number, loaded.year, loaded.tasks, loaded.already) == (
        "05/QĐ-UBND",
        2027,
        6,
        False,
    )
    assert [(c.stt, c.from_stt, c.from_year) for c in loaded.carried] == [
        (3, 4, 2026),
        (6, 8, 2026),
    ]

    # The laptop has nothing of 2027 until the bundle comes; then it holds what the city holds.
    assert plan_years(vhxh) == [2026]
    send(city, vhxh)
    send(vhxh, tthcc)  # relayed by the consolidator, as the boat carries it
    assert plan_years(vhxh) == plan_years(tthcc) == [2026, 2027]
    for table in PLAN_TABLES:
        assert rows(vhxh, table) == rows(city, table) == rows(tthcc, table), table
    year_tasks = "WHERE plan_year = 2027"
    assert rows(vhxh, "tasks", year_tasks) == rows(city, "tasks", year_tasks)
    assert rows(tthcc, "tasks", year_tasks) == rows(city, "tasks", year_tasks)
    assert len(rows(vhxh, "tasks", year_tasks)) == 6

    # Each carried task is marked with its old row, starts where it stood, and keeps its
    # history and evidence; the 2026 row stays as it was in 2026.
    carried = task_service.get_task(vhxh, "3", 2027)
    assert (carried.carried_from_stt, carried.carried_from_year) == (4, 2026)
    assert carried.carried_from == old_row_4.id
    assert (carried.status, carried.progress, carried.timeframe) == (
        "in_progress",
        60,
        "Quý II/2027",
    )
    assert [d.number for d in carried.documents] == ["12/KH-UBND"]
    assert any(h.actor == "Trần Thị Bình" for h in carried.history)
    chosen = task_service.get_task(tthcc, "6", 2027)
    assert (chosen.carried_from_stt, chosen.timeframe) == (8, "Cả năm 2027")
    assert task_service.get_task(vhxh, "4", 2026).status == "in_progress"
    assert task_service.get_task(vhxh, "4", 2027).content.startswith("Số hóa hồ sơ")

    # The laptop works on 2027 from then on, and its work travels back as usual.
    assert [t.stt for t in task_service.list_tasks(vhxh)] == [1, 2, 3, 4, 5, 6]
    assert len(task_service.list_tasks(vhxh, year=2026)) == 26
    task_service.update_task(vhxh, "3", status="done", done_on="10/01/2027", by="Trần Thị Bình")
    send(vhxh, city)
    assert task_service.get_task(city, "3", 2027).status == "done"
    assert task_service.get_task(city, "4", 2026).status == "in_progress"

    # Both years report: each report lists its own year's tasks, each year's targets its own.
    report_2027 = rs.new_report(tthcc, unit="tthcc", period="2027-Q1", by="Nguyễn Văn An")
    report_2026 = rs.new_report(tthcc, unit="tthcc", period="2026-Q2", by="Nguyễn Văn An")
    ids_2027 = {t.id for t in task_service.list_tasks(tthcc, year=2027)}
    ids_2026 = {t.id for t in task_service.list_tasks(tthcc, year=2026)}
    lines_2027 = {line.task_id for line in report_2027.tasks}
    lines_2026 = {line.task_id for line in report_2026.tasks}
    assert lines_2027 and lines_2027 <= ids_2027
    assert lines_2026 and lines_2026 <= ids_2026
    assert {c.code for c in target_service.specs(tthcc, 2027)} == {"a", "e"}
    assert len(target_service.specs(tthcc, 2026)) == 9
    assert {t.code for t in target_service.measure(tthcc, period="2027").targets} == {"a", "e"}
    assert len(target_service.measure(tthcc, period="2026").targets) == 9

    # The 2026 report issued in March still verifies, by its code and by its PDF, everywhere.
    for ws in (tthcc, city):
        for ref in (str(issued["code"]), str(issued["pdf"])):
            result = provenance.verify(ws, ref)
            assert (result.ok, result.outcome, result.report_id) == (
                True,
                "verified",
                issued["report"],
            )


def test_loading_the_same_plan_again_changes_nothing_and_another_year_cannot_be_loaded_twice(
    net, tmp_path
):
    sites, moment = net
    city = sites["city"]
    moment[0] = JANUARY_2027
    plan_publish.load_plan(city, PLAN_2027)
    before = rows(city, "tasks")
    again = plan_publish.load_plan(city, PLAN_2027)
    assert again.already and rows(city, "tasks") == before
    other = tmp_path / "ke-hoach-2027-khac.toml"
    other.write_text(
        PLAN_2027.read_text(encoding="utf-8").replace("05/QĐ-UBND", "09/QĐ-UBND"), encoding="utf-8"
    )
    with pytest.raises(CchcError) as err:
        plan_publish.load_plan(city, other)
    assert err.value.key == "plan_year_held"
    assert rows(city, "tasks") == before


def test_only_unfinished_rows_of_last_year_are_carried_and_a_unit_laptop_may_not_publish(net):
    sites, moment = net
    city, tthcc = sites["city"], sites["tthcc"]
    moment[0] = JANUARY_2027
    with pytest.raises(CchcError) as done:
        plan_publish.load_plan(city, PLAN_2027, carry=[1])  # row 1 is done by the decision
    assert done.value.key == "plan_carry_row_done"
    with pytest.raises(CchcError) as unknown:
        plan_publish.load_plan(city, PLAN_2027, carry=[99])
    assert unknown.value.key == "plan_carry_row_unknown"
    with pytest.raises(InvalidInput) as refused:
        plan_publish.load_plan(tthcc, PLAN_2027)
    assert refused.value.key == "not_permitted"
    for ws in (city, tthcc):
        assert plan_years(ws) == [2026]
        assert rows(ws, "plan_files") == []


def _forged_plan_row(ws: Workspace) -> tuple[str, tuple]:
    """A 2028 plan with one task led by Trung tâm PVHCC, made as the city would make it."""
    body = {
        "plan": {
            "id": seed_id("99/QĐ-UBND", "plan", "99/QĐ-UBND"),
            "number": "99/QĐ-UBND",
            "date": "2028-01-02",
            "issuer": "Trung tâm",
            "place": "Bạch Long Vĩ",
            "title": "Kế hoạch giả",
            "year": 2028,
            "signer_title": "Giám đốc",
            "signer_name": "Không ai",
        },
        "zone": {},
        "areas": [],
        "units": [],
        "unit_reporting": [],
        "targets": [],
        "tasks": [],
    }
    source = "format_version = 1\n"
    values = (
        body["plan"]["id"],
        2028,
        "99/QĐ-UBND",
        "đặc khu Bạch Long Vĩ",
        source,
        hashlib.sha256(source.encode()).hexdigest(),
        json.dumps(body, ensure_ascii=False),
        "[]",
        ws.now_iso(),
        "Trung tâm",
    )
    sql = (
        "INSERT INTO plan_files (id, year, number, zone, source, source_sha256, body, carried,"
        " loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    return sql, values


def test_a_unit_laptop_writing_a_plan_row_is_refused_by_its_guard_and_by_every_other_copy(net):
    sites, moment = net
    city, vhxh, tthcc = sites["city"], sites["vhxh"], sites["tthcc"]
    moment[0] = JANUARY_2027
    sql, values = _forged_plan_row(tthcc)

    # Through the app: its own commit guard refuses it, and nothing is stored.
    with pytest.raises(exchange.ChangeRefused), transaction(tthcc.db):
        tthcc.db.conn.execute(sql, values)
    assert rows(tthcc, "plan_files") == [] and plan_years(tthcc) == [2026]

    # Straight into its file, as a tampered laptop would: captured, sent, refused everywhere.
    tthcc.db.conn.execute(sql, values)
    tthcc.db.conn.commit()
    assert plan_years(tthcc) == [2026, 2028]  # its own copy, which nobody else will hold
    for dst in (city, vhxh):
        result = exchange.import_bytes(dst, exchange.export_bundle(tthcc))
        assert [(r.table, r.row_id) for r in result.rejections] == [("plan_files", values[0])]
        assert rows(dst, "plan_files") == [] and plan_years(dst) == [2026]
    # Relayed by the consolidator, it is refused again at the city.
    result = exchange.import_bytes(city, exchange.export_bundle(vhxh))
    assert rows(city, "plan_files") == [] and plan_years(city) == [2026]


def test_a_published_plan_is_never_rewritten_not_even_by_the_city(net):
    sites, moment = net
    city = sites["city"]
    moment[0] = JANUARY_2027
    plan_publish.load_plan(city, PLAN_2027)
    before = rows(city, "plan_files")
    with pytest.raises(exchange.ChangeRefused), transaction(city.db):
        city.db.conn.execute("UPDATE plan_files SET number = '06/QĐ-UBND'")
    with pytest.raises(exchange.ChangeRefused), transaction(city.db):
        city.db.conn.execute("DELETE FROM plan_files")
    assert rows(city, "plan_files") == before


def test_a_raw_sqlite_connection_sees_the_plan_rows_of_a_received_plan(net, tmp_path):
    """The plan's rows are written in the database itself (not held in memory by the app)."""
    sites, moment = net
    moment[0] = JANUARY_2027
    plan_publish.load_plan(sites["city"], PLAN_2027)
    send(sites["city"], sites["vhxh"])
    with sqlite3.connect(sites["vhxh"].path) as conn:
        found = conn.execute("SELECT count(*) FROM tasks WHERE plan_year = 2027").fetchone()[0]
    assert found == 5
