#!/usr/bin/env bash
# The CI gate on real articles: the BBC News dataset in ../shared/eval/news
# is split in two drops by article number (001-200 of each category is the
# corpus, the rest is the new drop). The corpus is indexed, the new drop is
# checked against the index, and every known duplicate pair (exact, and
# near: word 5-gram Jaccard >= 0.8) that crosses the split must show up as
# a finding on the new article that names the corpus article. Prints the
# counts, the index size and the exit codes; fails when a pair is missed.
# Skips cleanly when the data is absent. Extra arguments go to both runs.
set -euo pipefail
cd "$(dirname "$0")/.."
news=${EVAL_NEWS:-../shared/eval/news}
if [ ! -f "$news/bbc-duplicates/bbc.near.tsv" ]; then
  echo "eval-gate: skipped, no evaluation data at $news"
  exit 0
fi
news=$(cd "$news" && pwd)
cargo build --release --locked --quiet
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
dedupe="$target/release/dedupe"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in "$news/bbc"/*/; do
  category=$(basename "$dir")
  mkdir -p "$work/corpus/$category" "$work/drop/$category"
  for file in "$dir"*.txt; do
    n=$(basename "$file" .txt)
    if [ "$((10#$n))" -le 200 ]; then half=corpus; else half=drop; fi
    cp "$file" "$work/$half/$category/"
  done
done
cd "$work"
"$dedupe" index build corpus -o corpus.idx -q "$@"
status=0
"$dedupe" check drop --against corpus.idx --fail-on corpus --format json -q "$@" > verdict.json || status=$?
echo "index: $(stat -c %s corpus.idx) bytes for $(du -sb corpus | cut -f1) bytes of articles; check exit code $status"
[ "$status" -le 1 ] || exit "$status"
python3 - "$news/bbc-duplicates" <<'PY'
import csv, json, sys
verdict = json.load(open("verdict.json"))
named = {}
for f in verdict["failing"]:
    named.setdefault(f["path"], set()).add(f["of"]["path"])
half = lambda p: "corpus" if int(p.split("/")[1].split(".")[0]) <= 200 else "drop"
missed = 0
for name in ["bbc.exact.tsv", "bbc.near.tsv"]:
    rows = csv.DictReader(open(f"{sys.argv[1]}/{name}"), delimiter="\t")
    cross = [(r["doc_a"], r["doc_b"]) for r in rows if half(r["doc_a"]) != half(r["doc_b"])]
    hits = 0
    for a, b in cross:
        old, new = (a, b) if half(a) == "corpus" else (b, a)
        if old in named.get(new, set()):
            hits += 1
        else:
            print(f"  missed: {new} should name {old}")
    missed += len(cross) - hits
    print(f"{name}: {hits} / {len(cross)} pairs across the split found, naming the corpus article")
print(f"corpus findings: {len(verdict['failing'])} in {len(named)} articles of the drop")
sys.exit(1 if missed else 0)
PY
