#!/usr/bin/env bash
# Counts the instructions `dedupe` executes on the start of a generated
# corpus as one JSONL file, on one thread, with valgrind's cachegrind. Wall
# time on a shared machine moves by more than a change of a few percent;
# the count is the same from one run to the next (to within a few thousand
# instructions of the threads' order), so two builds can be told apart on
# the same input.
#
#   scripts/bench-instructions.sh [--from SIZE] [--size SIZE] [--seed S]
#                                 [--source DIR] [--bin PATH]...
#
# --from SIZE  the corpus of scripts/bench.sh the input is cut from (default
#              100M; generated and cached as bench.sh does, as JSONL)
# --size SIZE  the input: the whole lines within the first SIZE bytes of
#              that JSONL file, the last one left out (default 20M)
# --seed S, --source DIR
#              passed to bench.sh for the corpus
# --bin PATH   a dedupe binary to count; give it more than once to count
#              several builds on the same input (default: this checkout's
#              release build)
#
# Prints, for each binary, millions of instructions in three modes: the
# defaults (stripping, exact and near duplicates, JSONL out, both reports;
# at 20 MB the HTML report holds every document's text), the defaults with
# --no-html, and --exact --no-strip. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

from=100M
size=20M
seed=1
source_args=()
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --source) source_args=(--source "$2"); shift 2 ;;
    --bin) bins+=("$2"); shift 2 ;;
    *) echo "bench-instructions: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "bench-instructions: needs valgrind" >&2; exit 2; }
bytes=$(size_bytes "$size") || { echo "bench-instructions: not a size: $size" >&2; exit 2; }
if [ "${#bins[@]}" -eq 0 ]; then
  cargo build --release --locked --quiet --bin dedupe
  bins=("${CARGO_TARGET_DIR:-target}/release/dedupe")
fi
for bin in "${bins[@]}"; do
  [ -x "$bin" ] || { echo "bench-instructions: no binary $bin" >&2; exit 2; }
done

corpus=$(scripts/bench.sh --size "$from" --input jsonl --seed "$seed" "${source_args[@]}" --prepare)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Whole lines only: the line that the cut falls in is left out.
head -c "$bytes" "$corpus" | head -n -1 >"$work/input.jsonl"
read -r lines input_bytes < <(wc -lc <"$work/input.jsonl")
echo "# input: the first $lines lines ($input_bytes bytes) of $corpus; one thread"
printf '%-40s %14s %14s %14s\n' binary defaults no-html exact
for bin in "${bins[@]}"; do
  counts=()
  for flags in "" "--no-html" "--exact --no-strip"; do
    status=0
    # shellcheck disable=SC2086 # the flags are words
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
      "$bin" "$work/input.jsonl" --output-format jsonl -o "$work/out.jsonl" --force -q -j 1 $flags \
      2>"$work/valgrind.txt" || status=$?
    refs=$(awk '/I *refs:/ { gsub(",", "", $NF); print $NF }' "$work/valgrind.txt")
    if [ "$status" -ne 0 ] || [ -z "$refs" ]; then
      echo "bench-instructions: $bin $flags exited with $status:" >&2
      cat "$work/valgrind.txt" >&2
      exit 1
    fi
    counts+=("$(awk -v n="$refs" 'BEGIN { printf "%.1f M", n / 1e6 }')")
    rm -f "$work"/out.jsonl*
  done
  printf '%-40s %14s %14s %14s\n' "$bin" "${counts[@]}"
done
