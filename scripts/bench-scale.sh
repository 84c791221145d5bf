#!/usr/bin/env bash
# How `dedupe`'s throughput holds as the corpus grows: times a run on one
# generated drop (1 GB by default) and a run on N such drops together
# (5 GB by default), in interleaved pairs, and prints each run, the medians and how
# much lower the large run's throughput is than the small one's.
#
#   scripts/bench-scale.sh [--drops N] [--size SIZE] [--pairs N]
#                          [--threads N] [--source DIR] [--out DIR]
#                          [--drop-caches] [-- DEDUPE ARGS...]
#
# --drops N    drops in the large run (default 5): examples/gen_corpus
#              makes each with seeds 1 to N; the small run is the first
# --size SIZE  a drop's size, K/M/G as powers of 1000 (default 1G)
# --pairs N    pairs of runs, small then large (default 3)
# --threads N  dedupe -j (default: the number of cores)
# --source DIR articles the generator learns from (default: the BBC
#              articles in ../shared/eval/news/bbc when present, else
#              fixtures/seeds)
# --out DIR    where the outputs go (default: $CARGO_TARGET_DIR/bench-scale,
#              on the disk: 5 GB of corpus, 4 GB of output and the 3.4 GB
#              temporary file of shingles do not fit in memory together)
# --drop-caches  before each run, write dirty pages out and empty the page
#              cache (`sync; echo 3 > /proc/sys/vm/drop_caches`, as root;
#              files on tmpfs, the drops among them, stay), so that every
#              run starts with the same free memory rather than with
#              whatever other files the machine last used held in the
#              cache. A 5 GB run keeps its 3.4 GB of shingles in the page
#              cache between the passes; when other files hold that memory,
#              it reads them back from the disk (the disk_MB column)
#
# Each run is `dedupe DROPS --output-format jsonl -o OUT.jsonl -q`: the
# cleaned corpus as one JSONL file, which a disk takes as fast as it takes
# anything, rather than millions of small files. The drops are cached
# in $BENCH_DIR (default /dev/shm/dedupe-bench when it has room, else
# $CARGO_TARGET_DIR/bench) and made once; each takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

drops=5
size=1G
pairs=3
threads=$(nproc)
source=
out=
drop_caches=no
while [ $# -gt 0 ]; do
  case "$1" in
    --drops) drops=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --drop-caches) drop_caches=yes; shift ;;
    --) shift; break ;;
    *) echo "bench-scale: unknown argument $1" >&2; exit 2 ;;
  esac
done
for n in "$drops" "$pairs" "$threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench-scale: not a positive number: $n" >&2; exit 2; }
done
[ "$drops" -ge 2 ] || { echo "bench-scale: --drops needs at least 2" >&2; exit 2; }
if [ -z "$source" ]; then
  if [ -d ../shared/eval/news/bbc ]; then source=../shared/eval/news/bbc; else source=fixtures/seeds; fi
fi
[ -d "$source" ] || { echo "bench-scale: no source directory $source" >&2; exit 2; }

if [ "$drop_caches" = yes ] && ! [ -w /proc/sys/vm/drop_caches ]; then
  echo "bench-scale: --drop-caches needs to write /proc/sys/vm/drop_caches (run as root)" >&2
  exit 2
fi
drop_bytes=$(size_bytes "$size") || { echo "bench-scale: not a size: $size (use 1G, 100M)" >&2; exit 2; }

cargo build --release --locked --quiet --bin dedupe --examples
bin=${CARGO_TARGET_DIR:-target}/release

source_sum=$(source_sum "$source")
if [ -n "${BENCH_DIR:-}" ]; then
  cache=$BENCH_DIR
elif [ -d /dev/shm ] && [ "$(df -P -B1 /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((drop_bytes * (drops + 1))) ]; then
  cache=/dev/shm/dedupe-bench
else
  cache=${CARGO_TARGET_DIR:-target}/bench
fi
root=$cache/scale-$drop_bytes-$(basename "$source")-$source_sum
mkdir -p "$root/drops"
for ((s = 1; s <= drops; s++)); do
  drop=$root/drops/seed$s
  [ -f "$drop/generator.json" ] && continue
  echo "bench-scale: generating drop $s of $drops into $drop" >&2
  rm -rf "$drop.partial"
  "$bin/examples/gen_corpus" --out "$drop.partial" --size "$drop_bytes" --source "$source" --seed "$s" >&2
  mv "$drop.partial" "$drop"
done
# The small run reads the first drop, the large one all of them: each a
# directory of links to the drops' corpora (a walk follows links).
view() {
  local dir=$root/view-$1 s
  rm -rf "$dir"
  mkdir "$dir"
  for ((s = 1; s <= $1; s++)); do ln -s "../drops/seed$s/corpus" "$dir/seed$s"; done
  echo "$dir"
}
small=$(view 1)
large=$(view "$drops")
bytes() {
  python3 -c '
import json, sys
print(sum(json.load(open(p))["bytes"] for p in sys.argv[1:]))' "$@"
}
small_bytes=$(bytes "$root"/drops/seed1/generator.json)
large_bytes=$(bytes $(for ((s = 1; s <= drops; s++)); do echo "$root/drops/seed$s/generator.json"; done))

out=${out:-${CARGO_TARGET_DIR:-target}/bench-scale}
mkdir -p "$out"
runs=$(mktemp -d "$out/runs.XXXXXX")
trap 'rm -rf "$runs"' EXIT
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
cache_note="page cache as found"
[ "$drop_caches" = yes ] && cache_note="page cache emptied before each run"
echo "# dedupe at $commit, -j $threads; drops on $(stat -f -c %T "$root"), output on $(stat -f -c %T "$runs"); $cache_note"
printf '%-5s %4s %12s %8s %8s %8s %8s\n' run pair bytes wall_s MB/s rss_MB disk_MB
for ((p = 1; p <= pairs; p++)); do
  for which in small large; do
    input=$small bytes=$small_bytes
    [ "$which" = large ] && input=$large bytes=$large_bytes
    run=$runs/$which-$p
    mkdir "$run"
    if [ "$drop_caches" = yes ]; then
      sync
      echo 3 > /proc/sys/vm/drop_caches
    fi
    /usr/bin/time -v -o "$run/time.txt" \
      "$bin/dedupe" "$input" --output-format jsonl -o "$run/clean.jsonl" -j "$threads" -q "$@"
    awk -v which="$which" -v pair="$p" -v bytes="$bytes" '
      /Elapsed \(wall clock\)/ {
        n = split($NF, part, ":"); wall = 0
        for (i = 1; i <= n; i++) wall = wall * 60 + part[i]
      }
      /Maximum resident set size/ { rss = $NF }
      # Blocks of 512 bytes read from the disk.
      /File system inputs/ { disk = $NF * 512 }
      END {
        # time -v counts hundredths of a second.
        if (wall < 0.01) wall = 0.01
        printf "%-5s %4d %12.0f %8.2f %8.2f %8.0f %8.0f\n", which, pair, bytes, wall, bytes / wall / 1e6, rss / 1024, disk / 1e6
      }
    ' "$run/time.txt" | tee -a "$runs/results.txt"
    rm -rf "$run"/clean.jsonl*
  done
done
awk '
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  { tp[$1] = tp[$1] " " $5; if ($6 > rss[$1]) rss[$1] = $6; if ($7 > disk[$1]) disk[$1] = $7; pair[$2, $1] = $5 }
  END {
    s = median(tp["small"]); l = median(tp["large"])
    printf "\nmedian throughput: small %.2f MB/s, large %.2f MB/s (peak %d and %d MB)\n", s, l, rss["small"], rss["large"]
    printf "the large run is %.1f%% lower by the medians; pair by pair:", (1 - l / s) * 100
    for (p = 1; (p, "small") in pair; p++) printf " %.1f%%", (1 - pair[p, "large"] / pair[p, "small"]) * 100
    print ""
    printf "read from the disk: up to %d MB in a small run, %d MB in a large one\n", disk["small"], disk["large"]
  }
' "$runs/results.txt"
