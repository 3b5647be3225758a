"""Reading ahead: the reader forked at start-up is used only for the dataset the command names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from newsdigest.evaluate import readahead
from newsdigest.evaluate.command import evaluate_command
from newsdigest.evaluate.datasets import iter_clusters
from newsdigest.evaluate.parallel import ChildItems, can_fork
from tests.test_evaluate import make_multinews


@pytest.fixture(autouse=True)
def _no_reader_left():
    yield
    readahead.stop()


def test_the_dataset_is_the_first_argument_that_is_neither_an_option_nor_its_value(tmp_path):
    data = str(make_multinews(tmp_path / "dev.jsonl"))
    assert readahead.guess_dataset(["evaluate", data, "--words", "100"]) == data
    assert readahead.guess_dataset(["evaluate", "--words", "100", data]) == data
    assert readahead.guess_dataset(["evaluate", "--words=100", data]) == data
    assert readahead.guess_dataset(["evaluate", "--json", data]) is None  # a flag: its "value" is skipped
    assert readahead.guess_dataset(["evaluate", str(tmp_path / "absent")]) is None
    assert readahead.guess_dataset(["summarize", data]) is None
    assert readahead.guess_dataset([]) is None


@pytest.mark.skipif(not can_fork(), reason="reads in a forked child")
def test_the_reader_started_early_reads_the_named_dataset_in_a_child(tmp_path):
    data = str(make_multinews(tmp_path / "dev.jsonl"))
    readahead.start(["evaluate", data, "--words", "30"])
    reader = readahead.take(data, None)
    assert isinstance(reader, ChildItems)
    assert [(c.id, c.references) for c in reader] == [(c.id, c.references) for c in iter_clusters(data)]
    assert readahead.take(data, None) is None  # handed over once


@pytest.mark.skipif(not can_fork(), reason="reads in a forked child")
@pytest.mark.parametrize("limit", [None, 1])
def test_a_reader_of_another_dataset_or_of_all_clusters_for_a_limit_is_stopped(tmp_path, limit):
    data = str(make_multinews(tmp_path / "dev.jsonl"))
    other = str(make_multinews(tmp_path / "other.jsonl"))
    readahead.start(["evaluate", data])
    reader = readahead._early[1]
    assert readahead.take(other if limit is None else data, limit) is None
    assert list(reader) == []  # closed: its child was stopped


def _scores(stdout: str) -> list:
    payload = json.loads(stdout)
    per_cluster = [{k: v for k, v in c.items() if k != "seconds"} for c in payload["per_cluster"]]
    return [payload["scores"], *per_cluster]


@pytest.mark.parametrize("options", [["--words", "30"], ["--limit", "1", "--words", "30"]])
def test_python_m_newsdigest_evaluate_gives_what_the_command_gives_in_process(tmp_path, capsys, options):
    data = str(make_multinews(tmp_path / "dev.jsonl"))
    run = subprocess.run(
        [sys.executable, "-m", "newsdigest", "evaluate", data, *options, "--method", "lead", "--json"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert run.returncode == 0, run.stderr
    limit = 1 if "--limit" in options else None
    assert evaluate_command(data, words=30, method="lead", json_output=True, limit=limit) == 0
    assert _scores(run.stdout) == _scores(capsys.readouterr().out)
    assert len(_scores(run.stdout)) == 1 + (limit or 2)


def test_reading_ahead_loads_neither_the_cli_nor_numpy_first():
    # It forks before `python -m newsdigest` loads the CLI, so that the reader runs beside all of that.
    probe = "import sys\nimport newsdigest.evaluate.readahead\nprint(sorted(m for m in ('typer', 'numpy', 'newsdigest.evaluate.datasets') if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
