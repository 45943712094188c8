"""Synchronisation use cases: open the sync engine on a workspace, trust, export, import, carriers.

The engine (package ``sync``) knows nothing of tasks; this module gives it the app's tables and
the plan's policy (``sync_policy``), and keeps the site's private keys in a folder beside the
database (``<db>.keys/``), never inside it, so a copy of the database never holds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.domain.email_address import checked_address
from cchc.domain.errors import CchcError, InvalidInput
from cchc.domain.roles import ROLES as DOMAIN_ROLES
from cchc.services.free_names import write_new_files
from cchc.services.import_summary import (
    arrived_rows,
    count_by_sender,
    feed_mark,
    task_ids,
    trust_mark,
    trust_since,
)
from cchc.services.permissions import unit_authority
from cchc.services.sync_policy import (
    JUDGED_COLUMNS,
    TRACKED_TABLES,
    authority_rank,
    plan_policy,
)
from cchc.services.tasks import resolve_unit
from cchc.services.workspace import Workspace
from cchc.store.uow import set_commit_guard
from sync import Engine, ImportResult, Signer, TableSpec
from sync import reading as sync_reading
from sync.encoding import json_depth
from sync.engine import TRUST_MAGIC
from sync.errors import Malformed, SiteTaken, SyncError, TooLarge, UnknownSite, UsageError
from sync.limits import MAX_JSON_DEPTH, MAX_RECIPIENTS, MAX_TRUST_FILE_BYTES
from sync.signing import public_from_hex
from sync.transport import (
    AddResult,
    ClientIdentity,
    HubLimits,
    PartStore,
    SmtpConfig,
    TransportError,
    build_messages,
    bundle_file_name,
    gather,
    hub_info,
    part_name,
    send_emails,
    sha256_hex,
    split,
    write_atomic,
)
from sync.transport import pull as http_pull
from sync.transport import push as http_push
from sync.transport.email import eml_name
from sync.transport.parts import Part

ROLES = DOMAIN_ROLES


class ChangeRefused(CchcError):
    """This laptop's change lies outside what its role may write: the other copies would refuse
    it on import, so it is not recorded (``params['reason']`` says why, in Vietnamese)."""

    key = "change_refused"


HUB_SETTING = "sync_hub_site:"
#: This laptop's clock when its data last left it (export, e-mail files, push): what lies above
#: is the "chưa gửi" queue (``services.send_queue``).
SENT_MARK_KEY = "sync_sent_clock"
#: Where the certificates and revocations held here ended when data last left this laptop.
SENT_TRUST_KEY = "sync_sent_trust"
HUB_FINGERPRINT_SETTING = "sync_hub_fingerprint:"


def key_dir_for(db_path: Path) -> Path:
    """The folder of this database's private keys: ``<db file name>.keys`` beside it."""
    return db_path.with_name(db_path.name + ".keys")


def parts_dir_for(db_path: Path) -> Path:
    """Where parts of bundles wait until every part has arrived."""
    return db_path.with_name(db_path.name + ".parts")


def open_engine(ws: Workspace) -> Engine:
    """The engine on this workspace: tables tracked (those present), the plan's policy set.
    Built once per workspace and kept on it (see `cchc.services.door`)."""
    if ws.engine is not None:
        return ws.engine
    engine = Engine(ws.db.conn, key_dir_for(ws.path))
    present = {
        name
        for (name,) in ws.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    for table in TRACKED_TABLES:
        if table in present:
            engine.track(TableSpec(table, judged=JUDGED_COLUMNS.get(table, ())))
    engine.set_policy(plan_policy)
    engine.set_authority(authority_rank)
    ws.engine = engine
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
                    "change_refused", reasons=list(dict.fromkeys(r.reason for r in refused))
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
    with sync_reading.capture_suppressed(ws.db.conn):
        yield


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
    hub_url: str | None = None,
    hub_fingerprint: str | None = None,
    replace_key: bool = False,
) -> Path:
    """Root only: certify a laptop's key for units and a role; write the trust file to ``out``.

    A laptop's site id belongs to one key: if another laptop's key holds it, this is refused
    naming that laptop (its fingerprint) and its units, unless ``replace_key`` says the laptop
    changed its key, which revokes the old one.

    With ``hub_url`` and ``hub_fingerprint`` the file also tells the laptop where the city's hub
    is and which TLS certificate it shows, so both travel with the root fingerprint's check.
    """
    hub = _hub_entry(hub_url, hub_fingerprint)
    if role not in ROLES:
        raise InvalidInput("invalid_input", value=f"role {role!r}")
    try:
        key = public_from_hex(public_key)
        enc = public_from_hex(enc_key, "encryption key") if enc_key else None
    except SyncError as exc:
        raise InvalidInput("invalid_input", value=f"public key {public_key!r}") from exc
    codes = _unit_codes(ws, units)
    try:
        data = open_engine(ws).certify(site_id, key, codes, role, enc, replace_key=replace_key)
    except SiteTaken as exc:
        held = [str(u) for u in exc.params.get("units", [])]
        names = dict(ws.db.conn.execute("SELECT code, name FROM units").fetchall())
        raise InvalidInput(
            "site_taken",
            site_id=site_id,
            fingerprint=str(exc.params.get("fingerprint", "")),
            units=", ".join("mọi đơn vị" if u == "*" else str(names.get(u, u)) for u in held),
        ) from exc
    if hub is not None:
        obj = json.loads(data[len(TRUST_MAGIC) :])
        obj["hub"] = hub  # readers of the trust format ignore fields they do not know
        data = TRUST_MAGIC + b"\n" + json.dumps(obj, indent=1, sort_keys=True).encode() + b"\n"
    return write_atomic(out, data)


def read_trust_file(path: Path) -> bytes:
    """The bytes of a trust file, bounded before they are read or parsed: at most
    ``MAX_TRUST_FILE_BYTES``, starting with the trust file's mark, JSON nested at most
    ``MAX_JSON_DEPTH`` deep. Refusals never quote the file's bytes."""
    with Path(path).open("rb") as f:
        data = f.read(MAX_TRUST_FILE_BYTES + 1)
    if len(data) > MAX_TRUST_FILE_BYTES:
        raise TooLarge(
            f"trust file {str(path)!r} is above the limit of {MAX_TRUST_FILE_BYTES} bytes",
            limit=MAX_TRUST_FILE_BYTES,
        )
    if not data.startswith(TRUST_MAGIC):
        raise Malformed(f"{str(path)!r} is not a trust file (it does not start with its mark)")
    if json_depth(data[len(TRUST_MAGIC) :], MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise TooLarge(
            f"trust file {str(path)!r}: JSON nested deeper than {MAX_JSON_DEPTH} levels",
            limit=MAX_JSON_DEPTH,
        )
    return data


def _hub_entry(url: str | None, fingerprint: str | None) -> dict[str, str] | None:
    """The hub's address and certificate fingerprint, checked, for a trust file (or None)."""
    from sync.transport.http import check_url
    from sync.transport.tls import normalize_fingerprint

    if not url and not fingerprint:
        return None
    if not url or not fingerprint:
        raise InvalidInput("invalid_input", value="--hub-url và --hub-fingerprint đi cùng nhau")
    check_url(url, insecure_http=True)
    return {"url": url.strip().rstrip("/"), "fingerprint": normalize_fingerprint(fingerprint)}


def _hub_in_trust_file(data: bytes) -> dict[str, str] | None:
    """The hub entry of a trust file, checked; None when it has none (or is not readable JSON,
    which the engine then refuses with its own message)."""
    try:
        obj = json.loads(data[len(TRUST_MAGIC) :])
    except ValueError:
        return None
    hub = obj.get("hub") if isinstance(obj, dict) else None
    if hub is None:
        return None
    if not isinstance(hub, dict):
        raise InvalidInput("invalid_input", value="trust file: hub")
    return _hub_entry(str(hub.get("url") or ""), str(hub.get("fingerprint") or ""))


def install_trust(ws: Workspace, path: Path, root_fingerprint: str) -> dict[str, Any]:
    """Install the root (its fingerprint must match what was read out) and the certificates,
    and, when the file names the city's hub, its address and certificate fingerprint."""
    from cchc.services.sync_view import HUB_URL_KEY

    data = read_trust_file(path)
    hub = _hub_in_trust_file(data)
    out = open_engine(ws).install_trust(data, root_fingerprint)
    if hub is not None:
        ws.set_setting(HUB_URL_KEY, hub["url"])
        set_hub_fingerprint(ws, hub["url"], hub["fingerprint"])
        out["hub_url"] = hub["url"]
    return out


def revoke(ws: Workspace, site_id: str) -> int:
    """Root only: revoke every key of a laptop; returns how many keys."""
    return open_engine(ws).revoke(site_id)


# ---------------------------------------------------------------------- export and import


def remember_sent(ws: Workspace, engine: Engine) -> None:
    """Everything this laptop wrote so far has left it (the send queue starts empty again)."""
    newest = sync_reading.newest_clock_of(ws.db.conn, engine.site_id)
    ws.set_setting(SENT_MARK_KEY, str(newest))
    ws.set_setting(SENT_TRUST_KEY, json.dumps(list(trust_mark(ws))))


def sent_trust_mark(ws: Workspace) -> tuple[int, int]:
    """Where the certificates and revocations held here ended when data last left."""
    try:
        certs, revs = json.loads(ws.setting(SENT_TRUST_KEY) or "[0, 0]")
        return int(certs), int(revs)
    except (ValueError, TypeError):
        return 0, 0


def export_encrypted(
    engine: Engine, peer: str | None, encrypt_to: str | None = None, encrypt: bool = True
) -> bytes:
    """A bundle for ``peer``, encrypted to ``encrypt_to`` if given (its key must be known), else
    to ``peer`` whenever its key is known; in the clear with ``encrypt=False`` or no recipient."""
    if encrypt and encrypt_to:
        return engine.export_bundle(peer, encrypt_to=encrypt_to)
    if encrypt and peer:
        try:
            return engine.export_bundle(peer, encrypt_to=peer)
        except UnknownSite:
            pass  # no key known for that site: the bundle goes signed but readable
    return engine.export_bundle(peer)


def _certified_sites(engine: Engine) -> dict[str, str]:
    """Every other site certified here (not revoked, not this laptop), with its role as its
    newest certificate says, in the order they were certified: what this laptop's trust file
    and bundles named."""
    revoked = sync_reading.revoked_keys(engine.conn)
    sites: dict[str, str] = {}
    for cert in sync_reading.certificates(engine.conn):
        if cert.key not in revoked and cert.site != engine.site_id:
            sites.pop(cert.site, None)
            sites[cert.site] = cert.role
    return sites


def _certified_site(engine: Engine, role: str) -> str | None:
    """The newest site certified in ``role`` (not revoked, not this laptop)."""
    found = [site for site, r in _certified_sites(engine).items() if r == role]
    return found[-1] if found else None


def city_site(engine: Engine) -> str | None:
    """The city's site, as this laptop's trust file names it; None on the city's own laptop or
    before the trust file is installed."""
    return _certified_site(engine, "city")


def next_hop(engine: Engine) -> list[str]:
    """Who a bundle carried by hand (USB, e-mail) is sealed to by default, in the plan's flow
    (units report to UBND through Phòng Văn hóa - Xã hội, which sends on to the city):

    - from a unit's laptop (or Phòng Tài chính's, or the leadership's): the consolidator and the
      city, both named in the trust file the city handed out, so whichever of them the stick
      reaches opens it, and nobody else on the boat can;
    - from the consolidator: the city;
    - from the city: every laptop it certified (its stick goes to the island, to any of them).

    Empty before a trust file is installed (nobody is known; such a laptop's bundles are
    refused everywhere anyway) or on a city that has certified nobody yet."""
    me = engine.my_signer()
    role = me.role if me is not None else None
    sites = _certified_sites(engine)
    if role == "city":
        return list(sites)[:MAX_RECIPIENTS]
    wanted = ("city",) if role == "consolidator" else ("consolidator", "city")
    return [site for site, r in sites.items() if r in wanted][:MAX_RECIPIENTS]


def carried_recipients(
    engine: Engine, peer: str | None, encrypt_to: str | Sequence[str] | None, encrypt: bool
) -> list[str]:
    """Who a bundle carried by hand is sealed to: those named, else the peer, else the next
    readers of the plan's flow (``next_hop``). Empty: it goes in the clear (asked for with
    ``encrypt=False``, or nobody known)."""
    if not encrypt:
        return []
    if encrypt_to:
        return [encrypt_to] if isinstance(encrypt_to, str) else list(encrypt_to)
    if peer:
        return [peer]
    return next_hop(engine)


def _carried(
    engine: Engine, peer: str | None, encrypt_to: str | Sequence[str] | None, encrypt: bool
) -> bytes:
    """A bundle leaving by hand: sealed to ``carried_recipients``; in the clear only when asked
    (``encrypt=False``) or before any trust file names a reader. Refused rather than written
    readable unasked, or sealed to others than the one named: a laptop that holds a trust file
    and still has nobody to seal to (a city that has certified no laptop), and a reader named
    (``peer``, ``encrypt_to``) whose key this laptop does not know."""
    readers = carried_recipients(engine, peer, encrypt_to, encrypt)
    if encrypt and not readers and engine.root_fingerprint() is not None:
        raise InvalidInput("export_nobody_to_seal")
    known = _certified_sites(engine)
    unknown = [site for site in readers if site not in known]
    if unknown:  # a reader named whose key this laptop has not learnt: never sealed to others
        raise InvalidInput("export_reader_unknown", value=", ".join(unknown))
    return engine.export_bundle(peer, encrypt_to=readers or None)


def export_bundle(ws: Workspace, peer: str | None = None, encrypt_to: str | None = None) -> bytes:
    return open_engine(ws).export_bundle(peer, encrypt_to=encrypt_to)


#: The longest unit part of a bundle's file name (names stay short enough for any USB stick).
NAME_SLUG_MAX = 48


def bundle_prefix(ws: Workspace) -> str:
    """How this laptop's bundle files begin: its unit as an ASCII slug and the island's date,
    "cchc-phong-van-hoa-xa-hoi-2026-12-07" (the city: "cchc-thanh-pho-…"); never a raw id."""
    import re

    from cchc.domain.text import fold
    from cchc.services.permissions import ALL_UNITS, laptop_authority, scope_names

    found = laptop_authority(ws)
    words = "thanh pho" if ALL_UNITS in found.scope else scope_names(ws, found)
    slug = re.sub(r"[^a-z0-9]+", "-", fold(words)).strip("-")[:NAME_SLUG_MAX].strip("-")
    return f"cchc-{slug or 'may'}-{ws.today().isoformat()}"


def export_to(
    ws: Workspace,
    to_dir: Path,
    *,
    peer: str | None = None,
    part_size: int | None = None,
    encrypt_to: str | Sequence[str] | None = None,
    encrypt: bool = True,
) -> list[Path]:
    """Write a bundle (atomically; in numbered parts with ``part_size``) into ``to_dir``.

    Sealed to ``encrypt_to``, else to ``peer`` whenever its key is known, else to its next
    readers (``next_hop``: a unit's stick to the consolidator and the city); in the clear only
    with ``encrypt=False``.
    """
    engine = open_engine(ws)
    data = _carried(engine, peer, encrypt_to, encrypt)
    folder = Path(to_dir)
    folder.mkdir(parents=True, exist_ok=True)
    prefix = bundle_prefix(ws)
    if part_size:
        blobs = split(data, part_size)
        sha = sha256_hex(data)
        written = write_new_files(
            (folder / part_name(prefix, sha, i + 1, len(blobs)), blob)
            for i, blob in enumerate(blobs)
        )
    else:
        written = write_new_files([(folder / bundle_file_name(prefix, data), data)])
    remember_sent(ws, engine)
    return written


@dataclass(frozen=True)
class PartNote:
    """Where one part file stands: part ``index`` of ``count``, and how many parts of its
    bundle this laptop holds now (``count`` once the bundle was whole and imported)."""

    bundle: str  # the bundle's name, as its files are named without the part number
    index: int
    count: int
    have: int

    @property
    def complete(self) -> bool:
        return self.have >= self.count


class _NotingPartStore(PartStore):
    """The part store, remembering what became of each part file given to it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.noted: dict[str, AddResult] = {}

    def add_part(self, part: Part, source: str = "<bytes>") -> AddResult:
        added = super().add_part(part, source)
        self.noted[source] = added
        return added


_PART_SUFFIX = re.compile(r"\.part\d+-of-\d+\.(cchc|eml)(#\d+)?$", re.IGNORECASE)


def bundle_name(source: str) -> str:
    """A part file's bundle, named as its files are without the part number."""
    return _PART_SUFFIX.sub("", Path(source).name)


@dataclass
class FileOutcome:
    """What happened to one input (a bundle file, a part, an .eml): result or refusal."""

    source: str
    result: ImportResult | None = None
    error_code: str | None = None
    #: why the input was refused or looked at in part, for the entry point to put in words
    error: Exception | None = None
    staged: bool = False
    #: what the bundle's applied segments wrote, per origin: {"reports": 1, "documents": 2…}
    arrivals: dict[str, dict[str, int]] = field(default_factory=dict)
    #: when the file is one part of a bundle: which, and how many of its parts are here
    part: PartNote | None = None

    @property
    def rejected(self) -> bool:
        return self.error is not None or (self.result is not None and self.result.rejected > 0)

    def as_dict(self, words: Callable[[BaseException], str]) -> dict[str, Any]:
        """The outcome as JSON; ``words`` puts a refusal in words (`texts.errors.describe`)."""
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
                    "reason": words(self.error),
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

    def as_dict(self, words: Callable[[BaseException], str]) -> dict[str, Any]:
        return {"files": [f.as_dict(words) for f in self.files], "waiting": self.waiting}


EXCHANGE_LOG_PREFIX = "sync_last_exchange:"


def record_exchange(ws: Workspace, site_id: str, how: str) -> None:
    """Remember (per laptop, never synchronised) that this laptop exchanged with `site_id` now;
    a bundle of its own coming back is no exchange."""
    if site_id and site_id != open_engine(ws).site_id:
        ws.set_setting(EXCHANGE_LOG_PREFIX + site_id, json.dumps({"at": ws.now_iso(), "how": how}))


#: How deep "Nhập" looks into the folders of a stick, and how many entries it looks at in all.
FOLDER_DEPTH = 3
FOLDER_ENTRIES = 20_000
_CARRIED = (".cchc", ".eml")


def files_to_import(paths: Sequence[Path], cut_short: list[Path] | None = None) -> list[Path]:
    """What an import reads: the files named, and from each folder named the bundle, part and
    mail files in it and in its folders down to ``FOLDER_DEPTH`` levels (a USB stick where each
    unit left its files in a folder of its own), at most ``FOLDER_ENTRIES`` entries looked at.

    Links are never followed, hidden entries (names starting with ".": temporary files,
    the system's folders) are skipped; a folder that cannot be read is skipped here and named
    by the reader below when it is the one the officer chose. A folder whose entries ran past
    the bound is added to ``cut_short``, so the officer is told."""
    import os

    out: list[Path] = []
    for top in paths:
        if not top.is_dir():
            out.append(top)
            continue
        out.append(top)  # its own files: read, bounded and refused by name, as ever
        budget = FOLDER_ENTRIES
        level = [top]
        for _depth in range(FOLDER_DEPTH):
            below: list[Path] = []
            for folder in level:
                try:
                    with os.scandir(folder) as entries:
                        found = sorted(entries, key=lambda e: e.name)
                except OSError:
                    continue
                budget -= len(found)
                for entry in found:
                    if entry.name.startswith(".") or entry.is_symlink():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        below.append(Path(entry.path))
                    elif folder != top and entry.name.lower().endswith(_CARRIED):
                        out.append(Path(entry.path))
                if budget <= 0:
                    if cut_short is not None:
                        cut_short.append(top)
                    return out
            level = below
    return out


def _add_trust(arrivals: dict[str, dict[str, int]], sender: str, trust: dict[str, int]) -> None:
    """Certificates and revocations a bundle brought count under the laptop that sent it."""
    if trust:
        kinds = arrivals.setdefault(sender, {})
        for kind, n in trust.items():
            kinds[kind] = kinds.get(kind, 0) + n


def _refused_rows(result: ImportResult) -> list[tuple[str, str | None, str | None]]:
    """The rows an import refused, which did not arrive."""
    return [(r.origin, r.table, r.row_id) for r in result.rejections]


def import_paths(ws: Workspace, paths: Sequence[Path]) -> ImportReport:
    """Import bundle files, parts (any order, across calls) and saved .eml files. A refused input
    carries the refusal itself (a key with its parameters); the entry point puts it in words."""
    engine = open_engine(ws)
    store = _NotingPartStore(parts_dir_for(ws.path))
    cut_short: list[Path] = []
    got = gather(files_to_import([Path(p) for p in paths], cut_short), store)
    whole = {a.sha256 for a in got.bundles}
    held = {w.bundle_sha256: len(w.have) for w in got.waiting}

    def part_of(source: str) -> PartNote | None:
        added = store.noted.get(source)
        if added is None:
            return None
        sha, count = added.bundle_sha256, added.count
        have = count if sha in whole else held.get(sha, count - len(added.missing))
        return PartNote(bundle_name(source), added.index, count, have)

    report = ImportReport()
    for folder in cut_short:
        report.files.append(
            FileOutcome(
                str(folder),
                error_code="folder_too_many",
                error=InvalidInput("folder_too_many", limit=FOLDER_ENTRIES, depth=FOLDER_DEPTH),
            )
        )
    for refused in got.refused:
        report.files.append(
            FileOutcome(
                refused.source,
                error_code=refused.error.code,
                error=refused.error,
            )
        )
    for arrived in got.bundles:
        try:
            mark, trust_before, tasks_before = feed_mark(ws), trust_mark(ws), task_ids(ws)
            result = engine.import_bundle(arrived.data)
            arrivals = count_by_sender(
                ws, arrived_rows(ws, mark, _refused_rows(result)), tasks_before
            )
            _add_trust(
                arrivals, result.sender, trust_since(ws, trust_before, besides=result.sender)
            )
            report.files.append(
                FileOutcome(
                    arrived.source,
                    result=result,
                    arrivals=arrivals,
                    part=part_of(arrived.source),
                )
            )
            record_exchange(ws, result.sender, "import")  # verified, even if it held nothing new
        except SyncError as exc:
            report.files.append(
                FileOutcome(
                    arrived.source,
                    error_code=exc.code,
                    error=exc,
                    part=part_of(arrived.source),
                )
            )
    for source in got.duplicates:
        report.files.append(
            FileOutcome(source, result=ImportResult(sender=""), part=part_of(source))
        )
    for source in got.staged:
        report.files.append(FileOutcome(source, staged=True, part=part_of(source)))
    report.waiting = [
        {
            "bundle": w.bundle_sha256[:8],
            "count": w.count,
            "have": len(w.have),
            "missing": list(w.missing),
            "missing_names": list(w.missing_names),
        }
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
    encrypt_to: str | Sequence[str] | None = None,
    encrypt: bool = True,
    letter_size: int | None = None,
) -> list[Path]:
    """Write ``.eml`` files (one per part) ready to open in a mail client and send; with
    ``letter_size`` no file is larger than that many bytes."""
    return email_bundle(
        ws,
        to=to,
        out=out,
        part_size=part_size,
        peer=peer,
        encrypt_to=encrypt_to,
        encrypt=encrypt,
        letter_size=letter_size,
    )[0]


def email_bundle(
    ws: Workspace,
    *,
    to: str,
    out: Path,
    part_size: int | None = None,
    peer: str | None = None,
    smtp: SmtpConfig | None = None,
    encrypt_to: str | Sequence[str] | None = None,
    encrypt: bool = True,
    letter_size: int | None = None,
) -> tuple[list[Path], int]:
    """Write the ``.eml`` files and, when SMTP is given, send the same messages too.

    ``letter_size`` caps each whole letter (attachment in base64, headers and text included),
    which is what a mail server measures; ``part_size`` caps the attached part only. Encrypted
    like ``export_to``. Returns the files written and how many messages were sent.
    """
    address = checked_address(to)
    if letter_size is not None and letter_size < MIN_LETTER_SIZE:
        raise InvalidInput("letter_size_small", value=letter_size, limit=MIN_LETTER_SIZE)
    engine = open_engine(ws)
    data = _carried(engine, peer, encrypt_to, encrypt)
    prefix = bundle_prefix(ws)
    kwargs: dict[str, Any] = {"to": address, "sender": f"{prefix}@localhost", "prefix": prefix}
    if part_size:
        kwargs["part_size"] = part_size
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if letter_size is not None:
        messages, kwargs["part_size"] = letters_within(data, letter_size, part_size, kwargs)
    else:
        messages = build_messages(data, draft=True, **kwargs)
    paths = write_new_files((folder / eml_name(m), m.as_bytes()) for m in messages)
    sent = send_emails(data, smtp, **kwargs) if smtp is not None else 0
    remember_sent(ws, engine)
    return paths, sent


#: The smallest letter cap taken: below it the headers and one minimal part do not fit.
MIN_LETTER_SIZE = 16 * 1024


def letters_within(
    data: bytes, letter_size: int, part_size: int | None, kwargs: dict[str, Any]
) -> tuple[list[Any], int]:
    """The draft letters of ``data`` and the part size they took, each whole letter at most ``letter_size`` bytes as
    written: parts sized from the cap (base64 grows them by 4/3, plus line ends and MIME
    headers), then measured, and made smaller until every letter fits."""
    from sync.transport.email import part_size_for_message_limit

    size = part_size_for_message_limit(letter_size)
    if part_size:
        size = min(size, part_size)
    while True:
        messages = build_messages(data, draft=True, **{**kwargs, "part_size": size})
        biggest = max(len(m.as_bytes()) for m in messages)
        if biggest <= letter_size:
            return messages, size
        size -= max(1024, (biggest - letter_size) * 3 // 4 + 1024)
        if size < 1024:
            raise InvalidInput("letter_size_small", value=letter_size, limit=MIN_LETTER_SIZE)


def _hub_key(url: str) -> str:
    return HUB_SETTING + url.rstrip("/")


def hub_fingerprint(ws: Workspace, url: str) -> str | None:
    """The TLS certificate fingerprint this laptop pins for the hub at ``url``, if any."""
    return ws.setting(HUB_FINGERPRINT_SETTING + url.rstrip("/"))


def set_hub_fingerprint(ws: Workspace, url: str, fingerprint: str) -> None:
    from sync.transport.tls import normalize_fingerprint

    ws.set_setting(HUB_FINGERPRINT_SETTING + url.rstrip("/"), normalize_fingerprint(fingerprint))


def client_identity(engine: Engine) -> ClientIdentity:
    """What signs this laptop's requests to the hub: its site id and certified key."""
    return ClientIdentity(engine.site_id, engine.key)


def _carrier_options(
    ws: Workspace, url: str, fingerprint: str | None, insecure_http: bool
) -> dict[str, Any]:
    if fingerprint:
        set_hub_fingerprint(ws, url, fingerprint)
    return {"hub_fingerprint": hub_fingerprint(ws, url), "insecure_http": insecure_http}


def push(
    ws: Workspace, url: str, *, fingerprint: str | None = None, insecure_http: bool = False
) -> dict[str, Any]:
    """Send the hub what it has not acknowledged, encrypted to it once known; resumes a cut."""
    engine = open_engine(ws)
    options = _carrier_options(ws, url, fingerprint, insecure_http)
    hub_site = ws.setting(_hub_key(url))
    if hub_site is None:  # first exchange: the hub names its site, so even this one is sealed
        info = hub_info(url, **options)
        named = info.get("site_id") if info else None
        hub_site = named if isinstance(named, str) and named else None
    data = export_encrypted(engine, hub_site)
    sent = http_push(url, data, client_identity(engine), hub_site=hub_site, **options)
    remember_sent(ws, engine)
    result = dict(sent.result)
    if result.get("hub_site_id"):
        ws.set_setting(_hub_key(url), str(result["hub_site_id"]))
        record_exchange(ws, str(result["hub_site_id"]), "push")
    result.update({"sha256": sent.sha256, "size": sent.size, "resumes": sent.resumes})
    return result


def pull(
    ws: Workspace, url: str, *, fingerprint: str | None = None, insecure_http: bool = False
) -> dict[str, Any]:
    """Fetch what the hub holds for this laptop and import it; resumes a cut transfer."""
    engine = open_engine(ws)
    options = _carrier_options(ws, url, fingerprint, insecure_http)
    dest = parts_dir_for(ws.path) / "pulled.cchc"
    dest.parent.mkdir(parents=True, exist_ok=True)
    hub_site = ws.setting(_hub_key(url))  # None: the hub's pinned ping names it
    got = http_pull(url, client_identity(engine), dest, hub_site=hub_site, **options)
    if got.path is None:
        return {"applied": 0, "duplicate": 0, "held": 0, "rejected": 0, "nothing": True}
    try:
        mark, trust_before, tasks_before = feed_mark(ws), trust_mark(ws), task_ids(ws)
        result = engine.import_bundle(got.path.read_bytes())
        arrivals = count_by_sender(ws, arrived_rows(ws, mark, _refused_rows(result)), tasks_before)
        _add_trust(arrivals, result.sender, trust_since(ws, trust_before, besides=result.sender))
    finally:
        got.path.unlink(missing_ok=True)
    ws.set_setting(_hub_key(url), result.sender)
    record_exchange(ws, result.sender, "pull")
    out = result.as_dict()
    out.update({"sha256": got.sha256, "size": got.size, "resumes": got.resumes})
    out["arrivals"] = arrivals  # per origin: {"reports": 1, "documents": 2…}
    return out


class Hub:
    """The city's HTTP hub bound to a database file: each call opens its own connection.

    It admits a request only from a key the city's trust chain certifies for the site it names,
    and serves each site only bundles encrypted to that site.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)

    def _open(self) -> Workspace:
        from cchc.services.door import Door

        return Door.open(self.db_path, load_plan=False).workspace

    def check_key(self, site_id: str, public_key: bytes) -> None:
        """Raise a TrustError unless ``public_key`` is certified (and not revoked) for the site."""
        ws = self._open()
        try:
            open_engine(ws).signer_of(site_id, public_key)
        finally:
            ws.close()

    def on_bundle(self, path: Path, sender: str) -> dict[str, Any]:
        """Import a pushed bundle; a refusal is answered by its code, which the laptop that
        pushed puts in words."""
        data = Path(path).read_bytes()
        ws = self._open()
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
                }
            result["hub_site_id"] = engine.site_id
            return result
        finally:
            ws.close()

    def bundle_for(self, peer: str) -> bytes:
        ws = self._open()
        try:
            return open_engine(ws).export_bundle(peer, encrypt_to=peer)
        finally:
            ws.close()


def hub_data_dir(ws: Workspace) -> Path:
    """Where the hub keeps uploads and prepared bundles unless told: ``<db>.hub`` beside it."""
    return ws.path.with_name(ws.path.name + ".hub")


def serve(
    ws: Workspace,
    host: str,
    port: int,
    ready: Any = None,
    *,
    data_dir: Path | None = None,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    limits: HubLimits | None = None,
    public_names: tuple[str, ...] = (),
) -> None:
    """Run the hub on this database until interrupted (Ctrl+C or SIGTERM); ``public_names``
    are the names laptops reach it by (requests signed for another are refused)."""
    from sync.transport import serve as http_serve

    engine = open_engine(ws)  # create keys and tables before the first request
    hub = Hub(ws.path)
    http_serve(
        hub.on_bundle,
        hub.bundle_for,
        hub.check_key,
        data_dir or hub_data_dir(ws),
        host=host,
        port=port,
        limits=limits,
        tls_cert=tls_cert,
        tls_key=tls_key,
        site_id=engine.site_id,
        ready=ready,
        public_names=public_names,
    )


__all__ = [
    "FileOutcome",
    "ImportReport",
    "Hub",
    "TransportError",
    "UsageError",
    "capture_suppressed",
    "client_identity",
    "hub_data_dir",
    "hub_fingerprint",
    "export_encrypted",
    "set_hub_fingerprint",
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
