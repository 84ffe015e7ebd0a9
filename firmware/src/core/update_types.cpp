#include "update_types.h"

#include <cstring>

namespace smartlock {
namespace {

const char* const kStates[] = {"DOWNLOADING", "VERIFYING", "REBOOTING", "TRIAL", "CONFIRMED", "FAILED", "ROLLED_BACK"};
const char* const kReasons[] = {"",        "bad_signature", "wrong_hw", "downgrade", "too_big", "busy",      "battery_low",
                                "download", "truncated",     "bad_hash", "flash",     "no_welcome", "crash"};

bool equals(const char* s, size_t n, const char* name) { return std::strlen(name) == n && std::memcmp(s, name, n) == 0; }

}  // namespace

const char* nameOf(UpdState s) { return kStates[static_cast<size_t>(s)]; }
const char* nameOf(UpdReason r) { return kReasons[static_cast<size_t>(r)]; }

bool parseUpdState(const char* s, size_t n, UpdState& out) {
  for (size_t i = 0; i < sizeof kStates / sizeof kStates[0]; ++i) {
    if (equals(s, n, kStates[i])) {
      out = static_cast<UpdState>(i);
      return true;
    }
  }
  return false;
}

bool parseUpdReason(const char* s, size_t n, UpdReason& out) {
  for (size_t i = 1; i < sizeof kReasons / sizeof kReasons[0]; ++i) {
    if (equals(s, n, kReasons[i])) {
      out = static_cast<UpdReason>(i);
      return true;
    }
  }
  return false;
}

}  // namespace smartlock
