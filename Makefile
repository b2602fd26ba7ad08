# sdsf — commandes usuelles. `make demo` puis `make test` sur une machine neuve.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WORKSPACE ?= sdsf-data
DEPARTEMENT ?= 44

.PHONY: install demo test test-fast lint serve bench browser tools clean

$(BIN)/sdsf: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/sdsf

install: $(BIN)/sdsf

demo: install
	$(BIN)/sdsf init --workspace $(WORKSPACE)
	$(BIN)/sdsf demo --departement $(DEPARTEMENT) --workspace $(WORKSPACE)

# Debian programs the tests use: chromium (browser test), poppler (pdftotext, pdftoppm),
# LibreOffice Writer (opens the DOCX) and fonts; installed only where apt is available and we
# are root.
APT_TOOLS := chromium poppler-utils libreoffice-writer-nogui fonts-dejavu-core fonts-liberation2
tools:
	@if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	    && command -v soffice >/dev/null 2>&1 && fc-list | grep -q "Liberation Sans"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(APT_TOOLS) >/dev/null; \
	else echo "programmes absents ($(APT_TOOLS)) : les tests qui en ont besoin seront ignorés"; fi

browser: tools

test: install tools
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src/sdsf/core src/sdsf/sources
	$(BIN)/lint-imports

serve: install
	$(BIN)/sdsf serve --workspace $(WORKSPACE)

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache
