"""The "chưa gửi" queue shows what this laptop recorded since its data last left it, in
officers' words, and one send empties it; it never claims something left when nothing did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange, send_queue
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.texts.exchange import queue_text
from tests.integration.worlds import certified_net


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Workspace]:
    sites = certified_net(tmp_path, (("tthcc", "tthcc", "unit"),))
    yield sites["tthcc"]
    for ws in sites.values():
        ws.close()


def _led_task(ws: Workspace) -> str:
    return str(next(t.stt for t in task_service.list_tasks(ws) if t.lead_unit == "tthcc" and t.stt))


def test_what_was_recorded_waits_until_it_is_sent_then_the_queue_is_empty(
    laptop: Workspace, tmp_path: Path
) -> None:
    assert send_queue.unsent(laptop).empty
    task_service.update_task(laptop, _led_task(laptop), progress=30, by="Trần Văn C")
    waiting = send_queue.unsent(laptop)
    assert waiting.counts == {"task_updates": 1}
    assert queue_text(waiting.counts) == "Chưa gửi: 1 nhiệm vụ được cập nhật."

    sent = send_queue.send(laptop, folder=tmp_path / "usb", hub_url=None, hub_up=False)
    assert sent.how == "folder" and len(sent.files) == 1
    assert send_queue.unsent(laptop).empty

    task_service.update_task(laptop, _led_task(laptop), progress=40, by="Trần Văn C")
    assert send_queue.unsent(laptop).counts == {"task_updates": 1}
    exchange.write_email(laptop, to="vanthu@baclongvi.gov.vn", out=tmp_path / "thu")
    assert send_queue.unsent(laptop).empty


def test_sending_with_nowhere_to_send_says_so_and_keeps_the_queue(laptop: Workspace) -> None:
    task_service.update_task(laptop, _led_task(laptop), progress=30, by="Trần Văn C")
    with pytest.raises(InvalidInput) as caught:
        send_queue.send(laptop, folder=None, hub_url="https://10.0.0.5:8443", hub_up=False)
    assert caught.value.key == "send_nowhere"
    assert not send_queue.unsent(laptop).empty


def test_a_revocation_and_certificates_made_by_the_city_wait_in_its_queue_and_arrive_by_name(
    tmp_path: Path,
) -> None:
    from cchc.services.import_summary import summary_of
    from cchc.texts.exchange import summary_lines

    sites = certified_net(tmp_path, (("vhxh", "vhxh", "consolidator"), ("tthcc", "tthcc", "unit")))
    try:
        city, vhxh, tthcc = sites["city"], sites["vhxh"], sites["tthcc"]
        # the city's own certificate and one per laptop, never sent in a bundle yet
        assert send_queue.unsent(city).counts == {"certificates": 3}
        exchange.export_to(city, tmp_path / "first")
        assert send_queue.unsent(city).empty
        assert queue_text(send_queue.unsent(city).counts) == "Không có gì chờ gửi."

        exchange.revoke(city, str(exchange.identity(tthcc)["site_id"]))
        waiting = send_queue.unsent(city)
        assert waiting.counts == {"revocations": 1}
        assert queue_text(waiting.counts) == "Chưa gửi: 1 thu hồi chứng nhận máy."

        (bundle,) = exchange.export_to(city, tmp_path / "usb")
        assert send_queue.unsent(city).empty
        summary = summary_of(vhxh, exchange.import_paths(vhxh, [bundle]))
        # vhxh held only the city's certificate and its own: tthcc's came in this bundle too
        assert "Từ Thành phố: 1 chứng nhận máy, 1 thu hồi chứng nhận máy." in summary_lines(summary)
        # the consolidating laptop carries it on to the other laptops of the zone
        assert send_queue.unsent(vhxh).counts == {"revocations": 1}
    finally:
        for ws in sites.values():
            ws.close()
