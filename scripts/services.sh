#!/usr/bin/env bash
# Local test services for tributary, on 127.0.0.1 only: PostgreSQL, Redis, Kafka (KRaft).
#
#   scripts/services.sh up     [postgres|redis|kafka ...]  install what is missing, start, wait until ready
#   scripts/services.sh down   [postgres|redis|kafka ...]  stop what this script started
#   scripts/services.sh status [postgres|redis|kafka ...]  one line per service; exit 0 if all run, 3 if not
#   scripts/services.sh reset  [postgres|redis|kafka ...]  down, then delete the service's data (not the cache)
#
# Idempotent: `up` on running services is a quick no-op; a killed service is restarted.
# PostgreSQL and Redis come from Debian packages (apt-get, as root); Kafka comes from the jars on
# Maven Central (scripts/kafka/pom.xml), resolved once into a cache folder, and runs on the JVM.
#
# Environment (defaults in brackets):
#   TRIBUTARY_SERVICES_DIR          [<repo>/.services]  data, logs, pid files, the env file
#   TRIBUTARY_CACHE_DIR             [<repo>/.cache]     Kafka jars go to <cache>/kafka/kafka-<version>/libs
#   TRIBUTARY_PG_PORT               [55432]
#   TRIBUTARY_REDIS_PORT            [56379]
#   TRIBUTARY_KAFKA_PORT            [59092]
#   TRIBUTARY_KAFKA_CONTROLLER_PORT [59093]
#   TRIBUTARY_KAFKA_VERSION         [4.1.1]
#   TRIBUTARY_KAFKA_READY_TIMEOUT   [90]  seconds to wait for the Kafka produce/consume round trip
#
# After `up`, <services dir>/env holds `export TRIBUTARY_POSTGRES_URL=... TRIBUTARY_REDIS_URL=...
# TRIBUTARY_KAFKA_BROKERS=...` for tests to source or parse.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$SCRIPT_DIR")

abs_path() { # make a possibly relative env path absolute (relative to the caller's cwd)
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac
}

SERVICES_DIR=$(abs_path "${TRIBUTARY_SERVICES_DIR:-$REPO_ROOT/.services}")
CACHE_DIR=$(abs_path "${TRIBUTARY_CACHE_DIR:-$REPO_ROOT/.cache}")
PG_PORT=${TRIBUTARY_PG_PORT:-55432}
REDIS_PORT=${TRIBUTARY_REDIS_PORT:-56379}
KAFKA_PORT=${TRIBUTARY_KAFKA_PORT:-59092}
KAFKA_CONTROLLER_PORT=${TRIBUTARY_KAFKA_CONTROLLER_PORT:-59093}
# 4.1.1: Kafka 4.0.0 dropped JoinGroup v0-v1, which kafkajs 2.2.4 uses; 4.0.1+/4.1 restored them.
KAFKA_VERSION=${TRIBUTARY_KAFKA_VERSION:-4.1.1}
KAFKA_READY_TIMEOUT=${TRIBUTARY_KAFKA_READY_TIMEOUT:-90}

HOST=127.0.0.1
PG_USER=tributary
PG_PASSWORD=tributary # local throwaway test password, not a secret
PG_DB=tributary
PG_URL="postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$PG_DB"
PG_URL_SHOWN="postgres://$PG_USER:***@$HOST:$PG_PORT/$PG_DB"
REDIS_URL="redis://$HOST:$REDIS_PORT"
KAFKA_BROKERS="$HOST:$KAFKA_PORT"

REDIS_DIR=$SERVICES_DIR/redis
KAFKA_DIR=$SERVICES_DIR/kafka
KAFKA_HOME=$CACHE_DIR/kafka/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_PROPS=$KAFKA_DIR/server.properties
KAFKA_PIDFILE=$KAFKA_DIR/kafka.pid
KAFKA_HEALTH_TOPIC=__tributary_healthcheck
ENV_FILE=$SERVICES_DIR/env
ALL_SERVICES=(postgres redis kafka)

export LC_ALL=C # stable number formatting (EPOCHREALTIME) and tool output

# ---------------------------------------------------------------------------- helpers

log() { printf 'services: %s\n' "$*" >&2; }

# Line for the caller, on stdout: "<service>  <state>  <where>  (<details>)".
report() { printf '%-9s %-9s %s\n' "$1" "$2" "$3"; }

# Fatal error for one service: why, then the tail of its log, on stderr; exit 1.
fail() {
  local svc=$1 why=$2 logfile=${3:-}
  printf 'services: %s FAILED: %s\n' "$svc" "$why" >&2
  if [[ -n "$logfile" && -s "$logfile" ]]; then
    printf -- '----- last lines of %s -----\n' "$logfile" >&2
    tail -n 40 "$logfile" >&2 || true
    printf -- '-----\n' >&2
  fi
  exit 1
}

since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# Alive and not a zombie (a child of ours that died stays a zombie until reaped).
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

cmdline_of() { [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

read_pidfile() { [[ -s "$1" ]] && head -n 1 "$1" | tr -dc '0-9' || true; }

# TERM a process, wait up to $3 seconds, then KILL it.
stop_pid() {
  local name=$1 pid=$2 grace=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 5; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.2
  done
  log "$name (pid $pid) ignored SIGTERM for ${grace}s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

# apt-get install as root. `apt-get update` runs once per invocation, right before the first install
# (a fresh machine may have empty or stale package lists).
APT_UPDATED=0
POLICY_RC_CREATED=0
apt_install() {
  local svc=$1
  shift
  local aptlog=$SERVICES_DIR/apt.log
  [[ $(id -u) == 0 ]] || fail "$svc" "must run as root to apt-get install $* (or install it yourself)"
  command -v apt-get >/dev/null || fail "$svc" "$* missing and there is no apt-get to install it"
  mkdir -p "$SERVICES_DIR"
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update"
    apt-get update -q >>"$aptlog" 2>&1 || fail "$svc" "apt-get update failed" "$aptlog"
    APT_UPDATED=1
  fi
  # Keep the packages' maintainer scripts from starting the distro's own postgres/redis on
  # 5432/6379: we run private instances. policy-rc.d is the standard Debian switch for that.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
  fi
  log "apt-get install $* (log: $aptlog)"
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >>"$aptlog" 2>&1 || rc=$?
  if [[ $POLICY_RC_CREATED == 1 ]]; then
    rm -f /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=0
  fi
  [[ $rc == 0 ]] || fail "$svc" "apt-get install $* failed" "$aptlog"
}

HEALTH_CONSUMER_PID=
cleanup() {
  if [[ $POLICY_RC_CREATED == 1 ]]; then rm -f /usr/sbin/policy-rc.d; fi
  if [[ -n "$HEALTH_CONSUMER_PID" ]]; then kill "$HEALTH_CONSUMER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# One `up`/`down`/`reset` at a time (e.g. parallel test targets). Daemons are started with
# 9>&- so they do not inherit, and keep holding, the lock.
take_lock() {
  mkdir -p "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.lock"
  if ! flock -w 300 9; then
    fail services "another services.sh holds $SERVICES_DIR/.lock for more than 300s"
  fi
}

write_env_file() {
  mkdir -p "$SERVICES_DIR"
  cat >"$ENV_FILE.tmp" <<EOF
# Generated by scripts/services.sh up. The same keys libs/config reads, so sourcing it points the
# services (TRIBUTARY_PROFILE=distributed) at the local test services: . $ENV_FILE
export TRIBUTARY_POSTGRES_URL='$PG_URL'
export TRIBUTARY_REDIS_URL='$REDIS_URL'
export TRIBUTARY_KAFKA_BROKERS='$KAFKA_BROKERS'
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# ---------------------------------------------------------------------------- postgres

# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` OS user, which must be
# able to reach the data dir. If the services dir is not reachable by it (e.g. repo under /root),
# fall back to a per-services-dir folder under /var/lib.
pg_paths() {
  PG_BASE=$SERVICES_DIR/postgres
  if id postgres >/dev/null 2>&1 && [[ -d "$SERVICES_DIR" ]] &&
    ! (cd / && runuser -u postgres -- test -x "$SERVICES_DIR") 2>/dev/null; then
    PG_BASE=/var/lib/tributary-services/$(printf '%s' "$SERVICES_DIR" | sha1sum | cut -c1-12)/postgres
  fi
  PG_DATA=$PG_BASE/data
  PG_LOG=$PG_BASE/postgres.log
  PG_SOCK=$PG_BASE/run
  # A unix socket path must fit in ~107 bytes.
  if ((${#PG_SOCK} > 90)); then PG_SOCK=/tmp; fi
}

as_pg() { (cd / && runuser -u postgres -- "$@"); }

# Newest /usr/lib/postgresql/*/bin with a server, preferring the major version the data dir was made with.
pg_find_bin() {
  local want="" d
  [[ -r "$PG_DATA/PG_VERSION" ]] && want=$(cat "$PG_DATA/PG_VERSION")
  if [[ -n "$want" && -x /usr/lib/postgresql/$want/bin/pg_ctl && -x /usr/lib/postgresql/$want/bin/postgres ]]; then
    echo "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  while read -r d; do
    if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres && -x $d/psql && -x $d/pg_isready ]]; then
      echo "$d"
      return 0
    fi
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
  return 1
}

pg_pid() {
  local pid
  pid=$(read_pidfile "$PG_DATA/postmaster.pid")
  if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *postgres* ]]; then echo "$pid"; fi
}

pg_answers() {
  local bin
  bin=$(pg_find_bin) || return 1
  "$bin/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 3
}

pg_up() {
  local t0=$EPOCHREALTIME pid bin i
  pg_paths
  pid=$(pg_pid)
  if [[ -n "$pid" ]] && pg_answers; then
    report postgres ready "$PG_URL_SHOWN  (already running, pid $pid)"
    return 0
  fi

  if ! bin=$(pg_find_bin); then
    apt_install postgres postgresql
    bin=$(pg_find_bin) || fail postgres "postgresql installed but no server found under /usr/lib/postgresql/*/bin"
  fi
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  fi
  pg_paths # the postgres user may be new: re-check whether it can reach the services dir

  mkdir -p "$PG_BASE"
  mkdir -p "$PG_SOCK"
  if [[ $PG_SOCK != /tmp ]]; then chown postgres: "$PG_SOCK"; fi
  chown postgres: "$PG_BASE"
  touch "$PG_LOG" && chown postgres: "$PG_LOG"

  if [[ -f "$PG_DATA/PG_VERSION" && $(cat "$PG_DATA/PG_VERSION") != "$(basename "$(dirname "$bin")")" ]]; then
    fail postgres "$PG_DATA was made by PostgreSQL $(cat "$PG_DATA/PG_VERSION") but only $bin is installed; run: $0 reset postgres"
  fi

  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "postgres: initdb $PG_DATA"
    rm -rf "$PG_DATA"
    # trust on the unix socket (only used by this script, as the postgres user), password over TCP.
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C >"$PG_BASE/initdb.log" 2>&1 ||
      fail postgres "initdb failed" "$PG_BASE/initdb.log"
    echo "include_if_exists = 'tributary.conf'" >>"$PG_DATA/postgresql.conf"
  fi

  # Rewritten on every start so port changes apply. Throwaway test data: durability off for speed.
  cat >"$PG_DATA/tributary.conf" <<EOF
# Generated by scripts/services.sh on every start.
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  chown postgres: "$PG_DATA/tributary.conf"

  if [[ -n "$(pg_pid)" ]]; then
    # Alive but not answering on our port: still starting, or started with another port. Give it
    # a moment, then restart it so that it picks up tributary.conf.
    for ((i = 0; i < 20; i++)); do pg_answers && break; sleep 0.5; done
    if ! pg_answers; then
      log "postgres: pid $(pg_pid) does not answer on $HOST:$PG_PORT, restarting it"
      as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -m fast -w -t 60 restart >"$PG_BASE/pg_ctl.log" 2>&1 9>&- ||
        fail postgres "pg_ctl restart failed" "$PG_LOG"
    fi
  else
    if port_open "$PG_PORT"; then
      fail postgres "port $PG_PORT is already taken by another process (set TRIBUTARY_PG_PORT)"
    fi
    log "postgres: starting on $HOST:$PG_PORT (log: $PG_LOG)"
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >"$PG_BASE/pg_ctl.log" 2>&1 9>&- ||
      fail postgres "pg_ctl start failed" "$PG_LOG"
  fi
  for ((i = 0; i < 60; i++)); do
    pg_answers && break
    [[ -n "$(pg_pid)" ]] || fail postgres "server exited during startup" "$PG_LOG"
    sleep 0.5
  done
  pg_answers || fail postgres "not accepting connections on $HOST:$PG_PORT after 30s" "$PG_LOG"

  # Role and database, idempotently. CREATEDB: tests create a database per test file.
  as_pg "$bin/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    >"$PG_BASE/setup.log" 2>&1 <<EOF || fail postgres "creating role/database $PG_USER failed" "$PG_BASE/setup.log"
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')
\gexec
EOF
  # Prove the URL the tests will use: TCP + password.
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$bin/psql" -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -Atqc 'select 1' >"$PG_BASE/check.log" 2>&1 ||
    fail postgres "'select 1' as $PG_USER over TCP failed" "$PG_BASE/check.log"
  report postgres ready "$PG_URL_SHOWN  (pid $(pg_pid), PostgreSQL $(basename "$(dirname "$bin")"), up in $(since "$t0")s)"
}

pg_down() {
  pg_paths
  local pid bin
  pid=$(pg_pid)
  if [[ -z "$pid" ]]; then
    report postgres stopped "$HOST:$PG_PORT  (was not running)"
    return 0
  fi
  bin=$(pg_find_bin) || fail postgres "server running (pid $pid) but pg_ctl not found"
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >"$PG_BASE/pg_ctl.log" 2>&1 ||
    fail postgres "pg_ctl stop failed" "$PG_BASE/pg_ctl.log"
  report postgres stopped "$HOST:$PG_PORT  (stopped pid $pid)"
}

pg_status() {
  pg_paths
  local pid
  pid=$(pg_pid)
  if [[ -n "$pid" ]] && pg_answers; then
    report postgres running "$HOST:$PG_PORT  pid $pid  $PG_URL_SHOWN"
  elif [[ -n "$pid" ]]; then
    report postgres "no-answer" "$HOST:$PG_PORT  pid $pid (process alive, not accepting connections)"
    return 1
  else
    report postgres stopped "$HOST:$PG_PORT  -"
    return 1
  fi
}

pg_reset() {
  pg_down
  pg_paths
  rm -rf "$PG_BASE"
  log "postgres: removed $PG_BASE"
}

# ---------------------------------------------------------------------------- redis

REDIS_PIDFILE=$REDIS_DIR/redis.pid
REDIS_LOG=$REDIS_DIR/redis.log

# The recorded pid if it is still a redis-server, else a redis-server working in our data dir
# (pid file lost). Never matches another Redis.
redis_pid() {
  local pid p
  pid=$(read_pidfile "$REDIS_PIDFILE")
  if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *redis-server* ]]; then
    echo "$pid"
    return 0
  fi
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    if [[ $(cmdline_of "$pid") == *redis-server* && $(readlink "$p/cwd" 2>/dev/null) == "$REDIS_DIR/data" ]]; then
      echo "$pid" >"$REDIS_PIDFILE"
      echo "$pid"
      return 0
    fi
  done
}

redis_answers() {
  command -v redis-cli >/dev/null &&
    [[ $(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_up() {
  local t0=$EPOCHREALTIME pid i
  pid=$(redis_pid)
  if [[ -n "$pid" ]] && redis_answers; then
    report redis ready "$REDIS_URL  (already running, pid $pid)"
    return 0
  fi
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    apt_install redis redis-server
  fi
  mkdir -p "$REDIS_DIR/data"
  if [[ -n "$pid" ]]; then
    # Alive but not answering (hung, or port changed): replace it.
    log "redis: pid $pid does not answer on $HOST:$REDIS_PORT, restarting it"
    stop_pid redis "$pid" 10
  fi
  cat >"$REDIS_DIR/redis.conf" <<EOF
# Generated by scripts/services.sh on every start.
bind $HOST
port $REDIS_PORT
protected-mode yes
daemonize yes
supervised no
pidfile $REDIS_PIDFILE
logfile $REDIS_LOG
dir $REDIS_DIR/data
# Test data only: no persistence.
save ""
appendonly no
EOF
  if port_open "$REDIS_PORT"; then
    fail redis "port $REDIS_PORT is already taken by another process (set TRIBUTARY_REDIS_PORT)"
  fi
  rm -f "$REDIS_PIDFILE"
  log "redis: starting on $HOST:$REDIS_PORT (log: $REDIS_LOG)"
  redis-server "$REDIS_DIR/redis.conf" >"$REDIS_DIR/start.log" 2>&1 9>&- ||
    fail redis "redis-server failed to start" "$REDIS_DIR/start.log"
  for ((i = 0; i < 60; i++)); do
    redis_answers && break
    sleep 0.25
  done
  redis_answers || fail redis "no PONG from $HOST:$REDIS_PORT after 15s" "$REDIS_LOG"
  report redis ready "$REDIS_URL  (pid $(redis_pid), $(redis-server --version | awk '{print $3}' | tr -d 'v='), up in $(since "$t0")s)"
}

redis_down() {
  local pid
  pid=$(redis_pid)
  if [[ -z "$pid" ]]; then
    report redis stopped "$HOST:$REDIS_PORT  (was not running)"
    return 0
  fi
  stop_pid redis "$pid" 10
  rm -f "$REDIS_PIDFILE"
  report redis stopped "$HOST:$REDIS_PORT  (stopped pid $pid)"
}

redis_status() {
  local pid
  pid=$(redis_pid)
  if [[ -n "$pid" ]] && redis_answers; then
    report redis running "$HOST:$REDIS_PORT  pid $pid  $REDIS_URL"
  elif [[ -n "$pid" ]]; then
    report redis "no-answer" "$HOST:$REDIS_PORT  pid $pid (process alive, no PONG)"
    return 1
  else
    report redis stopped "$HOST:$REDIS_PORT  -"
    return 1
  fi
}

redis_reset() {
  redis_down
  rm -rf "$REDIS_DIR"
  log "redis: removed $REDIS_DIR"
}

# ---------------------------------------------------------------------------- kafka

JAVA=

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'; }

# Kafka 4.x needs Java 17+. Use $JAVA_HOME/PATH java if new enough, else Debian's OpenJDK 17.
ensure_java() {
  [[ -n "$JAVA" ]] && return 0
  local cand v
  for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    v=$(java_major "$cand")
    if [[ "${v%%.*}" =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17)); then
      JAVA=$cand
      return 0
    fi
  done
  apt_install kafka openjdk-17-jre-headless
  for cand in "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    if [[ -x "$cand" && $(java_major "$cand") == 17 ]]; then
      JAVA=$cand
      return 0
    fi
  done
  fail kafka "no Java 17+ found even after installing openjdk-17-jre-headless"
}

# Resolve the Kafka jars from Maven Central once; a .complete marker makes an interrupted
# resolution start over instead of running with half the jars.
ensure_kafka_libs() {
  if [[ -f "$KAFKA_LIBS/.complete" && -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then return 0; fi
  ensure_java
  command -v mvn >/dev/null || apt_install kafka maven
  local t0=$EPOCHREALTIME mvnlog=$KAFKA_HOME/maven.log tmp=$KAFKA_HOME/libs.partial
  mkdir -p "$KAFKA_HOME"
  rm -rf "$tmp" "$KAFKA_LIBS"
  log "kafka: resolving Apache Kafka $KAFKA_VERSION jars with Maven into $KAFKA_LIBS (log: $mvnlog)"
  # JAVA_HOME so that mvn runs on the same (17+) JDK/JRE.
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
    mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$tmp" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >"$mvnlog" ||
    fail kafka "mvn dependency:copy-dependencies for Kafka $KAFKA_VERSION failed" "$mvnlog"
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] ||
    fail kafka "Maven finished but kafka_2.13/kafka-tools $KAFKA_VERSION jars are missing in $tmp" "$mvnlog"
  mv "$tmp" "$KAFKA_LIBS"
  echo "$KAFKA_VERSION" >"$KAFKA_LIBS/.complete"
  log "kafka: resolved $(ls "$KAFKA_LIBS"/*.jar | wc -l) jars ($(du -sh "$KAFKA_LIBS" | cut -f1)) in $(since "$t0")s"
}

# The broker pid: the recorded one if it is still our broker, else any java running kafka.Kafka
# with our server.properties (pid file lost). Never matches another Kafka.
kafka_pid() {
  local pid p
  pid=$(read_pidfile "$KAFKA_PIDFILE")
  if pid_alive "$pid" && [[ $(cmdline_of "$pid") == *"kafka.Kafka $KAFKA_PROPS"* ]]; then
    echo "$pid"
    return 0
  fi
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    if [[ $(cmdline_of "$pid") == *"kafka.Kafka $KAFKA_PROPS"* ]]; then
      echo "$pid" >"$KAFKA_PIDFILE"
      echo "$pid"
      return 0
    fi
  done
}

kafka_answers() { port_open "$KAFKA_PORT"; }

# Command prefix for a Kafka CLI class: small, fast-starting JVM, warnings only. An array rather
# than a function so that `"${KAFKA_TOOL[@]}" ... &` gives the java pid itself in $!.
kafka_tool_init() {
  KAFKA_TOOL=("$JAVA" -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/tools-log4j2.yaml" -cp "$KAFKA_LIBS/*")
}

kafka_write_config() {
  cat >"$KAFKA_PROPS" <<EOF
# Generated by scripts/services.sh on every start: single-node KRaft, broker and controller in one JVM.
process.roles=broker,controller
node.id=1
# Static quorum: the voter set follows this file, so the controller port may change between runs.
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
auto.create.topics.enable=true
delete.topic.enable=true
# One node: every internal topic has a single replica.
offsets.topic.replication.factor=1
# Fewer __consumer_offsets partitions than the default 50: faster first group join on a small box.
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests join groups all the time: no 3 s wait before the first rebalance.
group.initial.rebalance.delay.ms=0
# Shares 2 cores with the test run.
num.network.threads=2
num.io.threads=4
EOF
}

kafka_format() {
  # Format the log dir once; the cluster id is generated once and kept in the data dir.
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return 0
  local id
  if [[ -s "$KAFKA_DIR/cluster.id" ]]; then
    id=$(cat "$KAFKA_DIR/cluster.id")
  else
    # A Kafka Uuid: 16 random bytes, base64url without padding; avoid a leading '-' (CLI option parsing).
    id=-
    while [[ $id == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
    echo "$id" >"$KAFKA_DIR/cluster.id"
  fi
  log "kafka: formatting $KAFKA_DIR/data (cluster id $id)"
  "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_PROPS" --ignore-formatted \
    >"$KAFKA_DIR/logs/format.log" 2>&1 || fail kafka "kafka-storage format failed" "$KAFKA_DIR/logs/format.log"
}

# Ready = the broker port accepts connections, then a message produced to the health topic is read
# back by a consumer in a fresh group (which also proves the group coordinator works).
kafka_wait_ready() {
  local pid=$1 t0=$2 deadline=$((SECONDS + KAFKA_READY_TIMEOUT)) hlog=$KAFKA_DIR/logs/healthcheck.log
  local marker out t_port
  : >"$hlog"
  while ! kafka_answers; do
    pid_alive "$pid" || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  t_port=$(since "$t0")
  marker="tributary-healthcheck-$(date +%s)-$$-$RANDOM"
  out=$KAFKA_DIR/logs/healthcheck.out
  # Produce (retried: right after start, topic auto-creation and leadership can take a moment).
  while :; do
    if echo "$marker" | timeout 60 "${KAFKA_TOOL[@]}" org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$KAFKA_BROKERS" \
      --topic "$KAFKA_HEALTH_TOPIC" --sync --max-block-ms 15000 --producer-property acks=all \
      --producer-property delivery.timeout.ms=30000 --producer-property request.timeout.ms=10000 \
      >>"$hlog" 2>&1 9>&-; then
      break
    fi
    pid_alive "$pid" || return 2
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
  # Consume from the beginning in a unique group until the marker shows up.
  local left=$((deadline - SECONDS))
  ((left >= 5)) || left=5
  deadline=$((SECONDS + left))
  : >"$out"
  "${KAFKA_TOOL[@]}" org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$KAFKA_BROKERS" \
    --topic "$KAFKA_HEALTH_TOPIC" --from-beginning --group "tributary-healthcheck-$$-$RANDOM" \
    --timeout-ms $((left * 1000)) >"$out" 2>>"$hlog" 9>&- &
  HEALTH_CONSUMER_PID=$!
  while ! grep -qF "$marker" "$out"; do
    if ! pid_alive "$pid"; then return 2; fi
    if ((SECONDS >= deadline)) || ! pid_alive "$HEALTH_CONSUMER_PID"; then
      grep -qF "$marker" "$out" && break
      return 1
    fi
    sleep 0.3
  done
  kill "$HEALTH_CONSUMER_PID" 2>/dev/null || true
  wait "$HEALTH_CONSUMER_PID" 2>/dev/null || true
  HEALTH_CONSUMER_PID=
  KAFKA_READY_DETAIL="port open after ${t_port}s, produce/consume round trip after $(since "$t0")s"
}

kafka_up() {
  local t0=$EPOCHREALTIME pid rc
  pid=$(kafka_pid)
  if [[ -n "$pid" ]] && kafka_answers; then
    report kafka ready "$KAFKA_BROKERS  (kafka $KAFKA_VERSION, already running, pid $pid)"
    return 0
  fi
  ensure_java
  ensure_kafka_libs
  kafka_tool_init
  mkdir -p "$KAFKA_DIR/data" "$KAFKA_DIR/logs"

  if [[ -n "$pid" ]]; then
    # Alive but the port is closed: a start interrupted mid-way, a hung JVM, or a port change.
    # Restarting is cheap and deterministic.
    log "kafka: pid $pid does not answer on $KAFKA_BROKERS, restarting it"
    stop_pid kafka "$pid" 30
    rm -f "$KAFKA_PIDFILE"
  fi
  kafka_write_config
  kafka_format
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      fail kafka "port $p is already taken by another process (set TRIBUTARY_KAFKA_PORT / TRIBUTARY_KAFKA_CONTROLLER_PORT)"
    fi
  done
  t0=$EPOCHREALTIME
  log "kafka: starting Kafka $KAFKA_VERSION on $KAFKA_BROKERS (log: $KAFKA_DIR/logs/server.log)"
  # setsid: own session, so a Ctrl-C in the calling shell does not take the broker down.
  setsid nohup "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.yaml" -Dkafka.logs.dir="$KAFKA_DIR/logs" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
    >"$KAFKA_DIR/logs/kafka.out" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_PIDFILE"
  sleep 0.5
  pid=$(kafka_pid)
  [[ -n "$pid" ]] || fail kafka "the JVM exited right after start" "$KAFKA_DIR/logs/kafka.out"

  rc=0
  kafka_wait_ready "$pid" "$t0" || rc=$?
  if ((rc != 0)); then
    local why="not ready within ${KAFKA_READY_TIMEOUT}s (produce/consume round trip on $KAFKA_HEALTH_TOPIC)"
    ((rc == 2)) && why="the broker exited during startup"
    # Do not leave a half-working broker behind: the next `up` starts from a clean process.
    if pid_alive "$pid"; then stop_pid kafka "$pid" 20; fi
    rm -f "$KAFKA_PIDFILE"
    if [[ -s "$KAFKA_DIR/logs/healthcheck.log" ]]; then
      printf -- '----- last lines of %s -----\n' "$KAFKA_DIR/logs/healthcheck.log" >&2
      tail -n 20 "$KAFKA_DIR/logs/healthcheck.log" >&2 || true
    fi
    local lf=$KAFKA_DIR/logs/server.log
    [[ -s "$lf" ]] || lf=$KAFKA_DIR/logs/kafka.out
    fail kafka "$why" "$lf"
  fi
  report kafka ready "$KAFKA_BROKERS  (kafka $KAFKA_VERSION, pid $pid, $KAFKA_READY_DETAIL)"
}

kafka_down() {
  local pid
  pid=$(kafka_pid)
  if [[ -z "$pid" ]]; then
    rm -f "$KAFKA_PIDFILE"
    report kafka stopped "$KAFKA_BROKERS  (was not running)"
    return 0
  fi
  # Controlled shutdown takes a few seconds on KRaft; KILL only if it hangs.
  stop_pid kafka "$pid" 30
  rm -f "$KAFKA_PIDFILE"
  report kafka stopped "$KAFKA_BROKERS  (stopped pid $pid)"
}

kafka_status() {
  local pid
  pid=$(kafka_pid)
  if [[ -n "$pid" ]] && kafka_answers; then
    report kafka running "$KAFKA_BROKERS  pid $pid  (kafka $KAFKA_VERSION, controller $HOST:$KAFKA_CONTROLLER_PORT)"
  elif [[ -n "$pid" ]]; then
    report kafka "no-answer" "$KAFKA_BROKERS  pid $pid (process alive, port closed)"
    return 1
  else
    report kafka stopped "$KAFKA_BROKERS  -"
    return 1
  fi
}

kafka_reset() {
  kafka_down
  rm -rf "$KAFKA_DIR"
  log "kafka: removed $KAFKA_DIR (jar cache kept in $KAFKA_HOME)"
}

# ---------------------------------------------------------------------------- main

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local cmd=${1:-} svc rc=0 i
  [[ -n "$cmd" ]] || usage
  shift
  local services=("$@")
  ((${#services[@]})) || services=("${ALL_SERVICES[@]}")
  for svc in "${services[@]}"; do
    case "$svc" in postgres | redis | kafka) ;; *) log "unknown service '$svc' (postgres, redis, kafka)" && usage ;; esac
  done
  local prefix
  case "$cmd" in
    up)
      take_lock
      local t0=$EPOCHREALTIME
      for svc in "${services[@]}"; do
        case "$svc" in postgres) pg_up ;; redis) redis_up ;; kafka) kafka_up ;; esac
      done
      write_env_file
      log "env file: $ENV_FILE (all up in $(since "$t0")s)"
      ;;
    down | reset)
      take_lock
      # Reverse order: Kafka first, it is the slowest to stop and depends on nothing here.
      for ((i = ${#services[@]} - 1; i >= 0; i--)); do
        svc=${services[i]}
        [[ $svc == postgres ]] && prefix=pg || prefix=$svc
        "${prefix}_$cmd"
      done
      ;;
    status)
      for svc in "${services[@]}"; do
        [[ $svc == postgres ]] && prefix=pg || prefix=$svc
        "${prefix}_status" || rc=3
      done
      if [[ -f "$ENV_FILE" ]]; then log "env file: $ENV_FILE"; fi
      return "$rc"
      ;;
    -h | --help | help) usage ;;
    *) log "unknown command '$cmd'" && usage ;;
  esac
}

main "$@"
