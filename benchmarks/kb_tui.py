"""The knowledge panel under ``App.run_test()``: how soon the first results show after launch,
the longest stall of the UI while the index opens and the first search runs, and what typing
costs per key beside a bare Input that starts a worker per key, in the same run.

A knowledge-base folder of N synthetic articles (benchmarks/startup.py's) is indexed once
(``cs-console`` does this on its first launch); then, in a fresh app each time:

- launch: the query is in the box before the index has opened; "first results" is the time
  from the app's start to the first hits on screen; "stall" is the longest gap between the ticks
  of a 10 ms timer from the start until then (a frozen UI shows as a long gap);
- typing: 10 characters typed one by one (``pilot.press``) into the real panel, each waited
  for until its results are shown, beside a bare Input whose every change starts a thread worker
  that returns at once.

Targets (issue 14): first results <= 300 ms after launch at 100k with no stall over 50 ms;
per-key cost <= 2x the bare Input's; RSS <= 150 MB (this process: the panel
alone, without the console's queue).

    uv run python benchmarks/kb_tui.py [--articles 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from textual import work  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Input  # noqa: E402

from cs_console.tui.widgets.kb_panel import KbPanel  # noqa: E402

TARGET_FIRST_MS = 300.0
TARGET_STALL_MS = 50.0
TARGET_KEY_FACTOR = 2.0
TYPED = "tingchefei"  # 10 keys, a real query (the parking-fee article's alias)
QUERY = "停车费怎么算"
TICK = 0.010
TARGET_RSS_MB = 150.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Ticks:
    """Times of a 10 ms timer's ticks."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def tick(self) -> None:
        self.times.append(time.perf_counter())

    def longest_gap(self, start: float, end: float) -> float:
        marks = [start, *(t for t in self.times if start <= t <= end), end]
        return max(b - a for a, b in zip(marks, marks[1:], strict=False))


class PanelApp(App):
    def __init__(self, kb_dir: Path) -> None:
        super().__init__()
        self.kb_dir = kb_dir
        self.ticks = Ticks()

    def compose(self) -> ComposeResult:
        yield KbPanel(self.kb_dir, id="kb")

    def on_mount(self) -> None:
        self.set_interval(TICK, self.ticks.tick)


class BareApp(App):
    """An Input that starts a thread worker per change, and shows its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.answered = ""

    def compose(self) -> ComposeResult:
        yield Input(id="q")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.work(event.value)

    @work(thread=True, exclusive=True)
    def work(self, value: str) -> None:
        self.call_from_thread(self._answer, value)

    def _answer(self, value: str) -> None:
        self.answered = value


async def wait_until(pilot, done, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the panel never showed results")
        await pilot.pause(0.001)


async def launch(kb_dir: Path) -> tuple[float, float, float]:
    """Milliseconds to the first results, the longest UI stall from the first tick until then,
    and the milliseconds to that first tick (the app's own start, the same for any app)."""
    start = time.perf_counter()
    app = PanelApp(kb_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(KbPanel)
        panel.query_one("#kb-query", Input).value = QUERY
        await wait_until(pilot, lambda: bool(panel.hits))
        end = time.perf_counter()
        first_tick = app.ticks.times[0] if app.ticks.times else end
        stall = app.ticks.longest_gap(first_tick, end)
        return (end - start) * 1e3, stall * 1e3, (first_tick - start) * 1e3


class FloorApp(App):
    """The same timer in an app that does nothing else: the stalls of a launch as such."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks = Ticks()

    def compose(self) -> ComposeResult:
        yield Input(id="q")

    def on_mount(self) -> None:
        self.set_interval(TICK, self.ticks.tick)


async def floor(window_ms: float) -> float:
    """The longest tick gap of a bare app over the same window after its first tick."""
    app = FloorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app.ticks.times))
        first = app.ticks.times[0]
        await pilot.pause(window_ms / 1e3)
        return app.ticks.longest_gap(first, first + window_ms / 1e3) * 1e3


async def typing_panel(kb_dir: Path) -> list[float]:
    app = PanelApp(kb_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(KbPanel)
        await wait_until(pilot, lambda: panel.engine is not None)
        box = panel.query_one("#kb-query", Input)
        box.focus()
        await pilot.pause()
        per_key = []
        for ch in TYPED:
            t = time.perf_counter()
            await pilot.press(ch)
            value = box.value
            await wait_until(pilot, lambda v=value: panel.shown == v)
            per_key.append((time.perf_counter() - t) * 1e3)
        return per_key


async def typing_bare() -> list[float]:
    app = BareApp()
    async with app.run_test(size=(80, 24)) as pilot:
        box = app.query_one("#q", Input)
        box.focus()
        await pilot.pause()
        per_key = []
        for ch in TYPED:
            t = time.perf_counter()
            await pilot.press(ch)
            value = box.value
            await wait_until(pilot, lambda v=value: app.answered == v)
            per_key.append((time.perf_counter() - t) * 1e3)
        return per_key


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000, help="synthetic articles")
    ap.add_argument("--runs", type=int, default=3, help="launches and typing runs")
    args = ap.parse_args()
    from startup import synthetic_kb

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CS_CONSOLE_CACHE_DIR"] = str(Path(tmp) / "cache")
        kb_dir = Path(tmp) / "kb"
        print(f"writing {args.articles} articles and indexing them once ...", flush=True)
        synthetic_kb(kb_dir, args.articles)
        t = time.perf_counter()
        # in another process, as the console's first launch would: this one's RSS stays the
        # panel's own
        build = "import sys; from cs_console.service.knowledge_index import open_engine; open_engine(sys.argv[1])"
        subprocess.run([sys.executable, "-c", build, str(kb_dir)], check=True)
        print(f"index built in {time.perf_counter() - t:.1f} s")
        firsts, stalls, ups, floors, panel_keys, bare_keys = [], [], [], [], [], []
        for _ in range(args.runs):
            first, stall, up = asyncio.run(launch(kb_dir))
            firsts.append(first)
            stalls.append(stall)
            ups.append(up)
            floors.append(asyncio.run(floor(first - up)))
            panel_keys.extend(asyncio.run(typing_panel(kb_dir)))
            bare_keys.extend(asyncio.run(typing_bare()))
        rss = rss_mb()
    first = statistics.median(firsts)
    stall = max(stalls)
    panel_med = statistics.median(panel_keys)
    bare_med = statistics.median(bare_keys)
    ratio = panel_med / bare_med if bare_med else float("inf")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"\nknowledge panel, {args.articles} articles, {args.runs} runs (80x24, headless)")
    print(
        f"first results after launch  median {first:7.1f} ms  (max {max(firsts):.1f})"
        f"   target <= {TARGET_FIRST_MS:g} ms: {verdict(first <= TARGET_FIRST_MS)}"
    )
    print(
        f"  of which the app's start, to its timer's first tick: median {statistics.median(ups):.1f} ms"
    )
    print(
        f"longest UI stall until then  max {stall:7.1f} ms  (median {statistics.median(stalls):.1f};"
        f" 10 ms timer's tick gaps)   target <= {TARGET_STALL_MS:g} ms: {verdict(stall <= TARGET_STALL_MS)}"
    )
    print(
        f"  floor: a bare app's longest tick gap over the same window  max {max(floors):.1f} ms"
        f"  (median {statistics.median(floors):.1f})"
    )
    slowest = panel_keys.index(max(panel_keys))
    print(
        f"per key, panel (search shown) median {panel_med:6.2f} ms  max {max(panel_keys):6.2f}"
        f"  (key {slowest % len(TYPED) + 1} of run {slowest // len(TYPED) + 1})"
    )
    print(f"per key, bare Input + worker   median {bare_med:6.2f} ms  max {max(bare_keys):6.2f}")
    print(
        f"ratio {ratio:.2f}x   target <= {TARGET_KEY_FACTOR:g}x: {verdict(ratio <= TARGET_KEY_FACTOR)}"
    )
    print(
        f"RSS of this process after the runs (the panel over {args.articles} articles) {rss:.0f} MB"
        f"   target <= {TARGET_RSS_MB:g} MB: {verdict(rss <= TARGET_RSS_MB)}"
    )
    print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
