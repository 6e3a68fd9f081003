# Gongzhi: every target sets up what it needs. See README.md.
SCALE ?= town
PORT ?= 8000

.PHONY: demo test bench setup lint format messages mutation

demo:            ## set up, load a fresh demo town as of today, serve http://127.0.0.1:$(PORT) (PORT=8001 for another)
	PORT=$(PORT) scripts/demo.sh

test:            ## set up, start PostgreSQL and Chromium, run every test and check
	scripts/test.sh

bench:           ## load-test the pages on gunicorn + PostgreSQL (SCALE=town|district|city)
	SCALE=$(SCALE) scripts/bench.sh

mutation:        ## optional, slow: mutation testing of two apps' services and rules (mutmut)
	scripts/mutation.sh

setup:           ## only install the environment
	scripts/setup.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

messages:        ## extract translatable strings into locale/*/django.po
	.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=var
