# GENRE — the two quick-start commands are `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
GENRE := $(VENV)/bin/genre
DATA ?= ../shared/data
export HF_HUB_OFFLINE := 1

.PHONY: install install-test run test snapshot clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY)
	$(PIP) install --quiet -c constraints.txt -e ".[link]"

install-test: $(PY)
	$(PIP) install --quiet -c constraints.txt -e ".[test]"

## The main job on the shipped default graph: a recommendation, with its evidence and configuration.
run: install
	$(GENRE) recommend "Write a Python function that reads totals from scanned invoice images into JSON, on a budget" -k 5

## The test suite (unit tests, doctests, the default snapshot's checks).
test: install-test
	$(PY) -m pytest -q

## Rebuild the shipped snapshot from the public sources in $(DATA).
snapshot: install
	GENRE_STORE=memory $(GENRE) kg build --data-dir $(DATA) --snapshot-out kg/data/default.nq.gz

clean:
	rm -rf $(VENV) build *.egg-info
