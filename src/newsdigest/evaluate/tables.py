"""An evaluation result as a table for people: means, 95% intervals, speed."""

from __future__ import annotations

from newsdigest.evaluate.results import EvaluationResult
from newsdigest.evaluate.rouge import MEASURES, METRICS

# Label for the three measures in tables.
MEASURE_LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeLsum": "ROUGE-Lsum"}


def format_table(result: EvaluationResult, *, title: str = ""):
    """A rich Table of the means and intervals of one result."""
    from rich.table import Table

    table = Table(title=title or None)
    table.add_column("measure")
    table.add_column(result.metric, justify="right")
    table.add_column("95% CI", justify="right")
    for other in METRICS:
        if other != result.metric:
            table.add_column(other, justify="right", style="dim")
    for m in MEASURES:
        low, high = result.ci(m)
        row = [MEASURE_LABELS[m], f"{100 * result.mean(m):.2f}", f"{100 * low:.2f}–{100 * high:.2f}"]
        row += [f"{100 * result.mean(m, other):.2f}" for other in METRICS if other != result.metric]
        table.add_row(*row)
    return table


def print_result(result: EvaluationResult, *, method: str, dataset: str, console=None) -> None:
    """The table and a line on speed and summary length, printed with rich."""
    from rich.console import Console
    from rich.markup import escape

    console = console or Console()
    convention = "truncated to %d words, recall" % result.words if result.truncate else "F1, no truncation"
    console.print(
        format_table(result, title=escape(f"{method} on {dataset} ({len(result.clusters)} clusters, {convention})"))
    )
    console.print(
        f"{result.seconds:.2f} s summarizing ({result.clusters_per_second:.2f} clusters/s); "
        f"mean summary length {sum(c.words for c in result.clusters) / len(result.clusters):.0f} words",
        highlight=False,
    )
