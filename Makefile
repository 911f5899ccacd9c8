.PHONY: run test lint bench

run:   ## set up, load demo data and run the portal on http://127.0.0.1:8000/
	bin/run

test:  ## the whole test suite on a throwaway PostgreSQL, with browser tests in Chromium
	bin/test

bench: ## server time of the commune, province, national and completeness pages on national-scale data
	bin/bench

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
