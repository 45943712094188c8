"""A key request is judged by the unit table (issue 20): a request file, which anyone can
write, names a unit code and a name in its own words. The role offered comes from the code in
the plan's unit table; a city body's code (Sở Nội vụ, UBND thành phố) never preselects `city`;
the root's screen shows the table's name beside the requester's words, flagged when they
differ."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import certification, exchange, overview
from cchc.services.workspace import Workspace
from cchc.ui.sync.certify_panel import CertifyPanel
from tests.integration.screen_ctx import ScreenContext, control_tagged, shown_texts
from tests.integration.test_certification import _laptop


@pytest.fixture
def city_and_request(tmp_path: Path) -> Iterator[tuple[Workspace, Path, Path]]:
    city = _laptop(tmp_path, "city")
    exchange.init_root(city)
    laptop = _laptop(tmp_path, "tc")
    overview.set_local_profile(laptop, "tai_chinh", "Nguyễn Văn A")
    usb = tmp_path / "usb"
    usb.mkdir()
    honest = certification.save_key_request(laptop, usb)
    laptop.close()
    yield city, honest, usb
    city.close()


def _forged(honest: Path, code: str, name: str) -> Path:
    """The same laptop's request with the unit rewritten, as anyone with a text editor could."""
    data = honest.read_bytes()
    magic = certification.KEY_REQUEST_MAGIC
    body = json.loads(data[len(magic) :].decode("utf-8"))
    body.update(unit_code=code, unit_name=name)
    out = honest.with_name(f"forged-{code}.yeucau")
    out.write_bytes(magic + json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return out


@pytest.mark.parametrize("code", ["so_noi_vu", "ubnd_tp"])
def test_a_city_bodys_code_never_offers_the_city_role(city_and_request, code: str) -> None:
    city, honest, _ = city_and_request
    request = certification.read_key_request(_forged(honest, code, "Sở Nội vụ"))
    judged = certification.judge_request(city, request)
    assert judged.role is None
    with pytest.raises(InvalidInput) as caught:  # the city must choose a role itself
        certification.certify_request(city, request, honest.parent)
    assert caught.value.key == "certify_role_missing"


def test_the_role_offered_comes_from_the_units_code_in_the_table(city_and_request) -> None:
    city, honest, _ = city_and_request
    judged = certification.judge_request(city, certification.read_key_request(honest))
    assert (judged.code, judged.name, judged.role, judged.differs) == (
        "tai_chinh", "Phòng Tài chính", "finance", False,
    )  # fmt: skip
    # the words say Phòng Tài chính, the code says Công an: the code decides, the screen flags it
    forged = certification.read_key_request(_forged(honest, "cong_an", "Phòng Tài chính"))
    judged = certification.judge_request(city, forged)
    assert (judged.name, judged.claimed, judged.role, judged.differs) == (
        "Công an đặc khu", "Phòng Tài chính", "unit", True,
    )  # fmt: skip


def test_the_screen_shows_the_tables_name_beside_the_requesters_words(
    city_and_request, tmp_path: Path
) -> None:
    city, honest, _ = city_and_request
    ctx = ScreenContext(city, tmp_path / "city.sqlite")
    panel = CertifyPanel(ctx)  # type: ignore[arg-type]
    panel.refresh()
    panel.request_file.value = str(_forged(honest, "so_noi_vu", "Phòng Văn hóa - Xã hội"))
    assert panel._read() is not None
    texts = " ".join(shown_texts(panel.shown))
    assert "Sở Nội vụ" in texts and "“Phòng Văn hóa - Xã hội”" in texts
    assert control_tagged(panel.shown, "certify-request-unit-differs") is not None
    assert control_tagged(panel.shown, "certify-request-no-role") is not None
    assert panel.role.value is None  # nothing preselected, least of all city
    # an honest request: the table's name, no flag, the plan's role preselected
    panel.request_file.value = str(honest)
    assert panel._read() is not None
    assert control_tagged(panel.shown, "certify-request-unit-differs") is None
    assert panel.role.value == "finance"
