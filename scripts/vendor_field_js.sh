#!/usr/bin/env bash
# Vendors the field (PWA) JavaScript into zhifa/static/vendor/ from the npm registry, pinned:
#   workbox-sw + workbox-core/routing/strategies/expiration (the service worker's routing and caching),
#   idb (a small promise wrapper of IndexedDB: the offline capture queue).
# Run it again to upgrade (change the versions here); commit what it writes. Nothing is fetched at
# run time: the site serves these files itself (the CSP allows scripts from our own origin only).
set -euo pipefail
WORKBOX=7.4.1
IDB=8.0.4
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/zhifa/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "workbox-sw@$WORKBOX" "workbox-core@$WORKBOX" "workbox-routing@$WORKBOX" \
  "workbox-strategies@$WORKBOX" "workbox-expiration@$WORKBOX" "idb@$IDB" >/dev/null
rm -rf "$OUT/workbox" "$OUT/idb"
mkdir -p "$OUT/workbox" "$OUT/idb"
cp node_modules/workbox-sw/build/workbox-sw.js "$OUT/workbox/"
for m in core routing strategies expiration; do
  cp "node_modules/workbox-$m/build/workbox-$m.prod.js" "$OUT/workbox/"
done
cp node_modules/workbox-sw/LICENSE "$OUT/workbox/LICENSE.txt"
printf 'workbox %s (npm: workbox-sw, workbox-core, workbox-routing, workbox-strategies, workbox-expiration)\n' \
  "$WORKBOX" > "$OUT/workbox/VERSION.txt"
cp node_modules/idb/build/umd.js "$OUT/idb/idb.umd.js"
cp node_modules/idb/LICENSE "$OUT/idb/LICENSE.txt"
printf 'idb %s (npm: idb, build/umd.js)\n' "$IDB" > "$OUT/idb/VERSION.txt"
# The bundles end with a sourceMappingURL to a .map file we do not ship; drop the comment.
sed -i '/^\/\/# sourceMappingURL=/d' "$OUT"/workbox/*.js "$OUT"/idb/*.js
ls -l "$OUT/workbox" "$OUT/idb"
