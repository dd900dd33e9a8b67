#!/bin/sh
# The quick start on a bare Debian: bootstrap a minimal Debian (no desktop, no X
# libraries), install annotator from this checkout into a fresh venv (not editable),
# then start the window on an X server (Xvfb on this machine, its socket shared into
# the chroot) and install the packages benchmarks/check_bare_linux.py names, one
# round at a time, until the window starts. Prints one JSON object per round and a
# last one with every package that had to be installed.
#
# Needs root, debootstrap, Xvfb and network access to the Debian mirror and to PyPI:
#   apt-get install -y debootstrap xvfb
#   sudo sh benchmarks/check_bare_linux.sh [SUITE] [FOLDER]      # default: bookworm /tmp/bare-linux
set -eu
SUITE=${1:-bookworm}
ROOT=${2:-/tmp/bare-linux}/$SUITE
SRC=$(cd "$(dirname "$0")/.." && pwd)
DISPLAY_NUMBER=${DISPLAY_NUMBER:-93}
log=$(mktemp)

if [ ! -x "$ROOT/opt/venv/bin/python" ]; then
    debootstrap --variant=minbase "$SUITE" "$ROOT" http://deb.debian.org/debian >"$log" 2>&1
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # A proxy's certificate authority, when pip on this machine needs one.
    cp "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" "$ROOT/opt/ca.crt"
    chroot "$ROOT" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates' >>"$log" 2>&1
    mkdir -p "$ROOT/opt/src"
    (cd "$SRC" && git archive HEAD) | tar -x -C "$ROOT/opt/src"
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root PIP_CERT=/opt/ca.crt sh -c \
        'python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --upgrade pip && /opt/venv/bin/pip install -q /opt/src' >>"$log" 2>&1
fi
cp "$SRC/benchmarks/check_bare_linux.py" "$ROOT/opt/check_bare_linux.py"

for fs in proc sys dev tmp/.X11-unix; do
    mkdir -p "/$fs" "$ROOT/$fs"
    mountpoint -q "$ROOT/$fs" || mount --bind "/$fs" "$ROOT/$fs"
done
Xvfb ":$DISPLAY_NUMBER" -screen 0 1280x800x24 -nolisten tcp >>"$log" 2>&1 &
xvfb=$!
cleanup() {
    kill "$xvfb" 2>/dev/null || true
    for fs in tmp/.X11-unix dev sys proc; do umount "$ROOT/$fs" 2>/dev/null || true; done
}
trap cleanup EXIT
while [ ! -S "/tmp/.X11-unix/X$DISPLAY_NUMBER" ]; do sleep 0.2; done

installed=""
round=0
while :; do
    round=$((round + 1))
    report=$(chroot "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root \
        /opt/venv/bin/python /opt/check_bare_linux.py --start --display ":$DISPLAY_NUMBER")
    echo "$report" | chroot "$ROOT" /opt/venv/bin/python -c \
        'import json, sys; r = json.load(sys.stdin); print(json.dumps({"round": int(sys.argv[1]), "missing": sorted(r["missing"]), "window": r["window"]}))' "$round"
    started=$(echo "$report" | grep -c '"started": true' || true)
    [ "$started" -gt 0 ] && break
    packages=$(echo "$report" | sed -n 's/.*"apt_install": "sudo apt install \(.*\)".*/\1/p')
    if [ -z "$packages" ] || [ "$round" -gt 5 ]; then
        echo '{"started": false, "reason": "a library that check_bare_linux.py cannot name is missing; see the last round"}'
        exit 1
    fi
    chroot "$ROOT" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages" >>"$log" 2>&1
    installed="$installed $packages"
done
printf '{"suite": "%s", "started": true, "installed": "%s", "apt_install": "sudo apt install%s"}\n' \
    "$SUITE" "$(echo $installed)" "$installed"
