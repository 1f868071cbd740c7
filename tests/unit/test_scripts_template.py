"""Reply-script rendering and stacking."""

from __future__ import annotations

from cs_console.policy.numbers import NUMBERS
from cs_console.scripts.template import PLACEHOLDERS, Rendered, prompt, render, stack


def test_fills_placeholders_from_the_context() -> None:
    r = render(
        "{{customer_name}}您好,订单{{order_no}}已退款{{amount}}元。",
        {"customer_name": "王女士", "order_no": "A100", "amount": 59},
    )
    assert r == Rendered("王女士您好,订单A100已退款59元。", len(r.text), False)


def test_missing_or_empty_value_becomes_a_visible_prompt() -> None:
    r = render(
        "订单{{order_no}},{{customer_name}},{{tracking_no}}",
        {"customer_name": "  ", "tracking_no": None},
    )
    assert r.text == "订单【订单号】,【客户称呼】,【快递单号】"
    assert "" not in [prompt(n).strip("【】") for n in PLACEHOLDERS]


def test_every_catalogue_placeholder_has_a_chinese_label() -> None:
    for name in PLACEHOLDERS:
        assert prompt(name).startswith("【") and prompt(name) != f"【{name}】"


def test_cursor_is_removed_and_its_offset_returned() -> None:
    r = render("{{customer_name}}您好,{{cursor}}祝您愉快", {"customer_name": "李先生"})
    assert r.text == "李先生您好,祝您愉快"
    assert r.cursor == len("李先生您好,") and r.has_cursor


def test_no_cursor_means_end_of_text() -> None:
    r = render("您好", {})
    assert r.cursor == 2 and not r.has_cursor


def test_only_the_first_cursor_counts() -> None:
    r = render("a{{cursor}}b{{cursor}}c")
    assert r.text == "abc" and r.cursor == 1


def test_policy_numbers_are_filled() -> None:
    r = render("{{policy.return_unopened_days}}天")
    assert r.text == f"{NUMBERS['return_unopened_days']}天"


def test_stack_joins_with_a_blank_line_and_keeps_the_first_cursor() -> None:
    a = render("您好。")
    b = render("订单{{order_no}}{{cursor}}已处理。", {"order_no": "A1"})
    c = render("再见{{cursor}}")
    s = stack([a, b, c])
    assert s.text == "您好。\n\n订单A1已处理。\n\n再见"
    assert s.cursor == len("您好。\n\n订单A1") and s.has_cursor


def test_stack_without_cursors_ends_at_the_end() -> None:
    s = stack([render("一"), render("二")])
    assert s.text == "一\n\n二" and s.cursor == len(s.text) and not s.has_cursor
    assert stack([]).text == ""
