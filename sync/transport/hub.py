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
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.transport.errors import DiskFull, HashMismatch, NotABundle, TransportError
from sync.transport.files import local_write_error
from sync.transport.http_auth import (
    DEFAULT_WINDOW,
    AuthRefused,
    KeyCheck,
    RequestVerifier,
    Verified,
    untrusted,
)

log = logging.getLogger("sync.hub")
access_log = logging.getLogger("sync.hub.access")

PROTOCOL_VERSION = 2
DEFAULT_MAX_BUNDLE_SIZE = 512 * 1024 * 1024
_BLOCK = 64 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")

OnBundle = Callable[[Path, str], dict[str, Any]]
"""`on_bundle(path, sender)`: import the verified bundle at `path` pushed by site `sender`."""
BundleFor = Callable[[str], bytes]
"""`bundle_for(site)`: the bytes to serve to `site` (encrypted to it by the app), b"" if none."""


@dataclass(frozen=True)
class HubLimits:
    """What one hub allows; every size and count bounded before anything is allocated."""

    max_bundle_size: int = DEFAULT_MAX_BUNDLE_SIZE
    max_open_uploads: int = 4  # unfinished uploads per site
    max_site_requests: int = 8  # requests of one site being handled at once
    max_site_bytes: int = 1024 * 1024 * 1024  # declared bytes of a site's unfinished uploads
    idle_evict_seconds: float = 600.0  # a site's upload idle this long may make room for a new one
    keep_seconds: float = 7 * 24 * 3600  # unfinished uploads, results and blobs are swept after
    signature_window: float = DEFAULT_WINDOW
    key_cache_seconds: float = 10.0  # how long "this key is certified" is remembered
    limit_concurrency: int = 2048  # connections + requests; beyond: 503
    timeout_keep_alive: float = 15.0  # idle keep-alive connection closed after
    head_timeout: float = 10.0  # a connection must send a whole request head within this
    body_idle_timeout: float = 60.0  # a request body silent this long is cut (bytes kept)
    backlog: int = 2048


class HubCannotStart(TransportError):
    """The hub cannot listen (address in use, no permission) or read its TLS files."""

    code = "hub_cannot_start"


class _Reject(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def _int_header(value: str | None, name: str) -> int:
    if value is None:
        raise _Reject(400, "bad_request", f"header {name} is required")
    v = value.strip()
    if not v.isdigit() or len(v) > 15:
        raise _Reject(400, "bad_request", f"header {name} must be a whole number, got {value!r}")
    return int(v)


def _sha(value: str) -> str:
    if not _SHA_RE.match(value):
        raise _Reject(400, "bad_request", f"{value!r} is not a sha256 in lowercase hex")
    return value


def _site_dir_name(site: str) -> str:
    return hashlib.sha256(b"sync-hub-site\x00" + site.encode()).hexdigest()[:32]


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
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        self.verifier = RequestVerifier(limits.signature_window)
        self._app_lock = threading.Lock()  # the app's callables run one at a time
        self._keys: dict[tuple[str, bytes], tuple[float, str | None]] = {}
        self._owners: dict[tuple[str, str], object] = {}
        self._active: dict[str, int] = {}  # requests in hand per site
        self._finishing: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}
        self._next_sweep = 0.0

    # --- paths --------------------------------------------------------------------------------

    def site_uploads(self, site: str) -> Path:
        return self.uploads_dir / _site_dir_name(site)

    def site_outbox(self, site: str) -> Path:
        return self.outbox_dir / _site_dir_name(site)

    def upload_path(self, site: str, sha: str) -> Path:
        return self.site_uploads(site) / f"{sha}.upload"

    def meta_path(self, site: str, sha: str) -> Path:
        return self.site_uploads(site) / f"{sha}.meta"

    def result_path(self, site: str, sha: str) -> Path:
        return self.site_uploads(site) / f"{sha}.result.json"

    def blob_path(self, site: str, sha: str) -> Path:
        return self.site_outbox(site) / f"{sha}.blob"

    # --- ASGI ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method = scope["method"]
        client = scope.get("client")
        acc = _Access(f"{client[0]}:{client[1]}" if client else "?", method, scope["path"])
        request = Request(scope, receive)
        try:
            await self._handle(request, scope, receive, send, method, acc)
        finally:
            counted = getattr(request.state, "counted_site", None)
            if counted is not None:
                left = self._active.get(counted, 1) - 1
                if left > 0:
                    self._active[counted] = left
                else:
                    self._active.pop(counted, None)
            acc.emit()

    async def _handle(
        self,
        request: Request,
        scope: Scope,
        receive: Receive,
        send: Send,
        method: str,
        acc: _Access,
    ) -> None:
        try:
            response = await self._dispatch(request, method, acc)
        except (_Reject, AuthRefused) as rej:
            message = rej.message
            if rej.status in (401, 403):
                # the caller learns the code and a short reason; who it claimed to be, which key
                # and why the trust chain said no stay in the hub's own log
                log.warning("refused %s %s: %s %s", method, acc.path, rej.code, rej.message)
                message = PUBLIC_REASONS.get(rej.code, PUBLIC_REASONS["refused"])
            response = self._error(rej.status, rej.code, message, method, **rej.extra)
        except TransportError as err:  # the hub's own disk refused: say so, keep serving
            log.error("hub storage error: %s", err)
            status = 507 if isinstance(err, DiskFull) else 500
            msg = f"the hub cannot store data: {err.message}"
            response = self._error(status, err.code, msg, method)
            response.headers["Connection"] = "close"
        acc.status = response.status_code
        if acc.site is None:
            acc.site = getattr(request.state, "claimed_site", None)
        if not isinstance(response, StreamingResponse):
            acc.bytes_out = len(response.body)
        if acc.status >= 400 and acc.error is None:
            acc.error = getattr(response, "error_code", None)
        await response(scope, receive, send)

    def _error(
        self, status: int, code: str, message: str, method: str, **extra: Any
    ) -> JSONResponse:
        body = {"error": code, "message": message, **extra}
        resp = JSONResponse(body, status_code=status)
        resp.error_code = code  # type: ignore[attr-defined]
        if method == "HEAD":
            resp.body = b""
        return resp

    async def _dispatch(self, request: Request, method: str, acc: _Access) -> Response:
        path = request.scope["path"].rstrip("/")
        segs = path.split("/")[1:]
        if segs[:1] != ["v1"]:
            raise _Reject(404, "not_found", f"no such endpoint {request.scope['path']!r}")
        rest = segs[1:]
        if rest == ["ping"]:
            if method not in ("GET", "HEAD"):
                raise _Reject(405, "method_not_allowed", f"{method} is not allowed on {path!r}")
            info: dict[str, Any] = {
                "ok": True,
                "protocol": PROTOCOL_VERSION,
                "max_bundle_size": self.limits.max_bundle_size,
            }
            if self.site_id:
                info["site_id"] = self.site_id  # public: lets a laptop encrypt its first push
            return JSONResponse(info)
        if len(rest) == 2 and rest[0] == "uploads":
            allowed: tuple[str, ...] = ("GET", "HEAD", "PUT", "POST", "DELETE")
        elif rest == ["outbox"]:
            allowed = ("GET",)
        elif len(rest) == 2 and rest[0] == "blobs":
            allowed = ("GET", "HEAD")
        else:
            raise _Reject(404, "not_found", f"no such endpoint {method} {request.scope['path']!r}")
        if method not in allowed:
            raise _Reject(405, "method_not_allowed", f"{method} is not allowed on {path!r}")
        who = await self._authenticate(request, method)
        acc.site = who.site_id
        if rest[0] == "uploads":
            sha = _sha(rest[1])
            if method in ("GET", "HEAD"):
                return self._upload_status(who.site_id, sha, method == "HEAD")
            if method == "DELETE":
                return self._upload_delete(who.site_id, sha)
            return await self._upload_chunk(request, who, sha, acc)
        if rest[0] == "outbox":
            have = request.query_params.get("have")
            if have is not None and not _SHA_RE.match(have):
                raise _Reject(400, "bad_request", f"have must be a sha256 in hex, got {have!r}")
            return JSONResponse(await self._prepare(who.site_id, have))
        return self._blob(request, who.site_id, _sha(rest[1]), method == "HEAD", acc)

    # --- authentication -----------------------------------------------------------------------

    async def _authenticate(self, request: Request, method: str) -> Verified:
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
            method,
            raw_path.decode("latin-1"),
            scope["query_string"].decode("latin-1"),
            headers,
            now,
        )
        request.state.claimed_site = who.site_id
        self._check_bound_here(who)
        await self._vouch(who)
        self.verifier.admit(who, nonce, created, now)
        active = self._active.get(who.site_id, 0)
        if active >= self.limits.max_site_requests:
            # one laptop (perhaps tampered with) must not take every connection the hub has
            raise _Reject(
                429,
                "too_many_requests",
                f"site already has {active} requests in progress; try again shortly",
            )
        self._active[who.site_id] = active + 1
        request.state.counted_site = who.site_id
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

    # --- uploads ------------------------------------------------------------------------------

    def _result(self, site: str, sha: str) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.result_path(site, sha).read_text("utf-8")))
        except (OSError, ValueError):
            return None

    def _meta(self, site: str, sha: str) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.meta_path(site, sha).read_text("utf-8")))
        except (OSError, ValueError):
            return None

    def upload_state(self, site: str, sha: str) -> dict[str, Any]:
        result = self._result(site, sha)
        if result is not None:
            size = result["size"]
            return {
                "sha256": sha,
                "size": size,
                "received": size,
                "done": True,
                "result": result["result"],
            }
        meta = self._meta(site, sha)
        try:
            received = self.upload_path(site, sha).stat().st_size
        except OSError:
            received = 0
        size = meta["size"] if meta else None
        return {"sha256": sha, "size": size, "received": received, "done": False, "result": None}

    def _upload_status(self, site: str, sha: str, head: bool) -> Response:
        state = self.upload_state(site, sha)
        if head:
            return Response(
                status_code=200,
                headers={
                    "Upload-Offset": str(state["received"]),
                    "Upload-Done": "1" if state["done"] else "0",
                },
            )
        return JSONResponse(state)

    def _upload_delete(self, site: str, sha: str) -> Response:
        existed = self.meta_path(site, sha).exists() or self.upload_path(site, sha).exists()
        self._owners.pop((site, sha), None)
        self._drop_upload(site, sha)
        return JSONResponse({"sha256": sha, "deleted": existed})

    def _drop_upload(self, site: str, sha: str) -> None:
        self.upload_path(site, sha).unlink(missing_ok=True)
        self.meta_path(site, sha).unlink(missing_ok=True)

    def _open_uploads(self, site: str) -> list[tuple[float, str, int]]:
        """This site's unfinished uploads: (last written, sha, declared size), oldest first."""
        out = []
        folder = self.site_uploads(site)
        if not folder.is_dir():
            return []
        for meta in folder.glob("*.meta"):
            sha = meta.name[: -len(".meta")]
            info = self._meta(site, sha)
            if info is None:
                continue
            try:
                touched = self.upload_path(site, sha).stat().st_mtime
            except OSError:
                touched = meta.stat().st_mtime
            out.append((touched, sha, int(info.get("size", 0))))
        return sorted(out)

    def _admit_new_upload(self, site: str, sha: str, total: int) -> None:
        """Check the site's quotas for one more upload, evicting its idle ones if need be."""
        lim = self.limits
        opened = self._open_uploads(site)
        idle_before = time.time() - lim.idle_evict_seconds
        while opened and (
            len(opened) + 1 > lim.max_open_uploads
            or sum(s for _, _, s in opened) + total > lim.max_site_bytes
        ):
            touched, old, _ = opened[0]
            if touched > idle_before or (site, old) in self._owners:
                break
            log.info("dropping idle upload %s of site %s to make room", old[:8], site)
            self._drop_upload(site, old)
            opened.pop(0)
        if len(opened) + 1 > lim.max_open_uploads:
            raise _Reject(
                429,
                "too_many_uploads",
                f"site already has {len(opened)} unfinished uploads (limit "
                f"{lim.max_open_uploads}); finish or delete one first",
            )
        in_flight = sum(s for _, _, s in opened)
        if in_flight + total > lim.max_site_bytes:
            raise _Reject(
                429,
                "quota_exceeded",
                f"{in_flight} bytes already in unfinished uploads; {total} more exceeds this "
                f"site's limit of {lim.max_site_bytes}",
            )
        folder = self.site_uploads(site)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _replace_file(
                self.meta_path(site, sha),
                json.dumps({"size": total, "site": site, "at": time.time()}).encode(),
            )
        except OSError as exc:
            raise local_write_error(exc, folder, total) from exc

    async def _upload_chunk(
        self, request: Request, who: Verified, sha: str, acc: _Access
    ) -> Response:
        site = who.site_id
        lim = self.limits
        h = request.headers
        total = _int_header(h.get("upload-length"), "Upload-Length")
        offset = _int_header(h.get("upload-offset"), "Upload-Offset")
        if h.get("content-length") is None:
            raise _Reject(411, "length_required", "a PUT needs a Content-Length")
        length = _int_header(h.get("content-length"), "Content-Length")
        if total == 0:
            raise _Reject(400, NotABundle.code, "Upload-Length 0: an empty bundle is not a bundle")
        if total > lim.max_bundle_size:
            raise _Reject(
                413,
                "too_large",
                f"bundle of {total} bytes exceeds this hub's limit of {lim.max_bundle_size}",
            )
        if offset + length > total:
            raise _Reject(
                400,
                "bad_request",
                f"Upload-Offset {offset} + Content-Length {length} runs past Upload-Length {total}",
            )
        state = self.upload_state(site, sha)
        if state["done"]:
            return JSONResponse(state)
        meta = self._meta(site, sha)
        if meta is None:
            if offset != 0:
                raise _Reject(
                    409,
                    "offset_mismatch",
                    f"Upload-Offset {offset} is not where this upload stands (0)",
                    received=0,
                )
            self._drop_upload(site, sha)  # bytes without a record of their size: start clean
            self._admit_new_upload(site, sha, total)
        elif int(meta["size"]) != total:
            raise _Reject(
                400,
                "bad_request",
                f"Upload-Length {total} differs from the {meta['size']} this upload started with",
            )
        path = self.upload_path(site, sha)
        received = state["received"]
        if offset != received:
            raise _Reject(
                409,
                "offset_mismatch",
                f"Upload-Offset {offset} is not where this upload stands ({received})",
                received=received,
            )
        token = object()
        self._owners[(site, sha)] = token  # a newer request takes over one stuck on a dead link
        digest = hashlib.sha256()
        got = 0
        complete = length == 0
        try:
            f = open(path, "ab")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise local_write_error(exc, path, total) from exc
        try:
            receive = request.receive
            while not complete:
                try:
                    message = await asyncio.wait_for(receive(), lim.body_idle_timeout)
                except TimeoutError:
                    acc.error = "body_timeout"
                    break
                if message["type"] == "http.disconnect":
                    acc.error = "disconnected"
                    break
                block = message.get("body", b"")
                if block:
                    if got + len(block) > length:
                        raise _Reject(400, "bad_request", "body longer than its Content-Length")
                    if self._owners.get((site, sha)) is not token:
                        acc.error = "taken_over"
                        break
                    try:
                        f.write(block)
                    except OSError as exc:
                        raise local_write_error(exc, path, total) from exc
                    digest.update(block)
                    got += len(block)
                    acc.bytes_in = got
                if not message.get("more_body", False):
                    complete = True
            try:
                f.flush()  # to the OS: a hub process restart loses nothing; see TRANSPORT.md
            except OSError as exc:
                raise local_write_error(exc, path, total) from exc
        finally:
            # everything was flushed above, or a write or the flush already failed and says so:
            # closing must not replace that error with its own (a full disk fails both)
            with contextlib.suppress(OSError):
                f.close()
            if self._owners.get((site, sha)) is token:
                del self._owners[(site, sha)]
        if not complete or got != length:
            # the link dropped or stalled: what arrived is kept for the resume
            resp = JSONResponse({"sha256": sha, "received": offset + got}, status_code=408)
            resp.headers["Connection"] = "close"
            return resp
        if digest.digest() != who.digest:
            with contextlib.suppress(OSError), open(path, "r+b") as trunc:
                trunc.truncate(offset)
            raise _Reject(
                400,
                "digest_mismatch",
                "the body does not match its signed Content-Digest; those bytes were dropped",
                received=offset,
            )
        received = offset + got
        if received < total:
            return JSONResponse({"sha256": sha, "received": received, "done": False}, 202)
        return JSONResponse(await self._finish(site, sha, total))

    async def _finish(self, site: str, sha: str, total: int) -> dict[str, Any]:
        """Verify a complete upload, import it once, remember the result, drop the bytes."""
        key = (site, sha)
        lock, users = self._finishing.get(key, (asyncio.Lock(), 0))
        self._finishing[key] = (lock, users + 1)
        try:
            async with lock:
                state = self.upload_state(site, sha)
                if state["done"]:
                    return state
                path = self.upload_path(site, sha)
                size, got_sha = await anyio.to_thread.run_sync(_file_sha256, path)
                if size != total or got_sha != sha:
                    self._drop_upload(site, sha)
                    raise _Reject(
                        422,
                        HashMismatch.code,
                        f"received {size} bytes whose sha256 is {got_sha[:8]}, not the "
                        f"announced {sha[:8]}; upload discarded, start again",
                        received=0,
                    )
                try:
                    result = await anyio.to_thread.run_sync(self._import, path, site)
                except Exception as exc:  # the app's import failed: report it, keep the bytes
                    log.exception("on_bundle failed for %s from %s", sha, site)
                    raise _Reject(
                        500, "import_failed", f"import of {sha[:8]} failed: {exc}"
                    ) from exc
                self.forget_keys()
                try:
                    _replace_file(
                        self.result_path(site, sha),
                        json.dumps({"size": total, "result": result, "at": time.time()}).encode(),
                    )
                except OSError as exc:
                    raise local_write_error(exc, self.result_path(site, sha), total) from exc
                self._drop_upload(site, sha)
                await self._maybe_sweep()
                return self.upload_state(site, sha)
        finally:
            lock, users = self._finishing[key]
            if users <= 1:
                del self._finishing[key]
            else:
                self._finishing[key] = (lock, users - 1)

    def _import(self, path: Path, site: str) -> dict[str, Any]:
        with self._app_lock:
            return self.on_bundle(path, site)

    # --- outbox -------------------------------------------------------------------------------

    async def _prepare(self, site: str, have: str | None) -> dict[str, Any]:
        if have:
            p = self.blob_path(site, have)
            if p.is_file():
                return {"sha256": have, "size": p.stat().st_size}
        try:
            data = await anyio.to_thread.run_sync(self._export, site)
        except Exception as exc:
            log.exception("bundle_for failed for %s", site)
            raise _Reject(500, "export_failed", f"export failed: {exc}") from exc
        if not data:
            return {"sha256": None, "size": 0}
        sha = hashlib.sha256(data).hexdigest()
        folder = self.site_outbox(site)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not self.blob_path(site, sha).is_file():
                _replace_file(self.blob_path(site, sha), data)
        except OSError as exc:
            raise local_write_error(exc, folder, len(data)) from exc
        for old in folder.glob("*.blob"):  # only the newest bundle per site is kept
            if old.name != f"{sha}.blob":
                old.unlink(missing_ok=True)
        await self._maybe_sweep()
        return {"sha256": sha, "size": len(data)}

    def _export(self, site: str) -> bytes:
        with self._app_lock:
            return self.bundle_for(site)

    def _blob(self, request: Request, site: str, sha: str, head: bool, acc: _Access) -> Response:
        path = self.blob_path(site, sha)
        try:
            size = path.stat().st_size
        except OSError:
            raise _Reject(404, "not_found", f"no bundle {sha[:8]} is waiting here") from None
        start, end = 0, size - 1
        rng = request.headers.get("range")
        if rng is not None:
            m = re.fullmatch(r"bytes=(\d{1,15})-(\d{0,15})", rng.strip())
            if not m:
                raise _Reject(400, "bad_request", f"Range must be 'bytes=N-', got {rng!r}")
            start = int(m.group(1))
            if start >= size:
                raise _Reject(416, "bad_range", f"Range start {start} is past the end ({size})")
            if m.group(2):
                end = min(end, int(m.group(2)))
                if end < start:
                    raise _Reject(416, "bad_range", f"Range {rng!r} is empty")
        headers = {
            "Content-Length": str(end - start + 1),
            "Accept-Ranges": "bytes",
            "X-Content-SHA256": sha,
        }
        if rng is not None:
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        status = 206 if rng is not None else 200
        if head:
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
                    acc.bytes_out += len(block)
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


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` under a hidden temporary name, then rename it over `path`.

    Not fsynced: the hub's files are re-creatable (a lost result means a re-import, which the
    engine treats as a duplicate; a lost blob is prepared again), and an fsync per request would
    queue every laptop behind the disk.
    """
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise local_write_error(exc, path, len(data)) from exc


def _file_sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
                size += len(block)
    except FileNotFoundError:
        pass
    return size, digest.hexdigest()


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
