"""Learned concept weights (issue 12, round 5): train, evaluate honestly, regenerate the shipped model.

A bigram's weight is a logistic regression's estimate that it appears in one
of its cluster's reference summaries (Li, Qian & Liu 2013; Hong & Nenkova
2014), from :data:`newsdigest.summarize.learned.FEATURES` (document
frequency, first-mention position, lead counts, stop words, length, figures).
Each cluster counts once in training (its bigrams' sample weights sum to 1),
so Multi-News' one 145,000-word record does not outweigh the rest.

Every variant is scored three ways against the default ``ilp`` (paired 95%
bootstrap intervals over clusters, as ``bench/ablation.py``):

* in-sample: trained on all three dev sets (the shipped model);
* K-fold within each set: each cluster summarized by a model trained on the
  other folds of its own set (5 folds, cluster k in fold k mod 5);
* leave one set out: each set summarized by a model trained on the other two.
::

    PYTHONPATH=src .venv/bin/python bench/learned_weights.py --data ../shared/data            # the table, ~20 min on one core
    PYTHONPATH=src .venv/bin/python bench/learned_weights.py --data ../shared/data --write    # regenerate learned_weights.json
    PYTHONPATH=src .venv/bin/python bench/learned_weights.py --data ../shared/data --ranking  # average precision of the weights
    PYTHONPATH=src .venv/bin/python bench/learned_weights.py --data ../shared/data --oracle   # ceiling: the references' bigrams as weights
    PYTHONPATH=src .venv/bin/python bench/learned_weights.py --data ../shared/data --coefficients
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

from collections import Counter

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.ablation import DATA, _delta, _verdict, load_datasets, run_row  # noqa: E402
from newsdigest.pipeline import segment, summarize_documents  # noqa: E402
from newsdigest.summarize.candidates import candidate_positions, candidate_ranks  # noqa: E402
from newsdigest.summarize.concepts import sentence_bigrams  # noqa: E402
from newsdigest.summarize.ilp import ConceptILP  # noqa: E402
from newsdigest.nlp.text import stemmed_words  # noqa: E402
from newsdigest.summarize.learned import FEATURES, WEIGHTS_FILE, LearnedILP, predict  # noqa: E402
from newsdigest.summarize.registry import available_methods, register  # noqa: E402

WEIGHTS_PATH = REPO / "src" / "newsdigest" / "summarize" / WEIGHTS_FILE
FOLDS = 5
C = 1.0  # inverse L2 strength on standardised features; the default, not tuned
POPULATIONS = ("floor", "all")

# (label, LearnedILP options[, training options]): "concepts" says which population the model is
# trained on; training options: ``target`` ("any": in one of the references; "share": the share of
# the references holding it, as Li et al. regress on) and ``per_set`` (each set, not each cluster,
# counts once).
VARIANTS = (
    ("probability as weight, ilp's concepts", {"concepts": "floor", "weighting": "probability"}),
    ("odds p/(1-p) as weight, ilp's concepts", {"concepts": "floor", "weighting": "odds"}),
    ("log-odds above the base rate, ilp's concepts", {"concepts": "floor", "weighting": "log-odds"}),
    ("probability as weight, every bigram rated >= 0.5", {"concepts": "all", "weighting": "probability", "min_probability": 0.5}),
    ("probability as weight, every bigram rated >= 0.3", {"concepts": "all", "weighting": "probability", "min_probability": 0.3}),
    ("odds as weight, every bigram rated >= 0.3", {"concepts": "all", "weighting": "odds", "min_probability": 0.3}),
    ("ilp weight x probability, ilp's concepts", {"concepts": "floor", "weighting": "ilp x probability"}),
    ("odds as weight, ilp's concepts, trained on the share of references", {"concepts": "floor", "weighting": "odds"}, {"target": "share"}),
    ("odds as weight, ilp's concepts, each set weighing one third", {"concepts": "floor", "weighting": "odds"}, {"per_set": True}),
    ("probability squared as weight, ilp's concepts", {"concepts": "floor", "weighting": "probability", "power": 2.0}),
    ("probability cubed as weight, ilp's concepts", {"concepts": "floor", "weighting": "probability", "power": 3.0}),
    ("odds squared as weight, ilp's concepts", {"concepts": "floor", "weighting": "odds", "power": 2.0}),
    ("square root of the odds as weight, ilp's concepts", {"concepts": "floor", "weighting": "odds", "power": 0.5}),
    ("probability x ilp's lead bonus, ilp's concepts", {"concepts": "floor", "weighting": "probability", "lead_prior": True}),
    ("odds x ilp's lead bonus, ilp's concepts", {"concepts": "floor", "weighting": "odds", "lead_prior": True}),
    ("odds as weight, ilp's concepts, with a background IDF feature", {"concepts": "floor", "weighting": "odds"}, {"idf": True}),
    ("probability as weight, ilp's concepts, with a background IDF feature", {"concepts": "floor", "weighting": "probability"}, {"idf": True}),
    ("ilp weight x probability, ilp's concepts, trained on the share of references", {"concepts": "floor", "weighting": "ilp x probability"}, {"target": "share"}),
)


class IdfLearnedILP(LearnedILP):
    """``ilp-learned`` with one more feature, bench only: the mean IDF of the bigram's two stems
    against :attr:`background` (in how many dev articles each stem occurs; unsupervised, no
    references), as Hong & Nenkova use. Shipping it would mean shipping the background table."""

    name = "ilp-learned-idf"
    description = "ilp-learned plus a background IDF feature (bench only)"
    feature_names = FEATURES + ("mean_idf",)
    background: Counter = Counter()
    articles = 1

    def features(self, sentences, bigrams, ranks):
        keys, rows = super().features(sentences, bigrams, ranks)
        return keys, np.hstack([rows, mean_idf(keys, self.background, self.articles)[:, None]])


def mean_idf(keys, background: Counter, articles: int) -> np.ndarray:
    """For each bigram, the mean of log(articles / (1 + articles holding the stem)) over its two stems."""
    return np.array([sum(math.log(articles / (1 + background[x])) for x in g) / len(g) for g in keys], dtype=float)


def set_background(datasets) -> None:
    """:class:`IdfLearnedILP`'s background: stem document frequencies over every dev article."""
    background: Counter = Counter()
    articles = 0
    for _, clusters, _, _ in datasets:
        for cluster in clusters:
            for document in cluster.documents:
                background.update(set(stemmed_words(document.text)[1]))
                articles += 1
    IdfLearnedILP.background, IdfLearnedILP.articles = background, articles
    if IdfLearnedILP.name not in available_methods():
        register(IdfLearnedILP)


class OracleILP(ConceptILP):
    """``ilp`` whose concepts weigh 1 when a reference of the cluster holds them, else 0 (bench
    only; :attr:`gold` is set per cluster): the ceiling of any concept weighting. ``widen``:
    every bigram a reference holds is a concept, not only ``ilp``'s."""

    name = "ilp-oracle"
    description = "ilp with the references' bigrams as concepts (bench only: a ceiling)"
    gold: frozenset = frozenset()

    def __init__(self, *, widen: bool = False, **options):
        super().__init__(**options)
        self.widen = widen

    def concept_weights(self, sentences, bigrams, ranks=None):
        held = set().union(*bigrams) if self.widen else super().concept_weights(sentences, bigrams, ranks)
        return {g: 1.0 for g in held if g in self.gold}


def oracle_table(datasets) -> str:
    """ROUGE of ``ilp`` with oracle concept weights: how much any weighting could add."""
    if OracleILP.name not in available_methods():
        register(OracleILP)
    lines = ["| set | ilp | oracle weights, ilp's concepts | oracle, every bigram |", "|---|---:|---:|---:|"]
    for name, clusters, words, metric in datasets:
        cells = [run_row(clusters, words, metric, "ilp", {})[:2]]
        for widen in (False, True):
            r1, r2 = np.zeros(len(clusters)), np.zeros(len(clusters))
            for k, cluster in enumerate(clusters):
                OracleILP.gold = frozenset().union(*(sentence_bigrams(r) for r in cluster.references))
                a, b, _ = run_row([cluster], words, metric, "ilp-oracle", {"widen": widen})
                r1[k], r2[k] = a[0], b[0]
            cells.append((r1, r2))
        lines.append(f"| {name} | " + " | ".join(f"{a.mean():.2f} / {b.mean():.2f}" for a, b in cells) + " |")
    return "\n".join(lines) + "\n"


@dataclass
class Examples:
    """One cluster's bigrams as training rows: features, labels, and which are ``ilp`` concepts."""

    rows: np.ndarray
    labels: np.ndarray  # the share of the references holding the bigram
    floor: np.ndarray  # bool: the bigram is one of ilp's concepts (above the document floor)
    set_index: int = 0


def cluster_examples(cluster, set_index: int = 0) -> Examples:
    """The cluster's bigrams as :class:`LearnedILP` sees them, labelled by the references.

    A bigram's label is the share of the references that hold it (stemmed, as
    the concepts are); segmentation, candidates and ranks are the pipeline's own.
    """
    ilp = ConceptILP()
    sentences = segment(cluster.documents)
    bigrams = ilp._concepts(sentences)
    ranks = candidate_ranks(sentences, candidate_positions(sentences, min_words=ilp.min_sentence_words))
    keys, rows = IdfLearnedILP(model={}).features(sentences, bigrams, ranks)  # all features; train() picks
    floor = ilp.concept_weights(sentences, bigrams, ranks)
    gold = [sentence_bigrams(r) for r in cluster.references]
    share = np.array([sum(g in r for r in gold) / len(gold) for g in keys], dtype=float)
    return Examples(rows, share, np.array([g in floor for g in keys], dtype=bool), set_index)


def dev_examples(datasets) -> list[list[Examples]]:
    """:func:`cluster_examples` of every cluster, set by set (``datasets`` as :func:`bench.ablation.load_datasets`)."""
    set_background(datasets)
    return [[cluster_examples(c, s) for c in clusters] for s, (_, clusters, _, _) in enumerate(datasets)]


def train(examples: list[Examples], population: str, target: str = "any", per_set: bool = False, idf: bool = False) -> dict:
    """A logistic regression on the clusters' bigrams (``population``: ilp's concepts or all), as plain numbers.

    ``target="any"``: positive when a reference holds the bigram; ``"share"``: each row
    enters twice, positive with weight share and negative with 1 - share (a logistic
    regression on the share). Each cluster's rows weigh 1 in all, or with ``per_set``
    each set's clusters 1 in all. ``idf``: with :class:`IdfLearnedILP`'s extra feature.
    """
    from sklearn.linear_model import LogisticRegression  # bench only: the package applies the numbers with numpy

    parts = [(e.rows[e.floor], e.labels[e.floor]) if population == "floor" else (e.rows, e.labels) for e in examples]
    kept = [(p, e.set_index) for p, e in zip(parts, examples) if len(p[1])]
    clusters_in = Counter(s for _, s in kept)
    names = IdfLearnedILP.feature_names if idf else FEATURES
    x = np.vstack([p[0] for p, _ in kept])[:, : len(names)]
    share = np.concatenate([p[1] for p, _ in kept])
    weight = np.concatenate(
        [np.full(len(p[1]), 1.0 / len(p[1]) / (clusters_in[s] if per_set else 1)) for p, s in kept]
    )
    if target == "share":
        x, y = np.vstack([x, x]), np.concatenate([np.ones(len(share)), np.zeros(len(share))])
        weight = np.concatenate([weight * share, weight * (1 - share)])
    else:
        y = (share > 0).astype(int)
    keep = weight > 0
    x, y, weight = x[keep], y[keep], weight[keep]
    weight *= len(weight) / weight.sum()
    mean = np.average(x, axis=0, weights=weight)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=weight))
    scale[scale < 1e-6] = 1.0  # a constant feature (MultiLing: every topic has 10 articles)
    fit = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, y, sample_weight=weight)
    return {
        "features": list(names),
        "mean": [round(float(v), 10) for v in mean],
        "scale": [round(float(v), 10) for v in scale],
        "coef": [round(float(v), 10) for v in fit.coef_[0]],
        "intercept": round(float(fit.intercept_[0]), 10),
        "prior": round(float(np.average(y, weights=weight)), 10),
        "clusters": len(kept),
    }


def shipped_models(examples_by_set: list[list[Examples]]) -> dict:
    """What ``learned_weights.json`` holds: one model per population, trained on every dev cluster."""
    everything = [e for examples in examples_by_set for e in examples]
    return {population: train(everything, population) for population in POPULATIONS}


def dumps(models: dict) -> str:
    return json.dumps(models, indent=1, sort_keys=True) + "\n"


def scored(clusters, words, metric, options, models_for, method="ilp-learned") -> tuple[np.ndarray, np.ndarray]:
    """Per-cluster R-1, R-2 of ``ilp-learned``, cluster k summarized with ``models_for(k)``."""
    groups: dict[int, list[int]] = {}
    models = {}
    for k in range(len(clusters)):
        model = models_for(k)
        groups.setdefault(id(model), []).append(k)
        models[id(model)] = model
    r1, r2 = np.zeros(len(clusters)), np.zeros(len(clusters))
    for key, members in groups.items():
        a, b, _ = run_row([clusters[k] for k in members], words, metric, method, {**options, "model": models[key]})
        r1[members], r2[members] = a, b
    return r1, r2


def evaluate(datasets, examples_by_set, variants=VARIANTS, log=None) -> str:
    """The markdown table of every variant under the three protocols."""
    reference = [run_row(c, w, m, "ilp", {})[:2] for _, c, w, m in datasets]
    everything = [e for examples in examples_by_set for e in examples]
    cache: dict = {}

    def model(key, population, examples, training):
        cached = (key, population, tuple(sorted(training.items())))
        if cached not in cache:
            cache[cached] = train(examples, population, **training)
        return cache[cached]

    lines = [
        "| row | " + " | ".join(f"{name} R-1 / R-2 | ΔR-1 [95% CI] | ΔR-2 [95% CI]" for name, *_ in datasets) + " | verdict |",
        "|---|" + "---|---|---|" * len(datasets) + "---|",
    ]
    for label, options, *more in variants:
        population, training = options["concepts"], (more[0] if more else {})
        method = "ilp-learned-idf" if training.get("idf") else "ilp-learned"
        protocols = {
            "in-sample": lambda s, k: model("all", population, everything, training),
            f"{FOLDS}-fold within the set": lambda s, k: model(
                ("fold", s, k % FOLDS), population, [e for j, e in enumerate(examples_by_set[s]) if j % FOLDS != k % FOLDS], training
            ),
            "leave one set out": lambda s, k: model(
                ("without", s), population, [e for t, ex in enumerate(examples_by_set) if t != s for e in ex], training
            ),
        }
        for protocol, models_for in protocols.items():
            parts, deltas = [], []
            for s, (_, clusters, words, metric) in enumerate(datasets):
                r1, r2 = scored(clusters, words, metric, options, lambda k: models_for(s, k), method)
                d1, d2 = _delta(r1, reference[s][0]), _delta(r2, reference[s][1])
                deltas.append((d1, d2))
                parts.append(
                    f"{r1.mean():.2f} / {r2.mean():.2f} | {d1[0]:+.2f} [{d1[1]:+.2f}, {d1[2]:+.2f}] "
                    f"| {d2[0]:+.2f} [{d2[1]:+.2f}, {d2[2]:+.2f}]"
                )
            line = f"| {label}, {protocol} | " + " | ".join(parts) + f" | {_verdict(deltas)} |"
            lines.append(line)
            if log:
                log(line)
    head = "| **ilp (default)** | " + " | ".join(
        f"{r1.mean():.2f} / {r2.mean():.2f} | +0.00 | +0.00" for r1, r2 in reference
    ) + " | reference |"
    return "\n".join([lines[0], lines[1], head, *lines[2:]]) + "\n"


def ranking_table(datasets, examples_by_set) -> str:
    """How well each weight ranks ilp's concepts of a cluster by whether a reference holds them.

    Mean average precision over clusters (those with both kinds of concept): ilp's
    df x lead bonus against the learned probability, trained leaving the set out
    and in-sample. A better ranking that does not turn into better ROUGE says the
    solver's choice is not limited by the order of the concept weights.
    """
    from sklearn.metrics import average_precision_score  # bench only

    column = {f: i for i, f in enumerate(FEATURES)}
    everything = [e for examples in examples_by_set for e in examples]
    in_sample = train(everything, "floor")
    lines = ["| set | ilp: df x lead bonus | learned, leave one set out | learned, in-sample |", "|---|---:|---:|---:|"]
    for s, (name, *_) in enumerate(datasets):
        loso = train([e for t, ex in enumerate(examples_by_set) if t != s for e in ex], "floor")
        scores: dict[str, list[float]] = {"ilp": [], "loso": [], "in": []}
        for e in examples_by_set[s]:
            x, y = e.rows[e.floor][:, : len(FEATURES)], e.labels[e.floor] > 0
            if not 0 < y.sum() < len(y):
                continue
            ilp = x[:, column["document_count"]] * np.where(x[:, column["in_lead"]] > 0, 1 + ConceptILP().lead_bonus, 1.0)
            scores["ilp"].append(average_precision_score(y, ilp))
            scores["loso"].append(average_precision_score(y, predict(loso, x)))
            scores["in"].append(average_precision_score(y, predict(in_sample, x)))
        lines.append(f"| {name} | " + " | ".join(f"{np.mean(v):.3f}" for v in scores.values()) + " |")
    return "\n".join(lines) + "\n"


def digest_profile(datasets, options=None) -> str:
    """Where the digests' sentences come from: mean sentence index and articles per digest,
    ``ilp`` against ``ilp-learned`` (the shipped model, ``options``: odds weights)."""
    options = {"weighting": "odds"} if options is None else options
    lines = ["| set | method | mean sentence index | articles per digest |", "|---|---|---:|---:|"]
    for name, clusters, words, _ in datasets:
        for method, opts in (("ilp", {}), ("ilp-learned", options)):
            index, articles = [], []
            for cluster in clusters:
                digest = summarize_documents(cluster.documents, words=words, method=method, **opts)
                index.append(np.mean([d.sentence.index for d in digest.sentences]))
                articles.append(len({d.sentence.doc_id for d in digest.sentences}))
            lines.append(f"| {name} | {method} {opts or ''} | {np.mean(index):.2f} | {np.mean(articles):.2f} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--write", action="store_true", help=f"regenerate {WEIGHTS_PATH.relative_to(REPO)} and stop")
    parser.add_argument("--match", action="append", default=[], help="only the variants whose label contains this")
    parser.add_argument("--oracle", action="store_true", help="print ilp with oracle concept weights (a ceiling) and stop")
    parser.add_argument("--coefficients", action="store_true", help="print the shipped models' coefficients and stop")
    parser.add_argument("--ranking", action="store_true", help="print how well the weights rank ilp's concepts, where digests come from, and stop")
    args = parser.parse_args(argv)
    datasets = load_datasets(args.data)
    if args.oracle:
        print(oracle_table(datasets))
        return
    examples_by_set = dev_examples(datasets)
    if args.write:
        WEIGHTS_PATH.write_text(dumps(shipped_models(examples_by_set)), encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH}")
        return
    if args.ranking:
        print(ranking_table(datasets, examples_by_set))
        print(digest_profile(datasets))
        return
    if args.coefficients:
        for population, m in shipped_models(examples_by_set).items():
            print(population, "prior", m["prior"], {f: round(c, 3) for f, c in zip(m["features"], m["coef"])})
        return
    variants = [v for v in VARIANTS if not args.match or any(m.lower() in v[0].lower() for m in args.match)]
    print(evaluate(datasets, examples_by_set, variants, log=lambda line: print(line, file=sys.stderr, flush=True)))


if __name__ == "__main__":
    main()
