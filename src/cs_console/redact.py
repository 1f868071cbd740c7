"""Secrets out of error text: what is stored (``outbox.last_error``) or printed never holds one.

:func:`redact` is pure and cheap (precompiled patterns, linear in the text, stdlib only), so
every error path can afford it. It masks the secret values it is given (the configured token and
password) and anything shaped like a credential, whatever its value: ``Authorization`` header
values, ``Bearer``/``token`` credentials, the password in a URL's userinfo, and ``token``,
``password``, ``pass``, ``secret``, ``api_key`` parameters. A secret of no known shape is found
only when its value is passed in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote

MASK = "***"

#: known secret values shorter than this are masked only where they stand as a whole word
#: (masking every "ab" of a message would bury it, and such a secret is weak anyway)
SHORT_SECRET = 6

_NAMES = (
    r"access_token|refresh_token|auth_token|api_token|api_key|apikey|token|"
    r"password|passwd|pass|pwd|client_secret|secret"
)

# ``Authorization: token abc``, ``"Authorization": "Basic abc"``, ``authorization=abc``: the
# scheme word stays, the credential goes.
_AUTH_HEADER = re.compile(
    r"(?P<name>\b(?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)"
    r"(?:(?P<scheme>basic|bearer|token|digest|negotiate)\s+)?"
    r"(?P<value>[^\s\"',;]+)",
    re.IGNORECASE,
)
# ``Bearer abc…`` and ``token 1-2-abc…`` anywhere (the value 8+ characters; a ``token`` value
# also needs a digit, so "token expired" and "token authentication" stay readable)
_CREDENTIAL = re.compile(r"\b(?P<scheme>bearer|token)\s+(?P<value>[A-Za-z0-9._~+/=-]{8,})", re.I)
# scheme://user:password@host -> scheme://user:***@host (the last @ before the path ends it)
_URL_USERINFO = re.compile(
    r"(?P<head>\b[a-z][a-z0-9+.-]{0,31}://[^/\s:@\"'<>]{0,256}:)(?P<value>[^/\s\"'<>]*)@", re.I
)
# ?token=abc, &password=abc, and password=abc in prose
_PARAM = re.compile(rf"(?P<name>\b(?:{_NAMES})=)(?P<value>[^&\s#;,\"']+)", re.I)
# "password": "abc" and 'token': 'abc' (JSON, Python reprs)
_QUOTED_KEY = re.compile(
    rf"(?P<name>(?P<q>[\"'])(?:{_NAMES})(?P=q)\s*:\s*)(?P<quote>[\"'])[^\"']*(?P=quote)", re.I
)
# password: abc (prose, YAML); not for token/pass, words too common to mask what follows
_COLON_KEY = re.compile(
    r"(?P<name>\b(?:password|passwd|client_secret|secret|api_key|apikey):[ \t]*)"
    r"(?P<value>[^\s\"',;]+)",
    re.I,
)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with the given secret values and every credential-shaped part masked."""
    if not text:
        return text
    for secret in sorted({s for s in secrets if s and s.strip()}, key=len, reverse=True):
        text = _mask_value(text, secret)
    text = _AUTH_HEADER.sub(_auth_header, text)
    text = _CREDENTIAL.sub(_credential, text)
    if "://" in text:
        text = _URL_USERINFO.sub(lambda m: f"{m['head']}{MASK}@" if m["value"] else m[0], text)
    if "=" in text:
        text = _PARAM.sub(lambda m: f"{m['name']}{MASK}", text)
    if ":" in text:
        text = _QUOTED_KEY.sub(lambda m: f"{m['name']}{m['quote']}{MASK}{m['quote']}", text)
        text = _COLON_KEY.sub(lambda m: f"{m['name']}{MASK}", text)
    return text


def _mask_value(text: str, secret: str) -> str:
    """Mask ``secret`` as written, percent-encoded and JSON-escaped."""
    forms = {secret, quote(secret, safe=""), quote(secret), json.dumps(secret)[1:-1]}
    for form in sorted(forms, key=len, reverse=True):
        if len(form) >= SHORT_SECRET:
            text = text.replace(form, MASK)
        elif form in text:
            text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", MASK, text)
    return text


def _auth_header(match: re.Match[str]) -> str:
    if match["value"] == MASK:
        return match[0]
    scheme = f"{match['scheme']} " if match["scheme"] else ""
    return f"{match['name']}{scheme}{MASK}"


def _credential(match: re.Match[str]) -> str:
    value = match["value"]
    if match["scheme"].lower() == "token" and not any(c.isdigit() for c in value):
        return match[0]
    return f"{match['scheme']} {MASK}"
