#!/bin/sh
# Runs Mosquitto 2 with the dynamic-security plugin (see README.md in this folder).
#
# On the first start it creates the plugin's file with one account, `admin` (MQTT_ADMIN_PASSWORD),
# for people. On every start it then makes sure the api's account exists with MQTT_PASSWORD and
# only the rights the api needs, so the broker and the api's .env always agree. Lock accounts are
# not made here: the api creates, rotates and deletes them itself over $CONTROL/dynamic-security/v1.
#
# The TLS listener (the lines between `# tls:begin` and `# tls:end` in the config) runs only when its
# certfile and keyfile exist: Mosquitto 2 refuses to start otherwise. Without them the broker runs a
# copy of the config without that section, and the log says TLS is off until they are mounted and the
# broker restarted. A SIGHUP to this script goes to the broker, which reloads the certificate and key
# (how a renewed certificate is put in service without a restart: README.md, "TLS on 8883").
#
# Environment (defaults are the docker-compose ones; the tests override the paths and port):
#   MQTT_ADMIN_PASSWORD, MQTT_PASSWORD   required
#   MQTT_USERNAME        the api's account          (smartlock-api)
#   MQTT_TOPIC_PREFIX    as the api's               (smartlock)
#   MOSQUITTO_CONF       broker config              (/mosquitto/config/mosquitto.conf)
#   DYNSEC_FILE          its plugin_opt_config_file (/mosquitto/data/dynamic-security.json)
#   MQTT_LISTEN_PORT     its listener on 127.0.0.1  (1883)
#   MOSQUITTO_BIN                                   (/usr/sbin/mosquitto)
set -eu

: "${MQTT_ADMIN_PASSWORD:?set MQTT_ADMIN_PASSWORD}"
: "${MQTT_PASSWORD:?set MQTT_PASSWORD}"
API=${MQTT_USERNAME:-smartlock-api}
PREFIX=${MQTT_TOPIC_PREFIX:-smartlock}
CONF=${MOSQUITTO_CONF:-/mosquitto/config/mosquitto.conf}
DYNSEC=${DYNSEC_FILE:-/mosquitto/data/dynamic-security.json}
PORT=${MQTT_LISTEN_PORT:-1883}
BIN=${MOSQUITTO_BIN:-/usr/sbin/mosquitto}

if [ ! -s "$DYNSEC" ]; then
  mosquitto_ctrl dynsec init "$DYNSEC" admin "$MQTT_ADMIN_PASSWORD" >/dev/null
  # The broker drops root for the mosquitto user, which must be able to rewrite the file.
  if [ "$(id -u)" = 0 ] && id mosquitto >/dev/null 2>&1; then chown mosquitto:mosquitto "$DYNSEC"; fi
  chmod 0600 "$DYNSEC"
fi

RUN_CONF=$CONF
missing=$(awk '/^# tls:begin/ { tls = 1 } /^# tls:end/ { tls = 0 } tls && ($1 == "certfile" || $1 == "keyfile") { print $2 }' "$CONF" |
  while read -r file; do [ -s "$file" ] || printf '%s ' "$file"; done)
if [ -n "$missing" ]; then
  RUN_CONF=$(mktemp "${TMPDIR:-/tmp}/mosquitto-conf.XXXXXX")
  awk '/^# tls:begin/ { tls = 1 } !tls { print } /^# tls:end/ { tls = 0 }' "$CONF" >"$RUN_CONF"
  # The broker reads it again on a SIGHUP, by then as the mosquitto user.
  chmod 0644 "$RUN_CONF"
  echo "start-mosquitto: TLS is OFF, no TLS listener until the certificate is mounted and the broker restarted (missing: ${missing% })" >&2
else
  echo "start-mosquitto: TLS listener on (its certificate files are in place)"
fi

"$BIN" -c "$RUN_CONF" &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT
# docker compose kill -s HUP mosquitto: the broker reloads its config and its TLS certificate and key.
trap 'kill -HUP "$broker" 2>/dev/null' HUP

ctrl() {
  mosquitto_ctrl -h 127.0.0.1 -p "$PORT" -u admin -P "$MQTT_ADMIN_PASSWORD" dynsec "$@" 2>/dev/null
}

# Wait for the listener (up to ~10 s).
tries=0
until ctrl getClient admin >/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$broker" 2>/dev/null; then
    echo "start-mosquitto: the broker did not accept the admin account on port $PORT" >&2
    kill -TERM "$broker" 2>/dev/null || true
    if [ "$RUN_CONF" != "$CONF" ]; then rm -f "$RUN_CONF"; fi
    exit 1
  fi
  sleep 0.1
done

# The api's rights, and nothing more. "already exists" answers make every step idempotent.
ctrl createRole "$API" >/dev/null || true
ctrl addRoleACL "$API" publishClientSend "$PREFIX/+/cmd" allow >/dev/null || true
ctrl addRoleACL "$API" subscribePattern "$PREFIX/+/status" allow >/dev/null || true
ctrl addRoleACL "$API" subscribePattern '$share/+/'"$PREFIX/+/status" allow >/dev/null || true
ctrl addRoleACL "$API" subscribePattern "$PREFIX/+/availability" allow >/dev/null || true
ctrl addRoleACL "$API" subscribePattern "$PREFIX/healthcheck" allow >/dev/null || true
# Claiming (docs/protocol.md §15.8): unclaimed locks' hellos in, retained claim messages out.
ctrl addRoleACL "$API" subscribePattern "$PREFIX/claim/+/hello" allow >/dev/null || true
ctrl addRoleACL "$API" publishClientSend "$PREFIX/claim/+" allow >/dev/null || true
ctrl addRoleACL "$API" publishClientSend '$CONTROL/dynamic-security/v1' allow >/dev/null || true
ctrl addRoleACL "$API" subscribeLiteral '$CONTROL/dynamic-security/v1/response' allow >/dev/null || true
# Needed although receiving is allowed by default: without it the plugin's answers never arrive.
ctrl addRoleACL "$API" publishClientReceive '$CONTROL/dynamic-security/v1/response' allow >/dev/null || true
# mosquitto_ctrl exits 0 even on "Client already exists": set the password in any case.
ctrl createClient "$API" -p "$MQTT_PASSWORD" >/dev/null || true
ctrl setClientPassword "$API" "$MQTT_PASSWORD" >/dev/null
ctrl addClientRole "$API" "$API" >/dev/null || true
echo "start-mosquitto: ready on port $PORT (accounts: admin, $API)"

# Stay in the foreground for the container (or test) and pass its exit code on.
set +e
wait "$broker"
status=$?
# A trapped signal (TERM, HUP) interrupts the wait; wait again until the broker has ended.
while kill -0 "$broker" 2>/dev/null; do wait "$broker"; status=$?; done
if [ "$RUN_CONF" != "$CONF" ]; then rm -f "$RUN_CONF"; fi
exit "$status"
