#include "claim.h"

#include <cstdio>
#include <cstring>

#include "key_schedule.h"

namespace smartlock {
namespace {
constexpr char kSalt[] = "smartlock claim";
constexpr const char* kNonceKey = "cnonce";

bool isLowerHex(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool isDeviceIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Matches `literal` at *p and advances; false (p unchanged) otherwise.
bool take(const char*& p, const char* end, const char* literal) {
  const size_t n = std::strlen(literal);
  if (static_cast<size_t>(end - p) < n || std::memcmp(p, literal, n) != 0) return false;
  p += n;
  return true;
}

uint8_t hexValue(char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); }
}  // namespace

DeviceKey claimKey(const FactoryIdentity& id, const char* label) {
  char info[96];
  const int n = std::snprintf(info, sizeof info, "smartlock claim %s %s", label, id.factoryId);
  DeviceKey key{};
  if (n <= 0 || static_cast<size_t>(n) >= sizeof info) return key;
  hkdfSha256(id.secret.data(), id.secret.size(), reinterpret_cast<const uint8_t*>(kSalt), sizeof kSalt - 1,
             reinterpret_cast<const uint8_t*>(info), static_cast<size_t>(n), key.data(), key.size());
  return key;
}

void claimBrokerPassword(const FactoryIdentity& id, char (&out)[2 * kKeyLen + 1]) {
  DeviceKey key = claimKey(id, "broker");
  toHex(key.data(), key.size(), out);
  key.fill(0);
}

size_t buildUnclaimedHello(const FactoryIdentity& id, const char* nonce, const char* fw, char* buf, size_t cap) {
  for (const char* c = fw; *c != '\0'; ++c)
    if (*c < 0x20 || *c > 0x7e || *c == '"' || *c == '\\') return 0;
  if (std::strlen(fw) > 32) return 0;
  const int n = std::snprintf(buf, cap, "{\"v\":1,\"type\":\"unclaimed\",\"fid\":\"%s\",\"n\":\"%s\",\"fw\":\"%s\"}",
                              id.factoryId, nonce, fw);
  if (n <= 0 || static_cast<size_t>(n) >= cap) return 0;
  return signInPlace(claimKey(id, "hello"), buf, static_cast<size_t>(n), cap);
}

ClaimVerdict openClaimMessage(const FactoryIdentity& id, const char* nonce, const char* payload, size_t n,
                              ClaimGrant& out) {
  if (n > kMaxPayload) return ClaimVerdict::Malformed;
  if (const auto bad = checkSignature(claimKey(id, "claim"), payload, n)) {
    return *bad == RejectReason::BadSignature ? ClaimVerdict::BadSignature : ClaimVerdict::Malformed;
  }
  const char* p = payload;
  const char* end = payload + *envelopeBodyLength(payload, n);  // B without its closing "}"
  char nonceHex[33] = {};
  char keyHex[65] = {};
  ClaimGrant grant;
  // The exact layout the server sends (docs/protocol.md): anything else is malformed.
  if (!take(p, end, "{\"v\":1,\"type\":\"claim\",\"fid\":\"")) return ClaimVerdict::Malformed;
  const bool ours = static_cast<size_t>(end - p) > kFactoryIdLen && std::memcmp(p, id.factoryId, kFactoryIdLen) == 0;
  p += ours ? kFactoryIdLen : 0;
  if (!ours) return ClaimVerdict::NotForUs;
  if (!take(p, end, "\",\"n\":\"")) return ClaimVerdict::Malformed;
  if (static_cast<size_t>(end - p) < kClaimNonceLen || std::memcmp(p, nonce, kClaimNonceLen) != 0)
    return ClaimVerdict::NotForUs;  // another unclaimed period's message, e.g. replayed
  p += kClaimNonceLen;
  if (!take(p, end, "\",\"dev\":\"")) return ClaimVerdict::Malformed;
  size_t devLen = 0;
  while (p + devLen < end && isDeviceIdChar(p[devLen])) ++devLen;
  if (devLen < 3 || devLen > kDeviceIdMax) return ClaimVerdict::Malformed;
  std::memcpy(grant.deviceId, p, devLen);
  p += devLen;
  if (!take(p, end, "\",\"nonce\":\"") || end - p < 32 || !isLowerHex(p, 32)) return ClaimVerdict::Malformed;
  std::memcpy(nonceHex, p, 32);
  p += 32;
  if (!take(p, end, "\",\"key\":\"") || end - p < 64 || !isLowerHex(p, 64)) return ClaimVerdict::Malformed;
  std::memcpy(keyHex, p, 64);
  p += 64;
  if (!take(p, end, "\"") || p != end) return ClaimVerdict::Malformed;
  char label[4 + 32 + 1];
  std::snprintf(label, sizeof label, "enc %s", nonceHex);
  const DeviceKey pad = claimKey(id, label);
  for (size_t i = 0; i < grant.key.size(); ++i) {
    grant.key[i] = static_cast<uint8_t>((hexValue(keyHex[2 * i]) << 4 | hexValue(keyHex[2 * i + 1])) ^ pad[i]);
  }
  out = grant;
  return ClaimVerdict::Valid;
}

bool currentClaimNonce(Storage& storage, Random& random, char (&out)[kClaimNonceLen + 1]) {
  if (storage.loadText(kNonceKey, out, sizeof out) && std::strlen(out) == kClaimNonceLen &&
      isLowerHex(out, kClaimNonceLen))
    return true;
  uint8_t raw[kClaimNonceLen / 2];
  for (auto& b : raw) b = static_cast<uint8_t>(random.next() >> 24);
  toHex(raw, sizeof raw, out);
  return storage.storeText(kNonceKey, out);
}

}  // namespace smartlock
