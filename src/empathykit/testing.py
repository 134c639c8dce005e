"""Helpers for people who write their own scorers (filled in by the extension work)."""
