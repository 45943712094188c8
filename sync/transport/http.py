"""HTTP carrier, laptop side: signed, resumable push and pull to the city's hub, on httpx.

The hub itself is in `sync.transport.hub` (re-exported here). Protocol: sync/TRANSPORT.md.
Every request but `ping` is signed with the laptop's certified key (`ClientIdentity`); plain
`http://` is refused to anything but this machine unless `insecure_http=True`; with `https://` the
hub's certificate is checked against a pinned SHA-256 fingerprint when one is given, else against
the system's CAs.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from sync.transport.errors import (
    DiskFull,
    HashMismatch,
    NotABundle,
    RemoteRejected,
    TransferAborted,
    TransportError,
)
from sync.transport.files import local_write_error, sha256_hex
from sync.transport.http_auth import ClientIdentity, content_digest, sign_request
from sync.transport.hub import (
    DEFAULT_MAX_BUNDLE_SIZE,
    PROTOCOL_VERSION,
    HubLimits,
    HubServer,
    serve,
)
from sync.transport.tls import TlsPinMismatch, pinned_context

log = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 256 * 1024
_BLOCK = 16 * 1024
_MAX_JSON = 1 << 20  # a hub's JSON answer is small; more is refused, not buffered
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_RETRY_STATUS = frozenset({408, 502, 503, 504})

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_BUNDLE_SIZE",
    "PROTOCOL_VERSION",
    "ClientIdentity",
    "HubLimits",
    "HubServer",
    "PlainHttpRefused",
    "PullResult",
    "PushResult",
    "pull",
    "hub_info",
    "push",
    "reachable",
    "serve",
]


class PlainHttpRefused(TransportError):
    """`http://` to another machine would carry requests in the clear: refused unless asked."""

    code = "plain_http_refused"


class _Retry(Exception):
    """A hub answer meaning "not now" (busy, timed out): retried like a network failure."""


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


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, insecure_http: bool = False) -> tuple[str, str, int]:
    """(scheme, host, port) of a hub URL; refuses plain http to another machine unless asked."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TransportError(f"hub URL must be http(s)://host:port, got {url!r}", url=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TransportError(f"hub URL has a bad port: {url!r}", url=url) from exc
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not insecure_http:
        raise PlainHttpRefused(
            f"refusing plain http:// to {parts.hostname!r}: use https:// with the hub's "
            "fingerprint, or allow it explicitly (--insecure-http)",
            url=url,
        )
    return parts.scheme, parts.hostname, port


class _Client:
    """One keep-alive httpx connection to the hub; every request signed."""

    def __init__(
        self,
        url: str,
        identity: ClientIdentity | None,
        timeout: float,
        *,
        hub_fingerprint: str | None = None,
        insecure_http: bool = False,
        hub_site: str | None = None,
    ) -> None:
        scheme, host, port = check_url(url, insecure_http)
        self.hub_site = hub_site  # the hub's site id every request is signed for
        self.url = url
        self.identity = identity
        self.base = urlsplit(url).path.rstrip("/")
        self.skew = 0.0  # hub clock minus ours, learnt from a stale_signature answer
        self.host, self.port, self.timeout = host, port, timeout
        self.fingerprint = hub_fingerprint
        self.scheme = scheme
        self.origin = f"{scheme}://{urlsplit(url).netloc}"
        # what httpx sends as Host (no userinfo, no default port): the signed `@authority`
        self.authority = httpx.URL(self.origin).netloc.decode("ascii").lower()
        self._http: httpx.Client | None = None
        self.verify_tls = True

    def _client(self) -> httpx.Client:
        if self._http is None:
            # plain http: no context to build (loading the CA store costs more than a request)
            verify: Any = self.verify_tls and self.scheme == "https"
            if self.scheme == "https" and self.fingerprint and self.verify_tls:
                verify = pinned_context(self.host, self.port, self.fingerprint, self.timeout)
            self._http = httpx.Client(
                base_url=self.origin,
                timeout=httpx.Timeout(self.timeout),
                verify=verify,
                trust_env=False,
                headers={"User-Agent": "cchc-sync/2"},
            )
        return self._http

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _build(
        self,
        method: str,
        path: str,
        query: str,
        body: bytes | memoryview | None,
        headers: dict[str, str] | None,
    ) -> httpx.Request:
        hdrs = dict(headers or {})
        view = memoryview(body if body is not None else b"")
        full = self.base + path
        if self.identity is not None:
            hdrs.update(
                sign_request(
                    self.identity,
                    method,
                    full,
                    query,
                    hdrs,
                    content_digest(view),
                    authority=self.authority,
                    hub=self._hub_site(),
                    now=time.time() + self.skew,
                )
            )
        content: Any = None
        if body is not None:
            # Sent in slices so a stalled link is noticed by the write timeout, not only after
            # a whole chunk: on a 64 kbit/s link a large chunk takes longer than any sane timeout.
            hdrs["Content-Length"] = str(len(view))
            content = _slices(view)
        target = full + ("?" + query if query else "")
        return self._client().build_request(method, target, headers=hdrs, content=content)

    def _hub_site(self) -> str:
        """The hub's site id, as the laptop knows it, else as the hub's ping names it (over the
        same pinned connection); "" for a hub without a site."""
        if self.hub_site is None:
            resp = self._client().get(self.base + "/v1/ping")
            try:
                named = resp.json().get("site_id") if resp.status_code == 200 else None
            except ValueError:
                named = None
            finally:
                resp.close()
            self.hub_site = named if isinstance(named, str) else ""
        return self.hub_site

    def send(
        self,
        method: str,
        path: str,
        query: str = "",
        body: bytes | memoryview | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Send a signed request; the response is open (stream it, then close it)."""
        for attempt in range(2):
            req = self._build(method, path, query, body, headers)
            try:
                resp = self._client().send(req, stream=True)
            except BaseException:
                self.close()
                raise
            if resp.status_code == 401 and attempt == 0:
                err = _read_json(resp)
                hub_time = err.get("hub_time")
                if err.get("error") == "stale_signature" and isinstance(hub_time, int):
                    self.skew = hub_time - time.time()  # our clock is off: sign again by theirs
                    continue
                return _Answered(resp, err).response
            return resp
        raise AssertionError("unreachable")

    def json(
        self,
        method: str,
        path: str,
        query: str = "",
        body: bytes | memoryview | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        resp = self.send(method, path, query, body, headers)
        data = _read_json(resp)
        busy = resp.status_code == 429 and data.get("error") == "too_many_requests"
        if resp.status_code in _RETRY_STATUS or busy:
            self.close()
            raise _Retry(f"hub answered {resp.status_code}: {data.get('message', '')}")
        return resp.status_code, data


class _Answered:
    """A response whose JSON body was already read (kept on the response for the caller)."""

    def __init__(self, resp: httpx.Response, data: dict[str, Any]) -> None:
        resp.extensions["cchc_json"] = data
        self.response = resp


def _read_json(resp: httpx.Response) -> dict[str, Any]:
    if "cchc_json" in resp.extensions:
        return dict(resp.extensions["cchc_json"])
    raw = bytearray()
    try:
        for block in resp.iter_raw(_BLOCK):
            raw += block
            if len(raw) > _MAX_JSON:
                break
    finally:
        resp.close()
    if len(raw) > _MAX_JSON:
        return {"error": "bad_response", "message": "answer too large"}
    try:
        data = json.loads(bytes(raw).decode("utf-8")) if raw else {}
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {"error": "bad_response", "message": bytes(raw[:200]).decode("utf-8", "replace")}
    resp.extensions["cchc_json"] = data
    return data


def _slices(view: memoryview) -> Iterator[bytes]:
    for i in range(0, len(view), _BLOCK):
        yield bytes(view[i : i + _BLOCK])


_RETRYABLE = (OSError, httpx.TransportError, TimeoutError, _Retry)


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
    identity: ClientIdentity,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    retries: int = 8,
    timeout: float = 30.0,
    backoff: float = 0.5,
    max_backoff: float = 8.0,
    hub_fingerprint: str | None = None,
    insecure_http: bool = False,
    hub_site: str | None = None,
) -> PushResult:
    """Upload `data` to the hub at `url`, resuming after cuts; returns the hub's import result.

    `retries` bounds consecutive failed attempts that made no progress; then `TransferAborted`.
    A refusal by the hub (not certified, bad request, too large, import failed) raises
    `RemoteRejected` at once.
    """
    if not data:
        raise NotABundle("an empty bundle cannot be pushed", size=0)
    if chunk_size < 1:
        raise TransportError(
            f"chunk size must be positive, got {chunk_size!r}", chunk_size=chunk_size
        )
    sha = sha256_hex(data)
    total = len(data)
    client = _Client(
        url,
        identity,
        timeout,
        hub_fingerprint=hub_fingerprint,
        insecure_http=insecure_http,
        hub_site=hub_site,
    )
    view = memoryview(data)
    path = f"/v1/uploads/{sha}"
    failures = resumes = sent = hash_restarts = 0
    offset: int | None = None
    best = -1
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
                    "Content-Type": "application/octet-stream",
                }
                sent += end - offset
                status, body = client.json("PUT", path, body=view[offset:end], headers=headers)
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
            except TlsPinMismatch:
                raise
            except _RETRYABLE as exc:
                client.close()
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


def _download(resp: httpx.Response, part: Path, size: int) -> int:
    """Append the response body to `part` as it arrives; returns the bytes appended.

    Network errors propagate (the caller retries); a local refusal to write raises `DiskFull`
    (the partial file is removed to give the space back) or `WriteFailed`.
    """
    got = 0
    try:
        f = open(part, "ab")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        resp.close()
        raise local_write_error(exc, part, size) from exc
    try:
        for chunk in resp.iter_raw():  # as it arrives: a chunker would lose its buffer on a cut
            if got + len(chunk) > size:  # a hub sending more than announced is cut off
                chunk = chunk[: size - got]
            try:
                f.write(chunk)
                f.flush()
            except OSError as exc:
                raise local_write_error(exc, part, size) from exc
            got += len(chunk)
            if got >= size:
                break
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
        resp.close()
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
    identity: ClientIdentity,
    dest_path: str | os.PathLike[str],
    *,
    retries: int = 8,
    timeout: float = 30.0,
    backoff: float = 0.5,
    max_backoff: float = 8.0,
    hub_fingerprint: str | None = None,
    insecure_http: bool = False,
    hub_site: str | None = None,
) -> PullResult:
    """Download the bundle the hub prepares for this laptop into `dest_path`, resuming after cuts.

    Bytes arrive in a hidden `.<name>.<sha256>.partial` beside `dest_path`; a later call resumes
    it (the hub keeps the same bundle for a while). The file is checked against its sha256 and
    renamed into place only when whole.
    """
    dest = Path(dest_path)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise local_write_error(exc, dest.parent, 0) from exc
    client = _Client(
        url,
        identity,
        timeout,
        hub_fingerprint=hub_fingerprint,
        insecure_http=insecure_http,
        hub_site=hub_site,
    )
    failures = resumes = received_bytes = hash_restarts = 0
    target: dict[str, Any] | None = None
    best = -1
    try:
        while True:
            try:
                if target is None:
                    partials = _partials_for(dest)
                    query = f"have={partials[0][1]}" if partials else ""
                    status, body = client.json("GET", "/v1/outbox", query)
                    if status != 200:
                        raise _rejected(url, status, body)
                    got_sha = body.get("sha256")
                    if got_sha is not None and (
                        not isinstance(got_sha, str)
                        or not _SHA_RE.match(got_sha)
                        or not isinstance(body.get("size"), int)
                        or body["size"] < 1
                    ):
                        raise _rejected(url, status, {"error": "bad_response", **body})
                    target = body
                    for stale, sha in partials:
                        if sha != got_sha:
                            stale.unlink(missing_ok=True)
                    if not got_sha:
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
                    resp = client.send("GET", f"/v1/blobs/{sha}", headers=headers)
                    if resp.status_code not in (200, 206):
                        err = _read_json(resp)
                        client.close()
                        if resp.status_code in (404, 416):
                            part.unlink(missing_ok=True)
                            target = None
                            raise ConnectionError(f"bundle {sha[:8]} vanished ({resp.status_code})")
                        busy = err.get("error") == "too_many_requests"
                        if resp.status_code in _RETRY_STATUS or busy:
                            raise _Retry(f"hub answered {resp.status_code}")
                        raise _rejected(url, resp.status_code, err)
                    if resp.status_code == 200 and have_len:
                        part.unlink(missing_ok=True)
                        have_len = 0
                    received_bytes += _download(resp, part, size - have_len)
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
            except TlsPinMismatch:
                raise
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
                        f"pull from {url!r} gave up after {failures} failed "
                        f"attempts without progress: {exc}",
                        url=url,
                        peer=identity.site_id,
                        attempts=failures,
                    ) from exc
                _sleep_backoff(failures, backoff, max_backoff)
    finally:
        client.close()


def hub_info(
    url: str,
    timeout: float = 10.0,
    *,
    hub_fingerprint: str | None = None,
    insecure_http: bool = False,
    verify_tls: bool = True,
) -> dict[str, Any] | None:
    """The hub's `ping` answer (protocol, limits, its site id when it says) or None when no hub
    of this protocol answers at `url` within `timeout`.

    `verify_tls=False` (with `insecure_http=True`) makes it a bare liveness probe: the ping
    carries nothing, and push and pull still check the hub as they must.
    """
    client: _Client | None = None
    try:
        client = _Client(
            url, None, timeout, hub_fingerprint=hub_fingerprint, insecure_http=insecure_http
        )
        client.verify_tls = verify_tls
        status, body = client.json("GET", "/v1/ping")
    except (TransportError, *_RETRYABLE):
        return None
    finally:
        if client is not None:
            client.close()
    if status == 200 and body.get("ok") is True and body.get("protocol") == PROTOCOL_VERSION:
        return body
    return None


def reachable(
    url: str,
    timeout: float = 3.0,
    *,
    hub_fingerprint: str | None = None,
    insecure_http: bool = False,
    verify_tls: bool = True,
) -> bool:
    """True when a hub answers `GET /v1/ping` with this protocol at `url` within `timeout`."""
    return (
        hub_info(
            url,
            timeout,
            hub_fingerprint=hub_fingerprint,
            insecure_http=insecure_http,
            verify_tls=verify_tls,
        )
        is not None
    )
