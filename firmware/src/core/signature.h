// HMAC-SHA256 signatures of the v1 envelope, over mbedtls (the same API on ESP32 and on the host).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "protocol.h"

namespace smartlock {

using DeviceKey = std::array<uint8_t, 32>;
using Digest = std::array<uint8_t, 32>;

// Suffix of every signed payload: ,"sig":"<64 lowercase hex>"}
constexpr size_t kSigPrefixLen = 8;                                  // ,"sig":"
constexpr size_t kSigSuffixLen = kSigPrefixLen + kSigHexLen + 2;    // + "}

// Accepts exactly 64 hex digits (either case, for hand-typed secrets); false otherwise.
bool parseDeviceKey(const char* hex, size_t n, DeviceKey& out);

Digest hmacSha256(const DeviceKey& key, const uint8_t* data, size_t n);
// Lowercase hex of n bytes into out, which must hold 2n+1 chars (NUL-terminated).
void toHex(const uint8_t* data, size_t n, char* out);
// Compares without an early exit, so timing does not reveal how many leading bytes matched.
bool constantTimeEqual(const uint8_t* a, const uint8_t* b, size_t n);

// Broker password: lowercase hex of HMAC-SHA256(K, "SLMQTT1"), 64 chars + NUL.
void mqttPassword(const DeviceKey& key, char (&out)[kSigHexLen + 1]);

// Length of B's body, i.e. the payload without its signature suffix (B = body + "}"), or nullopt
// when the payload does not end with the exact suffix form (64 lowercase hex, nothing after).
std::optional<size_t> envelopeBodyLength(const char* payload, size_t n);

// Signature check of a complete payload: nullopt if valid, else Malformed (bad envelope) or
// BadSignature. Nothing in the payload should be trusted before this returns nullopt.
std::optional<RejectReason> checkSignature(const DeviceKey& key, const char* payload, size_t n);

// Signs B in place: buf holds B (length len, last char '}'); on return it holds the full payload.
// Returns the new length, or 0 if B is not an object or the result would not fit in cap.
size_t signInPlace(const DeviceKey& key, char* buf, size_t len, size_t cap);

}  // namespace smartlock
