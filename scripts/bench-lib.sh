# Helpers of scripts/bench.sh and scripts/bench-scale.sh; sourced, not run.

# The bytes of a size such as 100M or 1G: K, M, G are powers of 1000, as
# the generator counts them, and a trailing B is optional. Fails on
# anything else.
size_bytes() {
  awk -v s="$1" 'BEGIN {
    u = toupper(s); sub(/B$/, "", u)
    scale = 1
    if (u ~ /K$/) scale = 1e3; else if (u ~ /M$/) scale = 1e6; else if (u ~ /G$/) scale = 1e9
    sub(/[KMG]$/, "", u)
    if (u !~ /^[0-9]+(\.[0-9]+)?$/) exit 1
    printf "%.0f", u * scale  # not %d: mawk caps it at 2^31-1
  }'
}

# A checksum of the .txt files of directory $1, so that the same articles
# name the same cached corpus from any checkout.
source_sum() {
  (cd "$1" && find . -type f -name '*.txt' -print0 | LC_ALL=C sort -z |
    xargs -0 cksum | cksum | cut -d' ' -f1)
}
