#!/usr/bin/env bash
# Install what the `smplan build` tests need, quietly and only what is missing:
#   - Debian: Chromium (end-to-end test), Pango and HarfBuzz (WeasyPrint),
#     DejaVu and Noto Color Emoji (system fonts, which must not change a PDF:
#     the theme carries its own), poppler-utils (pdftoppm, to look at pages),
#     a Java runtime (the Nu HTML Checker);
#   - PyPI: WeasyPrint, Babel, pypdf and Playwright (the Python driver only:
#     Playwright drives Debian's /usr/bin/chromium, never a downloaded browser);
#   - npm: markdownlint-cli2, vnu-jar and mermaid (its browser bundle, loaded
#     into Chromium to check the Markdown's diagrams), into .ci/node/ (git-ignored).
# Safe to run again: a second run with everything present does nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_dir="$root/.ci/node"
markdownlint_version="0.22.0" # 0.23 and later need Node.js 22
vnu_version="26.9.27"
mermaid_version="11.17.2" # 12 and later need Node.js 22
python="${PYTHON:-python3}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
quiet() {
  if ! "$@" >"$log" 2>&1; then
    echo "install-build-tools: failed: $*" >&2
    cat "$log" >&2
    return 1
  fi
}

# ------------------------------------------------------------------ Debian
packages=(chromium fonts-dejavu-core fonts-noto-color-emoji libpango-1.0-0
  libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
if ! command -v java >/dev/null 2>&1; then
  packages+=(default-jre-headless)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]})); then
  quiet apt-get update
  DEBIAN_FRONTEND=noninteractive quiet apt-get install -y --no-install-recommends "${missing[@]}"
fi

java_major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
if [[ -z "$java_major" || "$java_major" -lt 11 ]]; then
  echo "install-build-tools: the Nu HTML Checker needs Java 11 or later (found: ${java_major:-none})" >&2
  exit 1
fi

# ------------------------------------------------------------------- PyPI
if ! "$python" -c "import weasyprint, babel, pypdf, playwright" >/dev/null 2>&1; then
  quiet "$python" -m pip install --disable-pip-version-check \
    "weasyprint>=68" "babel>=2.14" "pypdf>=4" "playwright>=1.40"
fi

# -------------------------------------------------------------------- npm
installed_version() { # package -> version installed in .ci/node, or nothing
  # read as JSON: vnu-jar's package.json is a single line, which a sed missed
  local manifest="$node_dir/node_modules/$1/package.json"
  [[ -f "$manifest" ]] && node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null
  return 0
}
if [[ "$(installed_version markdownlint-cli2)" != "$markdownlint_version" ||
  "$(installed_version vnu-jar)" != "$vnu_version" ||
  "$(installed_version mermaid)" != "$mermaid_version" ]]; then
  mkdir -p "$node_dir"
  quiet npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error \
    "markdownlint-cli2@$markdownlint_version" "vnu-jar@$vnu_version" \
    "mermaid@$mermaid_version"
fi
