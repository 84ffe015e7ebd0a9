// Which password the lock gives the broker. Both are derived from K: v1 = HMAC(K, "SLMQTT1"),
// v2 = hex(HKDF(K, "mqtt")). The lock's rule (firmware/README.md, "Broker login"):
// - it logs in with the v1 password unless this server has welcomed it into v2 before (the last
//   negotiated version is persisted), because a v1-only broker knows only the v1 password;
// - an attempt with that preferred password that fails (refused or otherwise) is followed by exactly
//   one attempt with the other, then the preferred again: a lock moved back to a v1 broker gets in
//   with v1, and one that missed its welcome while a Mosquitto account moved to the v2 password
//   (docs/protocol.md §11.1) gets in with v2. A v1-only lock only ever uses the v1 password.
#pragma once
#include <cstdint>

#include "ports.h"
#include "signature.h"

namespace smartlock {

constexpr const char* kNegotiatedKey = "proto";  // last version a server welcomed this lock into

class BrokerLogin {
 public:
  explicit BrokerLogin(Storage& storage) : storage_(storage) {}
  void begin(const DeviceKey& k, int maxVersion);  // derives both passwords, loads the persisted version

  const char* passwordForNextAttempt();  // also records which one this attempt uses
  bool attemptUsesV2() const { return usedV2_; }
  void attemptFailed();                  // the attempt never reached the broker's session
  void attemptSucceeded() { fallback_ = false; }
  void welcomed(int version);            // persisted when it changes
  void rekeyed(const DeviceKey& k);      // both passwords of the lock's new secret (§13.3)

 private:
  Storage& storage_;
  char v1_[kSigHexLen + 1] = {};
  char v2_[kSigHexLen + 1] = {};
  bool prefersV2() const;

  uint64_t negotiated_ = 1;
  bool speaksV2_ = true;
  bool fallback_ = false;
  bool usedV2_ = false;
};

}  // namespace smartlock
