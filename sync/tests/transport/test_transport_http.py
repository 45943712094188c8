"""HTTP hub and clients: push and pull on real sockets, resumed after cuts, bad requests refused."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from sync.signing import SigningKey
from sync.transport import (
    DiskFull,
    HubLimits,
    NotABundle,
    RemoteRejected,
    TransferAborted,
    pull,
    push,
    reachable,
    sha256_hex,
)
from sync.transport.http_auth import ClientIdentity, content_digest, sign_request
from sync.transport.testing_proxy import ThrottlingProxy

# Protocol overhead allowed per connection the client opens: request and response headers.
OVERHEAD_PER_CONNECTION = 1_500
FAST: dict[str, Any] = {"backoff": 0.02, "max_backoff": 0.1}


def _request(
    hub_url: str,
    ident: ClientIdentity | None,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """One raw request, signed by `ident` (None: anonymous), as any HTTP client could send."""
    host, port = hub_url.removeprefix("http://").split(":")
    hdrs = dict(headers or {})
    if ident is not None:
        raw_path, _, query = path.partition("?")
        digest, auth = content_digest(body), f"{host}:{port}"
        hdrs.update(sign_request(ident, method, raw_path, query, hdrs, digest, authority=auth))
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, (json.loads(raw) if raw else {})
    finally:
        conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_push_delivers_bytes_and_sender_once_and_returns_the_import_result(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    data = os.urandom(100_000)
    result = push(hub.url, data, dao, chunk_size=30_000)
    assert result.result == {"applied": 1, "sha256": sha256_hex(data), "sender": "dao-1"}
    assert calls.imported == [(data, "dao-1")]
    again = push(hub.url, data, dao)
    assert again.result == result.result and again.bytes_sent == 0
    assert len(calls.imported) == 1
    assert list(hub.app.uploads_dir.rglob("*.upload")) == []


def test_push_cut_repeatedly_by_the_link_resumes_without_starting_over(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    data = os.urandom(150_000)
    with ThrottlingProxy(hub.address[1], kbit_per_s=2_000, cut_every=0.15) as proxy:
        result = push(proxy.url, data, dao, retries=20, **FAST)
    assert calls.imported == [(data, "dao-1")]
    assert result.resumes >= 2 and proxy.stats.cuts >= 2
    budget = 1.1 * len(data) + OVERHEAD_PER_CONNECTION * proxy.stats.connections
    assert proxy.stats.up <= budget, (proxy.stats, budget)


def test_pull_cut_repeatedly_by_the_link_resumes_and_writes_the_verified_bundle(
    make_hub, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.outgoing = os.urandom(150_000)
    dest = tmp_path / "from-city.cchc"
    with ThrottlingProxy(hub.address[1], kbit_per_s=2_000, cut_every=0.15) as proxy:
        result = pull(proxy.url, dao, dest, retries=20, **FAST)
    assert dest.read_bytes() == calls.outgoing
    assert result.sha256 == sha256_hex(calls.outgoing) and result.resumes >= 2
    # a cut before the outbox answer arrives makes the client ask again: a second export
    assert set(calls.exported_for) == {"dao-1"}
    budget = 1.1 * len(calls.outgoing) + OVERHEAD_PER_CONNECTION * proxy.stats.connections
    assert proxy.stats.down <= budget, (proxy.stats, budget)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["from-city.cchc"]


def test_push_given_up_then_rerun_sends_only_the_rest(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    data = os.urandom(120_000)
    proxy = ThrottlingProxy(hub.address[1], kbit_per_s=1_000, cut_every=0.4)
    with proxy, pytest.raises(TransferAborted) as info:
        push(proxy.url, data, dao, retries=0, **FAST)
    assert info.value.code == "transfer_aborted"
    status, state = _request(hub.url, dao, "GET", f"/v1/uploads/{sha256_hex(data)}")
    assert status == 200 and 0 < state["received"] < len(data) and not state["done"]
    result = push(hub.url, data, dao)
    assert result.bytes_sent == len(data) - state["received"]
    assert calls.imported == [(data, "dao-1")]


def test_pull_given_up_then_rerun_fetches_only_the_rest(make_hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.outgoing = os.urandom(120_000)
    dest = tmp_path / "in.cchc"
    proxy = ThrottlingProxy(hub.address[1], kbit_per_s=1_000, cut_every=0.4)
    with proxy, pytest.raises(TransferAborted):
        pull(proxy.url, dao, dest, retries=0, **FAST)
    assert not dest.exists()
    (partial,) = tmp_path.iterdir()
    kept = partial.stat().st_size
    assert 0 < kept < len(calls.outgoing)
    calls.outgoing = b"a newer bundle must not replace the one half-fetched"
    result = pull(hub.url, dao, dest)
    assert result.bytes_received == 120_000 - kept
    assert dest.read_bytes() != calls.outgoing and result.size == 120_000
    assert sha256_hex(dest.read_bytes()) == result.sha256


def test_import_failure_is_reported_and_a_retry_finishes_without_reupload(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.fail_import = True
    data = os.urandom(50_000)
    with pytest.raises(RemoteRejected) as info:
        push(hub.url, data, dao, **FAST)
    assert info.value.params["remote_code"] == "import_failed"
    assert "database is locked" in str(info.value)
    calls.fail_import = False
    result = push(hub.url, data, dao)
    assert result.bytes_sent == 0 and calls.imported == [(data, "dao-1")]


def test_two_islands_pushing_the_same_bundle_at_once_import_it_once(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    data = os.urandom(400_000)
    results: list[Any] = []

    def run() -> None:
        results.append(push(hub.url, data, dao, chunk_size=16_000, retries=50, **FAST))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 3 and all(r.result["sha256"] == sha256_hex(data) for r in results)
    assert calls.imported == [(data, "dao-1")]


def test_pull_when_the_hub_has_nothing_writes_nothing(make_hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    result = pull(hub.url, dao, tmp_path / "x.cchc")
    assert result.path is None and result.size == 0 and list(tmp_path.iterdir()) == []


def test_reachable_tells_a_hub_from_a_closed_port_and_a_stranger(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, _ = make_hub()
    assert reachable(hub.url, timeout=2)
    assert not reachable(f"http://127.0.0.1:{_free_port()}", timeout=2)
    assert not reachable("ftp://127.0.0.1:21", timeout=2)
    with socket.create_server(("127.0.0.1", 0)) as stranger:
        port = stranger.getsockname()[1]

        def answer() -> None:
            conn, _ = stranger.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")

        t = threading.Thread(target=answer, daemon=True)
        t.start()
        assert not reachable(f"http://127.0.0.1:{port}", timeout=2)
        t.join(timeout=5)


def test_push_to_a_dead_hub_gives_up_after_bounded_retries() -> None:
    dao = ClientIdentity("dao-1", SigningKey.generate())
    with pytest.raises(TransferAborted) as info:
        push(f"http://127.0.0.1:{_free_port()}", b"bundle", dao, retries=2, **FAST)
    assert info.value.params["attempts"] == 3


def test_empty_bundle_is_not_pushed(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    with pytest.raises(NotABundle):
        push(hub.url, b"", dao)


def test_bundle_over_the_hub_limit_is_refused_at_once(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub(limits=HubLimits(max_bundle_size=10_000))
    dao = calls.certify("dao-1")
    with pytest.raises(RemoteRejected) as info:
        push(hub.url, os.urandom(20_000), dao, retries=5, **FAST)
    assert info.value.params["status"] == 413 and "20000" in str(info.value)
    assert calls.imported == []


def test_bytes_not_matching_the_announced_sha256_are_refused_and_discarded(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    sha = sha256_hex(b"what was announced")
    headers = {"Upload-Offset": "0", "Upload-Length": "18"}
    status, body = _request(
        hub.url, dao, "PUT", f"/v1/uploads/{sha}", b"something else!!!!", headers
    )
    assert status == 422 and body["error"] == "hash_mismatch"
    assert _request(hub.url, dao, "GET", f"/v1/uploads/{sha}")[1]["received"] == 0
    assert calls.imported == []


SHA = "ab" * 32


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "error", "quoted"),
    [
        ("GET", "/v1/uploads/not-a-sha", {}, 400, "bad_request", "not-a-sha"),
        ("GET", "/v2/ping", {}, 404, "not_found", "/v2/ping"),
        ("DELETE", f"/v1/blobs/{SHA}", {}, 405, "method_not_allowed", "DELETE"),
        (
            "PUT",
            f"/v1/uploads/{SHA}",
            {"Upload-Offset": "0"},
            400,
            "bad_request",
            "Upload-Length",
        ),
        (
            "PUT",
            f"/v1/uploads/{SHA}",
            {"Upload-Offset": "x1", "Upload-Length": "4"},
            400,
            "bad_request",
            "x1",
        ),
        (
            "PUT",
            f"/v1/uploads/{SHA}",
            {"Upload-Offset": "2", "Upload-Length": "4"},
            400,
            "bad_request",
            "runs past",
        ),
        (
            "PUT",
            f"/v1/uploads/{SHA}",
            {"Upload-Offset": "1", "Upload-Length": "9"},
            409,
            "offset_mismatch",
            "Upload-Offset 1",
        ),
        ("GET", "/v1/outbox?have=zz", {}, 400, "bad_request", "zz"),
        ("GET", f"/v1/blobs/{SHA}", {}, 404, "not_found", SHA[:8]),
    ],
)
def test_bad_requests_get_a_clear_json_error(  # type: ignore[no-untyped-def]
    make_hub, method, path, headers, status, error, quoted
) -> None:
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    got_status, body = _request(hub.url, dao, method, path, b"abc", headers)
    assert (got_status, body["error"]) == (status, error)
    assert quoted in body["message"]
    assert calls.imported == []


def test_range_past_the_end_is_refused(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.outgoing = b"0123456789"
    _, info = _request(hub.url, dao, "GET", "/v1/outbox")
    status, body = _request(
        hub.url, dao, "GET", f"/v1/blobs/{info['sha256']}", headers={"Range": "bytes=10-"}
    )
    assert status == 416 and "10" in body["message"]


def test_upload_survives_a_hub_restart_and_resumes(tmp_path: Path) -> None:
    from sync.transport import HubServer

    imported: list[bytes] = []
    data = os.urandom(100_000)
    dao = ClientIdentity("dao-1", SigningKey.generate())

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        imported.append(path.read_bytes())
        return {"ok": True}

    def check_key(site: str, key: bytes) -> None:
        assert (site, key) == (dao.site_id, dao.key.public)

    first = HubServer(on_bundle, lambda p: b"", check_key, tmp_path / "hub").start()
    proxy = ThrottlingProxy(first.address[1], kbit_per_s=1_000, cut_every=0.4)
    with proxy, pytest.raises(TransferAborted):
        push(proxy.url, data, dao, retries=0, **FAST)
    first.close()
    with HubServer(on_bundle, lambda p: b"", check_key, tmp_path / "hub") as second:
        status, state = _request(second.url, dao, "GET", f"/v1/uploads/{sha256_hex(data)}")
        kept = state["received"]
        assert status == 200 and not state["done"] and kept > 0
        result = push(second.url, data, dao)
    assert result.bytes_sent == len(data) - kept and imported == [data]


def test_hub_keeps_only_the_blob_each_peer_may_still_be_fetching(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    dao2 = calls.certify("dao-2")
    calls.outgoing = b"first bundle for dao-1"
    _, one = _request(hub.url, dao, "GET", "/v1/outbox")
    calls.outgoing = b"bundle for dao-2"
    _, two = _request(hub.url, dao2, "GET", "/v1/outbox")
    _, resumed = _request(hub.url, dao, "GET", f"/v1/outbox?have={one['sha256']}")
    assert resumed == one and calls.exported_for == ["dao-1", "dao-2"]
    calls.outgoing = b"second bundle for dao-1"
    _, newer = _request(hub.url, dao, "GET", "/v1/outbox")
    blobs = sorted(p.stem for p in hub.app.outbox_dir.rglob("*.blob"))
    assert blobs == sorted([two["sha256"], newer["sha256"]])
    # each site reaches only its own: dao-2 asking for dao-1's bundle finds nothing
    assert _request(hub.url, dao2, "GET", f"/v1/blobs/{newer['sha256']}")[0] == 404


def test_app_callbacks_never_run_two_at_a_time(tmp_path: Path) -> None:
    import time

    from sync.transport import HubServer

    running = 0
    peak = 0
    seen: list[bytes] = []
    lock = threading.Lock()

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            seen.append(path.read_bytes())
        time.sleep(0.05)
        with lock:
            running -= 1
        return {"ok": True}

    bundles = [os.urandom(20_000) for _ in range(4)]
    dao = ClientIdentity("dao-1", SigningKey.generate())
    with HubServer(on_bundle, lambda p: b"", lambda s, k: None, tmp_path / "hub") as hub:
        threads = [threading.Thread(target=push, args=(hub.url, b, dao)) for b in bundles]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    assert peak == 1 and sorted(seen) == sorted(bundles)


def test_proxy_counts_exactly_the_bytes_it_relays_and_cuts_open_links() -> None:
    with socket.create_server(("127.0.0.1", 0)) as echo:
        port = echo.getsockname()[1]

        def serve() -> None:
            conn, _ = echo.accept()
            with conn:
                seen = 0
                while seen < 5_000:
                    seen += len(conn.recv(65536))
                conn.sendall(b"all 5000 in")
                conn.recv(1)

        threading.Thread(target=serve, daemon=True).start()
        with ThrottlingProxy(port, kbit_per_s=None, cut_every=None) as proxy:
            client = socket.create_connection(("127.0.0.1", proxy.port))
            client.sendall(b"x" * 5_000)
            got = b""
            while len(got) < 11:
                got += client.recv(100)
            proxy.cut_all()
            client.settimeout(5)
            try:
                after_cut = client.recv(100)
            except ConnectionResetError:
                after_cut = b""
            client.close()
            assert after_cut == b""  # the link is gone: reset or closed, nothing more arrives
    assert got == b"all 5000 in"
    assert (proxy.stats.up, proxy.stats.down, proxy.stats.cuts) == (5_000, 11, 1)


def test_serve_runs_a_hub_in_its_own_process_until_interrupted(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import textwrap

    root = Path(__file__).resolve().parents[3]
    dao = ClientIdentity("dao-1", SigningKey.generate())
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from sync.transport import serve
        inbox = Path({str(tmp_path / "inbox")!r})
        inbox.mkdir()
        def on_bundle(path, sender):
            (inbox / sender).write_bytes(path.read_bytes())
            return {{"stored": path.stat().st_size}}
        def check_key(site, key):
            if key.hex() != {dao.key.public.hex()!r}:
                raise PermissionError("unknown key")
        serve(on_bundle, lambda peer: b"for " + peer.encode(), check_key,
              {str(tmp_path / "hub")!r}, port=0, ready=lambda url: print(url, flush=True))
        print("stopped", flush=True)
        """
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), str(root / "src")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert reachable(url)
        assert push(url, b"bundle from dao-1", dao).result == {"stored": 17}
        pulled = pull(url, dao, tmp_path / "got.cchc")
        assert pulled.path is not None and pulled.path.read_bytes() == b"for dao-1"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and out.strip() == "stopped"
    assert (tmp_path / "inbox" / "dao-1").read_bytes() == b"bundle from dao-1"
    assert not reachable(url, timeout=1)


def test_pull_onto_a_full_disk_stops_at_once_with_disk_full_and_frees_the_space(
    make_hub, tiny_disk: Path
) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.outgoing = os.urandom(200_000)
    with pytest.raises(DiskFull) as info:
        pull(hub.url, dao, tiny_disk / "in.cchc", retries=8, backoff=5.0)
    assert "in.cchc" in str(info.value)
    assert list(tiny_disk.iterdir()) == []


def test_hub_with_a_full_disk_refuses_a_push_clearly(tiny_disk: Path) -> None:
    from sync.transport import HubServer

    dao = ClientIdentity("dao-1", SigningKey.generate())
    with HubServer(lambda d, s: {}, lambda p: b"", lambda s, k: None, tiny_disk / "hub") as hub:
        with pytest.raises(RemoteRejected) as info:
            push(hub.url, os.urandom(200_000), dao, retries=8, backoff=5.0)
        assert info.value.params["status"] == 507
        assert info.value.params["remote_code"] == "disk_full"
        assert reachable(hub.url)


def test_a_damaged_partial_download_is_fetched_again_and_stale_ones_removed(
    make_hub, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    dao = calls.certify("dao-1")
    calls.outgoing = os.urandom(50_000)
    sha = sha256_hex(calls.outgoing)
    (tmp_path / f".in.cchc.{sha}.partial").write_bytes(b"\0" * 1_000)  # damaged on disk
    (tmp_path / f".in.cchc.{'0' * 64}.partial").write_bytes(b"old")  # from a bundle long gone
    result = pull(hub.url, dao, tmp_path / "in.cchc")
    assert (tmp_path / "in.cchc").read_bytes() == calls.outgoing
    assert result.bytes_received == 49_000 + 50_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.cchc"]
