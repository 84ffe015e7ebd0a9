// Bluetooth offline keys, the lock's side (docs/protocol.md §16): the GATT characteristics'
// contents without a radio. A shell (smartlock/ble_nimble.h, the virtual lock's stdin) moves bytes
// between the radio and these calls:
//
//   challenge (read)    readChallenge(): a fresh nonce each read, replacing the previous one;
//                       good for one request within 30 s
//   request   (write)   request(): the checks of §16.4 in order, one verdict; ok moves the bolt
//                       through the LockController (src BLE) and queues the use for the server
//   result (read+notify) result() / takeResultChanged(): R, signed with the key's secret s once
//                       the request got that far; an ok is finished when the bolt settles (poll())
//
// The revocation list (blerev) and the offline-use queue are persisted in Storage, so both
// survive a power cut: the list before it applies, a use before the request is answered ok.
// Nothing here needs the network: the lock's clock (ServerClock) is the only thing the server
// must have given it (no time: every key is refused, no_clock).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "ble_types.h"
#include "lock_controller.h"
#include "ports.h"
#include "signature.h"

namespace smartlock {

struct BleAccessDeps {
  Storage& storage;
  Random& random;
  Clock& clock;  // millis() for the nonce's age; unixTime() the server's time (nullopt: none)
  LockController& controller;
  Logger* logger = nullptr;
};

class BleAccess : public BleRevocationStore {
 public:
  BleAccess(const BleAccessDeps& deps, const char* deviceId);

  // Derives key("ble") from K and loads the revocation list and the use queue.
  void begin(const DeviceKey& k);
  void rekeyed(const DeviceKey& k);  // the lock switched to a new K

  // The challenge characteristic's value, NUL-terminated; its length (0: cap too small).
  size_t readChallenge(char* out, size_t cap);
  // A write to the request characteristic. Sets the result characteristic: at once for a
  // rejection, once the bolt settled for an ok (poll()).
  BleVerdict request(const char* data, size_t len);
  void poll();  // call after LockController::poll()
  const char* result() const { return result_; }  // "" before the first request
  size_t resultLength() const { return resultLen_; }
  bool resultPending() const { return pending_; }  // an ok waits for the bolt
  bool takeResultChanged() {                         // true once per new result: notify it
    const bool c = resultChanged_;
    resultChanged_ = false;
    return c;
  }

  // BleRevocationStore: persisted (two slots, switched last) before it applies.
  bool replaceRevocations(const BleRevocations& list) override;
  const BleRevocations& revocations() const { return revoked_; }

  // The offline uses not yet reported, oldest first; one rides on each v3 status. The oldest
  // stays until a status carrying it was published (usePublished), like an ack.
  const BleUse* peekUse() const { return queued() > 0 ? &uses_[head_ % kBleUseQueue] : nullptr; }
  void usePublished();
  size_t queued() const { return static_cast<size_t>(tail_ - head_); }
  uint32_t droppedUses() const { return droppedUses_; }  // since boot: the queue was full

 private:
  struct Parsed;
  BleVerdict check(const char* data, size_t len, Parsed& p, bool& haveSecret, Digest& secret);
  bool recordUse(const BleUse& use);
  void setResult(const char* nonce, BleVerdict verdict, const Digest* secret);
  void loadRevocations();
  void loadUses();
  void log(const char* fmt, ...);

  BleAccessDeps d_;
  const char* deviceId_;
  DeviceKey bleKey_{};
  uint8_t nonce_[kBleNonceLen] = {};
  bool nonceOutstanding_ = false;
  uint32_t nonceAtMs_ = 0;
  BleRevocations revoked_;
  BleUse uses_[kBleUseQueue];
  uint64_t head_ = 0, tail_ = 0;  // persisted sequence numbers: entry i lives in slot i % kBleUseQueue
  uint32_t droppedUses_ = 0;
  char result_[kBleMessageMax + 1] = {};
  size_t resultLen_ = 0;
  bool resultChanged_ = false;
  bool pending_ = false;  // an ok waits for the bolt to settle
  char pendingNonce_[2 * kBleNonceLen + 1] = {};
  Digest pendingSecret_{};
};

}  // namespace smartlock
