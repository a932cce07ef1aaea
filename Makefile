# SSB Portal: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test browser lint format migrate demo messages bench bench-lcr bench-subsidies bench-matching bench-two-servers bench-all fault-test load-test backup restore restore-drill clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

var:
	mkdir -p var

messages: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py compilemessages --ignore=.venv -v 0

# The database cache's table (login and API limits count there unless REDIS_URL is set): a
# migration creates it too; this keeps it after a change of CACHES.
migrate: $(STAMP) var messages
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py createcachetable

# Loads the demo city once (seed_demo does nothing when the demo data is there already).
demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_alliance --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_programmes --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_talent --if-empty

# The task worker (purchase imports, e-mail; it also queues again the tasks of a worker that
# died: TASK_STALL_SECONDS) and the reminders (send_reminders, every REMINDER_INTERVAL
# seconds, hourly by default; each run first expires the bills of materials that ran out)
# run beside the web server and stop with it: the worker's code
# reloader's child first, then the worker and the reminders.
# `PORT=8001 make run` serves on another port (links in e-mails follow, unless SITE_URL says
# otherwise); the demo logins come last, after the e-mails the seeding queued (delivered
# first by one batch run of the worker, so they do not bury the logins).
PORT ?= 8000
run: demo
	export DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(BIN)/python manage.py task_worker --batch --no-reload; \
	$(BIN)/python manage.py demo_logins --url "$$SITE_URL/"; \
	$(BIN)/python manage.py task_worker & worker=$$!; \
	$(BIN)/python manage.py send_reminders --every $${REMINDER_INTERVAL:-3600} & reminders=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn + whitenoise and the task worker, stopped together (bin/serve; README,
# "Production", lists the environment it reads). DEBUG is off unless set.
serve: $(STAMP) var messages
	bin/serve

# The browser tests (tests/e2e) drive Debian's Chromium, with CJK fonts for the Chinese pages;
# Playwright never downloads a browser of its own. Installed when missing and run as root (CI);
# elsewhere the browser tests skip and say why.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	  else \
	    echo "No /usr/bin/chromium: the browser tests will skip (sudo make browser installs it)."; \
	  fi; \
	fi

test: $(STAMP) messages browser
	DEBUG=$${DEBUG:-1} $(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) var
	$(BIN)/python bench/directory_search.py $(BENCH_ARGS)

bench-lcr: $(STAMP) var
	$(BIN)/python bench/lcr.py $(BENCH_ARGS)

bench-subsidies: $(STAMP) var
	$(BIN)/python bench/subsidies.py $(BENCH_ARGS)

bench-matching: $(STAMP) var
	$(BIN)/python bench/alliance_matching.py $(BENCH_ARGS)

# Every benchmark (but two_servers) at BENCH_SCALE=small (default) or full, one table at the end;
# BENCH_POSTGRES=postgres://user@host:5432 runs them on PostgreSQL (bench/all.py).
bench-all: $(STAMP) var
	$(BIN)/python bench/all.py $(BENCH_ARGS)

# Two gunicorn servers on one PostgreSQL share sessions, private files (S3) and throttles.
bench-two-servers: $(STAMP) var messages
	$(BIN)/python bench/two_servers.py $(BENCH_ARGS)

# The database goes away under traffic (PostgreSQL only; FAULT_TEST_ARGS=--database-url ...):
# no 500, no lost write, recovery within seconds (bench/fault_test.py).
fault-test: $(STAMP) var messages
	$(BIN)/python bench/fault_test.py $(FAULT_TEST_ARGS)

# The load test: bin/serve (DEBUG off) on the demo city scaled to 10,000 enterprises (PostgreSQL
# database ssb_load, seeded once; LOAD_DATABASE_URL names another), USERS Locust visitors for
# DURATION seconds; requests/s, p50/p95/p99, errors and each server process's memory. Exits 1
# on any error (bench/load/run.py; README, "Load").
USERS ?= 50
DURATION ?= 60
load-test: $(STAMP) var messages
	$(BIN)/python bench/load/run.py --users $(USERS) --duration $(DURATION) $(LOAD_ARGS)

# The database and every stored file in one archive (var/backups/; BACKUP=path to choose), and
# back into an empty database and stores (ARCHIVE=path, required); README, "Operations".
backup: $(STAMP) var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py backup $(if $(BACKUP),--output $(BACKUP))

restore: $(STAMP) var
	@test -n "$(ARCHIVE)" || { echo "make restore ARCHIVE=var/backups/ssb-portal-....tar.gz"; exit 2; }
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore $(ARCHIVE)

# Back up, restore into a fresh database and compare the audit chain, LCR figures and files.
restore-drill: $(STAMP) var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py restore_drill

clean:
	rm -rf $(VENV) var/*.sqlite3
