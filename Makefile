# Two commands on a fresh machine (Python 3.11+, pip, make; ffmpeg for media metadata, which
# `make ffmpeg` installs with apt-get):
#   make run    install, migrate the embedded SQLite database, seed demo data, serve on :8000
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck lock bench profile clean migration-initial ffmpeg chromium snapshots contract-check sdk sdk-deps

$(STAMP): requirements.lock pyproject.toml sdk/python/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e sdk/python
	touch $(STAMP)

install: $(STAMP)

# ffprobe extracts uploads' media metadata; the tests make their clips with ffmpeg.
ffmpeg:
	@command -v ffprobe >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq ffmpeg; }

# The browser tests (sign-in, consent, console) drive Debian's Chromium through Playwright.
chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium; }

run: install
	$(BIN)/reelhouse migrate
	$(BIN)/reelhouse seed-demo
	$(BIN)/reelhouse serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy app schema resolvers rest_compat console migrations bench sdk/python/reelhouse sdk/generate.py

lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes -q -o requirements.lock

# The public contract in docs/ (schema.graphql, openapi.json): regenerate after changing the
# schema, then review the diff and record it in CHANGELOG.md. The test suite fails while they
# are stale, or when a change would break clients (docs/versioning.md).
snapshots: install
	$(BIN)/reelhouse contract snapshot

contract-check: install
	$(BIN)/reelhouse contract check

# Both SDKs (sdk/python, sdk/typescript) regenerated from the OpenAPI document the server
# serves; the test suite fails while the committed ones are stale.
SDK_NODE := sdk/typescript/node_modules/.package-lock.json

$(SDK_NODE): sdk/typescript/package-lock.json
	cd sdk/typescript && npm ci --no-audit --no-fund --prefer-offline
	touch $(SDK_NODE)

sdk-deps: $(SDK_NODE)

sdk: install $(SDK_NODE)
	mkdir -p build
	$(BIN)/reelhouse contract openapi > build/openapi.json
	$(BIN)/python sdk/generate.py build/openapi.json
	cd sdk/typescript && ./node_modules/.bin/tsc -p tsconfig.json

bench: install
	$(BIN)/reelhouse-bench

# py-spy flame graphs of each bench row under load, into bench/profiles/ (bench/README.md).
profile: install
	$(BIN)/python -m bench.profile

clean:
	rm -rf $(VENV) reelhouse.db reelhouse.db-shm reelhouse.db-wal reelhouse.db.key

# Before the first release the schema lives in one initial revision: regenerate it from the
# models after changing them (later changes will be new revisions).
migration-initial: install
	rm -f migrations/versions/0001_initial_schema.py /tmp/reelhouse-migration-gen.db
	$(BIN)/python -c "from alembic import command; from app.migrate import alembic_config; \
	command.revision(alembic_config('sqlite+aiosqlite:////tmp/reelhouse-migration-gen.db'), \
	message='initial schema', autogenerate=True, rev_id='0001')"
	sed -i 's/postgresql.JSONB(astext_type=Text())/postgresql.JSONB(astext_type=sa.Text())/g; s/^Revises: $$/Revises:/' \
		migrations/versions/0001_initial_schema.py
	$(BIN)/ruff check --fix -q migrations/versions
	$(BIN)/ruff format -q migrations/versions
	rm -f /tmp/reelhouse-migration-gen.db
