"""The analysis against hand-checked facts (tests/fixtures/analysis_checked.json, scored by bench/analysis_precision.py).

On the seeds every checked claim must still hold and no unchecked claim may
appear; on the DUC 2003 clusters (shared data) precision per section must stay
at or above what was measured when the fixture was written, and a changed
analysis that makes claims nobody checked fails so the check is redone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ is a folder of scripts beside src/, not an installed package

from bench.analysis_precision import CHECKED, SECTIONS, analyse, claims, cluster_path, score  # noqa: E402

FIXTURE = json.loads(CHECKED.read_text(encoding="utf-8"))
DUC = [name for name in FIXTURE["clusters"] if name != "syria"]


def test_fixture_covers_the_checked_clusters():
    assert set(FIXTURE["clusters"]) == {"syria", "d30010t", "d31022t", "d31010t", "d31011t"}
    for checked in FIXTURE["clusters"].values():
        assert all(checked[s] for s in SECTIONS)
        assert set(checked["measured_correct"]) == set(SECTIONS)


def test_score_counts_wrong_and_unjudged():
    checked = {"quotes": {"a": ["X"], "b": ["Y"]}, "figure_groups": {"g": []}, "events": {}}
    found = {"quotes": {"a": "X", "b": "Z", "c": "W"}, "figure_groups": {"g": "agree"}, "events": {"e": "1998"}}
    result = score(found, checked)
    assert (result["quotes"]["correct"], result["quotes"]["judged"]) == (1, 2)
    assert result["quotes"]["wrong"] == ["b"] and result["quotes"]["unjudged"] == ["c"]
    assert result["figure_groups"]["wrong"] == ["g"] and result["events"]["unjudged"] == ["e"]


def test_seeds_match_every_checked_fact():
    result = score(claims(analyse(cluster_path("syria"))), FIXTURE["clusters"]["syria"])
    for section in SECTIONS:
        r = result[section]
        assert not r["wrong"] and not r["unjudged"], (section, r)
        assert r["judged"] == len(FIXTURE["clusters"]["syria"][section])


@pytest.mark.dataset
@pytest.mark.parametrize("name", DUC)
def test_duc_precision_holds(shared_data, name):
    path = cluster_path(name, shared_data)
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    result = score(claims(analyse(path)), FIXTURE["clusters"][name])
    for section in SECTIONS:
        r = result[section]
        assert len(r["unjudged"]) <= max(1, r["judged"] // 10), (section, r["unjudged"])
        # no fewer right claims than when it was checked (BENCHMARKS.md, "Analysis precision")
        assert r["correct"] >= FIXTURE["clusters"][name]["measured_correct"][section], (section, r["wrong"])
