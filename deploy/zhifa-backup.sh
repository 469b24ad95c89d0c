#!/bin/sh
# Daily backup (deploy/systemd/zhifa-backup.service): a new directory per run, the old ones beyond
# ZHIFA_BACKUP_KEEP_DAYS removed; then `zhifa blobs gc` — never during the backup, which relies on
# content-addressed blobs not disappearing while it copies them.
set -eu
root="${ZHIFA_BACKUP_ROOT:-/var/backups/zhifa}"
keep="${ZHIFA_BACKUP_KEEP_DAYS:-14}"
zhifa="${ZHIFA_BIN:-/opt/zhifa/.venv/bin/zhifa}"
dest="$root/$(date +%Y%m%d-%H%M%S)"
"$zhifa" backup "$dest"
find "$root" -mindepth 1 -maxdepth 1 -type d -mtime +"$keep" -exec rm -rf {} +
"$zhifa" blobs gc
