"""Mutation fuzzing of every import entry point: the engine's `import_bundle`, part reassembly
(`PartStore.add`), mail extraction (`extract_parts_from_bytes`) and a whole `gather` of a folder
of mutants. Seeds are valid bundles, parts and messages made by a real network of sites; mutants
are byte flips, truncations, splices, inserted runs, inflated length fields and, for bundles,
hostile segments re-signed by the certified sender itself (so they pass the signature and reach
the decoders).

The only exceptions allowed out of an entry point are the engine's (`SyncError`) and the
carriers' (`TransportError`); anything else propagates and fails the run. No mutant may apply:
every one differing from its seed must be refused, the database must stay intact and unchanged,
and the honest seed must still apply afterwards. Used by sync/tests/test_fuzz.py (a CI-sized
run) and bench/bench_fuzz.py (a larger one).
"""

from __future__ import annotations

import hashlib
import lzma
import random
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from sync.errors import SyncError
from sync.feeds import CODEC_LZMA, CODEC_ZLIB, Segment, decompress
from sync.format import CAP_LZMA, decode_bundle, encode_bundle
from sync.tests.netkit import Site, network
from sync.transport import PartStore, TransportError, build_messages, gather, split
from sync.transport.email import extract_parts_from_bytes
from sync.transport.parts import HEADER_SIZE, parse_part

_BIG = (
    b"\xff\xff\xff\xff\x0f",  # a varint of 2^32 - 1
    b"\xff\xff\xff\xff\xff\xff\xff\xff\x7f",  # the largest 9-byte varint
    b"\xff\xff\xff\xff",  # u32 all ones
    b"\x00\x00\x00\x00\xff\xff\xff\xff",  # u64 2^32 - 1
    b"\x7f\xff\xff\xff\xff\xff\xff\xff",  # u64 2^63 - 1
)


@dataclass
class FuzzStats:
    """What a run did: inputs by kind, outcomes by error code, the slowest single input."""

    inputs: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0
    slowest_kind: str = ""
    seconds: float = 0.0

    def timed(self, kind: str, started: float) -> None:
        took = time.perf_counter() - started
        self.inputs[kind] += 1
        if took > self.slowest:
            self.slowest, self.slowest_kind = took, kind

    @property
    def total(self) -> int:
        return sum(self.inputs.values())


def mutate(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """One cheap mutation of `data` (never returns it unchanged unless it cannot help it)."""
    n = len(data)
    op = rng.randrange(7)
    if op == 0 or n < 4:  # flip 1 to 8 bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            if out:
                out[rng.randrange(len(out))] ^= rng.randint(1, 255)
        return bytes(out)
    if op == 1:  # truncate
        return data[: rng.randrange(n)]
    if op == 2:  # splice with another seed
        other = rng.choice(others)
        return data[: rng.randrange(n)] + other[rng.randrange(max(1, len(other))) :]
    if op == 3:  # inflate a length field: overwrite bytes with a huge value
        big = rng.choice(_BIG)
        at = rng.randrange(n)
        return data[:at] + big + data[at + len(big) :]
    if op == 4:  # insert random bytes
        at = rng.randrange(n)
        return data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
    if op == 5:  # repeat a run
        i = rng.randrange(n)
        j = min(n, i + rng.randint(1, 64))
        return data[:j] + data[i:j] * rng.randint(2, 50) + data[j:]
    # drop a run
    i = rng.randrange(n)
    return data[:i] + data[i + rng.randint(1, 32) :]


def _hostile_segment(rng: random.Random, seg: Segment) -> Segment:
    """The segment, still carrying the origin's signature, with a hostile body or header."""
    raw = decompress(seg.codec, seg.body, seg.raw_len)
    op = rng.randrange(5)
    bad = raw
    while bad == raw:  # two flips of one byte, or a splice at the same place, change nothing
        bad = mutate(rng, raw, [raw])
    if op == 0:  # a mutated body, honestly compressed and sized
        return replace(seg, raw_len=len(bad), body=zlib.compress(bad), codec=CODEC_ZLIB)
    if op == 1:  # a mutated body under xz
        body = lzma.compress(bad, format=lzma.FORMAT_XZ, preset=0)
        return replace(seg, raw_len=len(bad), body=body, codec=CODEC_LZMA)
    if op == 2:  # a compressed stream that lies about its size
        return replace(seg, raw_len=rng.choice([0, 1, len(raw) - 1, len(raw) + 1, 2**40]))
    if op == 3:  # a damaged compressed stream
        body = seg.body
        while body == seg.body:
            body = mutate(rng, seg.body, [seg.body])
        return replace(seg, body=body)
    # a body of another length than the sequence range says
    return replace(seg, last_seq=seg.last_seq + rng.choice([-1, 1, 1000]))


def _resigned(rng: random.Random, data: bytes, sender: Site) -> bytes:
    bundle, _signed, _sig = decode_bundle(data)
    if not bundle.segments:
        return mutate(rng, data, [data])
    k = rng.randrange(len(bundle.segments))
    bundle.segments[k] = _hostile_segment(rng, bundle.segments[k])
    bundle.caps = sorted(set(bundle.caps) | {CAP_LZMA})
    return encode_bundle(bundle, sender.engine.key)


class Seeds:
    """A city, a sender a and a receiver b; b has applied nothing of a's, so every segment a
    mutant carries is fresh to b and reaches the decoders."""

    def __init__(self, tmp: Path) -> None:
        self.city, (self.a, self.b) = network(tmp, 2)
        a = self.a
        a.engine.import_bundle(self.b.engine.export_bundle())  # a learns b's encryption key
        a.exec("INSERT INTO tasks (id, unit, title, progress) VALUES ('t1', 'u0', 'Rà soát', 1)")
        a.exec("INSERT INTO updates (id, task_id, body) VALUES ('n1', 't1', 'Ghi chú đầu')")
        one = a.engine.export_bundle()
        a.exec("UPDATE tasks SET progress = 40, note = 'đang làm' WHERE id = 't1'")
        a.exec("INSERT INTO tasks (id, unit, title) VALUES ('t2', 'u0', 'Số hoá hồ sơ')")
        two = a.engine.export_bundle()  # both segments
        sealed = a.engine.export_bundle(encrypt_to=self.b.id)
        self.bundles = [one, two, sealed]
        self.parts = [p for data in self.bundles for p in split(data, 1024)]
        self.mails = [
            m.as_bytes()
            for data in self.bundles[:2]
            for m in build_messages(data, to="b@dao.vn", sender="a@dao.vn", part_size=1024)
        ]
        self.before = self.b.snapshot(), self.b.engine.vector()


def fuzz_bundles(rng: random.Random, seeds: Seeds, count: int, stats: FuzzStats) -> None:
    engine = seeds.b.engine
    for i in range(count):
        resign = i % 4 == 0
        seed = rng.choice(seeds.bundles[:2] if resign else seeds.bundles)
        mutant = _resigned(rng, seed, seeds.a) if resign else mutate(rng, seed, seeds.bundles)
        if mutant in seeds.bundles:
            continue  # a splice can rebuild a seed exactly
        started = time.perf_counter()
        try:
            engine.import_bundle(mutant)
        except SyncError as exc:
            stats.outcomes[f"bundle:{exc.code}"] += 1
        else:
            raise AssertionError(f"a mutated bundle applied (mutation {i}, resigned={resign})")
        stats.timed("bundle", started)


def fuzz_parts(
    rng: random.Random, seeds: Seeds, store: PartStore, count: int, stats: FuzzStats
) -> None:
    for i in range(count):
        seed = rng.choice(seeds.parts)
        mutant = mutate(rng, seed, seeds.parts)
        if i % 3 == 0 and len(mutant) >= HEADER_SIZE:  # keep the digest right: hostile fields
            head = mutant[:64]
            mutant = (
                head + hashlib.sha256(head + mutant[HEADER_SIZE:]).digest() + mutant[HEADER_SIZE:]
            )
        started = time.perf_counter()
        try:
            added = store.add(mutant, f"fuzz-{i}.cchc")
        except TransportError as exc:
            stats.outcomes[f"part:{exc.code}"] += 1
        else:
            stats.outcomes[f"part:{added.status}"] += 1
            if added.bundle is not None:
                assert hashlib.sha256(added.bundle).hexdigest() == added.bundle_sha256
        stats.timed("part", started)


def fuzz_mail(rng: random.Random, seeds: Seeds, count: int, stats: FuzzStats) -> None:
    for _ in range(count):
        mutant = mutate(rng, rng.choice(seeds.mails), seeds.mails)
        started = time.perf_counter()
        try:
            for att in extract_parts_from_bytes(mutant, "fuzz.eml"):
                try:
                    parse_part(att, "fuzz.eml")
                    stats.outcomes["mail:part"] += 1
                except TransportError as exc:
                    stats.outcomes[f"mail-part:{exc.code}"] += 1
        except TransportError as exc:
            stats.outcomes[f"mail:{exc.code}"] += 1
        stats.timed("mail", started)


def fuzz_gather(rng: random.Random, seeds: Seeds, tmp: Path, count: int, stats: FuzzStats) -> None:
    """A folder of mutant files of every kind through `gather`, each arrival into the engine."""
    folder = tmp / "fuzz-folder"
    folder.mkdir(exist_ok=True)
    kinds = [(".cchc", seeds.bundles), (".cchc", seeds.parts), (".eml", seeds.mails)]
    for i in range(count):
        suffix, pool = rng.choice(kinds)
        mutant = mutate(rng, rng.choice(pool), pool)
        if mutant not in pool:
            (folder / f"m{i:05d}{suffix}").write_bytes(mutant)
    started = time.perf_counter()
    got = gather([folder], PartStore(tmp / "fuzz-gather-staging"))
    for arrived in got.bundles:
        if arrived.data in seeds.bundles:
            # a mail mutated outside its attachment still carries an honest part: the bundle
            # its parts rebuild is the seed itself, which would rightly apply
            stats.outcomes["gather:honest-bundle-rebuilt"] += 1
            continue
        try:
            seeds.b.engine.import_bundle(arrived.data)
        except SyncError as exc:
            stats.outcomes[f"gather-bundle:{exc.code}"] += 1
        else:
            raise AssertionError(f"a mutated file applied: {arrived.source}")
    for refused in got.refused:
        stats.outcomes[f"gather:{refused.error.code}"] += 1
    stats.inputs["gather-file"] += count
    took = time.perf_counter() - started
    if took > stats.slowest:
        stats.slowest, stats.slowest_kind = took, "gather (whole folder)"


def run(tmp: Path, *, bundles: int, parts: int, mails: int, files: int, seed: int) -> FuzzStats:
    """The whole fuzz run; raises on any escape, any applied mutant or any damage to b."""
    rng = random.Random(seed)
    seeds = Seeds(tmp)
    stats = FuzzStats()
    started = time.perf_counter()
    fuzz_bundles(rng, seeds, bundles, stats)
    fuzz_parts(rng, seeds, PartStore(tmp / "fuzz-staging"), parts, stats)
    fuzz_mail(rng, seeds, mails, stats)
    fuzz_gather(rng, seeds, tmp, files, stats)
    stats.seconds = time.perf_counter() - started
    b = seeds.b
    assert b.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert (b.snapshot(), b.engine.vector()) == seeds.before, "a mutant changed the database"
    result = b.engine.import_bundle(seeds.bundles[1])
    assert result.applied > 0 and result.rejected == 0, "the honest bundle no longer applies"
    return stats
