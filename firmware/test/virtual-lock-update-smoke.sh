#!/usr/bin/env bash
# Firmware update smoke test of build/virtual-lock against the local Mosquitto (127.0.0.1:1883)
# and an image server (a few lines of Node, which the repository needs anyway): welcomed into v3, a signed update is acked and
# reported DOWNLOADING ... REBOOTING, the lock re-executes into the new image and says hello as
# 1.1.0, the welcome confirms it (upd CONFIRMED). Then a second release, signed here with the
# TEST-ONLY key, with "crash next image" on stdin: the trial image reboots before confirming and
# the lock comes back as 1.1.0 reporting ROLLED_BACK crash.
# Every signature is made and checked with openssl, independently of the C++ code under test.
# Usage: test/virtual-lock-update-smoke.sh build/virtual-lock
set -euo pipefail
LOCK_BIN="$(realpath "${1:-build/virtual-lock}")"
HERE="$(cd "$(dirname "$0")" && pwd)"
VECTORS="$HERE/../../docs/firmware-update-vectors.json"
TEST_KEY="$HERE/../tools/test-release-key.pem"
HOST="${SMOKE_BROKER_HOST:-127.0.0.1}" PORT="${SMOKE_BROKER_PORT:-1883}"

say() { echo "update smoke: $*"; }
if ! (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then say "FAIL - no MQTT broker at $HOST:$PORT (CI=true)"; exit 1; fi
  say "SKIPPED - no MQTT broker at $HOST:$PORT (start mosquitto to run it)"; exit 0
fi
for t in mosquitto_sub mosquitto_pub openssl node; do
  command -v $t >/dev/null || { say "FAIL - $t missing"; exit 1; }
done

PREFIX="upd-smoke-$(openssl rand -hex 6)"
DEV="upd-lock"
SECRET="$(openssl rand -hex 32)"
WORK="$(mktemp -d)"
LOCK_PID="" SUB_PID="" WEB_PID=""
cleanup() {
  exec 5>&- 2>/dev/null || true
  [ -n "$LOCK_PID" ] && { disown "$LOCK_PID"; kill -9 "$LOCK_PID"; } 2>/dev/null || true
  [ -n "$SUB_PID" ] && kill "$SUB_PID" 2>/dev/null || true
  [ -n "$WEB_PID" ] && kill "$WEB_PID" 2>/dev/null || true
  mosquitto_pub -h "$HOST" -p "$PORT" -r -n -t "$PREFIX/$DEV/availability" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# json EXPR: EXPR over the vectors file as v, e.g. json "v.cases[0].manifest"
json() { node -e 'const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$VECTORS" "$1"; }
v2key() { openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt "hexkey:$SECRET" -kdfopt salt:smartlock \
  -kdfopt "info:smartlock v2 $1" HKDF | tr -d ':\n' | tr 'A-F' 'a-f'; }
hmac_with() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.*= //'; }
KC="$(v2key cmd)" KS="$(v2key status)"
sign_cmd() { printf '%s,"sig":"%s"}' "${1%\}}" "$(hmac_with "$KC" "$1")"; }
fail() { say "FAIL - $*"; echo "--- lock stderr"; cat "$WORK/lock.err"; echo "--- broker traffic"; cat "$WORK/sub.log"; exit 1; }
wait_for() {
  local deadline=$((SECONDS + ${3:-15}))
  until grep -qF -- "$2" "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}
wait_count() {
  local deadline=$((SECONDS + ${4:-15}))
  until [ "$(grep -cF -- "$2" "$1")" -ge "$3" ]; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}
# wait_hellos FW COUNT: that many hellos from an image reporting FW (each new boot says hello).
wait_hellos() {
  local deadline=$((SECONDS + ${3:-30}))
  until [ "$(grep -cE "\"type\":\"hello\".*\"fw\":\"$1\"" "$WORK/sub.log")" -ge "$2" ]; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}
pub() { mosquitto_pub -h "$HOST" -p "$PORT" -q 1 -t "$PREFIX/$DEV/cmd" -m "$1"; }
welcome() { pub "$(sign_cmd "{\"v\":2,\"type\":\"welcome\",\"dev\":\"$DEV\",\"ver\":3,\"ts\":$(date +%s)}")"; }
update() {  # ID CTR URL MANIFEST MSIG
  pub "$(sign_cmd "{\"v\":3,\"type\":\"update\",\"dev\":\"$DEV\",\"id\":\"$1\",\"ctr\":$2,\"ts\":$(date +%s),\"url\":\"$3\",\"man\":\"$4\",\"msig\":\"$5\"}")"
}
# Every v3 status carrying upd must verify with openssl's status key.
check_status_sigs() {
  grep -F "\"upd\":{" "$WORK/sub.log" | cut -d' ' -f2- | while read -r s; do
    [ "$(hmac_with "$KS" "${s%,\"sig\":*}}")" = "$(echo "${s##*\"sig\":\"}" | cut -c1-64)" ] || { echo "bad sig: $s"; exit 1; }
  done || fail "a status with upd does not verify with the status key"
}

# The image server.
mkdir -p "$WORK/www"
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[2], Buffer.from(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).image.hex, "hex"))' \
  "$VECTORS" "$WORK/www/1.1.0.bin"
# Serves $WORK/www on a free loopback port (printed first), logging "GET <path> <code>" per request.
node -e '
  const fs = require("fs"), path = require("path"), root = process.argv[1];
  const server = require("http").createServer((req, res) => {
    const file = path.join(root, path.basename(req.url));
    fs.readFile(file, (err, body) => {
      console.log(`GET ${req.url} ${err ? 404 : 200}`);
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length }).end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
' "$WORK/www" > "$WORK/web.log" 2>&1 &
WEB_PID=$!
wait_for "$WORK/web.log" "PORT " || fail "the image server did not start"
WEB_PORT="$(sed -n 's/^PORT //p' "$WORK/web.log")"
[ "$(openssl dgst -sha256 -r "$WORK/www/1.1.0.bin" | cut -d' ' -f1)" = "$(json "v.image.sha256")" ] || fail "the served image is not the vectors' image"

mosquitto_sub -h "$HOST" -p "$PORT" -v -q 1 -t "$PREFIX/#" > "$WORK/sub.log" 2>&1 &
SUB_PID=$!
sleep 0.5
mkfifo "$WORK/hands"
SMARTLOCK_SECRET="$SECRET" "$LOCK_BIN" --broker "mqtt://$HOST:$PORT" --device "$DEV" --prefix "$PREFIX" \
  --state-dir "$WORK/state" --heartbeat-ms 1000 --release-key "$(json "v.publicKeyHex")" --hw esp32 \
  < "$WORK/hands" > "$WORK/lock.out" 2> "$WORK/lock.err" &
LOCK_PID=$!
exec 5> "$WORK/hands"

wait_for "$WORK/sub.log" "\"vers\":\"1,2,3\"" || fail "no v3 hello"
wait_hellos virtual-2 1 || fail "the factory image does not say hello as virtual-2"
welcome
wait_for "$WORK/sub.log" "{\"v\":3,\"type\":\"status\"" || fail "no v3 status after the welcome"
say "ok - factory image virtual-2 welcomed into v3"

MAN="$(json "v.cases[0].manifest")" MSIG="$(json "v.cases[0].msig")"
update "upd-smoke-1" 1 "http://127.0.0.1:$WEB_PORT/1.1.0.bin" "$MAN" "$MSIG"
wait_for "$WORK/sub.log" '"ack":{"id":"upd-smoke-1","result":"ok"}' || fail "update not acked ok"
wait_for "$WORK/sub.log" '"upd":{"id":"upd-smoke-1","state":"REBOOTING"}' || fail "no REBOOTING"
wait_for "$WORK/lock.err" "[lock] rebooting into slot 1" || fail "no reboot"
wait_for "$WORK/web.log" "GET /1.1.0.bin" || fail "the image was never fetched"
say "ok - signed update acked, image downloaded over HTTP, REBOOTING"

wait_hellos 1.1.0 1 || fail "the new image does not say hello as 1.1.0"
wait_for "$WORK/lock.err" "(on trial)" || fail "the new image is not on trial"
welcome
wait_for "$WORK/sub.log" '"upd":{"id":"upd-smoke-1","state":"CONFIRMED"}' || fail "no CONFIRMED after the welcome"
check_status_sigs
say "ok - the new image said hello as 1.1.0 and was CONFIRMED by the welcome"

# Release 1.2.0, signed here with the TEST-ONLY key; its trial image "crashes" before confirming.
printf 'smartlock-virtual-image fw=1.2.0\nanother TEST IMAGE\n' > "$WORK/www/1.2.0.bin"
MAN2="sl-fw1;hw=esp32;fw=1.2.0;arc=3;size=$(wc -c < "$WORK/www/1.2.0.bin" | tr -d ' ');sha256=$(openssl dgst -sha256 -r "$WORK/www/1.2.0.bin" | cut -d' ' -f1)"
printf '%s' "$MAN2" | openssl dgst -sha256 -sign "$TEST_KEY" -out "$WORK/man2.der"
MSIG2="$(openssl asn1parse -inform DER -in "$WORK/man2.der" | awk -F: '/INTEGER/ {print $NF}' |
  while read -r n; do printf '%064s' "$n" | tr ' ' 0; done | tr 'A-F' 'a-f')"
echo "crash next image" >&5
wait_for "$WORK/lock.err" "the next trial image will crash" || fail "the crash switch was not taken"
update "upd-smoke-2" 2 "http://127.0.0.1:$WEB_PORT/1.2.0.bin" "$MAN2" "$MSIG2"
wait_for "$WORK/sub.log" '"ack":{"id":"upd-smoke-2","result":"ok"}' || fail "second update not acked ok"
wait_for "$WORK/lock.err" "crashed before confirming" 30 || fail "the trial image did not crash"
wait_hellos 1.1.0 2 || fail "the lock did not come back as 1.1.0"
welcome
wait_for "$WORK/sub.log" '"upd":{"id":"upd-smoke-2","state":"ROLLED_BACK","reason":"crash"}' || fail "no ROLLED_BACK crash"
check_status_sigs
grep -qF '"fw":"1.2.0"' "$WORK/sub.log" && fail "the crashing image said hello"
say "ok - a trial image that rebooted before confirming was rolled back: 1.1.0 reports ROLLED_BACK crash"

kill -TERM "$LOCK_PID"
rc=0; wait "$LOCK_PID" || rc=$?
LOCK_PID=""
[ "$rc" = 0 ] || fail "SIGTERM exit code $rc"
say "ok - SIGTERM: exit 0"
