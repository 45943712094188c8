"""Offline tracking of the 2026 administrative-reform plan of Bạch Long Vĩ special zone."""

__version__ = "0.1.0"
