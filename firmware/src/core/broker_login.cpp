#include "broker_login.h"

#include "key_schedule.h"

namespace smartlock {

void BrokerLogin::begin(const DeviceKey& k) {
  mqttPassword(k, v1_);
  mqttPasswordV2(k, v2_);
  negotiated_ = storage_.load(kNegotiatedKey).value_or(kProtocolVersion);
  fallback_ = false;
}

const char* BrokerLogin::passwordForNextAttempt() {
  usedV2_ = negotiated_ == static_cast<uint64_t>(kProtocolV2) && !fallback_;
  fallback_ = false;  // one v1 attempt after a failed v2 one, then v2 again
  return usedV2_ ? v2_ : v1_;
}

void BrokerLogin::attemptFailed() {
  if (usedV2_) fallback_ = true;
}

void BrokerLogin::welcomed(int version) {
  const uint64_t v = static_cast<uint64_t>(version);
  if (v == negotiated_) return;
  negotiated_ = v;  // even if the write fails: this boot knows, the next one asks again
  storage_.store(kNegotiatedKey, v);
}

}  // namespace smartlock
