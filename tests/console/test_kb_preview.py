"""The knowledge preview: the answer rendered as Markdown with links and images inert, cleared
by a new search, and in traditional characters for a zh-Hant agent (issue 11 item 9)."""

from __future__ import annotations

import sys
from pathlib import Path

from console_helpers import SIZE, make_app, plain, wait_for
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownH2

from cs_console.tui.widgets.composer import Composer
from cs_console.tui.widgets.kb_panel import KbPanel
from cs_console.tui.widgets.safe_markdown import safe_parser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from kb_fixture import ENTRIES, write_kb  # noqa: E402

MARKED_UP = """+++
slug = "zz-marked-up"
title = "Stop using it first"
title_zh = "先停用再处理"
category = "after-sale"
question = "脸红了怎么办?"
aliases = ["zzmarkup", "脸红了怎么办", "先停用"]
+++

请顾客**立即停用**,再问*批号*。

## 处理步骤

1. 登记批号
2. 详见[内部流程](https://evil.example/steal) ![示意图](https://evil.example/pixel.png)
3. <b>不是HTML</b> <https://auto.example> https://bare.example [red]不是Rich[/red]

## 话术 · 先停用
{{customer_name}}您好,请您先停止使用{{product}}。{{cursor}}
"""


def _kb(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "kb", {**ENTRIES, "zz-marked-up": ("articles", MARKED_UP)})


def _preview_text(panel: KbPanel) -> str:
    box = panel.query_one("#kb-preview-box")
    return "\n".join(plain(w.content) for w in box.query(Static))


async def _search(pilot, panel: KbPanel, query: str, slug: str) -> None:
    box = panel.query_one("#kb-query")
    box.value = query
    await wait_for(pilot, lambda: bool(panel.hits) and panel.hits[0].slug == slug)


async def test_preview_renders_markdown_with_links_and_images_inert(console_store, tmp_path):
    app = make_app(console_store, kb_dir=_kb(tmp_path))
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.press("slash")
        await _search(pilot, panel, "zzmarkup", "zz-marked-up")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "处理步骤" in _preview_text(panel))
        shown = _preview_text(panel)
        # Markdown, rendered: no ## or ** left, the heading is a heading
        assert "立即停用" in shown and "**" not in shown and "##" not in shown
        headings = panel.query(MarkdownH2)
        assert [plain(h.content).strip() for h in headings] == ["处理步骤"]
        # a link keeps its text, an image its alt text; no address anywhere
        assert "详见内部流程 示意图" in shown
        assert "evil.example" not in shown
        # raw HTML and Rich markup are text; a bare or angled URL is plain text, not a link
        assert "<b>不是HTML</b>" in shown and "[red]不是Rich[/red]" in shown
        assert "https://auto.example" in shown and "https://bare.example" in shown
        # the scripts follow as they will be inserted
        assert "[1] 先停用" in shown and "{{customer_name}}您好" in shown
        # clicking the rendered answer opens nothing
        body = panel.query_one("#kb-preview-body", Markdown)
        for block in body.query(Static):
            await pilot.click(block)
        assert opened == []


def test_the_preview_parser_leaves_no_link_or_image():
    tokens = safe_parser().parse(
        "[a](https://x.example) ![b](file:///etc/passwd) <https://y.example> [c][r]\n\n"
        "[r]: javascript:alert(1)\n"
    )
    kinds = {child.type for token in tokens for child in token.children or ()}
    assert kinds == {"text"}
    assert [c.content for t in tokens for c in t.children or ()] == [
        "a",
        " ",
        "b",
        " ",
        "https://y.example",
        " ",
        "c",
    ]


async def test_a_new_search_clears_the_preview(console_store, tmp_path):
    app = make_app(console_store, kb_dir=_kb(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.press("slash")
        await _search(pilot, panel, "zzmarkup", "zz-marked-up")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "处理步骤" in _preview_text(panel))
        assert panel.previewing == "zz-marked-up"
        await pilot.press("slash")  # back to the search box, its text selected
        for ch in "guomin":
            await pilot.press(ch)
        assert panel.previewing is None
        await wait_for(pilot, lambda: "处理步骤" not in _preview_text(panel))
        assert _preview_text(panel).strip() == ""
        await wait_for(pilot, lambda: bool(panel.hits))
        assert panel.hits[0].slug == "allergy-reaction-handling"
        await pilot.press("enter")  # the new search's first hit previews
        await wait_for(pilot, lambda: "使用后过敏反应的处理" in _preview_text(panel))
        assert panel.previewing == "allergy-reaction-handling"
        assert "处理步骤" not in _preview_text(panel)


async def test_zh_hant_agents_read_articles_and_insert_scripts_in_traditional(
    console_store, tmp_path
):
    app = make_app(console_store, lang="zh-Hant", kb_dir=_kb(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        await pilot.press("slash")
        await _search(pilot, panel, "guomin", "allergy-reaction-handling")
        assert panel.hits[0].title_zh == "使用後過敏反應的處理"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "使用後過敏反應的處理" in _preview_text(panel))
        shown = _preview_text(panel)
        assert "用了精華臉上又紅又癢怎麼辦" in shown  # the question
        assert "請顧客立即停用" in shown and "出現紅腫、刺痛持續不退請就醫" in shown
        assert "[1] 先停用" in shown and "請先停止使用" in shown
        assert "过敏" not in shown and "请" not in shown
        await pilot.press("i")
        composer = app.screen.query_one(Composer)
        assert "請先停止使用" in composer.text and "请" not in composer.text


async def test_a_zh_hant_agents_script_prompts_are_traditional_and_guard_the_send(
    console_store, tmp_path
):
    """A value the ticket lacks becomes a prompt in the agent's script (【商品名稱】, not
    【商品名称】): tab selects it and sending is refused while it stands."""
    from cs_console.scripts.template import render, unfilled_prompts

    ticket_id = console_store.scalar(
        "SELECT id FROM tickets WHERE status = 'open' AND order_id IS NULL ORDER BY id LIMIT 1"
    )
    app = make_app(console_store, lang="zh-Hant", kb_dir=_kb(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(KbPanel)
        await wait_for(pilot, lambda: panel.engine is not None)
        app.screen.open_ticket(ticket_id)
        await pilot.pause()
        await pilot.press("slash")
        await _search(pilot, panel, "guomin", "allergy-reaction-handling")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "使用後過敏反應的處理" in _preview_text(panel))
        await pilot.press("i")
        composer = app.screen.query_one(Composer)
        assert "【商品名稱】" in composer.text and "【商品名称】" not in composer.text
        composer.move_cursor((0, 0))
        await pilot.press("tab")
        assert composer.selected_text == "【商品名稱】"
    assert unfilled_prompts("請先停用【商品名稱】") == ["【商品名稱】"]
    assert render("{{order_no}}", {}, traditional=True).text == "【訂單號】"
