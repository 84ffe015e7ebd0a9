#include "broker_login.h"

#include "key_schedule.h"

namespace smartlock {

void BrokerLogin::begin(const DeviceKey& k, int maxVersion) {
  mqttPassword(k, v1_);
  mqttPasswordV2(k, v2_);
  speaksV2_ = maxVersion >= kProtocolV2;
  negotiated_ = storage_.load(kNegotiatedKey).value_or(kProtocolVersion);
  hasPending_ = false;
  next_ = 0;
}

bool BrokerLogin::prefersV2() const {
  // Every version from v2 on logs in with the v2 password (the "mqtt" purpose key).
  return speaksV2_ && usesPurposeKeys(static_cast<int>(negotiated_));
}

int BrokerLogin::candidates(Candidate (&out)[kMaxCandidates]) const {
  const bool pref = prefersV2();
  int n = 0;
  out[n++] = {pref, false};
  if (hasPending_) out[n++] = {pref, true};
  if (speaksV2_) out[n++] = {!pref, false};  // a v1-only lock has no other version's password
  if (speaksV2_ && hasPending_) out[n++] = {!pref, true};
  return n;
}

const char* BrokerLogin::passwordForNextAttempt() {
  Candidate list[kMaxCandidates];
  const int n = candidates(list);
  usedIndex_ = next_ < n ? next_ : 0;
  used_ = list[usedIndex_];
  next_ = 0;  // the preferred again, unless this attempt fails
  if (used_.pending) return used_.v2 ? nextV2_ : nextV1_;
  return used_.v2 ? v2_ : v1_;
}

void BrokerLogin::attemptFailed() {
  Candidate list[kMaxCandidates];
  const int n = candidates(list);
  next_ = (usedIndex_ + 1) % n;
}

void BrokerLogin::rekeyed(const DeviceKey& k) {
  mqttPassword(k, v1_);
  mqttPasswordV2(k, v2_);
  hasPending_ = false;
  next_ = 0;
}

void BrokerLogin::pending(const DeviceKey* next) {
  if (next == nullptr) {
    hasPending_ = false;
    return;
  }
  if (hasPending_ && *next == pendingKey_) return;  // derived already
  pendingKey_ = *next;
  mqttPassword(pendingKey_, nextV1_);
  mqttPasswordV2(pendingKey_, nextV2_);
  hasPending_ = true;
}

void BrokerLogin::welcomed(int version) {
  const uint64_t v = static_cast<uint64_t>(version);
  if (v == negotiated_) return;
  negotiated_ = v;  // even if the write fails: this boot knows, the next one asks again
  storage_.store(kNegotiatedKey, v);
}

}  // namespace smartlock
