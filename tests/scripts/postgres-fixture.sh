#!/usr/bin/env bash
# A throwaway PostgreSQL server for the gateway storage tests (a CTest fixture):
#   postgres-fixture.sh start PORT DIR   initdb in DIR, listen on 127.0.0.1:PORT only, create the
#                                        database zaitaku_test owned by the role zaitaku, and
#                                        the roles zaitaku_owner and zaitaku_gateway
#   postgres-fixture.sh stop PORT DIR    stop it and remove DIR
# Test-only settings: trust authentication on loopback and fsync off (nothing here must survive a
# power cut). initdb refuses to run as root, so as root the server runs as the `postgres` user
# that Debian's postgresql package creates.
set -euo pipefail
action=${1:?start|stop} port=${2:?port} dir=${3:?data dir}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bindir" ]]; then
    echo "postgres-fixture: no PostgreSQL server binaries (apt install postgresql; scripts/setup.sh does)" >&2
    exit 1
fi
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
stop_server() {
    if [[ -f "$dir/postmaster.pid" ]]; then
        as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_owner "$bindir/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
}

case "$action" in
start)
    stop_server # a server left behind by a killed run
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir" -U zaitaku --auth=trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 ||
        { cat "$dir.initdb.log" >&2; exit 1; }
    if ! as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off -c max_connections=60" \
        start >/dev/null; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U zaitaku zaitaku_test
    # A deployment's two roles (docs/OPERATIONS.md, PostgreSQL): the schema owner that migrates and
    # the gateway's own, which may not alter what it writes to.
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U zaitaku -d zaitaku_test -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE zaitaku_owner LOGIN" -c "CREATE ROLE zaitaku_gateway LOGIN"
    rm -f "$dir.initdb.log"
    echo "postgres-fixture: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
    ;;
stop)
    stop_server
    rm -rf "$dir"
    echo "postgres-fixture: stopped"
    ;;
*)
    echo "usage: postgres-fixture.sh start|stop PORT DIR" >&2
    exit 2
    ;;
esac
