"""`newsdigest batch --stories`: a raw stream grouped into stories by time window on the workers, each story digested."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsdigest.apps.cli import app

from .test_batch import dask_cluster  # noqa: F401 - a module-scoped real LocalCluster
from .test_stories_furniture import stream

runner = CliRunner()


def write_stream(path: Path) -> list[str]:
    """Six articles of three stories over five days (chrome glued to each), and one article that cannot be read."""
    documents = stream()
    rows = [{"id": d.id, "title": d.title, "source": d.source, "date": d.date.isoformat(), "text": d.text} for d in documents]
    lines = [json.dumps(r) for r in rows]
    lines.insert(3, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [d.id for d in documents]


def run(stream_path: Path, out: Path, *args: str):
    return runner.invoke(
        app, ["batch", str(stream_path), "--stories", "--out", str(out), "--words", "60", "--window-days", "2", "--no-progress", *args]
    )


def rows_of(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    table = {row["id"]: row for row in rows}
    assert len(table) == len(rows)
    return table


def test_a_stream_becomes_one_digested_row_per_story_whatever_the_worker_count(tmp_path):
    path = tmp_path / "stream.jsonl"
    ids = write_stream(path)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    result = run(path, one, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "line 4: invalid JSON" in result.stderr  # the broken line is reported, the rest goes on
    assert "6 articles grouped into 3 stories" in result.stderr
    assert run(path, two, "--workers", "2").exit_code == 0
    rows = rows_of(one)
    assert rows == rows_of(two)
    assert len(rows) == 3
    assert sorted(a["id"] for row in rows.values() for a in row["articles"]) == sorted(ids)
    for story_id, row in rows.items():
        assert story_id.startswith("story-") and row["title"] and row["sources"]
        assert row["digest"]["summary"] and "Harbour Gazette" not in row["digest"]["summary"]
    # The stories straddle the 2-day windows: each still has both its articles.
    assert sorted(len(row["articles"]) for row in rows.values()) == [2, 2, 2]


def test_resume_adds_only_the_missing_stories(tmp_path):
    path = tmp_path / "stream.jsonl"
    write_stream(path)
    out = tmp_path / "out.jsonl"
    assert run(path, out, "--workers", "1").exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    out.write_text(lines[0] + "\n", encoding="utf-8")
    result = run(path, out, "--workers", "1", "--resume")
    assert result.exit_code == 0, result.output
    assert len(rows_of(out)) == 3


def test_a_stream_without_articles_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    result = run(path, tmp_path / "out.jsonl", "--workers", "1")
    assert result.exit_code == 1
    assert "no articles" in result.stderr and "Traceback" not in result.output


def test_dask_groups_and_digests_the_same_stories(tmp_path, dask_cluster):  # noqa: F811
    cluster, _ = dask_cluster
    path = tmp_path / "stream.jsonl"
    write_stream(path)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run(path, local, "--workers", "1").exit_code == 0
    result = run(path, dask, "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert rows_of(dask) == rows_of(local)
