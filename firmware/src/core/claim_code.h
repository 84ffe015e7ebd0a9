// A lock's factory identity and the claim code printed on it and its box (docs/protocol.md
// "Claiming"): SL1-<factory id, 16 hex>-<claim secret, 4 groups of 4 Crockford base32>-<2 check>.
// The identity is made once (at manufacture, or by the lock at its first start) and kept in NVS;
// a factory reset keeps it, so the code on the box stays valid for the lock's whole life.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "ports.h"

namespace smartlock {

constexpr size_t kFactoryIdLen = 16;     // lowercase hex, 64 bits
constexpr size_t kClaimSecretLen = 10;   // 80 bits
constexpr size_t kClaimCodeLen = 43;     // SL1- + 16 + - + 19 + - + 2

struct FactoryIdentity {
  char factoryId[kFactoryIdLen + 1] = {};
  std::array<uint8_t, kClaimSecretLen> secret{};
};

// A fresh random identity (the Random port must be a real entropy source on hardware).
FactoryIdentity newFactoryIdentity(Random& random);
// NVS: "fid" (16 hex) and "fsec" (20 hex). load() validates what it reads back.
bool loadFactoryIdentity(Storage& storage, FactoryIdentity& out);
bool storeFactoryIdentity(Storage& storage, const FactoryIdentity& id);

// The printed code, NUL-terminated. False only if the identity is not valid.
bool formatClaimCode(const FactoryIdentity& id, char (&out)[kClaimCodeLen + 1]);

}  // namespace smartlock
