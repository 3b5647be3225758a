"""The `newsdigest` command line."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from newsdigest.errors import NewsdigestError
from newsdigest.model import Problem

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Several news articles about one story in, one cited, non-redundant digest out.",
)


class DigestFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


class StoriesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"
    jsonl = "jsonl"
    html = "html"


class AnalysisFormat(str, Enum):
    terminal = "terminal"
    markdown = "markdown"
    json = "json"
    html = "html"


def report_problems(problems: list[Problem]) -> None:
    from newsdigest.render.escape import plain

    for p in problems:  # one line each, whatever a file name or an id holds
        typer.echo(f"newsdigest: {plain(p)}", err=True)


def fail(message: str, code: int = 1) -> None:
    from newsdigest.render.escape import plain

    typer.echo(f"newsdigest: error: {plain(message)}", err=True)
    raise typer.Exit(code)


AllowPrivateUrls = Annotated[
    bool,
    typer.Option(
        "--allow-private-urls",
        help="Fetch URLs on private, loopback and link-local addresses too (refused by default).",
    ),
]


def check_output(output: Optional[Path]) -> None:
    """Fail before any work when ``output`` cannot be written: a folder, a missing folder, no permission."""
    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        fail(f"cannot write {output}: it is a folder")
    if not folder.is_dir():
        fail(f"cannot write {output}: no such folder {folder}")
    target = output if output.exists() else folder
    if not os.access(target, os.W_OK):
        fail(f"cannot write {output}: permission denied")


def write_output(text: str, output: Optional[Path]) -> None:
    """``text`` to stdout or to ``output``; a write error is one line and exit status 1."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # `newsdigest ... | head`: the reader has gone, nothing to report
            raise typer.Exit(0) from None
        return
    data = text.encode("utf-8", "replace")  # before the file is opened: a failure must not empty an earlier report
    try:
        output.write_bytes(data)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"newsdigest: wrote {output}", err=True)


@app.command()
def summarize(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs, or - for stdin.")],
    words: Annotated[Optional[int], typer.Option(min=1, help="Word budget (default: 1/20 of the input, 100-250).")] = None,
    sentences: Annotated[Optional[int], typer.Option(min=1, help="Sentence budget instead of (or with) --words.")] = None,
    method: Annotated[str, typer.Option(help="Summarization method; see `newsdigest methods`.")] = "ilp",
    format: Annotated[DigestFormat, typer.Option("--format", "-f", help="Output format.")] = DigestFormat.text,
    analysis: Annotated[bool, typer.Option("--analysis", help="Add the cross-source analysis (always on for html).")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
    allow_private_urls: AllowPrivateUrls = False,
) -> None:
    """Summarize a cluster of articles about one story."""
    from newsdigest.ingest import load_documents
    from newsdigest.pipeline import summarize_documents
    from newsdigest.render import render_digest
    from newsdigest.summarize.registry import available_methods

    if method not in available_methods():
        fail(f"unknown method {method!r} (known: {', '.join(available_methods())})", code=2)
    check_output(output)
    documents, problems = load_documents(paths, allow_private_urls=allow_private_urls)
    report_problems(problems)
    if not documents:
        fail("nothing could be summarized")
    try:
        digest = summarize_documents(
            documents, words=words, sentences=sentences, method=method, problems=problems
        )
        if analysis or format is DigestFormat.html:
            from newsdigest.analyze import analyze_documents

            digest.analysis = analyze_documents(digest.documents, digest=digest)
    except NewsdigestError as exc:
        fail(str(exc))
    report_problems(digest.problems[len(problems) :])
    if digest.analysis is None or format is DigestFormat.json:
        write_output(render_digest(digest, format.value), output)
    else:
        from newsdigest.render.analysis_report import render_analysis

        fmt = "terminal" if format is DigestFormat.text else format.value
        write_output(render_analysis(digest.analysis, fmt, digest=digest), output)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs, or - for stdin.")],
    format: Annotated[AnalysisFormat, typer.Option("--format", "-f", help="Output format.")] = AnalysisFormat.terminal,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
    allow_private_urls: AllowPrivateUrls = False,
) -> None:
    """Cross-source analysis: who, who said what, the numbers, where sources differ, when."""
    from newsdigest.analyze import analyze_documents
    from newsdigest.ingest import load_documents
    from newsdigest.render.analysis_report import render_analysis

    check_output(output)
    documents, problems = load_documents(paths, allow_private_urls=allow_private_urls)
    report_problems(problems)
    if not documents:
        fail("nothing could be analyzed")
    result = analyze_documents(documents)
    if format is AnalysisFormat.terminal and output is None:
        from rich.console import Console

        render_analysis(result, "terminal", console=Console())
        return
    write_output(render_analysis(result, format.value), output)


@app.command()
def stories(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, feeds, or - for stdin: articles of many stories.")],
    format: Annotated[StoriesFormat, typer.Option("--format", "-f", help="Output format.")] = StoriesFormat.text,
    no_digest: Annotated[bool, typer.Option("--no-digest", help="The grouping only, no digest per story.")] = False,
    db: Annotated[
        Optional[Path], typer.Option("--db", help="SQLite store: add to the stories kept there (created if absent).")
    ] = None,
    words: Annotated[Optional[int], typer.Option(min=1, help="Word budget of each digest (default: by story size).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
    all_stories: Annotated[
        bool, typer.Option("--all", help="With --db: print every stored story, not only those this run added articles to.")
    ] = False,
) -> None:
    """Find the stories among mixed articles, ranked by distinct sources, each with a cited digest.

    With --db, only the stories this run added articles to (new or grown) are printed, unless --all.
    """
    from newsdigest.ingest import load_documents
    from newsdigest.render import render_stories

    # Copies of one wire story are kept here: the stories step merges them and lists their outlets.
    documents, problems = load_documents(paths, duplicate_threshold=None)
    report_problems(problems)
    if not documents and db is None:
        fail("no articles to group into stories")
    if db is not None:
        import sqlite3

        from newsdigest.store import Store

        try:
            with Store(db) as store:
                before = store.count_stories()
                added = store.add_documents(documents, digest=not no_digest, words=words)
                total = store.count_stories()
                touched = {story for _, story in added}
                typer.echo(f"newsdigest: {db}: {stored_summary(len(added), total - before, len(touched), total, all_stories)}", err=True)
                if all_stories:
                    found = store.stories()
                else:
                    from newsdigest.stories.detect import rank_key

                    found = sorted((store.story(story) for story in touched), key=rank_key)
                digests = {} if no_digest else {s.id: d for s in found if (d := store.digest(s.id)) is not None}
        except NewsdigestError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:  # opened, then refused: a read-only file, a full disk, a lock held too long
            fail(f"{db}: cannot update the store ({' '.join(str(exc).split())})")
    else:
        from newsdigest.pipeline import summarize_stories
        from newsdigest.stories import detect_stories

        # Furniture sentences only change article texts, which only digests read: without digests, skip finding them.
        found = detect_stories(documents, drop_furniture=not no_digest)
        digests = {} if no_digest else summarize_stories(found, words=words)[0]
    write_output(render_stories(found, digests, format.value), output)


def stored_summary(articles: int, new_stories: int, touched: int, total: int, printed_all: bool) -> str:
    """One line on what a `stories --db` run changed, and what it prints."""
    unchanged = total - touched
    if not touched:
        head = f"nothing new; {total} stories stored, unchanged"
    else:
        head = (
            f"{articles} new articles in {touched} stories ({new_stories} new, {touched - new_stories} grown); "
            f"{unchanged} other stories stored, unchanged"
        )
    if printed_all:
        return head + f"; printing all {total}"
    return head + ("; --all prints them" if unchanged else "")


@app.command()
def methods() -> None:
    """List the summarization methods."""
    from newsdigest.summarize.registry import DEFAULT_METHOD, available_methods

    methods = available_methods()
    width = max(map(len, methods)) + 1
    for name, description in methods.items():
        marker = " (default)" if name == DEFAULT_METHOD else ""
        typer.echo(f"{name:<{width}}{description}{marker}")


class BatchEngine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    dataset: Annotated[str, typer.Argument(help="DUC or MultiLing folder, Multi-News or newsdigest JSON lines (clusters, or articles with a 'cluster'/'story' field).")],
    out: Annotated[Path, typer.Option("--out", help="JSON lines file: one row per cluster, appended as clusters finish.")],
    words: Annotated[Optional[int], typer.Option(min=1, help="Word budget (default: 1/20 of each cluster, 100-250).")] = None,
    sentences: Annotated[Optional[int], typer.Option(min=1, help="Sentence budget instead of (or with) --words.")] = None,
    method: Annotated[str, typer.Option(help="Summarization method; see `newsdigest methods`.")] = "ilp",
    analysis: Annotated[bool, typer.Option("--analysis", help="Add the cross-source analysis to every row.")] = False,
    engine: Annotated[BatchEngine, typer.Option(help="local: processes on this machine; dask: a Dask cluster.")] = BatchEngine.local,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Worker processes (default: one per core).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Address of a running Dask scheduler (tcp://host:8786).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip the clusters already in --out and append the rest.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Clusters sent to a worker at a time.")] = 4,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    stories: Annotated[bool, typer.Option("--stories", help="DATASET is a raw stream of articles: group it into stories (sharded by time window), then digest each story.")] = False,
    window_days: Annotated[int, typer.Option(min=1, help="With --stories: days of articles grouped by one worker task.")] = 30,
    rounds: Annotated[Optional[int], typer.Option(min=1, help="With --stories: at most this many grouping rounds (default: 2; see docs/scale.md).")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="With --stories: group until the result is the one-pass grouping (may take a round per window).")] = False,
) -> None:
    """Digest every cluster of a dataset into JSON lines, on local processes or a Dask cluster.

    Exit status: 0 every cluster digested, 1 none, 3 some failed (listed on stderr).
    """
    from newsdigest.apps.batch.command import batch_command

    code = batch_command(
        dataset,
        out,
        words=words,
        sentences=sentences,
        method=method,
        analysis=analysis,
        engine=engine.value,
        workers=workers,
        scheduler=scheduler,
        resume=resume,
        batch_size=batch_size,
        progress=progress,
        stories=stories,
        window_days=window_days,
        rounds=None if exact else (rounds or 2),
    )
    if code:
        raise typer.Exit(code)


# --- evaluate (owned by the evaluation issue; self-contained) ---------------------


class EvaluateMetric(str, Enum):
    recall = "recall"
    f1 = "f1"


@app.command()
def evaluate(
    dataset: Annotated[
        str,
        typer.Argument(help="DUC or MultiLing folder, Multi-News / newsdigest JSON lines, or articles with a gold \"story\"."),
    ],
    words: Annotated[
        Optional[int], typer.Option(min=1, help="Word budget of every summary (default: DUC 100, Multi-News and MultiLing 250).")
    ] = None,
    method: Annotated[str, typer.Option(help="Summarization method; see `newsdigest methods`.")] = "ilp",
    save_summaries: Annotated[
        Optional[Path], typer.Option("--save-summaries", help="Write DIR/<cluster id>.txt for every cluster.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")] = False,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Only the first K clusters.")] = None,
    metric: Annotated[
        Optional[EvaluateMetric],
        typer.Option(help="recall (truncated; default for DUC/MultiLing) or f1 (default for Multi-News)."),
    ] = None,
) -> None:
    """Score a method with ROUGE on a dataset of clusters with reference summaries, or the story grouping."""
    from newsdigest.evaluate.stories import evaluate_stories_command, is_story_dataset

    if is_story_dataset(dataset):
        from newsdigest.evaluate import readahead

        readahead.stop()  # it would read the articles as clusters, which this command does not need
        code = evaluate_stories_command(dataset, json_output=json_output)
        if code:
            raise typer.Exit(code)
        return
    if words is None:
        from newsdigest.evaluate.datasets import DEFAULT_WORDS, detect_format

        try:  # a missing or unknown dataset is the first thing to say
            kind = detect_format(dataset)
        except (ValueError, OSError) as problem:
            fail(str(problem), code=2)
        words = DEFAULT_WORDS.get(kind)
        if words is None:
            fail(f"--words is needed to score summaries of {kind} clusters (no standard budget)", code=2)
    from newsdigest.evaluate.command import evaluate_command

    code = evaluate_command(
        dataset,
        words=words,
        method=method,
        save_summaries=save_summaries,
        json_output=json_output,
        limit=limit,
        metric=metric.value if metric else None,
    )
    if code:
        raise typer.Exit(code)


# --- end of evaluate ------------------------------------------------------------------


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="The story store (SQLite; created when missing).")] = Path("newsdigest.sqlite"),
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    feeds: Annotated[Optional[list[str]], typer.Option("--feeds", help="Feed URL or OPML file to poll (repeatable).")] = None,
    poll: Annotated[str, typer.Option(help="How often to poll feeds: e.g. 90s, 15m, 2h.")] = "15m",
    words: Annotated[Optional[int], typer.Option(min=1, help="Digest word budget (default: by input length).")] = None,
    allow_private_urls: AllowPrivateUrls = False,
) -> None:
    """The web desk: stories with digests and analysis, an API to post articles and feeds."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail("the web desk needs the 'web' extra: pip install 'newsdigest[web]'", code=2)
    from newsdigest.apps.web.desk import Desk
    from newsdigest.apps.web.server import parse_interval, serve as run_server

    try:
        seconds = parse_interval(poll)
        desk = Desk(str(db), words=words, allow_private_urls=allow_private_urls)
    except NewsdigestError as exc:
        fail(str(exc), code=2)
    for feed in feeds or ():
        _, problems = desk.add_feed(feed)
        report_problems(problems)
    typer.echo(f"newsdigest: desk on http://{host}:{port}/ (store {db})", err=True)
    run_server(desk, host=host, port=port, poll_seconds=seconds, report=report_problems)


def main() -> None:
    """The command line. An error no command foresaw is still one line (set NEWSDIGEST_DEBUG=1 for its traceback)."""
    try:
        app()
    except Exception as error:  # noqa: BLE001 - the last guard: a traceback must not reach a user
        if os.environ.get("NEWSDIGEST_DEBUG"):
            raise
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"newsdigest: error: unexpected {type(error).__name__}: {message[:500]} (NEWSDIGEST_DEBUG=1 shows where)",
              file=sys.stderr)
        raise SystemExit(1) from None
