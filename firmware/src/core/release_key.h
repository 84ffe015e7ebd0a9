// Checks a release manifest's signature (ECDSA P-256 over SHA-256 of the manifest's exact bytes,
// raw r||s). Behind a port so tests can count calls; EcdsaReleaseVerifier is the one real
// implementation, over mbedTLS, shared by the ESP32 shell and the host.
#pragma once
#include <cstddef>

#include "firmware_manifest.h"

namespace smartlock {

class ReleaseVerifier {
 public:
  virtual ~ReleaseVerifier() = default;
  virtual bool verify(const char* manifest, size_t n, const ReleaseSig& sig) = 0;
};

class EcdsaReleaseVerifier : public ReleaseVerifier {
 public:
  // key: the release public key as an uncompressed point (04||X||Y), as compiled into the lock.
  explicit EcdsaReleaseVerifier(const ReleasePublicKey& key) : key_(key) {}
  bool verify(const char* manifest, size_t n, const ReleaseSig& sig) override;

 private:
  ReleasePublicKey key_;
};

// Accepts exactly 130 hex digits (either case) of an uncompressed point; false otherwise. The
// point itself is checked (on the curve) only by verify(), which then fails.
bool parseReleasePublicKey(const char* hex, size_t n, ReleasePublicKey& out);

}  // namespace smartlock
