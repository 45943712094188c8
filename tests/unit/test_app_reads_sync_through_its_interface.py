"""The app reads what the sync engine holds only through ``sync.reading`` (and ``Engine``): no
module under src/cchc names one of the engine's own tables (``_sync_*``), so the engine may
change how it stores its records without the app reading them wrong."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "src" / "cchc"
#: an engine table's name: ``_sync_`` not inside a longer identifier (``ui_sync_x`` is no table)
ENGINE_TABLE = re.compile(r"(?<![A-Za-z0-9])_sync_\w*")


def engine_tables_named(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in ENGINE_TABLE.finditer(line):
                found.append(f"{path.relative_to(root.parent.parent)}:{n}: {m.group(0)}")
    return found


def test_no_app_module_names_a_table_of_the_sync_engine() -> None:
    assert APP.is_dir()
    assert engine_tables_named(APP) == []


def test_the_check_finds_a_read_of_an_engine_table(tmp_path: Path) -> None:
    pkg = tmp_path / "src" / "cchc"
    pkg.mkdir(parents=True)
    (pkg / "ok.py").write_text('from cchc.texts.ui_sync import SYNC\nx = "_sync"\n')
    (pkg / "bad.py").write_text('rows = conn.execute("SELECT origin FROM _sync_cells")\n')
    assert engine_tables_named(pkg) == ["src/cchc/bad.py:1: _sync_cells"]
