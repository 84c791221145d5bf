#!/usr/bin/env bash
# Screenshots of the HTML report for the README: the seeds' report, and the
# near-duplicate scenario opened at a link to a kept paragraph on another
# page. Needs headless Chromium (Debian's `chromium`).
#
#   scripts/report-screenshot.sh            # writes docs/report-seeds.png, docs/report-near.png
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${DEDUPE_CHROMIUM:-/usr/bin/chromium}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --locked --quiet
dedupe="${CARGO_TARGET_DIR:-target}/release/dedupe"

"$dedupe" -q fixtures/seeds -o "$work/seeds"
"$dedupe" -q fixtures/scenarios/near-duplicates -o "$work/near"

shot() { # URL FILE HEIGHT
  "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --virtual-time-budget=5000 \
    --window-size="1280,$3" --screenshot="$2" "$1" 2>/dev/null
  echo "wrote $2"
}
mkdir -p docs
shot "file://$work/seeds.report.html" docs/report-seeds.png 2000
shot "file://$work/near.report.html?per=1&page=2" docs/report-near.png 1400
