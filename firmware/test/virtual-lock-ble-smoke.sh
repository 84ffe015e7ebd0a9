#!/usr/bin/env bash
# The virtual lock's Bluetooth boundary on stdin (docs/protocol.md §16, firmware/README.md "Hands on
# stdin"), with no broker and no radio: `ble-challenge` prints a challenge with a fresh nonce, and
# `ble-request` with an offline key made by openssl gets its result line: signed `no_clock` (the lock
# has not heard the server's time), unsigned `bad_nonce` for the same nonce again (single use).
# Usage: test/virtual-lock-ble-smoke.sh build/virtual-lock
set -euo pipefail
LOCK_BIN="$(realpath "${1:-build/virtual-lock}")"
say() { echo "ble smoke: $*"; }
command -v openssl >/dev/null || { say "FAIL - openssl missing"; exit 1; }

DEV="ble-smoke" SECRET="$(openssl rand -hex 32)" WORK="$(mktemp -d)" LOCK_PID=""
cleanup() {
  exec 5>&- 2>/dev/null || true
  [ -n "$LOCK_PID" ] && { disown "$LOCK_PID"; kill -9 "$LOCK_PID"; } 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { say "FAIL - $*"; echo "--- lock stdout"; cat "$WORK/lock.out"; echo "--- lock stderr"; tail -20 "$WORK/lock.err"; exit 1; }
wait_for() {
  local deadline=$((SECONDS + 10))
  until grep -qF -- "$2" "$1"; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.05
  done
}
hmac_with() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.*= //'; }
KB=$(openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt "hexkey:$SECRET" -kdfopt salt:smartlock \
  -kdfopt "info:smartlock v2 ble" HKDF | tr -d ':\n' | tr 'A-F' 'a-f')

mkfifo "$WORK/hands"
# Port 1 refuses at once: the lock runs offline, as it would with the network down.
SMARTLOCK_SECRET="$SECRET" "$LOCK_BIN" --broker mqtt://127.0.0.1:1 --device "$DEV" --state-dir "$WORK" \
  < "$WORK/hands" > "$WORK/lock.out" 2> "$WORK/lock.err" &
LOCK_PID=$!
exec 5> "$WORK/hands"

echo "ble-challenge" >&5
wait_for "$WORK/lock.out" '"type":"blechal"' || fail "no challenge line"
CHAL=$(grep -F '"type":"blechal"' "$WORK/lock.out" | head -1)
N=$(printf '%s' "$CHAL" | sed -n 's/.*"n":"\([0-9a-f]\{32\}\)".*/\1/p')
[ -n "$N" ] || fail "challenge without a nonce: $CHAL"
[ "$CHAL" = "{\"v\":3,\"type\":\"blechal\",\"dev\":\"$DEV\",\"n\":\"$N\",\"t\":0}" ] || fail "challenge: $CHAL"

NOW=$(date +%s)
C="{\"v\":3,\"type\":\"blekey\",\"dev\":\"$DEV\",\"kid\":\"0123456789abcdef\",\"uid\":\"u-smoke\",\"act\":\"LU\",\"nb\":$NOW,\"na\":$((NOW + 3600))}"
S=$(hmac_with "$KB" "$C")
B="{\"v\":3,\"type\":\"bleop\",\"dev\":\"$DEV\",\"kid\":\"0123456789abcdef\",\"uid\":\"u-smoke\",\"act\":\"LU\",\"nb\":$NOW,\"na\":$((NOW + 3600)),\"op\":\"UNLOCK\",\"n\":\"$N\"}"
REQ="${B%\}},\"sig\":\"$(hmac_with "$S" "$B")\"}"
echo "ble-request $REQ" >&5
R="{\"v\":3,\"type\":\"bleres\",\"dev\":\"$DEV\",\"n\":\"$N\",\"result\":\"rejected\",\"reason\":\"no_clock\",\"status\":\"LOCKED\"}"
wait_for "$WORK/lock.out" "${R%\}},\"sig\":\"$(hmac_with "$S" "$R")\"}" || fail "no signed no_clock result"
echo "ble-request $REQ" >&5
wait_for "$WORK/lock.out" "\"reason\":\"bad_nonce\",\"status\":\"LOCKED\"}" || fail "the nonce was used twice"
grep -qF '"reason":"bad_nonce","status":"LOCKED","sig"' "$WORK/lock.out" && fail "a bad_nonce result must not be signed"
grep -q "LED green" "$WORK/lock.out" && fail "the bolt moved"
say "OK - challenge, signed no_clock, single-use nonce"
