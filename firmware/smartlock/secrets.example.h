// Copy to secrets.h (git-ignored) and fill in. Never commit secrets.h, never print its values.
#pragma once

// Wi-Fi (2.4 GHz).
#define SMARTLOCK_WIFI_SSID "my-wifi"
#define SMARTLOCK_WIFI_PASSWORD "my-wifi-password"

// Broker: what the api shows as its MQTT url, split in parts (mqtts://host:8883 -> host, 8883, 1).
#define SMARTLOCK_BROKER_HOST "broker.example.com"
#define SMARTLOCK_BROKER_PORT 8883
#define SMARTLOCK_BROKER_TLS 1  // 0 only for a broker on your own LAN
#define SMARTLOCK_TOPIC_PREFIX "smartlock"

// From registerLock(deviceId, name) in the app / GraphQL. The broker username is the device id
// and the password is derived from the secret on the lock, so only these two are needed.
#define SMARTLOCK_DEVICE_ID "front-door"
#define SMARTLOCK_DEVICE_SECRET "<64 hex characters of deviceSecret>"

// PEM of the CA that signed the broker's certificate (used when SMARTLOCK_BROKER_TLS is 1).
static const char SMARTLOCK_CA_PEM[] = R"PEM(
-----BEGIN CERTIFICATE-----
...
-----END CERTIFICATE-----
)PEM";

// Indicator LEDs (the same pins as wokwi/diagram.json).
#define SMARTLOCK_PIN_RED 25
#define SMARTLOCK_PIN_GREEN 26
