"""The hub's resumable uploads: one state machine per (site, sha256), kept on disk.

An upload is in one of three states, read from its files under the site's own folder:

    absent  --PUT offset 0-->  open (`<sha>.meta` holds the declared size, `<sha>.upload` the
                               bytes received so far, appended in order)
    open    --PUT at offset--> open, or, once the bytes are all there and hash to <sha>,
                               imported once and then
    done    (`<sha>.result.json` holds the import's result; the bytes are dropped)

A site's quotas (open uploads, declared bytes) are checked before an upload opens; an idle one of
the same site may be dropped to make room. A newer request for the same upload takes over one
stuck on a dead link. Nothing here knows about HTTP routing or signatures: the hub hands in the
authenticated site, the request's headers, its body stream and the digest it signed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from starlette.types import Receive

from sync.transport.errors import HashMismatch, NotABundle
from sync.transport.files import local_write_error
from sync.transport.http_auth import DEFAULT_WINDOW

log = logging.getLogger("sync.hub")

DEFAULT_MAX_BUNDLE_SIZE = 512 * 1024 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")

Importer = Callable[[Path, str], Awaitable[dict[str, Any]]]
"""`importer(path, site)`: import the complete, hash-checked upload at `path` pushed by `site`."""


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


class Reject(Exception):
    """A request the hub refuses: HTTP status, machine code, English message, extra JSON fields."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


@dataclass(frozen=True)
class Answer:
    """What a step of the machine answers: HTTP status, JSON body, and, for a cut body, why."""

    status: int
    body: dict[str, Any]
    cut: str | None = None  # why a body stopped short: "body_timeout", "disconnected", ...


def is_sha(value: str) -> bool:
    return bool(_SHA_RE.match(value))


def sha_param(value: str) -> str:
    if not is_sha(value):
        raise Reject(400, "bad_request", f"{value!r} is not a sha256 in lowercase hex")
    return value


def int_header(value: str | None, name: str) -> int:
    if value is None:
        raise Reject(400, "bad_request", f"header {name} is required")
    v = value.strip()
    if not v.isdigit() or len(v) > 15:
        raise Reject(400, "bad_request", f"header {name} must be a whole number, got {value!r}")
    return int(v)


def site_dir_name(site: str) -> str:
    return hashlib.sha256(b"sync-hub-site\x00" + site.encode()).hexdigest()[:32]


def replace_file(path: Path, data: bytes) -> None:
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


def file_sha256(path: Path) -> tuple[int, str]:
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


class Uploads:
    """Every site's uploads under `root` (one folder per site); see the module docstring."""

    def __init__(self, root: Path, limits: HubLimits, importer: Importer) -> None:
        self.root = root
        self.limits = limits
        self.importer = importer
        self.root.mkdir(parents=True, exist_ok=True)
        self._owners: dict[tuple[str, str], object] = {}
        self._finishing: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    # --- files --------------------------------------------------------------------------------

    def site_folder(self, site: str) -> Path:
        return self.root / site_dir_name(site)

    def upload_path(self, site: str, sha: str) -> Path:
        return self.site_folder(site) / f"{sha}.upload"

    def meta_path(self, site: str, sha: str) -> Path:
        return self.site_folder(site) / f"{sha}.meta"

    def result_path(self, site: str, sha: str) -> Path:
        return self.site_folder(site) / f"{sha}.result.json"

    def _read_json(self, path: Path) -> dict[str, Any] | None:
        try:
            return dict(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError):
            return None

    def _drop(self, site: str, sha: str) -> None:
        self.upload_path(site, sha).unlink(missing_ok=True)
        self.meta_path(site, sha).unlink(missing_ok=True)

    # --- states -------------------------------------------------------------------------------

    def state(self, site: str, sha: str) -> dict[str, Any]:
        """Where the upload stands: {"sha256", "size", "received", "done", "result"}."""
        result = self._read_json(self.result_path(site, sha))
        if result is not None:
            size = result["size"]
            return {
                "sha256": sha,
                "size": size,
                "received": size,
                "done": True,
                "result": result["result"],
            }
        meta = self._read_json(self.meta_path(site, sha))
        try:
            received = self.upload_path(site, sha).stat().st_size
        except OSError:
            received = 0
        size = meta["size"] if meta else None
        return {"sha256": sha, "size": size, "received": received, "done": False, "result": None}

    def delete(self, site: str, sha: str) -> bool:
        """Drop an unfinished upload; whether there was one."""
        existed = self.meta_path(site, sha).exists() or self.upload_path(site, sha).exists()
        self._owners.pop((site, sha), None)
        self._drop(site, sha)
        return existed

    def _open_uploads(self, site: str) -> list[tuple[float, str, int]]:
        """This site's unfinished uploads: (last written, sha, declared size), oldest first."""
        out = []
        folder = self.site_folder(site)
        if not folder.is_dir():
            return []
        for meta in folder.glob("*.meta"):
            sha = meta.name[: -len(".meta")]
            info = self._read_json(meta)
            if info is None:
                continue
            try:
                touched = self.upload_path(site, sha).stat().st_mtime
            except OSError:
                touched = meta.stat().st_mtime
            out.append((touched, sha, int(info.get("size", 0))))
        return sorted(out)

    def _open(self, site: str, sha: str, total: int) -> None:
        """absent -> open: check the site's quotas, evicting its idle uploads if need be."""
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
            self._drop(site, old)
            opened.pop(0)
        if len(opened) + 1 > lim.max_open_uploads:
            raise Reject(
                429,
                "too_many_uploads",
                f"site already has {len(opened)} unfinished uploads (limit "
                f"{lim.max_open_uploads}); finish or delete one first",
            )
        in_flight = sum(s for _, _, s in opened)
        if in_flight + total > lim.max_site_bytes:
            raise Reject(
                429,
                "quota_exceeded",
                f"{in_flight} bytes already in unfinished uploads; {total} more exceeds this "
                f"site's limit of {lim.max_site_bytes}",
            )
        folder = self.site_folder(site)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            replace_file(
                self.meta_path(site, sha),
                json.dumps({"size": total, "site": site, "at": time.time()}).encode(),
            )
        except OSError as exc:
            raise local_write_error(exc, folder, total) from exc

    # --- transitions --------------------------------------------------------------------------

    async def put(
        self,
        site: str,
        sha: str,
        headers: Mapping[str, str],
        receive: Receive,
        signed_digest: bytes,
    ) -> Answer:
        """Append one request's body at its Upload-Offset; finish the upload when it is whole."""
        lim = self.limits
        total = int_header(headers.get("upload-length"), "Upload-Length")
        offset = int_header(headers.get("upload-offset"), "Upload-Offset")
        if headers.get("content-length") is None:
            raise Reject(411, "length_required", "a PUT needs a Content-Length")
        length = int_header(headers.get("content-length"), "Content-Length")
        if total == 0:
            raise Reject(400, NotABundle.code, "Upload-Length 0: an empty bundle is not a bundle")
        if total > lim.max_bundle_size:
            raise Reject(
                413,
                "too_large",
                f"bundle of {total} bytes exceeds this hub's limit of {lim.max_bundle_size}",
            )
        if offset + length > total:
            raise Reject(
                400,
                "bad_request",
                f"Upload-Offset {offset} + Content-Length {length} runs past Upload-Length {total}",
            )
        state = self.state(site, sha)
        if state["done"]:
            return Answer(200, state)
        meta = self._read_json(self.meta_path(site, sha))
        if meta is None:
            if offset != 0:
                raise Reject(
                    409,
                    "offset_mismatch",
                    f"Upload-Offset {offset} is not where this upload stands (0)",
                    received=0,
                )
            self._drop(site, sha)  # bytes without a record of their size: start clean
            self._open(site, sha, total)
        elif int(meta["size"]) != total:
            raise Reject(
                400,
                "bad_request",
                f"Upload-Length {total} differs from the {meta['size']} this upload started with",
            )
        received = state["received"]
        if offset != received:
            raise Reject(
                409,
                "offset_mismatch",
                f"Upload-Offset {offset} is not where this upload stands ({received})",
                received=received,
            )
        got, cut, digest = await self._append(site, sha, total, length, receive)
        if cut is not None or got != length:
            # the link dropped or stalled: what arrived is kept for the resume
            return Answer(408, {"sha256": sha, "received": offset + got}, cut)
        if digest != signed_digest:
            with contextlib.suppress(OSError), open(self.upload_path(site, sha), "r+b") as trunc:
                trunc.truncate(offset)
            raise Reject(
                400,
                "digest_mismatch",
                "the body does not match its signed Content-Digest; those bytes were dropped",
                received=offset,
            )
        received = offset + got
        if received < total:
            return Answer(202, {"sha256": sha, "received": received, "done": False})
        return Answer(200, await self._finish(site, sha, total))

    async def _append(
        self, site: str, sha: str, total: int, length: int, receive: Receive
    ) -> tuple[int, str | None, bytes]:
        """Write the body to the upload's file as it arrives: (bytes written, why it was cut
        short or None, their sha256)."""
        path = self.upload_path(site, sha)
        token = object()
        self._owners[(site, sha)] = token  # a newer request takes over one stuck on a dead link
        digest = hashlib.sha256()
        got = 0
        cut: str | None = None
        complete = length == 0
        try:
            f = open(path, "ab")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise local_write_error(exc, path, total) from exc
        try:
            while not complete:
                try:
                    message = await asyncio.wait_for(receive(), self.limits.body_idle_timeout)
                except TimeoutError:
                    cut = "body_timeout"
                    break
                if message["type"] == "http.disconnect":
                    cut = "disconnected"
                    break
                block = message.get("body", b"")
                if block:
                    if got + len(block) > length:
                        raise Reject(400, "bad_request", "body longer than its Content-Length")
                    if self._owners.get((site, sha)) is not token:
                        cut = "taken_over"
                        break
                    try:
                        f.write(block)
                    except OSError as exc:
                        raise local_write_error(exc, path, total) from exc
                    digest.update(block)
                    got += len(block)
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
        return got, cut, digest.digest()

    async def _finish(self, site: str, sha: str, total: int) -> dict[str, Any]:
        """open -> done: verify the whole upload, import it once, remember the result, drop the
        bytes. Two requests finishing the same upload wait for each other; the second reads the
        first one's result."""
        key = (site, sha)
        lock, users = self._finishing.get(key, (asyncio.Lock(), 0))
        self._finishing[key] = (lock, users + 1)
        try:
            async with lock:
                state = self.state(site, sha)
                if state["done"]:
                    return state
                path = self.upload_path(site, sha)
                size, got_sha = await anyio.to_thread.run_sync(file_sha256, path)
                if size != total or got_sha != sha:
                    self._drop(site, sha)
                    raise Reject(
                        422,
                        HashMismatch.code,
                        f"received {size} bytes whose sha256 is {got_sha[:8]}, not the "
                        f"announced {sha[:8]}; upload discarded, start again",
                        received=0,
                    )
                try:
                    result = await self.importer(path, site)
                except Exception as exc:  # the app's import failed: report it, keep the bytes
                    log.exception("on_bundle failed for %s from %s", sha, site)
                    raise Reject(
                        500, "import_failed", f"import of {sha[:8]} failed: {exc}"
                    ) from exc
                try:
                    replace_file(
                        self.result_path(site, sha),
                        json.dumps({"size": total, "result": result, "at": time.time()}).encode(),
                    )
                except OSError as exc:
                    raise local_write_error(exc, self.result_path(site, sha), total) from exc
                self._drop(site, sha)
                return self.state(site, sha)
        finally:
            lock, users = self._finishing[key]
            if users <= 1:
                del self._finishing[key]
            else:
                self._finishing[key] = (lock, users - 1)
