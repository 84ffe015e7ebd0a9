#include "signature.h"

#include <mbedtls/md.h>

#include <cstring>

namespace smartlock {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// B is the body plus a closing brace; hashing it in two parts avoids copying the payload.
Digest hmacOfBody(const DeviceKey& key, const char* body, size_t bodyLen) {
  Digest out{};
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  mbedtls_md_context_t ctx;
  mbedtls_md_init(&ctx);
  const bool ok = mbedtls_md_setup(&ctx, info, 1) == 0 &&
                  mbedtls_md_hmac_starts(&ctx, key.data(), key.size()) == 0 &&
                  mbedtls_md_hmac_update(&ctx, reinterpret_cast<const unsigned char*>(body), bodyLen) == 0 &&
                  mbedtls_md_hmac_update(&ctx, reinterpret_cast<const unsigned char*>("}"), 1) == 0 &&
                  mbedtls_md_hmac_finish(&ctx, out.data()) == 0;
  mbedtls_md_free(&ctx);
  if (!ok) out.fill(0);  // never matches a real signature by accident: mbedtls only fails on OOM
  return out;
}

}  // namespace

bool parseDeviceKey(const char* hex, size_t n, DeviceKey& out) {
  if (hex == nullptr || n != 2 * out.size()) return false;
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hexValue(hex[2 * i]), lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

Digest hmacSha256(const DeviceKey& key, const uint8_t* data, size_t n) {
  Digest out{};
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  if (mbedtls_md_hmac(info, key.data(), key.size(), data, n, out.data()) != 0) out.fill(0);
  return out;
}

void toHex(const uint8_t* data, size_t n, char* out) {
  static const char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  out[2 * n] = '\0';
}

bool constantTimeEqual(const uint8_t* a, const uint8_t* b, size_t n) {
  volatile uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff = static_cast<uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

void mqttPassword(const DeviceKey& key, char (&out)[kSigHexLen + 1]) {
  static const char kLabel[] = "SLMQTT1";
  const Digest d = hmacSha256(key, reinterpret_cast<const uint8_t*>(kLabel), sizeof kLabel - 1);
  toHex(d.data(), d.size(), out);
}

std::optional<size_t> envelopeBodyLength(const char* payload, size_t n) {
  // The smallest signed object is {,"sig":"…"} minus the comma; require at least "{" + suffix.
  if (payload == nullptr || n < kSigSuffixLen + 1 || n > kMaxPayload) return std::nullopt;
  const size_t body = n - kSigSuffixLen;
  const char* s = payload + body;
  if (payload[0] != '{' || std::memcmp(s, ",\"sig\":\"", kSigPrefixLen) != 0) return std::nullopt;
  for (size_t i = 0; i < kSigHexLen; ++i) {
    if (!isLowerHex(s[kSigPrefixLen + i])) return std::nullopt;
  }
  if (s[kSigSuffixLen - 2] != '"' || s[kSigSuffixLen - 1] != '}') return std::nullopt;
  return body;
}

std::optional<RejectReason> checkSignature(const DeviceKey& key, const char* payload, size_t n) {
  const std::optional<size_t> body = envelopeBodyLength(payload, n);
  if (!body) return RejectReason::Malformed;
  const Digest expected = hmacOfBody(key, payload, *body);
  char expectedHex[kSigHexLen + 1];
  toHex(expected.data(), expected.size(), expectedHex);
  const auto* got = reinterpret_cast<const uint8_t*>(payload + *body + kSigPrefixLen);
  if (!constantTimeEqual(reinterpret_cast<const uint8_t*>(expectedHex), got, kSigHexLen)) {
    return RejectReason::BadSignature;
  }
  return std::nullopt;
}

size_t signInPlace(const DeviceKey& key, char* buf, size_t len, size_t cap) {
  if (buf == nullptr || len < 2 || buf[0] != '{' || buf[len - 1] != '}') return 0;
  const size_t body = len - 1;
  const size_t total = body + kSigSuffixLen;
  if (total + 1 > cap) return 0;  // keep room for a NUL so callers may print it
  const Digest d = hmacOfBody(key, buf, body);
  char* w = buf + body;
  std::memcpy(w, ",\"sig\":\"", kSigPrefixLen);
  toHex(d.data(), d.size(), w + kSigPrefixLen);  // writes 64 chars + NUL, overwritten next
  w[kSigPrefixLen + kSigHexLen] = '"';
  w[kSigPrefixLen + kSigHexLen + 1] = '}';
  buf[total] = '\0';
  return total;
}

}  // namespace smartlock
