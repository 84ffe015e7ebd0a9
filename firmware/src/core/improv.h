// Improv Wi-Fi over serial (https://www.improv-wifi.com/serial/), plus one Smartlock vendor RPC that
// carries the provisioning file (docs/provisioning.md, "Improv Wi-Fi over serial"). The spec page was
// not reachable while this was written: it is implemented from its description (packet layout,
// type, command, state and error numbers below) and cross-checked with the test vectors in
// firmware/test/improv_test.cpp and the worked example in docs/provisioning.md.
//
// Packet (both directions):
//
//   offset  size  value
//   0       6     'I' 'M' 'P' 'R' 'O' 'V'   (49 4D 50 52 4F 56)
//   6       1     version, 0x01
//   7       1     type: 0x01 current state, 0x02 error state, 0x03 RPC command, 0x04 RPC result
//   8       1     n = length of data (0..255)
//   9       n     data
//   9+n     1     checksum = low byte of the sum of bytes 0 .. 8+n (header included)
//
// data of a current state (device -> client): 1 byte, 0x02 ready (authorized), 0x03 provisioning,
//   0x04 provisioned.
// data of an error state (device -> client): 1 byte, 0x00 none, 0x01 invalid RPC packet, 0x02 unknown
//   RPC command, 0x03 unable to connect, 0xFF unknown error.
// data of an RPC command (client -> device): command, m = length of what follows, m bytes.
//   0x01 send Wi-Fi settings: [len ssid][ssid][len password][password]
//   0x02 request current state: nothing (answered with a current state packet)
//   0x03 request device info: nothing (answered with an RPC result of 4 strings: firmware name,
//        firmware version, chip family, device name)
//   0x04 request scanned networks: nothing (answered with one RPC result per network, strings
//        ssid, rssi in decimal, "YES"/"NO" for "needs a password", then one empty RPC result)
//   0xF0 Smartlock vendor RPC "set lock provisioning": 7 strings, deviceId, secret (64 hex),
//        broker host, TLS port (decimal or empty), plain port (decimal or empty), TLS mode ("psk",
//        "certificate" or empty), topic prefix. Answered with an empty RPC result, or error 0x01.
// data of an RPC result (device -> client): command, m = length of what follows, then strings,
//   each [len][bytes]. The Wi-Fi settings result carries no string (no redirect URL).
//
// Nothing here allocates: the parser keeps one bounded packet, the session fixed-size settings.
#pragma once
#include <cstddef>
#include <cstdint>

#include "ports.h"

namespace smartlock {
namespace improv {

constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderLen = 9;  // "IMPROV", version, type, length
constexpr size_t kMaxData = 255;  // the length byte's range: every valid packet fits
constexpr size_t kMaxPacket = kHeaderLen + kMaxData + 1;

enum class Type : uint8_t { CurrentState = 0x01, ErrorState = 0x02, Rpc = 0x03, RpcResult = 0x04 };
enum class State : uint8_t { Ready = 0x02, Provisioning = 0x03, Provisioned = 0x04 };
enum class Error : uint8_t { None = 0x00, InvalidRpc = 0x01, UnknownRpc = 0x02, UnableToConnect = 0x03, Unknown = 0xFF };
enum class Command : uint8_t {
  WifiSettings = 0x01,
  GetState = 0x02,
  GetDeviceInfo = 0x03,
  GetNetworks = 0x04,
  SetLockProvisioning = 0xF0,  // Smartlock's vendor extension
};

struct Packet {
  Type type = Type::CurrentState;
  uint8_t len = 0;
  uint8_t data[kMaxData] = {};
};

// Byte-at-a-time parser. Bytes outside a packet (log lines sharing the serial port, noise) are
// skipped; a wrong version, type or checksum drops the candidate and resynchronises on the next
// "IMPROV" (including one that starts inside the dropped bytes' header).
class Parser {
 public:
  // True when b completed a valid packet, then available in packet() until the next push.
  bool push(uint8_t b);
  const Packet& packet() const { return packet_; }
  uint32_t dropped() const { return dropped_; }  // candidates dropped (bad version/type/checksum)

 private:
  void restartFrom(size_t from);
  uint8_t buf_[kMaxPacket] = {};
  size_t have_ = 0;
  Packet packet_;
  uint32_t dropped_ = 0;
};

// Writes one packet into out (cap >= kHeaderLen + len + 1); returns its size, 0 if it does not fit.
size_t encode(Type type, const uint8_t* data, size_t len, uint8_t* out, size_t cap);
uint8_t checksum(const uint8_t* bytes, size_t n);

// Reads string i (0-based) of a length-prefixed list; false when the list is malformed or short.
struct Str {
  const char* p = nullptr;
  size_t n = 0;
};
bool readStrings(const uint8_t* data, size_t len, Str* out, size_t count);

}  // namespace improv

// What Improv provisions, as it is kept in NVS (SettingsStore). Strings are NUL-terminated.
struct WifiSettings {
  char ssid[33] = {};      // 1..32 bytes
  char password[65] = {};  // 0..64 bytes (empty: open network)
};

enum class BrokerTls : uint8_t { None, Psk, Certificate };

struct LockProvisioning {
  char deviceId[kDeviceIdMax + 1] = {};
  char secretHex[kSigHexLen + 1] = {};  // 64 lowercase hex
  char host[81] = {};                   // host name or IP; at most 80 (what Storage::storeText holds)
  uint16_t tlsPort = 0;                 // 0: none
  uint16_t port = 0;                    // plain MQTT, 0: none
  BrokerTls tls = BrokerTls::None;      // None exactly when tlsPort is 0
  char prefix[kPrefixMax + 1] = {};
};

// The lock's provisioned settings, durable (NVS on the ESP32, files for the virtual lock).
class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  virtual bool saveWifi(const WifiSettings& s) = 0;
  virtual bool loadWifi(WifiSettings& s) = 0;
  virtual bool saveLock(const LockProvisioning& p) = 0;
  virtual bool loadLock(LockProvisioning& p) = 0;
};

// A SettingsStore over the core's Storage text values (so NvsStorage and FileStorage serve both):
// one key per field, and a marker written last and cleared first, so a power cut in the middle
// leaves "not provisioned" rather than half a configuration.
class StorageSettingsStore : public SettingsStore {
 public:
  explicit StorageSettingsStore(Storage& storage) : storage_(storage) {}
  bool saveWifi(const WifiSettings& s) override;
  bool loadWifi(WifiSettings& s) override;
  bool saveLock(const LockProvisioning& p) override;
  bool loadLock(LockProvisioning& p) override;
  // Factory reset: the marker first (the lock is unprovisioned from then on), then K is overwritten.
  bool forgetLock();

 private:
  Storage& storage_;
};

enum class WifiStatus : uint8_t { Idle, Connecting, Connected, Failed };

// The station interface. connect() starts an attempt and returns at once; status() reports it.
class WifiPort {
 public:
  virtual ~WifiPort() = default;
  virtual void connect(const char* ssid, const char* password) = 0;
  virtual WifiStatus status() = 0;
  struct Network {
    char ssid[33] = {};
    int rssi = 0;
    bool secured = false;
  };
  // Fills up to cap networks from a (blocking, bounded) scan; returns how many.
  virtual size_t scan(Network* out, size_t cap) {
    (void)out;
    (void)cap;
    return 0;
  }
};

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const uint8_t* data, size_t n) = 0;
};

struct ImprovInfo {
  const char* firmware = "smartlock";
  const char* version = "1.0.0";
  const char* chip = "ESP32";
  const char* deviceName = "Smartlock";
};

// Validates a vendor RPC's fields into p; false (p untouched on the caller's side) if any is bad.
bool parseLockProvisioning(const improv::Str* f, LockProvisioning& p);

// The Improv service: feed it the serial bytes, call loop() often. States: Ready -> (Wi-Fi settings)
// Provisioning -> Provisioned, or back to Ready with error "unable to connect".
class ImprovSession {
 public:
  ImprovSession(ByteSink& out, WifiPort& wifi, SettingsStore& store, Clock& clock, ImprovInfo info = {},
                uint32_t connectTimeoutMs = 30000)
      : out_(out), wifi_(wifi), store_(store), clock_(clock), info_(info), timeoutMs_(connectTimeoutMs) {}

  void push(uint8_t b);
  void loop();
  improv::State state() const { return state_; }
  bool wifiSaved() const { return wifiSaved_; }  // this session stored Wi-Fi settings that connected
  bool lockSaved() const { return lockSaved_; }  // this session stored a lock provisioning

  void sendState();
  void sendError(improv::Error e);

 private:
  void onRpc(const improv::Packet& p);
  void sendResult(improv::Command c, const improv::Str* strs, size_t count);
  void send(improv::Type t, const uint8_t* data, size_t n);

  ByteSink& out_;
  WifiPort& wifi_;
  SettingsStore& store_;
  Clock& clock_;
  ImprovInfo info_;
  uint32_t timeoutMs_;
  improv::Parser parser_;
  improv::State state_ = improv::State::Ready;
  WifiSettings pending_;
  uint32_t startedMs_ = 0;
  bool wifiSaved_ = false;
  bool lockSaved_ = false;
};

}  // namespace smartlock
