#!/usr/bin/env bash
# A small file system of its own for the full-disk test (FullDiskIT): a tmpfs of SIZE MiB mounted on DIR.
#
#   small-disk.sh mount DIR SIZE_MIB   mount it (once; a tmpfs already there is reused, emptied)
#   small-disk.sh umount DIR           unmount it, if this script mounted it
#
# Mounting needs root (CI runs as root) or sudo without a password; anything else fails loudly.
set -euo pipefail
cmd="${1:?mount|umount}"
DIR="${2:?dir}"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
case "$cmd" in
  mount)
    SIZE="${3:?size in MiB}"
    mkdir -p "$DIR"
    if mountpoint -q "$DIR"; then
      [ "$(findmnt -no FSTYPE "$DIR")" = tmpfs ] || { echo "FATAL: $DIR is a mount point, but not a tmpfs" >&2; exit 1; }
      find "$DIR" -mindepth 1 -delete
    else
      as_root mount -t tmpfs -o "size=${SIZE}m,mode=1777" rcs-small-disk "$DIR" \
        || { echo "FATAL: cannot mount a ${SIZE} MiB tmpfs on $DIR (needs root or passwordless sudo)" >&2; exit 1; }
    fi
    echo "small disk: $(df -h --output=size,avail "$DIR" | tail -1 | xargs) on $DIR"
    ;;
  umount)
    if mountpoint -q "$DIR" && [ "$(findmnt -no SOURCE "$DIR")" = rcs-small-disk ]; then as_root umount "$DIR"; fi
    ;;
  *) echo "usage: $0 mount DIR SIZE_MIB | umount DIR" >&2; exit 2 ;;
esac
