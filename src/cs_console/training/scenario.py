"""Training scenarios as files: ``kb_data/training/<slug>.md``, loaded and validated.

The format is the shared contract in kb_data/FORMAT.md ("Training scenarios"): TOML front matter
between ``+++`` lines (customer, order, opening message, scripted follow-ups, what a good
handling is), then notes for the trainee. ``load_scenarios(dir)`` returns the valid scenarios and
every problem found as ``Problem(path, line, message)`` (printed ``file:line: message``, like the
knowledge-base loader); a broken or hostile file gives problems, never an exception, and never
stops the other files from loading.

The catalogue's SKUs and the knowledge base's slugs live in layers this package may not import
(``cs_console.demo``, ``cs_console.kb``), so the caller passes them in (``known_skus``,
``known_articles``); a check whose set is not given is skipped.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cs_console.i18n import Items, Text, said
from cs_console.policy.returns import (
    COMPENSATION_REASONS,
    REASONS,
    RESOLUTIONS,
    RETURN_REASONS,
)
from cs_console.training.quotes import check_quotes
from cs_console.untrusted import has_control

__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "CHANNELS",
    "TIERS",
    "VERDICTS",
    "Expectation",
    "Followup",
    "Problem",
    "Scenario",
    "ScenarioCustomer",
    "ScenarioLine",
    "ScenarioOrder",
    "default_scenario_dir",
    "load_scenarios",
    "parse_scenario",
]

ACTIONS = ("return", "exchange", "escalate", "compensate", "none")
CATEGORIES = ("pre-sale", "after-sale", "vip", "complaint", "mall")
#: ticket channels the store knows (store/migrations.py, demo/catalogue.py CHANNELS)
CHANNELS = ("chat", "wechat", "app", "email", "phone", "desk", "social")
#: membership tiers (customers.tier; the demo's TIERS)
TIERS = ("member", "silver", "gold", "diamond")
VERDICTS = ("allowed", "refused")
#: the set every scenario is in
ALL_SET = "all"
#: files in the scenario folder that are not scenarios
NOT_SCENARIOS = frozenset({"README.md"})
MAX_FILE_BYTES = 256 * 1024
#: how long a scripted follow-up takes to arrive after the reply it answers, unless the scenario
#: (``followup_delay_seconds``) or the follow-up (``delay_seconds``) says otherwise
DEFAULT_FOLLOWUP_DELAY_SECONDS = 5

_FIELDS: dict[str, tuple[str, ...]] = {
    "": (
        "slug",
        "title",
        "title_zh",
        "category",
        "sets",
        "channel",
        "target_minutes",
        "first_response_seconds",
        "followup_delay_seconds",
        "customer",
        "order",
        "opening",
        "followups",
        "expect",
    ),
    "customer": ("name", "tier", "skin_type", "allergies", "points"),
    "order": ("placed_days_ago", "delivered_days_ago", "promised_days_ago", "lines"),
    "order.lines": ("sku", "qty", "batch", "opened", "shade"),
    "opening": ("subject", "text"),
    "followups": ("after_replies", "text", "delay_seconds"),
    "expect": (
        "articles",
        "action",
        "reason",
        "resolution",
        "verdict",
        "must_say",
        "must_not_say",
        "upset",
        "policy",
    ),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "": (
        "slug",
        "title",
        "title_zh",
        "category",
        "channel",
        "target_minutes",
        "customer",
        "opening",
        "expect",
    ),
    "customer": ("name", "tier"),
    "order": ("placed_days_ago", "lines"),
    "order.lines": ("sku", "qty"),
    "opening": ("subject", "text"),
    "followups": ("after_replies", "text"),
    "expect": ("articles", "action"),
}
# fields whose text may run over several lines (a newline or tab there is not hostile)
_MULTILINE = frozenset({"opening.text", "followups.text"})
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")
_TOML_LINE = re.compile(r"line (\d+)")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_CONTROL = re.compile(r"[\t\n]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, at a 1-based line (0 when no line applies).

    The same shape as the knowledge-base loader's ``Problem`` (which this layer may not import).
    """

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def said(self, lang: str | None = None) -> str:
        """``file:line: message`` in ``lang`` (default: the interface language); ``message``
        reads English as a string (an i18n ``Text`` or, from ``check_quotes``, plain English)."""
        return said(Text("check.at", path=self.path, line=self.line, message=self.message), lang)


@dataclass(frozen=True)
class ScenarioLine:
    sku: str
    qty: int
    batch: str | None
    opened: bool
    shade: str | None  # for a shade exchange: the shade the customer wants instead


@dataclass(frozen=True)
class ScenarioOrder:
    placed_days_ago: int
    delivered_days_ago: int | None  # None: not delivered yet
    lines: tuple[ScenarioLine, ...]
    promised_days_ago: int | None = None  # promised delivery date (negative: still ahead)


@dataclass(frozen=True)
class ScenarioCustomer:
    name: str
    tier: str
    skin_type: str | None
    allergies: tuple[str, ...]
    points: int


@dataclass(frozen=True)
class Followup:
    """The customer's ``text``, sent ``delay_seconds`` after the trainee's Nth reply."""

    after_replies: int
    text: str
    delay_seconds: int = DEFAULT_FOLLOWUP_DELAY_SECONDS


@dataclass(frozen=True)
class Expectation:
    articles: tuple[str, ...]
    action: str
    reason: str | None
    resolution: str | None
    verdict: str | None
    must_say: tuple[tuple[str, ...], ...]
    must_not_say: tuple[str, ...]
    upset: bool
    #: the policy numbers ``must_say`` quotes: names or sums over them (``training.quotes``)
    policy: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    title_zh: str
    category: str
    sets: tuple[str, ...]  # always ends with "all" when the file did not name it
    channel: str
    target_minutes: int
    customer: ScenarioCustomer
    order: ScenarioOrder | None
    subject: str
    opening: str
    followups: tuple[Followup, ...]
    expect: Expectation
    notes: str
    path: Path
    #: the first reply's target; None: the channel's first-response standard (policy.sla)
    first_response_seconds: int | None = None


def default_scenario_dir() -> Path:
    """``kb_data/training`` next to ``kb_data/articles``: the checkout's, else the packaged one.

    Mirrors ``cs_console.kb.paths.default_kb_dir`` (a layer this package may not import).
    """
    package = Path(__file__).resolve().parents[1]
    checkout = package.parents[1] / "kb_data"
    if package.parent.name == "src" and checkout.is_dir():
        return checkout / "training"
    return package / "kb_data" / "training"


def scenario_files(directory: Path) -> list[Path]:
    """The scenario files of a folder, sorted by name (hidden files and README excluded)."""
    if not directory.is_dir():
        return []
    return [
        p
        for p in sorted(directory.glob("*.md"))
        if not p.name.startswith(".") and p.name not in NOT_SCENARIOS
    ]


def load_scenarios(
    directory: Path,
    *,
    known_skus: Collection[str] | None = None,
    known_articles: Collection[str] | None = None,
) -> tuple[list[Scenario], list[Problem]]:
    """Every valid scenario in ``directory`` (sorted by slug) and every problem found."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], [Problem(directory, 0, Text("scenario.check.no_folder"))]
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in scenario_files(directory):
        text, problem = _read(path)
        if problem is not None:
            problems.append(problem)
            continue
        assert text is not None
        try:
            scenario, found = parse_scenario(
                text, path, known_skus=known_skus, known_articles=known_articles
            )
        except Exception as exc:  # never let one file stop the rest
            scenario, found = (
                None,
                [Problem(path, 1, Text("kb.check.cannot_parse", error=repr(exc)))],
            )
        problems.extend(found)
        if scenario is not None:
            scenarios.append(scenario)
    return sorted(scenarios, key=lambda s: s.slug), problems


def _read(path: Path) -> tuple[str | None, Problem | None]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(
                path, 0, Text("scenario.check.too_large", size=size, limit=MAX_FILE_BYTES)
            )
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(path, 0, Text("kb.check.cannot_read", error=exc.strerror or exc))
    if b"\x00" in data:
        return None, Problem(path, 1, Text("scenario.check.binary"))
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, Problem(path, data[: exc.start].count(b"\n") + 1, Text("kb.check.not_utf8"))


def _key_lines(front: str, first_line: int) -> dict[str, int]:
    """The 1-based line of each key and table, by dotted path (``order.lines.0.sku``)."""
    lines: dict[str, int] = {}
    prefix = ""
    counts: dict[str, int] = {}
    for i, raw in enumerate(front.splitlines()):
        number = first_line + i
        header = _HEADER.match(raw)
        if header:
            name = header.group(2)
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                prefix = f"{name}.{index}"
            else:
                prefix = name
            lines.setdefault(prefix, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines.setdefault(f"{prefix}.{key.group(1)}" if prefix else key.group(1), number)
    return lines


class _Checker:
    """Validates one parsed front matter, collecting problems with their lines."""

    def __init__(self, path: Path, lines: dict[str, int], fallback: int) -> None:
        self.path = path
        self.lines = lines
        self.fallback = fallback
        self.problems: list[Problem] = []

    def line(self, where: str) -> int:
        parts = where.split(".")
        while parts:
            found = self.lines.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return self.fallback

    def bad(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, self.line(where), message))

    def table(self, value: Any, where: str, kind: str) -> dict[str, Any]:
        """``value`` as a table with only known keys and every required key present."""
        if not isinstance(value, dict):
            self.bad(where, Text("scenario.check.not_table", where=where))
            return {}
        for key in value:
            if key not in _FIELDS[kind]:
                name = f"{where}.{key}" if where else key
                known = Items(_FIELDS[kind])
                self.bad(name, Text("scenario.check.unknown_field", name=name, known=known))
        for key in _REQUIRED[kind]:
            if key not in value:
                name = f"{where}.{key}" if where else key
                self.bad(where, Text("kb.check.missing_field", field=name))
        return value

    def text(self, table: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str:
        name = f"{where}.{key}" if where else key
        if key not in table:
            return ""
        value = table[key]
        if not isinstance(value, str):
            self.bad(name, Text("kb.check.not_string", field=name))
            return ""
        if not value.strip() and not optional:
            self.bad(name, Text("kb.check.empty_field", field=name))
        self.hostile(value, name)
        return value

    def hostile(self, value: str, name: str) -> None:
        kind = re.sub(r"\.\d+\.", ".", name)
        check = _TEXT_CONTROL.sub("", value) if kind in _MULTILINE else value
        if has_control(check):
            bad = next(c for c in check if has_control(c))
            self.bad(
                name,
                Text("scenario.check.control", name=name, code=f"{ord(bad):04X}"),
            )

    def integer(
        self, table: dict[str, Any], key: str, where: str, *, minimum: int | None = None
    ) -> int | None:
        name = f"{where}.{key}" if where else key
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(name, Text("scenario.check.not_integer", name=name))
            return None
        if minimum is not None and value < minimum:
            self.bad(
                name,
                Text("scenario.check.not_positive", name=name, value=value)
                if minimum == 1
                else Text("scenario.check.too_small", name=name, minimum=minimum, value=value),
            )
            return None
        return value

    def flag(self, table: dict[str, Any], key: str, where: str) -> bool:
        name = f"{where}.{key}" if where else key
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.bad(name, Text("scenario.check.not_flag", name=name))
            return False
        return value

    def strings(
        self, table: dict[str, Any], key: str, where: str, *, non_empty: bool = False
    ) -> tuple[str, ...]:
        name = f"{where}.{key}" if where else key
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(name, Text("kb.check.not_list", field=name))
            return ()
        if non_empty and not value:
            self.bad(name, Text("scenario.check.no_entry", name=name))
        if any(not v.strip() for v in value):
            self.bad(name, Text("kb.check.empty_entry", field=name))
        for v in value:
            self.hostile(v, name)
        return tuple(value)

    def choice(self, value: str, name: str, allowed: Collection[str], what: str) -> None:
        if value and value not in allowed:
            choices = Items(allowed)
            self.bad(
                name,
                Text(
                    "scenario.check.unknown_choice",
                    what=Text(f"scenario.what.{what}"),
                    value=value,
                    choices=choices,
                ),
            )


def parse_scenario(
    text: str,
    path: Path,
    *,
    known_skus: Collection[str] | None = None,
    known_articles: Collection[str] | None = None,
) -> tuple[Scenario | None, list[Problem]]:
    """Parse one file's text: the scenario (``None`` when it has problems) and the problems."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None, [Problem(path, 1, Text("kb.check.empty_file"))]
    rows = text.split("\n")
    if rows[0].strip() != "+++":
        return None, [Problem(path, 1, Text("scenario.check.no_front_matter"))]
    close = next((i for i in range(1, len(rows)) if rows[i].strip() == "+++"), None)
    if close is None:
        return None, [Problem(path, 1, Text("kb.check.front_matter_open"))]
    front = "\n".join(r.rstrip("\r") for r in rows[1:close])
    try:
        meta: dict[str, Any] = tomllib.loads(front)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        line = 1 + int(m.group(1)) if m else close + 1
        return None, [Problem(path, line, Text("kb.check.bad_front_matter", error=str(exc)))]
    c = _Checker(path, _key_lines(front, 2), close + 1)
    top = c.table(meta, "", "")

    slug = c.text(top, "slug", "")
    if slug and slug != path.stem:
        c.bad("slug", Text("kb.check.slug_mismatch", slug=slug, name=path.name))
    elif slug and not _SLUG.match(slug):
        c.bad("slug", Text("scenario.check.bad_slug", slug=slug))
    title = c.text(top, "title", "")
    title_zh = c.text(top, "title_zh", "")
    category = c.text(top, "category", "")
    c.choice(category, "category", CATEGORIES, "category")
    channel = c.text(top, "channel", "")
    c.choice(channel, "channel", CHANNELS, "channel")
    sets = c.strings(top, "sets", "")
    for name in sets:
        if name.strip() and not _SLUG.match(name):
            c.bad("sets", Text("scenario.check.bad_set", name=name))
    if len(set(sets)) != len(sets):
        c.bad("sets", Text("scenario.check.set_twice"))
    target = c.integer(top, "target_minutes", "", minimum=1)
    delay = c.integer(top, "followup_delay_seconds", "", minimum=0)
    first_response = c.integer(top, "first_response_seconds", "", minimum=1)

    customer = _customer(c, top.get("customer"))
    order = _order(c, top["order"], known_skus) if "order" in top else None
    opening = c.table(top.get("opening", {}), "opening", "opening")
    subject = c.text(opening, "subject", "opening")
    opening_text = c.text(opening, "text", "opening")
    followups = _followups(
        c, top.get("followups", []), DEFAULT_FOLLOWUP_DELAY_SECONDS if delay is None else delay
    )
    expect = _expect(c, top.get("expect", {}), order, known_articles)

    body_rows = [r.rstrip("\r") for r in rows[close + 1 :]]
    for i, row in enumerate(body_rows):
        if has_control(row.replace("\t", "")):
            c.problems.append(Problem(path, close + 2 + i, Text("scenario.check.notes_control")))
    if customer is not None and expect is not None:
        where = "expect.policy" if expect.policy else "expect.must_say"
        for message in check_quotes(expect.must_say, expect.policy, points=customer.points):
            c.bad(where, message)
    if c.problems or customer is None or expect is None or target is None:
        return None, c.problems
    all_sets = sets if ALL_SET in sets else (*sets, ALL_SET)
    scenario = Scenario(
        slug=slug,
        title=title,
        title_zh=title_zh,
        category=category,
        sets=all_sets,
        channel=channel,
        target_minutes=target,
        customer=customer,
        order=order,
        subject=subject,
        opening=opening_text,
        followups=followups,
        expect=expect,
        notes="\n".join(body_rows).strip("\n"),
        path=path,
        first_response_seconds=first_response,
    )
    return scenario, c.problems


def _customer(c: _Checker, value: Any) -> ScenarioCustomer | None:
    if value is None:
        return None  # reported as a missing field
    table = c.table(value, "customer", "customer")
    name = c.text(table, "name", "customer")
    tier = c.text(table, "tier", "customer")
    c.choice(tier, "customer.tier", TIERS, "tier")
    skin = c.text(table, "skin_type", "customer") if "skin_type" in table else None
    allergies = c.strings(table, "allergies", "customer")
    points = c.integer(table, "points", "customer", minimum=0)
    return ScenarioCustomer(name, tier, skin or None, allergies, points or 0)


def _order(c: _Checker, value: Any, known_skus: Collection[str] | None) -> ScenarioOrder | None:
    table = c.table(value, "order", "order")
    placed = c.integer(table, "placed_days_ago", "order", minimum=0)
    delivered = c.integer(table, "delivered_days_ago", "order", minimum=0)
    promised = c.integer(table, "promised_days_ago", "order")
    if placed is not None and delivered is not None and delivered > placed:
        c.bad(
            "order.delivered_days_ago",
            Text("scenario.check.delivered_before_placed", delivered=delivered, placed=placed),
        )
    if placed is not None and promised is not None and promised > placed:
        c.bad("order.promised_days_ago", Text("scenario.check.promised_before_placed"))
    raw_lines = table.get("lines", [])
    if not isinstance(raw_lines, list) or not raw_lines:
        if "lines" in table:
            c.bad("order.lines", Text("scenario.check.no_lines"))
        raw_lines = []
    lines: list[ScenarioLine] = []
    for i, raw in enumerate(raw_lines):
        where = f"order.lines.{i}"
        line = c.table(raw, where, "order.lines")
        sku = c.text(line, "sku", where)
        if sku and known_skus is not None and sku not in known_skus:
            c.bad(f"{where}.sku", Text("scenario.check.unknown_sku", sku=sku))
        qty = c.integer(line, "qty", where, minimum=1)
        batch = c.text(line, "batch", where, optional=True) if "batch" in line else ""
        shade = c.text(line, "shade", where, optional=True) if "shade" in line else ""
        opened = c.flag(line, "opened", where)
        lines.append(ScenarioLine(sku, qty or 1, batch.strip() or None, opened, shade or None))
    if placed is None:
        return None
    return ScenarioOrder(placed, delivered, tuple(lines), promised)


def _followups(c: _Checker, value: Any, delay: int) -> tuple[Followup, ...]:
    if not isinstance(value, list):
        c.bad("followups", Text("scenario.check.followups_not_tables"))
        return ()
    out: list[Followup] = []
    last = 0
    for i, raw in enumerate(value):
        where = f"followups.{i}"
        table = c.table(raw, where, "followups")
        after = c.integer(table, "after_replies", where, minimum=1)
        text = c.text(table, "text", where)
        own = c.integer(table, "delay_seconds", where, minimum=0)
        if after is not None:
            if after <= last:
                c.bad(
                    f"{where}.after_replies",
                    Text("scenario.check.followups_order", after=after, last=last),
                )
            last = max(last, after)
            out.append(Followup(after, text, delay if own is None else own))
    return tuple(out)


def _expect(
    c: _Checker, value: Any, order: ScenarioOrder | None, known_articles: Collection[str] | None
) -> Expectation | None:
    where = "expect"
    table = c.table(value, where, "expect")
    if not table:
        return None
    articles = c.strings(table, "articles", where, non_empty="articles" in table)
    if known_articles is not None:
        for slug in articles:
            if slug.strip() and slug not in known_articles:
                c.bad("expect.articles", Text("scenario.check.unknown_article", slug=slug))
    action = c.text(table, "action", where)
    c.choice(action, "expect.action", ACTIONS, "action")
    reason = c.text(table, "reason", where) if "reason" in table else ""
    resolution = c.text(table, "resolution", where) if "resolution" in table else ""
    verdict = c.text(table, "verdict", where) if "verdict" in table else ""
    c.choice(reason, "expect.reason", REASONS, "reason")
    c.choice(resolution, "expect.resolution", RESOLUTIONS, "resolution")
    c.choice(verdict, "expect.verdict", VERDICTS, "verdict")
    goods = action in ("return", "exchange")
    if goods:
        if not reason:
            c.bad(where, Text("scenario.check.needs_reason", action=action))
        elif reason in REASONS and reason not in RETURN_REASONS:
            c.bad(
                "expect.reason",
                Text("scenario.check.reason_compensates", reason=reason, action=action),
            )
        if not verdict:
            c.bad(where, Text("scenario.check.needs_verdict", action=action))
        if order is None and "order" not in c.lines:
            c.bad(where, Text("scenario.check.needs_order", action=action))
    elif action == "compensate":
        if reason and reason in REASONS and reason not in COMPENSATION_REASONS:
            c.bad("expect.reason", Text("scenario.check.reason_returns", reason=reason))
    elif reason or resolution or verdict:
        given = (("reason", reason), ("resolution", resolution), ("verdict", verdict))
        names = [n for n, v in given if v]
        c.bad(
            "expect.action",
            Text("scenario.check.takes_no", action=action, names=Items(names)),
        )
    if action == "exchange" and resolution and resolution != "exchange":
        c.bad(
            "expect.resolution", Text("scenario.check.exchange_resolution", resolution=resolution)
        )
    must_say = _must_say(c, table.get("must_say", []))
    must_not = c.strings(table, "must_not_say", where)
    upset = c.flag(table, "upset", where)
    policy = c.strings(table, "policy", where)
    return Expectation(
        articles,
        action,
        reason or None,
        resolution or None,
        verdict or None,
        must_say,
        must_not,
        upset,
        policy,
    )


def _phrase_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _must_say(c: _Checker, value: Any) -> tuple[tuple[str, ...], ...]:
    name = "expect.must_say"
    if not isinstance(value, list) or not all(_phrase_list(v) for v in value):
        c.bad(name, Text("scenario.check.must_say_shape"))
        return ()
    facts: list[tuple[str, ...]] = []
    for i, phrases in enumerate(value, start=1):
        if not phrases:
            c.bad(name, Text("scenario.check.fact_empty", i=i))
        elif any(not p.strip() for p in phrases):
            c.bad(name, Text("scenario.check.fact_empty_phrase", i=i))
        for p in phrases:
            c.hostile(p, name)
        facts.append(tuple(phrases))
    return tuple(facts)
