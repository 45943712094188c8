"""Fixtures shared by every test: a fresh database path and a way to run the real `cchc` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cchc_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a `cchc` subprocess runs in: this checkout's code first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    env.pop("CCHC_DB", None)
    env["PYTHONIOENCODING"] = "utf-8"
    if extra:
        env.update(extra)
    return env


def run_cchc(
    *args: str, env: dict[str, str] | None = None, check: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real command line, as a user's script would."""
    proc = subprocess.run(
        [sys.executable, "-m", "cchc", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cchc_env(env),
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"cchc {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc


def run_json(*args: str, env: dict[str, str] | None = None) -> object:
    return json.loads(run_cchc(*args, "--json", env=env, check=True).stdout)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cchc.sqlite"
