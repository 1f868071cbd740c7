#!/bin/sh
# Install Request Tracker 5 from Debian for the RT integration tests (tests/sync).
#
# Idempotent and non-interactive. Installs rt5-standalone, rt5-db-sqlite and
# request-tracker5 unless they are already installed. debconf is preseeded so that
# dbconfig-common does NOT create the global database (/var/lib/dbconfig-common/...):
# every test session builds its own RT database in a temporary directory instead
# (see tests/sync/rt_server.py and docs/rt.md).
#
# Always exits 0: when apt fails the RT tests are skipped with a reason, and this
# script says why on stderr.
set -u

PKGS="rt5-standalone rt5-db-sqlite request-tracker5"
export DEBIAN_FRONTEND=noninteractive

say() { echo "install-rt: $*"; }

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    say "RT 5 already installed ($(dpkg-query -W -f='${Version}' request-tracker5)); nothing to do"
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n -E"
    else
        say "not root and no passwordless sudo: cannot install$missing; RT tests will be skipped" >&2
        exit 0
    fi
else
    SUDO=""
fi

say "missing:$missing; preseeding debconf"
# No global database (each test session creates its own), no cron jobs, and fixed answers
# for the questions that would otherwise prompt.
$SUDO debconf-set-selections <<'EOF'
request-tracker5 request-tracker5/dbconfig-install boolean false
request-tracker5 request-tracker5/dbconfig-upgrade boolean false
request-tracker5 request-tracker5/dbconfig-remove boolean false
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/rtname string cs-console-test
request-tracker5 request-tracker5/organization string cs-console.test
request-tracker5 request-tracker5/correspondaddress string rt@cs-console.test
request-tracker5 request-tracker5/commentaddress string rt-comment@cs-console.test
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1
request-tracker5 request-tracker5/webpath string /rt
EOF

start=$(date +%s)
apt_ok=1
# apt-get update only when the package lists do not know RT yet (keeps reruns fast).
if ! apt-cache show request-tracker5 >/dev/null 2>&1; then
    say "apt-get update"
    $SUDO apt-get update -qq || apt_ok=0
fi
say "apt-get install$missing (this takes about a minute)"
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        $PKGS >/tmp/install-rt.log 2>&1; then
    apt_ok=0
fi
end=$(date +%s)

if [ "$apt_ok" = "1" ] && dpkg-query -W -f='${Status}\n' request-tracker5 2>/dev/null \
        | grep -q '^install ok installed$'; then
    say "installed RT $(dpkg-query -W -f='${Version}' request-tracker5) in $((end - start)) s"
else
    say "apt-get could not install RT 5 (log: /tmp/install-rt.log); the RT tests will be skipped" >&2
    tail -n 20 /tmp/install-rt.log >&2 2>/dev/null || true
fi
exit 0
