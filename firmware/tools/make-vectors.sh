#!/usr/bin/env bash
# Regenerates docs/protocol-vectors.json with openssl only, so every signature in it can be
# checked by hand: printf '%s' "$unsigned" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$K
# Invariants of every case: "payload" is the bytes as they travel; "unsigned" is B, the body a
# receiver hashes (or would, had the envelope been right), "" when there is none; "sig" is
# hex(HMAC(deviceSecret, unsigned)), the value a receiver expects, "" when "unsigned" is "".
# So a bad_signature case carries in its payload a sig that differs from "sig".
# Usage: firmware/tools/make-vectors.sh [output]   (default: <repo>/docs/protocol-vectors.json)
set -euo pipefail
command -v openssl >/dev/null || { echo "make-vectors: openssl is required" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../docs/protocol-vectors.json}"

K=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f  # worked example
K2=c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00  # "another lock"

hmac() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/^.*= //'; }
json_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
signed() { printf '%s,"sig":"%s"}' "${2%\}}" "$(hmac "$1" "$2")"; }  # payload of B under key

cases=()
# add NAME SECRET TOPIC_DEVICE EXPECT_TYPE UNSIGNED SIG PAYLOAD VERDICT
add() {
  cases+=("    {\"name\":$(json_str "$1"),\"deviceSecret\":\"$2\",\"topicDevice\":$(json_str "$3"),\"expectType\":\"$4\",
     \"unsigned\":$(json_str "$5"),\"sig\":\"$6\",
     \"payload\":$(json_str "$7"),
     \"verdict\":\"$8\"}")
}
# addb NAME SECRET TOPIC_DEVICE EXPECT_TYPE B VERDICT: B signed with SECRET as it travels
addb() { add "$1" "$2" "$3" "$4" "$5" "$(hmac "$2" "$5")" "$(signed "$2" "$5")" "$6"; }

CMD='{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":7,"ts":1795760000}'
STATUS='{"v":1,"type":"status","dev":"front-door","boot":3,"seq":42,"status":"UNLOCKED","ctr":7,"ts":1795760001,"ack":{"id":"c-1","result":"ok"}}'
FULL='{"v":1,"type":"status","dev":"front-door","boot":4,"seq":1,"status":"JAMMED","ctr":8,"ts":1795760100,"uptime":12,"rssi":-61,"battery":87,"power":"BATTERY","issue":"Motor jammed","fw":"1.0.0","ack":{"id":"c-2","result":"failed","reason":"jammed"}}'
TIME='{"v":1,"type":"time","dev":"front-door","boot":3,"seq":42,"ts":1795760002}'
REJ='{"v":1,"type":"status","dev":"front-door","boot":3,"seq":43,"status":"UNLOCKED","ctr":7,"ts":1795760002,"issue":"","ack":{"id":"c-1","result":"rejected","reason":"replay"}}'

cmd_sig=$(hmac $K "$CMD")
[ "$cmd_sig" = 6d0aa1d2a3fd1c1686a058d64a4992a04c5d464d7fcc41c0eea544b4f31c9414 ] || { echo "cmd sig drifted from the worked example in docs/protocol.md" >&2; exit 1; }
[ "$(hmac $K "$STATUS")" = 5ed58e97bd0182e2087e3a2c8ccc53261e242f4716436a0ee58c96c34e9d8ca0 ] || { echo "status sig drifted" >&2; exit 1; }
pw=$(hmac $K SLMQTT1)
[ "$pw" = f18eea59ad5d25ff8c26d1ac53866e7c1f0171db53731aed818aaaee26029705 ] || { echo "mqttPassword drifted" >&2; exit 1; }

addb "worked example cmd" $K front-door cmd "$CMD" valid
addb "worked example status" $K front-door status "$STATUS" valid
addb "status with every optional member" $K front-door status "$FULL" valid
addb "status with a rejected ack and an empty issue" $K front-door status "$REJ" valid
addb "cmd LOCK with members in another order" $K front-door cmd '{"ts":1795760005,"ctr":8,"action":"LOCK","id":"c-2","dev":"front-door","type":"cmd","v":1}' valid
tampered=$(signed $K "$CMD"); tampered=${tampered/\"UNLOCK\"/\"LOCK\"}
tampered_b=${CMD/\"UNLOCK\"/\"LOCK\"}
add "tampered action keeps the old sig" $K front-door cmd "$tampered_b" "$(hmac $K "$tampered_b")" "$tampered" bad_signature
add "signed with another lock's secret" $K front-door cmd "$CMD" "$cmd_sig" "$(signed $K2 "$CMD")" bad_signature
upper=$(printf '%s' "$cmd_sig" | tr a-f A-F)
add "sig in uppercase hex" $K front-door cmd "$CMD" "$cmd_sig" "${CMD%\}},\"sig\":\"$upper\"}" malformed
addb "whitespace inside the JSON" $K front-door cmd '{"v":1, "type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":7,"ts":1795760000}' malformed
add "sig not the last member" $K front-door cmd "" "$cmd_sig" "{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c-1\",\"action\":\"UNLOCK\",\"ctr\":7,\"sig\":\"$cmd_sig\",\"ts\":1795760000}" malformed
add "no sig at all" $K front-door cmd "" "" "$CMD" malformed
full_cmd=$(signed $K "$CMD")
add "truncated in transit" $K front-door cmd "" "" "${full_cmd:0:60}" malformed
addb "signed but truncated JSON" $K front-door cmd '{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":}' malformed
addb "signed duplicate member" $K front-door cmd '{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","action":"LOCK","ctr":7,"ts":1795760000}' malformed
addb "signed ctr as a string" $K front-door cmd '{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":"7","ts":1795760000}' malformed
addb "signed ctr zero" $K front-door cmd '{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":0,"ts":1795760000}' malformed
addb "signed unknown action" $K front-door cmd '{"v":1,"type":"cmd","dev":"front-door","id":"c-1","action":"OPEN","ctr":7,"ts":1795760000}' malformed
addb "signed for another device" $K front-door cmd '{"v":1,"type":"cmd","dev":"back-door","id":"c-1","action":"UNLOCK","ctr":7,"ts":1795760000}' wrong_device
addb "cmd checked as a status" $K front-door status "$CMD" wrong_type
addb "status checked as a cmd" $K front-door cmd "$STATUS" wrong_type
addb "version 2" $K front-door cmd '{"v":2,"type":"cmd","dev":"front-door","id":"c-1","action":"UNLOCK","ctr":7,"ts":1795760000}' bad_version
# The server's time (docs/protocol.md §7a), answering the worked example status (3, 42).
addb "worked example time" $K front-door time "$TIME" valid
addb "time seen by a v1 lock as a cmd (no id: dropped without a reply)" $K front-door cmd "$TIME" wrong_type
addb "time for another device" $K front-door time '{"v":1,"type":"time","dev":"back-door","boot":3,"seq":42,"ts":1795760002}' wrong_device
addb "time with ts 0" $K front-door time '{"v":1,"type":"time","dev":"front-door","boot":3,"seq":42,"ts":0}' malformed
addb "time with an extra member" $K front-door time '{"v":1,"type":"time","dev":"front-door","boot":3,"seq":42,"ts":1795760002,"ctr":8}' malformed
addb "time without seq" $K front-door time '{"v":1,"type":"time","dev":"front-door","boot":3,"ts":1795760002}' malformed

{
  printf '{\n  "protocol": 1,\n  "mqttPassword": [\n'
  printf '    {"deviceSecret":"%s","mqttPassword":"%s"},\n' $K "$pw"
  printf '    {"deviceSecret":"%s","mqttPassword":"%s"}\n  ],\n' $K2 "$(hmac $K2 SLMQTT1)"
  printf '  "cases": [\n'
  for i in "${!cases[@]}"; do
    [ "$i" -gt 0 ] && printf ',\n'
    printf '%s' "${cases[$i]}"
  done
  printf '\n  ]\n}\n'
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "make-vectors: wrote ${#cases[@]} cases to $out"
