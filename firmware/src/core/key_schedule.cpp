#include "key_schedule.h"

#include <mbedtls/md.h>

#include <cstring>

namespace smartlock {
namespace {
constexpr char kSalt[] = "smartlock";
constexpr char kInfoPrefix[] = "smartlock v2 ";
constexpr size_t kHashLen = 32;
}  // namespace

const char* labelOf(KeyPurpose p) {
  switch (p) {
    case KeyPurpose::Cmd: return "cmd";
    case KeyPurpose::Status: return "status";
    case KeyPurpose::Mqtt: return "mqtt";
    case KeyPurpose::Ble: return "ble";
    case KeyPurpose::TlsPsk: return "tls-psk";
    case KeyPurpose::Update: return "update";
  }
  return "?";
}

bool hkdfSha256(const uint8_t* ikm, size_t ikmLen, const uint8_t* salt, size_t saltLen, const uint8_t* info,
                size_t infoLen, uint8_t* out, size_t outLen) {
  if (outLen > 255 * kHashLen) return false;
  const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  uint8_t prk[kHashLen];
  static const uint8_t kZeroSalt[kHashLen] = {};
  // Extract: PRK = HMAC(salt, IKM); an absent salt is HashLen zero bytes (RFC 5869 §2.2).
  bool ok = mbedtls_md_hmac(md, saltLen ? salt : kZeroSalt, saltLen ? saltLen : kHashLen, ikm, ikmLen, prk) == 0;
  // Expand: T(i) = HMAC(PRK, T(i-1) | info | i), OKM = T(1) | T(2) | ... truncated to outLen.
  mbedtls_md_context_t ctx;
  mbedtls_md_init(&ctx);
  ok = ok && mbedtls_md_setup(&ctx, md, 1) == 0;
  uint8_t t[kHashLen];
  size_t tLen = 0, done = 0;
  for (uint8_t i = 1; ok && done < outLen; ++i) {
    ok = mbedtls_md_hmac_starts(&ctx, prk, sizeof prk) == 0 && mbedtls_md_hmac_update(&ctx, t, tLen) == 0 &&
         mbedtls_md_hmac_update(&ctx, info, infoLen) == 0 && mbedtls_md_hmac_update(&ctx, &i, 1) == 0 &&
         mbedtls_md_hmac_finish(&ctx, t) == 0;
    tLen = kHashLen;
    const size_t n = outLen - done < kHashLen ? outLen - done : kHashLen;
    std::memcpy(out + done, t, n);
    done += n;
  }
  mbedtls_md_free(&ctx);
  std::memset(prk, 0, sizeof prk);
  std::memset(t, 0, sizeof t);
  if (!ok) std::memset(out, 0, outLen);
  return ok;
}

DeviceKey derivePurposeKey(const DeviceKey& k, KeyPurpose purpose) {
  char info[sizeof kInfoPrefix + 16];
  const size_t prefixLen = sizeof kInfoPrefix - 1;
  const char* label = labelOf(purpose);
  const size_t labelLen = std::strlen(label);
  std::memcpy(info, kInfoPrefix, prefixLen);
  std::memcpy(info + prefixLen, label, labelLen);
  DeviceKey out{};
  hkdfSha256(k.data(), k.size(), reinterpret_cast<const uint8_t*>(kSalt), sizeof kSalt - 1,
             reinterpret_cast<const uint8_t*>(info), prefixLen + labelLen, out.data(), out.size());
  return out;
}

V2Keys deriveV2Keys(const DeviceKey& k) {
  V2Keys keys;
  keys.cmd = derivePurposeKey(k, KeyPurpose::Cmd);
  keys.status = derivePurposeKey(k, KeyPurpose::Status);
  return keys;
}

void mqttPasswordV2(const DeviceKey& k, char (&out)[kSigHexLen + 1]) {
  const DeviceKey m = derivePurposeKey(k, KeyPurpose::Mqtt);
  toHex(m.data(), m.size(), out);
}

void tlsPskHex(const DeviceKey& k, char (&out)[kSigHexLen + 1]) {
  DeviceKey psk = derivePurposeKey(k, KeyPurpose::TlsPsk);
  toHex(psk.data(), psk.size(), out);
  psk.fill(0);
}

}  // namespace smartlock
