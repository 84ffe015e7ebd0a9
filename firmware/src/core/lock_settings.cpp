#include "lock_settings.h"

namespace smartlock {
namespace {
// bits 0-15 relock seconds, bit 16 boot LOCK, bit 17 lockOpen ALLOW, bits 32-39 layout version.
constexpr uint64_t kLayout = 1;
constexpr uint64_t kBootLockBit = 1ull << 16;
constexpr uint64_t kAllowBit = 1ull << 17;
}  // namespace

LockSettings loadSettings(Storage& storage) {
  LockSettings s;
  const std::optional<uint64_t> v = storage.load(kSettingsKey);
  if (!v || (*v >> 32) != kLayout || (*v & 0xffffu) > static_cast<uint64_t>(kRelockMaxS)) return s;
  s.relockS = static_cast<uint16_t>(*v & 0xffffu);
  s.boot = (*v & kBootLockBit) ? BootMode::Lock : BootMode::Stay;
  s.lockOpen = (*v & kAllowBit) ? LockOpenPolicy::Allow : LockOpenPolicy::Refuse;
  return s;
}

bool storeSettings(Storage& storage, const LockSettings& s) {
  uint64_t v = kLayout << 32 | s.relockS;
  if (s.boot == BootMode::Lock) v |= kBootLockBit;
  if (s.lockOpen == LockOpenPolicy::Allow) v |= kAllowBit;
  return storage.store(kSettingsKey, v);
}

}  // namespace smartlock
