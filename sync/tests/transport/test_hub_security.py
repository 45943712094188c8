"""The hub as an attacker meets it: real sockets on 127.0.0.1, real keys, a real city engine.

Each test first tries the attack (anonymous reads, revoked keys, replays, junk appended to
someone else's upload, quota exhaustion, slow connections) and checks the hub refuses it while
the honest laptop's exchange still goes through.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sync import Engine, TableSpec
from sync.errors import DecryptionFailed
from sync.signing import SigningKey, fingerprint
from sync.tests.netkit import APP_SCHEMA, TRACKED
from sync.transport import (
    ClientIdentity,
    HubLimits,
    HubServer,
    PlainHttpRefused,
    RemoteRejected,
    TlsPinMismatch,
    TransferAborted,
    TransportError,
    make_self_signed,
    pull,
    push,
    reachable,
    sha256_hex,
)
from sync.transport import http as http_client
from sync.transport.http_auth import ClientIdentity as Ident
from sync.transport.http_auth import content_digest, sign_request
from sync.transport.testing_proxy import ThrottlingProxy

FAST: dict[str, Any] = {"backoff": 0.02, "max_backoff": 0.1}
SECRET = "Nguyễn Thị Lan 0912 345 678"  # an officer's name and phone, as in the issue


@dataclass
class Laptop:
    conn: sqlite3.Connection
    engine: Engine

    @property
    def ident(self) -> ClientIdentity:
        return ClientIdentity(self.engine.site_id, self.engine.key)


def _laptop(tmp: Path, name: str) -> Laptop:
    # the hub calls the city's engine from its worker threads, one call at a time
    conn = sqlite3.connect(tmp / f"{name}.sqlite", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.executescript(APP_SCHEMA)
    engine = Engine(conn, tmp / f"{name}.keys")
    for t in TRACKED:
        engine.track(TableSpec(t))
    return Laptop(conn, engine)


def _certify(city: Laptop, site: Laptop, unit: str) -> None:
    ident = site.engine.identity()
    trust = city.engine.certify(
        ident["site_id"],
        bytes.fromhex(ident["public_key"]),
        [unit],
        "unit",
        bytes.fromhex(ident["enc_key"]),
    )
    fp = city.engine.root_fingerprint()
    assert fp is not None
    site.engine.install_trust(trust, fp)


@dataclass
class City:
    city: Laptop
    island: Laptop
    other: Laptop
    hub: HubServer


@pytest.fixture
def city(tmp_path: Path) -> Iterator[City]:
    """The city (root) runs a hub; two certified islands; the city holds a secret row."""
    c = _laptop(tmp_path, "city")
    c.engine.init_root()
    island, other = _laptop(tmp_path, "island"), _laptop(tmp_path, "other")
    _certify(c, island, "u1")
    _certify(c, other, "u2")
    c.conn.execute(
        "INSERT INTO tasks (id, unit, title, progress, note) VALUES ('t1', 'u1', 'Kế hoạch', 10, ?)",
        (SECRET,),
    )

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        return c.engine.import_bundle(path.read_bytes()).as_dict()

    hub = HubServer(
        on_bundle,
        lambda peer: c.engine.export_bundle(peer, encrypt_to=peer),
        c.engine.signer_of,
        tmp_path / "hub",
        limits=HubLimits(key_cache_seconds=0),
    ).start()
    yield City(c, island, other, hub)
    hub.close()


def _raw(
    url: str,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    ident: Ident | None = None,
    now: float | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    host, port = url.removeprefix("http://").split(":")
    hdrs = dict(headers or {})
    if ident is not None:
        p, _, q = path.partition("?")
        auth = f"{host}:{port}"
        hdrs.update(
            sign_request(ident, method, p, q, hdrs, content_digest(body), authority=auth, now=now)
        )
    return _send(host, int(port), method, path, body, hdrs)


def _send(
    host: str, port: int, method: str, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read(), dict(resp.headers)
    finally:
        conn.close()


def _uploaded_files(hub: HubServer) -> list[Path]:
    return sorted(p for p in hub.data_dir.rglob("*") if p.is_file())


def test_an_anonymous_client_gets_nothing_and_a_site_gets_only_what_decodes_with_its_key(
    city: City, tmp_path: Path
) -> None:
    url = city.hub.url
    prepared = pull(url, city.island.ident, tmp_path / "island.cchc")  # a real blob is waiting
    assert prepared.path is not None and prepared.sha256 is not None
    sha = prepared.sha256
    for method, path in [
        ("GET", "/v1/outbox"),
        ("GET", f"/v1/outbox?have={sha}"),
        ("GET", f"/v1/blobs/{sha}"),
        ("HEAD", f"/v1/blobs/{sha}"),
        ("GET", f"/v1/uploads/{sha}"),
        ("PUT", f"/v1/uploads/{sha}"),
        ("DELETE", f"/v1/uploads/{sha}"),
    ]:
        headers = {"Upload-Offset": "0", "Upload-Length": "5"} if method == "PUT" else {}
        status, body, _ = _raw(url, method, path, b"junk!" if method == "PUT" else b"", headers)
        assert status == 401, (method, path, status)
        assert SECRET.encode() not in body and b"SYNCBNDL" not in body
    # a forged signature (a stranger's key claiming the island's site id) is refused too
    stranger = Ident(city.island.engine.site_id, SigningKey.generate())
    assert _raw(url, "GET", f"/v1/blobs/{sha}", ident=stranger)[0] == 403
    # the other island, certified, cannot reach the island's bundle ...
    assert _raw(url, "GET", f"/v1/blobs/{sha}", ident=city.other.ident)[0] == 404
    # ... and the bytes, however obtained, open only with the island's key
    data = prepared.path.read_bytes()
    with pytest.raises(DecryptionFailed):
        city.other.engine.import_bundle(data)
    result = city.island.engine.import_bundle(data)
    assert result.applied > 0
    note = city.island.conn.execute("SELECT note FROM tasks WHERE id = 't1'").fetchone()[0]
    assert note == SECRET
    assert all("uploads" not in p.parts for p in _uploaded_files(city.hub))


def test_the_router_answers_unknown_paths_and_methods_before_any_signature_is_read(
    city: City,
) -> None:
    """Starlette's router decides 404 and 405 for anyone; every route but ping then demands a
    signature, so an anonymous caller learns nothing more than the protocol's public shape."""
    url = city.hub.url
    sha = "ab" * 32
    status, body, _ = _raw(url, "GET", "/v1/nothing-here")
    assert (status, json.loads(body)["error"]) == (404, "not_found")
    status, body, _ = _raw(url, "DELETE", f"/v1/blobs/{sha}")
    assert (status, json.loads(body)["error"]) == (405, "method_not_allowed")
    status, body, _ = _raw(url, "POST", "/v1/ping")
    assert (status, json.loads(body)["error"]) == (405, "method_not_allowed")
    assert _raw(url, "GET", "/v1/ping")[0] == 200
    assert _raw(url, "HEAD", "/v1/ping")[0] == 200
    # a path that differs from a route only by a trailing slash is not that route
    assert _raw(url, "GET", "/v1/outbox/", ident=city.island.ident)[0] == 404
    assert _uploaded_files(city.hub) == []


def test_a_revoked_laptop_is_refused_before_anything_is_stored(city: City, tmp_path: Path) -> None:
    url = city.hub.url
    city.island.conn.execute(
        "INSERT INTO tasks (id, unit, title, progress) VALUES ('t2', 'u1', 'Báo cáo', 5)"
    )
    first = push(url, city.island.engine.export_bundle(), city.island.ident)
    assert first.result["applied"] > 0
    city.city.engine.revoke(city.island.engine.site_id)
    before = _uploaded_files(city.hub)
    city.island.conn.execute("UPDATE tasks SET progress = 60 WHERE id = 't2'")
    with pytest.raises(RemoteRejected) as info:
        push(url, city.island.engine.export_bundle(), city.island.ident, **FAST)
    assert info.value.params["status"] == 403
    assert info.value.params["remote_code"] == "untrusted_key"
    with pytest.raises(RemoteRejected):
        pull(url, city.island.ident, tmp_path / "x.cchc", **FAST)
    assert _uploaded_files(city.hub) == before
    assert city.city.conn.execute("SELECT progress FROM tasks WHERE id = 't2'").fetchone() == (5,)
    # the other island's key, presented under the revoked island's name, is no way in either
    borrowed = Ident(city.island.engine.site_id, city.other.engine.key)
    assert _raw(url, "GET", "/v1/outbox", ident=borrowed)[0] == 403
    assert pull(url, city.other.ident, tmp_path / "other.cchc").path is not None


class _SlowClock:
    """The `time` module as seen by a laptop whose clock is an hour slow."""

    monotonic = staticmethod(time.monotonic)
    sleep = staticmethod(time.sleep)
    real = staticmethod(time.time)

    @classmethod
    def time(cls) -> float:
        return cls.real() - 3600


def test_a_replayed_stale_or_altered_signed_request_is_refused(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = city.hub.address
    ident = city.island.ident
    auth = f"{host}:{port}"
    headers = sign_request(ident, "GET", "/v1/outbox", "", {}, content_digest(b""), authority=auth)
    assert _send(host, port, "GET", "/v1/outbox", b"", headers)[0] == 200
    status, body, _ = _send(host, port, "GET", "/v1/outbox", b"", headers)
    assert status == 401 and json.loads(body)["error"] == "replayed"
    # the same signature on another path, or with a body it did not sign
    fresh = sign_request(ident, "GET", "/v1/outbox", "", {}, content_digest(b""), authority=auth)
    status, body, _ = _send(host, port, "GET", f"/v1/uploads/{'a' * 64}", b"", fresh)
    assert status == 401 and json.loads(body)["error"] == "bad_signature"
    old = time.time() - 3600
    status, body, _ = _raw(city.hub.url, "GET", "/v1/outbox", ident=ident, now=old)
    answer = json.loads(body)
    assert status == 401 and answer["error"] == "stale_signature"
    assert abs(answer["hub_time"] - time.time()) < 60

    # a laptop whose clock is an hour slow still gets through: it signs again by the hub's clock
    monkeypatch.setattr(http_client, "time", _SlowClock)
    city.island.conn.execute(
        "INSERT INTO tasks (id, unit, title, progress) VALUES ('t3', 'u1', 'Tuyên truyền', 1)"
    )
    assert push(city.hub.url, city.island.engine.export_bundle(), ident).result["applied"] > 0


def test_junk_appended_by_another_party_never_touches_the_owners_upload(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    owner, rival = calls.certify("island"), calls.certify("rival")
    data = os.urandom(150_000)
    sha = sha256_hex(data)
    with (
        ThrottlingProxy(hub.address[1], kbit_per_s=1_000, cut_every=0.4) as proxy,
        pytest.raises(TransferAborted),
    ):
        push(proxy.url, data, owner, retries=0, **FAST)
    path = f"/v1/uploads/{sha}"
    status, body, _ = _raw(hub.url, "GET", path, ident=owner)
    kept = json.loads(body)["received"]
    assert 0 < kept < len(data)
    junk = b"\xff" * 1000
    at = {"Upload-Offset": str(kept), "Upload-Length": str(len(data))}
    assert _raw(hub.url, "PUT", path, junk, at)[0] == 401  # anonymous
    status, body, _ = _raw(hub.url, "PUT", path, junk, at, ident=rival)
    assert status == 409 and json.loads(body)["received"] == 0  # the rival sees only its own
    from_zero = {"Upload-Offset": "0", "Upload-Length": str(len(data))}
    assert _raw(hub.url, "PUT", path, junk, from_zero, ident=rival)[0] == 202
    assert json.loads(_raw(hub.url, "GET", path, ident=owner)[1])["received"] == kept
    result = push(hub.url, data, owner)
    assert result.bytes_sent == len(data) - kept
    assert calls.imported == [(data, "island")]


def test_a_body_that_does_not_match_its_signed_digest_is_dropped(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    owner = calls.certify("island")
    data = os.urandom(40_000)
    path = f"/v1/uploads/{sha256_hex(data)}"
    headers = {"Upload-Offset": "0", "Upload-Length": str(len(data))}
    host, port = hub.address
    digest = content_digest(data[:20_000])
    headers.update(
        sign_request(owner, "PUT", path, "", headers, digest, authority=f"{host}:{port}")
    )
    status, body, _ = _send(host, port, "PUT", path, b"\0" * 20_000, headers)
    assert status == 400 and json.loads(body)["error"] == "digest_mismatch"
    assert json.loads(_raw(hub.url, "GET", path, ident=owner)[1])["received"] == 0
    assert push(hub.url, data, owner).result["applied"] == 1


def _start_upload(url: str, ident: Ident, size: int) -> int:
    """Begin an upload of `size` bytes with its first 1,000; returns the status."""
    data = os.urandom(size)
    headers = {"Upload-Offset": "0", "Upload-Length": str(size)}
    return _raw(url, "PUT", f"/v1/uploads/{sha256_hex(data)}", data[:1000], headers, ident)[0]


def test_each_site_has_its_own_quota_of_open_uploads_and_bytes(make_hub) -> None:  # type: ignore[no-untyped-def]
    limits = HubLimits(max_open_uploads=2, max_site_bytes=100_000, idle_evict_seconds=3600)
    hub, calls = make_hub(limits=limits)
    greedy, honest = calls.certify("greedy"), calls.certify("honest")
    assert _start_upload(hub.url, greedy, 10_000) == 202
    assert _start_upload(hub.url, greedy, 10_000) == 202
    assert _start_upload(hub.url, greedy, 10_000) == 429  # a third open upload
    assert _start_upload(hub.url, honest, 90_000) == 202  # another site is not affected
    assert _start_upload(hub.url, honest, 20_000) == 429  # 90 000 + 20 000 > 100 000 bytes
    data = os.urandom(5_000)
    with pytest.raises(RemoteRejected) as info:
        push(hub.url, data, greedy)
    assert info.value.params["remote_code"] == "too_many_uploads"
    # the owner may drop an unfinished upload of its own, which frees its place
    (first,) = sorted(hub.app.site_uploads("greedy").glob("*.meta"))[:1]
    gone = f"/v1/uploads/{first.name.removesuffix('.meta')}"
    assert _raw(hub.url, "DELETE", gone, ident=honest)[0] == 200  # another site: its own, empty
    assert first.exists()
    status, body, _ = _raw(hub.url, "DELETE", gone, ident=greedy)
    assert status == 200 and json.loads(body)["deleted"] is True and not first.exists()
    assert push(hub.url, data, greedy).result["applied"] == 1
    # an upload left idle long enough makes room, so a laptop is never locked out for days
    hub2, calls2 = make_hub(limits=HubLimits(max_open_uploads=1, idle_evict_seconds=0))
    site = calls2.certify("island")
    assert _start_upload(hub2.url, site, 10_000) == 202
    assert push(hub2.url, data, site).result["applied"] == 1


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def test_concurrent_large_uploads_stream_to_disk_within_a_memory_bound(tmp_path: Path) -> None:
    """Three 24 MiB bundles pushed at once: the hub's peak RSS grows by far less than one."""
    keys = [SigningKey.generate() for _ in range(3)]
    root = Path(__file__).resolve().parents[3]
    script = textwrap.dedent(
        f"""
        import hashlib
        from sync.transport import HubServer
        allowed = {[k.public.hex() for k in keys]!r}
        def on_bundle(path, sender):
            h = hashlib.sha256()
            with open(path, "rb") as f:
                while block := f.read(1 << 16):
                    h.update(block)
            return {{"sha256": h.hexdigest()}}
        def check_key(site, key):
            if key.hex() not in allowed:
                raise PermissionError("unknown key")
        hub = HubServer(on_bundle, lambda p: b"", check_key, {str(tmp_path / "hub")!r})
        hub.start()
        print(hub.url, flush=True)
        input()
        hub.close()
        """
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), str(root / "src")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        url = proc.stdout.readline().strip()
        assert reachable(url)
        baseline = _peak_rss_kib(proc.pid)
        size = 24 * 1024 * 1024
        bundles = [os.urandom(size) for _ in keys]
        results: list[Any] = []

        def send(i: int) -> None:
            ident = ClientIdentity(f"site-{i}", keys[i])
            results.append(push(url, bundles[i], ident, chunk_size=4 * 1024 * 1024))

        threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        peak = _peak_rss_kib(proc.pid)
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert sorted(r.result["sha256"] for r in results) == sorted(map(sha256_hex, bundles))
    growth_mib = (peak - baseline) / 1024
    print(f"hub peak RSS {peak / 1024:.0f} MiB, grew {growth_mib:.1f} MiB for 3 x 24 MiB")
    assert growth_mib < 16, growth_mib


def test_five_hundred_half_open_connections_do_not_stop_a_legitimate_push(make_hub) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub(limits=HubLimits(head_timeout=3.0))
    owner = calls.certify("island")
    host, port = hub.address
    lurkers = []
    try:
        for _ in range(500):
            s = socket.create_connection((host, port), timeout=5)
            s.sendall(b"PUT /v1/uploads/" + b"a" * 64 + b" HTTP/1.1\r\nHost: hub\r\nX-Slow: ")
            lurkers.append(s)
        data = os.urandom(300_000)
        started = time.monotonic()
        assert push(hub.url, data, owner, timeout=10).result["applied"] == 1
        assert time.monotonic() - started < 3.0  # answered while all 500 still hang on
        closed = 0
        for s in lurkers:
            s.settimeout(10)
            try:
                closed += s.recv(100) == b""
            except (ConnectionResetError, TimeoutError):
                closed += 1
        assert closed == 500  # the hub dropped every one that never finished its request head
    finally:
        for s in lurkers:
            s.close()
    assert calls.imported == [(data, "island")]


def test_tls_with_the_pinned_fingerprint_only(tmp_path: Path) -> None:
    cert, key = tmp_path / "hub.crt", tmp_path / "hub.key"
    fingerprint = make_self_signed(cert, key, ["127.0.0.1"])
    owner = ClientIdentity("island", SigningKey.generate())
    got: list[bytes] = []

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        got.append(path.read_bytes())
        return {"applied": 1}

    def check_key(site: str, k: bytes) -> None:
        assert k == owner.key.public

    hub = HubServer(
        on_bundle,
        lambda p: b"for the island",
        check_key,
        tmp_path / "hub",
        tls_cert=cert,
        tls_key=key,
    )
    with hub:
        assert hub.url.startswith("https://127.0.0.1:")
        assert push(hub.url, b"bundle", owner, hub_fingerprint=fingerprint).result["applied"] == 1
        pulled = pull(hub.url, owner, tmp_path / "in.cchc", hub_fingerprint=fingerprint.upper())
        assert pulled.path is not None and pulled.path.read_bytes() == b"for the island"
        with pytest.raises(TlsPinMismatch):
            push(hub.url, b"other", owner, hub_fingerprint="00" * 32)
        with pytest.raises(TransferAborted):  # no pin: the system's CAs do not know this one
            push(hub.url, b"other", owner, retries=0, **FAST)
        assert not reachable(hub.url.replace("https", "http"), timeout=2)
        assert not reachable(hub.url, timeout=2)  # unknown certificate
        assert reachable(hub.url, timeout=2, hub_fingerprint=fingerprint)
        assert reachable(hub.url, timeout=2, verify_tls=False)  # a bare liveness probe
    assert got == [b"bundle"]


def test_plain_http_to_another_machine_is_refused_unless_asked(tmp_path: Path) -> None:
    owner = ClientIdentity("island", SigningKey.generate())
    for url in ("http://10.0.0.7:8765", "http://hub.haiphong.gov.vn"):
        with pytest.raises(PlainHttpRefused):
            push(url, b"bundle", owner)
        with pytest.raises(PlainHttpRefused):
            pull(url, owner, tmp_path / "x.cchc")
    # asked for explicitly, the address is accepted (checked without touching the network)
    assert http_client.check_url("http://10.0.0.7:8765", insecure_http=True)[1] == "10.0.0.7"
    assert http_client.check_url("http://localhost:8765")[1] == "localhost"
    with pytest.raises(TransportError):
        http_client.check_url("ftp://127.0.0.1:21")


def test_one_site_cannot_take_all_of_the_hubs_attention(make_hub) -> None:  # type: ignore[no-untyped-def]
    """A laptop (perhaps tampered with) holding many slow uploads open is told to wait, while
    another site's push goes straight through."""
    hub, calls = make_hub(limits=HubLimits(max_site_requests=2, body_idle_timeout=5))
    greedy, honest = calls.certify("greedy"), calls.certify("honest")
    host, port = hub.address
    held = []
    try:
        for _ in range(2):  # two PUTs announcing 10 000 bytes and sending only 10
            data = os.urandom(10_000)
            path = f"/v1/uploads/{sha256_hex(data)}"
            headers = {"Upload-Offset": "0", "Upload-Length": "10000"}
            auth = f"{host}:{port}"
            headers.update(
                sign_request(greedy, "PUT", path, "", headers, content_digest(data), authority=auth)
            )
            s = socket.create_connection((host, port), timeout=10)
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            s.sendall(
                f"PUT {path} HTTP/1.1\r\nHost: {auth}\r\nContent-Length: 10000\r\n{head}\r\n".encode()
                + data[:10]
            )
            held.append(s)
        time.sleep(0.3)
        status, body, _ = _raw(hub.url, "GET", "/v1/outbox", ident=greedy)
        assert status == 429 and json.loads(body)["error"] == "too_many_requests"
        assert push(hub.url, b"honest bundle", honest).result["applied"] == 1
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)  # the held requests end with their connections: the site may come back
    assert _raw(hub.url, "GET", "/v1/outbox", ident=greedy)[0] == 200


def test_every_request_leaves_one_structured_access_log_line(
    make_hub, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    hub, calls = make_hub()
    owner = calls.certify("island")
    with caplog.at_level(logging.INFO, logger="sync.hub.access"):
        push(hub.url, b"x" * 5_000, owner)
        _raw(hub.url, "GET", "/v1/outbox")  # anonymous
        stranger = Ident("island", SigningKey.generate())
        _raw(hub.url, "GET", "/v1/outbox", ident=stranger)
        time.sleep(0.2)  # lines are written as each response ends
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sync.hub.access"]
    put = [x for x in lines if x["method"] == "PUT"]
    assert len(put) == 1 and put[0]["site"] == "island" and put[0]["in"] == 5_000
    assert put[0]["status"] == 200 and put[0]["error"] is None
    refused = [(x["status"], x["error"], x["site"]) for x in lines if x["status"] >= 400]
    assert refused == [(401, "unsigned", None), (403, "untrusted_key", "island")]
    assert all({"t", "client", "path", "out", "ms"} <= set(x) for x in lines)


# --- issue 20: a signature names its hub; refusals tell a stranger nothing ----------------------


def _hub_of(c: Laptop, folder: Path, *, site_id: str | None, port: int) -> HubServer:
    return HubServer(
        lambda path, sender: c.engine.import_bundle(path.read_bytes()).as_dict(),
        lambda peer: c.engine.export_bundle(peer, encrypt_to=peer),
        c.engine.signer_of,
        folder,
        limits=HubLimits(key_cache_seconds=0),
        site_id=site_id,
        port=port,
        public_names=(f"127.0.0.1:{port}",) if port else (),  # the name laptops address it by
    ).start()


@pytest.mark.parametrize("second_site", ["same", "other"])
def test_a_request_signed_for_one_hub_is_refused_by_a_second_hub(
    city: City, tmp_path: Path, second_site: str
) -> None:
    """Two hubs on loopback serve the same trust chain (a second copy of the city, with the same
    site id or another): a request captured at the first and replayed at the second within the
    window names the first hub's authority (and site) and is refused there."""
    site = city.city.engine.site_id
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    first = _hub_of(city.city, tmp_path / "hub-a", site_id=site, port=ports[0])
    second = _hub_of(
        city.city,
        tmp_path / "hub-b",
        site_id=site if second_site == "same" else "copy-b",
        port=ports[1],
    )
    try:
        host, port = first.address
        ident = city.island.ident
        signed = sign_request(
            ident, "GET", "/v1/outbox", "", {}, content_digest(b""),
            authority=f"{host}:{port}", hub=site,
        )  # fmt: skip
        # captured on its way to the first hub, replayed at the second
        b_host, b_port = second.address
        headers = {**signed, "Host": f"{host}:{port}"}
        status, body, _ = _send(b_host, b_port, "GET", "/v1/outbox", b"", headers)
        assert status == 401 and json.loads(body)["error"] == "wrong_hub"
        # with the Host rewritten to the second hub, the signature no longer verifies
        headers = {**signed, "Host": f"{b_host}:{b_port}"}
        status, body, _ = _send(b_host, b_port, "GET", "/v1/outbox", b"", headers)
        assert status == 401 and json.loads(body)["error"] in ("bad_signature", "wrong_hub")
        # the first hub takes the request it was signed for
        assert _send(host, port, "GET", "/v1/outbox", b"", dict(signed))[0] == 200
        # and the honest client, signing for each hub, is served by both
        assert pull(first.url, ident, tmp_path / "a.cchc").path is not None
        assert pull(second.url, ident, tmp_path / "b.cchc").path is not None
    finally:
        first.close()
        second.close()


def test_a_request_signed_for_another_site_is_refused(city: City, tmp_path: Path) -> None:
    hub = _hub_of(city.city, tmp_path / "hub-s", site_id=city.city.engine.site_id, port=0)
    try:
        host, port = hub.address
        signed = sign_request(
            city.island.ident, "GET", "/v1/outbox", "", {}, content_digest(b""),
            authority=f"{host}:{port}", hub="another-city-copy",
        )  # fmt: skip
        status, body, _ = _send(host, port, "GET", "/v1/outbox", b"", signed)
        assert status == 401 and json.loads(body)["error"] == "wrong_hub"
    finally:
        hub.close()


def test_refusals_carry_a_code_and_a_reason_but_no_fingerprint_key_or_site(
    city: City, caplog: pytest.LogCaptureFixture
) -> None:
    url = city.hub.url
    root_fp = city.city.engine.root_fingerprint()
    island = city.island.engine.site_id
    stranger = Ident(island, SigningKey.generate())
    borrowed = Ident(island, city.other.engine.key)
    unknown = Ident("no-such-site", SigningKey.generate())
    secrets_ = [
        root_fp, island, city.other.engine.site_id, "no-such-site",
        stranger.key.public.hex(), city.other.engine.key.public.hex(),
        *(fingerprint(k) for k in (stranger.key.public, city.other.engine.key.public)),
        *(fingerprint(k)[:16] for k in (stranger.key.public, city.other.engine.key.public)),
    ]  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="sync.hub"):
        answers = [
            _raw(url, "GET", "/v1/outbox"),  # anonymous
            _raw(url, "GET", "/v1/outbox", ident=stranger),  # a key nobody certified
            _raw(url, "GET", "/v1/outbox", ident=borrowed),  # another site's key
            _raw(url, "GET", "/v1/outbox", ident=unknown),  # a site nobody knows
        ]
    assert [status for status, _, _ in answers] == [401, 403, 403, 403]
    for _, body, _ in answers:
        answer = json.loads(body)
        assert set(answer) == {"error", "message"}
        assert answer["error"] in ("unsigned", "untrusted_key") and answer["message"]
        text = body.decode("utf-8").lower()
        for secret in secrets_:
            assert secret is not None and secret.lower() not in text
    # the hub's own log keeps the detail, for the city's technician
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "untrusted_key" in logged and island in logged
