.PHONY: all lint format test build check serve bench bench-scale bench-load setup

all: lint test

setup:
	./setup.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

test:
	.venv/bin/python -m pytest

build:
	.venv/bin/legkg build

check:
	.venv/bin/legkg check --xrefs

serve:
	.venv/bin/legkg serve

bench:
	.venv/bin/python bench/build.py
	.venv/bin/python bench/browse.py
	.venv/bin/python bench/sparql_http.py

bench-scale:
	.venv/bin/python bench/scale.py

bench-load:
	.venv/bin/python bench/load.py
