# egovnet: the two commands that work on a fresh machine are `make demo` and `make test`.
# Each creates .venv on first use, installs the pinned dependencies (constraints.txt) and the Debian
# packages the tests need, then runs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.egovnet-installed
INVENTORY ?= inventories/qimen

.PHONY: demo test lint venv debian lock clean

# The whole mission on the twin (egovnet/demo): logs, state and the dashboard under var/demo/.
demo: $(STAMP)
	$(BIN)/egovnet inventory check $(INVENTORY) > /dev/null
	$(BIN)/egovnet demo -i $(INVENTORY) --out var/demo

test: $(STAMP) debian
	$(BIN)/pytest -q -p no:cacheprovider -n 2 tests

lint: $(STAMP)
	$(BIN)/ruff check egovnet tests bench scripts
	$(BIN)/ruff format --check egovnet tests bench scripts
	$(BIN)/mypy

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Debian packages the tests talk to (net-snmp tools and agent, tshark, tcpdump, iproute2).
debian:
	@sh scripts/install-debian-deps.sh

# Re-pin after changing pyproject.toml: resolve in a scratch venv and freeze.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet '.[dev]'
	( echo '# Pinned versions for egovnet (pip install -c constraints.txt). Regenerate with `make lock`.'; \
	  .lock-venv/bin/pip freeze | grep -v '^egovnet' ) > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
