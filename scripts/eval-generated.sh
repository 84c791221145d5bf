#!/usr/bin/env bash
# Generates a corpus with known duplicates (examples/gen_corpus), runs
# `dedupe check` on it at default settings and scores the report against the
# ground truth (examples/score_corpus).
#
#   scripts/eval-generated.sh [--docs N] [--source DIR] [--check] [-- DEDUPE ARGS...]
#
# --docs N     documents to generate (default 20000)
# --source DIR real articles to learn the text from (default: the BBC
#              articles in ../shared/eval/news/bbc when present, else
#              fixtures/seeds)
# --check      fail unless the targets are met: exact copies all found with
#              no false positive, near-duplicate precision >= 0.99 and
#              recall >= 0.95, duplicate-document pair recall >= 0.95
set -euo pipefail
cd "$(dirname "$0")/.."
docs=20000
source=
check=0
while [ $# -gt 0 ]; do
  case "$1" in
    --docs) docs=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --check) check=1; shift ;;
    --) shift; break ;;
    *) echo "eval-generated: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$source" ]; then
  if [ -d ../shared/eval/news/bbc ]; then source=../shared/eval/news/bbc; else source=fixtures/seeds; fi
fi
cargo build --release --locked --quiet --bin dedupe --example gen_corpus --example score_corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${CARGO_TARGET_DIR:-target}/release
echo "corpus: $docs documents learnt from $source"
"$bin/examples/gen_corpus" --out "$work/gen" --docs "$docs" --source "$source"
status=0
"$bin/dedupe" check "$work/gen/corpus" --report "$work/report.json" "$@" > /dev/null || status=$?
# 1 means findings, which this corpus has by construction.
[ "$status" -le 1 ] || exit "$status"
"$bin/examples/score_corpus" "$work/gen/truth.tsv" "$work/report.json"
if [ "$check" -eq 1 ]; then
  "$bin/examples/score_corpus" "$work/gen/truth.tsv" "$work/report.json" --json |
    python3 -c '
import json, sys
s = json.load(sys.stdin)
share = lambda x: x["hit"] / max(1, x["of"])
checks = [
    ("exact copies found", share(s["exact_recall"]), 1.0),
    ("near-duplicate precision", share(s["near_precision"]), 0.99),
    ("near-duplicate recall", share(s["near_recall"]), 0.95),
    ("duplicate-document pair recall", share(s["document_recall"]), 0.95),
]
failed = [f"{name} {value:.4f} < {target}" for name, value, target in checks if value < target]
false_exact = s["exact_false_positives"]
if false_exact:
    failed.append(f"{false_exact} false exact duplicates")
print("eval-generated: " + ("FAILED: " + "; ".join(failed) if failed else "all targets met"))
sys.exit(1 if failed else 0)
'
fi
