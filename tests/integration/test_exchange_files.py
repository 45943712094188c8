"""Files the app writes for people to carry never replace a file already there, and an e-mail
address is checked before any message is written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange
from cchc.services.workspace import Workspace
from tests.integration.worlds import NOW, template


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "laptop.sqlite"
    shutil.copy(template(tmp_path.parent), path)
    with Workspace.open(path, clock=lambda: NOW) as opened:
        yield opened


def test_exporting_twice_into_one_folder_keeps_the_first_file(
    ws: Workspace, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    first = exchange.export_to(ws, usb)
    first[0].write_bytes(b"earlier")
    second = exchange.export_to(ws, usb)
    assert second[0] != first[0]
    assert first[0].read_bytes() == b"earlier"


def test_emails_written_twice_never_overwrite_an_earlier_message(
    ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "mail"
    first = exchange.write_email(ws, to="vanthu@baclongvi.gov.vn", out=out)
    before = {p: p.read_bytes() for p in first}
    second = exchange.write_email(ws, to="thanhpho@haiphong.gov.vn", out=out)
    assert not set(second) & set(first)
    assert {p: p.read_bytes() for p in first} == before


@pytest.mark.parametrize("address", ["abc", "van thu@blv.gov.vn"])
def test_a_bad_address_writes_no_message(ws: Workspace, tmp_path: Path, address: str) -> None:
    out = tmp_path / "mail"
    with pytest.raises(InvalidInput):
        exchange.write_email(ws, to=address, out=out)
    assert not out.exists() or not any(out.iterdir())
