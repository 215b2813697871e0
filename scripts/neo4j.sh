#!/usr/bin/env bash
# A real Neo4j 5 Community server (with Neo4j Browser) from Maven Central, without Docker.
#
#   scripts/neo4j.sh start     fetch the jars once (Maven, cached), start, wait until ready, print the URIs
#   scripts/neo4j.sh stop      stop the server started from this home (by its pid)
#   scripts/neo4j.sh status    say whether it runs (exit 0) or not (exit 3)
#   scripts/neo4j.sh admin …   run neo4j-admin on this home, e.g. `admin database import full …`
#   scripts/neo4j.sh fetch     only fetch the jars
#
# Settings (environment):
#   NEO4J_HOME_DIR   server home: conf/, data/, logs/, run/   (default .neo4j/home in the repo)
#   NEO4J_BOLT_PORT  Bolt port on 127.0.0.1                   (default 7687)
#   NEO4J_HTTP_PORT  HTTP + Neo4j Browser port on 127.0.0.1   (default 7474)
#   NEO4J_HEAP       Java heap cap                            (default 1g)
#   NEO4J_PAGECACHE  page cache size                          (default 256m)
#   NEO4J_PASSWORD   turns authentication on (user neo4j, this password, at least 8 characters);
#                    without it authentication is off, as the server listens on loopback only.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
LIB="$REPO/.neo4j/lib"
POM="$REPO/scripts/neo4j/pom.xml"
HOME_DIR="${NEO4J_HOME_DIR:-$REPO/.neo4j/home}"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
STARTUP_TIMEOUT="${NEO4J_STARTUP_TIMEOUT:-240}"
PIDFILE="$HOME_DIR/run/govkg-neo4j.pid"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

die() { echo "neo4j.sh: $*" >&2; exit 1; }

fetch() {
  # The jars are fetched again only when the pom changes; Maven caches downloads in ~/.m2.
  local stamp
  stamp="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [ -f "$LIB/.fetched" ] && [ "$(cat "$LIB/.fetched")" = "$stamp" ]; then return; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch Neo4j: apt-get install maven"
  rm -rf "$LIB"
  mkdir -p "$REPO/.neo4j"
  echo "neo4j.sh: fetching Neo4j from Maven Central into $LIB (once)" >&2
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$LIB" \
    >"$REPO/.neo4j/fetch.log" 2>&1; then
    tail -n 30 "$REPO/.neo4j/fetch.log" >&2
    die "Maven could not fetch Neo4j (log: $REPO/.neo4j/fetch.log)"
  fi
  echo "$stamp" > "$LIB/.fetched"
}

pid_running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

write_conf() {
  mkdir -p "$HOME_DIR/conf" "$HOME_DIR/data" "$HOME_DIR/logs" "$HOME_DIR/run" "$HOME_DIR/import" "$HOME_DIR/plugins"
  local auth=false
  [ -n "${NEO4J_PASSWORD:-}" ] && auth=true
  cat > "$HOME_DIR/conf/neo4j.conf" <<EOF
# Written by scripts/neo4j.sh on each start; edit the script's settings, not this file.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$BOLT_PORT
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.http.advertised_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false
dbms.security.auth_enabled=$auth
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
server.directories.data=$HOME_DIR/data
server.directories.logs=$HOME_DIR/logs
server.directories.run=$HOME_DIR/run
server.directories.import=$HOME_DIR/import
server.directories.plugins=$HOME_DIR/plugins
dbms.usage_report.enabled=false
EOF
}

admin() {
  fetch
  write_conf
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf" \
    "$JAVA" -Xmx"$HEAP" -cp "$LIB/*" org.neo4j.cli.AdminTool "$@"
}

ready() {
  # Started once Bolt accepts connections and the log says the databases are up.
  (exec 3<>"/dev/tcp/127.0.0.1/$BOLT_PORT") 2>/dev/null && grep -q "Started\.$" "$HOME_DIR/logs/neo4j.log" 2>/dev/null
}

start() {
  if pid_running; then
    echo "Neo4j already runs (pid $(cat "$PIDFILE")) from $HOME_DIR"
    print_uris
    return
  fi
  fetch
  write_conf
  if [ -n "${NEO4J_PASSWORD:-}" ] && [ ! -d "$HOME_DIR/data/databases/system" ]; then
    admin dbms set-initial-password "$NEO4J_PASSWORD" >/dev/null || die "could not set the initial password"
  fi
  rm -f "$HOME_DIR/logs/neo4j.log"
  setsid "$JAVA" -Xmx"$HEAP" -XX:+UseG1GC -cp "$LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$HOME_DIR" --config-dir="$HOME_DIR/conf" \
    >"$HOME_DIR/logs/console.log" 2>&1 </dev/null &
  echo $! > "$PIDFILE"
  local waited=0
  until ready; do
    if ! pid_running; then
      tail -n 30 "$HOME_DIR/logs/console.log" "$HOME_DIR/logs/neo4j.log" >&2 2>/dev/null || true
      rm -f "$PIDFILE"
      die "Neo4j exited during start-up (logs in $HOME_DIR/logs)"
    fi
    if [ "$waited" -ge "$STARTUP_TIMEOUT" ]; then
      stop >/dev/null
      die "Neo4j was not ready after ${STARTUP_TIMEOUT}s (logs in $HOME_DIR/logs)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "Neo4j $(version) started (pid $(cat "$PIDFILE")), home $HOME_DIR"
  print_uris
}

version() {
  sed -n 's/.*======== Neo4j \(.*\) ========.*/\1/p' "$HOME_DIR/logs/neo4j.log" 2>/dev/null | tail -n 1
}

print_uris() {
  echo "Bolt:    bolt://127.0.0.1:$BOLT_PORT"
  echo "HTTP:    http://127.0.0.1:$HTTP_PORT/"
  echo "Browser: http://127.0.0.1:$HTTP_PORT/browser/"
  if [ -n "${NEO4J_PASSWORD:-}" ]; then echo "Auth:    neo4j / \$NEO4J_PASSWORD"; else echo "Auth:    none (loopback only)"; fi
}

stop() {
  if ! pid_running; then
    rm -f "$PIDFILE"
    echo "Neo4j is not running from $HOME_DIR"
    return
  fi
  local pid waited=0
  pid="$(cat "$PIDFILE")"
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 60 ]; then kill -9 "$pid" 2>/dev/null || true; fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE"
  echo "Neo4j stopped (pid $pid)"
}

status() {
  if pid_running; then
    echo "Neo4j runs (pid $(cat "$PIDFILE")) from $HOME_DIR"
    print_uris
  else
    echo "Neo4j is not running from $HOME_DIR"
    exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  admin) shift; admin "$@" ;;
  *) echo "usage: $0 start|stop|status|fetch|admin ARGS…" >&2; exit 2 ;;
esac
