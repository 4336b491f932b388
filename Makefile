# The two commands: `make demo` and `make test`. Each creates .venv when missing and
# installs what it needs once (a stamp file remembers the pyproject and constraints it installed),
# at the exact versions of constraints.txt.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/pressflow.duckdb

CONSTRAINTS := constraints.txt

.PHONY: demo test lint clean bench accept-snapshot train-tagger eval-tagger constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@ $(VENV)/.installed-base

# after changing pyproject.toml's dependencies: install them in a fresh environment and record
# what was installed; then `make test`, and review the diff: it is what every clone will get
constraints:
	rm -rf $(VENV).constraints && $(PYTHON) -m venv $(VENV).constraints
	$(VENV).constraints/bin/python -m pip install --quiet --upgrade pip
	$(VENV).constraints/bin/python -m pip install --quiet -e '.[test]'
	{ echo "# The exact versions \`make\` installs (pip install -c constraints.txt): the environment the tests passed in."; \
	  echo "# Regenerate after changing pyproject.toml's dependencies: make constraints"; \
	  $(VENV).constraints/bin/python -m pip freeze --exclude-editable; } > $(CONSTRAINTS)
	rm -rf $(VENV).constraints
	git --no-pager diff --stat -- $(CONSTRAINTS)

demo: $(VENV)/.installed-base
	$(BIN)/pressflow ingest --db $(DB)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# after reviewing a change of analysis: rewrite tests/snapshots/ so the commit shows every changed answer
accept-snapshot: $(VENV)/.installed-test
	PRESSFLOW_ACCEPT_SNAPSHOT=1 $(BIN)/python -m pytest -q tests/test_eval_sets.py -k snapshot
	git --no-pager diff --stat -- tests/snapshots

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check pipelines extractors nlp warehouse tests benchmarks notebooks

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/nlp.py

# the CRF tagger of nlp/tagger.py, from the gold in ../shared/eval: the corpus tuning pool
# (pages 01-16 of each batch), dev and seeds; never the sealed pool (pages 17-20)
EVAL_ROOT ?= ../shared/eval
train-tagger: $(VENV)/.installed-base
	$(BIN)/python -m pipelines.train_tagger train --eval-root $(EVAL_ROOT) --out nlp/data

# its leave-one-batch-out table on the tuning pool: rules, model, union, filter per field
eval-tagger: $(VENV)/.installed-base
	$(BIN)/python -m pipelines.train_tagger evaluate --eval-root $(EVAL_ROOT) --diagnostics

# the environment only: data/ (the database, WARC archive) is what a run made, and stays
clean:
	rm -rf $(VENV)
