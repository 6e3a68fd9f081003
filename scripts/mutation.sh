#!/usr/bin/env bash
# Mutation testing (make mutation): mutmut changes one thing at a time in the
# services and rules of two apps (organisations, events; see [tool.mutmut] in
# pyproject.toml) and runs, for each change, the tests of those apps that reach the
# changed function, on SQLite. A mutant that no test notices ("survived") is a check
# the suite does not guard. Optional and slow (about 20 minutes on one core), not
# part of `make test`; runs niced, one mutant at a time (MUTATION_CHILDREN=n for more).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh
root=$PWD
# A throwaway copy of the last commit (not of work in progress): the services'
# @transaction.atomic is unwrapped there (mutmut leaves decorated functions alone),
# and mutmut writes its mutants/ beside it. static/ is copied as set up (vendor files).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive HEAD gongzhi config templates locale manage.py pyproject.toml | tar -x -C "$work"
cp -r static "$work"/
(cd "$work" && DJANGO_DEBUG=1 "$root/.venv/bin/python" manage.py compilemessages -v 0)
.venv/bin/python scripts/mutation_unwrap.py "$work"/gongzhi/{organisations,events}/services.py
unset DATABASE_URL
export GONGZHI_VAR_DIR="$work/var"

cd "$work"
say "mutation testing (mutmut, ${MUTATION_CHILDREN:-1} at a time)"
nice -n 19 "$root/.venv/bin/mutmut" run --max-children "${MUTATION_CHILDREN:-1}"
say "surviving mutants (also in var/mutation-survivors.txt, each with its change)"
mkdir -p "$root/var"
"$root/.venv/bin/mutmut" results | tee "$root/var/mutation-results.txt"
for name in $("$root/.venv/bin/mutmut" results | sed -n 's/^ *\([^ :]*\): survived$/\1/p'); do
  "$root/.venv/bin/mutmut" show "$name"
done > "$root/var/mutation-survivors.txt" 2>&1
