# `make demo` sets up .venv/ and digests examples/syria; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test install bench bench-quick clean

demo: $(STAMP)
	$(VENV)/bin/newsdigest summarize examples/syria

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev,bench,dask,web]'
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python bench/run.py

bench-quick: $(STAMP)
	$(VENV)/bin/python bench/run.py --quick --no-scaling

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
