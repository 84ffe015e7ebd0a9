#include "release_key.h"

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>

#include <cctype>

namespace smartlock {

bool EcdsaReleaseVerifier::verify(const char* manifest, size_t n, const ReleaseSig& sig) {
  if (manifest == nullptr) return false;
  Sha256Stream hash;
  hash.update(reinterpret_cast<const uint8_t*>(manifest), n);
  const Sha256 digest = hash.finish();

  // Only public mbedTLS calls (no struct members), so this builds on mbedTLS 2.x and 3.x alike.
  mbedtls_ecp_group grp;
  mbedtls_ecp_point q;
  mbedtls_mpi r, s;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&q);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  const bool ok = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
                  mbedtls_ecp_point_read_binary(&grp, &q, key_.data(), key_.size()) == 0 &&
                  mbedtls_ecp_check_pubkey(&grp, &q) == 0 &&
                  mbedtls_mpi_read_binary(&r, sig.data(), 32) == 0 &&
                  mbedtls_mpi_read_binary(&s, sig.data() + 32, 32) == 0 &&
                  mbedtls_ecdsa_verify(&grp, digest.data(), digest.size(), &q, &r, &s) == 0;
  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_ecp_point_free(&q);
  mbedtls_ecp_group_free(&grp);
  return ok;
}

bool parseReleasePublicKey(const char* hex, size_t n, ReleasePublicKey& out) {
  if (hex == nullptr || n != 2 * out.size()) return false;
  char lower[2 * kReleasePublicKeyLen];
  for (size_t i = 0; i < n; ++i) lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
  return parseLowerHex(lower, n, out.data(), out.size()) && out[0] == 0x04;
}

}  // namespace smartlock
