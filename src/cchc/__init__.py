"""Offline tracking of a commune's or special zone's yearly administrative-reform plan (the plan
itself is data: a plan file, docs/plan-format.md)."""

__version__ = "0.1.0"
