"""``cs-console kb check`` for the training scenarios in ``<kb>/training``.

The scenario loader may not import the knowledge base or the demo catalogue (layers), so the
shell hands it the slugs that loaded and the catalogue's SKUs.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from cs_console.cli.support import say

__all__ = ["check_scenarios"]


def check_scenarios(kb_dir: Path, article_slugs: Collection[str]) -> bool:
    """Print the problems of ``kb_dir/training`` and a count line; True when there are none.

    A knowledge base without a ``training`` folder has no scenarios to check (True, silent).
    """
    from cs_console.demo.generator import PRODUCTS
    from cs_console.i18n import t
    from cs_console.training.scenario import load_scenarios, scenario_files

    folder = kb_dir / "training"
    if not folder.is_dir():
        return True
    scenarios, problems = load_scenarios(
        folder, known_skus={p.sku for p in PRODUCTS}, known_articles=set(article_slugs)
    )
    for p in problems:
        say(p.said())
    if problems:
        files = len({p.path for p in problems})
        total = len(scenario_files(folder))
        say(
            t(
                "cli.scenarios.problems",
                n=len(problems),
                files=files,
                valid=len(scenarios),
                total=total,
            ),
            err=True,
        )
        return False
    say(t("cli.scenarios.ok", n=len(scenarios), folder=folder))
    return True
