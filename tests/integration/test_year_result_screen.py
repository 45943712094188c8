"""The "Kết quả cả năm" dialog of the Báo cáo destination (issue 19, deliverable 3: "after the
year's last day a final verdict, and a command/screen that gives it"): the same answer as
`cchc targets --final 2026`. Worked by hand from the decision: on 05/01/2027, row 26 ("Cả năm
2026") never done makes target c "không đạt"; no inspection held in 2026 makes target d "không
đạt"; nothing is left "đúng tiến độ" or "có nguy cơ". On 20/12/2026 the year is not over: the
dialog says so and shows the year to date, never as final."""

from __future__ import annotations

import datetime as dt

from cchc.services import overview as overview_service
from cchc.services import reports as rs
from cchc.services import targets as ts
from cchc.services.workspace import Workspace
from cchc.ui.screens.reports import ReportsScreen
from tests.integration.screen_ctx import ScreenContext, control_tagged


def _open(db_path, when: dt.datetime) -> Workspace:
    ws = Workspace.open(db_path, clock=lambda: when)
    overview_service.set_local_profile(ws, "vhxh", "Lê Thị Bình")
    return ws


def _dialog(ws, db_path):
    ctx = ScreenContext(ws, db_path)
    screen = ReportsScreen(ctx)
    screen.show()
    control_tagged(screen.view, "report-year-open").content.on_click(None)
    return ctx, ctx.page.dialogs[-1].content


def _verdict(panel) -> str:
    return control_tagged(panel, "year-result-verdict").content.value


def _label(panel, code: str) -> str:
    return control_tagged(panel, f"year-target-{code}").label


def _run(panel, year: str) -> None:
    control_tagged(panel, "year-result-year").content.value = year
    control_tagged(panel, "year-result-run").content.on_click(None)


def test_after_the_year_the_dialog_gives_the_final_verdict_of_every_target(db_path):
    ws = _open(db_path, dt.datetime(2027, 1, 5, 5, 0, tzinfo=dt.UTC))
    try:
        view = rs.new_report(ws, unit="vhxh", period="2026", by="A")  # the year's: none held
        fields = {"received_direct": "3", "resolved_on_time": "3", "inspections_held": "0"}
        rs.set_report(ws, view.id, fields=fields, number="2")
        rs.submit_report(ws, view.id, by="A")
        _, panel = _dialog(ws, db_path)
        assert _verdict(panel) == "Kết quả cuối cùng năm 2026 (tính đến hết ngày 31/12/2026)."
        assert _label(panel, "c").endswith(": Không đạt")
        assert _label(panel, "d").endswith(": Không đạt")
        final = ts.measure(ws, final_year=2026)  # the command line's answer, target by target
        for target in final.targets:
            assert _label(panel, target.code).endswith(
                {"met": "Đạt", "not_met": "Không đạt", "no_data": "Chưa đủ số liệu"}[target.status]
            )
        tally = control_tagged(panel, "year-result-tally").content.value
        met = sum(t.status == "met" for t in final.targets)
        not_met = sum(t.status == "not_met" for t in final.targets)
        assert tally.startswith(f"Đạt: {met}; không đạt: {not_met};")

        _run(panel, "20x6")
        assert _verdict(panel) == "Năm “20x6” không hợp lệ: nhập bốn chữ số, ví dụ 2026."
        _run(panel, "2027")  # not over, and not the plan's year: no other year's rows shown
        assert _verdict(panel).startswith("Chưa có kết quả cuối cùng năm 2027")
        assert "cuối cùng năm 2026" not in _verdict(panel)
        assert control_tagged(panel, "year-result-tally") is None
    finally:
        ws.close()


def test_before_the_year_ends_the_dialog_says_so_and_shows_the_year_to_date(db_path):
    ws = _open(db_path, dt.datetime(2026, 12, 20, 5, 0, tzinfo=dt.UTC))
    try:
        _, panel = _dialog(ws, db_path)
        verdict = _verdict(panel)
        assert verdict.startswith(
            "Chưa có kết quả cuối cùng năm 2026: năm kết thúc ngày 31/12/2026"
        )
        # the year's reports run to their cut-off, 14/12/2026 (Nghị định 09/2019/NĐ-CP)
        assert (
            "Kết quả lũy kế năm 2026 đến ngày 14/12/2026, chưa phải kết quả cuối cùng." in verdict
        )
        assert _label(panel, "d").endswith(": Chưa thực hiện")  # no inspection yet: not failed
    finally:
        ws.close()
