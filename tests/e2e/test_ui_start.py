"""`cchc ui` never dies for want of a window, and serves on loopback only unless told otherwise."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import cchc_env, run_cchc


def test_without_a_display_cchc_ui_serves_in_the_browser_and_says_why_in_vietnamese(
    tmp_path: Path,
) -> None:
    env = cchc_env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "FLET_VIEW_PATH", "FLET_CLIENT_URL"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc", "--db", str(tmp_path / "db.sqlite"), "ui"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        text = "".join(lines)
        assert "Không mở được cửa sổ ứng dụng vì" in text, text
        assert "http://127.0.0.1:" in text
        port = int(text.split("http://127.0.0.1:")[1].split("/")[0])
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "nothing listened on the printed address"
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_non_loopback_host_is_refused_unless_explicitly_allowed(tmp_path: Path) -> None:
    proc = run_cchc("--db", str(tmp_path / "db.sqlite"), "ui", "--web", "--host", "0.0.0.0")
    assert proc.returncode == 2
    assert "0.0.0.0" in proc.stderr and "--allow-remote" in proc.stderr
    assert not (tmp_path / "db.sqlite").exists()
