#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60), seeded from the bundled
# examples and test fixtures. A crash leaves its input in fuzz/crashes/; turn it
# into a regression test by copying it to tests/fixtures/fuzz/<target>/.
set -euo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/crashes"

seed() {  # seed <target> <files...>
  local dir="$work/corpus-$1"; shift
  mkdir -p "$dir"
  local i=0
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/seed-$((i++))"
  done
  if [ -d "$root/tests/fixtures/fuzz/$target" ]; then
    cp "$root/tests/fixtures/fuzz/$target/"* "$dir/" 2>/dev/null || true
  fi
}

status=0
for target in loader engine config reporters; do
  case "$target" in
    loader|engine) files=$(find "$root/examples" "$root/tests/fixtures" -name '*.yaml' -size -16k | sort | head -n 200) ;;
    config) files=$(find "$root" -maxdepth 3 \( -name '*.toml' \) -not -path '*/.venv/*' | sort | head -n 50) ;;
    reporters) files=$(find "$root/tests/fixtures/lint" -name '*.yaml' | sort) ;;
  esac
  # shellcheck disable=SC2086
  seed "$target" $files
  echo "== fuzz $target for ${seconds}s"
  if ! python "$here/fuzz.py" "$target" "$work/corpus-$target" \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
      -artifact_prefix="$here/crashes/$target-" -print_final_stats=1 2>"$work/$target.log"; then
    status=1
    echo "fuzz target $target found a crash:"; tail -n 40 "$work/$target.log"
  else
    grep -E "stat::number_of_executed_units|Done" "$work/$target.log" | tail -n 2 || true
  fi
done
exit $status
