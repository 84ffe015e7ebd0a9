#include "websocket_handshake.h"

#include <mbedtls/md.h>

#include <cstdio>
#include <cstring>

namespace smartlock {
namespace ws {
namespace {

const char kGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(const char* a, size_t an, const char* b) {
  const size_t bn = std::strlen(b);
  if (an != bn) return false;
  for (size_t i = 0; i < an; ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// True if the comma-separated list [v, v + n) holds `token` (case-insensitive), e.g.
// "keep-alive, Upgrade" holds "upgrade".
bool listHas(const char* v, size_t n, const char* token) {
  size_t start = 0;
  while (start <= n) {
    size_t end = start;
    while (end < n && v[end] != ',') ++end;
    size_t a = start, b = end;
    while (a < b && (v[a] == ' ' || v[a] == '\t')) ++a;
    while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) --b;
    if (equalsIgnoreCase(v + a, b - a, token)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

size_t base64(const uint8_t* data, size_t n, char* out) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    const uint32_t b0 = data[i];
    const uint32_t b1 = i + 1 < n ? data[i + 1] : 0;
    const uint32_t b2 = i + 2 < n ? data[i + 2] : 0;
    const uint32_t triple = b0 << 16 | b1 << 8 | b2;
    out[o++] = kAlphabet[triple >> 18 & 0x3f];
    out[o++] = kAlphabet[triple >> 12 & 0x3f];
    out[o++] = i + 1 < n ? kAlphabet[triple >> 6 & 0x3f] : '=';
    out[o++] = i + 2 < n ? kAlphabet[triple & 0x3f] : '=';
  }
  out[o] = '\0';
  return o;
}

void makeKey(const uint8_t (&nonce)[16], char (&key)[kKeyLen + 1]) { base64(nonce, sizeof nonce, key); }

bool expectedAccept(const char* key, char (&accept)[kAcceptLen + 1]) {
  uint8_t digest[20];
  mbedtls_md_context_t ctx;
  mbedtls_md_init(&ctx);
  const bool ok = mbedtls_md_setup(&ctx, mbedtls_md_info_from_type(MBEDTLS_MD_SHA1), 0) == 0 &&
                  mbedtls_md_starts(&ctx) == 0 &&
                  mbedtls_md_update(&ctx, reinterpret_cast<const unsigned char*>(key), std::strlen(key)) == 0 &&
                  mbedtls_md_update(&ctx, reinterpret_cast<const unsigned char*>(kGuid), sizeof kGuid - 1) == 0 &&
                  mbedtls_md_finish(&ctx, digest) == 0;
  mbedtls_md_free(&ctx);
  if (!ok) {
    accept[0] = '\0';  // matches no server's answer
    return false;
  }
  base64(digest, sizeof digest, accept);
  return true;
}

size_t writeRequest(const char* host, uint16_t port, const char* path, const char* key, char* out, size_t cap) {
  // The port goes into Host only when it is not the scheme's default (RFC 6455 §4.1, item 4); which
  // default the caller knows, so 0 means "leave it out".
  char hostPort[8] = "";
  if (port != 0) std::snprintf(hostPort, sizeof hostPort, ":%u", static_cast<unsigned>(port));
  const int n = std::snprintf(out, cap,
                              "GET %s HTTP/1.1\r\n"
                              "Host: %s%s\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: %s\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Protocol: mqtt\r\n"
                              "\r\n",
                              path, host, hostPort, key);
  return n > 0 && static_cast<size_t>(n) < cap ? static_cast<size_t>(n) : 0;
}

const char* describe(HandshakeError e) {
  switch (e) {
    case HandshakeError::None: return "ok";
    case HandshakeError::NotHttp: return "not an HTTP/1.1 response";
    case HandshakeError::NotSwitching: return "the server did not switch protocols (no 101)";
    case HandshakeError::NoUpgrade: return "no Upgrade: websocket";
    case HandshakeError::NoConnectionUpgrade: return "no Connection: Upgrade";
    case HandshakeError::BadAccept: return "wrong Sec-WebSocket-Accept";
    case HandshakeError::NotMqtt: return "subprotocol is not mqtt";
  }
  return "?";
}

HandshakeError checkResponse(const char* head, size_t n, const char* key) {
  const char* lineEnd = static_cast<const char*>(std::memchr(head, '\n', n));
  const size_t statusLen = lineEnd != nullptr ? static_cast<size_t>(lineEnd - head) : n;
  if (statusLen < 12 || std::strncmp(head, "HTTP/1.1 ", 9) != 0) return HandshakeError::NotHttp;
  if (std::strncmp(head + 9, "101", 3) != 0 || (statusLen > 12 && head[12] != ' ' && head[12] != '\r')) {
    return HandshakeError::NotSwitching;
  }
  char accept[kAcceptLen + 1];
  expectedAccept(key, accept);
  bool upgrade = false, connection = false, accepted = false, mqtt = false;
  size_t pos = statusLen + 1;
  while (pos < n) {
    const char* line = head + pos;
    const char* end = static_cast<const char*>(std::memchr(line, '\n', n - pos));
    size_t len = end != nullptr ? static_cast<size_t>(end - line) : n - pos;
    pos += len + 1;
    if (len > 0 && line[len - 1] == '\r') --len;
    const char* colon = static_cast<const char*>(std::memchr(line, ':', len));
    if (colon == nullptr) continue;
    const size_t nameLen = static_cast<size_t>(colon - line);
    const char* value = colon + 1;
    size_t valueLen = len - nameLen - 1;
    while (valueLen > 0 && (*value == ' ' || *value == '\t')) ++value, --valueLen;
    while (valueLen > 0 && (value[valueLen - 1] == ' ' || value[valueLen - 1] == '\t')) --valueLen;
    if (equalsIgnoreCase(line, nameLen, "upgrade")) upgrade = equalsIgnoreCase(value, valueLen, "websocket");
    else if (equalsIgnoreCase(line, nameLen, "connection")) connection = listHas(value, valueLen, "upgrade");
    // The accept value is base64: compared exactly, case matters.
    else if (equalsIgnoreCase(line, nameLen, "sec-websocket-accept")) accepted = valueLen == kAcceptLen && std::memcmp(value, accept, kAcceptLen) == 0;
    else if (equalsIgnoreCase(line, nameLen, "sec-websocket-protocol")) mqtt = equalsIgnoreCase(value, valueLen, "mqtt");
  }
  if (!upgrade) return HandshakeError::NoUpgrade;
  if (!connection) return HandshakeError::NoConnectionUpgrade;
  if (!accepted) return HandshakeError::BadAccept;
  if (!mqtt) return HandshakeError::NotMqtt;  // MQTT 3.1.1 §6: the server must select "mqtt"
  return HandshakeError::None;
}

}  // namespace ws
}  // namespace smartlock
