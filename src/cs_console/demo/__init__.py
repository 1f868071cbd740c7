"""Deterministic demo data: the generator, its texts and its catalogue."""

from cs_console.demo.generator import seed

__all__ = ["seed"]
