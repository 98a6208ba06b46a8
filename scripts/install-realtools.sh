#!/usr/bin/env bash
# Installs the real coding-tool CLIs used by tests/realtools into $ROOT/.realtools (git-ignored).
# Idempotent: does nothing when every package is already installed at its pinned version.
# Exits 0 with a warning when npm is missing, so the realtools tests simply skip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.realtools"

PACKAGES=(
  "@anthropic-ai/claude-code@2.1.197"
  "opencode-ai@1.18.33"
  "cline@3.0.65"
  "@roo-code/types@1.115.0"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "install-realtools: WARNING: npm not found; the realtools tests will be skipped" >&2
  exit 0
fi

installed_version() {
  # Prints the version in node_modules/<name>/package.json, or nothing.
  local manifest="$PREFIX/node_modules/$1/package.json"
  [[ -f "$manifest" ]] || return 0
  node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version' "$manifest" \
    2>/dev/null || true
}

missing=0
for spec in "${PACKAGES[@]}"; do
  name="${spec%@*}"
  want="${spec##*@}"
  have="$(installed_version "$name")"
  if [[ "$have" != "$want" ]]; then
    missing=1
    echo "install-realtools: $name is ${have:-absent}, want $want"
  fi
done

if [[ "$missing" == 0 ]]; then
  echo "install-realtools: all tools already installed in $PREFIX"
  exit 0
fi

mkdir -p "$PREFIX"
npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "${PACKAGES[@]}"
echo "install-realtools: installed into $PREFIX"
