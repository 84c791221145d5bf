#!/usr/bin/env bash
# Scores boilerplate stripping against the evaluation corpora in
# ../shared/eval/boilerplate (bag-of-words and 4-gram P/R/F1 per corpus, each
# corpus run on its own). Skips cleanly when the evaluation data is absent.
# Extra arguments go to dedupe, e.g. `scripts/eval-boilerplate.sh --no-strip`.
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:-../shared/eval/boilerplate}
if [ ! -f "$eval_dir/score.py" ]; then
  echo "eval-boilerplate: skipped, no evaluation data at $eval_dir"
  exit 0
fi
cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for corpus in dragnet cleaneval; do
  status=0
  "${CARGO_TARGET_DIR:-target}/release/dedupe" "$eval_dir/$corpus/input" -o "$work/pred/$corpus" \
    --report "$work/$corpus.report.json" -q "$@" || status=$?
  # 2 means some files could not be read; they are listed in the report.
  [ "$status" -eq 0 ] || [ "$status" -eq 2 ] || exit "$status"
done
python3 "$eval_dir/score.py" "$work/pred"
