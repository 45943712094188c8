"""Reports benchmark: the zone's annual report with all the plan's tasks, from the database to
the PDF on disk, in one run. Target: under 1 s per PDF (after the first, which also loads the
fonts); consolidation, issuing (the verification code over the canonical content), CSV export and
`report verify` of the PDF (the code read back with pypdf) are printed beside it."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

PDF_TARGET_S = 1.0
RUNS = 5


def main() -> None:
    from cchc.services import provenance
    from cchc.services import reports as rs
    from cchc.services.report_output import write_export, write_pdf
    from cchc.services.workspace import Workspace

    noon = dt.datetime(2027, 1, 5, 5, 0, tzinfo=dt.UTC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.open(folder / "bench.sqlite", clock=lambda: noon)
        try:
            for unit in ("tthcc", "vp_ubnd", "vhxh", "tai_chinh"):
                view = rs.new_report(ws, unit=unit, period="2026", by="bench")
                rs.set_report(
                    ws,
                    view.id,
                    fields={"received_direct": "100", "resolved_on_time": "100"},
                    sections={
                        key: f"Kết quả lĩnh vực {key} của đơn vị. " * 8
                        for key in ["I", "II", "III"]
                    },
                )
                rs.submit_report(ws, view.id, by="bench")
            start = time.perf_counter()
            zone = rs.consolidate(ws, period="2026", by="bench")
            consolidate_s = time.perf_counter() - start
            start = time.perf_counter()
            zone = rs.submit_report(ws, zone.id, by="bench")
            issue_s = time.perf_counter() - start

            timings = []
            for n in range(RUNS):
                start = time.perf_counter()
                write_pdf(ws, zone.id, folder / f"annual-{n}.pdf")
                timings.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_export(ws, zone.id, folder / "annual.csv")
            csv_s = time.perf_counter() - start
            size_kb = (folder / "annual-0.pdf").stat().st_size / 1024
            start = time.perf_counter()
            verified = provenance.verify(ws, str(folder / "annual-0.pdf"))
            verify_s = time.perf_counter() - start
            assert verified.ok, verified.outcome
        finally:
            ws.close()

    first, rest = timings[0], timings[1:]
    median = statistics.median(rest)
    print(f"tasks in the annual report: {len(zone.tasks)}")
    print(
        f"annual PDF, first (fonts loaded): {first:.3f} s   target < {PDF_TARGET_S:.1f} s   "
        f"ratio {first / PDF_TARGET_S:.2f}"
    )
    print(
        f"annual PDF, median of {len(rest)} more: {median:.3f} s   target < {PDF_TARGET_S:.1f} s"
        f"   ratio {median / PDF_TARGET_S:.2f}"
    )
    print(f"PDF size: {size_kb:.0f} KiB")
    print(f"consolidation of 4 unit reports: {consolidate_s:.3f} s")
    print(f"issuing the zone report (verification code): {issue_s:.3f} s")
    print(f"CSV export: {csv_s:.3f} s")
    print(f"report verify of the PDF (code read back, content recomputed): {verify_s:.3f} s")


if __name__ == "__main__":
    main()
