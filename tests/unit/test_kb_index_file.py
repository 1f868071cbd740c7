"""The on-disk search index: opened in place, refreshed by file, rebuilt by rename, and ranking
exactly as the in-memory index does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kb_fixture import write_kb

from cs_console.kb import index as index_module
from cs_console.kb.disk_index import DiskIndex
from cs_console.kb.evaluation import read_cases, run_eval
from cs_console.kb.paths import default_kb_dir
from cs_console.kb.search import SearchEngine
from cs_console.service import knowledge_index
from cs_console.service.knowledge_index import index_path, open_engine, refresh

QUERIES = ["过敏", "mys", "退货", "没拆封能退吗", "tingchefei", "return unopened", "积份", "喂奶间"]


def hits(engine: SearchEngine, queries: list[str] = QUERIES) -> list[list[tuple[str, float]]]:
    return [[(h.slug, h.score) for h in engine.search(q)] for q in queries]


def full(engine: SearchEngine, queries: list[str]) -> list:
    return [[(h.slug, h.score, h.spans) for h in engine.search(q, limit=10)] for q in queries]


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = knowledge_index.read_file

    def spy(path: Path, kind: str):
        reads.append(path)
        return real(path, kind)

    monkeypatch.setattr(knowledge_index, "read_file", spy)
    return reads


def no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):
        raise AssertionError("index rebuilt although no file changed")

    monkeypatch.setattr(index_module.KbIndex, "build", classmethod(boom))


def test_the_engine_reads_the_index_file_and_opens_without_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    first = open_engine(kb, cache)
    assert isinstance(first.index, DiskIndex)
    assert index_path(kb, cache).is_file()
    assert [p.name for p in cache.iterdir() if p.name.startswith("kb-index")] == [
        index_path(kb, cache).name
    ]
    no_build(monkeypatch)
    reads = count_reads(monkeypatch)
    second = open_engine(kb, cache)
    assert reads == []
    monkeypatch.undo()
    assert hits(second) == hits(first) == hits(SearchEngine.load(kb, cache))
    assert second.count == len(SearchEngine.load(kb, cache).articles) == 10
    assert second.get("nursing-room") == SearchEngine.load(kb, cache).get("nursing-room")
    assert second.get("no-such-entry") is None


def test_a_changed_file_is_the_only_one_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    open_engine(kb, cache)
    path = kb / "articles" / "nursing-room.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"哺乳室"', '"哺乳室", "喂奶间"'), encoding="utf-8"
    )
    no_build(monkeypatch)
    reads = count_reads(monkeypatch)
    engine = open_engine(kb, cache)
    assert reads == [path]
    assert [h.slug for h in engine.search("喂奶间", limit=1)] == ["nursing-room"]
    monkeypatch.undo()
    # what the refresh left equals a whole rebuild and the in-memory index
    rebuilt = open_engine(kb, tmp_path / "fresh")
    assert hits(engine) == hits(rebuilt) == hits(SearchEngine.load(kb, cache))


def test_added_and_removed_files_are_refreshed_in_one_step(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    open_engine(kb, cache)
    (kb / "articles" / "nursing-room.md").unlink()
    added = kb / "articles" / "gift-wrap.md"
    added.write_text(
        '+++\nslug = "gift-wrap"\ntitle = "Gift wrapping"\ntitle_zh = "礼品包装"\n'
        'category = "pre-sale"\nquestion = "可以包装成礼物吗？"\n'
        'aliases = ["礼盒包装", "送礼包装", "gift wrap"]\n+++\n\n下单时备注即可免费包装。\n\n'
        "## 话术 · 包装\n{{customer_name}}您好，下单时备注即可。{{cursor}}\n",
        encoding="utf-8",
    )
    assert refresh(kb, index_path(kb, cache)) == 2
    engine = open_engine(kb, cache)
    assert engine.count == 10
    assert engine.get("nursing-room") is None
    assert [h.slug for h in engine.search("礼盒包装", limit=1)] == ["gift-wrap"]
    assert "nursing-room" not in [h.slug for h in engine.search("mys")]
    assert hits(engine, [*QUERIES, "礼品", "lpbz"]) == hits(
        SearchEngine.load(kb, cache), [*QUERIES, "礼品", "lpbz"]
    )


def test_a_clash_between_files_rebuilds_and_reports_like_a_load(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    open_engine(kb, cache)
    copy = kb / "articles" / "zz-copy.md"  # another slug, the same aliases
    text = (kb / "articles" / "nursing-room.md").read_text(encoding="utf-8")
    copy.write_text(text.replace('slug = "nursing-room"', 'slug = "zz-copy"'), encoding="utf-8")
    assert refresh(kb, index_path(kb, cache)) is None  # a clash: only a whole load decides
    engine = open_engine(kb, cache)
    memory = SearchEngine.load(kb, cache)
    assert [str(p) for p in engine.problems] == [str(p) for p in memory.problems]
    assert len(engine.problems) >= 1
    assert all("clashes with an alias of 'nursing-room'" in p.message for p in engine.problems)
    assert engine.count == 10


def test_a_corrupt_or_unwritable_index_is_not_fatal(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    open_engine(kb, cache)
    index_path(kb, cache).write_bytes(b"garbage" * 100)
    assert [h.slug for h in open_engine(kb, cache).search("mys", limit=1)] == ["nursing-room"]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    engine = open_engine(kb, blocker / "sub")
    assert [h.slug for h in engine.search("mys", limit=1)] == ["nursing-room"]


def test_a_rebuild_replaces_the_file_by_rename(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    old = open_engine(kb, cache)
    inode = os.stat(index_path(kb, cache)).st_ino
    knowledge_index.rebuild(kb, index_path(kb, cache))
    assert os.stat(index_path(kb, cache)).st_ino != inode
    assert [p.name for p in cache.iterdir() if p.name.endswith(".tmp")] == []
    # a reader of the old file keeps reading it
    assert [h.slug for h in old.search("mys", limit=1)] == ["nursing-room"]


def _shared() -> Path:
    env = os.environ.get("CS_CONSOLE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


@pytest.mark.parametrize(
    ("tsv", "at1", "at5"),
    [
        ("public", 1.0, 1.0),
        ("patterns", 0.994, 1.0),
        ("holdout", 0.842, 0.947),
        ("everyday", 0.986, 1.0),
    ],
)
def test_eval_sets_through_the_index_file(
    tsv: str, at1: float, at5: float, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _shared() / "kb-eval" / "public.tsv" if tsv == "public" else None
    path = path or default_kb_dir() / "eval" / f"{tsv}.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    cache = tmp_path_factory.getbasetemp() / "eval-cache"
    disk = open_engine(default_kb_dir(), cache)
    cases = read_cases(path)
    report = run_eval(disk, cases)
    assert round(report.recall1, 3) >= at1
    assert round(report.recall5, 3) >= at5
    queries = [c.query for c in cases]
    assert full(disk, queries) == full(SearchEngine.load(default_kb_dir(), cache), queries)


@pytest.mark.parametrize("in_process", [False, True])
def test_an_index_opened_as_it_is_catches_up_when_refreshed(
    tmp_path: Path, in_process: bool
) -> None:
    kb = write_kb(tmp_path / "kb")
    cache = tmp_path / "cache"
    open_engine(kb, cache)
    path = kb / "articles" / "nursing-room.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"哺乳室"', '"哺乳室", "喂奶间"'), encoding="utf-8"
    )
    as_is = open_engine(kb, cache, check_files=False)
    assert "nursing-room" not in [h.slug for h in as_is.search("喂奶间")]
    newer = knowledge_index.refreshed(as_is, in_process=in_process)
    assert newer is not None
    assert [h.slug for h in newer.search("喂奶间", limit=1)] == ["nursing-room"]
    assert knowledge_index.refreshed(newer, in_process=in_process) is None


def test_the_pinyin_table_is_saved_in_chunks_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marshal
    import sys

    from cs_console.kb import pinyin

    monkeypatch.setattr(pinyin, "CHUNK", 2)  # three characters: two chunks
    table = {"行": ("xing", "hang"), "积": ("ji",), "分": ("fen",)}
    path = tmp_path / "table.bin"
    pinyin._save(table, path)
    data = path.read_bytes()
    assert len(marshal.loads(data)[1]) == 2
    assert pinyin._loads(data) == table
    # another version, another Python, a damaged file: each refused, so the table is rebuilt
    for header in (
        ("pinyin-table", 0, *sys.version_info[:2]),
        ("pinyin-table", pinyin.TABLE_VERSION, 2, 7),
    ):
        with pytest.raises(ValueError):
            pinyin._loads(marshal.dumps((header, [marshal.dumps({"积": ("ji",)})])))
    for damaged in (data[: len(data) // 2], b"pinyin-table\t1\n\xe7\xa7\xaf\tji\n"):
        with pytest.raises(ValueError):
            pinyin._loads(damaged)


def test_warming_builds_what_the_first_search_would(tmp_path: Path) -> None:
    kb = write_kb(tmp_path / "kb")
    engine = open_engine(kb, tmp_path / "cache", check_files=False)
    assert isinstance(engine.index, DiskIndex)
    assert engine.index._vocab is None and engine._chars is None
    engine.warm()
    assert engine.index._vocab is not None and engine._chars is not None
    assert "unopened" in engine.index.vocab.df
    assert [h.slug for h in engine.search("mys", limit=1)] == ["nursing-room"]


def test_first_searches_read_the_readings_they_need_from_the_index_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the whole pinyin table is loaded (``warm``), a Chinese query reads the readings of
    its characters and of its candidates' from the index file: the same hits, scores and
    highlights as with the whole table, without reading it."""
    from cs_console.kb import pinyin
    from cs_console.kb import search as search_module

    cache = tmp_path / "cache"
    opened = open_engine(default_kb_dir(), cache)
    cases = read_cases(default_kb_dir() / "eval" / "patterns.tsv")
    cases += read_cases(default_kb_dir() / "eval" / "everyday.tsv")
    queries = [c.query for c in cases if not any("a" <= ch <= "z" for ch in c.query.lower())]
    assert len(queries) > 50
    expected = full(SearchEngine.load(default_kb_dir(), cache), queries)

    def whole_table(*_a, **_k):
        raise AssertionError("the whole pinyin table was read for a Chinese query")

    monkeypatch.setattr(search_module, "loaded_table", lambda: None)
    monkeypatch.setattr(pinyin, "load_table", whole_table)
    got = []
    for q in queries:  # a fresh engine each: what a console's first search meets
        engine = knowledge_index.engine_over(opened.index.source, cache, default_kb_dir())
        got.extend(full(engine, [q]))
        assert engine._table is None and engine._partial
    assert got == expected
    with pytest.raises(AssertionError, match="whole pinyin table"):  # pinyin needs all of it
        knowledge_index.engine_over(opened.index.source, cache, default_kb_dir()).search("guomin")
