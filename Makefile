.PHONY: run serve test lint bench stack-test

run:   ## set up, load demo data and run the portal on http://127.0.0.1:8000/
	bin/run

serve: ## production mode: DEBUG off, collectstatic, migrate, gunicorn (needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL)
	bin/serve

test:  ## the whole test suite on a throwaway PostgreSQL, with browser tests in Chromium
	bin/test

stack-test: ## PostgreSQL + replica, S3 server, two gunicorn behind haproxy, a worker; users under a restart and a killed worker
	bin/stack-test

bench: ## server time of the commune, province, national and completeness pages on national-scale data
	bin/bench

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
