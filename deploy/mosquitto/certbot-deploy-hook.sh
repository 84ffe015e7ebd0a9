#!/bin/sh
# certbot deploy hook for the broker's certificate (README.md, "TLS on 8883"):
#
#   certbot certonly --standalone -d mqtt.example.com --key-type rsa \
#     --deploy-hook /path/to/smartlock/deploy/mosquitto/certbot-deploy-hook.sh
#
# Copies the new certificate and key from certbot's live folder into deploy/mosquitto/certs/ (mounted
# read-only at /mosquitto/certs), each by a rename so the broker never reads a half-written file, then
# sends the broker SIGHUP: Mosquitto reloads the certificate and key without a restart.
#
# Environment:
#   RENEWED_LINEAGE   set by certbot: its live folder for the certificate
#   MOSQUITTO_CERTS   where the files go                    (the certs/ folder next to this script)
#   MOSQUITTO_GID     group that may read the key            (1883, the mosquitto user of eclipse-mosquitto:2)
#   MOSQUITTO_RELOAD  command that sends the broker SIGHUP  (docker compose kill -s HUP mosquitto, run in
#                     the repository root)
set -eu

: "${RENEWED_LINEAGE:?certbot sets RENEWED_LINEAGE to the certificate's live folder}"
HERE=$(cd "$(dirname "$0")" && pwd)
DEST=${MOSQUITTO_CERTS:-$HERE/certs}
GID=${MOSQUITTO_GID:-1883}

install -m 0644 "$RENEWED_LINEAGE/fullchain.pem" "$DEST/fullchain.pem.new"
install -m 0640 -g "$GID" "$RENEWED_LINEAGE/privkey.pem" "$DEST/privkey.pem.new"
mv -f "$DEST/fullchain.pem.new" "$DEST/fullchain.pem"
mv -f "$DEST/privkey.pem.new" "$DEST/privkey.pem"

cd "$HERE/../.."
if [ -n "${MOSQUITTO_RELOAD:-}" ]; then
  sh -c "$MOSQUITTO_RELOAD"
else
  docker compose kill -s HUP mosquitto
fi
echo "certbot-deploy-hook: $DEST updated from $RENEWED_LINEAGE, broker told to reload"
