"""HTTP carrier: a small hub the city runs, and resumable push/pull clients for the island.

The hub is generic over two callables the app gives it:
`on_bundle(data, sender) -> dict` imports a pushed bundle and returns a JSON-able result;
`bundle_for(peer) -> bytes` exports what that peer should receive. Protocol (sync/TRANSPORT.md):

    GET  /v1/ping                      -> {"ok": true, "protocol": 1, "max_bundle_size": N}
    GET  /v1/uploads/<sha256>          -> {"sha256", "size", "received", "done", "result"}
    HEAD /v1/uploads/<sha256>          -> headers Upload-Offset, Upload-Done
    PUT  /v1/uploads/<sha256>          headers Upload-Offset, Upload-Length, X-Sync-Sender;
                                       body = the bytes from that offset on (any length)
         -> 202 {"received"} while incomplete, 200 {"done": true, "result"} once verified and
            imported, 409 {"received"} when the offset is not where the hub stands
    GET  /v1/outbox?peer=P[&have=SHA]  -> {"sha256", "size"} of a bundle prepared for P
    GET  /v1/blobs/<sha256>            with optional "Range: bytes=N-" -> 206 from byte N

The hub appends pushed bytes as they arrive, so a cut loses only what was in flight.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from sync.transport.errors import (
    DiskFull,
    HashMismatch,
    NotABundle,
    RemoteRejected,
    TransferAborted,
    TransportError,
)
from sync.transport.files import local_write_error, sha256_hex, write_atomic

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
DEFAULT_MAX_BUNDLE_SIZE = 512 * 1024 * 1024
DEFAULT_CHUNK_SIZE = 256 * 1024
_BLOCK = 16 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_NAME_RE = re.compile(r"^[A-Za-z0-9._:@+-]{1,128}$")

OnBundle = Callable[[bytes, str], dict[str, Any]]
BundleFor = Callable[[str], bytes]


class _Reject(Exception):
    """A request the hub refuses with an HTTP status and a JSON error body."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


@dataclass
class _Upload:
    lock: threading.Lock
    finish: threading.Lock
    owner: object | None = None


class HubServer:
    """The city's hub: receives pushed bundles and serves bundles to pull, resumably.

    Requests are served by worker threads; `on_bundle` and `bundle_for` are called from them but
    never two at a time, so the app may share one database connection between them.
    """

    def __init__(
        self,
        on_bundle: OnBundle,
        bundle_for: BundleFor,
        staging_dir: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE,
        keep_seconds: float = 7 * 24 * 3600,
        request_timeout: float = 60.0,
    ) -> None:
        self.on_bundle = on_bundle
        self.bundle_for = bundle_for
        self.staging = Path(staging_dir)
        self.uploads_dir = self.staging / "uploads"
        self.outbox_dir = self.staging / "outbox"
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        self.max_bundle_size = max_bundle_size
        self.keep_seconds = keep_seconds
        self._uploads: dict[str, _Upload] = {}
        self._uploads_lock = threading.Lock()
        self._outbox_lock = threading.Lock()
        self._app_lock = threading.Lock()  # the app's callbacks run one at a time
        self._thread: threading.Thread | None = None
        handler = type("HubHandler", (_Handler,), {"hub": self, "timeout": request_timeout})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) actually bound."""
        host, port = self.httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The base URL clients use, e.g. `http://127.0.0.1:8765`."""
        host, port = self.address
        return f"http://{host}:{port}"

    def start(self) -> HubServer:
        """Serve in a background thread; returns self."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until `close()` is called from another."""
        self.httpd.serve_forever()

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- uploads -----------------------------------------------------------------------------

    def _upload(self, sha: str) -> _Upload:
        with self._uploads_lock:
            up = self._uploads.get(sha)
            if up is None:
                up = self._uploads[sha] = _Upload(threading.Lock(), threading.Lock())
            return up

    def upload_path(self, sha: str) -> Path:
        return self.uploads_dir / f"{sha}.upload"

    def result_path(self, sha: str) -> Path:
        return self.uploads_dir / f"{sha}.result.json"

    def upload_state(self, sha: str) -> dict[str, Any]:
        result = None
        with contextlib.suppress(OSError, ValueError):
            result = json.loads(self.result_path(sha).read_text("utf-8"))
        try:
            received = self.upload_path(sha).stat().st_size
        except OSError:
            received = 0
        if result is not None:
            return {
                "sha256": sha,
                "size": result["size"],
                "received": result["size"],
                "done": True,
                "result": result["result"],
            }
        return {"sha256": sha, "size": None, "received": received, "done": False, "result": None}

    def finish_upload(self, sha: str, total: int, sender: str) -> dict[str, Any]:
        """Verify a complete upload, import it once, remember the result, drop the bytes."""
        up = self._upload(sha)
        with up.finish:
            state = self.upload_state(sha)
            path = self.upload_path(sha)
            if state["done"]:
                path.unlink(missing_ok=True)
                return state
            data = path.read_bytes()
            if len(data) != total or sha256_hex(data) != sha:
                path.unlink(missing_ok=True)
                raise _Reject(
                    422,
                    HashMismatch.code,
                    f"received {len(data)} bytes whose sha256 is {sha256_hex(data)[:8]}, "
                    f"not the announced {sha[:8]}; upload discarded, start again",
                    received=0,
                )
            try:
                with self._app_lock:
                    result = self.on_bundle(data, sender)
            except Exception as exc:  # the app's import failed: report it, keep the bytes
                log.exception("on_bundle failed for %s", sha)
                raise _Reject(500, "import_failed", f"import of {sha[:8]} failed: {exc}") from exc
            write_atomic(
                self.result_path(sha),
                json.dumps({"size": total, "result": result, "at": time.time()}).encode(),
            )
            path.unlink(missing_ok=True)
            self._sweep()
            return self.upload_state(sha)

    # --- outbox ------------------------------------------------------------------------------

    def blob_path(self, sha: str) -> Path:
        return self.outbox_dir / f"{sha}.blob"

    def prepare(self, peer: str, have: str | None) -> dict[str, Any]:
        """The blob for `peer`: the one it is part-way through (`have`) if still here, else new."""
        if have and self.blob_path(have).is_file():
            return {"sha256": have, "size": self.blob_path(have).stat().st_size}
        try:
            with self._app_lock:
                data = self.bundle_for(peer)
        except Exception as exc:
            log.exception("bundle_for failed for %s", peer)
            raise _Reject(500, "export_failed", f"export for {peer!r} failed: {exc}") from exc
        if not data:
            return {"sha256": None, "size": 0}
        sha = sha256_hex(data)
        with self._outbox_lock:
            if not self.blob_path(sha).is_file():
                write_atomic(self.blob_path(sha), data)
            self._set_current(peer, sha)
        self._sweep()
        return {"sha256": sha, "size": len(data)}

    def _set_current(self, peer: str, sha: str) -> None:
        """Remember `sha` as the blob prepared for `peer`; drop blobs no peer is fetching now."""
        marker = self.outbox_dir / f"peer-{sha256_hex(peer.encode())[:16]}.current"
        previous = None
        with contextlib.suppress(OSError):
            previous = marker.read_text("ascii").strip()
        write_atomic(marker, sha.encode("ascii"))
        if previous and previous != sha:
            in_use = set()
            for m in self.outbox_dir.glob("*.current"):
                with contextlib.suppress(OSError):
                    in_use.add(m.read_text("ascii").strip())
            if previous not in in_use:
                self.blob_path(previous).unlink(missing_ok=True)

    def _sweep(self) -> None:
        cutoff = time.time() - self.keep_seconds
        for folder in (self.outbox_dir, self.uploads_dir):
            for p in folder.iterdir():
                with contextlib.suppress(OSError):
                    if p.stat().st_mtime < cutoff:
                        p.unlink()


def _json_int(value: str | None, name: str) -> int:
    if value is None:
        raise _Reject(400, "bad_request", f"header {name} is required")
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0 or not value.strip().isdigit():
        raise _Reject(400, "bad_request", f"header {name} must be a whole number, got {value!r}")
    return n


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"
    server_version = "SyncHub/1"
    _body_left: int | None = None  # request body bytes not yet read, when known

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    # --- plumbing ----------------------------------------------------------------------------

    def _send_json(self, status: int, body: dict[str, Any], head_only: bool = False) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(raw)

    def _drain(self) -> None:
        """Read and drop a small unread body so the connection stays usable, else close it."""
        n = self._body_left
        if n is None:
            try:
                n = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                n = -1
        self._body_left = 0
        if 0 <= n <= 1 << 20:
            while n > 0:
                chunk = self.rfile.read(min(n, _BLOCK))
                if not chunk:
                    break
                n -= len(chunk)
        else:
            self.close_connection = True

    def _route(self, method: str) -> None:
        self._body_left = None
        try:
            self._dispatch(method)
        except _Reject as rej:
            if method in ("PUT", "POST"):
                self._drain()
            body = {"error": rej.code, "message": rej.message, **rej.extra}
            self._send_json(rej.status, body, head_only=method == "HEAD")
        except TransportError as err:  # the hub's own disk refused: say so, keep serving
            log.error("hub storage error: %s", err)
            self.close_connection = True
            status = 507 if isinstance(err, DiskFull) else 500
            body = {"error": err.code, "message": f"the hub cannot store data: {err.message}"}
            self._send_json(status, body, head_only=method == "HEAD")
        except (ConnectionError, TimeoutError) as exc:
            log.debug("connection lost: %s", exc)
            self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        self._route("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._route("HEAD")

    def do_PUT(self) -> None:  # noqa: N802
        self._route("PUT")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._route("DELETE")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        segs = path.split("/")[1:]
        if segs[:1] != ["v1"]:
            raise _Reject(404, "not_found", f"no such endpoint {parts.path!r}")
        rest = segs[1:]
        if rest == ["ping"] and method in ("GET", "HEAD"):
            body = {
                "ok": True,
                "protocol": PROTOCOL_VERSION,
                "max_bundle_size": self.hub.max_bundle_size,
            }
            return self._send_json(200, body, head_only=method == "HEAD")
        if len(rest) == 2 and rest[0] == "uploads":
            sha = self._sha(rest[1])
            if method in ("GET", "HEAD"):
                return self._upload_status(sha, method == "HEAD")
            if method in ("PUT", "POST"):
                return self._upload_chunk(sha)
            raise _Reject(405, "method_not_allowed", f"{method} is not allowed on {path!r}")
        if rest == ["outbox"] and method == "GET":
            peer = self._name(query.get("peer"), "peer")
            have = query.get("have")
            if have is not None and not _SHA_RE.match(have):
                raise _Reject(400, "bad_request", f"have must be a sha256 in hex, got {have!r}")
            return self._send_json(200, self.hub.prepare(peer, have))
        if len(rest) == 2 and rest[0] == "blobs" and method in ("GET", "HEAD"):
            return self._blob(self._sha(rest[1]), method == "HEAD")
        raise _Reject(404, "not_found", f"no such endpoint {method} {parts.path!r}")

    def _sha(self, value: str) -> str:
        if not _SHA_RE.match(value):
            raise _Reject(400, "bad_request", f"{value!r} is not a sha256 in lowercase hex")
        return value

    def _name(self, value: str | None, what: str) -> str:
        if value is None or not _NAME_RE.match(value):
            raise _Reject(
                400, "bad_request", f"{what} must be 1-128 of [A-Za-z0-9._:@+-], got {value!r}"
            )
        return value

    # --- endpoints ---------------------------------------------------------------------------

    def _upload_status(self, sha: str, head: bool) -> None:
        state = self.hub.upload_state(sha)
        if head:
            self.send_response(200)
            self.send_header("Upload-Offset", str(state["received"]))
            self.send_header("Upload-Done", "1" if state["done"] else "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send_json(200, state)

    def _upload_chunk(self, sha: str) -> None:
        hub = self.hub
        sender = self._name(self.headers.get("X-Sync-Sender"), "X-Sync-Sender")
        total = _json_int(self.headers.get("Upload-Length"), "Upload-Length")
        offset = _json_int(self.headers.get("Upload-Offset"), "Upload-Offset")
        length = _json_int(self.headers.get("Content-Length"), "Content-Length")
        if total == 0:
            raise _Reject(400, NotABundle.code, "Upload-Length 0: an empty bundle is not a bundle")
        if total > hub.max_bundle_size:
            self.close_connection = True
            raise _Reject(
                413,
                "too_large",
                f"bundle of {total} bytes exceeds this hub's limit of {hub.max_bundle_size}",
            )
        if offset + length > total:
            raise _Reject(
                400,
                "bad_request",
                f"Upload-Offset {offset} + Content-Length {length} runs past Upload-Length {total}",
            )
        up = hub._upload(sha)
        token = object()
        path = hub.upload_path(sha)
        with up.lock:
            state = hub.upload_state(sha)
            received = path.stat().st_size if path.exists() else 0
            if not state["done"]:
                if received > total:
                    path.unlink()
                    received = 0
                if offset == received:
                    up.owner = token  # a newer request takes over one stuck on a dead link
        if state["done"]:
            self._drain()
            return self._send_json(200, state)
        if offset != received:
            raise _Reject(
                409,
                "offset_mismatch",
                f"Upload-Offset {offset} is not where this upload stands ({received})",
                received=received,
            )
        remaining = self._body_left = length
        with open(path, "ab") as f:
            while remaining > 0:
                try:
                    block = self.rfile.read1(min(remaining, _BLOCK))
                except (ConnectionError, TimeoutError):
                    block = b""
                if not block:
                    self.close_connection = True
                    return  # the link dropped: what arrived is kept for the resume
                with up.lock:
                    if up.owner is not token:
                        self.close_connection = True
                        return  # a newer request took this upload over
                    try:
                        f.write(block)
                        f.flush()
                    except OSError as exc:
                        raise local_write_error(exc, path, total) from exc
                remaining -= len(block)
                self._body_left = remaining
        with up.lock:
            if up.owner is token:
                up.owner = None
        received = path.stat().st_size if path.exists() else 0
        if received < total:
            return self._send_json(202, {"sha256": sha, "received": received, "done": False})
        self._send_json(200, hub.finish_upload(sha, total, sender))

    def _blob(self, sha: str, head: bool) -> None:
        path = self.hub.blob_path(sha)
        try:
            size = path.stat().st_size
        except OSError:
            raise _Reject(404, "not_found", f"no bundle {sha[:8]} is waiting here") from None
        start = 0
        rng = self.headers.get("Range")
        if rng is not None:
            m = re.fullmatch(r"bytes=(\d+)-(\d*)", rng.strip())
            if not m:
                raise _Reject(400, "bad_request", f"Range must be 'bytes=N-', got {rng!r}")
            start = int(m.group(1))
            if start >= size:
                raise _Reject(416, "bad_range", f"Range start {start} is past the end ({size})")
        end = size - 1
        if rng is not None and m and m.group(2):
            end = min(end, int(m.group(2)))
        self.send_response(206 if rng is not None else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("X-Content-SHA256", sha)
        if rng is not None:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if head:
            return
        with open(path, "rb") as f:
            f.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = f.read(min(left, _BLOCK))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)


def serve(
    on_bundle: OnBundle,
    bundle_for: BundleFor,
    staging_dir: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Run a hub in this thread until interrupted (Ctrl+C); `ready(url)` is called once bound."""
    hub = HubServer(on_bundle, bundle_for, staging_dir, host=host, port=port)
    if ready is not None:
        ready(hub.url)
    try:
        hub.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        hub.httpd.server_close()


# --- client ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    """The outcome of a push: the hub's import result and how the transfer went."""

    sha256: str
    size: int
    result: dict[str, Any]
    resumes: int
    bytes_sent: int


@dataclass(frozen=True)
class PullResult:
    """The outcome of a pull: where the bundle was written (None when the hub had nothing)."""

    path: Path | None
    sha256: str | None
    size: int
    resumes: int
    bytes_received: int


class _Client:
    """One keep-alive connection to the hub, reopened after any failure."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"hub URL must be http(s)://host:port, got {url!r}", url=url)
        self.url = url
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.base = parts.path.rstrip("/")
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            cls = (
                http.client.HTTPSConnection
                if self.scheme == "https"
                else http.client.HTTPConnection
            )
            self.conn = cls(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | memoryview | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        conn = self._connection()
        hdrs = dict(headers or {})
        payload: Any = body
        if body is not None:
            # Sent in slices so the socket timeout bounds each slice, not the whole chunk:
            # on a 64 kbit/s link a large chunk takes longer than any sane stall timeout.
            view = memoryview(body)
            hdrs["Content-Length"] = str(len(view))
            payload = (view[i : i + _BLOCK] for i in range(0, len(view), _BLOCK))
        try:
            conn.request(method, self.base + path, body=payload, headers=hdrs)
            return conn.getresponse()
        except BaseException:
            self.close()
            raise

    def json(
        self,
        method: str,
        path: str,
        body: bytes | memoryview | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        resp = self.request(method, path, body, headers)
        try:
            raw = resp.read()
        except BaseException:
            self.close()
            raise
        if resp.will_close:
            self.close()
        try:
            data = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            data = {"error": "bad_response", "message": raw[:200].decode("utf-8", "replace")}
        return resp.status, data


_RETRYABLE = (OSError, http.client.HTTPException, TimeoutError)


def _rejected(url: str, status: int, body: dict[str, Any]) -> RemoteRejected:
    code = str(body.get("error", "http_error"))
    message = str(body.get("message", f"HTTP {status}"))
    return RemoteRejected(
        f"hub {url!r} refused the request ({status} {code}): {message}",
        url=url,
        status=status,
        remote_code=code,
        remote_message=message,
    )


def _sleep_backoff(attempt: int, backoff: float, max_backoff: float) -> None:
    time.sleep(min(max_backoff, backoff * (2 ** max(0, attempt - 1))))


def push(
    url: str,
    data: bytes,
    sender: str,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    retries: int = 8,
    timeout: float = 30.0,
    backoff: float = 0.5,
    max_backoff: float = 8.0,
) -> PushResult:
    """Upload `data` to the hub at `url`, resuming after cuts; returns the hub's import result.

    `retries` bounds consecutive failed attempts that made no progress; then `TransferAborted`.
    A refusal by the hub (bad request, too large, import failed) raises `RemoteRejected` at once.
    """
    if not data:
        raise NotABundle("an empty bundle cannot be pushed", size=0)
    if chunk_size < 1:
        raise TransportError(
            f"chunk size must be positive, got {chunk_size!r}", chunk_size=chunk_size
        )
    sha = sha256_hex(data)
    total = len(data)
    client = _Client(url, timeout)
    view = memoryview(data)
    path = f"/v1/uploads/{sha}"
    failures = 0
    resumes = 0
    sent = 0
    offset: int | None = None
    best = -1
    hash_restarts = 0
    try:
        while True:
            try:
                if offset is None:
                    status, body = client.json("GET", path)
                    if status != 200:
                        raise _rejected(url, status, body)
                    if body.get("done"):
                        return PushResult(sha, total, body.get("result") or {}, resumes, sent)
                    offset = int(body.get("received", 0))
                    if offset > total:
                        offset = 0
                    if offset > best:
                        best, failures = offset, 0
                end = min(total, offset + chunk_size)
                headers = {
                    "Upload-Offset": str(offset),
                    "Upload-Length": str(total),
                    "X-Sync-Sender": sender,
                    "Content-Type": "application/octet-stream",
                }
                sent += end - offset
                status, body = client.json("PUT", path, view[offset:end], headers)
                if status == 200 and body.get("done"):
                    return PushResult(sha, total, body.get("result") or {}, resumes, sent)
                if status in (202, 409):
                    offset = int(body.get("received", 0))
                elif status == 422 and body.get("error") == HashMismatch.code and hash_restarts < 2:
                    hash_restarts += 1
                    offset = 0
                    continue
                else:
                    raise _rejected(url, status, body)
            except _RETRYABLE as exc:
                failures += 1
                resumes += 1
                offset = None
                log.debug("push to %s interrupted (%s); attempt %d", url, exc, failures)
                if failures > retries:
                    raise TransferAborted(
                        f"push of {sha[:8]} to {url!r} gave up after {failures} failed "
                        f"attempts without progress: {exc}",
                        url=url,
                        bundle_sha256=sha,
                        attempts=failures,
                    ) from exc
                _sleep_backoff(failures, backoff, max_backoff)
                continue
            if offset is not None and offset > best:
                best = offset
                failures = 0
    finally:
        client.close()


def _download(resp: http.client.HTTPResponse, part: Path, size: int) -> int:
    """Append the response body to `part` as it arrives; returns the bytes appended.

    Network errors propagate (the caller retries); a local refusal to write raises `DiskFull`
    (the partial file is removed to give the space back) or `WriteFailed`.
    """
    got = 0
    try:
        f = open(part, "ab")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise local_write_error(exc, part, size) from exc
    try:
        while True:
            chunk = resp.read1(_BLOCK)
            if not chunk:
                break
            try:
                f.write(chunk)
                f.flush()
            except OSError as exc:
                raise local_write_error(exc, part, size) from exc
            got += len(chunk)
        try:
            os.fsync(f.fileno())
        except OSError as exc:
            raise local_write_error(exc, part, size) from exc
    except DiskFull:
        with contextlib.suppress(OSError):
            f.close()
        part.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(OSError):
            f.close()
    return got


def _partials_for(dest: Path) -> list[tuple[Path, str]]:
    """Partial downloads for `dest` left by earlier pulls, newest first, with their sha256."""
    found: list[tuple[float, Path, str]] = []
    for p in dest.parent.glob(f".{dest.name}.*.partial"):
        sha = p.name[len(dest.name) + 2 : -len(".partial")]
        if _SHA_RE.match(sha):
            with contextlib.suppress(OSError):
                found.append((p.stat().st_mtime, p, sha))
    return [(p, sha) for _, p, sha in sorted(found, key=lambda t: t[0], reverse=True)]


def pull(
    url: str,
    peer: str,
    dest_path: str | os.PathLike[str],
    *,
    retries: int = 8,
    timeout: float = 30.0,
    backoff: float = 0.5,
    max_backoff: float = 8.0,
) -> PullResult:
    """Download the bundle the hub prepares for `peer` into `dest_path`, resuming after cuts.

    Bytes arrive in a hidden `.<name>.<sha256>.partial` beside `dest_path`; a later call resumes
    it (the hub keeps the same bundle for a while). The file is checked against its sha256 and
    renamed into place only when whole.
    """
    dest = Path(dest_path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise local_write_error(exc, dest.parent, 0) from exc
    client = _Client(url, timeout)
    failures = 0
    resumes = 0
    received_bytes = 0
    target: dict[str, Any] | None = None
    best = -1
    hash_restarts = 0
    try:
        while True:
            try:
                if target is None:
                    partials = _partials_for(dest)
                    query = f"/v1/outbox?peer={quote(peer, safe='')}"
                    if partials:
                        query += f"&have={partials[0][1]}"
                    status, body = client.json("GET", query)
                    if status != 200:
                        raise _rejected(url, status, body)
                    target = body
                    for stale, sha in partials:
                        if sha != body.get("sha256"):
                            stale.unlink(missing_ok=True)
                    if not body.get("sha256"):
                        return PullResult(None, None, 0, resumes, received_bytes)
                sha = str(target["sha256"])
                size = int(target["size"])
                part = dest.parent / f".{dest.name}.{sha}.partial"
                have_len = part.stat().st_size if part.exists() else 0
                if have_len > size:
                    part.unlink()
                    have_len = 0
                if have_len < size:
                    headers = {"Range": f"bytes={have_len}-"} if have_len else {}
                    resp = client.request("GET", f"/v1/blobs/{sha}", headers=headers)
                    if resp.status not in (200, 206):
                        raw = resp.read()
                        client.close()
                        try:
                            err = json.loads(raw.decode("utf-8"))
                        except ValueError:
                            err = {}
                        if resp.status in (404, 416):
                            part.unlink(missing_ok=True)
                            target = None
                            raise ConnectionError(f"bundle {sha[:8]} vanished ({resp.status})")
                        raise _rejected(url, resp.status, err)
                    if resp.status == 200 and have_len:
                        part.unlink(missing_ok=True)
                    received_bytes += _download(resp, part, size)
                    if resp.will_close:
                        client.close()
                    have_len = part.stat().st_size
                    if have_len < size:
                        raise ConnectionError(f"download of {sha[:8]} stopped at {have_len}")
                digest = hashlib.sha256()
                with open(part, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
                if digest.hexdigest() != sha:
                    part.unlink(missing_ok=True)
                    if hash_restarts < 1:  # a damaged partial file: fetch once more from zero
                        hash_restarts += 1
                        continue
                    raise HashMismatch(
                        f"downloaded {size} bytes whose sha256 is {digest.hexdigest()[:8]}, "
                        f"not the announced {sha[:8]}",
                        bundle_sha256=sha,
                    )
                try:
                    os.replace(part, dest)
                except OSError as exc:
                    raise local_write_error(exc, dest, size) from exc
                with contextlib.suppress(OSError):
                    fd = os.open(dest.parent, os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                return PullResult(dest, sha, size, resumes, received_bytes)
            except _RETRYABLE as exc:
                client.close()
                current = 0
                if target is not None:
                    p = dest.parent / f".{dest.name}.{target['sha256']}.partial"
                    with contextlib.suppress(OSError):
                        current = p.stat().st_size
                if current > best:
                    best = current
                    failures = 0
                failures += 1
                resumes += 1
                log.debug("pull from %s interrupted (%s); attempt %d", url, exc, failures)
                if failures > retries:
                    raise TransferAborted(
                        f"pull for {peer!r} from {url!r} gave up after {failures} failed "
                        f"attempts without progress: {exc}",
                        url=url,
                        peer=peer,
                        attempts=failures,
                    ) from exc
                _sleep_backoff(failures, backoff, max_backoff)
    finally:
        client.close()


def reachable(url: str, timeout: float = 3.0) -> bool:
    """True when a hub answers `GET /v1/ping` at `url` within `timeout` seconds."""
    try:
        client = _Client(url, timeout)
    except TransportError:
        return False
    try:
        status, body = client.json("GET", "/v1/ping")
    except _RETRYABLE:
        return False
    finally:
        client.close()
    return status == 200 and body.get("ok") is True and body.get("protocol") == PROTOCOL_VERSION
