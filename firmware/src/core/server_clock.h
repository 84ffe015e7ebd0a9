// The lock's wall clock, taken only from the server's signed "time" messages (docs/protocol.md
// §7a), never from SNTP: an unauthenticated time source could make the lock accept a recorded
// command or stamp its statuses so that the server takes an old state for a current one.
//
// A time message names the (boot, seq) of a status it answers. It is taken only when that status
// is one of ours from this boot, was sent less than kTimeAnswerWindowMs ago, and is later than
// the status the previous accepted time message answered: a recorded time message is useless.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

#include "ports.h"
#include "signature.h"

namespace smartlock {

class ServerClock : public Clock {
 public:
  // base supplies the monotonic millis(); its unixTime() is never used.
  explicit ServerClock(Clock& base) : base_(base) {}

  uint32_t millis() override { return base_.millis(); }
  // Unix seconds from the last accepted time message, or nullopt before the first one.
  std::optional<int64_t> unixTime() override;
  bool synced() const { return synced_; }
  // Folds the time since the last call into a 64-bit count; call it more often than every 49 days
  // (LockApp does, every loop) so that millis() wrapping never loses time.
  void tick();

  // Status seq (of this boot) was just sent: a time message may answer it for a while.
  void statusSent(uint64_t seq);
  // Verifies a payload from the cmd topic as a time message and sets the clock from it.
  // nullopt = the clock was set; otherwise why not (Replay: not an answer to a status we sent
  // later than the last one answered; Stale: that status is older than the answer window).
  // key and version are the session's: K and 1, or the v2 cmd key and 2.
  std::optional<RejectReason> apply(const DeviceKey& key, const char* deviceId, uint64_t boot,
                                    const char* payload, size_t len, int version = kProtocolVersion);

 private:
  static constexpr size_t kRemembered = 8;
  struct Sent {
    uint64_t seq = 0;
    uint32_t atMs = 0;
  };

  Clock& base_;
  Sent sent_[kRemembered];
  size_t sentNext_ = 0;
  uint64_t answeredSeq_ = 0;
  bool synced_ = false;
  int64_t unixAtSync_ = 0;
  uint64_t elapsedMs_ = 0;  // since the sync, widened to 64 bits so it survives millis() wrapping
  uint32_t lastMs_ = 0;
};

}  // namespace smartlock
