#!/bin/sh
# fuzz-all.sh [DURATION] [PARALLEL]: run every Fuzz* target in the
# repository for DURATION each (default 45s), one after another, each on
# PARALLEL workers (default 1: the machines this runs on are shared).
# Each new interesting input is minimized for at most FUZZMINIMIZETIME
# (default 5s, Go's is 60s): minimizing a mutated result.json of a few KB
# took all of a 45 s run, which then ended PASS after a dozen executions.
# Targets are found by grepping the test files, so nothing is compiled
# just to list them. A target that finds a crasher stops the script; Go
# has written the input under that package's testdata/fuzz/FuzzX/, to be
# committed with the fix as a seed. Listed in docs/validation.md#fuzzing.
set -eu
duration=${1:-45s}
parallel=${2:-1}
cd "$(dirname "$0")/.."
grep -rHo '^func Fuzz[A-Za-z0-9_]*' --include='*_test.go' . | sort |
while IFS=: read -r file fn; do
	pkg=./$(dirname "${file#./}")
	fn=${fn#func }
	echo "fuzz: $pkg $fn ($duration)"
	go test "$pkg" -run '^$' -fuzz "^$fn\$" -fuzztime "$duration" -parallel "$parallel" \
		-fuzzminimizetime "${FUZZMINIMIZETIME:-5s}" </dev/null
done
