"""Launch time and memory of the console in a real terminal (tmux) on a large cache.

Starts ``cs-console`` in a detached tmux pane on a cache with N tickets, polls the screen until
the first queue row is visible, and reports the median over several runs beside a bare Textual
app (one DataTable row) launched the same way in the same run. Then reads the console's RSS
once the knowledge index has loaded.

    uv run python benchmarks/startup.py [--tickets 1000000] [--db PATH] [--runs 5] [--articles 10000]

``--db`` takes a cache seeded before (benchmarks/ingest.py --keep PATH); ``--articles 0`` skips
the memory figure with a large knowledge base. Target (DESIGN.md 8): the console's median
<= 1.5x the bare app's, at 1M tickets.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable
class Bare(App):
    def compose(self):
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "subject")
        table.add_row("1", "READY-ROW")
Bare().run()
"""
# A queue row as it stays: number, the whole SLA clock (12:05, 3h04m, -2d05h, --) and the priority.
# A frame that shows rows cut to the headers' widths ("6  -11  P") does not count.
ROW = re.compile(r"│\s*\d+\s+(?:-?\d+(?::\d\d|h\d\dm|d\d\dh)|--)\s+P\d")
# A tmux server of our own, kept up by an idle session: when the last session of a server is
# killed the server exits, and a session started at that moment can land in the exiting server
# and die with it (a launch that never shows anything). Other tmux users are left alone.
SOCKET = f"cs-startup-{os.getpid()}"
KB_LOADED = re.compile(r"知识库 \d+ 篇")  # the knowledge panel's status once the index is in memory


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


def launch(
    command: str, ready: re.Pattern[str], name: str, timeout: float = 30.0
) -> tuple[float, int]:
    """Seconds from launch until ``ready`` shows on the screen; and the pane's pid."""
    tmux("kill-session", "-t", name)
    started = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "48", command)
    while time.perf_counter() - started < timeout:
        if ready.search(tmux("capture-pane", "-p", "-t", name)):
            elapsed = time.perf_counter() - started
            pid = int(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").strip() or 0)
            return elapsed, pid
        time.sleep(0.01)
    raise RuntimeError(
        f"{name}: nothing visible after {timeout} s:\n{tmux('capture-pane', '-p', '-t', name)}"
    )


def rss_mb(pid: int) -> float:
    """RSS of the process and its children (the pane runs the Python process)."""
    total = 0
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def textual_path() -> str:
    import textual

    return str(Path(textual.__file__).parent)


def synthetic_kb(folder: Path, count: int) -> None:
    """``count`` valid article files (the shipped ones plus generated ones)."""
    import shutil

    from cs_console.kb.paths import default_kb_dir

    shutil.copytree(default_kb_dir(), folder)
    words = [
        "保湿",
        "防晒",
        "退货",
        "积分",
        "过敏",
        "快递",
        "发票",
        "停车",
        "会员",
        "色号",
        "精华",
        "面霜",
    ]
    for n in range(count):
        a, b = words[n % len(words)], words[(n * 7 + 3) % len(words)]
        (folder / "articles" / f"synthetic-{n:05d}.md").write_text(
            f'+++\nslug = "synthetic-{n:05d}"\ntitle = "Synthetic article {n}"\ntitle_zh = "{a}{b}问题{n}"\n'
            f'category = "pre-sale"\nquestion = "{a}和{b}怎么处理{n}?"\n'
            f'aliases = ["{a}{b}{n}", "{b}{a}{n}", "synthetic {n}"]\n+++\n\n关于{a}与{b}的说明{n}。\n\n'
            f"## 话术 · 回复\n{{{{customer_name}}}}您好,关于{a}{b}的问题{n}。{{{{cursor}}}}\n",
            encoding="utf-8",
        )


def measure(
    args: argparse.Namespace, python: str
) -> tuple[list[float], list[float], float, float, tuple[float, float, float]]:
    """Launch times of the console and the bare app, interleaved; RSS; the load average."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        db = args.db or tmp_path / "big.db"
        env = f"CS_CONSOLE_CONFIG={shlex.quote(str(tmp_path / 'none.toml'))} CS_CONSOLE_CACHE_DIR={shlex.quote(str(tmp_path / 'cache'))}"
        (tmp_path / "none.toml").write_text("")
        if not args.db:
            print(f"seeding {args.tickets} tickets ...", flush=True)
            subprocess.run(
                [
                    python,
                    "-m",
                    "cs_console",
                    "seed",
                    "--db",
                    str(db),
                    "--tickets",
                    str(args.tickets),
                    "--quiet",
                ],
                check=True,
            )
        bare_script = tmp_path / "bare.py"
        bare_script.write_text(BARE_APP)
        # A real install runs with bytecode caches after its first start; a sandbox that sets
        # PYTHONDONTWRITEBYTECODE would recompile every module on every launch, for both apps.
        cached = "env -u PYTHONDONTWRITEBYTECODE"
        subprocess.run(
            f"{cached} {shlex.quote(python)} -m compileall -q {shlex.quote(str(Path(textual_path())))} "
            f"{shlex.quote(str(Path(__file__).resolve().parents[1] / 'src'))}",
            shell=True,
            check=False,
            capture_output=True,
        )
        # the command an agent runs: the installed `cs-console` script beside this Python
        # (without runpy's `-m` machinery), else `python -m cs_console`
        script = Path(python).parent / "cs-console"
        launcher = (
            shlex.quote(str(script)) if script.exists() else f"{shlex.quote(python)} -m cs_console"
        )
        console_cmd = f"{cached} {env} {launcher} --db {shlex.quote(str(db))}"
        bare_cmd = f"{cached} {shlex.quote(python)} {shlex.quote(str(bare_script))}"
        launch(console_cmd, KB_LOADED, "csc-warm")  # builds the knowledge index cache once
        console_times, bare_times = [], []
        for _ in range(args.runs):
            console_times.append(launch(console_cmd, ROW, "csc-bench")[0])
            bare_times.append(launch(bare_cmd, re.compile("READY-ROW"), "csc-bare")[0])
        _, pid = launch(console_cmd, KB_LOADED, "csc-mem")
        time.sleep(1.0)
        rss_tickets = rss_mb(pid)
        rss_both = 0.0
        if args.articles:
            kb_dir = tmp_path / "kb"
            synthetic_kb(kb_dir, args.articles)
            big_cmd = f"{console_cmd} --kb {shlex.quote(str(kb_dir))}"
            launch(big_cmd, KB_LOADED, "csc-kbwarm", timeout=600)
            _, pid = launch(big_cmd, KB_LOADED, "csc-mem2", timeout=120)
            time.sleep(1.0)
            rss_both = rss_mb(pid)
        load = os.getloadavg()
    return console_times, bare_times, rss_tickets, rss_both, load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="an existing cache (default: seed one)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--articles", type=int, default=10_000, help="synthetic articles for the memory figure"
    )
    args = parser.parse_args()
    python = sys.executable
    tmux("new-session", "-d", "-s", "csc-keep", "-x", "160", "-y", "48", "sleep 86400")
    try:
        console_times, bare_times, rss_tickets, rss_both, load = measure(args, python)
    finally:
        tmux("kill-server")
    print(f"\nlaunch until the first queue row is visible ({args.runs} runs, 160x48 tmux)")
    print(f"{'what':<40}{'median s':>10}{'min s':>10}{'max s':>10}")
    for label, times in (
        (f"cs-console, {args.tickets} tickets", console_times),
        ("bare Textual app (floor)", bare_times),
    ):
        print(f"{label:<40}{statistics.median(times):>10.3f}{min(times):>10.3f}{max(times):>10.3f}")
    ratio = statistics.median(console_times) / statistics.median(bare_times)
    verdict = "meets" if ratio <= 1.5 else "MISSES"
    print(f"ratio {ratio:.2f}x the bare app (target <= 1.5x: {verdict})")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores shared)")
    print(
        f"\nRSS with {args.tickets} tickets: {rss_tickets:.0f} MB; with {args.articles} more articles: {rss_both:.0f} MB (target <= 200 MB)"
    )


if __name__ == "__main__":
    os.environ.setdefault("TERM", "xterm-256color")
    main()
