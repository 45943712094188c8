"""Run a piece of an attack test in a child process whose address space is capped, so a limit that
regresses makes the test fail (MemoryError in the child) instead of eating the machine.

`run_capped("module:function", *args)` imports the function in a fresh interpreter under
`RLIMIT_AS`, calls it with the (JSON-able) arguments and returns what it returned (JSON-able);
an exception in the child is reported as `ChildFailed` with its type and message.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
CAP_BYTES = 512 * 1024 * 1024

_CHILD = """
import importlib, json, sys, traceback
target, raw = sys.argv[1], sys.argv[2]
module, _, name = target.partition(":")
try:
    out = getattr(importlib.import_module(module), name)(*json.loads(raw))
    print(json.dumps({"ok": out}))
except BaseException as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)[:2000],
                      "trace": traceback.format_exc()[-4000:]}))
"""


class ChildFailed(AssertionError):
    def __init__(self, kind: str, message: str, trace: str) -> None:
        super().__init__(f"{kind}: {message}\n{trace}")
        self.kind = kind
        self.message = message


def _limit(cap: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_capped(target: str, *args: Any, cap: int = CAP_BYTES, timeout: float = 120) -> Any:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    # one arena: threads' malloc arenas would otherwise reserve address space of their own
    env["MALLOC_ARENA_MAX"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, target, json.dumps(list(args))],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=lambda: _limit(cap),
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise ChildFailed(f"exit {proc.returncode}", proc.stdout[-2000:], proc.stderr[-4000:])
    got = json.loads(lines[-1])
    if "error" in got:
        raise ChildFailed(got["error"], got["message"], got["trace"])
    return got["ok"]
