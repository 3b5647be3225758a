"""What the runner runs: the System protocol, and newsdigest's own methods behind it."""

from __future__ import annotations

from typing import Protocol

from newsdigest.evaluate.datasets import Cluster


class System(Protocol):
    """Anything that turns a cluster into summary sentences within a word budget.

    Optional: ``prepare()``, called once before the first cluster (imports,
    models), so that loading is not timed as summarizing.
    """

    name: str

    def summarize(self, cluster: Cluster, words: int) -> list[str]: ...


class NewsdigestSystem:
    """A newsdigest method, run exactly as a user runs it (ordering and citations included)."""

    def __init__(self, method: str = "ilp") -> None:
        from newsdigest.summarize.registry import available_methods

        if method not in available_methods():
            known = ", ".join(available_methods())
            raise ValueError(f"unknown method {method!r} (known: {known})")
        self.method = method
        self.name = method

    def prepare(self) -> None:
        from newsdigest.model import Document
        from newsdigest.pipeline import summarize_documents

        # Load what every run loads once (nupunkt's model, solver and SciPy
        # code paths) outside the timed clusters, as peers load theirs.
        toy = [
            Document(id="a", text="The army left the city on Monday, officials said."),
            Document(id="b", text="Officials said the army left the city on Monday night."),
        ]
        summarize_documents(toy, words=20, method=self.method)

    def summarize(self, cluster: Cluster, words: int) -> list[str]:
        from newsdigest.pipeline import summarize_documents

        digest = summarize_documents(cluster.documents, words=words, method=self.method)
        return [s.text for s in digest.sentences]
