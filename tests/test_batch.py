"""`newsdigest batch`: the local engine and a real Dask LocalCluster on a corpus made here.

The corpus is newsdigest article lines with a ``cluster`` field: a few clusters
of tiny articles, plus one cluster no digest can be made of (every sentence is
longer than the word budget). Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdigest.apps.batch import Options, make_engine, run_batch
from newsdigest.apps.batch.inputs import dataset_jobs
from newsdigest.apps.cli import app
from newsdigest.evaluate.datasets import count_clusters, iter_clusters
from newsdigest.pipeline import summarize_documents
from newsdigest.render.digest_json import digest_to_dict

runner = CliRunner()

WORDS = 25
PLACES = ["Alden", "Brora", "Cully", "Dunmore", "Elgin", "Fenwick", "Garvey", "Holm", "Ilkley", "Jura", "Keld", "Lorn"]
EVENTS = ["flood", "fire", "strike", "storm", "election", "landslide"]
BROKEN = "too-long"


def article(place: str, event: str, outlet: int, sentences: int) -> str:
    lines = []
    for k in range(sentences):
        lines.append(
            f"Officials in {place} said the {event} affected {k + outlet + 2} districts on day {k + 1} "
            f"according to outlet {outlet}."
        )
        if k % 2:
            lines.append(f"Residents of {place} described the {event} as the worst in {10 * (k + outlet)} years.")
    return " ".join(lines)


def write_corpus(path: Path, clusters: int, *, articles: int = 3, sentences: int = 4, broken: bool = True) -> list[str]:
    """Article lines with a ``cluster`` field; the articles of a cluster are interleaved with the others'."""
    ids = [f"c{k:03d}-{PLACES[k % len(PLACES)].lower()}" for k in range(clusters)]
    rows = []
    for outlet in range(articles):
        for k, cluster in enumerate(ids):
            place, event = PLACES[k % len(PLACES)], EVENTS[k % len(EVENTS)]
            rows.append({"id": f"{cluster}-{outlet}", "source": f"Outlet {outlet}", "cluster": cluster,
                         "text": article(place, event, outlet, sentences)})
    if broken:
        long_sentence = " ".join(f"word{n}" for n in range(3 * WORDS)) + "."
        rows.append({"id": "long-1", "cluster": BROKEN, "text": f"{long_sentence} {long_sentence}"})
        ids.append(BROKEN)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return ids


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_id(rows: list[dict]) -> dict[str, dict]:
    table = {row["id"]: row for row in rows}
    assert len(table) == len(rows), "an id has two rows"
    return table


def batch(*args: str):
    return runner.invoke(app, ["batch", *args, "--words", str(WORDS), "--no-progress"])


@pytest.fixture(scope="module")
def dask_cluster():
    """A real LocalCluster: 2 worker processes on 127.0.0.1, no dashboard."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        # No dashboard; the scheduler's plain HTTP endpoints on a free port, not 8787.
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    client = distributed.Client(cluster, timeout=60)
    yield cluster, client
    client.close()
    cluster.close()


# --- input ------------------------------------------------------------------------


def test_article_lines_are_grouped_by_cluster_lazily(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus, 4)
    with corpus.open("a") as handle:
        handle.write('{"id": "no-cluster", "text": "A sentence."}\n{"broken\n')
    assert count_clusters(corpus) == len(ids) + 2
    clusters = iter_clusters(corpus, checked=False)
    first = next(clusters)  # unreadable lines first: a generator, nothing else read yet
    assert first.problem.endswith("no 'cluster' or 'story' field") and f"{corpus}:" in first.problem
    assert "invalid JSON" in next(clusters).problem
    rest = list(clusters)
    assert [c.id for c in rest] == ids
    assert [d.id for d in rest[0].documents] == [f"{ids[0]}-{n}" for n in range(3)]
    assert [d.source for d in rest[0].documents] == ["Outlet 0", "Outlet 1", "Outlet 2"]


# --- the local engine ---------------------------------------------------------------


def test_local_rows_are_the_summarize_json_and_a_broken_cluster_is_an_error_row(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 5)
    result = batch(str(corpus), "--out", str(out), "--workers", "2", "--batch-size", "2")
    assert result.exit_code == 3, result.output
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids)
    assert set(rows[BROKEN]) == {"id", "error"}
    assert "no sentence fits the budget" in rows[BROKEN]["error"]
    assert f"failed: {BROKEN}: " in result.stderr
    cluster = next(c for c in iter_clusters(corpus, checked=False) if c.id == ids[1])
    expected = digest_to_dict(summarize_documents(cluster.documents, words=WORDS))
    assert rows[ids[1]] == {"id": ids[1], "digest": json.loads(json.dumps(expected))}
    assert all(rows[i]["digest"]["words"] <= WORDS for i in ids[:-1])


def test_analysis_adds_the_analysis_to_every_digest(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 2, broken=False)
    assert batch(str(corpus), "--out", str(out), "--workers", "1", "--analysis").exit_code == 0
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids)
    places = {row["id"]: row["digest"]["analysis"] for row in rows.values()}
    assert all(isinstance(analysis, dict) and analysis for analysis in places.values())
    assert "Alden" in json.dumps(places[ids[0]]) and "Brora" in json.dumps(places[ids[1]])


def test_exit_status_is_0_when_all_digested_and_1_when_none(tmp_path):
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    write_corpus(good, 2, broken=False)
    assert batch(str(good), "--out", str(tmp_path / "a.jsonl"), "--workers", "1").exit_code == 0
    bad.write_text(json.dumps({"id": "x", "cluster": "only", "text": " ".join(["long"] * 80) + "."}) + "\n")
    result = batch(str(bad), "--out", str(tmp_path / "b.jsonl"), "--workers", "1")
    assert result.exit_code == 1
    assert "0 of 1 clusters digested" in result.stderr


@pytest.mark.parametrize("where", ["a folder", "in a missing folder"])
def test_an_output_that_cannot_be_a_file_is_one_line_before_any_work(tmp_path, where):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 2)
    out = tmp_path if where == "a folder" else tmp_path / "missing" / "out.jsonl"
    result = batch(str(corpus), "--out", str(out), "--resume")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsdigest: error: cannot write {out}: "), lines
    assert "finished clusters" not in result.stderr


def test_an_existing_output_needs_resume(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    write_corpus(corpus, 2)
    out.write_text('{"id": "c000-alden", "error": "x"}\n')
    result = batch(str(corpus), "--out", str(out))
    assert result.exit_code == 2
    assert "--resume" in result.stderr
    assert out.read_text() == '{"id": "c000-alden", "error": "x"}\n'


def test_resume_adds_only_the_missing_ids(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 6)
    assert batch(str(corpus), "--out", str(out), "--workers", "2").exit_code == 3
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = lines[:3]
    # An interrupted run: three rows finished, the fourth cut off mid-write.
    out.write_text("".join(kept) + lines[3][:40], encoding="utf-8")
    result = batch(str(corpus), "--out", str(out), "--workers", "2", "--resume")
    rows = read_rows(out)
    assert out.read_text(encoding="utf-8").startswith("".join(kept))
    assert set(by_id(rows)) == set(ids)
    assert f" of {len(ids) - 3} clusters digested" in result.stderr
    # Nothing left: a third run writes nothing and succeeds.
    again = batch(str(corpus), "--out", str(out), "--resume")
    assert again.exit_code == 0
    assert len(read_rows(out)) == len(ids)


def assert_bounded_reading(tmp_path, engine, workers: int, batch_size: int = 2) -> None:
    """The engine reads the dataset only as fast as it digests it: at most 2 x workers batches ahead."""
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "bounded.jsonl"
    ids = write_corpus(corpus, 24, broken=False)
    pulled = 0

    def counted():
        nonlocal pulled
        for job in dataset_jobs(corpus):
            pulled += 1
            yield job

    ahead: list[int] = []
    written = 0

    def on_row(row) -> None:
        nonlocal written
        written += 1
        ahead.append(pulled - written)

    result = run_batch(counted(), out, engine, batch_size=batch_size, on_row=on_row)
    assert result.digested == len(ids) == pulled
    assert max(ahead) <= 2 * workers * batch_size
    assert max(ahead) >= batch_size  # it does work ahead, in batches


def test_local_engine_reads_the_dataset_in_bounded_batches(tmp_path):
    engine = make_engine("local", Options(words=WORDS), workers=1)
    try:
        assert_bounded_reading(tmp_path, engine, workers=1)
    finally:
        engine.close()


def test_local_engine_replaces_a_killed_worker_process(tmp_path):
    psutil = pytest.importorskip("psutil")
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 40, articles=5, sentences=10, broken=False)
    engine = make_engine("local", Options(words=WORDS), workers=2)
    try:
        killed = run_while_killing(
            lambda: run_batch(dataset_jobs(corpus), out, engine, batch_size=1),
            out,
            lambda: pool_worker_pids(psutil),
        )
    finally:
        engine.close()
    assert killed["rows_at_kill"] < len(ids)
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids)
    assert all("digest" in row for row in rows.values()), [r for r in rows.values() if "error" in r]


def pool_worker_pids(psutil) -> list[int]:
    """The local engine's worker processes: children of this process's forkserver."""
    servers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
    return [c.pid for s in servers for c in s.children()]


def run_while_killing(run, out: Path, worker_pids, timeout: float = 180) -> dict:
    """Start ``run`` in a thread, SIGKILL one worker as soon as the first row is written, wait for the end."""
    outcome: dict = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("result", run()), daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (out.exists() and out.stat().st_size):
        time.sleep(0.005)
    pids = worker_pids()
    assert pids, "no worker process found"
    outcome["rows_at_kill"] = len(out.read_text().splitlines())
    os.kill(pids[0], signal.SIGKILL)
    outcome["pid"] = pids[0]
    thread.join(max(1.0, deadline - time.monotonic()))
    assert not thread.is_alive(), "the run did not finish"
    return outcome


# --- Dask ---------------------------------------------------------------------------


def test_dask_gives_the_local_digests_and_error_rows(tmp_path, dask_cluster):
    cluster, _ = dask_cluster
    corpus = tmp_path / "corpus.jsonl"
    ids = write_corpus(corpus, 8)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert batch(str(corpus), "--out", str(local), "--workers", "1").exit_code == 3
    result = batch(str(corpus), "--out", str(dask), "--engine", "dask", "--scheduler", cluster.scheduler_address, "--batch-size", "3")
    assert result.exit_code == 3, result.output
    assert f"failed: {BROKEN}: " in result.stderr
    local_rows, dask_rows = by_id(read_rows(local)), by_id(read_rows(dask))
    assert set(dask_rows) == set(ids)
    assert dask_rows == local_rows
    assert "error" in dask_rows[BROKEN]


def test_dask_resume_adds_only_the_missing_ids(tmp_path, dask_cluster):
    cluster, _ = dask_cluster
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 6, broken=False)
    first = ids[:2]
    out.write_text("".join(json.dumps({"id": i, "error": "kept from before"}) + "\n" for i in first))
    result = batch(str(corpus), "--out", str(out), "--engine", "dask", "--scheduler", cluster.scheduler_address, "--resume")
    assert result.exit_code == 0, result.output
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids)
    assert [rows[i] for i in first] == [{"id": i, "error": "kept from before"} for i in first]
    assert all("digest" in rows[i] for i in ids[2:])


def test_dask_analysis_loads_spacy_once_per_worker(tmp_path, dask_cluster):
    cluster, client = dask_cluster

    def nlp_loads() -> int:  # runs on each worker (a local function travels by value)
        from newsdigest.analyze.parsing import load_nlp

        return load_nlp.cache_info().misses

    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 6, broken=False)
    result = batch(str(corpus), "--out", str(out), "--analysis", "--batch-size", "1",
                   "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids) and all(row["digest"]["analysis"] for row in rows.values())
    assert set(client.run(nlp_loads).values()) == {1}  # 6 tasks, 2 workers: one load each


def test_dask_reads_the_dataset_in_bounded_batches(tmp_path, dask_cluster):
    cluster, _ = dask_cluster
    engine = make_engine("dask", Options(words=WORDS), scheduler=cluster.scheduler_address)
    try:
        assert_bounded_reading(tmp_path, engine, workers=2)
    finally:
        engine.close()


def test_dask_loses_no_cluster_when_a_worker_is_killed(tmp_path, dask_cluster):
    cluster, client = dask_cluster
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.jsonl"
    ids = write_corpus(corpus, 40, articles=5, sentences=10, broken=False)
    engine = make_engine("dask", Options(words=WORDS), scheduler=cluster.scheduler_address)
    try:
        killed = run_while_killing(
            lambda: run_batch(dataset_jobs(corpus), out, engine, batch_size=1),
            out,
            lambda: list(client.run(os.getpid).values()),
        )
    finally:
        engine.close()
    assert killed["rows_at_kill"] < len(ids)
    rows = by_id(read_rows(out))
    assert set(rows) == set(ids)
    assert all("digest" in row for row in rows.values()), [r for r in rows.values() if "error" in r]
    # The nanny replaced the killed worker.
    client.wait_for_workers(2, timeout=60)
    assert killed["pid"] not in client.run(os.getpid).values()


def test_dask_engine_without_the_extra_says_how_to_install_it(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus, 1, broken=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "newsdigest.apps.batch.dask_engine", raising=False)
    result = batch(str(corpus), "--out", str(tmp_path / "out.jsonl"), "--engine", "dask")
    assert result.exit_code == 2
    assert result.stderr.strip() == "newsdigest: error: the dask engine needs the dask extra: pip install 'newsdigest[dask]'"
    assert not (tmp_path / "out.jsonl").exists()


def test_multinews_lines_are_parsed_on_the_worker_as_evaluate_reads_them(tmp_path):
    from newsdigest.evaluate.datasets import load_dataset

    corpus, out = tmp_path / "mn.jsonl", tmp_path / "out.jsonl"
    records = [
        {"id": f"mn-{k}", "summary": "– A summary.",
         "document": " ||||| ".join(article(PLACES[k], EVENTS[k], outlet, 4) for outlet in range(3))}
        for k in range(3)
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records) + '{"id": "cut", "document": \n')
    result = batch(str(corpus), "--out", str(out), "--workers", "2")
    assert result.exit_code == 3
    rows = by_id(read_rows(out))
    assert rows["record-4"] == {"id": "record-4", "error": f"{corpus}:4: invalid JSON (Expecting value)"}
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    for cluster in load_dataset(corpus):
        expected = digest_to_dict(summarize_documents(cluster.documents, words=WORDS))
        assert rows[cluster.id]["digest"] == json.loads(json.dumps(expected))
