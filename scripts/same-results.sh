#!/usr/bin/env bash
# same-results.sh BASE_REF: shows that the working tree computes the same
# results as BASE_REF. It builds capsim at BASE_REF (in a temporary git
# worktree) and from the working tree, runs every example scenario with both
# (`capsim run --json`, and `capsim compare --json` for files with variants)
# and compares the SHA-256 of the JSON. Exit 0 when every example is
# byte-identical, 1 when one differs.
#
# An example whose run fails the same way with both builds (typically a trace
# file that is not in this checkout) is reported as skipped, with the error.
# EXAMPLES=DIR runs the .yaml files of DIR instead of scenarios/examples
# (for example a copy placed where its trace paths resolve).
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: scripts/same-results.sh BASE_REF" >&2
	exit 2
fi
base_ref=$1
root=$(git rev-parse --show-toplevel)
examples=${EXAMPLES:-$root/scenarios/examples}
tmp=$(mktemp -d)
cleanup() {
	git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap "exit 130" INT TERM

git -C "$root" worktree add --detach "$tmp/base" "$base_ref" >/dev/null 2>&1
(cd "$tmp/base" && go build -o "$tmp/capsim-base" ./cmd/capsim)
(cd "$root" && go build -o "$tmp/capsim-new" ./cmd/capsim)

# run BINARY COMMAND FILE OUT: one capsim run from the scenario's directory.
run() {
	(cd "$(dirname "$3")" && "$1" "$2" -q --json "$4" "$(basename "$3")" >/dev/null 2>"$4.err")
}

differ=0
for f in "$examples"/*.yaml; do
	name=$(basename "$f" .yaml)
	cmds=(run)
	grep -q '^variants:' "$f" && cmds+=(compare)
	for cmd in "${cmds[@]}"; do
		a="$tmp/$name.$cmd.base.json"
		b="$tmp/$name.$cmd.new.json"
		ra=0 rb=0
		run "$tmp/capsim-base" "$cmd" "$f" "$a" || ra=$?
		run "$tmp/capsim-new" "$cmd" "$f" "$b" || rb=$?
		if [ "$ra" -ne 0 ] || [ "$rb" -ne 0 ]; then
			if [ "$ra" -eq "$rb" ] && cmp -s "$a.err" "$b.err"; then
				echo "skipped  $name ($cmd): both builds fail: $(head -c 200 "$a.err")"
			else
				echo "DIFFERS  $name ($cmd): base exit $ra, new exit $rb"
				differ=1
			fi
			continue
		fi
		ha=$(sha256sum <"$a" | cut -d' ' -f1)
		hb=$(sha256sum <"$b" | cut -d' ' -f1)
		if [ "$ha" = "$hb" ]; then
			echo "same     $name ($cmd) sha256 $ha"
		else
			echo "DIFFERS  $name ($cmd) base $ha new $hb"
			diff <(head -c 2000000 "$a") <(head -c 2000000 "$b") | head -20 || true
			differ=1
		fi
	done
done
exit "$differ"
