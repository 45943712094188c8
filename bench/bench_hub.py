"""Hub load benchmark: one hub, many certified sites pushing and pulling small deltas at once.

The hub runs in its own process (so its peak memory is its own) on 127.0.0.1 and checks every
request against a real trust chain: a root and one certificate per site. Each simulated site
signs with its own Ed25519 key, pushes one small delta (its own bytes) and pulls what the hub
prepared for it, with a fresh connection per operation as a laptop would.

Environment knobs:
  BENCH_HUB_SITES    simulated sites (default 1500: 114 commune-level units x ~10 laptops + island)
  BENCH_HUB_THREADS  sites in flight at once on the client side (default 200)
  BENCH_HUB_DELTA    bytes of each pushed and pulled delta (default 2048)
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sync.signing import SigningKey
from sync.transport import ClientIdentity, pull, push, sha256_hex

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_SECONDS = 2.0
TARGET_RSS_MIB = 300.0


def _env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def site_key(i: int) -> SigningKey:
    return SigningKey.from_seed(hashlib.sha256(b"bench-hub-site-%d" % i).digest())


def site_id(i: int) -> str:
    return f"site-{i:04d}"


def delta_up(i: int, size: int) -> bytes:
    """Site i's own delta: distinct bytes per site (stand-in for a small encrypted bundle)."""
    seed = hashlib.sha256(b"up-%d" % i).digest()
    return (seed * (size // 32 + 1))[:size]


HUB_SCRIPT = """
import hashlib, json, sys, time
from pathlib import Path
from sync.signing import SigningKey
from sync.trust import Certificate, TrustView
from sync.transport import HubLimits, HubServer

n, size, data_dir, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
root = SigningKey.from_seed(hashlib.sha256(b"bench-hub-root").digest())
certs = []
for i in range(n):
    key = SigningKey.from_seed(hashlib.sha256(b"bench-hub-site-%d" % i).digest())
    certs.append(Certificate.issue(root, site=f"site-{i:04d}", key=key.public, role="unit",
                                   scope=[f"u{i}"], issued=i + 1))
view = TrustView(root.public, certs)
log = open(log_path, "a", encoding="utf-8")

def on_bundle(path, sender):
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    log.write(f"{sender} {sha}\\n")
    log.flush()
    return {"applied": 1}

def bundle_for(peer):
    return (hashlib.sha256(b"down-" + peer.encode()).digest() * (size // 32 + 1))[:size]

def check_key(site, key):
    view.signer(key, site)

hub = HubServer(on_bundle, bundle_for, check_key, data_dir,
                limits=HubLimits(limit_concurrency=4096, backlog=4096))
hub.start()
print(hub.url, flush=True)
sys.stdin.readline()
hub.close()
"""


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(n: int, threads: int, size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "imports.log"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
        hub = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(HUB_SCRIPT), str(n), str(size)]
            + [str(Path(tmp) / "hub"), str(log_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            assert hub.stdout is not None and hub.stdin is not None
            url = hub.stdout.readline().strip()
            idle_rss = _peak_rss_mib(hub.pid)
            cpu_before = _cpu_seconds(hub.pid)
            push_s: list[float] = []
            pull_s: list[float] = []
            failures: list[str] = []
            wrong = 0
            lock = threading.Lock()
            barrier = threading.Barrier(min(threads, n))

            def one(i: int) -> None:
                nonlocal wrong
                ident = ClientIdentity(site_id(i), site_key(i))
                if i < threads:
                    barrier.wait(timeout=60)  # the first wave starts together
                try:
                    t0 = time.perf_counter()
                    push(url, delta_up(i, size), ident, retries=20, backoff=0.2, timeout=60)
                    t1 = time.perf_counter()
                    got = pull(url, ident, Path(tmp) / f"in-{i}.cchc", retries=20, timeout=60)
                    t2 = time.perf_counter()
                except Exception as exc:  # counted and reported, never hidden
                    with lock:
                        failures.append(f"{site_id(i)}: {exc}")
                    return
                expected = hashlib.sha256(b"down-" + site_id(i).encode()).digest()
                ok = got.path is not None and got.path.read_bytes()[:32] == expected
                with lock:
                    push_s.append(t1 - t0)
                    pull_s.append(t2 - t1)
                    wrong += not ok
                if got.path is not None:
                    got.path.unlink()

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(one, range(n)))
            wall = time.perf_counter() - started
            peak_rss = _peak_rss_mib(hub.pid)
            hub_cpu = _cpu_seconds(hub.pid) - cpu_before
            hub.stdin.write("\n")
            hub.stdin.flush()
            hub.wait(timeout=30)
        finally:
            if hub.poll() is None:
                hub.kill()
        lines = log_path.read_text().split("\n") if log_path.exists() else []
        seen = [tuple(line.split()) for line in lines if line]
        expected = {(site_id(i), sha256_hex(delta_up(i, size))) for i in range(n)}
        got_set = set(seen)
    for f in failures[:5]:
        print(f"  failure: {f}")
    return {
        "sites": n,
        "requests": 4 * n,  # status + PUT for a push, outbox + blob for a pull
        "wall": wall,
        "push_p50": statistics.median(push_s) if push_s else float("nan"),
        "push_p95": _pct(push_s, 0.95),
        "pull_p50": statistics.median(pull_s) if pull_s else float("nan"),
        "pull_p95": _pct(pull_s, 0.95),
        "idle_rss": idle_rss,
        "hub_cpu": hub_cpu,
        "peak_rss": peak_rss,
        "lost": len(expected - got_set),
        "duplicated": len(seen) - len(got_set),
        "foreign": len(got_set - expected),
        "failures": len(failures),
        "wrong_pulls": wrong,
    }


def main() -> None:
    n = _env("BENCH_HUB_SITES", 1500)
    threads = _env("BENCH_HUB_THREADS", 200)
    size = _env("BENCH_HUB_DELTA", 2048)
    f = run(n, threads, size)
    print(
        f"Hub load: {n} certified sites, {threads} in flight, each pushes and pulls {size} B "
        "over loopback (signed requests, real trust chain)"
    )
    print(
        f"  {f['requests']:.0f} requests in {f['wall']:.1f} s: "
        f"{f['requests'] / f['wall']:.0f} req/s, {n / f['wall']:.1f} site exchanges/s"
    )
    print(
        f"  push (2 requests) p50 {f['push_p50'] * 1000:.0f} ms, p95 {f['push_p95'] * 1000:.0f} ms;"
        f" pull (2 requests) p50 {f['pull_p50'] * 1000:.0f} ms, "
        f"p95 {f['pull_p95'] * 1000:.0f} ms  (target p95 <= {TARGET_P95_SECONDS:g} s)"
    )
    print(
        f"  hub CPU: {f['hub_cpu']:.1f} s for the whole run ({f['hub_cpu'] / n * 1000:.1f} ms "
        f"per site exchange, {f['hub_cpu'] / f['wall']:.0%} of one core); the rest of the wall "
        "time is the clients on the same machine"
    )
    print(
        f"  hub memory: {f['idle_rss']:.0f} MiB idle, peak {f['peak_rss']:.0f} MiB "
        f"(target <= {TARGET_RSS_MIB:g} MiB)"
    )
    print(
        f"  bundles lost {f['lost']:.0f}, duplicated {f['duplicated']:.0f}, foreign "
        f"{f['foreign']:.0f}, failed sites {f['failures']:.0f}, wrong pulls "
        f"{f['wrong_pulls']:.0f}  (target 0 each)"
    )


if __name__ == "__main__":
    main()
