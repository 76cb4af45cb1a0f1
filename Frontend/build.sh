#!/usr/bin/env bash
# Builds the Ronin NVR web UI into Frontend/dist/ (index.html, app.js, app.css, favicon.svg).
# Type-checks with tsc first, then bundles and minifies with esbuild. Uses only Debian's
# packages under /usr/share/nodejs (React 18, TypeScript, @types); works from any directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

export NODE_PATH=/usr/share/nodejs

echo "frontend: type-checking (tsc $(tsc --version | awk '{print $2}'))"
tsc -p tsconfig.json --noEmit

echo "frontend: bundling (esbuild $(esbuild --version))"
rm -rf dist
mkdir -p dist
esbuild src/main.tsx \
  --bundle \
  --minify \
  --jsx=automatic \
  --target=es2020,chrome100,firefox100,safari15 \
  --define:process.env.NODE_ENV=\"production\" \
  --legal-comments=none \
  --log-level=warning \
  --outfile=dist/app.js

cp index.html dist/index.html
cp -R public/. dist/

for f in index.html app.js app.css; do
  [[ -s "dist/$f" ]] || { echo "frontend: dist/$f is missing or empty" >&2; exit 1; }
done
echo "frontend: built $(du -sh dist | cut -f1) into $here/dist"
