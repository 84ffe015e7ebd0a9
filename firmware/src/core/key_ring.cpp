#include "key_ring.h"

#include <cstdio>
#include <cstring>

#include "command_verifier.h"
#include "key_schedule.h"

namespace smartlock {
namespace {
constexpr char kSalt[] = "smartlock";
constexpr char kPadPrefix[] = "smartlock v2 rekey ";
constexpr char kBaseLabel[] = "smartlock key base";

// Not K itself: a fingerprint that says which configured K the stored keys belong to.
void baseFingerprint(const DeviceKey& configured, char (&out)[kSigHexLen + 1]) {
  const Digest d = hmacSha256(configured, reinterpret_cast<const uint8_t*>(kBaseLabel), sizeof kBaseLabel - 1);
  toHex(d.data(), d.size(), out);
}
}  // namespace

bool KeyRing::loadKey(const char* name, DeviceKey& out) const {
  char hex[kSigHexLen + 2] = {};
  return storage_.loadText(name, hex, sizeof hex) && parseDeviceKey(hex, std::strlen(hex), out);
}

bool KeyRing::storeKey(const char* name, const DeviceKey& k) {
  char hex[kSigHexLen + 1];
  toHex(k.data(), k.size(), hex);
  return storage_.storeText(name, hex);
}

void KeyRing::begin(const DeviceKey& configured) {
  current_ = configured;
  rotated_ = false;
  hasPending_ = false;
  baseFingerprint(configured, base_);
  char stored[kSigHexLen + 2] = {};
  chainStored_ = storage_.loadText(kKeyBaseKey, stored, sizeof stored) && std::strcmp(stored, base_) == 0;
  if (!chainStored_) return;  // none yet, or kept for a secret flashed before this one
  DeviceKey k{};
  if (loadKey(kKeyCurrentKey, k)) {
    current_ = k;
    rotated_ = !(k == configured);
  }
  // A pending key equal to the current one is a commit that stopped before it cleared "keynext".
  if (loadKey(kKeyPendingKey, k) && !(k == current_)) {
    pending_ = k;
    pendingCmd_ = derivePurposeKey(k, KeyPurpose::Cmd);
    hasPending_ = true;
  }
}

bool KeyRing::storePending(const DeviceKey& next) {
  if (!chainStored_) {
    // The first rotation since this K was configured: the current key first, then whose chain it is.
    if (!storeKey(kKeyCurrentKey, current_) || !storage_.storeText(kKeyPendingKey, "") ||
        !storage_.storeText(kKeyBaseKey, base_)) {
      return false;
    }
    chainStored_ = true;
  }
  if (!storeKey(kKeyPendingKey, next)) return false;
  pending_ = next;
  pendingCmd_ = derivePurposeKey(next, KeyPurpose::Cmd);
  hasPending_ = true;
  return true;
}

bool KeyRing::signedWithPending(const char* payload, size_t len) const {
  return hasPending_ && (signedWith(pendingCmd_, payload, len) || signedWith(pending_, payload, len));
}

bool KeyRing::commit() {
  if (!hasPending_ || !storeKey(kKeyCurrentKey, pending_)) return false;
  storage_.storeText(kKeyPendingKey, "");  // if this write is lost, begin() sees pending == current
  current_ = pending_;
  rotated_ = true;
  hasPending_ = false;
  return true;
}

bool openRekeyKey(const DeviceKey& current, const char* id, const char* keyHex, DeviceKey& out) {
  DeviceKey sealed{};
  if (keyHex == nullptr || std::strlen(keyHex) != 2 * kKeyLen || !parseDeviceKey(keyHex, 2 * kKeyLen, sealed)) return false;
  char info[sizeof kPadPrefix + kCommandIdMax];
  const int n = std::snprintf(info, sizeof info, "%s%s", kPadPrefix, id);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof info) return false;
  DeviceKey pad{};
  if (!hkdfSha256(current.data(), current.size(), reinterpret_cast<const uint8_t*>(kSalt), sizeof kSalt - 1,
                  reinterpret_cast<const uint8_t*>(info), static_cast<size_t>(n), pad.data(), pad.size())) {
    return false;
  }
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(sealed[i] ^ pad[i]);
  return true;
}

}  // namespace smartlock
