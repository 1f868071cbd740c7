#!/bin/sh
# Install PostgreSQL and RT 5's PostgreSQL backend from Debian, for the team-deployment test
# (tests/sync/test_rt_postgres.py) and as the recipe docs/team-deployment.md describes.
#
# Idempotent and non-interactive (no stdin needed). Installs `postgresql` and
# `rt5-db-postgresql` (which brings libdbd-pg-perl, DBD::Pg) unless they are installed, runs
# .ci/install-rt.sh first when RT itself is missing, and starts the PostgreSQL cluster when it is
# not running (pg_ctlcluster; `service postgresql start` as the fallback; a cluster is created
# with pg_createcluster only when there is none).
#
# RT's global Debian configuration is NOT switched to PostgreSQL: debconf is preseeded so that
# dbconfig-common creates no database and /etc/request-tracker5/RT_SiteConfig.d stays as it was
# (the script checks). Every test instance writes its own site config (RT_SITE_CONFIG) and makes
# its own database, so the SQLite RT of the other tests is untouched.
#
# Prints how long each step took. Always exits 0: when something fails the PostgreSQL tests are
# skipped with a reason, and this script says why on stderr (apt log: /tmp/install-rt-postgres.log).
set -u

PKGS="postgresql rt5-db-postgresql"
LOG=/tmp/install-rt-postgres.log
export DEBIAN_FRONTEND=noninteractive
export CI="${CI:-true}"

say() { echo "install-rt-postgres: $*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}
siteconf_sum() {
    # what RT's global site config says now (to prove this script did not switch it)
    cat /etc/request-tracker5/RT_SiteConfig.pm /etc/request-tracker5/RT_SiteConfig.d/*.pm \
        2>/dev/null | md5sum | cut -d' ' -f1
}

t_start=$(now)
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n -E"
    else
        SUDO=""
        NOROOT=1
    fi
else
    SUDO=""
fi

# --- RT itself (the SQLite recipe; idempotent, ~0.05 s when present) -------------------------
if ! installed request-tracker5; then
    say "RT 5 is not installed: running .ci/install-rt.sh first"
    sh "$here/install-rt.sh" </dev/null
fi
t_rt=$(now)

# --- the packages ----------------------------------------------------------------------------
missing=""
for p in $PKGS; do
    installed "$p" || missing="$missing $p"
done

before=$(siteconf_sum)
if [ -z "$missing" ]; then
    say "postgresql $(dpkg-query -W -f='${Version}' postgresql) and rt5-db-postgresql already installed"
elif [ "${NOROOT:-0}" = "1" ]; then
    say "not root and no passwordless sudo: cannot install$missing; PostgreSQL tests will be skipped" >&2
    exit 0
else
    say "missing:$missing; preseeding debconf"
    # The same answers as install-rt.sh: no dbconfig-common database, the global RT stays on the
    # (unused) SQLite config; nothing may prompt.
    $SUDO debconf-set-selections <<'EOF'
request-tracker5 request-tracker5/dbconfig-install boolean false
request-tracker5 request-tracker5/dbconfig-upgrade boolean false
request-tracker5 request-tracker5/dbconfig-remove boolean false
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/install-cronjobs boolean false
EOF
    if ! apt-cache show rt5-db-postgresql >/dev/null 2>&1; then
        say "apt-get update"
        $SUDO apt-get update -qq </dev/null >>"$LOG" 2>&1 || true
    fi
    say "apt-get install$missing"
    # shellcheck disable=SC2086
    if ! $SUDO apt-get install -y -qq --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            $PKGS </dev/null >>"$LOG" 2>&1; then
        say "apt-get could not install$missing (log: $LOG); PostgreSQL tests will be skipped" >&2
        tail -n 20 "$LOG" >&2 2>/dev/null || true
        exit 0
    fi
fi
t_apt=$(now)
if [ "$(siteconf_sum)" != "$before" ]; then
    say "WARNING: /etc/request-tracker5 site config changed during the install" >&2
fi

# --- the cluster -----------------------------------------------------------------------------
# Docker images forbid service starts during apt (policy-rc.d exit 101): start it here.
if ! command -v pg_lsclusters >/dev/null 2>&1; then
    say "pg_lsclusters not found: postgresql-common is missing; PostgreSQL tests will be skipped" >&2
    exit 0
fi
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
    say "no PostgreSQL cluster: pg_createcluster $ver main"
    $SUDO pg_createcluster "$ver" main >>"$LOG" 2>&1 || true
fi
pg_lsclusters -h 2>/dev/null | while read -r ver name port status _rest; do
    case "$status" in
        online*) say "cluster $ver/$name already online on port $port" ;;
        *)
            say "starting cluster $ver/$name (port $port)"
            $SUDO pg_ctlcluster "$ver" "$name" start </dev/null >>"$LOG" 2>&1 \
                || $SUDO service postgresql start </dev/null >>"$LOG" 2>&1 \
                || say "could not start cluster $ver/$name (log: $LOG)" >&2
            ;;
    esac
done
port=$(pg_lsclusters -h 2>/dev/null | awk '$4 ~ /^online/ { print $3; exit }')
ready=0
for _i in $(seq 1 100); do
    if [ -n "$port" ] && pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.1
    port=$(pg_lsclusters -h 2>/dev/null | awk '$4 ~ /^online/ { print $3; exit }')
done
t_pg=$(now)

if perl -MDBD::Pg -e1 2>/dev/null; then
    dbd="DBD::Pg $(perl -MDBD::Pg -e 'print $DBD::Pg::VERSION')"
else
    dbd="DBD::Pg MISSING"
fi
if [ "$ready" = "1" ]; then
    say "PostgreSQL accepting connections on 127.0.0.1:$port; $dbd"
else
    say "PostgreSQL is not accepting connections (log: $LOG); PostgreSQL tests will be skipped" >&2
fi
say "timings: rt $(secs "$t_start" "$t_rt") s, apt $(secs "$t_rt" "$t_apt") s," \
    "cluster $(secs "$t_apt" "$t_pg") s, total $(secs "$t_start" "$t_pg") s"
exit 0
