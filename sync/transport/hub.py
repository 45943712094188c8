"""The city's hub: an ASGI app (Starlette) served by uvicorn, for certified laptops only.

Protocol 2 (sync/TRANSPORT.md): every request but `ping` is signed by the laptop's certified
Ed25519 key (`http_auth`); the hub checks the signature, its freshness and nonce, and asks the app
whether the key is certified for the site it names, before it reads a body byte or serves one.

    GET    /v1/ping                     -> {"ok": true, "protocol": 2, "max_bundle_size": N,
                                            "site_id": the hub's site, when it has one}
    GET    /v1/uploads/<sha256>         -> {"sha256", "size", "received", "done", "result"}
    HEAD   /v1/uploads/<sha256>         -> headers Upload-Offset, Upload-Done
    PUT    /v1/uploads/<sha256>         headers Upload-Offset, Upload-Length; body from the offset
           -> 202 {"received"}; 200 {"done": true, "result"}; 409 {"received"}
    DELETE /v1/uploads/<sha256>         -> 200 {"deleted": bool}: drop an unfinished upload
    GET    /v1/outbox[?have=SHA]        -> {"sha256", "size"} of a bundle prepared for the caller
    GET    /v1/blobs/<sha256>           [Range: bytes=N-] -> 200/206, the caller's bundle only

The app is Starlette's own: its router matches the path and method (404 and 405 come before any
signature is read), `SignedOnly` is the authentication middleware of every route but ping, and
`AccessLog` writes one line per request. The upload state machine lives in `hub_uploads`.

Uploads and bundles prepared for a site live under that site's own folder, so no one else can
read, append to or finish them. Bytes are appended to disk as they arrive; nothing is held whole
in memory except by the app's own `on_bundle`/`bundle_for`, which run one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.transport.errors import DiskFull, TransportError
from sync.transport.files import local_write_error
from sync.transport.http_auth import AuthRefused, KeyCheck, RequestVerifier, Verified, untrusted
from sync.transport.hub_uploads import (
    DEFAULT_MAX_BUNDLE_SIZE,
    HubLimits,
    Reject,
    Uploads,
    is_sha,
    replace_file,
    sha_param,
    site_dir_name,
)

__all__ = [
    "DEFAULT_MAX_BUNDLE_SIZE",
    "PROTOCOL_VERSION",
    "HubApp",
    "HubCannotStart",
    "HubLimits",
    "HubServer",
    "serve",
]

log = logging.getLogger("sync.hub")
access_log = logging.getLogger("sync.hub.access")

PROTOCOL_VERSION = 2
_BLOCK = 64 * 1024

OnBundle = Callable[[Path, str], dict[str, Any]]
"""`on_bundle(path, sender)`: import the verified bundle at `path` pushed by site `sender`."""
BundleFor = Callable[[str], bytes]
"""`bundle_for(site)`: the bytes to serve to `site` (encrypted to it by the app), b"" if none."""


class HubCannotStart(TransportError):
    """The hub cannot listen (address in use, no permission) or read its TLS files."""

    code = "hub_cannot_start"


@dataclass
class _Access:
    """One line of the access log."""

    client: str
    method: str
    path: str
    site: str | None = None
    status: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    error: str | None = None
    started: float = field(default_factory=time.monotonic)

    def emit(self) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        access_log.info(
            json.dumps(
                {
                    "t": round(time.time(), 3),
                    "client": self.client,
                    "site": self.site,
                    "method": self.method,
                    "path": self.path,
                    "status": self.status,
                    "in": self.bytes_in,
                    "out": self.bytes_out,
                    "ms": round((time.monotonic() - self.started) * 1000, 1),
                    "error": self.error,
                },
                ensure_ascii=False,
            )
        )


def _access(request: Request) -> _Access:
    acc: _Access = request.scope["state"]["access"]
    return acc


class AccessLog:
    """Middleware: one access-log line per request, counting the bytes that went in and out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # the hub speaks HTTP only (no lifespan, no websockets)
        client = scope.get("client")
        acc = _Access(f"{client[0]}:{client[1]}" if client else "?", scope["method"], scope["path"])
        scope.setdefault("state", {})["access"] = acc

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                acc.bytes_in += len(message.get("body", b""))
            return message

        async def counted_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                acc.status = message["status"]
            elif message["type"] == "http.response.body":
                acc.bytes_out += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counted_receive, counted_send)
        finally:
            acc.emit()


class SignedOnly:
    """Middleware of every route but ping: the request must be signed by a key the app certifies
    for the site it names, fresh, never seen before, and bound to this hub; and that site may have
    only so many requests in hand at once. The verified caller is `request.state.who`."""

    def __init__(self, app: ASGIApp, hub: HubApp) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        who = await self.hub.authenticate(request)
        site = who.site_id
        active = self.hub.active.get(site, 0)
        if active >= self.hub.limits.max_site_requests:
            # one laptop (perhaps tampered with) must not take every connection the hub has
            raise Reject(
                429,
                "too_many_requests",
                f"site already has {active} requests in progress; try again shortly",
            )
        self.hub.active[site] = active + 1
        request.state.who = who
        try:
            await self.app(scope, receive, send)
        finally:
            left = self.hub.active.get(site, 1) - 1
            if left > 0:
                self.hub.active[site] = left
            else:
                self.hub.active.pop(site, None)


#: What a refused caller is told (its code and this); the detail goes to the hub's log only.
PUBLIC_REASONS = {
    "unsigned": "this hub serves only signed requests",
    "bad_signature": "the request's signature is malformed or does not verify",
    "stale_signature": "the signature is outside this hub's time window; sign again",
    "replayed": "this signed request was already used",
    "wrong_hub": "the request was signed for another hub",
    "untrusted_key": "the key is not certified for this hub",
    "refused": "the request is refused",
}


def _error(request: Request, status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    """Every error the hub gives: JSON {"error": code, "message", ...}, noted in the access log."""
    acc = _access(request)
    if acc.error is None:
        acc.error = code
    resp = JSONResponse({"error": code, "message": message, **extra}, status_code=status)
    if request.method == "HEAD":
        resp.body = b""
    return resp


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Reject | AuthRefused)
    message = exc.message
    if exc.status in (401, 403):
        # the caller learns the code and a short reason; who it claimed to be, which key and why
        # the trust chain said no stay in the hub's own log
        log.warning("refused %s %s: %s %s", request.method, request.url.path, exc.code, message)
        message = PUBLIC_REASONS.get(exc.code, PUBLIC_REASONS["refused"])
    return _error(request, exc.status, exc.code, message, **exc.extra)


async def _storage_failed(request: Request, exc: Exception) -> Response:
    """The hub's own disk refused: say so, keep serving."""
    assert isinstance(exc, TransportError)
    log.error("hub storage error: %s", exc)
    status = 507 if isinstance(exc, DiskFull) else 500
    resp = _error(request, status, exc.code, f"the hub cannot store data: {exc.message}")
    resp.headers["Connection"] = "close"
    return resp


async def _no_route(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    path, method = request.url.path, request.method
    if exc.status_code == 405:
        return _error(request, 405, "method_not_allowed", f"{method} is not allowed on {path!r}")
    if exc.status_code == 404:
        return _error(request, 404, "not_found", f"no such endpoint {method} {path!r}")
    return _error(request, exc.status_code, "bad_request", exc.detail)


class HubApp:
    """The ASGI application; see the module docstring for the protocol."""

    def __init__(
        self,
        on_bundle: OnBundle,
        bundle_for: BundleFor,
        check_key: KeyCheck,
        data_dir: str | os.PathLike[str],
        limits: HubLimits,
        site_id: str | None = None,
        authorities: frozenset[str] | None = None,
    ) -> None:
        self.site_id = site_id
        #: The host[:port] values this hub answers to (None: any, as when it listens on every
        #: interface and was given no public name).
        self.authorities = authorities
        self.on_bundle = on_bundle
        self.bundle_for = bundle_for
        self.check_key = check_key
        self.limits = limits
        self.data_dir = Path(data_dir)
        self.uploads_dir = self.data_dir / "uploads"
        self.outbox_dir = self.data_dir / "outbox"
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        self.uploads = Uploads(self.uploads_dir, limits, self._import)
        self.verifier = RequestVerifier(limits.signature_window)
        self.active: dict[str, int] = {}  # requests in hand per site
        self._app_lock = threading.Lock()  # the app's callables run one at a time
        self._keys: dict[tuple[str, bytes], tuple[float, str | None]] = {}
        self._next_sweep = 0.0
        signed = [Middleware(SignedOnly, hub=self)]
        self.asgi = Starlette(
            routes=[
                Route("/v1/ping", self.ping, methods=["GET"]),
                Route(
                    "/v1/uploads/{sha}",
                    self.upload,
                    methods=["GET", "PUT", "POST", "DELETE"],
                    middleware=signed,
                ),
                Route("/v1/outbox", self.outbox, methods=["GET"], middleware=signed),
                Route("/v1/blobs/{sha}", self.blob, methods=["GET"], middleware=signed),
            ],
            middleware=[Middleware(AccessLog)],
            exception_handlers={
                HTTPException: _no_route,
                Reject: _refused,
                AuthRefused: _refused,
                TransportError: _storage_failed,
            },
        )
        self.asgi.router.redirect_slashes = False  # a signed path is answered as signed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.asgi(scope, receive, send)

    # --- paths --------------------------------------------------------------------------------

    def site_uploads(self, site: str) -> Path:
        return self.uploads.site_folder(site)

    def site_outbox(self, site: str) -> Path:
        return self.outbox_dir / site_dir_name(site)

    def blob_path(self, site: str, sha: str) -> Path:
        return self.site_outbox(site) / f"{sha}.blob"

    # --- authentication -----------------------------------------------------------------------

    async def authenticate(self, request: Request) -> Verified:
        """The caller a signed request proves to be; raises `AuthRefused` otherwise."""
        scope = request.scope
        headers: dict[str, str] = {}
        for k, v in scope["headers"]:
            name = k.decode("latin-1").lower()
            if name in headers:
                if name in ("signature", "signature-input", "sync-key", "content-digest"):
                    raise AuthRefused(401, "bad_signature", f"header {name!r} given twice")
                continue
            headers[name] = v.decode("latin-1")
        raw_path = scope.get("raw_path") or scope["path"].encode()
        now = time.time()
        who, nonce, created = self.verifier.parse(
            request.method,
            raw_path.decode("latin-1"),
            scope["query_string"].decode("latin-1"),
            headers,
            now,
        )
        _access(request).site = who.site_id
        self._check_bound_here(who)
        await self._vouch(who)
        self.verifier.admit(who, nonce, created, now)
        return who

    def _check_bound_here(self, who: Verified) -> None:
        """A request signed for another hub (another site id when this hub has one, another
        authority when it knows its names) is refused: a request captured at one hub is no good
        at the next."""
        if self.site_id and who.hub != self.site_id:
            raise AuthRefused(
                401, "wrong_hub", f"signed for hub {who.hub!r}, this is {self.site_id!r}"
            )
        if self.authorities is not None and who.authority not in self.authorities:
            raise AuthRefused(
                401,
                "wrong_hub",
                f"signed for {who.authority!r}, this hub answers {sorted(self.authorities)}",
            )

    async def _vouch(self, who: Verified) -> None:
        """Raise 403 unless the app's trust chain certifies `who.public_key` for `who.site_id`."""
        key = (who.site_id, who.public_key)
        now = time.monotonic()
        cached = self._keys.get(key)
        if cached is None or cached[0] < now:
            why = await anyio.to_thread.run_sync(self._check_key_now, who.site_id, who.public_key)
            if len(self._keys) > 20_000:
                self._keys.clear()
            cached = (now + self.limits.key_cache_seconds, why)
            self._keys[key] = cached
        if cached[1] is not None:
            raise untrusted(who.site_id, who.public_key, cached[1])

    def _check_key_now(self, site: str, public_key: bytes) -> str | None:
        try:
            with self._app_lock:
                self.check_key(site, public_key)
        except Exception as exc:  # the app says no: unknown, revoked, other site's key
            return str(exc) or exc.__class__.__name__
        return None

    def forget_keys(self) -> None:
        """Drop remembered key checks (an imported bundle may have carried a revocation)."""
        self._keys.clear()

    # --- endpoints ----------------------------------------------------------------------------

    async def ping(self, request: Request) -> Response:
        info: dict[str, Any] = {
            "ok": True,
            "protocol": PROTOCOL_VERSION,
            "max_bundle_size": self.limits.max_bundle_size,
        }
        if self.site_id:
            info["site_id"] = self.site_id  # public: lets a laptop encrypt its first push
        return JSONResponse(info)

    async def upload(self, request: Request) -> Response:
        site = request.state.who.site_id
        sha = sha_param(request.path_params["sha"])
        if request.method == "HEAD":
            state = self.uploads.state(site, sha)
            return Response(
                status_code=200,
                headers={
                    "Upload-Offset": str(state["received"]),
                    "Upload-Done": "1" if state["done"] else "0",
                },
            )
        if request.method == "GET":
            return JSONResponse(self.uploads.state(site, sha))
        if request.method == "DELETE":
            return JSONResponse({"sha256": sha, "deleted": self.uploads.delete(site, sha)})
        answer = await self.uploads.put(
            site, sha, request.headers, request.receive, request.state.who.digest
        )
        if answer.cut is not None:
            _access(request).error = answer.cut
        resp = JSONResponse(answer.body, status_code=answer.status)
        if answer.status == 408:
            resp.headers["Connection"] = "close"
        elif answer.body.get("done"):
            await self._maybe_sweep()
        return resp

    async def _import(self, path: Path, site: str) -> dict[str, Any]:
        result = await anyio.to_thread.run_sync(self._import_now, path, site)
        self.forget_keys()
        return result

    def _import_now(self, path: Path, site: str) -> dict[str, Any]:
        with self._app_lock:
            return self.on_bundle(path, site)

    async def outbox(self, request: Request) -> Response:
        site = request.state.who.site_id
        have = request.query_params.get("have")
        if have is not None and not is_sha(have):
            raise Reject(400, "bad_request", f"have must be a sha256 in hex, got {have!r}")
        if have:
            p = self.blob_path(site, have)
            if p.is_file():
                return JSONResponse({"sha256": have, "size": p.stat().st_size})
        try:
            data = await anyio.to_thread.run_sync(self._export, site)
        except Exception as exc:
            log.exception("bundle_for failed for %s", site)
            raise Reject(500, "export_failed", f"export failed: {exc}") from exc
        if not data:
            return JSONResponse({"sha256": None, "size": 0})
        sha = hashlib.sha256(data).hexdigest()
        folder = self.site_outbox(site)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not self.blob_path(site, sha).is_file():
                replace_file(self.blob_path(site, sha), data)
        except OSError as exc:
            raise local_write_error(exc, folder, len(data)) from exc
        for old in folder.glob("*.blob"):  # only the newest bundle per site is kept
            if old.name != f"{sha}.blob":
                old.unlink(missing_ok=True)
        await self._maybe_sweep()
        return JSONResponse({"sha256": sha, "size": len(data)})

    def _export(self, site: str) -> bytes:
        with self._app_lock:
            return self.bundle_for(site)

    async def blob(self, request: Request) -> Response:
        site = request.state.who.site_id
        sha = sha_param(request.path_params["sha"])
        path = self.blob_path(site, sha)
        try:
            size = path.stat().st_size
        except OSError:
            raise Reject(404, "not_found", f"no bundle {sha[:8]} is waiting here") from None
        start, end = 0, size - 1
        rng = request.headers.get("range")
        if rng is not None:
            m = re.fullmatch(r"bytes=(\d{1,15})-(\d{0,15})", rng.strip())
            if not m:
                raise Reject(400, "bad_request", f"Range must be 'bytes=N-', got {rng!r}")
            start = int(m.group(1))
            if start >= size:
                raise Reject(416, "bad_range", f"Range start {start} is past the end ({size})")
            if m.group(2):
                end = min(end, int(m.group(2)))
                if end < start:
                    raise Reject(416, "bad_range", f"Range {rng!r} is empty")
        headers = {
            "Content-Length": str(end - start + 1),
            "Accept-Ranges": "bytes",
            "X-Content-SHA256": sha,
        }
        if rng is not None:
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        status = 206 if rng is not None else 200
        if request.method == "HEAD":
            return Response(status_code=status, headers=headers)

        async def chunks() -> AsyncIterator[bytes]:
            with open(path, "rb") as f:
                f.seek(start)
                left = end - start + 1
                while left > 0:
                    block = f.read(min(left, _BLOCK))
                    if not block:
                        break
                    left -= len(block)
                    yield block

        return StreamingResponse(
            chunks(), status_code=status, headers=headers, media_type="application/octet-stream"
        )

    # --- housekeeping -------------------------------------------------------------------------

    async def _maybe_sweep(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        await anyio.to_thread.run_sync(self.sweep)

    def sweep(self) -> int:
        """Delete uploads, results and blobs older than `keep_seconds`; returns how many."""
        cutoff = time.time() - self.limits.keep_seconds
        n = 0
        for top in (self.uploads_dir, self.outbox_dir):
            for folder in top.iterdir():
                if not folder.is_dir():
                    continue
                for p in folder.iterdir():
                    with contextlib.suppress(OSError):
                        if p.stat().st_mtime < cutoff:
                            p.unlink()
                            n += 1
        return n


class _GuardedH11(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for each request head (against slow-loris).

    uvicorn closes idle keep-alive connections but lets a connection that trickles a request
    head stay forever; this closes any connection that has not sent a whole head in time.
    """

    head_timeout = 10.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_deadline)
        self._cycle_at_arm = self.cycle

    def _head_deadline(self) -> None:
        self._head_timer = None
        waiting = self.cycle is self._cycle_at_arm  # no new request head since armed
        idle = self.cycle is None or self.cycle.response_complete
        if waiting and idle and not self.transport.is_closing():
            self.transport.close()


class HubServer:
    """The hub on its own uvicorn server (in a thread with `start()`, or `serve_forever()`).

    `check_key(site, public_key)` must raise unless the key is certified for the site (the app
    passes `Engine.signer_of`). `on_bundle`, `bundle_for` and `check_key` are called from worker
    threads but never two at a time.
    """

    def __init__(
        self,
        on_bundle: OnBundle,
        bundle_for: BundleFor,
        check_key: KeyCheck,
        data_dir: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: HubLimits | None = None,
        tls_cert: str | os.PathLike[str] | None = None,
        tls_key: str | os.PathLike[str] | None = None,
        site_id: str | None = None,
        public_names: tuple[str, ...] = (),
    ) -> None:
        self.limits = limits or HubLimits()
        self.app = HubApp(on_bundle, bundle_for, check_key, data_dir, self.limits, site_id)
        self.tls = tls_cert is not None
        if (tls_cert is None) != (tls_key is None):
            raise TransportError("TLS needs both a certificate and its key", cert=str(tls_cert))
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind((host, port))
        except OSError as exc:
            self.sock.close()
            raise HubCannotStart(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}", host=host, port=port
            ) from exc
        self.sock.listen(self.limits.backlog)
        self.sock.set_inheritable(True)
        self.app.authorities = _authorities(host, self.address[1], public_names)
        protocol = type("HubH11", (_GuardedH11,), {"head_timeout": self.limits.head_timeout})
        config = uvicorn.Config(
            self.app,
            http=protocol,
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            limit_concurrency=self.limits.limit_concurrency,
            timeout_keep_alive=int(self.limits.timeout_keep_alive),
            timeout_graceful_shutdown=5,
            backlog=self.limits.backlog,
            h11_max_incomplete_event_size=16 * 1024,
            ssl_certfile=os.fspath(tls_cert) if tls_cert else None,
            ssl_keyfile=os.fspath(tls_key) if tls_key else None,
        )
        try:
            config.load()  # reads the TLS files now, so a bad one is refused before serving
        except (OSError, ValueError) as exc:
            self.sock.close()
            raise HubCannotStart(
                f"cannot use the TLS certificate {os.fspath(tls_cert or '')!r} and key: {exc}",
                host=host,
                port=port,
            ) from exc
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def data_dir(self) -> Path:
        return self.app.data_dir

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        if ":" in host:
            host = f"[{host}]"
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def start(self) -> HubServer:
        """Serve in a background thread; returns once it accepts connections."""
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise TransportError("the hub did not start", url=self.url)
            time.sleep(0.01)
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until SIGINT/SIGTERM (or `close()` from another thread)."""
        self.server.run(sockets=[self.sock])

    def close(self) -> None:
        """Stop serving and release the port."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None
        self.sock.close()

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _authorities(host: str, port: int, public_names: tuple[str, ...]) -> frozenset[str] | None:
    """What a signed request's `@authority` may name at a hub bound to `host`:`port`: the public
    names it is given (`name` or `name:port`) and the address it listens on when that is one
    routable address. A hub on every interface, or on loopback (where port forwarders and test
    proxies stand in front of it), with no public name, accepts any authority: its site id still
    binds each request to it."""
    names: set[str] = set()
    for name in public_names:
        name = name.strip().lower()
        names.add(name if ":" in name.lstrip("[").split("]")[-1] else f"{name}:{port}")
    if host not in ("0.0.0.0", "::", "", "127.0.0.1", "::1", "localhost"):
        shown = f"[{host}]" if ":" in host else host
        names.add(f"{shown}:{port}".lower())
    return frozenset(names) or None


def serve(
    on_bundle: OnBundle,
    bundle_for: BundleFor,
    check_key: KeyCheck,
    data_dir: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    limits: HubLimits | None = None,
    tls_cert: str | os.PathLike[str] | None = None,
    tls_key: str | os.PathLike[str] | None = None,
    site_id: str | None = None,
    ready: Callable[[str], None] | None = None,
    public_names: tuple[str, ...] = (),
) -> None:
    """Run a hub in this thread until interrupted (Ctrl+C, SIGTERM); `ready(url)` once bound."""
    hub = HubServer(
        on_bundle,
        bundle_for,
        check_key,
        data_dir,
        host=host,
        port=port,
        limits=limits,
        tls_cert=tls_cert,
        tls_key=tls_key,
        site_id=site_id,
        public_names=public_names,
    )
    if ready is not None:
        ready(hub.url)
    try:
        hub.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        hub.sock.close()
