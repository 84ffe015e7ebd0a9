// Protocol v2 keys: one HKDF-SHA256 (RFC 5869) key per purpose, derived from the device secret K,
// so that K itself never keys an HMAC in v2 and a leak of one purpose's key (e.g. the broker
// password, which the broker operator sees) does not let anybody sign commands or statuses.
//   IKM = K, salt = "smartlock", info = "smartlock v2 " + label, L = 32.
// HKDF is built on mbedtls' HMAC rather than mbedtls_hkdf: ESP-IDF ships mbedtls with HKDF off.
#pragma once
#include <cstddef>
#include <cstdint>

#include "protocol.h"
#include "signature.h"

namespace smartlock {

enum class KeyPurpose : uint8_t { Cmd, Status, Mqtt, Ble, TlsPsk, Update };
const char* labelOf(KeyPurpose p);  // "cmd", "status", "mqtt", "ble", "tls-psk", "update"

// RFC 5869 extract-then-expand. outLen <= 255 * 32. False only if mbedtls fails (out is zeroed).
bool hkdfSha256(const uint8_t* ikm, size_t ikmLen, const uint8_t* salt, size_t saltLen, const uint8_t* info,
                size_t infoLen, uint8_t* out, size_t outLen);

DeviceKey derivePurposeKey(const DeviceKey& k, KeyPurpose purpose);

// What one lock needs at run time; derived once at start-up.
struct V2Keys {
  DeviceKey cmd{};     // verifies every server -> lock message (cmd, welcome, time, cfg)
  DeviceKey status{};  // signs every lock -> server message (hello, status)
};
V2Keys deriveV2Keys(const DeviceKey& k);

// v2 broker password: lowercase hex of the 32-byte "mqtt" key, 64 chars + NUL.
void mqttPasswordV2(const DeviceKey& k, char (&out)[kSigHexLen + 1]);

// TLS pre-shared key for the embedded broker's TLS listener (docs/protocol.md §12): the 32 bytes
// of the "tls-psk" purpose key, as the lowercase hex that TLS stacks take (libmosquitto's
// mosquitto_tls_psk_set, WiFiClientSecure::setPreSharedKey), 64 chars + NUL. The identity is the
// device id. The core never speaks TLS itself: a shell that is configured for TLS-PSK asks for it.
void tlsPskHex(const DeviceKey& k, char (&out)[kSigHexLen + 1]);

}  // namespace smartlock
