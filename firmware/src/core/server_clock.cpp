#include "server_clock.h"

#include "command_verifier.h"

namespace smartlock {

void ServerClock::tick() {
  const uint32_t now = base_.millis();
  elapsedMs_ += static_cast<uint32_t>(now - lastMs_);
  lastMs_ = now;
}

std::optional<int64_t> ServerClock::unixTime() {
  if (!synced_) return std::nullopt;
  tick();
  return unixAtSync_ + static_cast<int64_t>(elapsedMs_ / 1000);
}

void ServerClock::statusSent(uint64_t seq) {
  sent_[sentNext_] = Sent{seq, base_.millis()};
  sentNext_ = (sentNext_ + 1) % kRemembered;
}

std::optional<RejectReason> ServerClock::apply(const DeviceKey& key, const char* deviceId, uint64_t boot,
                                               const char* payload, size_t len, int version) {
  TimeMessage t;
  if (auto why = verifyTime(key, payload, len, deviceId, t, version)) return why;
  const uint64_t seq = static_cast<uint64_t>(t.seq);
  if (static_cast<uint64_t>(t.boot) != boot || seq <= answeredSeq_) return RejectReason::Replay;
  const Sent* answered = nullptr;
  for (const Sent& s : sent_) {
    if (s.seq == seq) answered = &s;
  }
  if (answered == nullptr) return RejectReason::Replay;
  const uint32_t now = base_.millis();
  if (static_cast<uint32_t>(now - answered->atMs) > kTimeAnswerWindowMs) return RejectReason::Stale;
  answeredSeq_ = seq;
  synced_ = true;
  unixAtSync_ = t.ts;
  elapsedMs_ = 0;
  lastMs_ = now;
  return std::nullopt;
}

}  // namespace smartlock
