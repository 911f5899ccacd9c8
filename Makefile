.PHONY: run test lint

run:   ## set up, load demo data and run the portal on http://127.0.0.1:8000/
	bin/run

test:  ## the whole test suite on a throwaway PostgreSQL, with browser tests in Chromium
	bin/test

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
