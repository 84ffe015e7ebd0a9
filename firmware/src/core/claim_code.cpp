#include "claim_code.h"

#include <mbedtls/md.h>

#include <cstdio>
#include <cstring>

#include "signature.h"

namespace smartlock {
namespace {
constexpr char kBase32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr const char* kFactoryIdKey = "fid";
constexpr const char* kClaimSecretKey = "fsec";

int digitOf(char c) {
  const char* p = std::strchr(kBase32, c);
  return p == nullptr || c == '\0' ? -1 : static_cast<int>(p - kBase32);
}

bool isLowerHex(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return s[n] == '\0';
}

// 10 bytes -> 16 base32 characters (80 bits, no padding).
void toBase32(const std::array<uint8_t, kClaimSecretLen>& bytes, char (&out)[17]) {
  uint32_t value = 0;
  int bits = 0;
  size_t o = 0;
  for (uint8_t b : bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out[o++] = kBase32[(value >> (bits - 5)) & 31u];
      bits -= 5;
    }
  }
  out[o] = '\0';
}
}  // namespace

FactoryIdentity newFactoryIdentity(Random& random) {
  FactoryIdentity id;
  uint8_t raw[8];
  for (size_t i = 0; i < sizeof raw; ++i) raw[i] = static_cast<uint8_t>(random.next() >> 24);
  toHex(raw, sizeof raw, id.factoryId);
  for (auto& b : id.secret) b = static_cast<uint8_t>(random.next() >> 24);
  return id;
}

bool loadFactoryIdentity(Storage& storage, FactoryIdentity& out) {
  FactoryIdentity id;
  char secretHex[2 * kClaimSecretLen + 1] = {};
  if (!storage.loadText(kFactoryIdKey, id.factoryId, sizeof id.factoryId) || !isLowerHex(id.factoryId, kFactoryIdLen))
    return false;
  if (!storage.loadText(kClaimSecretKey, secretHex, sizeof secretHex) || !isLowerHex(secretHex, 2 * kClaimSecretLen))
    return false;
  for (size_t i = 0; i < kClaimSecretLen; ++i) {
    unsigned v = 0;
    if (std::sscanf(secretHex + 2 * i, "%2x", &v) != 1) return false;
    id.secret[i] = static_cast<uint8_t>(v);
  }
  out = id;
  return true;
}

bool storeFactoryIdentity(Storage& storage, const FactoryIdentity& id) {
  char secretHex[2 * kClaimSecretLen + 1];
  toHex(id.secret.data(), id.secret.size(), secretHex);
  return storage.storeText(kClaimSecretKey, secretHex) && storage.storeText(kFactoryIdKey, id.factoryId);
}

bool formatClaimCode(const FactoryIdentity& id, char (&out)[kClaimCodeLen + 1]) {
  if (!isLowerHex(id.factoryId, kFactoryIdLen)) return false;
  char body[kFactoryIdLen + 16 + 1];
  for (size_t i = 0; i < kFactoryIdLen; ++i) {
    const char c = id.factoryId[i];
    body[i] = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  char secret[17];
  toBase32(id.secret, secret);
  std::memcpy(body + kFactoryIdLen, secret, 17);
  // Check 1: Luhn mod 32 over the 32 characters (every single wrong character is caught).
  int factor = 2, sum = 0;
  for (size_t i = sizeof body - 1; i-- > 0;) {
    const int addend = factor * digitOf(body[i]);
    sum += addend / 32 + addend % 32;
    factor = factor == 2 ? 1 : 2;
  }
  // Check 2: the first 5 bits of SHA-256("SL1" + the 32 characters).
  char hashed[3 + sizeof body];
  std::memcpy(hashed, "SL1", 3);
  std::memcpy(hashed + 3, body, sizeof body);
  uint8_t digest[32];
  if (mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), reinterpret_cast<const uint8_t*>(hashed),
                 sizeof hashed - 1, digest) != 0)
    return false;
  std::snprintf(out, sizeof out, "SL1-%.16s-%.4s-%.4s-%.4s-%.4s-%c%c", body, secret, secret + 4, secret + 8,
                secret + 12, kBase32[(32 - sum % 32) % 32], kBase32[digest[0] >> 3]);
  return true;
}

}  // namespace smartlock
