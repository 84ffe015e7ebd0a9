#include "boot_guard.h"

namespace smartlock {
namespace {
constexpr char kRunKey[] = "bootrun";  // consecutive boots that ended before the window
}

bool BootGuard::begin() {
  run_ = storage_.load(kRunKey).value_or(0) + 1;
  // A failed write cannot count resets: the lock then behaves as before (no safe mode), which is
  // no worse than without the guard.
  storage_.store(kRunKey, run_);
  safe_ = cfg_.maxShortBoots > 0 && run_ >= cfg_.maxShortBoots;
  cleared_ = false;
  return safe_;
}

void BootGuard::poll(uint64_t uptimeMs) {
  if (cleared_ || uptimeMs < cfg_.windowMs) return;
  cleared_ = storage_.store(kRunKey, 0);  // retried on the next poll if NVS refused it
  if (cleared_) run_ = 0;
}

}  // namespace smartlock
