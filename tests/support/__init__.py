"""Reusable test helpers (a loopback quota server, sample payloads)."""
