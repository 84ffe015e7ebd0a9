#include "negotiator.h"

namespace smartlock {

void Negotiator::connected(uint32_t nowMs, int maxVersion) {
  state_ = NegotiationState::Hello;
  maxVersion_ = maxVersion;
  version_ = kProtocolVersion;
  sentOnce_ = false;
  lastHelloMs_ = nowMs;
  retryMs_ = kHelloFirstRetryMs;
}

void Negotiator::disconnected() {
  state_ = NegotiationState::Offline;
  version_ = kProtocolVersion;
}

bool Negotiator::helloDue(uint32_t nowMs) const {
  if (state_ != NegotiationState::Hello) return false;
  return !sentOnce_ || static_cast<uint32_t>(nowMs - lastHelloMs_) >= retryMs_;
}

void Negotiator::helloSent(uint32_t nowMs) {
  if (sentOnce_) retryMs_ = retryMs_ >= kHelloMaxRetryMs / 2 ? kHelloMaxRetryMs : retryMs_ * 2;
  sentOnce_ = true;
  lastHelloMs_ = nowMs;
}

bool Negotiator::welcome(int64_t ver) {
  // Only an answer to a hello of this session, naming a version from our "vers".
  if (state_ != NegotiationState::Hello || !sentOnce_) return false;
  if (ver < kProtocolVersion || ver > maxVersion_) return false;
  state_ = NegotiationState::Welcomed;
  version_ = static_cast<int>(ver);
  return true;
}

}  // namespace smartlock
