"""Measure search quality against a TSV of queries and the entries they must find.

The file has a header and three columns: ``query``, ``expected`` (one or more acceptable slugs,
comma-separated) and ``kind`` (a label such as ``zh``, ``pinyin``, ``typo`` used to break the
figures down). A query counts for recall@k when any acceptable slug is among the first k hits.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["EvalCase", "EvalMiss", "EvalReport", "read_cases", "run_eval"]


@dataclass(frozen=True)
class EvalCase:
    query: str
    expected: tuple[str, ...]
    kind: str = ""


@dataclass(frozen=True)
class EvalMiss:
    """A query whose first hit was not acceptable; ``rank`` is where one was found (1-based)."""

    case: EvalCase
    got: tuple[str, ...]
    rank: int | None


@dataclass
class EvalReport:
    total: int = 0
    at1: int = 0
    at5: int = 0
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [n, at1, at5]
    misses: list[EvalMiss] = field(default_factory=list)

    @property
    def recall1(self) -> float:
        return self.at1 / self.total if self.total else 0.0

    @property
    def recall5(self) -> float:
        return self.at5 / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "recall@1": round(self.recall1, 4),
            "recall@5": round(self.recall5, 4),
            "kinds": {
                k: {"n": n, "recall@1": round(a1 / n, 4), "recall@5": round(a5 / n, 4)}
                for k, (n, a1, a5) in sorted(self.kinds.items())
            },
            "misses": [
                {
                    "query": m.case.query,
                    "expected": list(m.case.expected),
                    "kind": m.case.kind,
                    "rank": m.rank,
                    "got": list(m.got),
                }
                for m in self.misses
            ],
        }


def read_cases(path: Path | str) -> list[EvalCase]:
    """The cases of an eval TSV (header ``query expected kind``); blank lines are skipped."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"query", "expected"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s): {', '.join(sorted(missing))}")
        cases = []
        for row in reader:
            query = (row.get("query") or "").strip()
            expected = tuple(s.strip() for s in (row.get("expected") or "").split(",") if s.strip())
            if query and expected:
                cases.append(EvalCase(query, expected, (row.get("kind") or "").strip()))
        return cases


def run_eval(engine, cases: Iterable[EvalCase], k: int = 5) -> EvalReport:
    """Search every case with ``engine`` and tally recall@1 and recall@k."""
    report = EvalReport()
    for case in cases:
        got = tuple(h.slug for h in engine.search(case.query, limit=k))
        rank = next((i + 1 for i, s in enumerate(got) if s in case.expected), None)
        stats = report.kinds.setdefault(case.kind, [0, 0, 0])
        report.total += 1
        stats[0] += 1
        if rank == 1:
            report.at1 += 1
            stats[1] += 1
        else:
            report.misses.append(EvalMiss(case, got, rank))
        if rank is not None:
            report.at5 += 1
            stats[2] += 1
    return report
