"""Synchronisation use cases: open the sync engine on a workspace, trust, export, import, carriers.

The engine (package ``sync``) knows nothing of tasks; this module gives it the app's tables and
the plan's policy (``sync_policy``), and keeps the site's private keys in a folder beside the
database (``<db>.keys/``), never inside it, so a copy of the database never holds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.domain.errors import CchcError, InvalidInput
from cchc.domain.roles import ROLES as DOMAIN_ROLES
from cchc.services.permissions import unit_authority
from cchc.services.sync_policy import JUDGED_COLUMNS, TRACKED_TABLES, plan_policy
from cchc.services.tasks import resolve_unit
from cchc.services.workspace import Workspace
from cchc.store.uow import set_commit_guard
from sync import Engine, ImportResult, Signer, TableSpec
from sync.errors import SyncError, UsageError
from sync.signing import public_from_hex
from sync.transport import (
    PartStore,
    SmtpConfig,
    TransportError,
    bundle_file_name,
    gather,
    send_emails,
    write_atomic,
    write_emails,
    write_parts,
)
from sync.transport import pull as http_pull
from sync.transport import push as http_push

ROLES = DOMAIN_ROLES


class ChangeRefused(CchcError):
    """This laptop's change lies outside what its role may write: the other copies would refuse
    it on import, so it is not recorded (``params['reason']`` says why, in Vietnamese)."""

    key = "change_refused"


HUB_SETTING = "sync_hub_site:"


def key_dir_for(db_path: Path) -> Path:
    """The folder of this database's private keys: ``<db file name>.keys`` beside it."""
    return db_path.with_name(db_path.name + ".keys")


def parts_dir_for(db_path: Path) -> Path:
    """Where parts of bundles wait until every part has arrived."""
    return db_path.with_name(db_path.name + ".parts")


def open_engine(ws: Workspace) -> Engine:
    """The engine on this workspace: tables tracked (those present), the plan's policy set."""
    engine = Engine(ws.db.conn, key_dir_for(ws.path))
    present = {
        name
        for (name,) in ws.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for table in TRACKED_TABLES:
        if table in present:
            engine.track(TableSpec(table, judged=JUDGED_COLUMNS.get(table, ())))
    engine.set_policy(plan_policy)
    return engine


def install_capture(ws: Workspace) -> None:
    """Make sure every write to the tracked tables is captured from now on (cheap when it is),
    and that every transaction of the app is judged, before it commits, by the rule the other
    copies apply on import (``sync_policy``): a change they would refuse is never recorded.

    Called by ``Workspace.open`` so that edits made before the first exchange are not missed.
    """
    engine = open_engine(ws)

    def guard() -> Callable[[], None]:
        mark = engine.pending_mark()

        def check() -> None:
            signer = local_signer(ws, engine)
            if signer is None:
                return
            refused = engine.judge_local(mark, signer)
            if refused:
                raise ChangeRefused(
                    "change_refused",
                    reason="; ".join(dict.fromkeys(r.reason for r in refused)),
                )

        return check

    set_commit_guard(ws.db, guard)


def local_signer(ws: Workspace, engine: Engine) -> Signer | None:
    """Who this laptop's changes are judged as: its certificate; before it is certified, the
    unit it is set to, with the role that unit implies (services.permissions, what the city
    will certify it as); nobody when neither is known (a fresh laptop, or the city before it
    makes its root)."""
    me = engine.my_signer()
    if me is not None:
        return me
    found = unit_authority(ws)
    if found is None:
        return None
    return Signer(site=engine.site_id, key=engine.key.public, role=found.role, scope=found.scope)


@contextmanager
def capture_suppressed(ws: Workspace) -> Iterator[None]:
    """Writes inside are not sent to other sites (for data every laptop loads identically).

    Works whether or not the engine was ever opened on this database; runs inside the caller's
    transaction if one is open.
    """
    conn = ws.db.conn
    has_engine = conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_sync_state'").fetchone()
    if not has_engine:
        yield
        return
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE _sync_state SET capture_off = capture_off + 1")
    try:
        yield
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        else:
            conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
        raise
    conn.execute("UPDATE _sync_state SET capture_off = capture_off - 1")
    if own:
        conn.execute("COMMIT")


# ---------------------------------------------------------------------- keys and trust


def identity(ws: Workspace) -> dict[str, str]:
    """``site_id``, ``public_key``, ``enc_key`` and ``fingerprint`` of this laptop."""
    return open_engine(ws).identity()


def init_root(ws: Workspace) -> dict[str, str]:
    """Make this database the city root; returns its fingerprint (to read out to units)."""
    engine = open_engine(ws)
    fp = engine.init_root()
    return {"root_fingerprint": fp, "site_id": engine.site_id}


def _unit_codes(ws: Workspace, units: Sequence[str]) -> list[str]:
    codes = []
    for text in units:
        codes.append("*" if text == "*" else str(resolve_unit(ws, text)["code"]))
    return codes


def certify(
    ws: Workspace,
    *,
    site_id: str,
    public_key: str,
    units: Sequence[str],
    role: str,
    out: Path,
    enc_key: str | None = None,
) -> Path:
    """Root only: certify a laptop's key for units and a role; write the trust file to ``out``."""
    if role not in ROLES:
        raise InvalidInput("invalid_input", value=f"role {role!r}")
    try:
        key = public_from_hex(public_key)
        enc = public_from_hex(enc_key, "encryption key") if enc_key else None
    except SyncError as exc:
        raise InvalidInput("invalid_input", value=f"public key {public_key!r}") from exc
    codes = _unit_codes(ws, units)
    data = open_engine(ws).certify(site_id, key, codes, role, enc)
    return write_atomic(out, data)


def install_trust(ws: Workspace, path: Path, root_fingerprint: str) -> dict[str, Any]:
    """Install the root (its fingerprint must match what was read out) and the certificates."""
    return open_engine(ws).install_trust(Path(path).read_bytes(), root_fingerprint)


def revoke(ws: Workspace, site_id: str) -> int:
    """Root only: revoke every key of a laptop; returns how many keys."""
    return open_engine(ws).revoke(site_id)


# ---------------------------------------------------------------------- export and import


def export_bundle(ws: Workspace, peer: str | None = None, encrypt_to: str | None = None) -> bytes:
    return open_engine(ws).export_bundle(peer, encrypt_to=encrypt_to)


def export_to(
    ws: Workspace,
    to_dir: Path,
    *,
    peer: str | None = None,
    part_size: int | None = None,
    encrypt_to: str | None = None,
) -> list[Path]:
    """Write a bundle (atomically; in numbered parts with ``part_size``) into ``to_dir``."""
    engine = open_engine(ws)
    data = engine.export_bundle(peer, encrypt_to=encrypt_to)
    folder = Path(to_dir)
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"cchc-{engine.site_id[:8]}"
    if part_size:
        return write_parts(folder, data, part_size, prefix=prefix)
    return [write_atomic(folder / bundle_file_name(prefix, data), data)]


@dataclass
class FileOutcome:
    """What happened to one input (a bundle file, a part, an .eml): result or refusal."""

    source: str
    result: ImportResult | None = None
    error_code: str | None = None
    error: str | None = None
    staged: bool = False

    @property
    def rejected(self) -> bool:
        return self.error is not None or (self.result is not None and self.result.rejected > 0)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        if self.result is not None:
            out.update(self.result.as_dict())
        elif self.error is not None:
            out.update(
                {
                    "applied": 0,
                    "duplicate": 0,
                    "held": 0,
                    "rejected": 1,
                    "error_code": self.error_code,
                    "reason": self.error,
                }
            )
        else:
            out.update({"applied": 0, "duplicate": 0, "held": 0, "rejected": 0})
        out["staged_part"] = self.staged
        return out


@dataclass
class ImportReport:
    """Every input's outcome, and the bundles still waiting for parts."""

    files: list[FileOutcome] = field(default_factory=list)
    waiting: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(f.rejected for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {"files": [f.as_dict() for f in self.files], "waiting": self.waiting}


EXCHANGE_LOG_PREFIX = "sync_last_exchange:"


def record_exchange(ws: Workspace, site_id: str, how: str) -> None:
    """Remember (per laptop, never synchronised) that this laptop exchanged with `site_id` now."""
    if site_id:
        ws.set_setting(EXCHANGE_LOG_PREFIX + site_id, json.dumps({"at": ws.now_iso(), "how": how}))


def import_paths(ws: Workspace, paths: Sequence[Path]) -> ImportReport:
    """Import bundle files, parts (any order, across calls) and saved .eml files."""
    from cchc.texts.sync import sync_message

    engine = open_engine(ws)
    store = PartStore(parts_dir_for(ws.path))
    got = gather([Path(p) for p in paths], store)
    report = ImportReport()
    for refused in got.refused:
        report.files.append(
            FileOutcome(refused.source, error_code="transport", error=str(refused.error))
        )
    for arrived in got.bundles:
        try:
            result = engine.import_bundle(arrived.data)
            report.files.append(FileOutcome(arrived.source, result=result))
            record_exchange(ws, result.sender, "import")  # verified, even if it held nothing new
        except SyncError as exc:
            report.files.append(
                FileOutcome(arrived.source, error_code=exc.code, error=sync_message(exc))
            )
    for source in got.duplicates:
        report.files.append(FileOutcome(source, result=ImportResult(sender="")))
    for source in got.staged:
        report.files.append(FileOutcome(source, staged=True))
    report.waiting = [
        {"bundle": w.bundle_sha256[:8], "count": w.count, "missing": list(w.missing)}
        for w in got.waiting
    ]
    return report


def import_bytes(ws: Workspace, data: bytes) -> ImportResult:
    return open_engine(ws).import_bundle(data)


# ---------------------------------------------------------------------- status and conflicts


def status(ws: Workspace) -> dict[str, Any]:
    return open_engine(ws).status()


def conflicts(ws: Workspace) -> list[dict[str, Any]]:
    return [c.__dict__ for c in open_engine(ws).conflicts()]


def resolve(ws: Workspace, conflict_id: int, keep: str = "other") -> None:
    open_engine(ws).resolve_conflict(conflict_id, keep=keep)


# ---------------------------------------------------------------------- carriers


def write_email(
    ws: Workspace,
    *,
    to: str,
    out: Path,
    part_size: int | None = None,
    peer: str | None = None,
) -> list[Path]:
    """Write ``.eml`` files (one per part) ready to open in a mail client and send."""
    return email_bundle(ws, to=to, out=out, part_size=part_size, peer=peer)[0]


def email_bundle(
    ws: Workspace,
    *,
    to: str,
    out: Path,
    part_size: int | None = None,
    peer: str | None = None,
    smtp: SmtpConfig | None = None,
) -> tuple[list[Path], int]:
    """Write the ``.eml`` files and, when SMTP is given, send the same messages too.

    Returns the files written and how many messages were sent.
    """
    engine = open_engine(ws)
    data = engine.export_bundle(peer)
    sender = f"cchc-{engine.site_id[:8]}@localhost"
    kwargs: dict[str, Any] = {"to": to, "sender": sender, "prefix": f"cchc-{engine.site_id[:8]}"}
    if part_size:
        kwargs["part_size"] = part_size
    Path(out).mkdir(parents=True, exist_ok=True)
    paths = write_emails(out, data, **kwargs)
    sent = send_emails(data, smtp, **kwargs) if smtp is not None else 0
    return paths, sent


def _hub_key(url: str) -> str:
    return HUB_SETTING + url.rstrip("/")


def push(ws: Workspace, url: str) -> dict[str, Any]:
    """Send the hub what it has not acknowledged; resumes a cut transfer."""
    engine = open_engine(ws)
    hub_site = ws.setting(_hub_key(url))
    data = engine.export_bundle(hub_site)
    sent = http_push(url, data, engine.site_id)
    result = dict(sent.result)
    if result.get("hub_site_id"):
        ws.set_setting(_hub_key(url), str(result["hub_site_id"]))
        record_exchange(ws, str(result["hub_site_id"]), "push")
    result.update({"sha256": sent.sha256, "size": sent.size, "resumes": sent.resumes})
    return result


def pull(ws: Workspace, url: str) -> dict[str, Any]:
    """Fetch what the hub holds for this laptop and import it; resumes a cut transfer."""
    engine = open_engine(ws)
    dest = parts_dir_for(ws.path) / "pulled.cchc"
    dest.parent.mkdir(parents=True, exist_ok=True)
    got = http_pull(url, engine.site_id, dest)
    if got.path is None:
        return {"applied": 0, "duplicate": 0, "held": 0, "rejected": 0, "nothing": True}
    try:
        result = engine.import_bundle(got.path.read_bytes())
    finally:
        got.path.unlink(missing_ok=True)
    ws.set_setting(_hub_key(url), result.sender)
    record_exchange(ws, result.sender, "pull")
    out = result.as_dict()
    out.update({"sha256": got.sha256, "size": got.size, "resumes": got.resumes})
    return out


class Hub:
    """The city's HTTP hub bound to a database file: each request opens its own connection."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)

    def on_bundle(self, data: bytes, sender: str) -> dict[str, Any]:
        from cchc.texts.sync import sync_message

        ws = Workspace.open(self.db_path)
        try:
            engine = open_engine(ws)
            try:
                result = engine.import_bundle(data).as_dict()
            except SyncError as exc:
                result = {
                    "applied": 0,
                    "duplicate": 0,
                    "held": 0,
                    "rejected": 1,
                    "error_code": exc.code,
                    "reason": sync_message(exc),
                }
            result["hub_site_id"] = engine.site_id
            return result
        finally:
            ws.close()

    def bundle_for(self, peer: str) -> bytes:
        ws = Workspace.open(self.db_path)
        try:
            return open_engine(ws).export_bundle(peer)
        finally:
            ws.close()


def serve(ws: Workspace, host: str, port: int, ready: Any = None) -> None:
    """Run the hub on this database until interrupted."""
    from sync.transport import serve as http_serve

    open_engine(ws)  # create keys and tables before the first request
    hub = Hub(ws.path)
    staging = ws.path.with_name(ws.path.name + ".hub")
    http_serve(hub.on_bundle, hub.bundle_for, staging, host=host, port=port, ready=ready)


__all__ = [
    "FileOutcome",
    "ImportReport",
    "Hub",
    "TransportError",
    "UsageError",
    "capture_suppressed",
    "install_capture",
    "certify",
    "conflicts",
    "export_to",
    "identity",
    "import_paths",
    "init_root",
    "install_trust",
    "key_dir_for",
    "open_engine",
    "pull",
    "push",
    "resolve",
    "revoke",
    "serve",
    "status",
    "email_bundle",
    "write_email",
]
