"""A loopback TCP proxy that throttles and cuts connections, for tests and the benchmark.

`ThrottlingProxy(target_port, kbit_per_s=64, cut_every=30)` listens on 127.0.0.1, forwards each
connection to the target, paces each direction to `kbit_per_s`, and every `cut_every` seconds of
transfer (time during which at least one connection is open) resets every open connection. It
counts the bytes it forwarded each way: that is what crossed the simulated link.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from dataclasses import dataclass

_SLICE = 512


@dataclass
class ProxyStats:
    """Bytes forwarded client→server (`up`) and server→client (`down`), connections and cuts."""

    up: int = 0
    down: int = 0
    connections: int = 0
    cuts: int = 0

    @property
    def total(self) -> int:
        return self.up + self.down


class _Pipe:
    def __init__(self, client: socket.socket, server: socket.socket) -> None:
        self.client = client
        self.server = server
        self.closed = False
        self.finished = 0
        self.lock = threading.Lock()

    def cut(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.server):
            with contextlib.suppress(OSError):
                # linger 0: close with a reset, as a dropped radio link looks to both ends
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()


class ThrottlingProxy:
    """Forward 127.0.0.1:<port> to a target, throttled, cutting every `cut_every` s of transfer."""

    def __init__(
        self,
        target_port: int,
        *,
        target_host: str = "127.0.0.1",
        kbit_per_s: float | None = 64.0,
        cut_every: float | None = 30.0,
        listen_host: str = "127.0.0.1",
    ) -> None:
        self.target = (target_host, target_port)
        self.rate = kbit_per_s * 1000 / 8 if kbit_per_s else None
        self.cut_every = cut_every
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._pipes: set[_Pipe] = set()
        self._listener = socket.create_server((listen_host, 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.active_seconds = 0.0
        self._free_at = {True: 0.0, False: 0.0}

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThrottlingProxy:
        for target in (self._accept_loop, self._clock_loop):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        with contextlib.suppress(OSError):
            self._listener.close()
        self.cut_all(count=False)

    def __enter__(self) -> ThrottlingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = ProxyStats()

    def cut_all(self, count: bool = True) -> None:
        """Reset every open connection now."""
        with self._lock:
            pipes = list(self._pipes)
            self._pipes.clear()
            if count and pipes:
                self.stats.cuts += 1
        for p in pipes:
            p.cut()

    def _clock_loop(self) -> None:
        last = time.monotonic()
        next_cut = self.cut_every
        while not self._stop.wait(0.02):
            now = time.monotonic()
            with self._lock:
                busy = bool(self._pipes)
            if busy:
                self.active_seconds += now - last
            last = now
            if next_cut is not None and self.active_seconds >= next_cut:
                self.cut_all()
                next_cut += self.cut_every or 0

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=10)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pipe = _Pipe(client, server)
            with self._lock:
                self._pipes.add(pipe)
                self.stats.connections += 1
            for src, dst, up in ((client, server, True), (server, client, False)):
                threading.Thread(target=self._relay, args=(pipe, src, dst, up), daemon=True).start()

    def _pace(self, up: bool, n: int) -> None:
        """Hold `n` bytes until the simulated link in that direction is free to carry them."""
        assert self.rate is not None
        with self._lock:
            now = time.monotonic()
            begin = max(now, self._free_at[up])
            self._free_at[up] = begin + n / self.rate
        wait = begin + n / self.rate - now
        if wait > 0:
            time.sleep(wait)

    def _relay(self, pipe: _Pipe, src: socket.socket, dst: socket.socket, up: bool) -> None:
        broken = False
        try:
            while not pipe.closed:
                data = src.recv(_SLICE if self.rate else 65536)
                if not data:
                    with contextlib.suppress(OSError):
                        dst.shutdown(socket.SHUT_WR)
                    break
                if self.rate:
                    self._pace(up, len(data))
                    if pipe.closed:
                        break
                dst.sendall(data)
                with self._lock:
                    if up:
                        self.stats.up += len(data)
                    else:
                        self.stats.down += len(data)
        except OSError:
            broken = True
        with self._lock:
            pipe.finished += 1
            last = broken or pipe.finished >= 2
            if last:
                self._pipes.discard(pipe)
        if last:
            pipe.cut()
