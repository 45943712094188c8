"""Certification done on screen: the key request file a laptop gives the city (what
``cchc keys show`` prints, plus the unit it is set to), the city certifying a laptop from that
file, and where this laptop stands (certified or not, for which role and units).

The request file is hostile input on the city's side: it is bounded before it is read, its
fields are checked by pydantic, and its fingerprint must be the one its public key gives, so a
person comparing fingerprints over the phone compares the key that will be certified.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cchc.domain.errors import InvalidInput
from cchc.domain.roles import ROLES, Role, can_own_laptop, role_for_unit
from cchc.domain.text import fold
from cchc.services import exchange, overview
from cchc.services.free_names import free_path
from cchc.services.permissions import laptop_authority, unit_authority
from cchc.services.sync_view import unit_names
from cchc.services.tasks import OFFICER_KEY, UNIT_KEY
from cchc.services.workspace import Workspace
from cchc.store import reports_repo
from sync.signing import fingerprint
from sync.transport import write_atomic

KEY_REQUEST_MAGIC = b"CCHC-KEY-REQUEST 1\n"
KEY_REQUEST_SUFFIX = ".yeucau"
MAX_KEY_REQUEST_BYTES = 16 * 1024
HEX64 = r"^[0-9a-f]{64}$"


class KeyRequest(BaseModel):
    """What the city needs to certify a laptop: its keys, and the unit and officer it says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_id: str = Field(pattern=r"^[0-9a-f]{8,64}$")
    public_key: str = Field(pattern=HEX64)
    enc_key: str = Field(pattern=HEX64)
    fingerprint: str = Field(max_length=64)
    unit_code: str | None = Field(default=None, max_length=64)
    unit_name: str | None = Field(default=None, max_length=400)
    officer: str | None = Field(default=None, max_length=200)


@dataclass(frozen=True)
class Standing:
    """Where this laptop stands: its key, whether the city certified it, for what."""

    site_id: str
    fingerprint: str
    root_fingerprint: str | None
    certified: bool
    is_root: bool
    role: str | None  # the certificate's role, else the one its unit setting implies
    units: list[str]  # unit names ("*" for every unit)
    unit_set: bool  # whether the laptop's unit has been chosen in Cài đặt


def key_request(ws: Workspace) -> KeyRequest:
    """This laptop's key request, as the city will read it."""
    ident = exchange.identity(ws)
    code = ws.setting(UNIT_KEY)
    unit = next((u for u in reports_repo.units(ws.db.conn) if u["code"] == code), None)
    return KeyRequest(
        site_id=ident["site_id"],
        public_key=ident["public_key"],
        enc_key=ident["enc_key"],
        fingerprint=ident["fingerprint"],
        unit_code=str(unit["code"]) if unit else None,
        unit_name=str(unit["name"]) if unit else None,
        officer=ws.setting(OFFICER_KEY),
    )


def key_request_file(ws: Workspace) -> tuple[str, bytes]:
    """The request file's suggested name and its bytes (for a browser download)."""
    request = key_request(ws)
    name = f"yeu-cau-chung-nhan-{request.unit_code or 'may'}-{request.site_id[:8]}"
    body = json.dumps(request.model_dump(), ensure_ascii=False, indent=1, sort_keys=True)
    return name + KEY_REQUEST_SUFFIX, KEY_REQUEST_MAGIC + body.encode("utf-8") + b"\n"


def save_key_request(ws: Workspace, folder: Path) -> Path:
    """Write the request file into ``folder`` (a USB stick…), never over an existing file."""
    name, data = key_request_file(ws)
    target = Path(folder)
    if not target.is_dir():
        raise InvalidInput("folder_missing_on_disk", value=str(folder))
    return write_atomic(free_path(target / name), data)


def read_key_request(path: Path) -> KeyRequest:
    """A key request file, checked: bounded, marked, well-formed, its fingerprint its key's."""
    try:
        with Path(path).open("rb") as f:
            data = f.read(MAX_KEY_REQUEST_BYTES + 1)
    except OSError as exc:
        raise InvalidInput("file_missing", value=str(path)) from exc
    if len(data) > MAX_KEY_REQUEST_BYTES or not data.startswith(KEY_REQUEST_MAGIC):
        raise InvalidInput("key_request_bad", value=Path(path).name)
    try:
        raw = json.loads(data[len(KEY_REQUEST_MAGIC) :].decode("utf-8"))
        request = KeyRequest.model_validate(raw)
    except (ValueError, ValidationError) as exc:
        raise InvalidInput("key_request_bad", value=Path(path).name) from exc
    if fingerprint(bytes.fromhex(request.public_key)) != request.fingerprint:
        raise InvalidInput("key_request_bad", value=Path(path).name)
    return request


def suggested_role(ws: Workspace, unit_code: str | None) -> str:
    """The role the plan gives a laptop of ``unit_code`` (what the city certifies by default)."""
    unit = next((u for u in reports_repo.units(ws.db.conn) if u["code"] == unit_code), None)
    if unit is None:
        return Role.UNIT.value
    return role_for_unit(str(unit["code"]), str(unit["role"])).value


def offered_role(ws: Workspace, unit_code: str | None) -> str | None:
    """The role the city is offered for a laptop whose request names ``unit_code``, judged by
    the unit table alone: the plan's role of a unit that runs a laptop of its own; None for a
    code the table does not hold, and for a group, an outside body or a city body (Sở Nội vụ,
    UBND thành phố): a request file, which anyone can write, never preselects ``city``."""
    unit = next((u for u in reports_repo.units(ws.db.conn) if u["code"] == unit_code), None)
    if unit is None or not can_own_laptop(str(unit["role"])):
        return None
    return role_for_unit(str(unit["code"]), str(unit["role"])).value


class RequestUnit(BaseModel):
    """The unit a key request names, as the unit table knows it, beside the requester's words."""

    code: str | None
    name: str | None  # the unit table's name for the code (None: the table has no such code)
    claimed: str | None  # the name the request itself carries (the requester's own words)
    differs: bool  # the request's words are not the table's name for its code
    role: str | None  # the role offered (offered_role)


def judge_request(ws: Workspace, request: KeyRequest) -> RequestUnit:
    """What the certifying screen shows of a request's unit: the table's name beside the
    requester's words, flagged when they differ, and the role the table offers."""
    code = request.unit_code
    unit = next((u for u in reports_repo.units(ws.db.conn) if u["code"] == code), None)
    name = str(unit["name"]) if unit is not None else None
    claimed = request.unit_name
    differs = bool(code) and (name is None or (claimed is not None and fold(claimed) != fold(name)))
    return RequestUnit(
        code=code, name=name, claimed=claimed, differs=differs, role=offered_role(ws, code)
    )


def certify_request(
    ws: Workspace,
    request: KeyRequest,
    folder: Path,
    *,
    unit_code: str | None = None,
    role: str | None = None,
) -> Path:
    """The city certifies the laptop of ``request`` for ``unit_code`` (default: the unit the
    request names) in ``role`` (default: the role the unit table offers, ``offered_role``; none
    for a city body, whose role the city must choose itself); the certificate
    file is written into ``folder`` under a new name, never over an existing file."""
    code = unit_code or request.unit_code
    if not code:
        raise InvalidInput("certify_unit_missing")
    chosen = role or offered_role(ws, code)
    if chosen is None:  # a city body, a group or an unknown code: the city chooses the role
        raise InvalidInput("certify_role_missing", unit=code)
    if chosen not in ROLES:
        raise InvalidInput("invalid_input", value=chosen)
    target = Path(folder)
    if not target.is_dir():
        raise InvalidInput("folder_missing_on_disk", value=str(folder))
    name = f"chung-nhan-{code}-{request.site_id[:8]}.trust"
    return exchange.certify(
        ws,
        site_id=request.site_id,
        public_key=request.public_key,
        enc_key=request.enc_key,
        units=[code],
        role=chosen,
        out=free_path(target / name),
    )


def standing(ws: Workspace) -> Standing:
    """Where this laptop stands; role and units fall back to what its unit setting implies."""
    engine = exchange.open_engine(ws)
    me = engine.my_signer()
    found = laptop_authority(ws) if me is not None else unit_authority(ws)
    ident = engine.identity()
    return Standing(
        site_id=ident["site_id"],
        fingerprint=ident["fingerprint"],
        root_fingerprint=engine.root_fingerprint(),
        certified=me is not None,
        is_root=engine.is_root(),
        role=found.role if found is not None else None,
        units=unit_names(ws, list(found.scope)) if found is not None else [],
        unit_set=ws.setting(UNIT_KEY) is not None,
    )


def is_certified(ws: Workspace) -> bool:
    """Whether the city has certified this laptop (other laptops accept what it sends)."""
    return exchange.open_engine(ws).my_signer() is not None


def laptop_units(ws: Workspace) -> list[overview.UnitView]:
    """The units this computer may be set to: the zone's agencies and the consolidating office;
    the city's agencies only on the city's own computer (the one holding the root key)."""
    city = exchange.open_engine(ws).is_root()
    return [u for u in overview.units(ws) if can_own_laptop(u.role, city_computer=city)]
