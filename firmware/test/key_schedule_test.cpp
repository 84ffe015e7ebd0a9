#include <doctest/doctest.h>
#include <mbedtls/hkdf.h>

#include <string>
#include <vector>

#include "helpers.h"
#include "key_schedule.h"
#include "printers.h"

using namespace smartlock;

namespace {
std::vector<uint8_t> bytes(const std::string& hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}
std::string hex(const uint8_t* d, size_t n) {
  std::string s(2 * n + 1, '\0');
  toHex(d, n, &s[0]);
  s.pop_back();
  return s;
}
std::string infoOf(const char* label) { return std::string("smartlock v2 ") + label; }
}  // namespace

TEST_CASE("HKDF-SHA256 reproduces RFC 5869 test case 1") {
  const auto ikm = bytes("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = bytes("000102030405060708090a0b0c");
  const auto info = bytes("f0f1f2f3f4f5f6f7f8f9");
  uint8_t okm[42];
  REQUIRE(hkdfSha256(ikm.data(), ikm.size(), salt.data(), salt.size(), info.data(), info.size(), okm, sizeof okm));
  CHECK(hex(okm, sizeof okm) ==
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST_CASE("every purpose key equals mbedtls_hkdf over K, salt smartlock, info 'smartlock v2 <label>'") {
  const DeviceKey k = helpers::key();
  const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
  std::vector<std::string> seen;
  for (KeyPurpose p : {KeyPurpose::Cmd, KeyPurpose::Status, KeyPurpose::Mqtt, KeyPurpose::Ble, KeyPurpose::TlsPsk,
                       KeyPurpose::Update}) {
    CAPTURE(labelOf(p));
    const std::string info = infoOf(labelOf(p));
    uint8_t expected[32];
    REQUIRE(mbedtls_hkdf(md, reinterpret_cast<const uint8_t*>("smartlock"), 9, k.data(), k.size(),
                         reinterpret_cast<const uint8_t*>(info.data()), info.size(), expected, 32) == 0);
    const DeviceKey got = derivePurposeKey(k, p);
    CHECK(hex(got.data(), 32) == hex(expected, 32));
    seen.push_back(hex(got.data(), 32));
  }
  for (size_t i = 0; i < seen.size(); ++i)
    for (size_t j = i + 1; j < seen.size(); ++j) CHECK(seen[i] != seen[j]);
  CHECK(std::string(labelOf(KeyPurpose::TlsPsk)) == "tls-psk");
}

TEST_CASE("the v2 broker password is the hex of the mqtt key and differs from the v1 password") {
  const DeviceKey k = helpers::key();
  char v1[65], v2[65];
  mqttPassword(k, v1);
  mqttPasswordV2(k, v2);
  const DeviceKey m = derivePurposeKey(k, KeyPurpose::Mqtt);
  CHECK(std::string(v2) == hex(m.data(), 32));
  CHECK(std::string(v1) != std::string(v2));
  const V2Keys keys = deriveV2Keys(k);
  CHECK(keys.cmd == derivePurposeKey(k, KeyPurpose::Cmd));
  CHECK(keys.status == derivePurposeKey(k, KeyPurpose::Status));
  CHECK(keys.cmd != k);
}

TEST_CASE("the worked-example K gives the purpose keys openssl computes (openssl kdf ... HKDF)") {
  // openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:<K> -kdfopt salt:smartlock
  //   -kdfopt "info:smartlock v2 <label>" HKDF
  const DeviceKey k = helpers::key();
  auto hexOf = [](const DeviceKey& d) { return hex(d.data(), d.size()); };
  CHECK(hexOf(derivePurposeKey(k, KeyPurpose::Cmd)) == "2f3934a42b7662f9e2103db68fa2373c5929195b07e168b6b0dcf793d141c494");
  CHECK(hexOf(derivePurposeKey(k, KeyPurpose::Status)) == "48aba0ecc7d59836a5138e8f97c248ec273714d4e9cf76a033d39f879d461d84");
  char pw[65];
  mqttPasswordV2(k, pw);
  CHECK(std::string(pw) == "7d29fe522ec4a62e93d85a8c9e0ef5c7a77bdbc512e85edc8b88068a58aaebc0");
}
