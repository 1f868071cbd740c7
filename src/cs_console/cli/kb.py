"""``cs-console kb ...``: search, show, check, eval, import and export the knowledge base.

The root CLI adds this group with ``main.add_command(kb)`` and puts its ``--kb DIR`` in
``ctx.obj["kb_dir"]``. Only click and the standard library are imported here; the engine loads
when a command runs.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from cs_console.cli.help_text import Group
from cs_console.cli.support import dump, emit_exact, say

__all__ = ["kb"]


def _kb_dir(ctx: click.Context) -> Path:
    value = (ctx.obj or {}).get("kb_dir") if isinstance(ctx.obj, dict) else None
    if value:
        return Path(value)
    from cs_console.kb.paths import default_kb_dir

    return default_kb_dir()


def _engine(ctx: click.Context):
    from cs_console.service.knowledge_index import open_engine

    return open_engine(_kb_dir(ctx))


def _knowledge(ctx: click.Context):
    """The engine as the agent reads it (zh-Hant: traditional characters; service.knowledge)."""
    from cs_console.i18n import language
    from cs_console.service.knowledge import Knowledge

    return Knowledge(_engine(ctx), language())


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _cut(s: str, width: int) -> str:
    out: list[str] = []
    used = 0
    for c in s:
        w = _width(c)
        if used + w > width - 1:
            return "".join(out) + "…"
        out.append(c)
        used += w
    return "".join(out)


def _hit_json(hit) -> dict:
    return {
        "slug": hit.slug,
        "title": hit.title,
        "title_zh": hit.title_zh,
        "score": hit.score,
        "kind": hit.kind,
    }


@click.group(cls=Group)
def kb() -> None:
    """Search and maintain the knowledge base (articles and reply scripts)."""


@kb.command()
@click.argument("query", required=False)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, best first.")
@click.option(
    "--stdin",
    "from_stdin",
    is_flag=True,
    help="One query per input line; one JSON array per output line.",
)
@click.pass_context
def search(
    ctx: click.Context, query: str | None, limit: int, as_json: bool, from_stdin: bool
) -> None:
    """Find articles and scripts for QUERY (Chinese, pinyin, initials or English)."""
    if from_stdin == (query is not None):
        from cs_console.i18n import t

        raise click.UsageError(t("cli.kb.search.one_source"))
    engine = _knowledge(ctx)
    if from_stdin:
        for line in sys.stdin:
            hits = engine.search(line.rstrip("\r\n"), limit=limit)
            dump([_hit_json(h) for h in hits])
        return
    assert query is not None
    hits = engine.search(query, limit=limit)
    if as_json:
        dump([_hit_json(h) for h in hits])
        return
    from cs_console.i18n import t

    if not hits:
        say(t("cli.kb.no_match", query=query))
        return
    slug_w = max(4, *(len(h.slug) for h in hits))
    zh_w = min(28, max(8, *(_width(h.title_zh) for h in hits)))
    score = t("cli.kb.search.score")
    score = " " * max(0, 5 - _width(score)) + score
    heading = _pad(t("cli.kb.search.title_zh"), zh_w)
    say(f"{score}  {_pad('slug', slug_w)}  {heading}  {t('cli.kb.search.title')}")
    for h in hits:
        zh = _cut(h.title_zh, zh_w) if _width(h.title_zh) > zh_w else h.title_zh
        say(f"{h.score:5.1f}  {_pad(h.slug, slug_w)}  {_pad(zh, zh_w)}  {h.title}")


@kb.command()
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.pass_context
def show(ctx: click.Context, slug: str, as_json: bool) -> None:
    """Print one article or script file with its reply scripts."""
    from cs_console.i18n import language, t
    from cs_console.service.knowledge import TRADITIONAL, to_traditional

    engine = _knowledge(ctx)
    article = engine.get(slug)
    if article is None:
        near = [h.slug for h in engine.search(slug, limit=3)]
        joiner = ", " if language() == "en" else "、"
        hint = t("cli.kb.did_you_mean", slugs=joiner.join(near)) if near else ""
        say(t("err.prefix", message=t("cli.kb.no_article", slug=slug, hint=hint)), err=True)
        ctx.exit(1)
    if as_json:
        data = {
            "slug": article.slug,
            "title": article.title,
            "title_zh": article.title_zh,
            "category": article.category,
            "kind": article.kind,
            "question": article.question,
            "aliases": list(article.aliases),
            "tags": list(article.tags),
            "products": list(article.products),
            "body": article.body,
            "scripts": [{"title": s.title, "text": s.text} for s in article.scripts],
        }
        dump(data, indent=2)
        return
    # zh-Hant agents read articles in traditional characters, as in the console
    shown = to_traditional if language() == TRADITIONAL else str
    say(f"{shown(article.title_zh)}  ·  {article.title}")
    say(f"[{article.slug}]  {article.category}  {article.path}")
    if article.question:
        say(t("cli.kb.question", text=shown(article.question)))
    if article.aliases:
        say(t("cli.kb.aliases", text=shown(" | ".join(article.aliases))))
    if article.tags:
        say(t("cli.kb.tags", text=shown(" | ".join(article.tags))))
    say("")
    say(shown(article.body))
    say("")
    say(t("cli.kb.scripts", n=len(article.scripts)))
    for i, s in enumerate(article.scripts, 1):
        say(f"  {i}. {shown(s.title)}")


@kb.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--fix-punctuation",
    is_flag=True,
    help="First rewrite ASCII , : ; ! ? ( ) that touch Chinese text in article and script "
    "files as full width (code, URLs, placeholders, times and English are left alone).",
)
@click.pass_context
def check(ctx: click.Context, directory: Path | None, fix_punctuation: bool) -> None:
    """Validate DIRECTORY (default: the configured knowledge base); exit 1 on any problem.

    Besides the file format it reports ASCII punctuation in Chinese text and bad lines of
    vocabulary/*.tsv (file:line).
    """
    from cs_console import i18n
    from cs_console.cli.kb_scenarios import check_scenarios
    from cs_console.kb.loader import iter_files, load_kb
    from cs_console.kb.punctuation import fix_text, punctuation_problems

    target = directory or _kb_dir(ctx)
    style = []
    for path, _kind in iter_files(target) if target.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the loader reports the file
        if fix_punctuation:
            fixed = fix_text(text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                say(i18n.t("cli.kb.check.fixed", path=path), err=True)
                text = fixed
        style.extend(punctuation_problems(path, text))
    from cs_console.kb.vocab import vocab_problems

    style.extend(vocab_problems(target) if target.is_dir() else ())
    result = load_kb(target)
    for p in [*result.problems, *style]:
        say(p.said())
    articles = sum(1 for a in result.articles if a.kind == "article")
    scripts = len(result.articles) - articles
    if result.problems:
        say(
            i18n.t(
                "cli.kb.check.problems",
                n=len(result.problems),
                files=len(result.skipped),
                valid=len(result.articles),
                articles=articles,
                scripts=scripts,
            ),
            err=True,
        )
    else:
        n = len(result.articles)
        say(i18n.t("cli.kb.check.ok", n=n, articles=articles, scripts=scripts, folder=target))
    if style:
        say(i18n.t("cli.kb.check.style", n=len(style)), err=True)
    scenarios_ok = check_scenarios(target, {a.slug for a in result.articles})
    if result.problems or style or not scenarios_ok:
        ctx.exit(1)


@kb.command("eval")
@click.argument("tsv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures and misses as JSON.")
@click.pass_context
def eval_(ctx: click.Context, tsv: Path, as_json: bool) -> None:
    """Recall@1 and recall@5 of the queries in TSV (columns: query, expected, kind)."""
    from cs_console.kb.evaluation import read_cases, run_eval

    try:
        cases = read_cases(tsv)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    report = run_eval(_engine(ctx), cases)
    if as_json:
        dump(report.as_dict(), indent=2)
        return
    from cs_console import i18n

    say(i18n.t("cli.kb.eval.queries", n=report.total))
    say(f"recall@1  {report.recall1:.3f}  ({report.at1}/{report.total})")
    say(f"recall@5  {report.recall5:.3f}  ({report.at5}/{report.total})")
    say("")
    kind_label = i18n.t("cli.kb.eval.kind")
    pad = 12 - (len(kind_label.encode("utf-8")) - len(kind_label)) // 2  # a CJK label: 2 columns
    say(f"{kind_label:<{pad}} {'n':>4} {'@1':>6} {'@5':>6}")
    for kind, (n, a1, a5) in sorted(report.kinds.items()):
        say(f"{kind or '-':<12} {n:>4} {a1 / n:>6.2f} {a5 / n:>6.2f}")
    if report.misses:
        say("")
        say(i18n.t("cli.kb.eval.misses"))
        for m in report.misses:
            rank = f"#{m.rank}" if m.rank else i18n.t("cli.kb.eval.not_in_top")
            top = ", ".join(m.got[:3]) or i18n.t("cli.kb.eval.nothing")
            expected = ",".join(m.case.expected)
            say(
                i18n.t(
                    "cli.kb.eval.miss", query=m.case.query, expected=expected, rank=rank, top=top
                )
            )


@kb.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Knowledge-base folder to write into (default: the configured one).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="The sheet was exported with `kb export --raw`: take every cell as it is (by default "
    "the ' that the export put in front of a cell starting with = + - @ is taken off).",
)
@click.pass_context
def import_(ctx: click.Context, csv_file: Path, into: Path | None, raw: bool) -> None:
    """Write article files from a spreadsheet export (columns: see `kb export`).

    Every row is validated first; if any row is bad, its row number and problem are printed and
    nothing is written.
    """
    from cs_console import i18n
    from cs_console.kb.csvio import import_csv

    target = into or _kb_dir(ctx)
    result = import_csv(csv_file, target, raw=raw)
    if result.problems:
        for p in result.problems:
            say(i18n.t("cli.kb.import.problem", path=csv_file, message=i18n.said(p)), err=True)
        say(i18n.t("cli.kb.import.nothing"), err=True)
        ctx.exit(1)
    for path in result.written:
        say(i18n.t("cli.kb.import.wrote", path=path))
    say(i18n.t("cli.kb.import.done", n=len(result.written), target=target))


@kb.command("export")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV file to write (default: standard output).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="Write cells exactly as they are. Dangerous: a spreadsheet runs a cell starting with "
    "= + - @ (or tab, CR) as a formula, e.g. =HYPERLINK(...); by default such a cell gets a ' "
    "in front, which `kb import` takes off again.",
)
@click.pass_context
def export_(ctx: click.Context, out: Path | None, raw: bool) -> None:
    """Write every article and script as CSV, one row each (a UTF-8 BOM when writing a file).

    Columns: slug,title,title_zh,category,question,aliases,tags,products,body,scripts; list
    cells are separated by '|'; scripts is the '## 话术 · <title>' sections of the article.
    A cell that a spreadsheet would run as a formula is written with a ' in front (see --raw).
    """
    from cs_console import i18n
    from cs_console.kb.csvio import export_csv

    text, problems = export_csv(_kb_dir(ctx), raw=raw)
    for p in problems:
        say(i18n.t("cli.kb.export.skipped", problem=i18n.said(p)), err=True)
    if out is None:
        emit_exact(text)
        return
    out.write_text(text, encoding="utf-8-sig", newline="")
    say(i18n.t("cli.kb.import.wrote", path=out), err=True)
