"""What the return rules say, as keys with parameters that still read as Chinese text.

A :class:`Said` is a ``str`` (the simplified-Chinese sentence, which is what is stored with a
request and sent to the backend) that also carries its ``key`` and ``params``, so a shell can say
it in the agent's language (``verdict.<key>`` in the i18n catalogue; the Chinese templates live
in ``policy.returns_texts``). A :class:`Label` parameter is a code shown by its label (a reason,
a resolution, a product kind); a Said may be a parameter of another Said. Pure: no imports of
ours but policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Label:
    """A code shown by its label, e.g. ``Label("resolution", "refund")`` (退款 / Refund)."""

    __slots__ = ("code", "kind")

    def __init__(self, kind: str, code: str) -> None:
        self.kind = kind
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Label) and (other.kind, other.code) == (self.kind, self.code)

    def __hash__(self) -> int:
        return hash((self.kind, self.code))

    def __repr__(self) -> str:
        return f"Label({self.kind!r}, {self.code!r})"


class Said(str):
    """A rule's sentence: the Chinese text, with the key and parameters it was made from."""

    key: str
    params: Mapping[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Said:
        from cs_console.policy.returns_texts import ZH, zh_label

        values = {name: _zh(value, zh_label) for name, value in params.items()}
        said = super().__new__(cls, ZH[key].format(**values))
        said.key = key
        said.params = params
        return said

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, dict(self.params)))

    def __deepcopy__(self, memo: dict[int, Any]) -> Said:
        return self  # immutable

    def __copy__(self) -> Said:
        return self

    def to_json(self) -> dict[str, Any]:
        """The key and parameters as JSON (a Label as ``{"label": kind, "code": code}``)."""
        return {"key": self.key, "params": {k: _json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Said:
        return cls(str(data["key"]), **{k: _unjson(v) for k, v in data["params"].items()})


def _rebuild(key: str, params: dict[str, Any]) -> Said:
    return Said(key, **params)


def _zh(value: Any, label: Any) -> str:
    if isinstance(value, Label):
        return str(label(value))
    if isinstance(value, list | tuple):
        return "、".join(_zh(item, label) for item in value)
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Said):
        return {"said": value.to_json()}
    if isinstance(value, Label):
        return {"label": value.kind, "code": value.code}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _unjson(value: Any) -> Any:
    if isinstance(value, dict) and "said" in value:
        return Said.from_json(value["said"])
    if isinstance(value, dict) and "label" in value:
        return Label(str(value["label"]), str(value["code"]))
    if isinstance(value, list):
        return tuple(_unjson(item) for item in value)
    return value
