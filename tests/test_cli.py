"""The command line, end to end, on the bundled example and on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import jsonschema
import pytest
from typer.testing import CliRunner

from newsdigest.apps.cli import app
from newsdigest.render.digest_json import digest_schema

from .conftest import EXAMPLE, SHARED

runner = CliRunner()

BOILERPLATE = [
    "Flash 90",
    "photo credit",
    "Click for full",
    "Photo Gallery",
    "By + More",
    "contact him",
    "can be reached",
    "•",
    "contributed to this report",
    "Check out U.S. News Weekly",
]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def summary_words(markdown: str) -> int:
    body = markdown.split("## Summary", 1)[1].split("\n*", 1)[0]
    body = re.sub(r"\[\d+\]", "", body)
    return len(body.split())


def test_markdown_digest_of_the_example_is_cited_within_budget_and_clean():
    result = run("summarize", str(EXAMPLE), "--words", "120", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert 0 < summary_words(out) <= 120
    assert re.search(r"\[\d\]", out)
    assert "## Sources" in out and "The Jerusalem Post" in out
    for noise in BOILERPLATE:
        assert noise not in out


def test_json_digest_matches_the_documented_schema():
    result = run("summarize", str(EXAMPLE), "--words", "120", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, digest_schema())
    assert data["words"] <= 120 and len(data["documents"]) == 5
    texts = {d["id"]: None for d in data["documents"]}
    assert all(c in texts for s in data["sentences"] for c in s["citations"])


def test_sentence_budget_and_methods():
    for method in ("ilp", "lead", "centroid", "lexrank"):
        result = run("summarize", str(EXAMPLE), "--sentences", "2", "--method", method, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert len(json.loads(result.stdout)["sentences"]) <= 2


def test_methods_lists_every_registered_method():
    result = run("methods")
    assert result.exit_code == 0
    for name in ("ilp", "lead", "centroid", "lexrank"):
        assert re.search(rf"^{name}\s", result.stdout, re.M)


def test_unknown_method_is_a_usage_error():
    result = run("summarize", str(EXAMPLE), "--method", "nope")
    assert result.exit_code == 2
    assert "unknown method 'nope'" in result.stderr


def test_stdin_multinews_string():
    articles = [(EXAMPLE / name).read_text(encoding="utf-8") for name in sorted(p.name for p in EXAMPLE.glob("*.txt"))[:3]]
    result = run("summarize", "-", "--words", "80", "--format", "json", input=" ||||| ".join(articles))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["documents"]) == 3 and data["words"] <= 80


def test_duc_sgml_cluster(shared_data):
    result = run("summarize", str(shared_data / "duc2003" / "docs" / "d30003t"), "--words", "100", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert 0 < data["words"] <= 100
    assert all(not re.search(r"&\w+;|<\w+>", s["text"]) for s in data["sentences"])


def test_bad_files_are_reported_and_the_good_ones_summarized(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02\xff" * 100)
    result = run("summarize", str(EXAMPLE), str(tmp_path / "empty.txt"), str(tmp_path / "binary.bin"), str(tmp_path / "missing.txt"))
    assert result.exit_code == 0
    lines = result.stderr.strip().splitlines()
    for name in ("empty.txt", "binary.bin", "missing.txt"):
        assert sum(name in line for line in lines) == 1
    assert "Traceback" not in result.stderr
    assert "Sources" in result.stdout


def test_nothing_usable_exits_non_zero_with_one_line_per_problem(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run("summarize", str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "nothing could be summarized" in result.stderr


def test_budget_smaller_than_any_sentence_is_a_clear_error():
    result = run("summarize", str(EXAMPLE), "--words", "2")
    assert result.exit_code == 1
    assert "no sentence fits the budget of 2 words" in result.stderr


def test_analysis_json_and_html_report(tmp_path):
    result = run("summarize", str(EXAMPLE), "--words", "120", "--analysis", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["analysis"]["entities"] and data["sentences"]
    page = tmp_path / "report.html"
    result = run("analyze", str(EXAMPLE), "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<html" in html and "Hijab" in html


def test_console_script_runs():
    out = subprocess.run(
        [sys.executable, "-m", "newsdigest", "summarize", str(EXAMPLE), "--words", "60"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Summary (")


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is absent")
def test_seeds_folder_itself_is_readable():
    result = run("summarize", str(SHARED / "seeds"), "--words", "50")
    assert result.exit_code == 0, result.stderr


def test_single_article_is_summarized_with_a_warning():
    result = run("summarize", str(EXAMPLE / "002_9a7023dfee11c5f7.txt"), "--words", "60")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "only one article" in result.stderr
    assert "Summary (" in result.stdout


def test_readme_example_is_the_real_output():
    readme = (EXAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- example-output -->\n```\n", 1)[1].split("```\n<!-- /example-output -->", 1)[0]
    result = run("summarize", str(EXAMPLE))
    assert result.exit_code == 0, result.stderr
    # Paths in the README are relative to the repository root.
    assert result.stdout.replace(str(EXAMPLE), "examples/syria") == block


# --- -o problems are one line, before any work is done ------------------------------------


@pytest.mark.parametrize("command", ["summarize", "analyze"])
def test_output_to_a_missing_folder_or_a_folder_is_one_line(tmp_path, command):
    missing = tmp_path / "missing"
    for target, reason in ((missing / "out.md", f"no such folder {missing}"), (tmp_path, "it is a folder")):
        result = run(command, str(EXAMPLE), "-o", str(target))
        assert result.exit_code == 1
        assert result.stderr == f"newsdigest: error: cannot write {target}: {reason}\n"


def test_write_error_is_one_line():
    result = run("summarize", str(EXAMPLE), "--words", "60", "-o", "/dev/full")
    assert result.exit_code == 1
    assert result.stderr.endswith("newsdigest: error: cannot write /dev/full: No space left on device\n")
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_an_error_no_command_foresaw_is_one_line_not_a_traceback(monkeypatch, capsys):
    from newsdigest.apps import cli

    def broken(*args, **kwargs):
        raise KeyError("something nobody planned for\nover two lines")

    monkeypatch.setattr("newsdigest.ingest.load_documents", broken)
    monkeypatch.setattr(sys, "argv", ["newsdigest", "summarize", str(EXAMPLE)])
    monkeypatch.delenv("NEWSDIGEST_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        "newsdigest: error: unexpected KeyError: 'something nobody planned for\\nover two lines' "
        "(NEWSDIGEST_DEBUG=1 shows where)"
    ]
    monkeypatch.setenv("NEWSDIGEST_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main()


def test_a_report_that_cannot_be_written_leaves_the_earlier_one_whole(tmp_path, monkeypatch, capsys):
    from newsdigest.apps.cli import write_output

    target = tmp_path / "report.txt"
    target.write_text("yesterday's report\n")

    def refuse(self, data):
        raise OSError(28, "No space left on device")

    write_output("today's report \ud800\n", target)  # a lone surrogate cannot fail the write: it is replaced
    assert target.read_text(encoding="utf-8") == "today's report ?\n"
    target.write_text("yesterday's report\n")
    monkeypatch.setattr(type(target), "write_bytes", refuse)
    import typer

    with pytest.raises(typer.Exit) as exit_:
        write_output("today's report\n", target)
    assert exit_.value.exit_code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"newsdigest: error: cannot write {target}: No space left on device"
    assert target.read_text() == "yesterday's report\n"


def test_evaluate_on_a_story_dataset_names_each_bad_line_and_scores_the_rest(tmp_path):
    lines = [
        json.dumps({"id": f"a{k}", "story": f"s{k % 2}", "date": "2012-08-0" + str(k + 1),
                    "title": ("Ferry strike" if k % 2 else "Mine rescue") + f" day {k}",
                    "text": ("Ferry crews walked off the job in a dispute over pay, union officials said."
                             if k % 2 else "Rescuers reached the trapped miners after two days, officials said.")})
        for k in range(4)
    ]
    lines.insert(2, "not json")
    lines.append('{"id": "x", "story": "s0", "text": 5}')
    lines.append('{"story": "s0", "text": "An article without an id cannot be scored against a label."}')
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n" + b'{"id": "lat", "story": "s1", "text": "caf\xe9"}\n')
    result = runner.invoke(app, ["evaluate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["articles"] == 4
    assert result.stderr.strip().splitlines() == [
        f"newsdigest: error: {path}: line 3: invalid JSON (Expecting value), line skipped",
        f"newsdigest: error: {path}: line 6: \"text\" must be a string, not int",
        f"newsdigest: error: {path}: line 7: no \"id\" or no \"story\" label, not scored",
        f"newsdigest: error: {path}: line 8: not UTF-8 (byte 41 of the line), line skipped",
    ]
