"""`cchc sync export` on a laptop the city has not certified warns, in Vietnamese, that every
receiver will refuse the bundle; the import prints what came in by unit, not a change count."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cchc


def test_exporting_from_an_uncertified_laptop_warns_first(db_path: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    proc = run_cchc("--db", str(db_path), "sync", "export", "--to", str(usb), check=True)
    assert "chưa được Thành phố chứng nhận" in proc.stderr
    assert len(list(usb.glob("*.cchc"))) == 1
    again = run_cchc("--db", str(db_path), "sync", "import", str(usb))
    assert again.stdout.splitlines()[0] == "Đã xem 1 tệp."
    assert "thay đổi" not in again.stdout
