"""``cs-console routing``: the routing rule in force and each agent's groups and load.

Registered on the root group by ``cli.root`` through :func:`register`. The rule comes from
``[routing]`` in the config (defaults in ``policy.routing``); groups and loads from the cache.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from cs_console.cli.help_text import Command
from cs_console.cli.support import db_option, dump, open_desk, say
from cs_console.i18n import language, t


def _label(kind: str, code: str) -> str:
    """A code's label in the interface language; the code itself when it has none."""
    for key in (f"{kind}.{code}", f"routing.{kind}.{code}"):
        text = t(key)
        if text != key:
            return text
    return code


def _joined(items: list[str]) -> str:
    return (", " if language() == "en" else "、").join(items)


def _colon() -> str:
    return ": " if language() == "en" else "："


def _mapping_line(kind: str, label_kind: str, mapping: Mapping[str, str]) -> str:
    pairs = [f"{_label(label_kind, k)} → {_label('skill', g)}" for k, g in mapping.items()]
    return f"  {t(f'routing.by.{kind}')}{_colon()}{_joined(pairs) or t('routing.none')}"


def rule_lines(described: dict[str, Any]) -> list[str]:
    """The rule and the team as the console's language says them, one line each."""
    rule = described["rule"]
    yes_no = t("routing.yes") if rule["overflow"] else t("routing.no")
    lines = [
        t("routing.title"),
        _mapping_line("channel", "chan", rule["channels"]),
        _mapping_line("tier", "tier", rule["tiers"]),
        _mapping_line("category", "cat", rule["categories"]),
        f"  {t('routing.by.default')}{_colon()}{_label('skill', rule['default_group'])}",
        t("routing.limits", max_load=rule["max_load"], overflow=yes_no),
        t(
            "routing.assign",
            roles=_joined([_label("role", role) for role in rule["assign_roles"]]),
            pulled=t(f"routing.pulled.{rule['assign_pulled']}"),
        ),
        "",
        t("routing.agents"),
    ]
    if not described["agents"]:
        lines.append(f"  {t('routing.no_agents')}")
    for agent in described["agents"]:
        groups = _joined([_label("skill", g) for g in agent["groups"]])
        lines.append(
            "  "
            + t(
                "routing.agent_line",
                id=agent["id"],
                name=agent["name"],
                role=_label("role", agent["role"]),
                groups=(groups + t(f"routing.from.{agent['groups_from']}"))
                if agent["groups"]
                else t("routing.generalist"),
                load=agent["open"],
                limit=agent["max_load"],
                full=t("routing.full") if agent["at_limit"] else "",
            )
        )
    return lines


@click.command("routing", cls=Command)
@db_option
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"rule": {...}, "agents": [{"id", "name", "role", "groups", "groups_from", '
    '"open", "max_load", "at_limit", "gets_new_tickets"}]}.',
)
@click.pass_context
def routing(ctx: click.Context, as_json: bool) -> None:
    """Show the routing rule ([routing] in the config) and each agent's skill groups and open
    tickets: which channel, tier and category go to which skill group, the most open tickets
    an agent holds, and who new tickets are assigned to."""
    from cs_console.service.routing import Routing

    with open_desk(ctx) as desk:
        described = Routing(desk).describe()
    if as_json:
        dump(described)
        return
    for line in rule_lines(described):
        say(line)


def register(main: click.Group) -> None:
    main.add_command(routing)
