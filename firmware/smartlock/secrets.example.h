// Development fallback only. A lock is normally provisioned without recompiling: Improv Wi-Fi over
// serial (`npm run provision`, firmware/README.md) writes these values into NVS, and NVS wins.
// Copy to secrets.h (git-ignored) and fill in only for a development build whose NVS is empty.
// Never commit secrets.h, never print its values. Without secrets.h the sketch builds as well.
#pragma once

// Wi-Fi (2.4 GHz).
#define SMARTLOCK_WIFI_SSID "my-wifi"
#define SMARTLOCK_WIFI_PASSWORD "my-wifi-password"

// Broker: what the app shows with the secret under "Broker" (or the provisioning file, docs/provisioning.md).
#define SMARTLOCK_BROKER_HOST "broker.example.com"
#define SMARTLOCK_BROKER_PORT 8883
#define SMARTLOCK_BROKER_TLS 1  // 0 only for a broker on your own LAN
// How the lock knows it talks to the real broker when SMARTLOCK_BROKER_TLS is 1 (firmware/README.md):
//   SMARTLOCK_TLS_CA:  the broker shows a certificate signed by SMARTLOCK_CA_PEM below (Mosquitto on
//                      the internet; needs the time from NTP for the certificate's dates).
//   SMARTLOCK_TLS_PSK: TLS 1.2 with a pre-shared key (the api's embedded broker, port 8883): the key
//                      is derived from the device secret, the identity is the device id; no CA, no NTP.
#define SMARTLOCK_TLS_MODE SMARTLOCK_TLS_CA
#define SMARTLOCK_TOPIC_PREFIX "smartlock"
// MQTT over WebSockets, for a server on a PaaS that exposes only HTTPS (Railway; docs/deploy.md):
// the lock dials wss://<SMARTLOCK_BROKER_HOST>:<SMARTLOCK_BROKER_PORT><path>. Then set the host to the
// app's domain, the port to 443, SMARTLOCK_BROKER_TLS 1, SMARTLOCK_TLS_MODE SMARTLOCK_TLS_CA and
// SMARTLOCK_CA_PEM to the root that signed the domain's certificate (the PaaS's, not the broker's).
// #define SMARTLOCK_MQTT_WEBSOCKET_PATH "/mqtt"

// From registerLock(deviceId, name) in the app / GraphQL. The broker username is the device id
// and the password is derived from the secret on the lock, so only these two are needed.
#define SMARTLOCK_DEVICE_ID "front-door"
#define SMARTLOCK_DEVICE_SECRET "<64 hex characters of deviceSecret>"

// PEM of the CA that signed the broker's certificate (used with SMARTLOCK_TLS_MODE SMARTLOCK_TLS_CA).
static const char SMARTLOCK_CA_PEM[] = R"PEM(
-----BEGIN CERTIFICATE-----
...
-----END CERTIFICATE-----
)PEM";

// Indicator LEDs (the same pins as wokwi/diagram.json).
// On batteries (firmware/README.md, "Battery"): a status every this many seconds (9..300), announced
// to the server, and light sleep between loop passes. Leave it out on mains power (9 s, no sleep).
// #define SMARTLOCK_BATTERY_HEARTBEAT_S 60
#define SMARTLOCK_PIN_RED 25
#define SMARTLOCK_PIN_GREEN 26

// Firmware updates (firmware/README.md, "Updates step by step"). The release PUBLIC key, 130 hex
// digits of the uncompressed P-256 point (NVS key "relkey" wins). Without it the lock never updates.
// #define SMARTLOCK_RELEASE_PUBLIC_KEY "04..."
// The CA of the image server when it is not the broker's SMARTLOCK_CA_PEM:
// #define SMARTLOCK_FIRMWARE_CA_PEM_DEFINED 1
// static const char SMARTLOCK_FIRMWARE_CA_PEM[] = R"PEM(...)PEM";
// A LAN test server over plain http (the signature and sha256 still decide):
// #define SMARTLOCK_FIRMWARE_ALLOW_HTTP 1
