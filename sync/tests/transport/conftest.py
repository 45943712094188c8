"""Fixtures for the carrier tests: a real SMTP sink and a real HTTP hub on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sync.signing import SigningKey
from sync.transport import ClientIdentity, HubServer, sha256_hex


@dataclass
class SmtpSink:
    """A minimal SMTP server (RFC 5321 subset) that keeps every message it accepts."""

    refuse_data: bool = False
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    port: int = 0

    def start(self) -> SmtpSink:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        f = conn.makefile("rb")

        def reply(line: str) -> None:
            conn.sendall(line.encode("ascii") + b"\r\n")

        reply("220 sink.test ESMTP")
        sender, rcpts = "", list[str]()
        with conn, f:
            while True:
                line = f.readline()
                if not line:
                    return
                cmd = line.decode("ascii", "replace").strip()
                verb = cmd.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    reply("250-sink.test")
                    reply("250 8BITMIME")
                elif verb == "HELO":
                    reply("250 sink.test")
                elif verb == "MAIL":
                    sender, rcpts = (
                        cmd.split(":", 1)[1].strip().strip("<>").split(">")[0],
                        list[str](),
                    )
                    reply("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                    reply("250 OK")
                elif verb == "DATA":
                    if self.refuse_data:
                        reply("552 message size exceeds fixed maximum")
                        continue
                    reply("354 end with <CRLF>.<CRLF>")
                    lines: list[bytes] = []
                    while True:
                        chunk = f.readline()
                        if chunk in (b".\r\n", b".\n", b""):
                            break
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    self.messages.append((sender, rcpts, b"".join(lines)))
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    return
                elif verb in ("RSET", "NOOP"):
                    reply("250 OK")
                else:
                    reply("502 command not implemented")


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.close()


@dataclass
class HubCalls:
    """What the hub's callables saw: every import (data, sender) and every export request.

    `keys` is the hub's stand-in trust store: the public keys certified for each site.
    """

    imported: list[tuple[bytes, str]] = field(default_factory=list)
    exported_for: list[str] = field(default_factory=list)
    outgoing: bytes = b""
    fail_import: bool = False
    keys: dict[str, set[bytes]] = field(default_factory=dict)

    def on_bundle(self, path: Path, sender: str) -> dict[str, Any]:
        if self.fail_import:
            raise RuntimeError("database is locked")
        data = path.read_bytes()
        self.imported.append((data, sender))
        return {"applied": 1, "sha256": sha256_hex(data), "sender": sender}

    def bundle_for(self, peer: str) -> bytes:
        self.exported_for.append(peer)
        return self.outgoing

    def check_key(self, site: str, public_key: bytes) -> None:
        if public_key not in self.keys.get(site, set()):
            raise PermissionError(f"no certificate for this key and site {site!r}")

    def certify(self, site: str) -> ClientIdentity:
        """A fresh real Ed25519 key for `site`, known to this hub."""
        ident = ClientIdentity(site, SigningKey.generate())
        self.keys.setdefault(site, set()).add(ident.key.public)
        return ident


@pytest.fixture
def make_hub(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., tuple[HubServer, HubCalls]]]:
    hubs: list[HubServer] = []

    def make(**kwargs: Any) -> tuple[HubServer, HubCalls]:
        calls = HubCalls()
        hub = HubServer(
            calls.on_bundle,
            calls.bundle_for,
            calls.check_key,
            tmp_path_factory.mktemp("hub"),
            **kwargs,
        ).start()
        hubs.append(hub)
        return hub, calls

    yield make
    for h in hubs:
        h.close()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 KiB file system (tmpfs), to fill up; skipped where mounting needs root."""
    mount = tmp_path / "stick"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr!r}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)
