"""analyze() runs without error on every DUC 2003 cluster and on the Multi-News dev records.

Only the first ``max_chars`` (20,000 by default) characters of each document go
through spaCy: a Multi-News record holds up to 145,000 words.
"""

from __future__ import annotations

import json
import time

import pytest

from newsdigest.analyze import analyze_documents, load_nlp
from newsdigest.model import Document

pytestmark = pytest.mark.dataset


def test_every_duc2003_cluster(shared_data):
    from newsdigest.ingest import load_documents

    clusters = sorted(p for p in (shared_data / "duc2003" / "docs").iterdir() if p.is_dir())
    assert clusters
    load_nlp()
    times = []
    for cluster in clusters:
        documents, _problems = load_documents([cluster])
        assert documents, cluster
        start = time.perf_counter()
        analysis = analyze_documents(documents)
        times.append(time.perf_counter() - start)
        assert analysis.entities, cluster.name
        json.dumps(analysis.to_dict())
    per_cluster = sum(times) / len(times)
    print(f"\nanalysis time per DUC 2003 cluster ({len(clusters)} clusters, ~10 articles): "
          f"mean {per_cluster:.2f} s, max {max(times):.2f} s")


def test_multinews_dev_records(shared_data):
    path = shared_data / "multinews" / "dev.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    load_nlp()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert records
    start = time.perf_counter()
    for record in records:
        texts = [t.strip() for t in record["document"].split("|||||") if t.strip()]
        documents = [Document(f"{record['id']}-{i}", t) for i, t in enumerate(texts)]
        if not documents:
            continue
        analysis = analyze_documents(documents)
        json.dumps(analysis.to_dict())
    print(f"\nanalysis of {len(records)} Multi-News records: {time.perf_counter() - start:.1f} s")
