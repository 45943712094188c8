"""UI speed on a city-sized database: page load → dashboard drawn, filter change → list updated.

The database is generated through the services: the plan's units plus city units up to 114, two
tasks assigned to each from city documents, and a year of progress updates. Then the real
`cchc ui --web` serves it to Debian's Chromium (offline, as in the UI tests).
Targets: first full dashboard ≤ 2 s; updated list ≤ 200 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from cchc.services import overview
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.store.uow import transaction
from tests.ui.harness import by_id, choose, chromium, fill, open_app, serve

UNITS = 114
TASKS_PER_UNIT = 2
UPDATES = 3000
LOAD_TARGET_S = 2.0
LOAD_ROUNDS = 5
FILTER_TARGET_S = 0.2
OFFICER = "Cán bộ đo hiệu năng"


def _clock_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC)


def build_city_db(path: Path) -> dict[str, int]:
    """The plan, 114 units, their assigned tasks, and a year of updates, written via services."""
    start = dt.date(2026, 1, 5)
    with Workspace.open(path, clock=lambda: _clock_at(start)) as ws:
        existing = len(overview.units(ws))
        # Units have no create service yet (they come with the plan seed); add the city's
        # other agencies in one transaction, as an amended seed would.
        with transaction(ws.db):
            for i in range(UNITS - existing):
                ws.db.conn.execute(
                    "INSERT INTO units (id, code, name, aliases, role, duty_clause, duties)"
                    " VALUES (?, ?, ?, '[]', 'unit', NULL, '[]')",
                    (f"bench{i:04d}", f"don_vi_{i:03d}", f"Đơn vị thử nghiệm số {i + 1:03d}"),
                )
        units = [u for u in overview.units(ws) if u.role in ("unit", "consolidator")]
        rng = random.Random(7)
        for unit in units:
            for k in range(TASKS_PER_UNIT):
                task_service.add_task(
                    ws,
                    content=f"Tổ chức tập huấn nghiệp vụ cải cách hành chính đợt {k + 1}",
                    lead=unit.code,
                    partners=[],
                    due=None,
                    timeframe=rng.choice(["Quý II/2026", "Quý III/2026", "Cả năm 2026"]),
                    source_number=f"{rng.randint(1, 999)}/UBND-NC",
                    source_date="02/01/2026",
                    source_issuer="UBND thành phố Hải Phòng",
                    by=OFFICER,
                )
    refs = []
    with Workspace.open(path) as ws:
        refs = [v.id for v in task_service.list_tasks(ws)]
    rng = random.Random(11)
    progress: dict[str, int] = {}
    per_day = UPDATES // 360 + 1
    done = 0
    for day_index in range(360):
        day = start + dt.timedelta(days=day_index)
        with Workspace.open(path, clock=lambda d=day: _clock_at(d), load_plan=False) as ws:
            for _ in range(per_day):
                if done >= UPDATES:
                    break
                ref = rng.choice(refs)
                value = min(95, progress.get(ref, 0) + rng.randint(1, 10))
                if progress.get(ref) == value:
                    continue
                progress[ref] = value
                task_service.update_task(
                    ws, ref, progress=value, note=f"Cập nhật ngày {day:%d/%m}", by=OFFICER
                )
                done += 1
    with Workspace.open(path, load_plan=False) as ws:
        # the year's updates came from every unit's laptop; the screen is the consolidator's
        overview.set_local_profile(ws, "vhxh", OFFICER)
        counts = {
            "units": len(overview.units(ws)),
            "tasks": len(task_service.list_tasks(ws)),
            "updates": int(ws.db.conn.execute("SELECT count(*) FROM task_updates").fetchone()[0]),
            "history": int(ws.db.conn.execute("SELECT count(*) FROM history").fetchone()[0]),
        }
    return counts


def _count_is(page, text: str, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        """(text) => { const n = document.querySelector('[flt-semantics-identifier="task-count"]');
        return n && ((n.getAttribute('aria-label') || '') + n.innerText).includes(text); }""",
        arg=text,
        polling="raf",
        timeout=timeout,
    )


def _open_dropdown(page, identifier: str, option: str):  # type: ignore[no-untyped-def]
    """Open a dropdown and return its option, so only the choice itself is timed."""
    by_id(page, identifier).first.click()
    buttons = page.locator("flt-semantics[role=group] flt-semantics[role=button]")
    for _ in range(50):
        for candidate in buttons.filter(has_text=option).all():
            if candidate.inner_text().strip() == option:
                return candidate
        page.wait_for_timeout(100)
    raise RuntimeError(f"no option {option!r}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        folder = Path(tmp)
        db = folder / "city.sqlite"
        t0 = time.perf_counter()
        counts = build_city_db(db)
        print(f"city database: {json.dumps(counts)} built in {time.perf_counter() - t0:.1f} s")
        with Workspace.open(db, load_plan=False) as ws:
            total = len(task_service.list_tasks(ws))
            vhxh = len(task_service.list_tasks(ws, unit="vhxh"))
            searched = len(task_service.list_tasks(ws, search="tap huan dot 2"))
        with (
            serve(folder / "empty.sqlite", folder / "empty.log") as bare,
            serve(db, folder / "server.log") as server,
            chromium() as browsing,
        ):
            # The engine's own start (the first-start form: a few controls) and the full
            # dashboard are loaded in turn, a fresh tab each time, so both see the same load on
            # a shared machine; the app's own share is their difference, pair by pair.
            boots, loads = [], []
            for _ in range(LOAD_ROUNDS):
                page = browsing.new_page()
                boots.append(open_app(page, bare.url, "first-start", timeout=60))
                page.close()
                page = browsing.new_page()
                loads.append(open_app(page, server.url, "dashboard-ready", timeout=60))
                page.close()
            boot = statistics.median(boots)
            share = statistics.median(
                load - start for load, start in zip(loads, boots, strict=True)
            )
            page = browsing.new_page()
            open_app(page, server.url, "dashboard-ready", timeout=60)
            for _ in range(3):  # a click landing while the first frame settles can be lost
                by_id(page, "nav").get_by_role("button", name="Nhiệm vụ").first.click()
                try:
                    _count_is(page, f"{total}/{total}")
                    break
                except PlaywrightError:
                    continue
            unit_times, search_times, floor_times = [], [], []
            for _ in range(3):
                option = _open_dropdown(page, "filter-unit", "Phòng Văn hóa - Xã hội")
                began = time.perf_counter()
                option.click()
                _count_is(page, f"{vhxh}/{total}")
                unit_times.append(time.perf_counter() - began)
                choose(page, "filter-unit", "Tất cả")
                _count_is(page, f"{total}/{total}")
                box = by_id(page, "filter-search").locator("input").first
                for _ in range(5):  # a bare fill is sometimes lost (see the Flet notes): retry
                    box.click()
                    began = time.perf_counter()
                    box.fill("tap huan dot 2")
                    try:
                        _count_is(page, f"{searched}/{total}", timeout=3_000)
                    except PlaywrightError:
                        continue
                    search_times.append(time.perf_counter() - began)
                    break
                fill(page, "filter-search", "")
                _count_is(page, f"{total}/{total}")
                for _ in range(5):  # the floor: a round trip that empties the list
                    box.click()
                    began = time.perf_counter()
                    box.fill("khong co nhiem vu nay")
                    try:
                        _count_is(page, f"0/{total}", timeout=3_000)
                    except PlaywrightError:
                        continue
                    floor_times.append(time.perf_counter() - began)
                    break
                fill(page, "filter-search", "")
                _count_is(page, f"{total}/{total}")
            outside = browsing.outside
        load = statistics.median(loads)
        search = statistics.median(search_times)
        unit_pick = statistics.median(unit_times)
        print(
            f"page load → dashboard drawn: median {load:.2f} s of {len(loads)} "
            f"(target ≤ {LOAD_TARGET_S:.1f} s) {'OK' if load <= LOAD_TARGET_S else 'OVER'}"
        )
        print(
            f"search typed → list updated ({searched}/{total} tasks): median {search * 1000:.0f} ms "
            f"(target ≤ {FILTER_TARGET_S * 1000:.0f} ms) "
            f"{'OK' if search <= FILTER_TARGET_S else 'OVER'}"
        )
        print(
            f"unit option clicked → list updated ({vhxh}/{total} tasks): median "
            f"{unit_pick * 1000:.0f} ms (target ≤ {FILTER_TARGET_S * 1000:.0f} ms) "
            f"{'OK' if unit_pick <= FILTER_TARGET_S else 'OVER'}"
        )
        print(
            f"for reference, search with no match (list emptied: the browser↔server round trip "
            f"and redraw alone): median {statistics.median(floor_times) * 1000:.0f} ms"
        )
        print(
            f"for reference, page load → first-start form (a few controls, i.e. the web engine's "
            f"own start on this machine): median {boot:.2f} s"
        )
        print(
            f"the app's own share of the first screen (dashboard minus the engine's start, "
            f"paired): median {share:.2f} s; the very first dashboard after the server started "
            f"(what the officer waits for): {loads[0]:.2f} s"
        )
        print(f"requests beyond 127.0.0.1: {len(outside)}")
