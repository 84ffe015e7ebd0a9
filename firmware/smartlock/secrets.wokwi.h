// The Wokwi development profile (`pio run -e wokwi`, firmware/README.md "Wokwi: the lock in the
// simulator, online in the demo"). Committed: it holds no secret. The lock joins the simulator's open
// network and dials the demo's embedded broker on the machine running the simulation, over plain
// MQTT: Wokwi's private gateway (bundled with Wokwi for VS Code) forwards host.wokwi.internal to that
// machine's localhost. With no device id and no secret here, the lock prints its claim code on the
// serial monitor and is claimed in the app; the claim puts its id and K into NVS.
#pragma once

// Wokwi's simulated access point: open, channel 6 (docs.wokwi.com, guides/esp32-wifi).
#define SMARTLOCK_WIFI_SSID "Wokwi-GUEST"
#define SMARTLOCK_WIFI_PASSWORD ""

// `npm run demo` (and `npm start`): the embedded broker on MQTT_PORT 1883, bound to 0.0.0.0 (MQTT_HOST),
// topic prefix MQTT_TOPIC_PREFIX "smartlock". Plain MQTT: an unclaimed lock has no pre-shared key,
// and the gateway carries the simulator's traffic only to your own machine.
#define SMARTLOCK_BROKER_HOST "host.wokwi.internal"
#define SMARTLOCK_BROKER_PORT 1883
#define SMARTLOCK_BROKER_TLS 0
// Unused while SMARTLOCK_BROKER_TLS is 0 (the embedded broker's TLS port, 8883, proves itself with a
// key derived from K: TLS-PSK).
#define SMARTLOCK_TLS_MODE SMARTLOCK_TLS_PSK
#define SMARTLOCK_TOPIC_PREFIX "smartlock"

