# Parley: `make run` opens the app, `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.parley-installed
ARGS   ?=


.PHONY: run test lint typecheck imports unit bench setup clean-venv

setup: $(STAMP)

# Create the virtual environment, build llama.cpp for this machine (cached per backend),
# then install Parley with its test tools. Re-runs when the dependencies change.
$(STAMP): pyproject.toml packaging/install-llama.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
	bash packaging/install-llama.sh $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m desktop $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

imports: $(STAMP)
	$(VENV)/bin/lint-imports

test: lint typecheck imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) tests/bench/bench_library.py
	$(PY) tests/bench/bench_fewshot.py
	$(PY) tests/bench/bench_store.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_history.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_chat.py

clean-venv:
	rm -rf $(VENV)
