#!/bin/sh
# prepare.sh: the clones and configs of the PHI backtest study (docs/validation.md).
#
#   docs/validation/prepare.sh record   # from snapshots: write snapshots.tsv (commit, its date, snapshot date)
#   docs/validation/prepare.sh clone    # make the clones at the recorded commits, beside the checkout
#   docs/validation/prepare.sh config   # write study.yaml and study-<AS_OF>.yaml for AS_OFS
#
# Environment: MIRROR (default /work/.mirror: owner+name/repo bare snapshots,
# as the fetch tool brings them; a repository missing there is cloned from
# https://github.com/owner/name), STUDY (default: ../study beside the
# checkout, i.e. docs/validation/../../../study), AS_OFS (default
# "2021-02-28 2023-02-28"), HORIZON_MONTHS (default 12).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
MIRROR=${MIRROR:-/work/.mirror}
STUDY=${STUDY:-$(cd "$here/../../.." && pwd)/study}
AS_OFS=${AS_OFS:-"2021-02-28 2023-02-28"}
HORIZON_MONTHS=${HORIZON_MONTHS:-12}
repos() { grep -v '^#' "$here/repos.tsv" | cut -f1; }
gitdir() { # the snapshot's git directory
	d="$MIRROR/$(echo "$1" | tr / +)/repo"
	if [ -d "$d/.git" ]; then echo "$d/.git"; elif [ -d "$d" ]; then echo "$d"; fi
}
case "${1:-}" in
record)
	# snapshot: when the snapshot's refs were written (packed-refs, else
	# HEAD, modification time) — the end of what the clone can show.
	printf '# repo\tcommit\tcommit_date\tsnapshot\n' >"$here/snapshots.tsv"
	for r in $(repos); do
		g=$(gitdir "$r")
		[ -n "$g" ] || { echo "no snapshot of $r under $MIRROR" >&2; exit 1; }
		f="$g/packed-refs"; [ -f "$f" ] || f="$g/HEAD"
		printf '%s\t%s\t%s\n' "$r" "$(git --git-dir="$g" log -1 --format='%H%x09%cs')" "$(date -u -r "$f" +%F)" >>"$here/snapshots.tsv"
	done
	;;
clone)
	mkdir -p "$STUDY"
	grep -v '^#' "$here/snapshots.tsv" | while IFS="$(printf '\t')" read -r r commit _ _; do
		dst="$STUDY/$(echo "$r" | tr / +)"
		if [ ! -d "$dst" ]; then
			src=$(gitdir "$r"); [ -n "$src" ] || src="https://github.com/$r"
			git clone -q --no-checkout "$src" "$dst"
		fi
		# HEAD's branch at the recorded commit (no files checked out:
		# the backtest reads history and writes past trees itself).
		git -C "$dst" reset -q --soft "$commit"
	done
	;;
config)
	hdr() {
		cat <<HDR
# $1
# Written by docs/validation/prepare.sh config; the clones are made by
# prepare.sh clone. local_path is relative to this file: ../../../study is
# a folder named study beside the checkout.
store: {driver: sqlite, dsn: study.db}
scorecard: {mode: local}
projects:
HDR
	}
	row() { n=$(echo "$1" | tr / +); echo "  - {name: $1, repo: https://github.com/$1, local_path: ../../../study/$n}"; }
	hdr "The PHI backtest study: every repository of repos.tsv." >"$here/study.yaml"
	for r in $(repos); do row "$r" >>"$here/study.yaml"; done
	for a in $AS_OFS; do
		end=$(date -u -d "$a + $HORIZON_MONTHS months" +%F)
		out="$here/study-$a.yaml"
		hdr "The PHI backtest study as of $a: the repositories whose snapshot was taken after the horizon's end ($end), so the $HORIZON_MONTHS months after $a are wholly in the clone." >"$out"
		grep -v '^#' "$here/snapshots.tsv" | while IFS="$(printf '\t')" read -r r _ _ snap; do
			if [ "$snap" \> "$end" ]; then row "$r" >>"$out"; fi
		done
		# every clone here was fetched by its earliest snapshot: the
		# backtest's --clones-fetched
		first=$(grep -v '^#' "$here/snapshots.tsv" | awk -F'\t' -v e="$end" '$4 > e {print $4}' | sort | head -1)
		echo "# backtest with: --as-of $a --horizon ${HORIZON_MONTHS}m --clones-fetched $first" >>"$out"
	done
	;;
*)
	sed -n '2,13p' "$0" >&2
	exit 2
	;;
esac
