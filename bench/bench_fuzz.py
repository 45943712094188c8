"""Fuzzing of every import entry point at a larger count than CI (python -m bench fuzz).

Runs sync/tests/fuzzing.py: mutants of valid bundles (a quarter re-signed by the certified
sender, so hostile segments reach the decoders), of parts, of mail, and a folder of mutant files
through `gather`; every outcome must be a sync or transport error, nothing may apply, and the
database must stay intact. Prints the inputs per second and the slowest single input (a hang
shows there).

  BENCH_FUZZ_INPUTS   inputs in all (default 100000; CI runs about 10000)
  BENCH_FUZZ_SEED     the random seed (default: a new one each run, printed to replay)
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from sync.tests import fuzzing

TARGET_SLOWEST_S = 1.0
TARGET_RATE = 300.0


def main() -> None:
    total = int(os.environ.get("BENCH_FUZZ_INPUTS", "100000"))
    seed = int(os.environ.get("BENCH_FUZZ_SEED", str(random.SystemRandom().randrange(2**31))))
    with tempfile.TemporaryDirectory() as tmp:
        stats = fuzzing.run(
            Path(tmp),
            bundles=total // 2,
            parts=total * 3 // 10,
            mails=total * 17 // 100,
            files=min(2_000, total * 3 // 100),
            seed=seed,
        )
    rate = stats.total / stats.seconds
    print(f"Fuzz (seed {seed}): {stats.total} inputs {dict(stats.inputs)} in {stats.seconds:.1f} s")
    print(f"  {rate:.0f} inputs/s  (target >= {TARGET_RATE:g})")
    print(
        f"  slowest single input {stats.slowest * 1000:.0f} ms ({stats.slowest_kind})  "
        f"(target <= {TARGET_SLOWEST_S * 1000:.0f} ms: no hang)"
    )
    print("  nothing applied, database intact, honest bundle still applies")
    for key, n in sorted(stats.outcomes.items()):
        print(f"    {key}: {n}")
