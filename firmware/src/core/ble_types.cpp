#include "ble_types.h"

#include <cstdio>
#include <cstring>

namespace smartlock {
namespace {
int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase too: one spelling per kid, so a list cannot miss one spelled otherwise
}
}  // namespace

const char* nameOf(BleVerdict v) {
  switch (v) {
    case BleVerdict::Ok: return "ok";
    case BleVerdict::Malformed: return "malformed";
    case BleVerdict::WrongDevice: return "wrong_device";
    case BleVerdict::BadNonce: return "bad_nonce";
    case BleVerdict::BadSignature: return "bad_signature";
    case BleVerdict::NoClock: return "no_clock";
    case BleVerdict::NotYet: return "not_yet";
    case BleVerdict::Expired: return "expired";
    case BleVerdict::Revoked: return "revoked";
    case BleVerdict::NotAllowed: return "not_allowed";
    case BleVerdict::SafeMode: return "safe_mode";
    case BleVerdict::Busy: return "busy";
    case BleVerdict::DoorOpen: return "door_open";
  }
  return "?";
}

bool BleRevocations::revokes(uint64_t kid, int64_t nb) const {
  if (nb < before) return true;
  for (size_t i = 0; i < count; ++i) {
    if (kids[i] == kid) return true;
  }
  return false;
}

bool parseKid(const char* s, size_t n, uint64_t& out) {
  if (s == nullptr || n != kBleKidHexLen) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const int d = hexValue(s[i]);
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  out = v;
  return true;
}

void kidHex(uint64_t kid, char (&out)[kBleKidHexLen + 1]) {
  static const char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < kBleKidHexLen; ++i) out[i] = kDigits[(kid >> (4 * (kBleKidHexLen - 1 - i))) & 0xf];
  out[kBleKidHexLen] = '\0';
}

bool parseKidList(const char* s, size_t n, BleRevocations& out) {
  out.count = 0;
  if (n == 0) return true;
  size_t i = 0;
  while (true) {
    if (out.count == kBleRevokedMax || i + kBleKidHexLen > n || !parseKid(s + i, kBleKidHexLen, out.kids[out.count])) {
      return false;
    }
    ++out.count;
    i += kBleKidHexLen;
    if (i == n) return true;
    if (s[i++] != ',') return false;
  }
}

bool formatBleUse(const BleUse& use, char* out, size_t cap) {
  if (use.at < 0 || use.at > kMaxSafeInteger) return false;
  char kid[kBleKidHexLen + 1];
  kidHex(use.kid, kid);
  const int n = std::snprintf(out, cap, "%s.%c.%lld", kid, use.op == Action::Lock ? 'L' : 'U', (long long)use.at);
  return n > 0 && static_cast<size_t>(n) < cap;
}

bool parseBleUse(const char* s, size_t n, BleUse& out) {
  if (s == nullptr || n < kBleKidHexLen + 4 || n > kBleUseMax || s[kBleKidHexLen] != '.' || s[kBleKidHexLen + 2] != '.') {
    return false;
  }
  BleUse u;
  if (!parseKid(s, kBleKidHexLen, u.kid)) return false;
  const char op = s[kBleKidHexLen + 1];
  if (op != 'L' && op != 'U') return false;
  u.op = op == 'L' ? Action::Lock : Action::Unlock;
  const char* t = s + kBleKidHexLen + 3;
  const size_t tn = n - kBleKidHexLen - 3;
  if (tn > 1 && t[0] == '0') return false;
  int64_t v = 0;
  for (size_t i = 0; i < tn; ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    v = v * 10 + (t[i] - '0');
    if (v > kMaxSafeInteger) return false;
  }
  u.at = v;
  out = u;
  return true;
}

}  // namespace smartlock
