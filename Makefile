# Qali Warma CAE — the two commands: `make run` and `make test` (plus `make bench`).
# Each one creates .venv and installs the project from pyproject.toml on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint clean dist

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/qaliwarma-gui

lint: $(STAMP)
	$(BIN)/ruff check qaliwarma ui tests bench
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench
	$(BIN)/python -m bench.crash --trials 60  # kill -9 init, init --demo and importers (issue 11)

# What this machine can build of the installers (installer/README.md): the frozen one-folder
# application dist/QaliWarmaCAE/ and, where dpkg-deb exists, dist/qaliwarma-cae_VERSION_ARCH.deb.
# installer/windows.yml runs the same PyInstaller step on Windows, then Inno Setup.
dist: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller installer/qaliwarma.spec
	if command -v dpkg-deb >/dev/null 2>&1; then $(BIN)/python installer/build_deb.py dist/QaliWarmaCAE dist; fi

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
