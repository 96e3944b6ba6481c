# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test eval train calibrate bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	# torch first and pinned: a CPU build of 2.13.0 is served locally; an open range pulls CUDA.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e ".[ml,serve,dev]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/storyguard check corpora/examples || test $$? -eq 1

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	cd corpora/eval && ../../$(BIN)/python ../../../shared/tools/score.py \
		--cmd "../../$(BIN)/storyguard check --format json --fail-on never --no-model" \
		--json rules-only.json labels-en.jsonl labels-zh.jsonl
	cd corpora/eval && ../../$(BIN)/python ../../../shared/tools/score.py \
		--cmd "../../$(BIN)/storyguard check --format json --fail-on never" \
		--json with-model.json labels-en.jsonl labels-zh.jsonl
	# The calibration set (calibration/README.md): chooses the classifier's document rule only.
	cd corpora/eval/calibration && ../../../$(BIN)/python ../../../../shared/tools/score.py \
		--cmd "../../../$(BIN)/storyguard check --format json --fail-on never --no-model" \
		--json rules-only.json labels-en.jsonl labels-zh.jsonl
	cd corpora/eval/calibration && ../../../$(BIN)/python ../../../../shared/tools/score.py \
		--cmd "../../../$(BIN)/storyguard check --format json --fail-on never" \
		--json with-model.json labels-en.jsonl labels-zh.jsonl
	# The held-out set (holdout/README.md): reported, never tuned on.
	cd corpora/eval/holdout && ../../../$(BIN)/python ../../../../shared/tools/score.py \
		--cmd "../../../$(BIN)/storyguard check --format json --fail-on never --no-model" \
		--json rules-only.json labels-en.jsonl labels-zh.jsonl
	cd corpora/eval/holdout && ../../../$(BIN)/python ../../../../shared/tools/score.py \
		--cmd "../../../$(BIN)/storyguard check --format json --fail-on never" \
		--json with-model.json labels-en.jsonl labels-zh.jsonl

# Training derives a document threshold from dev sentences; calibrate then chooses each class's
# document rule with the rules, on the calibration set (classifiers/calibrate.py).
train: $(STAMP)
	$(BIN)/python -m classifiers.train
	$(BIN)/python -m classifiers.calibrate

calibrate: $(STAMP)
	$(BIN)/python -m classifiers.calibrate

# Peers for the comparison, installed beside the project (never committed): proselint from
# PyPI, alex from npm.
BENCH_TOOLS := .bench/proselint/bin/proselint .bench/alex/node_modules/.bin/alex

.bench/proselint/bin/proselint:
	$(PYTHON) -m venv .bench/proselint
	.bench/proselint/bin/pip install --quiet proselint==0.16.0

.bench/alex/node_modules/.bin/alex:
	npm install --silent --prefix .bench/alex alex@11

bench: $(STAMP) $(BENCH_TOOLS)
	$(BIN)/python -m classifiers.bench
	$(BIN)/python scripts/bench_lint.py --json bench-results.json

docs: $(STAMP)
	$(BIN)/storyguard rules --format markdown > docs/rules.md

clean:
	rm -rf $(VENV) build *.egg-info
