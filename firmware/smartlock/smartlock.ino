// Smartlock firmware for an ESP32 devkit: the thin shell. All decisions (signatures, counters,
// replay and staleness, acks, heartbeats, reconnect backoff) live in the host-tested core
// (firmware/src/core); this file only wires it to Wi-Fi, MQTT, NVS and GPIO. The lock's time comes
// from the server's signed time messages, not from SNTP (docs/protocol.md §7a).
#include <WiFi.h>
#include <WiFiClientSecure.h>

#include "arduino_mqtt_transport.h"
#include "esp32_ports.h"
#include "key_schedule.h"
#include "lock_app.h"

// The values of SMARTLOCK_TLS_MODE in secrets.h (a secrets.h without it keeps CA pinning).
#define SMARTLOCK_TLS_CA 1
#define SMARTLOCK_TLS_PSK 2
#include "secrets.h"  // copy secrets.example.h; git-ignored
#ifndef SMARTLOCK_TLS_MODE
#define SMARTLOCK_TLS_MODE SMARTLOCK_TLS_CA
#endif
#if SMARTLOCK_TLS_MODE != SMARTLOCK_TLS_CA && SMARTLOCK_TLS_MODE != SMARTLOCK_TLS_PSK
#error "SMARTLOCK_TLS_MODE must be SMARTLOCK_TLS_CA or SMARTLOCK_TLS_PSK"
#endif

namespace {

constexpr uint32_t kMoveMs = 1500;  // how long the LED stand-in for the motor "moves"

#if SMARTLOCK_BROKER_TLS
WiFiClientSecure net;
#else
WiFiClient net;
#endif
ArduinoMqttTransport mqtt(net, SMARTLOCK_BROKER_HOST, SMARTLOCK_BROKER_PORT);
ArduinoClock lockClock;  // not "clock": that is a libc function
NvsStorage storage;
EspRandom rng;  // not "random": that is an Arduino function
GpioLeds leds(SMARTLOCK_PIN_RED, SMARTLOCK_PIN_GREEN);
smartlock::LedActuator actuator(leds, lockClock, kMoveMs);
WifiTelemetry telemetry;
SerialLogger logger;
smartlock::LockConfig config;
smartlock::LockApp* app = nullptr;

}  // namespace

void setup() {
  Serial.begin(115200);
  leds.begin();
  if (!storage.begin()) logger.log("nvs: cannot open namespace; counters will not persist");

  config.deviceId = SMARTLOCK_DEVICE_ID;
  config.prefix = SMARTLOCK_TOPIC_PREFIX;
  config.fw = "esp32-1.0.0";
  const char secret[] = SMARTLOCK_DEVICE_SECRET;
  if (!smartlock::parseDeviceKey(secret, sizeof secret - 1, config.key)) {
    logger.log("config: SMARTLOCK_DEVICE_SECRET is not 64 hex digits; fix secrets.h");
    return;  // app stays null: no network, no bolt movement
  }
#if SMARTLOCK_BROKER_TLS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_PSK
  // docs/protocol.md §12: identity = device id, key = HKDF(K, "tls-psk") in hex. WiFiClientSecure
  // keeps the pointers, so both live as long as the program.
  static char pskHex[smartlock::kSigHexLen + 1];
  smartlock::tlsPskHex(config.key, pskHex);
  net.setPreSharedKey(SMARTLOCK_DEVICE_ID, pskHex);
  mqtt.explainTlsFailures(&net, &logger, /*psk=*/true);
#elif SMARTLOCK_BROKER_TLS
  net.setCACert(SMARTLOCK_CA_PEM);  // pinned root: only a broker certificate it signed is accepted
  mqtt.explainTlsFailures(&net, &logger, /*psk=*/false);
#endif

  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);  // the Wi-Fi driver retries on its own; MQTT backs off in the core
  WiFi.begin(SMARTLOCK_WIFI_SSID, SMARTLOCK_WIFI_PASSWORD);
#if SMARTLOCK_BROKER_TLS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_CA
  // Only for the broker certificate's validity dates (mbedTLS reads time()). Never used for
  // command or status freshness: those use the server's signed time (ServerClock in the core).
  configTime(0, 0, "pool.ntp.org", "time.google.com");
#endif

  // No door sensor on the devkit (door UNKNOWN); the LED stand-in is its own bolt sensor.
  static smartlock::LockApp lockApp(config, {mqtt, lockClock, storage, actuator, rng, &telemetry, &logger, nullptr, &actuator});
  app = &lockApp;
  Serial.printf("[lock] %s -> %s:%d\n", SMARTLOCK_DEVICE_ID, SMARTLOCK_BROKER_HOST, SMARTLOCK_BROKER_PORT);
  // Bumps the boot counter and applies the configured boot rule: by default the bolt does not move.
  if (!app->begin()) app = nullptr;
}

void loop() {
  if (app != nullptr) app->loop();  // never blocks for long, never reboots, never moves the bolt for network reasons
  delay(5);
}
