"""What "in the agent's language" means, as checks the tests share.

- English text holds no CJK character.
- Traditional text holds no simplified-only character: one that OpenCC's ``s2t`` changes,
  i.e. whose every traditional form in its character table (``STCharacters.txt``) is another
  character (``后`` is 後 or 后, so it is fine; ``审`` is only 審), unless it is the standard
  form in Taiwan or Hong Kong (``群`` for 羣, from ``TWVariants.txt`` / ``HKVariants.txt``).
- Simplified text holds no English sentence of ours: three or more English words in a row
  (separated by spaces; a hyphenated slug such as ``allergy-reaction-handling`` is a name).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
ENGLISH_RUN = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,}){2,}(?![\w-])")


@cache
def simplified_only() -> frozenset[str]:
    import opencc

    folder = Path(opencc.__file__).parent / "dictionary"

    def pairs(name: str) -> list[tuple[str, list[str]]]:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        return [(a, b.split()) for a, _, b in (line.partition("\t") for line in lines) if a]

    regional = {
        form
        for name in ("TWVariants.txt", "HKVariants.txt")
        for _, forms in pairs(name)
        for form in forms
    }
    return frozenset(
        char
        for char, forms in pairs("STCharacters.txt")
        if char not in forms and char not in regional
    )


def cjk_in(text: str) -> list[str]:
    return CJK.findall(text)


def simplified_in(text: str) -> list[str]:
    only = simplified_only()
    return [ch for ch in text if ch in only]


def english_runs_in(text: str) -> list[str]:
    return ENGLISH_RUN.findall(text)
