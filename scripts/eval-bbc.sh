#!/usr/bin/env bash
# Scores near-duplicate documents against the BBC News dataset in
# ../shared/eval/news (2,225 articles; known duplicate pairs computed by
# brute force). A reported pair is any two documents of one reported
# document group. Prints pair recall against the exact and the near
# (word 5-gram Jaccard >= 0.8) lists, the share of reported pairs outside
# the near list, and every missed or extra pair with its Jaccard at >= 0.5
# when it has one. Skips cleanly when the data is absent. Extra arguments go
# to dedupe, e.g. `scripts/eval-bbc.sh --doc-threshold 0.7`.
set -euo pipefail
cd "$(dirname "$0")/.."
news=${EVAL_NEWS:-../shared/eval/news}
if [ ! -f "$news/bbc-duplicates/bbc.near.tsv" ]; then
  echo "eval-bbc: skipped, no evaluation data at $news"
  exit 0
fi
cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
"${CARGO_TARGET_DIR:-target}/release/dedupe" check "$news/bbc" --report "$work/bbc.json" -q "$@" > /dev/null || status=$?
# 1 means findings, which a corpus with duplicates has.
[ "$status" -le 1 ] || exit "$status"
python3 - "$work/bbc.json" "$news/bbc-duplicates" <<'PY'
import itertools, json, sys
report = json.load(open(sys.argv[1]))
truth_dir = sys.argv[2]

def pairs(name):
    rows = open(f"{truth_dir}/{name}").read().splitlines()[1:]
    return {tuple(sorted(r.split("\t")[:2])): r.split("\t")[2:] for r in rows}

exact, near, loose = pairs("bbc.exact.tsv"), pairs("bbc.near.tsv"), pairs("bbc.j050.near.tsv")
found = set()
for group in report["document_groups"]:
    docs = [group["kept"]] + [m["path"] for m in group["members"]]
    found |= {tuple(sorted(p)) for p in itertools.combinations(docs, 2)}
extra = sorted(found - set(near))
print(f"document groups: {len(report['document_groups'])}, reported pairs: {len(found)}")
print(f"exact pairs found: {len(found & set(exact))} / {len(exact)}")
print(f"near pairs found:  {len(found & set(near))} / {len(near)}"
      f" ({100 * len(found & set(near)) / len(near):.1f}%)")
print(f"reported pairs outside the near list: {len(extra)}"
      f" ({100 * len(extra) / max(1, len(found)):.1f}%)")
for p in sorted(set(near) - found):
    print("  missed:", *p, "jaccard", near[p][0])
for p in extra:
    print("  extra: ", *p, "jaccard", loose.get(p, ["< 0.5"])[0])
PY
