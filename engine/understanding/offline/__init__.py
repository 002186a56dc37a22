"""The offline command generator (no LLM, no network)."""

from .generator import OfflineGenerator, Thresholds

__all__ = ["OfflineGenerator", "Thresholds"]
