// Smartlock firmware for an ESP32 devkit: the thin shell. All decisions (signatures, counters,
// replay and staleness, acks, heartbeats, reconnect backoff, Improv provisioning) live in the
// host-tested core (firmware/src/core); this file only wires it to Wi-Fi, MQTT, NVS, serial and GPIO.
// The lock's time comes from the server's signed time messages, not from SNTP (docs/protocol.md §7a).
//
// Where the lock's settings come from: NVS, written by Improv Wi-Fi over the USB serial port
// (`npm run provision`, docs/provisioning.md) or by a claim. A development build may also compile them
// in from secrets.h (copy secrets.example.h; git-ignored), used only while NVS holds none, and says so
// (README "Secrets at rest"; the rule is the core's loadLockSource). Wokwi: build_profile.h.
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <esp_flash_encrypt.h>
#include <esp_pthread.h>

#include "arduino_mqtt_client.h"
#include "ble_nimble.h"
#include "claim_shell.h"
#include "esp32_ports.h"
#include "improv.h"
#include "improv_ports.h"
#include "key_schedule.h"
#include "lock_app.h"
#include "network_thread_transport.h"
#include "ota_ports.h"
#include "release_key.h"
#include "update_agent.h"
#include "websocket_client.h"
#include "wifi_supervisor.h"
#include "wifi_watch.h"

// secrets.h, secrets.wokwi.h or nothing, by build flag; a release build refuses a compiled-in secret.
#include "build_profile.h"
#include "lock_source.h"

namespace {

constexpr uint32_t kMoveMs = 1500;  // how long the LED stand-in for the motor "moves"
constexpr const char* kFw = "esp32-1.0.0";  // the "fw" of release manifests built from this source
constexpr const char* kHw = "esp32";        // the "hw" they must name

WiFiClientSecure tlsNet;
WiFiClient plainNet;
ArduinoClock lockClock;  // not "clock": that is a libc function
NvsStorage storage;
smartlock::StorageSettingsStore settings(storage);
EspRandom rng;  // not "random": that is an Arduino function
GpioLeds leds(SMARTLOCK_PIN_RED, SMARTLOCK_PIN_GREEN);
smartlock::LedActuator actuator(leds, lockClock, kMoveMs);
WifiTelemetry telemetry;
SerialLogger logger;
SerialSink serialSink;
EspWifi espWifi;
smartlock::LockProvisioning prov;  // lives as long as the program: the config points into it
smartlock::WifiSettings wifi;
smartlock::LockConfig config;
smartlock::LockApp* app = nullptr;
BleNimbleShell* bleShell = nullptr;  // Bluetooth offline keys (docs/protocol.md §16), once the lock runs
smartlock::ImprovSession* improv = nullptr;
EspOtaFlash otaFlash(storage);
EspWifiRadio wifiRadio;
WifiEventQueue wifiEvents;
smartlock::WifiSupervisor wifiSupervisor(wifiRadio, lockClock, &logger);
bool wifiStarted = false;
TaskWatchdog watchdog;
smartlock::UpdateAgent* updates = nullptr;  // only with a release public key
smartlock::NetworkThreadTransport* network = nullptr;  // the MQTT transport, once one is made

// Starts the transport's network thread, where arduino-mqtt and WiFiClientSecure block (README
// "Never blocks"). std::thread is a pthread on ESP-IDF, i.e. a FreeRTOS task made with the
// esp_pthread config in force at its creation: the default 3 KB stack is too small for a TLS
// handshake. Called from setup(), i.e. on the loop task.
bool startNetworkThread(smartlock::NetworkThreadTransport& transport) {
  esp_pthread_cfg_t cfg = esp_pthread_get_default_config();
  cfg.stack_size = 8192;  // the loop task's (CONFIG_ARDUINO_LOOP_STACK_SIZE), which ran these same calls until now
  // The loop task's priority and core: time-sliced with it, so a TLS handshake's arithmetic cannot
  // starve the loop, and Wi-Fi and lwIP keep the other core as before.
  cfg.prio = uxTaskPriorityGet(nullptr);
  cfg.pin_to_core = xPortGetCoreID();
  cfg.thread_name = "mqtt-net";
  cfg.inherit_cfg = false;
  if (esp_pthread_set_cfg(&cfg) != ESP_OK) return false;
  const bool started = transport.start();
  const esp_pthread_cfg_t defaults = esp_pthread_get_default_config();
  esp_pthread_set_cfg(&defaults);  // for any later thread (NimBLE makes its own tasks)
  if (started) network = &transport;
  return started;
}

// The CA an image server's certificate must chain to (https only; none: no updates over https).
const char* firmwareCaPem() {
#if defined(SMARTLOCK_FIRMWARE_CA_PEM_DEFINED)
  return SMARTLOCK_FIRMWARE_CA_PEM;
#elif SMARTLOCK_HAVE_SECRETS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_CA
  return SMARTLOCK_CA_PEM;
#else
  return nullptr;
#endif
}

// The release public key (130 hex, uncompressed P-256 point): NVS "relkey" first, else secrets.h.
// It only verifies: the private key that signs releases never leaves the release machine.
bool loadReleaseKey(smartlock::ReleasePublicKey& out) {
  char hex[2 * smartlock::kReleasePublicKeyLen + 1] = {};
  if (storage.loadText("relkey", hex, sizeof hex) && smartlock::parseReleasePublicKey(hex, strlen(hex), out)) return true;
#if defined(SMARTLOCK_RELEASE_PUBLIC_KEY)
  return smartlock::parseReleasePublicKey(SMARTLOCK_RELEASE_PUBLIC_KEY, strlen(SMARTLOCK_RELEASE_PUBLIC_KEY), out);
#else
  return false;
#endif
}

// Before anything else at boot: a trial image is kept, or rolled back, from what NVS says.
void startUpdates() {
  static smartlock::ReleasePublicKey key{};
  if (!otaFlash.findSlots()) {
    logger.log("update: the partition table has no ota_0/ota_1 slots; updates are off");
    return;
  }
  if (!loadReleaseKey(key)) {
    logger.log("update: no release public key (NVS relkey or SMARTLOCK_RELEASE_PUBLIC_KEY); updates are off");
    otaFlash.markValid();  // nothing could have put this image on trial
    return;
  }
  static smartlock::EcdsaReleaseVerifier verifier(key);
  static HttpsImageDownloader downloader(firmwareCaPem());
  static smartlock::UpdateAgent agent(smartlock::UpdateAgentConfig{kHw, kFw},
                                      smartlock::UpdateAgentDeps{otaFlash, downloader, verifier, storage, lockClock, &logger});
  agent.boot();
  updates = &agent;
}

smartlock::FactoryIdentity factory;
smartlock::UnclaimedApp* unclaimed = nullptr;
claimshell::LongPress resetButton;

// NVS first; else, in a development build, the values of secrets.h; else nothing (Improv or a claim).
smartlock::LockSource lockSource = smartlock::LockSource::None;
bool loadLockProvisioning() {
  smartlock::CompiledLock compiled;
#if SMARTLOCK_HAVE_SECRETS
  compiled.deviceId = SMARTLOCK_DEVICE_ID;
  compiled.secretHex = SMARTLOCK_DEVICE_SECRET;
  compiled.host = SMARTLOCK_BROKER_HOST;
  compiled.port = static_cast<uint16_t>(SMARTLOCK_BROKER_PORT);
  compiled.tls = SMARTLOCK_BROKER_TLS;
  compiled.tlsMode = SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_PSK ? smartlock::BrokerTls::Psk : smartlock::BrokerTls::Certificate;
  compiled.prefix = SMARTLOCK_TOPIC_PREFIX;
#endif
  lockSource = smartlock::loadLockSource(settings, compiled, SMARTLOCK_IS_RELEASE_BUILD, prov, &logger);
  return lockSource != smartlock::LockSource::None;
}

bool loadWifi() {
  if (settings.loadWifi(wifi)) return true;
#if SMARTLOCK_HAVE_SECRETS
  strncpy(wifi.ssid, SMARTLOCK_WIFI_SSID, sizeof wifi.ssid - 1);
  strncpy(wifi.password, SMARTLOCK_WIFI_PASSWORD, sizeof wifi.password - 1);
  return wifi.ssid[0] != '\0';
#else
  return false;
#endif
}

// Builds the MQTT transport and the app from prov; false (and a log line) when it cannot.
bool startLock() {
  config.deviceId = prov.deviceId;
  config.prefix = prov.prefix;
  config.fw = kFw;
  // Shown in the app as the lock's issue, in every status, for as long as it runs on it.
  if (lockSource == smartlock::LockSource::CompiledIn) config.standingIssue = smartlock::kIssueCompiledSecret;
  if (!smartlock::parseDeviceKey(prov.secretHex, strlen(prov.secretHex), config.key)) return false;
  const bool tls = prov.tlsPort != 0;
  if (tls && prov.tls == smartlock::BrokerTls::Psk) {
    // docs/protocol.md §12: identity = device id, key = HKDF(K, "tls-psk") in hex. WiFiClientSecure
    // keeps the pointers, so both live as long as the program.
    // From the lock's current secret: one rotated over the air replaces the provisioned one (key_ring.h).
    static char pskHex[smartlock::kSigHexLen + 1];
    smartlock::KeyRing ring(storage);
    ring.begin(config.key);
    smartlock::tlsPskHex(ring.current(), pskHex);
    tlsNet.setPreSharedKey(prov.deviceId, pskHex);
  } else if (tls) {
#if SMARTLOCK_HAVE_SECRETS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_CA
    tlsNet.setCACert(SMARTLOCK_CA_PEM);  // pinned root: only a broker certificate it signed is accepted
    // Only for the broker certificate's validity dates (mbedTLS reads time()); never for commands.
    configTime(0, 0, "pool.ntp.org", "time.google.com");
#else
    // The CA does not fit an Improv packet: never connect without checking the broker.
    logger.log("config: tls \"certificate\" needs SMARTLOCK_CA_PEM in secrets.h; the lock stays offline");
    return false;
#endif
  }
  // Made once, for the life of the program (the client's constructor differs for TLS and plain).
  static ArduinoMqttClient& client = tls ? *new ArduinoMqttClient(tlsNet, prov.host, prov.tlsPort)
                                         : *new ArduinoMqttClient(plainNet, prov.host, prov.port);
  client.setLogger(&logger);
#ifdef SMARTLOCK_MQTT_WEBSOCKET_PATH
  // MQTT over WebSockets (wss://host/mqtt on a PaaS that exposes only HTTPS): the same MQTT client
  // over a WebSocket Client over TLS (docs/protocol.md §12.3).
  static WebSocketClient wsNet(tls ? static_cast<Client&>(tlsNet) : static_cast<Client&>(plainNet), rng, SMARTLOCK_MQTT_WEBSOCKET_PATH);
  client.overWebSocket(&wsNet);
#endif
#if SMARTLOCK_HAVE_SECRETS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_CA
  if (tls) client.explainTlsFailures(&logger, prov.tls == smartlock::BrokerTls::Psk, SMARTLOCK_CA_PEM);
#else
  if (tls) client.explainTlsFailures(&logger, prov.tls == smartlock::BrokerTls::Psk);
#endif
  // The client's blocking calls run on the transport's own thread; LockApp only ever sees the transport.
  static smartlock::NetworkThreadTransport& mqtt = *new smartlock::NetworkThreadTransport(client);
  if (!startNetworkThread(mqtt)) {
    logger.log("mqtt: could not start the network thread (memory)");
    return false;
  }
  // No door sensor on the devkit (door UNKNOWN); the LED stand-in is its own bolt sensor.
  smartlock::LockAppDeps deps{mqtt, lockClock, storage, actuator, rng, &telemetry, &logger, nullptr, &actuator};
  deps.update = updates;
  deps.watchdog = &watchdog;  // fed at every LockApp::loop() pass
#ifdef SMARTLOCK_BATTERY_HEARTBEAT_S
  // The battery profile (firmware/README.md, "Battery"): a longer heartbeat, announced as hb, and light sleep.
  static LightSleeper sleeper(&mqtt);
  sleeper.begin();
  config.power.profile = smartlock::PowerProfile::Battery;
  config.power.batteryHeartbeatS = SMARTLOCK_BATTERY_HEARTBEAT_S;
  deps.sleeper = &sleeper;
#endif
  static smartlock::LockApp lockApp(config, deps);
  Serial.printf("[lock] %s -> %s:%u\n", prov.deviceId, prov.host, tls ? prov.tlsPort : prov.port);  // never the secret
  // Bumps the boot counter and applies the configured boot rule: by default the bolt does not move.
  if (!lockApp.begin()) return false;
  app = &lockApp;
  static BleNimbleShell shell(lockApp.ble());
  shell.begin(prov.deviceId);
  bleShell = &shell;
  return true;
}

// Unclaimed, with a broker known from secrets.h (a development build; Improv does not carry a broker
// for an unclaimed lock yet): waits on its claim topic for its device id and K (docs/protocol.md §15).
void startUnclaimed() {
#if SMARTLOCK_HAVE_SECRETS
  if (SMARTLOCK_BROKER_TLS && SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_PSK) {
    logger.log("claim: an unclaimed lock has no TLS pre-shared key; use plain MQTT or a certificate to claim it");
    return;
  }
#if SMARTLOCK_TLS_MODE == SMARTLOCK_TLS_CA
  if (SMARTLOCK_BROKER_TLS) tlsNet.setCACert(SMARTLOCK_CA_PEM);
#endif
  static ArduinoMqttClient& client = SMARTLOCK_BROKER_TLS
                                         ? *new ArduinoMqttClient(tlsNet, SMARTLOCK_BROKER_HOST, SMARTLOCK_BROKER_PORT)
                                         : *new ArduinoMqttClient(plainNet, SMARTLOCK_BROKER_HOST, SMARTLOCK_BROKER_PORT);
  client.setLogger(&logger);
  static smartlock::NetworkThreadTransport& mqtt = *new smartlock::NetworkThreadTransport(client);
  if (!startNetworkThread(mqtt)) {
    logger.log("claim: could not start the network thread (memory)");
    return;
  }
  smartlock::UnclaimedConfig cfg;
  cfg.prefix = SMARTLOCK_TOPIC_PREFIX;
  cfg.fw = kFw;
  static smartlock::UnclaimedApp app(factory, cfg, mqtt, lockClock, storage, rng, &logger);
  if (app.begin()) unclaimed = &app;
#else
  logger.log("claim: no broker known to claim this lock over (provision it, or build with secrets.h)");
#endif
}

}  // namespace

// Arduino-ESP32 marks a trial image valid at boot unless this says the app decides (the core's
// UpdateAgent confirms it on the server's welcome, or rolls it back).
extern "C" bool verifyRollbackLater() { return true; }

void setup() {
  // Room for several whole Improv packets (at most 265 bytes each) between loop passes (an HTTPS
  // image download's open() still blocks the loop, README "Never blocks"); the default 256 bytes could drop one.
  Serial.setRxBufferSize(1024);
  Serial.begin(115200);
  leds.begin();
  if (!watchdog.begin()) logger.log("watchdog: could not watch the loop task");
  if (!storage.begin()) logger.log("nvs: cannot open namespace; counters and settings will not persist");
  // Secrets at rest (README): without flash encryption, NVS (K included) is plain text on the flash chip.
  logger.log(esp_flash_encryption_enabled() ? "security: flash encryption is on"
                                            : "security: flash encryption is OFF: NVS, and the secret in it, can be read off the flash chip");
  startUpdates();

  resetButton.begin();
  const bool haveFactoryIdentity = claimshell::factoryIdentity(storage, rng, factory);
  // NVS, else secrets.h (a development build with a device id); else the lock waits to be claimed.
  const bool haveLock = loadLockProvisioning();
  if (!haveLock && haveFactoryIdentity) claimshell::printCode(factory);
  // Improv always listens, so a lock can be moved to another network or re-provisioned over USB.
  static smartlock::ImprovSession session(serialSink, espWifi, settings, lockClock,
                                          smartlock::ImprovInfo{"smartlock", kFw, "ESP32", haveLock ? prov.deviceId : "Smartlock"});
  improv = &session;
  if (!loadWifi()) {
    logger.log("provisioning: waiting for Improv Wi-Fi on this serial port (npm run provision)");
    return;  // no app: no network, no bolt movement
  }
  WiFi.mode(WIFI_STA);
  // The core's WifiSupervisor reconnects and restarts Wi-Fi from the driver's events (the driver's
  // own auto-reconnect stalls after some disconnect reasons on Arduino-ESP32 2.x).
  WiFi.setAutoReconnect(false);
  if (!wifiEvents.begin()) logger.log("wifi: no event queue; recovery runs on its timers only");
  wifiRadio.setNetwork(wifi.ssid, wifi.password);
  WiFi.begin(wifi.ssid, wifi.password);
  wifiSupervisor.begin();
  wifiStarted = true;
  if (!haveLock) {
    if (haveFactoryIdentity) startUnclaimed();
    else logger.log("claim: no factory identity (NVS not writable): the lock cannot be claimed");
    return;
  }
  if (!startLock()) logger.log("config: the lock stays offline; re-provision it over Improv");
}

void loop() {
  if (app == nullptr) watchdog.feed();  // otherwise LockApp::loop() feeds it
  if (wifiStarted) {
    wifiEvents.drainInto(wifiSupervisor);
    wifiSupervisor.loop();
  }
  while (Serial.available() > 0) improv->push(static_cast<uint8_t>(Serial.read()));
  improv->loop();
  // Once a client has provisioned the lock (settings and Wi-Fi stored), start again from NVS. The
  // bolt does not move at boot (STAY) unless a cfg asked for LOCK.
  if (improv->state() == smartlock::improv::State::Provisioned && improv->wifiSaved()) {
    smartlock::LockProvisioning stored;
    if (settings.loadLock(stored)) {
      logger.log("provisioning: done; restarting with the new settings");
      Serial.flush();
      delay(200);
      ESP.restart();
    }
  }
  if (resetButton.held()) {
    // In v3 a signed reset tells the server first (docs/protocol.md §15.5); otherwise the owner's
    // removeLock releases the lock. The network thread sends the QoS 1 publish: wait for its PUBACK
    // (or its failure) for at most 5 s, the client's 4 s PUBACK wait and a little.
    if (app != nullptr && app->sendFactoryReset()) {
      for (int i = 0; i < 1000 && network != nullptr && !network->idle(); ++i, delay(5)) app->loop();
    }
    logger.log(smartlock::factoryReset(storage) ? "claim: factory reset; restarting unclaimed" : "claim: factory reset failed");
    Serial.flush();
    delay(200);
    ESP.restart();
  }
  if (unclaimed != nullptr) {
    unclaimed->loop();
#if SMARTLOCK_HAVE_SECRETS
    if (const smartlock::ClaimGrant* grant = unclaimed->claimed()) {
      const uint16_t port = static_cast<uint16_t>(SMARTLOCK_BROKER_PORT);
      smartlock::ClaimBroker broker{SMARTLOCK_BROKER_HOST, SMARTLOCK_BROKER_TLS ? uint16_t{0} : port, SMARTLOCK_TOPIC_PREFIX};
      if (SMARTLOCK_BROKER_TLS) {
        broker.tlsPort = port;
        broker.tls = smartlock::BrokerTls::Certificate;
      }
      logger.log(smartlock::adoptClaim(storage, *grant, broker) ? "claim: claimed; restarting as the new lock" : "claim: could not store the claim");
      Serial.flush();
      delay(200);
      ESP.restart();
    }
#endif
  }
  if (bleShell != nullptr) bleShell->lock();  // NimBLE's task reads challenges meanwhile (ble_nimble.h)
  if (app != nullptr) app->loop();  // never blocks for long, never reboots, never moves the bolt for network reasons
  if (bleShell != nullptr) {
    bleShell->unlock();
    bleShell->loop();
  }
  delay(5);
}
