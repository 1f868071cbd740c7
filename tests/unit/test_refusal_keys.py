"""Every refusal the service or the policy raises names an i18n key that exists in all three
languages and whose ``{fields}`` the raise site fills, found by reading the source (ast): a new
``raise DeskError("an English sentence")`` or a key with a typo fails here, not in front of an
agent."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from cs_console.i18n import CATALOGUE
from cs_console.service.desk import DeskError, UnfilledPrompts
from cs_console.service.errors import Term, render
from language_checks import cjk_in, simplified_in

SRC = Path(__file__).resolve().parents[2] / "src" / "cs_console"
SCANNED = sorted((SRC / "service").glob("*.py")) + sorted((SRC / "policy").glob("*.py"))
# ASCII punctuation touching a Chinese character (YYYY-MM-DDTHH:MM and `cs-console` stay)
ASCII_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SCANNED}


def _refusal_classes(trees: dict[Path, ast.Module]) -> tuple[set[str], set[str]]:
    """DeskError and its subclasses (to a fixpoint), and the subclasses with their own
    __init__ (DeskError's own renders whatever key it is given: not a raise site)."""
    classes = [n for tree in trees.values() for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    family = {"DeskError"}
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if node.name not in family and bases & family:
                family.add(node.name)
                grew = True
    own_init = {
        node.name
        for node in classes
        if node.name in family - {"DeskError"}
        and any(isinstance(f, ast.FunctionDef) and f.name == "__init__" for f in node.body)
    }
    return family, own_init


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "__init__"
        and isinstance(func.value, ast.Call)
        and _name(func.value.func) == "super"
    )


def _refusal_sites() -> list[tuple[str, ast.Call]]:
    """(where, call) for every refusal raised: constructor calls of the family, and the
    ``super().__init__`` inside a family class that has its own ``__init__``."""
    trees = _trees()
    family, own_init = _refusal_classes(trees)
    sites = []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in own_init:
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and _is_super_init(call):
                        sites.append((f"{path.name}:{call.lineno}", call))
            if isinstance(node, ast.Call) and _name(node.func) in family - own_init:
                sites.append((f"{path.name}:{node.lineno}", node))
    return sites


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


SITES = _refusal_sites()


def test_the_scan_finds_the_refusals():
    assert len(SITES) >= 60  # desk, returns, queue, session, training, followups, metrics...
    files = {where.split(":")[0] for where, _ in SITES}
    assert {"desk.py", "returns.py", "queue.py", "session.py", "training.py"} <= files


@pytest.mark.parametrize(("where", "call"), SITES, ids=[where for where, _ in SITES])
def test_each_refusal_names_a_key_in_three_languages_and_fills_its_fields(where, call):
    assert call.args, f"{where}: a refusal needs an i18n key as its first argument"
    first = call.args[0]
    if isinstance(first, ast.Name) and any(k.arg is None for k in call.keywords):
        return  # DeskError(key, **params) passes on a (key, params) pair: see the next test
    assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
        f"{where}: the key must be a plain string, not {ast.unparse(first)}"
    )
    key = first.value
    assert key in CATALOGUE, f"{where}: {key!r} is not in the i18n catalogue"
    given = {k.arg for k in call.keywords if k.arg is not None}
    spread = any(k.arg is None for k in call.keywords)
    for lang, template in zip(("zh-Hans", "zh-Hant", "en"), CATALOGUE[key], strict=True):
        assert template, f"{key} has no {lang} text"
        if not spread:
            missing = _fields(template) - given
            assert not missing, f"{where}: {key} ({lang}) needs {sorted(missing)}"


def test_every_error_key_written_in_the_service_or_policy_exists():
    """Keys handed on as data (a policy's ``(key, params)`` problems) exist too."""
    keys = {
        node.value
        for tree in _trees().values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"err\.[a-z_.]+", node.value)
    }
    assert len(keys) >= 50
    assert sorted(keys - set(CATALOGUE)) == []


def test_each_term_and_supervisor_action_has_labels():
    for tree in _trees().values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if _name(node.func) == "Term" and args and args[0] is not None:
                kind = args[0]
                if len(args) > 1 and args[1] is not None:
                    assert f"{kind}.{args[1]}" in CATALOGUE, (kind, args[1])
                else:
                    assert any(k.startswith(f"{kind}.") for k in CATALOGUE), kind
            if _name(node.func) == "check_role_on_record" and len(args) > 1 and args[1]:
                assert f"can.{args[1]}" in CATALOGUE, args[1]
    cli = (SRC / "cli" / "training.py").read_text(encoding="utf-8")
    assert 'check_role_on_record(roles.can_approve, "practice_for_others")' in cli
    assert "can.practice_for_others" in CATALOGUE


ERROR_KEYS = sorted(k for k in CATALOGUE if k.split(".")[0] in ("err", "can", "cache"))


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_each_refusal_text_is_in_its_language(key):
    hans, hant, en = CATALOGUE[key]
    assert not cjk_in(en), (key, en)
    assert not simplified_in(hant), (key, simplified_in(hant))
    for chinese in (hans, hant):
        assert not ASCII_BESIDE_CHINESE.search(chinese), (key, chinese)  # full-width in Chinese
        assert cjk_in(chinese), (key, chinese)


def test_a_refusal_reads_in_the_agent_language_and_str_stays_english():
    exc = DeskError("err.reopen_first", ticket=7, status=Term("status", "resolved"))
    assert str(exc) == "ticket 7 is resolved; reopen it first"
    assert exc.message("zh-Hans") == "工单 7 已解决，请先重新打开"
    assert exc.message("zh-Hant") == "工單 7 已解決，請先重新開啟"
    prompts = UnfilledPrompts(["【订单号】", "【姓名】"])
    assert str(prompts) == "fill in the placeholders before sending: 【订单号】、【姓名】"
    assert prompts.message("en") == str(prompts)


def test_parameters_are_shown_as_given_and_lists_are_joined_per_language():
    hostile = "{ticket}[b]red[/b]\x1b"
    exc = DeskError("err.no_customer", customer=hostile)
    assert exc.message("en") == f"customer {hostile} does not exist"  # never formatted again
    assert render("err.unknown_category", {"category": "'x'", "choices": ("a", "b")}, "en") == (
        "unknown category 'x'; one of a, b"
    )
    assert render(
        "err.unknown_category", {"category": "'x'", "choices": ("a", "b")}, "zh-Hans"
    ) == ("未知的类别 'x'；可选：a、b")
    assert render("no.such.key", {"n": 1}, "en") == "no.such.key n=1"  # visible, not a crash
    assert Term("status", "nonsense").label("en") == "nonsense"
