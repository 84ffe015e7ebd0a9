// The lock's secret K over time (docs/protocol.md §13.3, over-the-air rotation):
//
//   current  = the configured K, or the K' a rotation replaced it with (persisted as "key")
//   pending  = a K' the lock stored before acking a rekey ("keynext"), until the server proves it
//              switched: the first server message signed under K' commits it (current = K')
//
// Both are kept with a fingerprint of the configured K ("keybase"): flashing a new secret
// (provisioning) drops them, so a flashed secret always wins over an older rotation.
#pragma once
#include <cstddef>
#include <cstdint>

#include "ports.h"
#include "signature.h"

namespace smartlock {

constexpr const char* kKeyCurrentKey = "key";
constexpr const char* kKeyPendingKey = "keynext";
constexpr const char* kKeyBaseKey = "keybase";

class KeyRing {
 public:
  explicit KeyRing(Storage& storage) : storage_(storage) {}

  // Loads the rotated and pending keys stored for this configured K (others are forgotten).
  void begin(const DeviceKey& configured);
  const DeviceKey& current() const { return current_; }
  bool hasPending() const { return hasPending_; }
  const DeviceKey& pending() const { return pending_; }
  bool rotated() const { return rotated_; }  // current is not the configured K

  // Persists K' as pending (before the lock acks the rekey). False if it could not be stored.
  bool storePending(const DeviceKey& next);
  // Whether a server message is signed under the pending K' (v1: K' itself; v2, v3: its cmd key).
  bool signedWithPending(const char* payload, size_t len) const;
  // The pending K' becomes current, persisted first. False (nothing changes) if it could not be stored.
  bool commit();

 private:
  bool loadKey(const char* name, DeviceKey& out) const;
  bool storeKey(const char* name, const DeviceKey& k);

  Storage& storage_;
  char base_[kSigHexLen + 1] = {};  // fingerprint of the configured K
  bool chainStored_ = false;        // "keybase" holds base_: "key" and "keynext" belong to it
  DeviceKey current_{};
  DeviceKey pending_{};
  DeviceKey pendingCmd_{};
  bool hasPending_ = false;
  bool rotated_ = false;
};

// K' from a rekey's "key" member: hex(K' XOR pad), pad = HKDF-SHA256(IKM = current K,
// salt "smartlock", info "smartlock v2 rekey <id>", 32 bytes). False if keyHex is not 64 hex digits.
bool openRekeyKey(const DeviceKey& current, const char* id, const char* keyHex, DeviceKey& out);

}  // namespace smartlock
