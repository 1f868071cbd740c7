"""The layers below the service layer never import Textual (DESIGN.md section 2)."""

import subprocess
import sys

CORE = [
    "cs_console.store.db",
    "cs_console.service.desk",
    "cs_console.demo.generator",
    "cs_console.config",
    "cs_console.demo.catalogue",
    "cs_console.store.migrations",
    "cs_console.clock",
    "cs_console.i18n",
    "cs_console.policy.sla",
    "cs_console.policy.triage",
    "cs_console.policy.roles",
    "cs_console.policy.followups",
    "cs_console.policy.numbers",
    "cs_console.policy.returns",
    "cs_console.service.returns",
    "cs_console.kb.loader",
    "cs_console.kb.search",
    "cs_console.scripts.template",
    "cs_console.sync.engine",
    "cs_console.sync.planning",
    "cs_console.sync.backends.rt",
    "cs_console.cli.root",
]
OPTIONAL: list[str] = []

PROBE = r"""
import importlib, importlib.util, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("textual is blocked below the service layer: " + name)
        return None

sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        found = None
    if found is None and name in %r:
        continue
    importlib.import_module(name)
print("ok")
"""


def test_core_modules_import_without_textual():
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (OPTIONAL,), *CORE, *OPTIONAL],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
