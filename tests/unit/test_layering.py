"""The architecture, checked: the import contract over the whole graph (import-linter, the
contracts in pyproject.toml) and, in a fresh interpreter, every module outside tui/ importing
with Textual blocked. Modules are discovered, not listed by hand."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import cs_console

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(cs_console.__path__, prefix="cs_console.")
        if not info.name.startswith("cs_console.tui") and info.name != "cs_console.__main__"
    ]
    assert len(names) > 40, names  # the walk found the tree
    return names


def test_import_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PROBE = r"""
import importlib, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked below the shells: " + name)
        return None

sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("ok")
"""


def test_everything_but_the_console_imports_without_textual():
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *_modules()], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
