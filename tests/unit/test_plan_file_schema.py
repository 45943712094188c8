"""The committed JSON Schema of plan file format 1 is the one the models export, and the 2026
seed, now a format-1 file, still loads into the same plan as before."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from cchc.domain.errors import SeedInvalid
from cchc.domain.plan import PlanSeed
from cchc.domain.plan_file import (
    FORMAT_VERSION,
    PlanFile,
    check_plan_text,
    plan_file_schema,
    seed_projection,
)
from cchc.domain.timeframe import DeadlineKind, parse_timeframe
from cchc.store.seed_file import parse_seed, read_seed

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "db" / "schema" / "plan-file.v1.json"
SEED_2026 = ROOT / "db" / "seeds" / "qd-07-2026.toml"

REGENERATE = (
    'PYTHONPATH=src python -c "import json; from cchc.domain.plan_file import plan_file_schema; '
    "open('db/schema/plan-file.v1.json','w',encoding='utf-8').write("
    "json.dumps(plan_file_schema(), ensure_ascii=False, indent=2)+'\\n')\""
)


def test_the_committed_schema_is_the_models_schema():
    committed = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert committed == plan_file_schema(), f"schema out of date; regenerate with: {REGENERATE}"
    assert committed["properties"]["format_version"] == {
        "const": FORMAT_VERSION,
        "title": "Format Version",
        "type": "integer",
    }
    assert set(committed["required"]) == {
        "format_version",
        "plan",
        "zone",
        "areas",
        "units",
        "tasks",
        "reporting",
    }


def test_the_2026_seed_is_a_format_1_file_and_still_loads_as_the_same_plan():
    data = tomllib.loads(SEED_2026.read_text(encoding="utf-8"))
    plan = PlanFile.model_validate(data)
    assert plan.zone.body == "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
    assert plan.reporting.through == "Phòng Văn hóa - Xã hội"
    suffixes = {u.code: u.doc_suffix for u in plan.units if u.doc_suffix}
    assert suffixes["vhxh"] == "BC-VHXH" and len(suffixes) == 7
    # the loader's older shape reads exactly the plan's seed part, nothing lost, nothing added
    seed = read_seed(SEED_2026)
    assert seed == PlanSeed.model_validate(seed_projection(data))
    assert [t.stt for t in seed.tasks] == list(range(1, 27))
    assert seed.plan.number == plan.plan.number == "07/QĐ-UBND"
    assert [u.name for u in seed.units] == [u.name for u in plan.units]


def test_the_example_and_time_frames_of_the_officers_page_pass_the_check():
    page = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", page, re.S)
    assert example is not None
    result = check_plan_text(example.group(1))
    assert result.problems == ()
    assert result.plan is not None and result.plan.zone.name == "Đông Hà"
    # every time frame the page promises is read (none comes back UNPARSED)
    listed = page.split("Các cách viết đọc được, ví dụ:")[1].split("Nếu `cchc plan check`")[0]
    frames = re.findall(r"`([^`]+)`", listed)
    assert len(frames) >= 10
    for frame in frames:
        assert parse_timeframe(frame).kind is not DeadlineKind.UNPARSED, frame


def test_the_seed_loader_refuses_a_format_1_file_whose_own_parts_are_wrong():
    text = SEED_2026.read_text(encoding="utf-8").replace('doc_suffix = "BC-UBND"\n', "", 1)
    with pytest.raises(SeedInvalid) as caught:
        parse_seed(text)
    assert caught.value.params["where"] == "zone.doc_suffix"
