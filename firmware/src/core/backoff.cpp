#include "backoff.h"

namespace smartlock {

uint32_t Backoff::ceilingMs() const {
  uint64_t ceiling = baseMs_;
  // Stop doubling at the cap instead of shifting by attempts_, which would overflow.
  for (uint32_t i = 0; i < attempts_ && ceiling < capMs_; ++i) ceiling *= 2;
  return ceiling > capMs_ ? capMs_ : static_cast<uint32_t>(ceiling);
}

uint32_t Backoff::nextDelayMs(Random& random) {
  const uint64_t ceiling = ceilingMs();
  if (attempts_ < UINT32_MAX) ++attempts_;
  // Multiply-shift maps the 32-bit draw onto [0, ceiling] without modulo bias worth mentioning.
  return static_cast<uint32_t>((static_cast<uint64_t>(random.next()) * (ceiling + 1)) >> 32);
}

}  // namespace smartlock
