"""Fuzz every import entry point with mutants of valid bundles, parts and mail (see
sync/tests/fuzzing.py): at least 10 000 inputs, no exception but the sync and transport errors,
no hang (the run has its own timeout), nothing applied, the database intact and the honest
bundle still applying afterwards. `FUZZ_SEED` replays a run; a larger run is `python -m bench
fuzz`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync.tests import fuzzing


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_ten_thousand_mutated_bundles_parts_and_mails_crash_nothing_and_apply_nothing(
    tmp_path: Path,
) -> None:
    seed = int(os.environ.get("FUZZ_SEED", "2026"))
    stats = fuzzing.run(tmp_path, bundles=5_000, parts=3_000, mails=1_800, files=400, seed=seed)
    assert stats.total >= 10_000, stats.inputs
    # every kind of input reached more than its first check
    codes = {k.split(":", 1)[1] for k in stats.outcomes}
    assert {"signature_invalid", "hash_mismatch", "part_corrupt", "not_a_bundle"} <= codes
    assert any(k.startswith("bundle:") and k != "bundle:signature_invalid" for k in stats.outcomes)
