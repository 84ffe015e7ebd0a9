// The mbed TLS modules the core calls, for the 32-bit cross build (qemu.mk). The host build uses
// Debian's libmbedcrypto; the ESP32 uses ESP-IDF's mbed TLS 2.28 with its own configuration.
// Only the verifying half of ECDSA is here: the lock never signs with a private key.
#ifndef SMARTLOCK_QEMU_MBEDTLS_CONFIG_H
#define SMARTLOCK_QEMU_MBEDTLS_CONFIG_H

#define MBEDTLS_HAVE_ASM
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C   /* WebSocket handshake (RFC 6455 accept key) */
#define MBEDTLS_SHA256_C /* HMAC-SHA256 signatures, HKDF, firmware images */
#define MBEDTLS_HKDF_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_NO_INTERNAL_RNG /* verify only: no blinding RNG needed */
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C

#include "mbedtls/check_config.h"

#endif
