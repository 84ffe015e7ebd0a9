// The release manifest parser and the ECDSA P-256 verifier, against docs/firmware-update-vectors.json
// (made by openssl in firmware/tools/make-update-vectors.sh with a TEST-ONLY key).
#include <doctest/doctest.h>

#include <string>

#include "firmware_manifest.h"
#include "release_key.h"
#include "signature.h"
#include "update_fakes.h"

using namespace smartlock;
using updfakes::loadUpdateVectors;

namespace {

bool parses(const std::string& s) {
  Manifest m;
  return parseManifest(s.data(), s.size(), m);
}

const std::string kSha = "4d8b89b952ee4acd3981d2c9c5be213ca9511a6503e1de64a06581ee1c7a2fdd";

bool verifies(EcdsaReleaseVerifier& v, const std::string& manifest, const std::string& msigHex) {
  ReleaseSig sig{};
  if (!parseLowerHex(msigHex.data(), msigHex.size(), sig.data(), sig.size())) return false;
  return v.verify(manifest.data(), manifest.size(), sig);
}

}  // namespace

TEST_CASE("a manifest is parsed member by member") {
  const std::string s = "sl-fw1;hw=esp32;fw=1.1.0+b7;arc=65535;size=16777216;sha256=" + kSha;
  Manifest m;
  REQUIRE(parseManifest(s.data(), s.size(), m));
  CHECK(std::string(m.hw) == "esp32");
  CHECK(std::string(m.fw) == "1.1.0+b7");
  CHECK(m.arc == 65535);
  CHECK(m.size == 16777216u);
  CHECK(m.sha256[0] == 0x4d);
  CHECK(m.sha256[31] == 0xdd);
}

TEST_CASE("a manifest out of order, out of range or with anything extra is refused") {
  CHECK(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw2;hw=esp32;fw=1;arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;fw=1;hw=esp32;arc=0;size=1;sha256=" + kSha));        // order
  CHECK_FALSE(parses("sl-fw1;hw=ESP32;fw=1;arc=0;size=1;sha256=" + kSha));        // hw is lowercase
  CHECK_FALSE(parses("sl-fw1;hw=;fw=1;arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=" + std::string(33, 'a') + ";fw=1;arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1 0;arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=" + std::string(33, '1') + ";arc=0;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=65536;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=01;size=1;sha256=" + kSha));      // leading zero
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=-1;size=1;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=0;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=16777217;sha256=" + kSha));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=1;sha256=" + kSha.substr(1)));
  std::string upper = kSha;
  upper[0] = 'D';
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=1;sha256=" + upper));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=1;sha256=" + kSha + ";"));
  CHECK_FALSE(parses("sl-fw1;hw=esp32;fw=1;arc=0;size=1;sha256=" + kSha + "\n"));
}

TEST_CASE("update vectors: every case gets its verdict from the C++ verifier") {
  const auto v = loadUpdateVectors();
  EcdsaReleaseVerifier verifier(updfakes::publicKeyOf(v));
  REQUIRE(v["cases"].items.size() >= 6);
  int valid = 0, bad = 0;
  for (const auto& c : v["cases"].items) {
    CAPTURE(c["name"].str);
    const bool ok = verifies(verifier, c["manifest"].str, c["msig"].str);
    CHECK(ok == (c["verdict"].str == "valid"));
    (ok ? valid : bad) += 1;
    Manifest m;
    CHECK(parseManifest(c["manifest"].str.data(), c["manifest"].str.size(), m));
  }
  CHECK(valid >= 3);
  CHECK(bad >= 3);
}

TEST_CASE("update vectors: flipping any single bit of a valid msig or manifest breaks it") {
  const auto v = loadUpdateVectors();
  EcdsaReleaseVerifier verifier(updfakes::publicKeyOf(v));
  const auto& c = updfakes::vectorCase(v, "valid release");
  const std::string man = c["manifest"].str, msig = c["msig"].str;
  REQUIRE(verifies(verifier, man, msig));
  ReleaseSig sig{};
  REQUIRE(parseLowerHex(msig.data(), msig.size(), sig.data(), sig.size()));
  for (size_t bit = 0; bit < 8 * sig.size(); bit += 7) {
    ReleaseSig flipped = sig;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    CAPTURE(bit);
    CHECK_FALSE(verifier.verify(man.data(), man.size(), flipped));
  }
  for (size_t i = 0; i < man.size(); i += 5) {
    std::string changed = man;
    changed[i] ^= 1;
    CAPTURE(i);
    CHECK_FALSE(verifier.verify(changed.data(), changed.size(), sig));
  }
}

TEST_CASE("update vectors: another key, or a key that is not a curve point, verifies nothing") {
  const auto v = loadUpdateVectors();
  const auto& c = updfakes::vectorCase(v, "valid release");
  ReleasePublicKey other = updfakes::publicKeyOf(v);
  other[64] ^= 1;  // no longer on the curve
  EcdsaReleaseVerifier bad(other);
  CHECK_FALSE(verifies(bad, c["manifest"].str, c["msig"].str));
  ReleasePublicKey k{};
  CHECK_FALSE(parseReleasePublicKey("04ab", 4, k));
  const std::string compressed = "02" + v["publicKeyHex"].str.substr(2);
  CHECK_FALSE(parseReleasePublicKey(compressed.data(), compressed.size(), k));
}

TEST_CASE("update vectors: the image's sha256 and size are the manifest's") {
  const auto v = loadUpdateVectors();
  const auto image = updfakes::bytesOfHex(v["image"]["hex"].str);
  Sha256Stream h;
  h.update(image.data(), 10);
  h.update(image.data() + 10, image.size() - 10);
  const Sha256 d = h.finish();
  char hex[65];
  toHex(d.data(), d.size(), hex);
  CHECK(std::string(hex) == v["image"]["sha256"].str);
  CHECK(static_cast<double>(image.size()) == v["image"]["size"].number);
  Manifest m;
  const std::string man = updfakes::vectorCase(v, "valid release")["manifest"].str;
  REQUIRE(parseManifest(man.data(), man.size(), m));
  CHECK(m.sha256 == d);
  CHECK(m.size == image.size());
  CHECK(updfakes::fwOfImage(image) == "1.1.0");
}
