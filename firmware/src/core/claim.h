// The unclaimed lock's side of claiming (docs/protocol.md "Claiming"): its signed hello, and the
// server's claim message, checked and opened into the lock's device id and K. Keys come from the
// claim secret with HKDF-SHA256, bound to the factory id:
//   key(label) = HKDF(IKM = secret, salt = "smartlock claim", info = "smartlock claim <label> <fid>")
#pragma once
#include <cstddef>
#include <cstdint>

#include "claim_code.h"
#include "protocol.h"
#include "signature.h"

namespace smartlock {

constexpr size_t kClaimNonceLen = 16;  // lowercase hex, 64 bits, fresh for each unclaimed period

DeviceKey claimKey(const FactoryIdentity& id, const char* label);

// The claim account's broker password: hex of key("broker"). Only a holder of the code can derive
// it, so a broker that creates the account when someone types the code (Mosquitto with dynamic
// security) lets no one else in; the embedded broker accepts any password for claim-<fid>.
void claimBrokerPassword(const FactoryIdentity& id, char (&out)[2 * kKeyLen + 1]);

// {"v":1,"type":"unclaimed","fid":"<fid>","n":"<nonce>","fw":"<fw>","sig":"<hex>"} into buf.
// Returns its length, or 0 if it does not fit or fw is not printable ASCII without " and \.
size_t buildUnclaimedHello(const FactoryIdentity& id, const char* nonce, const char* fw, char* buf, size_t cap);

struct ClaimGrant {
  char deviceId[kDeviceIdMax + 1] = {};
  DeviceKey key{};
};

enum class ClaimVerdict : uint8_t { Valid, BadSignature, Malformed, NotForUs };

// Checks the signature first (nothing is read before), then the exact member layout, that fid and
// n are this lock's and this period's, and the device id's pattern; on Valid, out holds the grant.
ClaimVerdict openClaimMessage(const FactoryIdentity& id, const char* nonce, const char* payload, size_t n,
                              ClaimGrant& out);

// The nonce of the current unclaimed period, made and stored on first use ("cnonce"), so a claim
// message retained before a reboot still opens, and one of an earlier period never does.
bool currentClaimNonce(Storage& storage, Random& random, char (&out)[kClaimNonceLen + 1]);

}  // namespace smartlock
