// libFuzzer target: hostile bytes through everything that reads untrusted payloads (MQTT payloads,
// and the Improv serial bytes).
// Random bytes almost never carry a valid HMAC, so the input is also signed here and pushed
// through the full command path, and parsed directly as B to reach the post-signature code.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ble_access.h"
#include "codec.h"
#include "codec_update.h"
#include "key_ring.h"
#include "command_verifier.h"
#include "improv.h"
#include "firmware_manifest.h"
#include "signature.h"

#include <cstdio>

using namespace smartlock;

namespace {

DeviceKey testKey() {
  DeviceKey k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
  return k;
}

// A status we build from what we parsed must parse back to the same verdict: the builder and
// the parser agree on the format.
void roundTrip(const StatusMessage& s, int version) {
  StatusReport r;
  r.version = version;
  r.door = s.door;
  r.src = s.src;
  r.cid = s.cid;
  r.boot = s.boot;
  r.seq = s.seq;
  r.status = s.status;
  r.ctr = s.ctr;
  r.ts = s.ts;
  r.uptime = s.uptime;
  r.rssi = s.rssi;
  r.battery = s.battery;
  r.power = s.power;
  r.ack = s.ack ? &*s.ack : nullptr;
  char buf[kMaxPayload + 1];
  const size_t n = buildStatus(s.dev, r, buf, sizeof buf);
  if (n == 0) return;  // e.g. an ack reason with escapes, which the builder refuses to write
  StatusMessage back;
  if (parseStatus(buf, n, s.dev, back, version)) __builtin_trap();
  if (back.boot != s.boot || back.seq != s.seq || back.status != s.status) __builtin_trap();
  if (version == kProtocolV2 && (back.door != s.door || back.src != s.src)) __builtin_trap();
}

// Improv: a session whose ports accept everything, and a check that every packet it writes parses back.
struct NullWifi : WifiPort {
  WifiStatus st = WifiStatus::Idle;
  void connect(const char*, const char*) override { st = WifiStatus::Connected; }
  WifiStatus status() override { return st; }
};
struct MemStorage : Storage {
  std::optional<uint64_t> load(const char*) override { return std::nullopt; }
  bool store(const char*, uint64_t) override { return true; }
  bool storeText(const char*, const char*) override { return true; }
};
struct ZeroClock : Clock {
  uint32_t millis() override { return 0; }
  std::optional<int64_t> unixTime() override { return std::nullopt; }
};
struct CheckingSink : ByteSink {
  improv::Parser parser;
  void write(const uint8_t* d, size_t n) override {
    int packets = 0;
    for (size_t i = 0; i < n; ++i) packets += parser.push(d[i]);
    if (packets != 1) __builtin_trap();  // each write is exactly one well-formed packet
  }
};

void fuzzImprov(const uint8_t* data, size_t size) {
  NullWifi wifi;
  MemStorage mem;
  StorageSettingsStore store(mem);
  ZeroClock clock;
  CheckingSink sink;
  ImprovSession session(sink, wifi, store, clock);
  for (size_t i = 0; i < size; ++i) session.push(data[i]);
  session.loop();
  // Random bytes rarely form a packet: the same bytes framed as one RPC reach the RPC handlers.
  uint8_t framed[improv::kMaxPacket];
  const size_t n = improv::encode(improv::Type::Rpc, data, size < improv::kMaxData ? size : improv::kMaxData, framed, sizeof framed);
  for (size_t i = 0; i < n; ++i) session.push(framed[i]);
  session.loop();
}

// A manifest that parses is in its one canonical form: printed back from its fields, it is the input.
void fuzzManifest(const char* text, size_t size) {
  Manifest m;
  if (!parseManifest(text, size, m)) return;
  char hex[65];
  toHex(m.sha256.data(), m.sha256.size(), hex);
  char again[kManifestMax + 1];
  const int n = std::snprintf(again, sizeof again, "sl-fw1;hw=%s;fw=%s;arc=%u;size=%lu;sha256=%s", m.hw, m.fw,
                              static_cast<unsigned>(m.arc), static_cast<unsigned long>(m.size), hex);
  if (n < 0 || static_cast<size_t>(n) != size || std::memcmp(again, text, size) != 0) __builtin_trap();
}

// The Bluetooth request characteristic is written by anybody in radio range: hostile bytes through
// BleAccess::request (docs/protocol.md §16.4), and the status member "ble" parsed back to its one spelling.
struct NullStorage : Storage {
  std::optional<uint64_t> load(const char*) override { return std::nullopt; }
  bool store(const char*, uint64_t) override { return true; }
};
struct FixedClock : Clock {
  uint32_t millis() override { return 0; }
  std::optional<int64_t> unixTime() override { return 1795760000; }
};
struct IdleActuator : Actuator {
  void start(Action) override {}
  MoveState poll() override { return MoveState::Idle; }
};
struct CountingRandom : Random {
  uint32_t n = 0;
  uint32_t next() override { return n++; }
};

void fuzzBle(const char* text, size_t size) {
  static NullStorage storage;
  static FixedClock clock;
  static IdleActuator actuator;
  static CountingRandom random;
  static LockController lock(LockControllerDeps{storage, actuator, clock}, testKey(), "front-door");
  static BleAccess ble(BleAccessDeps{storage, random, clock, lock}, "front-door");
  static bool started = false;
  if (!started) {
    lock.begin();
    ble.begin(testKey());
    started = true;
  }
  char challenge[kBleMessageMax + 1];
  if (ble.readChallenge(challenge, sizeof challenge) == 0) __builtin_trap();
  ble.request(text, size);
  if (std::strlen(ble.result()) != ble.resultLength()) __builtin_trap();
  BleUse use;
  if (parseBleUse(text, size, use)) {
    char again[kBleUseMax + 1];
    if (!formatBleUse(use, again, sizeof again) || std::strlen(again) != size || std::memcmp(again, text, size) != 0) {
      __builtin_trap();  // one spelling per use
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const DeviceKey key = testKey();
  const char* text = reinterpret_cast<const char*>(data);

  verifyMessage(key, text, size, "front-door", MessageType::Cmd);
  verifyMessage(key, text, size, "front-door", MessageType::Status);
  const CommandContext ctx{key, "front-door", 6, 1795760000};
  verifyCommand(ctx, text, size);

  CommandMessage cmd;
  parseCommand(text, size, "front-door", cmd);
  StatusMessage status;
  if (!parseStatus(text, size, "front-door", status)) roundTrip(status, kProtocolVersion);
  if (!parseStatus(text, size, "front-door", status, kProtocolV2)) roundTrip(status, kProtocolV2);
  TimeMessage time;
  parseTime(text, size, "front-door", time);
  parseTime(text, size, "front-door", time, kProtocolV2);
  parseCommand(text, size, "front-door", cmd, kProtocolV2);
  HelloMessage hello;
  parseHello(text, size, "front-door", hello);
  WelcomeMessage welcome;
  parseWelcome(text, size, "front-door", welcome);
  CfgMessage cfg;
  parseCfg(text, size, "front-door", cfg);
  UpdateMessage update;
  if (!parseUpdate(text, size, "front-door", update)) {
    if (!isValidImageUrl(update.url, std::strlen(update.url)) || !isValidUpdateId(update.id, std::strlen(update.id))) {
      __builtin_trap();
    }
  }
  fuzzManifest(text, size);
  parseCfg(text, size, "front-door", cfg, kProtocolV3);
  RekeyMessage rekey;
  if (!parseRekey(text, size, "front-door", rekey)) {
    DeviceKey next{};
    openRekeyKey(DeviceKey{}, rekey.id, rekey.key, next);  // any parsed key opens without overrun
  }
  fuzzImprov(data, size);
  BlerevMessage blerev;
  if (!parseBlerev(text, size, "front-door", blerev) && blerev.list.count > kBleRevokedMax) __builtin_trap();
  fuzzBle(text, size);

  // The same bytes, validly signed, through the whole verifier.
  char buf[kMaxPayload + 1];
  if (size <= kMaxPayload - kSigSuffixLen) {
    std::memcpy(buf, data, size);
    const size_t n = signInPlace(key, buf, size, sizeof buf);
    if (n > 0) {
      if (checkSignature(key, buf, n)) __builtin_trap();  // we just signed it
      verifyCommand(ctx, buf, n);
      verifyMessage(key, buf, n, "front-door", MessageType::Status);
      verifyMessage(key, buf, n, "front-door", MessageType::Time);
      const CommandContext ctx2{key, "front-door", 6, 1795760000, kProtocolV2};
      verifyCommand(ctx2, buf, n);
      verifyCfg(ctx2, buf, n);
      const CommandContext ctx3{key, "front-door", 6, 1795760000, kUpdateProtocolVersion};
      verifyUpdate(ctx3, buf, n);
      verifyWelcome(key, buf, n, "front-door", welcome);
      verifyMessage(key, buf, n, "front-door", MessageType::Hello);
      verifyBlerev(ctx3, buf, n);
    }
  }
  return 0;
}
