"""``redact``: known secret values and credential-shaped text masked, everything else kept."""

from __future__ import annotations

import time

import pytest

from cs_console.redact import MASK, redact

TOKEN = "1-14-8e3f0a9c2b7d4e6f"


@pytest.mark.parametrize(
    "text, secrets, expected",
    [
        # known values, wherever they stand, also percent-encoded and JSON-escaped
        (f"RT echoed {TOKEN} back", [TOKEN], "RT echoed *** back"),
        ("pw is p@ss/w0rd! or p%40ss%2Fw0rd%21", ["p@ss/w0rd!"], "pw is *** or ***"),
        ('{"x": "say \\"hi\\" s3cret"}', ['say "hi" s3cret'], '{"x": "***"}'),
        # a short secret only as a whole word: "HTTP 401" stays readable
        ("abc failed with HTTP 401 for abc", ["abc"], "*** failed with HTTP 401 for ***"),
        ("nothing to hide", [None, "", "  "], "nothing to hide"),
        # Authorization headers, any value, the scheme word kept
        (f"Authorization: token {TOKEN}", [], "Authorization: token ***"),
        ("authorization: Basic dXNlcjpwdw==; next", [], "authorization: Basic ***; next"),
        ('{"Authorization": "Bearer eyJ0eXAi.e30.sig"}', [], '{"Authorization": "Bearer ***"}'),
        ("Proxy-Authorization=abcdef", [], "Proxy-Authorization=***"),
        # Bearer and token credentials in prose
        ("sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", [], "sent Bearer ***"),
        (f"bad token {TOKEN} given", [], "bad token *** given"),
        # ...but ordinary words after "token" stay
        ("token expired; token authentication failed", [], None),
        # URL userinfo: the password goes, user and host stay
        (
            "GET https://cs-sync:hunter2@rt.example/REST/2.0",
            [],
            "GET https://cs-sync:***@rt.example/REST/2.0",
        ),
        ("http://u:p@ss:w@rd@h:8080/x", [], "http://u:***@h:8080/x"),
        ("http://u:pw@h", [], "http://u:***@h"),
        ("http://h:8080/x and mail a@b.example", [], None),
        ("https://just-user@h/x", [], None),
        # secret query parameters and keys
        ("/x?user=a&token=abc123&password=hunter2#f", [], "/x?user=a&token=***&password=***#f"),
        ("api_key=k1 secret=s2 pass=p3", [], "api_key=*** secret=*** pass=***"),
        ("bypass=1 compass=2 passage=3", [], None),
        ("{'password': 'hunter2', 'user': 'x'}", [], "{'password': '***', 'user': 'x'}"),
        ('{"token": "abc", "id": 7}', [], '{"token": "***", "id": 7}'),
        ("password: hunter2", [], "password: ***"),
        # text without anything secret is returned as is
        ("工单 7 已更新: Status changed from 'open' to 'resolved'", [], None),
        ("", [TOKEN], ""),
    ],
)
def test_redact(text, secrets, expected):
    assert redact(text, secrets) == (text if expected is None else expected)


def test_redacting_twice_changes_nothing_more():
    text = f"Authorization: token {TOKEN} at https://u:pw@h/?password=x"
    once = redact(text, [TOKEN, "pw"])
    assert redact(once, [TOKEN, "pw"]) == once
    assert TOKEN not in once and ":pw@" not in once and once.count(MASK) == 3


def test_a_long_secret_inside_a_shorter_one_is_masked_first():
    assert redact("aaaa-bbbbbbbb", ["bbbbbbbb", "aaaa-bbbbbbbb"]) == MASK


def test_cheap_on_hostile_text():
    """Linear in the text: long runs that nearly match a pattern do not make it slow."""
    hostile = "a." * 50_000 + "://" + "x:" * 50_000 + " token " + "y" * 100_000
    start = time.perf_counter()
    redact(hostile, [TOKEN])
    assert time.perf_counter() - start < 1.0
