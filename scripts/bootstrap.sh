#!/bin/sh
# The README's two commands run through here: make sure the pinned pnpm exists, install,
# build, then run what was asked (`start` or `test`). Safe to run again and again.
set -eu
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
export TURBO_TELEMETRY_DISABLED=1
export PATH="$PWD/.tools/node_modules/.bin:$PATH"

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "› installing pnpm $PNPM_VERSION"
  # Global first (what the README promises); without rights to the global folder, a local copy.
  npm install -g --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null 2>&1 ||
    npm install --prefix .tools --no-save --no-package-lock "pnpm@$PNPM_VERSION" >/dev/null
  hash -r 2>/dev/null || true
fi

echo "› installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
echo "› building"
pnpm exec turbo run build --output-logs=errors-only

case "${1:-}" in
  start) shift; exec pnpm run --silent news2kindle send "$@" ;;
  test) shift; exec pnpm run --silent test:all "$@" ;;
  *) ;;
esac
