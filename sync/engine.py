"""The engine: the small API an app calls (SPEC.md sections "Export" and "Import").

engine = Engine(conn, key_dir)
engine.track(TableSpec("tasks"))
data = engine.export_bundle(peer_site_id)      # bytes, for any carrier
result = other.import_bundle(data)             # ImportResult, or raises SyncError
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from . import equivocation, history, rejudge, waiting
from . import hlc as hlcmod
from .authority import Rewound, record_reads, rewind_concurrent
from .capture import (
    ADDED_COLUMNS,
    SCHEMA,
    TRIGGER_VERSION,
    TableSpec,
    table_columns,
    trigger_sql,
)
from .encoding import Value, json_depth
from .errors import (
    CertificateRefused,
    ChainBroken,
    ClockAhead,
    FeedBehind,
    FeedForked,
    HeldLimit,
    NotRoot,
    Overruled,
    RootFingerprintMismatch,
    SeenBackwards,
    SignerRevoked,
    SiteTaken,
    SyncError,
    TakenBack,
    TooLarge,
    TrustError,
    UnknownConflict,
    UnknownSite,
    UsageError,
)
from .feeds import CODEC_LZMA, CODEC_ZLIB, TOMBSTONE, ZERO_HASH, Columns, Segment, seal_columns
from .format import CAP_LZMA, CAP_ZLIB, Bundle, decode_bundle, encode_bundle, verify_sender
from .limits import MAX_HELD_BYTES, MAX_HELD_SEGMENTS, MAX_JSON_DEPTH, MAX_TRUST_FILE_BYTES
from .merge import Merger, Policy, Refusal, allow_all, seen_json
from .revocation import take_back
from .signing import KeyDir, SigningKey, fingerprint, normalize_fingerprint, x25519_public
from .trust import Certificate, Revocation, Signer, TrustView, valid_role

TRUST_MAGIC = b"SYNCTRST"


@dataclass
class Rejection:
    """Why some changes were refused: the origin and range, the row if any, code and reason."""

    origin: str
    first_seq: int
    last_seq: int
    code: str
    reason: str
    table: str | None = None
    row_id: str | None = None
    changes: int = 0


@dataclass
class ImportResult:
    """Counts of changes applied, already present, held for a gap, and refused (with reasons)."""

    sender: str
    applied: int = 0
    duplicate: int = 0
    held: int = 0
    rejected: int = 0
    conflicts: int = 0
    segments_applied: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    #: segments held (not refused) with a reason the user should see, e.g. a clock ahead
    notes: list[Rejection] = field(default_factory=list)
    #: how far (ms) the newest held clock runs ahead of this site's bound; 0 when none
    clock_ahead_ms: int = 0
    #: changes applied here earlier and taken back now: their key was revoked (after its cutoff)
    taken_back: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "applied": self.applied,
            "duplicate": self.duplicate,
            "held": self.held,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "rejections": [r.__dict__ for r in self.rejections],
            "notes": [r.__dict__ for r in self.notes],
            "clock_ahead_ms": self.clock_ahead_ms,
            "taken_back": self.taken_back,
        }


@dataclass
class Conflict:
    """A cell where a concurrent write lost: the value kept and the value that lost."""

    id: int
    table: str
    row_id: str
    column: str
    kept_value: Value
    kept_origin: str
    kept_hlc: int
    lost_value: Value
    lost_origin: str
    lost_hlc: int
    resolved: str | None


class Engine:
    """Sync engine bound to one SQLite connection (autocommit) and one key directory."""

    def __init__(self, conn: sqlite3.Connection, key_dir: Path | str) -> None:
        if conn.isolation_level is not None:
            conn.isolation_level = None
        self.conn = conn
        self.keys = KeyDir(Path(key_dir))
        self.policy: Policy = allow_all
        #: fork proofs found while applying the current import (section 4a)
        self._found_forks: list[equivocation.ForkProof] = []
        #: segments rewound to be judged again by the next apply pass (``rejudge``)
        self._rewound: dict[tuple[str, int], Rewound] = {}
        self.authority: Callable[[Signer], int] | None = None
        with self._tx():
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            equivocation.ensure_schema(conn)
            for table, column, declaration in ADDED_COLUMNS:
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {declaration}")
            row = conn.execute("SELECT site_id FROM _sync_state WHERE id = 1").fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO _sync_state (id, site_id, hlc, head) VALUES (1, ?, ?, ?)",
                    (uuid.uuid4().hex, hlcmod.now(), ZERO_HASH),
                )
        self.site_id: str = conn.execute("SELECT site_id FROM _sync_state").fetchone()[0]
        key = self.keys.signing_key(create=True)
        assert key is not None
        self.key: SigningKey = key
        enc = self.keys.encryption_key(create=True)
        assert enc is not None
        self.enc_key = enc
        self._tracked: dict[str, tuple[str, list[str]]] = {}
        self._trigger_version: dict[str, int] = {}
        self._judged: dict[str, tuple[str, ...]] = {}
        for tbl, pk, cols, version, judged in conn.execute(
            "SELECT tbl, pk, columns, version, judged FROM _sync_tracked"
        ):
            self._tracked[tbl] = (pk, json.loads(cols))
            self._trigger_version[tbl] = version
            self._judged[tbl] = tuple(json.loads(judged))

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _tx(self) -> Iterator[None]:
        if self.conn.in_transaction:
            raise UsageError("the sync engine needs to open its own transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _hlc(self) -> int:
        return int(self.conn.execute("SELECT hlc FROM _sync_state").fetchone()[0])

    def _tick(self) -> int:
        h = hlcmod.tick(self._hlc())
        self.conn.execute("UPDATE _sync_state SET hlc = ?", (h,))
        return h

    # ------------------------------------------------------------------ capture

    def track(self, spec: TableSpec) -> None:
        """Install (or refresh, after a migration) the capture triggers of ``spec.name``."""
        cols = table_columns(self.conn, spec)
        judged = tuple(c for c in spec.judged if c in cols)
        if (
            self._tracked.get(spec.name) == (spec.pk, cols)
            and self._trigger_version.get(spec.name) == TRIGGER_VERSION
            and self._judged.get(spec.name) == judged
            and self._triggers_present(spec.name)
        ):
            return  # already capturing exactly these columns, with these triggers
        with self._tx():
            cols = table_columns(self.conn, spec)
            for stmt in trigger_sql(spec, cols):
                self.conn.execute(stmt)
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_tracked (tbl, pk, columns, version, judged) "
                "VALUES (?, ?, ?, ?, ?)",
                (spec.name, spec.pk, json.dumps(cols), TRIGGER_VERSION, json.dumps(judged)),
            )
        self._tracked[spec.name] = (spec.pk, cols)
        self._trigger_version[spec.name] = TRIGGER_VERSION
        self._judged[spec.name] = judged

    def _triggers_present(self, table: str) -> bool:
        names = {f"_sync_{table}_{s}" for s in ("ins", "upd", "del")}
        found = {
            n
            for (n,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        }
        return names <= found

    @property
    def tracked_tables(self) -> list[str]:
        return sorted(self._tracked)

    @contextmanager
    def capture_suppressed(self) -> Iterator[None]:
        """Writes inside are not recorded (identical seed data on every laptop).

        Runs inside the caller's transaction if one is open, else in its own, so other
        connections never see capture switched off.
        """
        own = not self.conn.in_transaction
        if own:
            self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
        try:
            yield
        except BaseException:
            if own:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
            raise
        self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
        if own:
            self.conn.execute("COMMIT")

    def set_policy(self, policy: Policy) -> None:
        """Who may write what: called per incoming row with the signer's role and scope, and
        per row of this site's own changes before they are committed (``judge_local``)."""
        self.policy = policy

    def set_authority(self, rank: Callable[[Signer], int]) -> None:
        """How the app ranks writers (SPEC section 12): a change must also hold under every
        value of a judged column written by a writer of higher rank that its own writer had not
        seen, and a copy that applied it before learning of such a value takes it back."""
        self.authority = rank

    def _merger(self, view: TrustView | None = None) -> Merger:
        rank = self.authority
        rank_of = None
        if rank is not None:
            rank_of = self._rank_of(rank, view or self._trust())
        return Merger(
            self.conn,
            self._tracked,
            self.policy,
            self._seen_lookup(),
            self._hlc(),
            self._judged,
            rank,
            rank_of,
        )

    def _rank_of(self, rank: Callable[[Signer], int], view: TrustView) -> Callable[[str], int]:
        """A site's rank: the highest its standing certificates give it (-1 with none)."""
        cache: dict[str, int] = {}

        def rank_of(site: str) -> int:
            if site not in cache:
                found = -1
                for key in view.keys_of(site):
                    try:
                        found = max(found, rank(view.signer(key, site)))
                    except TrustError:
                        continue
                cache[site] = found
            return cache[site]

        return rank_of

    def pending_mark(self) -> int:
        """Where this site's captured changes end now; ``judge_local`` judges those after it."""
        return int(self.conn.execute("SELECT coalesce(max(n), 0) FROM _sync_pending").fetchone()[0])

    def judge_local(self, since: int, signer: Signer | None = None) -> list[Refusal]:
        """The policy's verdict on this site's changes captured after ``since``, judged exactly
        as every other copy will judge them on import (the row as it stood, the row as
        proposed, the same signer), so a site never records what the others refuse. Runs inside
        the caller's write transaction, before its commit; an empty list means all accepted.

        ``signer`` defaults to this site's certificate; with none (not certified yet) the app
        passes the role and scope it expects to be certified with.
        """
        signer = signer or self.my_signer()
        if signer is None:
            return []
        rows = self.conn.execute(
            "SELECT n, hlc, tbl, row_id, col, value, old FROM _sync_pending WHERE n > ? ORDER BY n",
            (since,),
        ).fetchall()
        if not rows:
            return []
        before: dict[tuple[str, str], dict[str, Any] | None] = {}
        first_col: set[tuple[str, str, str]] = set()
        for _n, _h, tbl, row_id, col, value, old in rows:
            key = (tbl, row_id)
            if key not in before:
                before[key] = self._row_before(tbl, row_id, col, value, old)
            stood = before[key]
            if stood is not None and col != TOMBSTONE and (tbl, row_id, col) not in first_col:
                stood[col] = old
            first_col.add((tbl, row_id, col))
        seg = _local_segment(self.site_id, rows)
        merger = self._merger()
        return merger.judge_only(seg, signer, before)

    def _row_before(
        self, table: str, row_id: str, first_col: str, first_value: Value, old: Value
    ) -> dict[str, Any] | None:
        """The row as it stood before this transaction's first change to it: None for a row
        this transaction inserted; for a deleted row, the values its tombstone kept."""
        if first_col == TOMBSTONE and first_value == 0:
            return None
        if table not in self._tracked:
            return None
        pk, _cols = self._tracked[table]
        if first_col == TOMBSTONE:  # deleted here: the trigger kept its last values
            kept = json.loads(old) if isinstance(old, str) else None
            return kept if isinstance(kept, dict) else None
        cur = self.conn.execute(f'SELECT * FROM "{table}" WHERE "{pk}" = ?', (row_id,))
        names = [d[0] for d in cur.description]
        found = cur.fetchone()
        return dict(zip(names, found, strict=True)) if found else None

    # ------------------------------------------------------------------ feeds

    def _frontiers(self) -> dict[str, tuple[int, int, bytes]]:
        return {
            o: (s, h, head)
            for o, s, h, head in self.conn.execute(
                "SELECT origin, applied_seq, applied_hlc, head FROM _sync_feeds"
            )
        }

    def _seen_vector(self) -> dict[str, int]:
        return {o: h for o, (_s, h, _head) in self._frontiers().items() if o != self.site_id}

    def _behind(self) -> tuple[int, int] | None:
        """(sealed here, sealed by this site) when the database is older than its own feed."""
        mark = self.keys.feed_mark()
        last_seq = int(self.conn.execute("SELECT last_seq FROM _sync_state").fetchone()[0])
        if mark is not None and mark[0] > last_seq:
            return last_seq, mark[0]
        return None

    def _mark_feed(self) -> None:
        """Record the sealed feed head beside the database (after a commit)."""
        seq, head = self.conn.execute("SELECT last_seq, head FROM _sync_state").fetchone()
        mark = self.keys.feed_mark()
        if seq and (mark is None or mark[0] < seq):
            self.keys.set_feed_mark(seq, head)

    def _seal_pending(self) -> Segment | None:
        """Turn captured changes into the next signed segment of this site's feed (in a tx)."""
        behind = self._behind()
        if behind is not None:
            raise FeedBehind(
                f"this database holds site {self.site_id!r}'s feed up to {behind[0]} but the site "
                f"has sealed up to {behind[1]} (restored from an older backup?); import a bundle "
                "from a peer that holds the rest before sending",
                have=behind[0],
                sealed=behind[1],
            )
        rows = self.conn.execute(
            "SELECT n, hlc, tbl, row_id, col, value FROM _sync_pending ORDER BY n"
        ).fetchall()
        if not rows:
            return None
        last_seq, head = self.conn.execute("SELECT last_seq, head FROM _sync_state").fetchone()
        seen = self._seen_vector()
        seg: Segment | None = None
        for chunk in _seal_chunks(rows):
            hlcs, tables, row_ids, cols, values = (
                list(map(itemgetter(k), chunk)) for k in range(1, 6)
            )
            seg = seal_columns(
                self.key,
                self.site_id,
                Columns(hlcs, tables, row_ids, cols, values),
                last_seq + 1,
                head,
                seen,
            )
            self._store_segment(seg, "applied")
            self._advance(seg)
            last_seq, head = seg.last_seq, seg.head
        assert seg is not None
        self.conn.execute("UPDATE _sync_state SET last_seq = ?, head = ?", (last_seq, head))
        # every pending change was read in this transaction, and nothing else writes them here
        self.conn.execute("DELETE FROM _sync_pending")
        return seg

    def seal(self) -> int:
        """Seal captured changes now; return how many were sealed."""
        with self._tx():
            seg = self._seal_pending()
        self._mark_feed()
        return 0 if seg is None else seg.last_seq - seg.first_seq + 1

    def _store_segment(self, seg: Segment, state: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_segments (origin, first_seq, last_seq, first_hlc, "
            "last_hlc, signer, head, prev, seen, state, blob) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                seg.origin,
                seg.first_seq,
                seg.last_seq,
                seg.first_hlc,
                seg.last_hlc,
                seg.signer,
                seg.head,
                seg.prev_hash,
                seen_json(seg.seen),
                state,
                seg.encode(),
            ),
        )

    def _advance(self, seg: Segment) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_feeds (origin, applied_seq, applied_hlc, head) "
            "VALUES (?, ?, ?, ?)",
            (seg.origin, seg.last_seq, seg.last_hlc, seg.head),
        )

    def vector(self) -> dict[str, int]:
        """Highest contiguous sequence applied here, per origin (this site's acknowledgement)."""
        return {o: s for o, (s, _h, _head) in self._frontiers().items()}

    # ------------------------------------------------------------------ trust

    def _trust(self) -> TrustView:
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        certs = [
            Certificate.parse(b, s)
            for b, s in self.conn.execute("SELECT body, sig FROM _sync_certs")
        ]
        revs = [
            Revocation.parse(b, s)
            for b, s in self.conn.execute("SELECT body, sig FROM _sync_revocations")
        ]
        return TrustView(row[0] if row else None, certs, revs, max_issued=hlcmod.bound())

    def _store_cert(self, cert: Certificate) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO _sync_certs (key, site, issued, body, sig) VALUES (?,?,?,?,?)",
            (cert.key, cert.site, cert.issued, cert.body, cert.sig),
        )

    def _store_revocation(self, rev: Revocation) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO _sync_revocations (key, body, sig) VALUES (?, ?, ?)",
            (rev.key, rev.body, rev.sig),
        )

    def _forget_revoked_proofs(self, view: TrustView) -> None:
        """Drop the kept fork proofs a revocation now decides (section 4a: segments of a
        revoked key are never a proof), as a copy that learned of the revocation first would
        have refused them: every copy ends with the same proofs, whatever the order."""
        for proof in equivocation.load(self.conn):
            if not _proof_stands(view, proof):
                equivocation.forget(self.conn, proof)

    def identity(self) -> dict[str, str]:
        """This site's public identity: site id, signing key, encryption key, fingerprint."""
        return {
            "site_id": self.site_id,
            "public_key": self.key.public.hex(),
            "enc_key": x25519_public(self.enc_key).hex(),
            "fingerprint": fingerprint(self.key.public),
        }

    def root_fingerprint(self) -> str | None:
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        return fingerprint(row[0]) if row else None

    def is_root(self) -> bool:
        root = self.keys.root_key(create=False)
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        return root is not None and row is not None and row[0] == root.public

    def init_root(self, units: tuple[str, ...] = ("*",)) -> str:
        """Make this site the root: create the root key, install it, certify this site as city."""
        root = self.keys.root_key(create=True)
        assert root is not None
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_root (id, public_key) VALUES (1, ?)", (root.public,)
            )
            cert = Certificate.issue(
                root,
                site=self.site_id,
                key=self.key.public,
                role="city",
                scope=units,
                issued=self._tick(),
                enc_key=x25519_public(self.enc_key),
            )
            self._store_cert(cert)
        return fingerprint(root.public)

    def _root_key(self) -> SigningKey:
        root = self.keys.root_key(create=False)
        if root is None or not self.is_root():
            raise NotRoot(f"site {self.site_id!r} does not hold the root key")
        return root

    def certify(
        self,
        site_id: str,
        public_key: bytes,
        units: list[str],
        role: str,
        enc_key: bytes | None = None,
        *,
        replace_key: bool = False,
    ) -> bytes:
        """Root only: certify a site's key; return a trust file the site installs.

        A site id belongs to one key: if another key that is not revoked is certified for
        ``site_id``, this is refused (``SiteTaken``, naming that key, its role and units)
        unless ``replace_key`` says it is a key change, which revokes the old key with its
        cutoff (what the root holds of the feed, and its head) in the same transaction.
        """
        root = self._root_key()
        if not valid_role(role):
            raise UsageError(f"role {role!r} is not a role name (a-z and _, at most 32)")
        view = self._trust()
        holders = sorted(
            (
                view.certs[k]
                for k in view.keys_of(site_id)
                if k != public_key and k not in view.revoked
            ),
            key=lambda c: (c.issued, c.body),
        )
        if holders and not replace_key:
            held = holders[-1]
            raise SiteTaken(
                f"site {site_id!r} is already certified to another key {fingerprint(held.key)} "
                f"(role {held.role!r}, units {list(held.scope)!r}); certifying a new key for it "
                "is a key change, which revokes that key",
                site=site_id,
                fingerprint=fingerprint(held.key),
                role=held.role,
                units=list(held.scope),
            )
        with self._tx():
            if holders:
                self._revoke_keys(root, site_id, [c.key for c in holders])
            cert = Certificate.issue(
                root,
                site=site_id,
                key=public_key,
                role=role,
                scope=units,
                issued=self._tick(),
                enc_key=enc_key,
            )
            self._store_cert(cert)
        return self.trust_file()

    def trust_file(self) -> bytes:
        """Root key, all certificates and revocations, as one file for `install_trust`."""
        row = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        if row is None:
            raise UsageError("no root installed; nothing to hand out")
        view = self._trust()
        obj = {
            "root": row[0].hex(),
            "certs": [[c.body.decode(), c.sig.hex()] for _k, c in sorted(view.certs.items())],
            "revocations": [
                [r.body.decode(), r.sig.hex()] for _k, r in sorted(view.revoked.items())
            ],
        }
        return TRUST_MAGIC + b"\n" + json.dumps(obj, indent=1, sort_keys=True).encode() + b"\n"

    def install_trust(self, data: bytes, root_fingerprint: str) -> dict[str, Any]:
        """Install the root (checked against the fingerprint a person read out) and certs."""
        from .errors import Malformed

        if not data.startswith(TRUST_MAGIC):
            raise Malformed("not a trust file (it does not start with the trust file's mark)")
        if len(data) > MAX_TRUST_FILE_BYTES:
            raise TooLarge(
                f"trust file of {len(data)} bytes is above the limit of {MAX_TRUST_FILE_BYTES}",
                limit=MAX_TRUST_FILE_BYTES,
            )
        if json_depth(data[len(TRUST_MAGIC) :], MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise TooLarge(
                f"trust file: JSON nested deeper than {MAX_JSON_DEPTH} levels", limit=MAX_JSON_DEPTH
            )
        try:
            obj = json.loads(data[len(TRUST_MAGIC) :])
            root = bytes.fromhex(obj["root"])
            pairs = [(b.encode(), bytes.fromhex(s)) for b, s in obj["certs"]]
            rpairs = [(b.encode(), bytes.fromhex(s)) for b, s in obj.get("revocations", [])]
        except (ValueError, KeyError, TypeError) as exc:
            raise Malformed(f"trust file: bad content ({type(exc).__name__})") from exc
        got = fingerprint(root)
        if normalize_fingerprint(root_fingerprint) != got:
            # the right fingerprint is never shown: a person must compare what the city read out
            # with what they typed, not copy the file's own claim
            raise RootFingerprintMismatch(
                f"the trust file's root does not match the fingerprint {root_fingerprint!r} "
                "that was read out; refusing to install",
                expected=root_fingerprint,
            )
        existing = self.conn.execute("SELECT public_key FROM _sync_root").fetchone()
        if existing is not None and existing[0] != root:
            raise RootFingerprintMismatch(
                f"a different root {fingerprint(existing[0])} is already installed",
                expected=fingerprint(existing[0]),
                actual=got,
            )
        certs = [Certificate.parse(b, s) for b, s in pairs]
        revs = [Revocation.parse(b, s) for b, s in rpairs]
        with self._tx():
            self.conn.execute(
                "INSERT OR REPLACE INTO _sync_root (id, public_key) VALUES (1, ?)", (root,)
            )
            view = self._trust()
            added, _refused = view.add_certs(certs)
            roles = rejudge.role_changes(self.conn, added)
            for c in added:
                self._store_cert(c)
            new_revs = [r for r in revs if view.add_revocation(r)]
            for r in new_revs:
                self._store_revocation(r)
            if new_revs or roles or view.displaced:
                if self._behind() is None:  # unsealed changes keep the view they were made with
                    self._seal_pending()
                self._forget_revoked_proofs(view)
                self.conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
                self.conn.execute("PRAGMA defer_foreign_keys = ON")
                taken = ImportResult(sender=self.site_id)
                self._rewound.update(
                    rejudge.after_role_change(self.conn, self._merger(view), roles)
                )
                self._take_back(view, taken)
                self._apply_ready([], view, taken)  # what it took back the grounds of, again
                self._merger().settle_foreign_keys()
                self._log(taken.rejections)
                self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
        self._mark_feed()
        me = self.my_signer()
        return {
            "root_fingerprint": got,
            "site_id": self.site_id,
            "role": me.role if me else None,
            "units": list(me.scope) if me else [],
        }

    def my_signer(self) -> Signer | None:
        try:
            return self._trust().signer(self.key.public, self.site_id)
        except TrustError:
            return None

    def signer_of(self, site_id: str, public_key: bytes) -> Signer:
        """Who ``public_key`` is, certified for ``site_id``; raise a TrustError if it is not."""
        return self._trust().signer(public_key, site_id)

    def revoke(self, site_id: str) -> int:
        """Root only: revoke every key certified for ``site_id``; return how many.

        What the root holds of the site's feed stands (the revocation's cutoff is the root's
        applied sequence of that feed); whatever the keys signed after is refused everywhere.
        """
        root = self._root_key()
        view = self._trust()
        keys = [k for k in view.keys_of(site_id) if k not in view.revoked]
        if not view.keys_of(site_id):
            raise UnknownSite(f"no certificate known for site {site_id!r}", site=site_id)
        with self._tx():
            self._revoke_keys(root, site_id, keys)
            self._forget_revoked_proofs(self._trust())
        return len(keys)

    def _revoke_keys(self, root: SigningKey, site_id: str, keys: list[bytes]) -> None:
        """Revoke ``keys`` of ``site_id`` at the cutoff this site holds of its feed, naming the
        feed's head there (in the open transaction)."""
        upto, _h, head = self._frontiers().get(site_id, (0, 0, ZERO_HASH))
        for k in keys:
            self._store_revocation(
                Revocation.issue(
                    root,
                    key=k,
                    site=site_id,
                    issued=self._tick(),
                    upto=upto,
                    head=head if upto else None,
                )
            )

    def rotate_key(self) -> bytes:
        """Make a new signing key for this site (the old one stays valid until revoked).

        Returns the new public key; the root must certify it before peers accept it.
        """
        with self._tx():
            self._seal_pending()
        self._mark_feed()
        new = SigningKey.generate()
        self.keys.replace_signing_key(new)
        self.key = new
        return new.public

    # ------------------------------------------------------------------ export

    def export_bundle(
        self,
        peer_site_id: str | None = None,
        *,
        encrypt_to: str | None = None,
        since: dict[str, int] | None = None,
    ) -> bytes:
        """Everything ``peer_site_id`` has not acknowledged (None: everything held here).

        ``since`` overrides the acknowledgements with an explicit vector (origin -> seq).
        """
        with self._tx():
            self._seal_pending()
            acks: dict[str, int] = {}
            if peer_site_id is not None:
                acks = dict(
                    self.conn.execute(
                        "SELECT origin, acked_seq FROM _sync_peers WHERE peer = ?",
                        (peer_site_id,),
                    ).fetchall()
                )
            if since is not None:
                acks = dict(since)
            view = self._trust()
            frozen = equivocation.freeze_points(self.conn)
            segs: list[Segment] = []
            codecs: set[int] = set()
            for origin, last_seq, signer, blob in self.conn.execute(
                "SELECT origin, last_seq, signer, blob FROM _sync_segments "
                "WHERE state = 'applied' ORDER BY origin, first_seq"
            ):
                revoked = view.revoked.get(signer)
                # a forked origin's feed goes whole, whatever the peer acknowledged: a copy
                # that holds the other branch below the freeze point finds a lower proof
                acked = 0 if origin in frozen else acks.get(origin, 0)
                if last_seq <= acked or (revoked and revoked.covers(last_seq)):
                    continue
                seg = Segment.decode(blob)
                codecs.add(seg.codec)
                segs.append(seg)
            forks = [(f.a, f.b) for f in equivocation.load(self.conn)]
            for a, b in forks:
                codecs.update((a.codec, b.codec))
            caps = [CAP_ZLIB] if CODEC_ZLIB in codecs or not codecs else []
            if CODEC_LZMA in codecs:
                caps.append(CAP_LZMA)
            # only what stands here travels: a refused certificate is never relayed
            certs = [view.certs[k] for k in sorted(view.certs)]
            revs = [view.revoked[k] for k in sorted(view.revoked)]
            digest = trust_digest(certs, revs)
            if peer_site_id is not None and since is None:
                known = self.conn.execute(
                    "SELECT digest FROM _sync_peer_trust WHERE peer = ?", (peer_site_id,)
                ).fetchone()
                if known is not None and known[0] == digest:
                    # the peer said it holds exactly these; the sender's own chain still goes,
                    # so a bundle carried to another site by mistake can be checked there too
                    certs, revs = view.chain_of(self.key.public), []
            bundle = Bundle(
                sender=self.site_id,
                sender_key=self.key.public,
                created=self._hlc(),
                caps=caps,
                recipient=encrypt_to or peer_site_id,
                certs=certs,
                revocations=revs,
                acks=self.vector(),
                segments=segs,
                trust_digest=digest,
                forks=forks,
            )
        self._mark_feed()
        rpk = None
        if encrypt_to is not None:
            rpk = view.enc_key_of(encrypt_to)
            if rpk is None:
                raise UnknownSite(
                    f"no encryption key certified for site {encrypt_to!r}", site=encrypt_to
                )
        return encode_bundle(bundle, self.key, encrypt_to=rpk)

    # ------------------------------------------------------------------ import

    def _seen_lookup(self) -> Any:
        cache: dict[tuple[str, int], dict[str, int]] = {}

        def seen_of(origin: str, h: int) -> dict[str, int]:
            k = (origin, h)
            if k not in cache:
                row = self.conn.execute(
                    "SELECT seen FROM _sync_segments WHERE origin = ? AND last_hlc >= ? "
                    "AND first_hlc <= ? ORDER BY first_seq LIMIT 1",
                    (origin, h, h),
                ).fetchone()
                cache[k] = json.loads(row[0]) if row else {}
            return cache[k]

        return seen_of

    def import_bundle(self, data: bytes) -> ImportResult:
        """Verify everything, then apply in one transaction; raise SyncError and apply nothing
        if the bundle itself is bad. Segments from untrusted or revoked signers and changes the
        policy refuses are counted as rejected, with reasons, and logged."""
        bundle, signed, sig = decode_bundle(data, decrypt_with=[self.enc_key, self.key.x25519()])
        view = self._trust()
        new_revs = [r for r in bundle.revocations if view.add_revocation(r)]
        new_certs, refused_certs = view.add_certs(bundle.certs)
        view.signer(bundle.sender_key, bundle.sender)
        verify_sender(bundle, signed, sig)
        result = ImportResult(sender=bundle.sender)
        for reason in refused_certs:
            result.rejections.append(
                Rejection(bundle.sender, 0, 0, CertificateRefused.code, reason)
            )

        known = {
            (o, f): head
            for o, f, head in self.conn.execute(
                "SELECT origin, first_seq, head FROM _sync_segments"
            )
        }
        frontiers = self._frontiers()
        proofs = self._check_proofs(bundle.forks, view, result)
        frozen = equivocation.freeze_points(self.conn)
        for proof in proofs:
            frozen[proof.origin] = min(frozen.get(proof.origin, proof.at_seq), proof.at_seq)
        fresh: list[tuple[Segment, Signer]] = []
        #: segments of a revoked key below its cutoff: they stand only on the named history
        fixed: list[tuple[Segment, Signer]] = []
        for seg in bundle.segments:
            n = seg.last_seq - seg.first_seq + 1
            held_head = known.get((seg.origin, seg.first_seq))
            if held_head == seg.head:
                result.duplicate += n
                continue
            if seg.last_seq > frozen.get(seg.origin, seg.last_seq):
                self._reject(
                    result,
                    seg,
                    FeedForked.code,
                    f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} lies beyond position "
                    f"{frozen[seg.origin]}, where site {seg.origin!r}'s feed forked",
                    n,
                )
                continue
            # it starts inside what is applied here: the same history, or a fork
            overlaps = held_head is not None or (
                seg.first_seq <= frontiers.get(seg.origin, (0, 0, b""))[0]
            )
            try:
                signer = view.signer(seg.signer, seg.origin, seg.last_seq)
            except TrustError as exc:
                if overlaps and held_head is None:
                    result.duplicate += n
                else:
                    self._reject(result, seg, exc.code, str(exc), n)
                continue
            seg.verify_signature()
            seg.columns()
            rev = view.revoked.get(seg.signer)
            if rev is not None and rev.fixes(seg.last_seq):
                if not overlaps:
                    fixed.append((seg, signer))
                elif held_head is None:
                    result.duplicate += n
                else:  # another segment stands here; the walk below tells which history
                    fixed.append((seg, signer))
                continue
            if overlaps:
                # a place this site holds already: the same history, or a proof of a fork
                found = equivocation.find(self.conn, seg)
                if found is None:
                    result.duplicate += n
                    continue
                proofs.append(found)
                frozen[seg.origin] = min(frozen.get(seg.origin, found.at_seq), found.at_seq)
                self._reject(result, seg, FeedForked.code, found.describe(), n)
                continue
            fresh.append((seg, signer))
        links = [_link(s) for s, _signer in [*fresh, *fixed]]
        stored = history.stored_links(self.conn) if fixed else []
        good = history.proven(view, [*stored, *links])
        at_place = {(x.origin, x.first_seq): x for x in stored}
        for seg, signer in fixed:
            if history.stands(view, _link(seg), good):
                here = at_place.get((seg.origin, seg.first_seq))
                if here is not None and history.stands(view, here, good):
                    # the same history cut otherwise: what stands here stays
                    result.duplicate += seg.last_seq - seg.first_seq + 1
                    continue
                # what stood at its place, if anything, is off that history: taken back below
                fresh.append((seg, signer))
                continue
            self._reject(
                result,
                seg,
                SignerRevoked.code,
                f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} was signed by a revoked "
                "key and is not on the history the revocation names (its head at the cutoff)",
                seg.last_seq - seg.first_seq + 1,
            )

        with self._tx():
            behind = self._behind()
            if behind is None:
                self._seal_pending()
            self._rewound = {}  # none left from an import that failed
            roles = rejudge.role_changes(self.conn, new_certs)
            for c in new_certs:
                self._store_cert(c)
            for r in new_revs:
                self._store_revocation(r)
            self.conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
            self.conn.execute("PRAGMA defer_foreign_keys = ON")
            self._rewound.update(rejudge.after_role_change(self.conn, self._merger(view), roles))
            new_proofs = [p for p in proofs if equivocation.store(self.conn, p)]
            if new_revs or new_proofs or view.displaced:
                self._forget_revoked_proofs(view)
                self._take_back(view, result, links)
            max_hlc = self._apply_ready(fresh, view, result)
            if self._found_forks:
                # a fork found while applying: freeze, then apply what no longer waits for it
                for proof in self._found_forks:
                    equivocation.store(self.conn, proof)
                self._forget_revoked_proofs(view)
                self._take_back(view, result)
                max_hlc = max(max_hlc, self._apply_ready([], view, result))
                fresh_keys = [(s.origin, s.first_seq) for s, _ in fresh]
                result.held = sum(
                    r[1] - r[0] + 1
                    for k in fresh_keys
                    for r in self.conn.execute(
                        "SELECT first_seq, last_seq FROM _sync_segments WHERE origin = ? "
                        "AND first_seq = ? AND state = 'held'",
                        k,
                    )
                )
            Merger(
                self.conn, self._tracked, self.policy, self._seen_lookup(), self._hlc()
            ).settle_foreign_keys()
            parked_by = [(s.origin, s.first_seq) for s, _ in fresh]  # bounds on what waits
            waiting.bound_parked(
                self.conn, self._merger(view), view, self.site_id, parked_by, result
            )
            own = self._frontiers().get(self.site_id)
            if own is not None:  # this site's own segments, recovered from a peer
                self.conn.execute(
                    "UPDATE _sync_state SET last_seq = ?, head = ? WHERE last_seq < ?",
                    (own[0], own[2], own[0]),
                )
            if behind is not None and self._behind() is None:
                self._seal_pending()
            self.conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
            self.conn.execute(
                "UPDATE _sync_state SET hlc = max(hlc, ?)", (hlcmod.receive(0, max_hlc),)
            )
            if bundle.trust_digest is not None:
                self.conn.execute(
                    "INSERT OR REPLACE INTO _sync_peer_trust (peer, digest) VALUES (?, ?)",
                    (bundle.sender, bundle.trust_digest),
                )
            # the peer's acknowledgements are its vector as it is now (section 9): an origin it
            # no longer names (a whole feed taken back) is acknowledged at 0 and sent again
            self.conn.execute("DELETE FROM _sync_peers WHERE peer = ?", (bundle.sender,))
            for origin, seq in bundle.acks.items():
                self.conn.execute(
                    "INSERT INTO _sync_peers (peer, origin, acked_seq) VALUES (?, ?, ?)",
                    (bundle.sender, origin, seq),
                )
            self._log(result.rejections)
        self._mark_feed()
        return result

    def _log(self, rejections: list[Rejection]) -> None:
        """Keep what was refused or taken back, with why (``rejections()``), in the open tx."""
        for rj in rejections:
            self.conn.execute(
                "INSERT INTO _sync_rejections (at_hlc, origin, first_seq, last_seq, tbl, "
                "row_id, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self._hlc(),
                    rj.origin,
                    rj.first_seq,
                    rj.last_seq,
                    rj.table,
                    rj.row_id,
                    rj.code,
                    rj.reason,
                ),
            )

    def _take_back(
        self, view: TrustView, result: ImportResult, links: list[history.Link] | None = None
    ) -> None:
        """Undo what revoked keys signed after their cutoff, and what lies beyond a forked
        origin's freeze point, that this site had applied (capture off, in the import's
        transaction), so this copy ends where the others stand."""
        frozen = equivocation.freeze_points(self.conn)
        lost = rejudge.displaced_segments(self.conn, view.displaced)
        off = history.not_standing(self.conn, view, links or []) | lost
        done = take_back(self.conn, self._merger(), view, self.site_id, frozen, off)
        self._rewound.update(rejudge.after_take_back(self.conn, self._merger(view), done, off))
        for tb in done:
            if tb.held:
                result.held += tb.changes
                continue
            result.taken_back += tb.changes
            if (tb.origin, tb.first_seq) in lost:
                why = "was signed by a key that lost the site id to a key of higher rank"
                code = TakenBack.code
            elif (tb.origin, tb.first_seq) in off:
                why = (
                    "was signed by a key the root revoked and is not on the history the "
                    "revocation names"
                )
                code = TakenBack.code
            elif tb.last_seq > frozen.get(tb.origin, tb.last_seq):
                # logged by the fork's own code, so nobody reads it as a revocation
                why = (
                    f"site {tb.origin!r} signed two different histories; its feed stands only "
                    f"up to position {frozen[tb.origin]}"
                )
                code = FeedForked.code
            else:
                why = "was signed by a key the root revoked, after the revocation's cutoff"
                code = TakenBack.code
            result.rejections.append(
                Rejection(
                    tb.origin,
                    tb.first_seq,
                    tb.last_seq,
                    code,
                    f"segment {tb.origin}:{tb.first_seq}..{tb.last_seq}: {why}: its changes "
                    "were taken back",
                    changes=tb.changes,
                )
            )

    def _check_proofs(
        self, pairs: list[tuple[Segment, Segment]], view: TrustView, result: ImportResult
    ) -> list[equivocation.ForkProof]:
        """The fork proofs of a bundle that hold here and are new: both segments validly
        signed by a key that signs for their origin, both chains intact, and disagreeing."""
        known = equivocation.known_ids(self.conn)
        out: list[equivocation.ForkProof] = []
        for a, b in pairs:
            if equivocation.pair_id(a, b) in known:
                continue  # kept here already: checked when it came
            try:
                for seg in (a, b):
                    view.signer(seg.signer, seg.origin, seg.last_seq)
                    rev = view.revoked.get(seg.signer)
                    if rev is not None and rev.fixes(seg.last_seq):
                        # the revocation names which history stands: no freeze needed
                        raise SignerRevoked(
                            f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} lies below "
                            "a revocation's cutoff, which decides its history"
                        )
                    seg.verify_signature()
                    seg.columns()
            except SyncError as exc:
                result.rejections.append(
                    Rejection(a.origin, a.first_seq, a.last_seq, exc.code, f"fork proof: {exc}")
                )
                continue
            proof = equivocation.make(a, b)
            if proof is None or proof.id in known:
                continue
            known.add(proof.id)
            out.append(proof)
        return out

    def _reject(self, result: ImportResult, seg: Segment, code: str, reason: str, n: int) -> None:
        result.rejected += n
        result.rejections.append(
            Rejection(seg.origin, seg.first_seq, seg.last_seq, code, reason, changes=n)
        )

    def _apply_ready(
        self, fresh: list[tuple[Segment, Signer]], view: TrustView, result: ImportResult
    ) -> int:
        """Apply every segment that is ready, in causal order; hold the rest.

        A segment is ready when it continues its origin's feed, its clocks are within this
        site's bound, and every change its writer had seen (its ``seen`` vector) is applied
        here: so each change is judged after what its writer knew, whatever the order of
        delivery or the site ids. Segments held earlier are tried again at every import.
        """
        pending: dict[str, dict[int, tuple[Segment, Signer | None]]] = {}
        for seg, signer in fresh:
            pending.setdefault(seg.origin, {})[seg.first_seq] = (seg, signer)
        fresh_keys = {(s.origin, s.first_seq) for s, _ in fresh}
        for origin, blob in self.conn.execute(
            "SELECT origin, blob FROM _sync_segments WHERE state = 'held'"
        ).fetchall():
            held = Segment.decode(blob)
            pending.setdefault(origin, {}).setdefault(held.first_seq, (held, None))
        frontiers = self._frontiers()
        revoked_cutoffs = _revoked_cutoffs(view)
        cutoffs = dict(revoked_cutoffs)
        frozen = equivocation.freeze_points(self.conn)
        self._found_forks = []
        bound = hlcmod.bound()
        merger = self._merger(view)
        rank_of = merger.rank_of
        # segments rewound by an authority change they had not seen, applied again below
        again, self._rewound = self._rewound, {}
        handled: set[tuple[tuple[str, int], tuple[str, int]]] = set()
        skip = set() if self.my_signer() is not None else {self.site_id}
        max_hlc = 0
        progress = True
        while progress:
            progress = False
            for origin in sorted(pending):
                queue = pending[origin]
                while True:
                    seq, _h, head = frontiers.get(origin, (0, 0, ZERO_HASH))
                    item = queue.get(seq + 1)
                    if item is None:
                        break
                    seg, maybe_signer = item
                    n = seg.last_seq - seg.first_seq + 1
                    is_fresh = (seg.origin, seg.first_seq) in fresh_keys
                    if seg.prev_hash != head:
                        queue.pop(seq + 1)
                        self._drop_held(seg, is_fresh)
                        proof = None
                        try:
                            view.signer(seg.signer, seg.origin, seg.last_seq)
                            proof = equivocation.find(self.conn, seg)
                        except TrustError:
                            pass
                        if proof is not None:
                            self._found_forks.append(proof)
                            self._reject(result, seg, FeedForked.code, proof.describe(), n)
                            break
                        self._reject(
                            result,
                            seg,
                            ChainBroken.code,
                            f"segment {origin}:{seg.first_seq}..{seg.last_seq} does not follow "
                            f"the feed head {head.hex()[:16]}…",
                            n,
                        )
                        break
                    if maybe_signer is None:
                        try:
                            signer = view.signer(seg.signer, seg.origin, seg.last_seq)
                        except TrustError as exc:
                            queue.pop(seq + 1)
                            self._drop_held(seg, is_fresh)
                            self._reject(result, seg, exc.code, str(exc), n)
                            break
                    else:
                        signer = maybe_signer
                    # clocks at the type's limit are refused row by row when it applies
                    hlcs = seg.columns().hlcs
                    newest = max(hlcs, default=0)
                    if newest >= hlcmod.LIMIT:
                        newest = max((h for h in hlcs if h < hlcmod.LIMIT), default=0)
                    if newest > bound:
                        result.clock_ahead_ms = max(
                            result.clock_ahead_ms, hlcmod.to_millis(newest - bound)
                        )
                        result.notes.append(
                            Rejection(
                                origin,
                                seg.first_seq,
                                seg.last_seq,
                                ClockAhead.code,
                                f"segment {origin}:{seg.first_seq}..{seg.last_seq} is dated "
                                f"{hlcmod.format_hlc(newest)}, more than "
                                f"{hlcmod.MAX_SKEW_MS // 60000} minutes after this site's "
                                "clock; held until this site's clock reaches it",
                                changes=n,
                            )
                        )
                        break
                    for o, at in frozen.items():
                        # nobody waits for a forked origin beyond its freeze point, nor for a
                        # part of it below that cannot apply here now (section 4a)
                        fseq = frontiers.get(o, (0, 0, ZERO_HASH))[0]
                        nxt = pending.get(o, {}).get(fseq + 1)
                        ready = nxt is not None and nxt[0].last_seq <= at
                        cutoffs[o] = min(revoked_cutoffs.get(o, at), at) if ready else 0
                    if _waits_for(seg, frontiers, cutoffs):
                        break  # its writer had seen changes not applied here yet
                    queue.pop(seq + 1)
                    self._store_segment(seg, "applied")
                    outcome = merger.apply(seg, signer, _seen_backwards(self.conn, seg, cutoffs))
                    self._advance(seg)
                    frontiers[origin] = (seg.last_seq, seg.last_hlc, seg.head)
                    progress = True
                    max_hlc = max(max_hlc, outcome.max_hlc)
                    redo = again.pop((seg.origin, seg.first_seq), None)
                    if redo is None:
                        result.applied += outcome.applied
                        result.conflicts += outcome.conflicts
                        result.segments_applied += 1
                        result.rejected += outcome.refused_changes
                    _report(result, seg, outcome.refused, redo)
                    if self.authority is None or rank_of is None:
                        continue
                    record_reads(self.conn, seg, outcome.reads)
                    if not outcome.authority_rows:
                        continue
                    refused_now = {
                        (r.origin, r.first_seq, r.table, r.row_id)
                        for r in result.rejections
                        if r.table is not None and r.row_id is not None
                    }
                    for back in rewind_concurrent(
                        self.conn,
                        merger,
                        seg,
                        self.authority(signer),
                        outcome.authority_rows,
                        rank_of,
                        self.site_id,
                        skip,
                        refused_now,
                        handled,
                    ):
                        s = back.segment
                        pending.setdefault(s.origin, {})[s.first_seq] = (s, None)
                        again[(s.origin, s.first_seq)] = back
                        frontiers = self._frontiers()
        for origin, queue in pending.items():
            kept, size = 0, 0
            for first in sorted(queue):
                seg, _signer = queue[first]
                n = seg.last_seq - seg.first_seq + 1
                is_fresh = (origin, seg.first_seq) in fresh_keys
                blob = len(seg.encode())
                # the earliest wait, within the origin's bounds; the first one always may
                if kept and (kept >= MAX_HELD_SEGMENTS or size + blob > MAX_HELD_BYTES):
                    self._drop_held(seg, is_fresh)
                    self._reject(
                        result,
                        seg,
                        HeldLimit.code,
                        f"segment {origin}:{seg.first_seq}..{seg.last_seq} cannot apply here yet "
                        f"and site {origin!r} already has {kept} segments ({size} bytes) "
                        f"waiting here, the most a copy keeps ({MAX_HELD_SEGMENTS} segments, "
                        f"{MAX_HELD_BYTES} bytes); it will be taken when the gap fills",
                        n,
                    )
                    continue
                kept, size = kept + 1, size + blob
                if is_fresh:
                    self._store_segment(seg, "held")
                    result.held += n
        return max_hlc

    def _drop_held(self, seg: Segment, is_fresh: bool) -> None:
        if not is_fresh:
            self.conn.execute(
                "DELETE FROM _sync_segments WHERE origin = ? AND first_seq = ?",
                (seg.origin, seg.first_seq),
            )

    # ------------------------------------------------------------------ conflicts

    def conflicts(self, include_resolved: bool = False) -> list[Conflict]:
        sql = (
            "SELECT id, tbl, row_id, col, kept_value, kept_origin, kept_hlc, lost_value, "
            "lost_origin, lost_hlc, resolved FROM _sync_conflicts"
        )
        if not include_resolved:
            sql += " WHERE resolved IS NULL"
        return [Conflict(*row) for row in self.conn.execute(sql + " ORDER BY id")]

    def resolve_conflict(self, conflict_id: int, keep: str = "other") -> None:
        """``keep="other"`` writes the losing value as a new local change (so it propagates);
        ``keep="current"`` just marks the conflict resolved."""
        row = self.conn.execute(
            "SELECT tbl, row_id, col, lost_value FROM _sync_conflicts "
            "WHERE id = ? AND resolved IS NULL",
            (conflict_id,),
        ).fetchone()
        if row is None:
            raise UnknownConflict(f"no open conflict with id {conflict_id!r}", id=conflict_id)
        if keep not in ("other", "current"):
            raise UsageError(f"keep must be 'other' or 'current', not {keep!r}")
        tbl, row_id, col, lost = row
        with self._tx():
            if keep == "other":
                pk = self._tracked[tbl][0]
                cur = self.conn.execute(
                    f'UPDATE "{tbl}" SET "{col}" = ? WHERE "{pk}" = ?', (lost, row_id)
                )
                if cur.rowcount != 1:
                    raise UnknownConflict(
                        f"conflict {conflict_id}: row {row_id!r} of {tbl!r} no longer exists",
                        id=conflict_id,
                    )
            self.conn.execute(
                "UPDATE _sync_conflicts SET resolved = ? WHERE id = ?", (keep, conflict_id)
            )

    # ------------------------------------------------------------------ status

    def rejections(self, limit: int = 100) -> list[dict[str, Any]]:
        cols = ["origin", "first_seq", "last_seq", "table", "row_id", "code", "reason"]
        return [
            dict(zip(cols, r, strict=True))
            for r in self.conn.execute(
                "SELECT origin, first_seq, last_seq, tbl, row_id, code, reason "
                "FROM _sync_rejections ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        ]

    def status(self) -> dict[str, Any]:
        me = self.my_signer()
        pending = self.conn.execute("SELECT count(*) FROM _sync_pending").fetchone()[0]
        held = self.conn.execute(
            "SELECT origin, first_seq, last_seq FROM _sync_segments WHERE state = 'held' "
            "ORDER BY origin, first_seq"
        ).fetchall()
        peers: dict[str, dict[str, int]] = {}
        for p, o, s in self.conn.execute("SELECT peer, origin, acked_seq FROM _sync_peers"):
            peers.setdefault(p, {})[o] = s
        return {
            "site_id": self.site_id,
            "fingerprint": fingerprint(self.key.public),
            "root_fingerprint": self.root_fingerprint(),
            "role": me.role if me else None,
            "units": list(me.scope) if me else [],
            "tracked_tables": self.tracked_tables,
            "unsealed_changes": pending,
            "vector": self.vector(),
            "held": [{"origin": o, "first_seq": f, "last_seq": last} for o, f, last in held],
            "peers": peers,
            "open_conflicts": len(self.conflicts()),
            "forked": equivocation.freeze_points(self.conn),
            "rejections": self.conn.execute("SELECT count(*) FROM _sync_rejections").fetchone()[0],
        }


#: Entries and value bytes of one sealed segment, well inside what every reader accepts
#: (``limits.MAX_SEGMENT_ENTRIES``, ``limits.MAX_SEGMENT_BODY``).
SEAL_MAX_ENTRIES = 200_000
SEAL_MAX_BYTES = 16 * 1024 * 1024


def _seal_chunks(rows: list[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    """Pending changes cut into runs that each seal into a segment every reader accepts."""
    start, size = 0, 0
    for i, row in enumerate(rows):
        value = row[5]
        cost = 16 + len(row[3]) + (len(value) if isinstance(value, (str, bytes)) else 9)
        if i > start and (i - start >= SEAL_MAX_ENTRIES or size + cost > SEAL_MAX_BYTES):
            yield rows[start:i]
            start, size = i, 0
        size += cost
    yield rows[start:]


def _link(seg: Segment) -> history.Link:
    return history.Link(
        seg.origin, seg.first_seq, seg.last_seq, seg.prev_hash, seg.head, seg.signer
    )


def _local_segment(site_id: str, rows: list[tuple[Any, ...]]) -> Segment:
    """This site's uncommitted changes shaped as a segment, for the policy (never signed)."""
    cols = Columns(*(list(map(itemgetter(k), rows)) for k in range(1, 6)))
    return Segment(
        origin=site_id,
        signer=b"",
        first_seq=1,
        last_seq=len(rows),
        prev_hash=ZERO_HASH,
        head=ZERO_HASH,
        seen={},
        codec=CODEC_ZLIB,
        raw_len=0,
        body=b"",
        sig=b"",
        _columns=cols,
    )


def _waits_for(
    seg: Segment, frontiers: dict[str, tuple[int, int, bytes]], cutoffs: dict[str, int]
) -> bool:
    """Whether the segment's writer had seen changes of another origin not applied here yet.

    A ``seen`` clock after the segment's own first change cannot be true (a site's clock passes
    every clock it receives); such claims are ignored, so a forged vector cannot hold a feed.
    Nobody waits for a revoked site beyond its cutoff: nothing after it applies anywhere.
    """
    first = seg.first_hlc
    return any(
        frontiers.get(o, (0, 0, b""))[1] < h
        and frontiers.get(o, (0, 0, b""))[0] < cutoffs.get(o, hlcmod.LIMIT)
        for o, h in seg.seen.items()
        if o != seg.origin and isinstance(h, int) and h <= first
    )


def _proof_stands(view: TrustView, proof: equivocation.ForkProof) -> bool:
    """Whether a fork proof holds under the revocations known: as ``_check_proofs`` judges a
    received one, a segment a revocation covers or fixes is never part of a proof."""
    for seg in (proof.a, proof.b):
        rev = view.revoked.get(seg.signer)
        if rev is not None and (rev.fixes(seg.last_seq) or rev.covers(seg.last_seq)):
            return False
    return True


def _seen_backwards(
    conn: sqlite3.Connection, seg: Segment, cutoffs: dict[str, int]
) -> tuple[str, str] | None:
    """Why every row of ``seg`` is refused when its ``seen`` claims less of some origin than
    the segment before it in the same feed (a writer's view never goes back; SPEC section 12);
    None when it does not. Revoked sites, whose work may be taken back, are not compared."""
    if seg.first_seq <= 1:
        return None
    row = conn.execute(
        "SELECT seen FROM _sync_segments WHERE origin = ? AND last_seq = ? AND state = 'applied'",
        (seg.origin, seg.first_seq - 1),
    ).fetchone()
    if row is None:
        return None
    before = json.loads(row[0])
    back = sorted(
        o
        for o, h in before.items()
        if o not in cutoffs and isinstance(h, int) and h > seg.seen.get(o, 0)
    )
    if not back:
        return None
    return (
        SeenBackwards.code,
        f"segment {seg.origin}:{seg.first_seq}..{seg.last_seq} claims to have seen less of "
        f"site {back[0]!r} than the segment before it in the same feed: a writer's view never "
        "goes back, so none of its changes apply",
    )


def _report(
    result: ImportResult, seg: Segment, refused: list[Refusal], redo: Rewound | None
) -> None:
    """Add a segment's refusals to the result. A segment applied again after an authority
    change it had not seen replaces what it reported before; a row of it refused now that
    stood before is reported as overruled (taken back), with the policy's reason."""
    if redo is not None:
        result.rejections[:] = [
            r
            for r in result.rejections
            if not (r.origin == seg.origin and r.first_seq == seg.first_seq and r.row_id)
        ]
    per_row: dict[tuple[str, str], int] = {}
    if redo is not None and refused:
        _h, tables, row_ids, _c, _v = seg.columns()
        for k in zip(tables, row_ids, strict=True):
            per_row[k] = per_row.get(k, 0) + 1
    for ref in refused:
        code = ref.code
        n = 0
        key = (str(ref.table), str(ref.row_id))
        if redo is not None and key not in redo.refused_before:
            code = Overruled.code
            n = per_row.get(key, 0)
            result.taken_back += n
        result.rejections.append(
            Rejection(
                ref.origin,
                ref.first_seq,
                ref.last_seq,
                code,
                ref.reason,
                ref.table,
                ref.row_id,
                changes=n,
            )  # fmt: skip
        )


def _revoked_cutoffs(view: TrustView) -> dict[str, int]:
    """Sites whose every certified key is revoked, with the last sequence of their feed that
    can still apply anywhere (the highest cutoff of their keys' revocations)."""
    alive = {c.site for c in view.certs.values() if c.key not in view.revoked}
    cutoffs: dict[str, int] = {}
    for r in view.revoked.values():
        if r.site not in alive:
            cutoffs[r.site] = max(cutoffs.get(r.site, 0), r.upto)
    return cutoffs


def trust_digest(certs: list[Certificate], revs: list[Revocation]) -> str:
    """Names the set of certificates and revocations a site holds (sent in every header)."""
    h = hashlib.sha256()
    for body in sorted([c.body for c in certs] + [r.body for r in revs]):
        h.update(hashlib.sha256(body).digest())
    return h.hexdigest()[:32]


def cells_snapshot(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """All winning cells (for tests comparing copies)."""
    return conn.execute(
        "SELECT tbl, row_id, col, value, hlc, origin FROM _sync_cells ORDER BY tbl, row_id, col"
    ).fetchall()


__all__ = [
    "Conflict",
    "Engine",
    "ImportResult",
    "Rejection",
    "SyncError",
    "TOMBSTONE",
    "TableSpec",
]
