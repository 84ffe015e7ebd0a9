#include "firmware_manifest.h"

#include <mbedtls/md.h>

#include <cstring>

namespace smartlock {
namespace {

bool isLowerHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool isHwChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }
bool isFwChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+' ||
         c == '-';
}

// Reads the literal lit at s[pos], advancing pos.
bool expect(const char* s, size_t n, size_t& pos, const char* lit) {
  const size_t len = std::strlen(lit);
  if (n - pos < len || std::memcmp(s + pos, lit, len) != 0) return false;
  pos += len;
  return true;
}

// The value up to the next ';' (or the end): [start, pos) with pos left on the ';' or at n.
size_t valueEnd(const char* s, size_t n, size_t pos) {
  while (pos < n && s[pos] != ';') ++pos;
  return pos;
}

// Decimal without leading zeros (0 itself allowed), at most max.
bool parseBounded(const char* s, size_t n, uint32_t min, uint32_t max, uint32_t& out) {
  if (n == 0 || n > 8 || (n > 1 && s[0] == '0')) return false;
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<uint32_t>(s[i] - '0');
  }
  if (v < min || v > max) return false;
  out = v;
  return true;
}

}  // namespace

bool parseLowerHex(const char* s, size_t n, uint8_t* out, size_t len) {
  if (s == nullptr || n != 2 * len) return false;
  for (size_t i = 0; i < len; ++i) {
    const char hi = s[2 * i], lo = s[2 * i + 1];
    if (!isLowerHexDigit(hi) || !isLowerHexDigit(lo)) return false;
    const int h = hi <= '9' ? hi - '0' : hi - 'a' + 10;
    const int l = lo <= '9' ? lo - '0' : lo - 'a' + 10;
    out[i] = static_cast<uint8_t>(h << 4 | l);
  }
  return true;
}

bool parseManifest(const char* s, size_t n, Manifest& out) {
  if (s == nullptr || n > kManifestMax) return false;
  Manifest m;
  size_t pos = 0;
  if (!expect(s, n, pos, "sl-fw1;hw=")) return false;
  size_t end = valueEnd(s, n, pos);
  if (end == pos || end - pos > kHwMax) return false;
  for (size_t i = pos; i < end; ++i) if (!isHwChar(s[i])) return false;
  std::memcpy(m.hw, s + pos, end - pos);
  pos = end;

  if (!expect(s, n, pos, ";fw=")) return false;
  end = valueEnd(s, n, pos);
  if (end == pos || end - pos > kFwMax) return false;
  for (size_t i = pos; i < end; ++i) if (!isFwChar(s[i])) return false;
  std::memcpy(m.fw, s + pos, end - pos);
  pos = end;

  uint32_t v = 0;
  if (!expect(s, n, pos, ";arc=")) return false;
  end = valueEnd(s, n, pos);
  if (!parseBounded(s + pos, end - pos, 0, 65535, v)) return false;
  m.arc = static_cast<uint16_t>(v);
  pos = end;

  if (!expect(s, n, pos, ";size=")) return false;
  end = valueEnd(s, n, pos);
  if (!parseBounded(s + pos, end - pos, 1, kImageMaxSize, v)) return false;
  m.size = v;
  pos = end;

  if (!expect(s, n, pos, ";sha256=")) return false;
  if (!parseLowerHex(s + pos, n - pos, m.sha256.data(), m.sha256.size())) return false;
  out = m;
  return true;
}

Sha256Stream::Sha256Stream() {
  mbedtls_md_context_t* ctx = &ctx_;
  mbedtls_md_init(ctx);
  ok_ = mbedtls_md_setup(ctx, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 0) == 0 && mbedtls_md_starts(ctx) == 0;
}

Sha256Stream::~Sha256Stream() {
  mbedtls_md_free(&ctx_);
}

void Sha256Stream::update(const uint8_t* data, size_t n) {
  if (ok_ && n > 0) ok_ = mbedtls_md_update(&ctx_, data, n) == 0;
}

Sha256 Sha256Stream::finish() {
  Sha256 out{};
  mbedtls_md_context_t* ctx = &ctx_;
  if (!ok_ || mbedtls_md_finish(ctx, out.data()) != 0) out.fill(0);
  ok_ = mbedtls_md_starts(ctx) == 0;
  return out;
}

}  // namespace smartlock
