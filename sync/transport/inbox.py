"""Turn whatever the user points an import at into whole bundles ready for the engine.

`gather(paths, store)` accepts bundle files, part files, saved `.eml` messages and folders of
those (only final names: `*.cchc` and `*.eml`, never temporary files). Parts are staged in the
`PartStore` so a bundle split over several imports completes when its last part arrives.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sync.transport.email import EML_SUFFIX, extract_parts_from_bytes
from sync.transport.errors import NotABundle, TransportError
from sync.transport.files import BUNDLE_SUFFIX, is_temp_name, sha256_hex
from sync.transport.parts import PartsStatus, PartStore, is_part, parse_part


@dataclass(frozen=True)
class Arrived:
    """A whole bundle found in the inputs: its bytes, sha256 and where it came from."""

    data: bytes = field(repr=False)
    sha256: str
    source: str


@dataclass(frozen=True)
class Refused:
    """An input that could not be read as a bundle or part, with the carrier error why."""

    source: str
    error: TransportError


@dataclass
class Gathered:
    """The outcome of `gather`: bundles to import, inputs refused, bundles still waiting."""

    bundles: list[Arrived] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    waiting: list[PartsStatus] = field(default_factory=list)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                c
                for c in sorted(p.iterdir())
                if c.is_file()
                and not c.name.startswith(".")
                and c.name.lower().endswith((BUNDLE_SUFFIX, EML_SUFFIX))
            )
        else:
            out.append(p)
    return out


def gather(paths: Iterable[str | os.PathLike[str]], store: PartStore) -> Gathered:
    """Read every input; whole bundles come back at once, parts go through `store`."""
    result = Gathered()
    seen: set[str] = set()

    def take(blob: bytes, source: str) -> None:
        if is_part(blob):
            part = parse_part(blob, source)
            if part.bundle_sha256 in seen:
                result.duplicates.append(source)
                return
            added = store.add_part(part, source)
            if added.status == "complete" and added.bundle is not None:
                if added.bundle_sha256 not in seen:
                    seen.add(added.bundle_sha256)
                    result.bundles.append(Arrived(added.bundle, added.bundle_sha256, source))
            elif added.status == "duplicate":
                result.duplicates.append(source)
            else:
                result.staged.append(source)
            return
        if not blob:
            raise NotABundle(f"{source!r} is empty", source=source)
        sha = sha256_hex(blob)
        if sha in seen:
            result.duplicates.append(source)
            return
        seen.add(sha)
        result.bundles.append(Arrived(blob, sha, source))

    for path in _expand(paths):
        source = str(path)
        try:
            if is_temp_name(path.name):
                raise NotABundle(
                    f"{source!r} is an unfinished temporary file, not a bundle", source=source
                )
            try:
                blob = path.read_bytes()
            except OSError as exc:
                raise NotABundle(
                    f"cannot read {source!r}: {exc.strerror or exc}", source=source
                ) from exc
            if path.name.lower().endswith(EML_SUFFIX):
                attachments = extract_parts_from_bytes(blob, source)
                for n, att in enumerate(attachments, start=1):
                    label = source if len(attachments) == 1 else f"{source}#{n}"
                    try:
                        take(att, label)
                    except TransportError as exc:
                        result.refused.append(Refused(label, exc))
            else:
                take(blob, source)
        except TransportError as exc:
            result.refused.append(Refused(source, exc))
    result.waiting = store.status()
    return result
