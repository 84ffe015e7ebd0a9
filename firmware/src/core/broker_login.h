// Which password the lock gives the broker. All are derived from a secret: v1 = HMAC(K, "SLMQTT1"),
// v2 = hex(HKDF(K, "mqtt")). The lock's rule (firmware/README.md, "Broker login"; docs/protocol.md §11.1):
// - it logs in with the v1 password unless this server has welcomed it into v2 before (the last
//   negotiated version is persisted), because a v1-only broker knows only the v1 password;
// - while it holds a pending K' from a rekey (§13.3), K''s passwords are candidates too: a broker
//   holding one password per lock (Mosquitto dynsec) moves the account to K' when the server
//   switches, which may be before this lock has seen a message under K';
// - after a failed attempt it tries the next candidate, in this order: the preferred password of K,
//   the preferred one of a pending K', the other version's password of K, then of K'; after the last,
//   or after a success, the preferred one again. Without a pending K' that is "one attempt with the
//   other, then the preferred again": a lock moved back to a v1 broker gets in with v1, and one that
//   missed its welcome while a Mosquitto account moved to the v2 password (§11.1) gets in with v2.
//   A v1-only lock only ever uses v1 passwords.
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
  bool attemptUsesV2() const { return used_.v2; }
  bool attemptUsesPending() const { return used_.pending; }
  void attemptFailed();  // the attempt never reached the broker's session: the next candidate goes next
  void attemptSucceeded() { next_ = 0; }
  void welcomed(int version);            // persisted when it changes
  void rekeyed(const DeviceKey& k);      // both passwords of the lock's new secret (§13.3); no pending K' any more
  void pending(const DeviceKey* next);   // the K' a rekey stored (nullptr: none); its passwords become candidates

 private:
  struct Candidate {
    bool v2;
    bool pending;
  };
  static constexpr int kMaxCandidates = 4;
  int candidates(Candidate (&out)[kMaxCandidates]) const;
  bool prefersV2() const;

  Storage& storage_;
  char v1_[kSigHexLen + 1] = {};
  char v2_[kSigHexLen + 1] = {};
  char nextV1_[kSigHexLen + 1] = {};  // of the pending K'
  char nextV2_[kSigHexLen + 1] = {};
  DeviceKey pendingKey_{};
  bool hasPending_ = false;

  uint64_t negotiated_ = 1;
  bool speaksV2_ = true;
  int next_ = 0;  // index of the candidate for the next attempt
  int usedIndex_ = 0;
  Candidate used_{false, false};
};

}  // namespace smartlock
