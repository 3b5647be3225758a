"""Benchmarks: newsdigest against the summarizers people use, in one run (see run.py)."""
