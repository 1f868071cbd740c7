"""Where the shipped knowledge base lives."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_kb_dir"]


def default_kb_dir() -> Path:
    """The repository's ``kb_data/`` when running from a checkout, else the packaged copy.

    A checkout has ``src/cs_console/../../kb_data``; an installed wheel carries the same files as
    ``cs_console/kb_data`` (pyproject's ``force-include``).
    """
    package = Path(__file__).resolve().parents[1]
    checkout = package.parents[1] / "kb_data"
    if package.parent.name == "src" and checkout.is_dir():
        return checkout
    return package / "kb_data"
