#!/usr/bin/env bash
# Runs Stellar in the background the way operators expect:
#
#   ./bin/stellar.sh start [flags]     start it (flags go to `stellar start`, e.g. --server-port 9090)
#   ./bin/stellar.sh stop              stop it (SIGTERM, then SIGKILL after STELLAR_STOP_TIMEOUT)
#   ./bin/stellar.sh status            exit 0 when running, 3 when not
#   ./bin/stellar.sh restart [flags]   stop, then start
#   ./bin/stellar.sh reload            reload the configuration (SIGHUP): exit 0 when applied, 1 when refused
#   ./bin/stellar.sh <other command>   any other `stellar` command: config, migrate, version, help
#
# It runs from the installation directory, so conf/config.toml and data/ are found there.
# Environment: STELLAR_PID_FILE (default run/stellar.pid), STELLAR_LOG_FILE (default
# log/stellar.log), STELLAR_START_TIMEOUT and STELLAR_STOP_TIMEOUT in seconds (default 30),
# NODE (default node), and every APP_<SECTION>_<KEY> setting of the service itself.
set -euo pipefail

STELLAR_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$STELLAR_HOME"
PID_FILE="${STELLAR_PID_FILE:-$STELLAR_HOME/run/stellar.pid}"
LOG_FILE="${STELLAR_LOG_FILE:-$STELLAR_HOME/log/stellar.log}"
START_TIMEOUT="${STELLAR_START_TIMEOUT:-30}"
STOP_TIMEOUT="${STELLAR_STOP_TIMEOUT:-30}"
NODE="${NODE:-node}"

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

do_start() {
  local pid
  if pid="$(running_pid)"; then
    echo "Stellar is already running (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"
  mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")"
  "$NODE" scripts/ensure-build.mjs
  local offset
  offset="$( (stat -c %s "$LOG_FILE" 2>/dev/null) || echo 0)"

  # The service writes the pid file itself once it listens: its appearance means "ready".
  nohup "$NODE" dist/cli/main.js start --pid-file "$PID_FILE" "$@" >>"$LOG_FILE" 2>&1 </dev/null &
  local child=$!
  local deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    if [[ -f "$PID_FILE" ]]; then
      echo "Stellar started (pid $child); log: $LOG_FILE"
      # The one-time admin password banner goes to the log; show it here too.
      tail -c +"$((offset + 1))" "$LOG_FILE" | sed -n '/^-\{72\}$/,/^-\{72\}$/p'
      return 0
    fi
    if ! kill -0 "$child" 2>/dev/null; then
      local code=0
      wait "$child" || code=$?
      echo "Stellar failed to start (exit code $code); from $LOG_FILE:" >&2
      tail -c +"$((offset + 1))" "$LOG_FILE" | tail -n 20 >&2
      return "$code"
    fi
    sleep 0.2
  done
  echo "Stellar (pid $child) did not become ready within ${START_TIMEOUT}s; see $LOG_FILE" >&2
  return 1
}

do_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "Stellar is not running"
    rm -f "$PID_FILE"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      echo "Stellar (pid $pid) did not stop within ${STOP_TIMEOUT}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE"
  echo "Stellar stopped (pid $pid)"
}

# SIGHUP, then the log's lines about that reload: what it applied, or why it refused the configuration.
do_reload() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "Stellar is not running"
    return 3
  fi
  local offset
  offset="$( (stat -c %s "$LOG_FILE" 2>/dev/null) || echo 0)"
  kill -HUP "$pid"
  local deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    local said
    said="$(tail -c +"$((offset + 1))" "$LOG_FILE" | grep 'configuration reload' || true)"
    if grep -q 'configuration reloaded' <<< "$said"; then
      echo "$said"
      return 0
    fi
    if grep -q 'configuration reload \(refused\|failed\)' <<< "$said"; then
      echo "$said" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "Stellar (pid $pid) did not report the reload within ${START_TIMEOUT}s; see $LOG_FILE" >&2
  return 1
}

do_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "Stellar is running (pid $pid)"
    return 0
  fi
  echo "Stellar is not running"
  return 3
}

command="${1:-}"
[[ $# -gt 0 ]] && shift
case "$command" in
  start) do_start "$@" ;;
  stop) do_stop ;;
  status) do_status ;;
  restart) do_stop && do_start "$@" ;;
  reload) do_reload ;;
  "") echo "usage: $0 start|stop|status|restart|reload [flags], or any stellar command (config, migrate, help)" >&2; exit 2 ;;
  *)
    "$NODE" scripts/ensure-build.mjs
    exec "$NODE" dist/cli/main.js "$command" "$@"
    ;;
esac
