#!/usr/bin/env bash
# Smoke test of build/virtual-lock against the local Mosquitto (127.0.0.1:1883, anonymous):
# signed hello (v2 status key) then v1 status, signed UNLOCK -> ack ok + LED green, replay ->
# rejected/replay, hands on stdin (door open -> LOCK rejected door_open, turn lock -> LOCKED),
# kill -9 -> will.
# Signatures are made and checked with openssl, independently of the C++ code under test.
# Usage: test/virtual-lock-smoke.sh build/virtual-lock
set -euo pipefail
LOCK_BIN="$(realpath "${1:-build/virtual-lock}")"
HOST="${SMOKE_BROKER_HOST:-127.0.0.1}" PORT="${SMOKE_BROKER_PORT:-1883}"

say() { echo "smoke: $*"; }
if ! (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then say "FAIL - no MQTT broker at $HOST:$PORT (CI=true)"; exit 1; fi
  say "SKIPPED - no MQTT broker at $HOST:$PORT (start mosquitto to run it)"; exit 0
fi
for t in mosquitto_sub mosquitto_pub openssl; do
  command -v $t >/dev/null || { say "FAIL - $t missing (apt-get install -y mosquitto-clients openssl)"; exit 1; }
done

PREFIX="smoke-$(openssl rand -hex 6)"   # own namespace: parallel runs do not see each other
DEV="smoke-lock"
SECRET="$(openssl rand -hex 32)"
WORK="$(mktemp -d)"
LOCK_PID="" SUB_PID=""
cleanup() {
  exec 5>&- 2>/dev/null || true
  [ -n "$LOCK_PID" ] && { disown "$LOCK_PID"; kill -9 "$LOCK_PID"; } 2>/dev/null || true
  [ -n "$SUB_PID" ] && kill "$SUB_PID" 2>/dev/null || true
  # Retained messages outlive us: clear them so the broker is left as found.
  mosquitto_pub -h "$HOST" -p "$PORT" -r -n -t "$PREFIX/$DEV/availability" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

hmac() { printf '%s' "$1" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$SECRET" | sed 's/^.*= //'; }
sign() { printf '%s,"sig":"%s"}' "${1%\}}" "$(hmac "$1")"; }
# v2 purpose key: HKDF-SHA256(K, salt "smartlock", info "smartlock v2 <label>"), lowercase hex.
v2key() { openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt "hexkey:$SECRET" -kdfopt salt:smartlock \
  -kdfopt "info:smartlock v2 $1" HKDF | tr -d ':\n' | tr 'A-F' 'a-f'; }
hmac_with() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.*= //'; }
fail() { say "FAIL - $*"; echo "--- lock stdout"; cat "$WORK/lock.out"; echo "--- lock stderr"; cat "$WORK/lock.err"; echo "--- broker traffic"; cat "$WORK/sub.log"; exit 1; }
# wait_for FILE FIXED-STRING [seconds]
wait_for() {
  local deadline=$((SECONDS + ${3:-10}))
  until grep -qF -- "$2" "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}
# wait_count FILE FIXED-STRING COUNT: the broker delivers asynchronously, so poll for it too.
wait_count() {
  local deadline=$((SECONDS + 10))
  until [ "$(grep -cF -- "$2" "$1")" -ge "$3" ]; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

mosquitto_sub -h "$HOST" -p "$PORT" -v -q 1 -t "$PREFIX/#" > "$WORK/sub.log" 2>&1 &
SUB_PID=$!
sleep 0.5
mkfifo "$WORK/hands"  # the lock's stdin: door and thumb-turn commands
SMARTLOCK_SECRET="$SECRET" "$LOCK_BIN" --broker "mqtt://$HOST:$PORT" --device "$DEV" --prefix "$PREFIX" \
  --state-dir "$WORK/state" --heartbeat-ms 2000 --move-ms 300 < "$WORK/hands" > "$WORK/lock.out" 2> "$WORK/lock.err" &
LOCK_PID=$!
exec 5> "$WORK/hands"
hand() { echo "$1" >&5; }

wait_for "$WORK/sub.log" "$PREFIX/$DEV/availability online" || fail "no retained online on availability"
say "ok - availability online"
wait_for "$WORK/sub.log" "$PREFIX/$DEV/status {\"v\":2,\"type\":\"hello\"" || fail "no hello"
hello="$(grep -F "$PREFIX/$DEV/status {\"v\":2,\"type\":\"hello\"" "$WORK/sub.log" | head -1 | cut -d' ' -f2-)"
[ "$(hmac_with "$(v2key status)" "${hello%,\"sig\":*}}")" = "$(echo "${hello##*\"sig\":\"}" | cut -c1-64)" ] ||
  fail "hello signature does not verify with openssl's HKDF status key: $hello"
say "ok - hello signed with the v2 status key (openssl HKDF): $hello"
wait_for "$WORK/sub.log" "$PREFIX/$DEV/status {\"v\":1,\"type\":\"status\"" || fail "no status"
status="$(grep -F "$PREFIX/$DEV/status {\"v\":1,\"type\":\"status\"" "$WORK/sub.log" | head -1 | cut -d' ' -f2-)"
body="${status%,\"sig\":*}}"
sig="${status##*\"sig\":\"}"; sig="${sig%\"\}}"
[ "$(hmac "$body")" = "$sig" ] || fail "status signature does not verify with openssl: $status"
say "ok - signed status verified with openssl: $status"
wait_for "$WORK/lock.out" "LED red (LOCKED)" || fail "no LED red at boot"

cmd="$(sign "{\"v\":1,\"type\":\"cmd\",\"dev\":\"$DEV\",\"id\":\"smoke-1\",\"action\":\"UNLOCK\",\"ctr\":1,\"ts\":$(date +%s)}")"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$cmd"
wait_for "$WORK/sub.log" '"status":"UNLOCKED","ctr":1,' || fail "no UNLOCKED status"
wait_for "$WORK/sub.log" '"ack":{"id":"smoke-1","result":"ok"}' || fail "no ack ok"
wait_for "$WORK/lock.out" "LED green (UNLOCKED)" || fail "no LED green"
say "ok - signed UNLOCK: ack ok, status UNLOCKED, LED green"

mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$cmd"
wait_for "$WORK/sub.log" '"ack":{"id":"smoke-1","result":"rejected","reason":"replay"}' || fail "replay not rejected"
[ "$(grep -c 'LED green' "$WORK/lock.out")" = 1 ] || fail "the replay moved the bolt"
say "ok - replayed cmd: ack rejected/replay, bolt unmoved"

hand "door open"
lock2="$(sign "{\"v\":1,\"type\":\"cmd\",\"dev\":\"$DEV\",\"id\":\"smoke-2\",\"action\":\"LOCK\",\"ctr\":2,\"ts\":$(date +%s)}")"
wait_for "$WORK/lock.err" "[hand] door OPEN" || fail "the door did not open"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$lock2"
wait_for "$WORK/sub.log" '"ack":{"id":"smoke-2","result":"rejected","reason":"door_open"}' || fail "LOCK into an open door not refused"
hand "door closed"
hand "turn lock"
wait_for "$WORK/sub.log" '"status":"LOCKED","ctr":1,' || fail "a turn by hand was not reported"  # door_open did not consume ctr 2
[ "$(grep -c 'LED red (LOCKED)' "$WORK/lock.out")" = 2 ] || fail "no LED red after the turn by hand"
say "ok - hands on stdin: LOCK into an open door rejected door_open, a turn by hand reported LOCKED"

disown "$LOCK_PID"  # no "Killed" job notice in the output
kill -9 "$LOCK_PID"
LOCK_PID=""
wait_for "$WORK/sub.log" "$PREFIX/$DEV/availability offline" 25 || fail "the will did not publish offline"
say "ok - kill -9: retained offline arrived through the will"

# Power back on with the same state: boot 2, the old command still refused, clean SIGTERM.
SMARTLOCK_SECRET="$SECRET" "$LOCK_BIN" --broker "mqtt://$HOST:$PORT" --device "$DEV" --prefix "$PREFIX" \
  --state-dir "$WORK/state" --heartbeat-ms 2000 --move-ms 300 < /dev/null >> "$WORK/lock.out" 2>> "$WORK/lock.err" &
LOCK_PID=$!
wait_for "$WORK/sub.log" "\"type\":\"status\",\"dev\":\"$DEV\",\"boot\":2," || fail "no status with boot 2 after restart"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$cmd"
wait_count "$WORK/sub.log" '"reason":"replay"' 2 || fail "replay after reboot not rejected"
[ "$(grep -c 'LED green' "$WORK/lock.out")" = 1 ] || fail "the replay after reboot moved the bolt"
say "ok - after a restart: boot 2, the same cmd is still a replay"

# Protocol v2 over the real broker, signed and checked with openssl's HKDF keys only.
KC="$(v2key cmd)" KS="$(v2key status)"
sign_v2() { printf '%s,"sig":"%s"}' "${1%\}}" "$(hmac_with "$KC" "$1")"; }
wait_for "$WORK/sub.log" "{\"v\":2,\"type\":\"hello\",\"dev\":\"$DEV\",\"boot\":2," || fail "no hello after restart"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$(sign_v2 "{\"v\":2,\"type\":\"welcome\",\"dev\":\"$DEV\",\"ver\":2,\"ts\":$(date +%s)}")"
wait_for "$WORK/sub.log" "{\"v\":2,\"type\":\"status\",\"dev\":\"$DEV\",\"boot\":2," || fail "no v2 status after the welcome"
v2status="$(grep -F "{\"v\":2,\"type\":\"status\"" "$WORK/sub.log" | head -1 | cut -d' ' -f2-)"
[ "$(hmac_with "$KS" "${v2status%,\"sig\":*}}")" = "$(echo "${v2status##*\"sig\":\"}" | cut -c1-64)" ] ||
  fail "v2 status does not verify with the status key: $v2status"
case "$v2status" in *'"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":1,'*) ;; *) fail "v2 status lacks the door or the last change: $v2status" ;; esac
say "ok - welcomed into v2: status signed with the status key, door and src (MANUAL, remembered across the restart)"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$(sign_v2 "{\"v\":2,\"type\":\"cfg\",\"dev\":\"$DEV\",\"id\":\"cfg-1\",\"ctr\":3,\"ts\":$(date +%s),\"relock\":1,\"boot\":\"STAY\",\"lockOpen\":\"REFUSE\"}")"
wait_for "$WORK/sub.log" '"ack":{"id":"cfg-1","result":"ok"}' || fail "cfg not acked"
mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$(sign_v2 "{\"v\":2,\"type\":\"cmd\",\"dev\":\"$DEV\",\"id\":\"smoke-3\",\"action\":\"UNLOCK\",\"ctr\":4,\"ts\":$(date +%s)}")"
wait_for "$WORK/sub.log" '"status":"UNLOCKING","door":"CLOSED","src":"REMOTE","cid":"smoke-3",' || fail "no UNLOCKING status"
wait_for "$WORK/sub.log" '"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"smoke-3","ctr":4,' || fail "no UNLOCKED status"
wait_for "$WORK/sub.log" '"status":"LOCKED","door":"CLOSED","src":"AUTO","ctr":4,' || fail "no auto-relock"
say "ok - v2 cfg acked, v2 UNLOCK reported UNLOCKING then UNLOCKED (REMOTE smoke-3), auto-relocked after 1 s (AUTO)"
kill -TERM "$LOCK_PID"
rc=0; wait "$LOCK_PID" || rc=$?
LOCK_PID=""
[ "$rc" = 0 ] || fail "SIGTERM exit code $rc"
wait_count "$WORK/sub.log" "$PREFIX/$DEV/availability offline" 2 || fail "no offline on SIGTERM"
say "ok - SIGTERM: retained offline published, exit 0"
