// The signed release manifest of a firmware image (docs/protocol.md, "Firmware updates (v3)"):
//   sl-fw1;hw=<id>;fw=<version>;arc=<0..65535>;size=<1..16777216>;sha256=<64 lowercase hex>
// One line of printable ASCII, members in exactly this order. The release key signs these bytes
// offline; nothing in a manifest is trusted before that signature checks (release_key.h).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include <mbedtls/md.h>

#include "protocol.h"

namespace smartlock {

constexpr size_t kHwMax = 32;              // [a-z0-9-]{1,32}
constexpr size_t kManifestMax = 200;       // the longest valid manifest is 174 chars
constexpr uint32_t kImageMaxSize = 16777216;  // 16 MiB
constexpr size_t kReleaseSigLen = 64;      // raw r||s of ECDSA P-256
constexpr size_t kReleaseSigHexLen = 128;  // "msig"
constexpr size_t kReleasePublicKeyLen = 65;  // uncompressed point 04||X||Y

using Sha256 = std::array<uint8_t, 32>;
using ReleaseSig = std::array<uint8_t, kReleaseSigLen>;
using ReleasePublicKey = std::array<uint8_t, kReleasePublicKeyLen>;

struct Manifest {
  char hw[kHwMax + 1] = {};
  char fw[kFwMax + 1] = {};
  uint16_t arc = 0;
  uint32_t size = 0;
  Sha256 sha256{};
};

// True when s[0..n) is exactly one well-formed manifest line; out is filled only then.
bool parseManifest(const char* s, size_t n, Manifest& out);

// Exactly 2*len lowercase hex digits into out[0..len); false otherwise (out may be partly written).
bool parseLowerHex(const char* s, size_t n, uint8_t* out, size_t len);

// SHA-256 over a stream of chunks (mbedTLS, the same on ESP32 and on the host).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(const uint8_t* data, size_t n);
  Sha256 finish();  // all zeros if mbedTLS failed (it only fails on OOM); restarts the stream

 private:
  mbedtls_md_context_t ctx_;
  bool ok_ = false;
};

}  // namespace smartlock
