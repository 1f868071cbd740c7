"""Sync problems in the agent's language (service.sync.problem_text): the engine's and the
backends' English phrases by their keys, the backend's own text after them as data."""

from __future__ import annotations

import httpx
import pytest

from cs_console.config import RtSettings
from cs_console.service.sync import (
    AuthRequired,
    NotConfigured,
    Offline,
    SyncReport,
    problem_text,
    report_problems,
)
from cs_console.sync.backends.base import plain_http_status, plain_transport_error
from cs_console.sync.connect import backend_for
from language_checks import cjk_in, english_runs_in, simplified_in

REFUSED = "offline: pull: " + plain_transport_error(httpx.ConnectError("[Errno 111] refused"))


def test_a_round_entry_is_translated_phrase_by_phrase_and_keeps_the_detail():
    assert problem_text(REFUSED, "zh-Hans") == (
        "离线，操作都留在待同步里：拉取失败：连不上 RT（没有连接）：[Errno 111] refused"
    )
    assert problem_text(REFUSED, "zh-Hant") == (
        "離線，操作都留在待同步裡：拉取失敗：連不上 RT（沒有連線）：[Errno 111] refused"
    )
    assert problem_text(REFUSED, "en") == (
        "offline, every action stays queued: pulling failed: "
        "RT could not be reached (no connection): [Errno 111] refused"
    )


def test_figures_in_a_phrase_are_kept():
    entry = "pull: " + plain_http_status(503, "Service Unavailable")
    assert (
        problem_text(entry, "zh-Hant")
        == "拉取失敗：RT 回答出錯（503），稍後重試：Service Unavailable"
    )
    entry = "push stopped: cannot reconcile op-9: gone"
    assert problem_text(entry, "zh-Hans") == "推送中断：无法核对操作 op-9：gone"
    assert problem_text(ValueError("op 7 is not in conflict"), "zh-Hans") == "操作 7 不在冲突中"


def test_not_configured_as_sync_connect_raises_it():
    with pytest.raises(NotConfigured) as no_url:
        backend_for(RtSettings(url=""))
    with pytest.raises(NotConfigured) as no_login:
        backend_for(RtSettings(url="http://127.0.0.1:9"))
    assert problem_text(no_url.value, "zh-Hans") == (
        "没有配置后台：请设置 CS_CONSOLE_RT_URL（或配置文件里的 [rt] url）"
    )
    assert problem_text(no_login.value, "zh-Hant") == (
        "請設定 CS_CONSOLE_RT_TOKEN，或 CS_CONSOLE_RT_USER 和 CS_CONSOLE_RT_PASSWORD"
    )


def test_exceptions_name_what_happened_before_the_backends_text():
    assert (
        problem_text(AuthRequired("401 Unauthorized"), "zh-Hans")
        == "后台拒绝了凭据：401 Unauthorized"
    )
    assert problem_text(Offline("no backend configured"), "en") == (
        "offline, every action stays queued: no backend is configured"
    )
    assert problem_text(NotConfigured("bad url"), "zh-Hant") == "後台設定有誤：bad url"


def test_an_unknown_text_is_shown_as_it_is():
    assert problem_text("something else: entirely", "zh-Hans") == "something else: entirely"


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_every_known_phrase_of_a_report_speaks_the_language(lang):
    transport = [
        httpx.ConnectTimeout("t"),
        httpx.ConnectError("c"),
        httpx.ReadTimeout("r"),
        httpx.RemoteProtocolError("p"),
        httpx.HTTPError("h"),
    ]
    report = SyncReport(
        errors=[
            *(f"push stopped: {plain_transport_error(exc)}" for exc in transport),
            "offline: no backend configured",
            "credentials refused: x",
            "sweep: x",
            f"pull: {plain_http_status(429, 'x')}",
            f"pull: {plain_http_status(502, 'x')}",
            "team: could not read RT's groups (x)",
        ]
    )
    said = report_problems(report, lang)
    assert len(said) == 11
    for text in said:
        if lang == "en":
            assert not cjk_in(text), text
        elif lang == "zh-Hant":
            assert not simplified_in(text) and cjk_in(text), text
        else:
            assert not english_runs_in(text) and cjk_in(text), text
