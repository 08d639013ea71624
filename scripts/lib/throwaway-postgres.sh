# shellcheck shell=bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for scripts/test and scripts/bench: a fresh
# temp dir, a free port, trust auth, superuser "postgres", no durability (fsync off).
#
# Source it from a script that runs with `set -euo pipefail` and defines log() and die(), then:
#
#   WORK_DIR="$(mktemp -d ...)"
#   throwaway_pg_trap "$WORK_DIR"     # on exit: stop the cluster, remove WORK_DIR, keep the exit code
#   throwaway_pg_start "$WORK_DIR" PLUGBOARD_TEST_POSTGRES "the tests" ./scripts/test
#
# throwaway_pg_start exports the named variable as an Npgsql connection string to the
# "postgres" database. PostgreSQL server binaries are installed from Debian when missing and
# running as root; as root the server runs as the "postgres" OS user (it refuses root).

THROWAWAY_PG_IS_ROOT=0
[[ "$(id -u)" == 0 ]] && THROWAWAY_PG_IS_ROOT=1
THROWAWAY_PG_SCRATCH=""
THROWAWAY_PG_DIR=""
THROWAWAY_PG_DATA=""
THROWAWAY_PG_LOG=""
THROWAWAY_PG_BIN=""
THROWAWAY_PG_STARTED=0

# Runs a PostgreSQL server binary as the right OS user (never as root), from a
# directory that user can read.
throwaway_pg_run() {
    if [[ $THROWAWAY_PG_IS_ROOT == 1 ]]; then
        (cd "$THROWAWAY_PG_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$THROWAWAY_PG_DIR" && "$@")
    fi
}

# Stops the cluster if this script started it; safe to call more than once.
throwaway_pg_stop() {
    if [[ $THROWAWAY_PG_STARTED == 1 ]]; then
        log "stopping throwaway PostgreSQL cluster"
        throwaway_pg_run "$THROWAWAY_PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
        THROWAWAY_PG_STARTED=0
    fi
}

throwaway_pg_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    throwaway_pg_stop
    [[ -n "$THROWAWAY_PG_SCRATCH" ]] && rm -rf "$THROWAWAY_PG_SCRATCH"
    exit "$rc"
}

# throwaway_pg_trap SCRATCH_DIR: whatever the outcome, stop the cluster and remove SCRATCH_DIR
# on exit, keeping the exit code (130 on Ctrl-C, 143 on TERM).
throwaway_pg_trap() {
    THROWAWAY_PG_SCRATCH="$1"
    trap throwaway_pg_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

throwaway_pg_find_bin() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" ]] || continue
        if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n1)" == "$d" ]]; then
            best="$d"
        fi
    done
    printf '%s' "$best"
}

# Is something already listening on 127.0.0.1:$1?
throwaway_pg_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# throwaway_pg_start SCRATCH_DIR VARIABLE WHO COMMAND
#   SCRATCH_DIR  the cluster lives in SCRATCH_DIR/pg
#   VARIABLE     exported as the connection string, e.g. PLUGBOARD_TEST_POSTGRES
#   WHO, COMMAND for the hint when PostgreSQL is missing: "point WHO at an existing server: VARIABLE=... COMMAND"
throwaway_pg_start() {
    local scratch="$1" variable="$2" who="$3" command="$4"
    THROWAWAY_PG_DIR="$scratch/pg"          # owned by the user running PostgreSQL
    THROWAWAY_PG_DATA="$THROWAWAY_PG_DIR/data"
    THROWAWAY_PG_LOG="$THROWAWAY_PG_DIR/postgres.log"

    THROWAWAY_PG_BIN="$(throwaway_pg_find_bin)"
    if [[ -z "$THROWAWAY_PG_BIN" ]]; then
        if [[ $THROWAWAY_PG_IS_ROOT == 1 ]]; then
            log "PostgreSQL server not found; installing it from Debian (apt-get install postgresql)"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
            THROWAWAY_PG_BIN="$(throwaway_pg_find_bin)"
            [[ -n "$THROWAWAY_PG_BIN" ]] || die "installed postgresql, but no initdb under /usr/lib/postgresql/*/bin/"
        else
            die "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb).
Install them with: sudo apt-get install postgresql
or point $who at an existing server:
  $variable='Host=...;Port=...;Username=...;Password=...;Database=postgres' $command"
        fi
    fi

    mkdir -p "$THROWAWAY_PG_DIR"
    if [[ $THROWAWAY_PG_IS_ROOT == 1 ]]; then
        # PostgreSQL refuses to run as root: run it as the "postgres" OS user.
        if ! id -u postgres >/dev/null 2>&1; then
            log "creating system user 'postgres'"
            useradd --system --user-group --no-create-home \
                --home-dir /var/lib/postgresql --shell /bin/bash postgres
        fi
        chmod 755 "$scratch"
        chown postgres: "$THROWAWAY_PG_DIR"
        runuser -u postgres -- test -w "$THROWAWAY_PG_DIR" \
            || die "user 'postgres' cannot write to $THROWAWAY_PG_DIR (is TMPDIR=${TMPDIR:-/tmp} reachable for it?)"
    fi
    chmod 700 "$THROWAWAY_PG_DIR"

    log "initialising throwaway PostgreSQL cluster ($("$THROWAWAY_PG_BIN/postgres" --version)) in $THROWAWAY_PG_DATA"
    if ! throwaway_pg_run "$THROWAWAY_PG_BIN/initdb" -D "$THROWAWAY_PG_DATA" -U postgres -A trust -E UTF8 --no-locale -N \
            >"$THROWAWAY_PG_DIR/initdb.log" 2>&1; then
        cat "$THROWAWAY_PG_DIR/initdb.log" >&2
        die "initdb failed"
    fi

    # Pick a free port on 127.0.0.1 in 55432..55531, starting at a random offset
    # so that concurrent runs rarely collide; retry if the server cannot bind.
    local offset=$((RANDOM % 100)) i port=""
    for ((i = 0; i < 100; i++)); do
        local p=$((55432 + (offset + i) % 100))
        throwaway_pg_port_in_use "$p" && continue
        if throwaway_pg_run "$THROWAWAY_PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DATA" -l "$THROWAWAY_PG_LOG" -w -t 30 -s \
                -o "-c listen_addresses=127.0.0.1 -p $p -k $THROWAWAY_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
                start >/dev/null 2>&1; then
            port="$p"
            THROWAWAY_PG_STARTED=1
            break
        fi
        # Could not start (most likely lost a race for the port): make sure it is
        # down, then try the next port.
        throwaway_pg_run "$THROWAWAY_PG_BIN/pg_ctl" -D "$THROWAWAY_PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
        if ! grep -qiE 'could not (bind|create listen)|address already in use' "$THROWAWAY_PG_LOG" 2>/dev/null; then
            cat "$THROWAWAY_PG_LOG" >&2 || true
            die "PostgreSQL failed to start"
        fi
        : >"$THROWAWAY_PG_LOG"
    done
    [[ -n "$port" ]] || die "no free TCP port found on 127.0.0.1 in 55432..55531"

    # Wait (max ~30 s) until it accepts connections.
    for ((i = 0; i < 60; i++)); do
        if "$THROWAWAY_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
            break
        fi
        sleep 0.5
    done
    "$THROWAWAY_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres || {
        cat "$THROWAWAY_PG_LOG" >&2 || true
        die "PostgreSQL on 127.0.0.1:$port did not accept connections within 30 s"
    }

    log "PostgreSQL is up on 127.0.0.1:$port"
    export "$variable=Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}
