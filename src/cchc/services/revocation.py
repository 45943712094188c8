"""Revoking a lost laptop, on the city's computer: what the officer must know before confirming
(whose laptop, what of its work stands and what is taken back), then the revocation itself,
which travels to every laptop in the next bundle (``exchange.revoke``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.domain.errors import InvalidInput
from cchc.services import exchange
from cchc.services.import_summary import arrived_rows, count_by_sender
from cchc.services.workspace import Workspace
from sync import reading


@dataclass(frozen=True)
class RevokePreview:
    """What revoking ``site_id`` means: ``stands`` is what the city holds of the laptop's work
    (by kind, as officers count it), which stays everywhere; whatever the laptop signs after
    the city's mark (``upto``, its feed's place) is refused everywhere and taken back where it
    had already arrived. ``last_at`` is when the city last exchanged with it."""

    site_id: str
    units: list[str]
    role: str
    upto: int
    stands: dict[str, int] = field(default_factory=dict)
    last_at: str | None = None


def preview(ws: Workspace, site_id: str) -> RevokePreview:
    """What revoking the laptop ``site_id`` would keep and take back; refused unless this is
    the city's computer and the laptop is certified and not revoked yet."""
    from cchc.services.sync_view import peers

    engine = exchange.open_engine(ws)
    if not engine.is_root():
        raise InvalidInput("revoke_not_city")
    found = next((p for p in peers(ws) if p.site_id == site_id and not p.me), None)
    if found is None or found.revoked:
        raise InvalidInput("revoke_unknown", value=site_id[:8])
    rows = [r for r in arrived_rows(ws, frozenset()) if r[0] == site_id]
    return RevokePreview(
        site_id=site_id,
        units=found.units,
        role=found.role,
        upto=reading.applied_seq(ws.db.conn, site_id),
        stands=count_by_sender(ws, rows).get(site_id, {}),
        last_at=found.last_at,
    )


def revoke(ws: Workspace, site_id: str) -> int:
    """Revoke every key of the laptop (checked as ``preview`` checks); returns how many."""
    preview(ws, site_id)
    return exchange.revoke(ws, site_id)
