// RFC 6455 opening handshake, client side: the GET request and the checks on the server's 101.
// MQTT over WebSockets (docs/protocol.md §12.3) asks for the subprotocol "mqtt".
#pragma once
#include <cstddef>
#include <cstdint>

namespace smartlock {
namespace ws {

constexpr size_t kKeyLen = 24;     // base64 of 16 random bytes
constexpr size_t kAcceptLen = 28;  // base64 of a SHA-1 digest

// base64 (RFC 4648, padded) of n bytes into out (4 * ceil(n / 3) chars + NUL); returns the length.
size_t base64(const uint8_t* data, size_t n, char* out);

// Sec-WebSocket-Key from 16 random bytes.
void makeKey(const uint8_t (&nonce)[16], char (&key)[kKeyLen + 1]);

// Sec-WebSocket-Accept the server must send for this key: base64(SHA-1(key + RFC 6455's GUID)).
// False only if SHA-1 is unavailable (mbedtls out of memory).
bool expectedAccept(const char* key, char (&accept)[kAcceptLen + 1]);

// The GET request, NUL-terminated; returns its length, or 0 if it does not fit in cap.
size_t writeRequest(const char* host, uint16_t port, const char* path, const char* key, char* out, size_t cap);

enum class HandshakeError : uint8_t { None, NotHttp, NotSwitching, NoUpgrade, NoConnectionUpgrade, BadAccept, NotMqtt };
const char* describe(HandshakeError e);

// Checks a complete response head (status line and headers, up to and excluding the blank line).
HandshakeError checkResponse(const char* head, size_t n, const char* key);

}  // namespace ws
}  // namespace smartlock
