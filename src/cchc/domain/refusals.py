"""A policy refusal as data: its catalog key and parameters, carried as one string.

The sync engine stores and relays a refused row's reason as an opaque string; the plan's policy
(services/sync_policy.py) gives it this form rather than a sentence, and the entry points put it
in words (`cchc.texts.sync.rejection_reason`), so a refusal reads in the reader's words whoever
judged it, and no service builds a sentence.
"""

from __future__ import annotations

import json
from typing import Any

_MARK = "policy:"


def encode(key: str, **params: Any) -> str:
    """The refusal `key` with its parameters (JSON values), as the engine's reason string."""
    return _MARK + json.dumps({"key": key, "params": params}, ensure_ascii=False, sort_keys=True)


def decode(reason: str) -> tuple[str, dict[str, Any]] | None:
    """The key and parameters of an encoded refusal; None for any other reason string."""
    if not reason.startswith(_MARK):
        return None
    try:
        found = json.loads(reason[len(_MARK) :])
        key, params = found["key"], found["params"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(key, str) or not isinstance(params, dict):
        return None
    return key, params
