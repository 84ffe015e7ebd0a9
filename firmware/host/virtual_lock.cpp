// virtual-lock: the firmware's core on a Linux host, over a real MQTT broker. Same LockApp,
// same codec and signatures as the ESP32; only the ports differ (files, stdout LEDs, libmosquitto).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "claim_mode.h"
#include "fault_injection.h"
#include "file_flash.h"
#include "host_ports.h"
#include "http_downloader.h"
#include "improv.h"
#include "improv_stdio.h"
#include "key_schedule.h"
#include "lock_app.h"
#include "mosquitto_transport.h"
#include "stdin_control.h"
#include "unclaimed_app.h"
#include "update_agent.h"
#include "websocket_mqtt_transport.h"

namespace {

volatile sig_atomic_t gStop = 0;
void onSignal(int) { gStop = 1; }

const char kUsage[] =
    "usage: virtual-lock --broker mqtt://127.0.0.1:1883 --device <id> --secret <64 hex>\n"
    "                    [--prefix smartlock] [--state-dir <dir>] [--heartbeat-ms 9000]\n"
    "                    [--move-ms 1000] [--ca-file <pem>] [--jam] [--bolt LOCKED|UNLOCKED]\n"
    "                    [--no-door-sensor] [--protocol 1|2|3] [--tls-psk]\n"
    "       virtual-lock --improv-stdio --state-dir <dir> [--wifi-reject]\n"
    "       virtual-lock --broker <url> --state-dir <dir> [--prefix p] [--hello-ms 30000]   (unclaimed)\n"
    "--improv-stdio: an unprovisioned lock: Improv Wi-Fi packets on stdin/stdout (firmware/README.md,\n"
    "\"Provisioning\"), stored in --state-dir. Without --device and --secret the lock runs from what\n"
    "is stored there (device, secret, broker; --broker/--tls-psk are then derived from it); with nothing\n"
    "stored it runs unclaimed: it prints \"CLAIM CODE SL1-...\" and waits for claimLock (docs/protocol.md,\n"
    "\"Claiming\"), then runs as the lock it was claimed as.\n"
    "--broker ws://host:port/mqtt: MQTT over WebSockets (the api's /mqtt with MQTT_WEBSOCKETS=true),\n"
    "through the firmware's own WebSocket client (src/core/websocket_stream.h); plain TCP, no TLS.\n"
    "--tls-psk: TLS 1.2 with a pre-shared key (the embedded broker's TLS listener, mqtts://host:8883):\n"
    "identity = the device id, key = HKDF(secret, tls-psk); no CA (not with --ca-file).\n"
    "stdin takes one command per line: door open, door closed, turn lock, turn unlock, factory reset,\n"
    "ble-challenge (prints the Bluetooth challenge JSON on a line), ble-request <json> (a Bluetooth\n"
    "request; the result JSON is printed on a line: docs/protocol.md §16, firmware/README.md).\n"
    "Each option may come from the environment instead: SMARTLOCK_BROKER, SMARTLOCK_DEVICE,\n"
    "SMARTLOCK_SECRET (preferred: argv is visible to other users), SMARTLOCK_PREFIX,\n"
    "SMARTLOCK_STATE_DIR, SMARTLOCK_HEARTBEAT_MS, SMARTLOCK_MOVE_MS, SMARTLOCK_CA_FILE, SMARTLOCK_JAM=1,\n"
    "SMARTLOCK_BOLT, SMARTLOCK_NO_DOOR_SENSOR=1, SMARTLOCK_PROTOCOL, SMARTLOCK_TLS_PSK=1.\n"
    "Firmware updates (protocol v3): --release-key <130 hex, the uncompressed P-256 point> (or\n"
    "SMARTLOCK_RELEASE_KEY) turns them on, with two image slots in <state-dir>/ota and --hw <id>\n"
    "(SMARTLOCK_HW, default virtual) as the hardware id manifests must name. An update reboots by\n"
    "re-executing the lock, which then reports the new image's fw. \"crash next image\" on stdin (or\n"
    "SMARTLOCK_CRASH_NEXT_IMAGE=1) makes the next trial image reboot before confirming: it is rolled back.\n"
    "SMARTLOCK_FAULT (tests only): exit-after-rekey-persist or exit-after-rekey-ack (host/fault_injection.h).\n";

struct Options {
  std::string broker = "mqtt://127.0.0.1:1883", device, secret, prefix = "smartlock", stateDir = ".",
              caFile, bolt = "LOCKED", releaseKey, hw = "virtual";
  long heartbeatMs = smartlock::kHeartbeatMs, moveMs = 1000, protocol = smartlock::kHighestVersion, helloMs = 30000;
  bool jam = false, doorSensor = true, tlsPsk = false, improvStdio = false, wifiReject = false, brokerGiven = false,
       prefixGiven = false;
};

std::string env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

bool parseArgs(int argc, char** argv, Options& o) {
  o.brokerGiven = std::getenv("SMARTLOCK_BROKER") != nullptr;
  o.broker = env("SMARTLOCK_BROKER", o.broker);
  o.device = env("SMARTLOCK_DEVICE", o.device);
  o.secret = env("SMARTLOCK_SECRET", o.secret);
  o.prefixGiven = std::getenv("SMARTLOCK_PREFIX") != nullptr;
  o.prefix = env("SMARTLOCK_PREFIX", o.prefix);
  o.stateDir = env("SMARTLOCK_STATE_DIR", o.stateDir);
  o.caFile = env("SMARTLOCK_CA_FILE", o.caFile);
  o.heartbeatMs = std::atol(env("SMARTLOCK_HEARTBEAT_MS", std::to_string(o.heartbeatMs)).c_str());
  o.moveMs = std::atol(env("SMARTLOCK_MOVE_MS", std::to_string(o.moveMs)).c_str());
  o.jam = env("SMARTLOCK_JAM", "0") == "1";
  o.bolt = env("SMARTLOCK_BOLT", o.bolt);
  o.doorSensor = env("SMARTLOCK_NO_DOOR_SENSOR", "0") != "1";
  o.protocol = std::atol(env("SMARTLOCK_PROTOCOL", std::to_string(o.protocol)).c_str());
  o.tlsPsk = env("SMARTLOCK_TLS_PSK", "0") == "1";
  o.releaseKey = env("SMARTLOCK_RELEASE_KEY", o.releaseKey);
  o.hw = env("SMARTLOCK_HW", o.hw);
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string num;
    if (a == "--broker") { if (!value(o.broker)) return false; o.brokerGiven = true; }
    else if (a == "--improv-stdio") { o.improvStdio = true; }
    else if (a == "--wifi-reject") { o.wifiReject = true; }
    else if (a == "--device") { if (!value(o.device)) return false; }
    else if (a == "--secret") { if (!value(o.secret)) return false; }
    else if (a == "--prefix") { if (!value(o.prefix)) return false; o.prefixGiven = true; }
    else if (a == "--state-dir") { if (!value(o.stateDir)) return false; }
    else if (a == "--ca-file") { if (!value(o.caFile)) return false; }
    else if (a == "--heartbeat-ms") { if (!value(num)) return false; o.heartbeatMs = std::atol(num.c_str()); }
    else if (a == "--hello-ms") { if (!value(num)) return false; o.helloMs = std::atol(num.c_str()); }
    else if (a == "--move-ms") { if (!value(num)) return false; o.moveMs = std::atol(num.c_str()); }
    else if (a == "--jam") { o.jam = true; }
    else if (a == "--bolt") { if (!value(o.bolt)) return false; }
    else if (a == "--no-door-sensor") { o.doorSensor = false; }
    else if (a == "--protocol") { if (!value(num)) return false; o.protocol = std::atol(num.c_str()); }
    else if (a == "--tls-psk") { o.tlsPsk = true; }
    else if (a == "--release-key") { if (!value(o.releaseKey)) return false; }
    else if (a == "--hw") { if (!value(o.hw)) return false; }
    else if (a == "--help" || a == "-h") { return false; }
    else { std::fprintf(stderr, "virtual-lock: unknown option %s\n", a.c_str()); return false; }
  }
  return true;
}

const char kFactoryImage[] = "smartlock-virtual-image fw=virtual-2\nthe image the virtual lock ships with\n";

// A "reboot": the same program again, from what the state directory holds.
[[noreturn]] void reexec(char** argv) {
  std::fflush(nullptr);
  ::execv("/proc/self/exe", argv);
  std::perror("virtual-lock: re-exec");
  std::_Exit(3);
}

bool fileExists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

enum class RunEnd { Stopped, Reset, Failed };

void printLine(const char* text) {
  std::printf("%s\n", text);
  std::fflush(stdout);
}

// The GATT boundary without a radio (docs/protocol.md §16.3): "ble-challenge" reads the challenge
// characteristic and prints it on a line; "ble-request <json>" writes the request characteristic;
// the result characteristic's value is printed on a line when it is set (at once for a rejection,
// once the bolt settled for an ok).
bool bleCommand(smartlock::BleAccess& ble, const std::string& line) {
  if (line == "ble-challenge") {
    char buf[smartlock::kBleMessageMax + 1];
    if (ble.readChallenge(buf, sizeof buf) == 0) return false;
    std::fprintf(stderr, "[ble] challenge read\n");
    printLine(buf);
    return true;
  }
  static const std::string kRequest = "ble-request ";
  if (line.compare(0, kRequest.size(), kRequest) != 0) return false;
  const std::string request = line.substr(kRequest.size());
  const smartlock::BleVerdict v = ble.request(request.data(), request.size());
  std::fprintf(stderr, "[ble] request: %s\n", smartlock::nameOf(v));
  return true;
}

// The lock with its credentials until it stops, or until a factory reset wipes them. `argv`: to
// "reboot" into a new firmware image (re-exec).
RunEnd runLock(const Options& o, char** argv) {
  host::BrokerUrl url;
  host::WebSocketUrl wsUrl;
  smartlock::LockConfig cfg;
  const bool overWebSocket = host::parseWebSocketUrl(o.broker, wsUrl);
  if (overWebSocket) url.host = wsUrl.host, url.port = wsUrl.port;
  if (!overWebSocket && !host::parseBrokerUrl(o.broker, url)) {
    std::fprintf(stderr, "virtual-lock: --broker must be mqtt://host[:port], mqtts://host[:port] or ws://host[:port]/path\n");
    return RunEnd::Failed;
  }
  if (!smartlock::parseDeviceKey(o.secret.c_str(), o.secret.size(), cfg.key)) {
    std::fprintf(stderr, "virtual-lock: --secret must be the 64 hex digits of the deviceSecret\n");
    return RunEnd::Failed;
  }
  if (o.heartbeatMs < 100 || o.moveMs < 0) {
    std::fprintf(stderr, "virtual-lock: --heartbeat-ms must be >= 100 and --move-ms >= 0\n");
    return RunEnd::Failed;
  }
  if ((o.bolt != "LOCKED" && o.bolt != "UNLOCKED") || !smartlock::isKnownVersion(static_cast<int>(o.protocol))) {
    std::fprintf(stderr, "virtual-lock: --bolt must be LOCKED or UNLOCKED and --protocol 1, 2 or 3\n");
    return RunEnd::Failed;
  }
  if (o.tlsPsk && (!url.tls || !o.caFile.empty())) {
    std::fprintf(stderr, "virtual-lock: --tls-psk needs an mqtts:// --broker and no --ca-file\n");
    return RunEnd::Failed;
  }
  cfg.deviceId = o.device.c_str();
  cfg.prefix = o.prefix.c_str();
  cfg.heartbeatMs = static_cast<uint32_t>(o.heartbeatMs);
  cfg.fw = "virtual-2";
  cfg.maxVersion = static_cast<int>(o.protocol);

  // Firmware updates: the two slots, the "bootloader" at every start, a trial image's crash.
  std::unique_ptr<host::FileFlash> flash;
  smartlock::ReleasePublicKey releaseKey{};
  std::string fw = cfg.fw;
  const std::string otaDir = o.stateDir + "/ota", crashMarker = otaDir + "/crash-next-image";
  if (!o.releaseKey.empty()) {
    if (!smartlock::parseReleasePublicKey(o.releaseKey.c_str(), o.releaseKey.size(), releaseKey)) {
      std::fprintf(stderr, "virtual-lock: --release-key must be the 130 hex digits of an uncompressed P-256 point\n");
      return RunEnd::Failed;
    }
    flash = std::make_unique<host::FileFlash>(otaDir, kFactoryImage);
    if (env("SMARTLOCK_CRASH_NEXT_IMAGE", "0") == "1") {
      host::FileStorage(otaDir).storeText("crash-next-image", "1");
      ::unsetenv("SMARTLOCK_CRASH_NEXT_IMAGE");  // once, not at every re-exec
    }
    if (!flash->powerOn()) {
      std::fprintf(stderr, "virtual-lock: no bootable image in %s\n", otaDir.c_str());
      return RunEnd::Failed;
    }
    if (flash->runningIsPending() && fileExists(crashMarker)) {
      std::remove(crashMarker.c_str());
      std::fprintf(stderr, "[lock] the trial image in slot %d crashed before confirming (crash next image)\n",
                   flash->runningSlot());
      reexec(argv);
    }
    const std::string imageFw = host::fwOfImage(flash->runningImage());
    if (!imageFw.empty()) fw = imageFw;
    cfg.fw = fw.c_str();
    std::fprintf(stderr, "[lock] running slot %d, fw %s%s\n", flash->runningSlot(), cfg.fw,
                 flash->runningIsPending() ? " (on trial)" : "");
  }

  host::FileStorage files(o.stateDir);
  host::TlsPsk psk;
  if (o.tlsPsk) {
    // From the lock's current secret: one rotated over the air replaces the configured one (key_ring.h).
    smartlock::KeyRing ring(files);
    ring.begin(cfg.key);
    char keyHex[smartlock::kSigHexLen + 1];
    smartlock::tlsPskHex(ring.current(), keyHex);
    psk = host::TlsPsk{o.device, keyHex};
    std::memset(keyHex, 0, sizeof keyHex);
  }
  host::SystemRandom random;
  host::StderrLogger logger;
  std::unique_ptr<smartlock::MqttTransport> network;
  if (overWebSocket) network = std::make_unique<host::WebSocketMqttTransport>(wsUrl, random, &logger);
  else network = std::make_unique<host::MosquittoTransport>(url, o.caFile, psk);
  host::SystemClock clock;
  // SMARTLOCK_FAULT: a crash point for tests (host/fault_injection.h); none by default.
  const std::string fault = env("SMARTLOCK_FAULT", "");
  host::FaultStorage storage(files, fault);
  host::FaultMqtt mqtt(*network, fault);
  host::ConsoleLeds leds;
  smartlock::LedActuator actuator(leds, clock, static_cast<uint32_t>(o.moveMs));
  actuator.setJam(o.jam);
  // The pretend bolt is where --bolt says at every start (a real lock would sense it); the lock
  // itself does not move at boot unless a cfg told it to (boot LOCK).
  actuator.place(o.bolt == "LOCKED" ? smartlock::Action::Lock : smartlock::Action::Unlock);
  host::VirtualDoor door;
  host::StdinControl hands(o.doorSensor ? &door : nullptr, actuator);
  smartlock::LockApp* running = nullptr;  // set once the app exists: the Bluetooth commands need it
  hands.extra = [&](const std::string& line) {
    if (running != nullptr && bleCommand(running->ble(), line)) return true;
    if (line != "crash next image" || !flash) return false;
    host::FileStorage(otaDir).storeText("crash-next-image", "1");
    std::fprintf(stderr, "[hand] the next trial image will crash before confirming\n");
    return true;
  };
  host::HttpDownloader downloader;
  smartlock::EcdsaReleaseVerifier releaseVerifier(releaseKey);
  std::unique_ptr<smartlock::UpdateAgent> update;
  if (flash) {
    smartlock::UpdateAgentConfig ucfg;
    ucfg.hw = o.hw.c_str();
    ucfg.runningFw = cfg.fw;
    update = std::make_unique<smartlock::UpdateAgent>(
        ucfg, smartlock::UpdateAgentDeps{*flash, downloader, releaseVerifier, storage, clock, &logger});
    update->boot();
  }
  smartlock::LockAppDeps deps{mqtt, clock, storage, actuator, random, nullptr, &logger,
                              o.doorSensor ? &door : nullptr, &actuator};
  deps.update = update.get();
  smartlock::LockApp app(cfg, deps);
  if (!app.begin()) return RunEnd::Failed;  // LockApp logged why
  running = &app;

  std::fprintf(stderr, "[lock] %s on %s:%d%s, prefix %s\n", o.device.c_str(), url.host.c_str(), url.port,
               o.tlsPsk ? " (TLS-PSK)" : url.tls ? " (TLS)" : overWebSocket ? " (WebSocket)" : "", o.prefix.c_str());

  while (!gStop) {
    hands.poll();
    app.loop();
    if (app.ble().takeResultChanged()) printLine(app.ble().result());  // what the result characteristic notifies
    if (flash && flash->rebootRequested()) {
      app.shutdown();
      std::fprintf(stderr, "[lock] rebooting into slot %d\n", 1 - flash->runningSlot());
      reexec(argv);
    }
    if (hands.takeResetRequest()) {
      // In v3 a signed reset tells the server first (docs/protocol.md §15.5); a few loops let the
      // QoS 1 publish leave before the connection closes. Otherwise the owner's removeLock releases it.
      if (app.sendFactoryReset()) {
        for (int i = 0; i < 60; ++i, ::usleep(5000)) app.loop();
      }
      app.shutdown();
      if (!smartlock::factoryReset(storage)) return RunEnd::Failed;
      std::printf("FACTORY RESET\n");
      std::fflush(stdout);
      return RunEnd::Reset;
    }
    ::usleep(5000);
  }
  app.shutdown();
  std::fprintf(stderr, "[lock] stopped\n");
  return RunEnd::Stopped;
}


// Fills the device, secret (and, unless given, broker and prefix) from the stored provisioning.
bool loadProvisioning(Options& o) {
  host::FileStorage provStorage(o.stateDir);
  smartlock::StorageSettingsStore store(provStorage);
  smartlock::LockProvisioning prov;
  if (!store.loadLock(prov)) return false;
  o.device = prov.deviceId;
  o.secret = prov.secretHex;
  if (!o.prefixGiven) o.prefix = prov.prefix;
  if (!o.brokerGiven) {
    const bool tls = prov.tlsPort != 0;
    o.broker = std::string(tls ? "mqtts://" : "mqtt://") + prov.host + ":" + std::to_string(tls ? prov.tlsPort : prov.port);
    o.tlsPsk = o.tlsPsk || prov.tls == smartlock::BrokerTls::Psk;
  }
  std::fprintf(stderr, "[lock] provisioned as %s (from %s)\n", o.device.c_str(), o.stateDir.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parseArgs(argc, argv, o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  ::mkdir(o.stateDir.c_str(), 0700);  // may exist already; FileStorage reports real failures
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  if (o.improvStdio) return host::runImprovStdio(host::ImprovStdioOptions{o.stateDir, o.wifiReject}, &gStop);

  // Credentials on the command line win until a factory reset; then only what the lock is claimed as.
  bool given = !(o.device.empty() && o.secret.empty());
  for (;;) {
    Options run = o;
    if (!given && !loadProvisioning(run)) {
      // Nothing stored (the ESP32 reads NVS): a lock fresh from the factory waits to be claimed.
      host::ClaimModeOptions claim;
      if (!host::parseBrokerUrl(o.broker, claim.url) || o.helloMs < 100) {
        std::fprintf(stderr, "virtual-lock: --broker must be mqtt://host[:port] or mqtts://host[:port], --hello-ms >= 100\n");
        return 2;
      }
      claim.caFile = o.caFile;
      claim.stateDir = o.stateDir;
      claim.prefix = o.prefix;
      claim.helloMs = o.helloMs;
      if (!host::runUnclaimed(claim, &gStop)) return gStop ? 0 : 2;
      continue;
    }
    const RunEnd end = runLock(run, argv);
    if (end != RunEnd::Reset) return end == RunEnd::Stopped ? 0 : 2;
    given = false;
  }
}
