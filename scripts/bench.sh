#!/usr/bin/env bash
# Times `dedupe` on a generated corpus (examples/gen_corpus) and prints one
# line per run: mode, threads, corpus bytes, documents, wall seconds, MB/s
# (input bytes / wall / 1e6), documents/s, peak RSS and CPU share, all from
# /usr/bin/time -v. Ends with the medians, the speedup between thread
# counts, and one Markdown table row per mode and thread count for the
# README.
#
#   scripts/bench.sh [--size 100M|1G|5G] [--threads N[,N...]]
#                    [--mode default|exact|floor|floor1|both|all]
#                    [--input dir|jsonl] [--source DIR] [--seed S]
#                    [--out DIR] [--keep] [--runs N] [--prepare]
#                    [-- DEDUPE ARGS...]
#
# --size SIZE    corpus size, K/M/G as powers of 1000 (default 100M)
# --threads LIST dedupe -j; a comma list such as 1,2 times each and prints
#                the speedup of each against the first, as the larger
#                count over the smaller (default: the number of cores)
# --mode MODE    default: dedupe's defaults (stripping, exact and near
#                duplicates, document groups, cleaned corpus and report);
#                exact: --exact --no-strip; floor: not dedupe but
#                examples/io_floor, the file work no run of two passes can
#                avoid (every file read twice and written once, nothing
#                else); floor1: the same for a run of one pass, as exact is
#                (io_floor --once: read once, written once); both: default
#                and exact; all: the four (default: default)
# --input FORM   dir: the generated directory of one file an article, and a
#                cleaned directory out (default); jsonl: the same articles
#                as one JSONL file (`id` the file's path, `text` its text,
#                in dedupe's walk order; made once beside the corpus) and a
#                cleaned JSONL file out, the form of data pipelines. The
#                floor modes time file work of a directory, so dir only.
#                MB/s counts the articles' bytes in either form
# --source DIR   articles the generator learns from (default: the BBC
#                articles in ../shared/eval/news/bbc when present, else
#                fixtures/seeds)
# --seed S       the generator's seed (default 1)
# --out DIR      where the outputs of the runs go (default: beside the corpus
#                cache); removed at the end unless --keep
# --keep         keep the outputs (cleaned corpora and reports)
# --prepare      generate the corpus (and its JSONL form with --input
#                jsonl) if it is not cached, print the input's path, and
#                time nothing
# --runs N       runs per mode and thread count (default 1)
#
# Generated corpora are cached in $BENCH_DIR (default /dev/shm/dedupe-bench
# when /dev/shm has room for the corpus and one output, else
# $CARGO_TARGET_DIR/bench), one directory per size, source and seed, so a
# rerun skips generation. The cache is not keyed on the generator's code, so
# two commits are timed on the same bytes; delete the directory to make it
# anew. On tmpfs the corpus and the outputs live in memory: a 5G corpus and
# its output take about 10 GB of it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-lib.sh

size=100M
threads=$(nproc)
mode=default
source=
seed=1
out=
keep=0
prepare=0
runs=1
input=dir
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --prepare) prepare=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    --input) input=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$mode" in
  default | exact | floor | floor1) modes=("$mode") ;;
  both) modes=(default exact) ;;
  all) modes=(default exact floor floor1) ;;
  *) echo "bench: --mode is default, exact, floor, floor1, both or all, not $mode" >&2; exit 2 ;;
esac
case "$input" in
  dir) ;;
  jsonl)
    for m in "${modes[@]}"; do
      case "$m" in floor | floor1) echo "bench: --mode $m times a directory's file work; use --input dir" >&2; exit 2 ;; esac
    done ;;
  *) echo "bench: --input is dir or jsonl, not $input" >&2; exit 2 ;;
esac
IFS=, read -r -a thread_counts <<<"$threads"
for n in "${thread_counts[@]}" "$runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench: not a positive number: $n" >&2; exit 2; }
done
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "bench: not a seed: $seed" >&2; exit 2; }
size_bytes=$(size_bytes "$size") || { echo "bench: not a size: $size (use 100M, 1G, 5G)" >&2; exit 2; }
if [ -z "$source" ]; then
  if [ -d ../shared/eval/news/bbc ]; then source=../shared/eval/news/bbc; else source=fixtures/seeds; fi
fi
[ -d "$source" ] || { echo "bench: no source directory $source" >&2; exit 2; }

cargo build --release --locked --quiet --bin dedupe --examples
bin=${CARGO_TARGET_DIR:-target}/release

# Bytes free for files in a directory: for tmpfs also bounded by free
# memory, since its files are memory.
room() {
  local free mem
  free=$(df -P -B1 "$1" | awk 'NR == 2 { print $4 }')
  if [ "$(stat -f -c %T "$1")" = tmpfs ]; then
    mem=$(awk '/^MemAvailable:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
    [ "$mem" -lt "$free" ] && free=$mem
  fi
  echo "$free"
}
# The key names the source by a checksum of its .txt files, so the same
# articles give the same key from any checkout.
source_sum=$(source_sum "$source")
key=corpus-$size_bytes-$(basename "$source")-$source_sum-seed$seed
# /dev/shm needs room for the corpus, unless it is there already, and for
# one output and its report.
need=$((size_bytes * 3 / 2))
[ -f "/dev/shm/dedupe-bench/$key/generator.json" ] || need=$((need + size_bytes))
if [ -n "${BENCH_DIR:-}" ]; then
  cache=$BENCH_DIR
elif [ -d /dev/shm ] && [ "$(room /dev/shm)" -gt "$need" ]; then
  cache=/dev/shm/dedupe-bench
else
  cache=${CARGO_TARGET_DIR:-target}/bench
fi
mkdir -p "$cache"
corpus_dir=$cache/$key
if [ ! -f "$corpus_dir/generator.json" ]; then
  echo "bench: generating $size from $source (seed $seed) into $corpus_dir" >&2
  # Generated beside its place and renamed when complete, so an interrupted
  # generation is never taken for a cached corpus.
  partial=$(mktemp -d "$corpus_dir.partial.XXXXXX")
  trap 'rm -rf "$partial"' EXIT
  "$bin/examples/gen_corpus" --out "$partial" --size "$size_bytes" --source "$source" --seed "$seed"
  if [ -f "$corpus_dir/generator.json" ]; then
    rm -rf "$partial" # another run finished first
  else
    rm -rf "$corpus_dir"
    mv "$partial" "$corpus_dir"
  fi
  trap - EXIT
fi
input_path=$corpus_dir/corpus
output_name=clean
if [ "$input" = jsonl ]; then
  input_path=$corpus_dir/corpus.jsonl
  output_name=clean.jsonl
  if [ ! -f "$input_path" ]; then
    echo "bench: writing the corpus as JSONL to $input_path" >&2
    python3 -c '
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
paths = sorted(os.path.relpath(os.path.join(d, f), root)
               for d, _, files in os.walk(root) for f in files)
with open(out + ".partial", "w", encoding="utf-8") as lines:
    for p in paths:
        with open(os.path.join(root, p), encoding="utf-8") as f:
            text = f.read()
        lines.write(json.dumps({"id": p, "text": text}, ensure_ascii=False) + "\n")
os.rename(out + ".partial", out)' "$corpus_dir/corpus" "$input_path"
  fi
fi
if [ "$prepare" -eq 1 ]; then
  echo "$input_path"
  exit 0
fi
read -r corpus_bytes documents < <(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["bytes"], m["documents"])' "$corpus_dir/generator.json")

# Outputs go to fresh directories on the cache's file system (tmpfs by
# default), never to an old output deleted first: on the ext4 /work file
# system, creating many files right after deleting many is very slow and
# would be timed as dedupe's. On tmpfs a run's output is deleted as soon as
# it has been measured, to give the memory back; elsewhere all are deleted
# at the end, after the last timed run.
out=${out:-$cache}
mkdir -p "$out"
runs_dir=$(mktemp -d "$out/runs.XXXXXX")
if [ "$keep" -eq 1 ]; then
  echo "bench: outputs are kept in $runs_dir" >&2
else
  trap 'rm -rf "$runs_dir"' EXIT
fi
eager_delete=0
if [ "$keep" -eq 0 ] && [ "$(stat -f -c %T "$runs_dir")" = tmpfs ]; then eager_delete=1; fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
echo "# dedupe $("$bin/dedupe" --version | cut -d' ' -f2) at $commit, $(nproc) cores;" \
  "corpus $input_path ($(stat -f -c %T "$corpus_dir")), outputs on $(stat -f -c %T "$runs_dir")"
printf '%-8s %7s %12s %9s %8s %8s %9s %8s %5s\n' \
  mode threads bytes documents wall_s MB/s docs/s rss_MB cpu%
results=$runs_dir/results.tsv
for m in "${modes[@]}"; do
  flags=()
  [ "$m" = exact ] && flags=(--exact --no-strip)
  for t in "${thread_counts[@]}"; do
    for ((r = 1; r <= runs; r++)); do
      run=$runs_dir/$m-j$t-$r
      mkdir "$run"
      status=0
      command=("$bin/dedupe" "$input_path" -o "$run/$output_name" -j "$t" "${flags[@]}" "$@")
      [ "$m" = floor ] && command=("$bin/examples/io_floor" "$corpus_dir/corpus" "$run/clean" -j "$t")
      [ "$m" = floor1 ] && command=("$bin/examples/io_floor" "$corpus_dir/corpus" "$run/clean" -j "$t" --once)
      /usr/bin/time -v -o "$run/time.txt" "${command[@]}" 2>"$run/dedupe.txt" || status=$?
      if [ "$status" -ne 0 ]; then
        echo "bench: ${command[0]##*/} exited with $status ($m, -j $t):" >&2
        cat "$run/dedupe.txt" >&2
        exit "$status"
      fi
      awk -v mode="$m" -v threads="$t" -v bytes="$corpus_bytes" -v docs="$documents" '
        /Elapsed \(wall clock\)/ {
          n = split($NF, part, ":"); wall = 0
          for (i = 1; i <= n; i++) wall = wall * 60 + part[i]
        }
        /Maximum resident set size/ { rss = $NF }
        /Percent of CPU this job got/ { cpu = $NF; sub(/%/, "", cpu) }
        END { printf "%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", mode, threads, bytes, docs, wall, rss, cpu }
      ' "$run/time.txt" | tee -a "$results" | awk -F'\t' '{
        wall = ($5 > 0 ? $5 : 0.01)
        printf "%-8s %7s %12s %9s %8.2f %8.2f %9.0f %8.1f %4s%%\n",
          $1, $2, $3, $4, $5, $3 / wall / 1e6, $4 / wall, $6 / 1024, $7
      }'
      if [ "$eager_delete" -eq 1 ]; then
        rm -rf "$run/$output_name" "$run/$output_name.report.json" "$run/$output_name.report.html"
      fi
    done
  done
done

# Medians over the runs of each mode and thread count, the speedup between
# each thread count's median and the first one's (the larger count over the
# smaller), and the README rows.
awk -F'\t' -v runs="$runs" -v first="${thread_counts[0]}" -v input="$input" '
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  {
    key = $1 SUBSEP $2
    if (!(key in walls)) order[++groups] = key
    walls[key] = walls[key] " " $5; cpus[key] = cpus[key] " " $7
    if ($6 > rss[key]) rss[key] = $6
    bytes[key] = $3; docs[key] = $4
  }
  END {
    for (g = 1; g <= groups; g++) {
      key = order[g]; split(key, k, SUBSEP)
      # time -v counts hundredths of a second.
      wall[key] = median(walls[key]); cpu[key] = median(cpus[key])
      if (wall[key] < 0.01) wall[key] = 0.01
    }
    if (runs > 1) {
      print ""
      for (g = 1; g <= groups; g++) {
        key = order[g]; split(key, k, SUBSEP)
        printf "median of %d: %-7s -j %-3s %8.2f s %8.2f MB/s\n", runs, k[1], k[2], wall[key], bytes[key] / wall[key] / 1e6
      }
    }
    for (g = 1; g <= groups; g++) {
      key = order[g]; split(key, k, SUBSEP)
      if (k[2] != first) {
        if (!said++) print ""
        # The larger thread count over the smaller, whichever came first.
        few = k[2] + 0 < first + 0 ? k[2] : first
        many = few == k[2] ? first : k[2]
        printf "speedup %-7s -j %s over -j %s: %.2fx\n", k[1], many, few,
          wall[k[1] SUBSEP few] / wall[k[1] SUBSEP many]
      }
    }
    print ""
    printf "summary (%s; paste into a README table):\n", (runs > 1 ? "median of " runs " runs" : "one run")
    print "| mode | threads | corpus | documents | wall | throughput | documents/s | peak RSS | CPU |"
    print "|---|---|---|---|---|---|---|---|---|"
    for (g = 1; g <= groups; g++) {
      key = order[g]; split(key, k, SUBSEP)
      name = k[1] == "exact" ? "`--exact --no-strip`" : k[1] == "floor" ? "file work of two passes (`io_floor`)" : k[1] == "floor1" ? "file work of one pass (`io_floor --once`)" : "defaults"
      if (input == "jsonl") name = name ", JSONL in and out"
      printf "| %s | %s | %.0f MB | %d | %.2f s | %.1f MB/s | %.0f | %.0f MB | %.0f%% |\n",
        name, k[2], bytes[key] / 1e6, docs[key], wall[key], bytes[key] / wall[key] / 1e6,
        docs[key] / wall[key], rss[key] / 1024, cpu[key]
    }
  }
' "$results"
