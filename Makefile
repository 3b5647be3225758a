# `make demo` sets up .venv/ and digests examples/syria; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test install bench bench-quick clean

demo: $(STAMP)
	$(VENV)/bin/newsdigest summarize examples/syria

install: $(STAMP)

# An editable install leaves src/ uncompiled; compileall compiles it once as a regular install does,
# so an environment with PYTHONDONTWRITEBYTECODE set does not recompile every module on every run.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[dev,bench,dask,web]'
	$(VENV)/bin/python -m compileall -q src
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python bench/run.py

bench-quick: $(STAMP)
	$(VENV)/bin/python bench/run.py --quick --no-scaling

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
