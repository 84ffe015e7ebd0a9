#include "broker_login.h"

#include "key_schedule.h"

namespace smartlock {

void BrokerLogin::begin(const DeviceKey& k, int maxVersion) {
  mqttPassword(k, v1_);
  mqttPasswordV2(k, v2_);
  speaksV2_ = maxVersion >= kProtocolV2;
  negotiated_ = storage_.load(kNegotiatedKey).value_or(kProtocolVersion);
  fallback_ = false;
}

bool BrokerLogin::prefersV2() const {
  // Every version from v2 on logs in with the v2 password (the "mqtt" purpose key).
  return speaksV2_ && usesPurposeKeys(static_cast<int>(negotiated_));
}

const char* BrokerLogin::passwordForNextAttempt() {
  usedV2_ = fallback_ ? !prefersV2() : prefersV2();
  fallback_ = false;  // one attempt with the other password after a failed one, then the preferred again
  return usedV2_ ? v2_ : v1_;
}

void BrokerLogin::attemptFailed() {
  // Only a failed attempt with the preferred password earns one with the other; a v1-only lock has no other.
  if (speaksV2_ && usedV2_ == prefersV2()) fallback_ = true;
}

void BrokerLogin::welcomed(int version) {
  const uint64_t v = static_cast<uint64_t>(version);
  if (v == negotiated_) return;
  negotiated_ = v;  // even if the write fails: this boot knows, the next one asks again
  storage_.store(kNegotiatedKey, v);
}

}  // namespace smartlock
