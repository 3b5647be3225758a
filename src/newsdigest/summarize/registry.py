"""The summarizer protocol and the registry that finds methods by name.

A method is a class with a ``name``, a one-line ``description`` and a
``select(sentences, budget)`` that returns the positions (into ``sentences``)
of the sentences it keeps. Register it with :func:`register`; the CLI, the
Python API and the benchmarks all list methods from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from newsdigest.errors import NewsdigestError
from newsdigest.model import Budget, Sentence


class Summarizer(Protocol):
    name: str
    description: str

    def select(self, sentences: Sequence[Sentence], budget: Budget) -> list[int]:
        """Positions into ``sentences`` of the kept ones; they must fit ``budget``."""
        ...


_REGISTRY: dict[str, Callable[[], Summarizer]] = {}

DEFAULT_METHOD = "ilp"


def register(cls):
    """Class decorator: make a summarizer available under ``cls.name``."""
    if cls.name in _REGISTRY:
        raise ValueError(f"summarizer {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def _load_builtin_methods() -> None:
    # The built-in methods are registered here rather than by a decorator in
    # their own modules, so no method module imports the registry (no circle).
    if DEFAULT_METHOD in _REGISTRY:
        return
    from newsdigest.summarize.baselines import Centroid, Lead, LexRank
    from newsdigest.summarize.ilp import ConceptILP
    from newsdigest.summarize.learned import LearnedILP
    from newsdigest.summarize.submodular import SubmodularCoverage

    for cls in (ConceptILP, Lead, Centroid, LexRank, SubmodularCoverage, LearnedILP):
        _REGISTRY.setdefault(cls.name, cls)


def available_methods() -> dict[str, str]:
    """Method name -> one-line description, the default first."""
    _load_builtin_methods()
    names = sorted(_REGISTRY, key=lambda n: (n != DEFAULT_METHOD, n))
    return {n: _REGISTRY[n].description for n in names}


def get_method(name: str, **options) -> Summarizer:
    """A fresh summarizer instance; ``options`` are its keyword arguments."""
    _load_builtin_methods()
    try:
        cls = _REGISTRY[name]
    except KeyError:
        known = ", ".join(available_methods())
        raise NewsdigestError(f"unknown method {name!r} (known: {known})") from None
    try:
        return cls(**options)
    except TypeError as exc:  # an option the method does not take
        raise NewsdigestError(f"method {name!r}: {exc}") from None
