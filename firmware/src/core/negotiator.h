// Protocol version negotiation, one session at a time (docs/protocol.md, "Versions"):
//
//   Offline --connected--> Hello (speaks v1; hello due at once)
//   Hello --hello sent--> Hello (next one 10 s later, then 20 s, 40 s, ... at most 10 min)
//   Hello --signed welcome--> Welcomed (speaks the welcome's ver)
//   any --disconnected--> Offline (forgets: the next session negotiates again)
//
// Until welcomed the lock speaks v1, so an old server that drops the hello keeps working with it.
#pragma once
#include <cstdint>

#include "protocol.h"

namespace smartlock {

enum class NegotiationState : uint8_t { Offline, Hello, Welcomed };

class Negotiator {
 public:
  // maxVersion: the highest version this lock announced in its hello (its "vers" is 1..maxVersion).
  void connected(uint32_t nowMs, int maxVersion = kHighestVersion);
  void disconnected();
  bool helloDue(uint32_t nowMs) const;
  void helloSent(uint32_t nowMs);
  // A verified welcome naming ver. True if taken (only while in Hello, and only a version this
  // lock speaks); then version() is ver and no more hellos are due.
  bool welcome(int64_t ver);

  int version() const { return state_ == NegotiationState::Welcomed ? version_ : kProtocolVersion; }
  NegotiationState state() const { return state_; }
  uint32_t nextHelloInMs() const { return retryMs_; }

 private:
  NegotiationState state_ = NegotiationState::Offline;
  int version_ = kProtocolVersion;
  int maxVersion_ = kHighestVersion;
  bool sentOnce_ = false;
  uint32_t lastHelloMs_ = 0;
  uint32_t retryMs_ = kHelloFirstRetryMs;  // wait after the last hello
};

}  // namespace smartlock
