// Stack high-water marks of the core's hot paths, measured on the target (stack_probe.h) and held
// to a budget: the Arduino-ESP32 loop task has 8 KB of stack (CONFIG_ARDUINO_LOOP_STACK_SIZE) for
// the sketch, the MQTT client and the core together, so one core call may take at most half of it.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "codec.h"
#include "command_verifier.h"
#include "helpers.h"
#include "key_schedule.h"
#include "release_key.h"
#include "stack_probe.h"
#include "update_fakes.h"

using namespace smartlock;

namespace {
constexpr size_t kBudget = 4096;
const int64_t kNow = 1795760000;

size_t report(const char* what, size_t bytes) {
  std::printf("stack high-water: %-36s %5u bytes\n", what, static_cast<unsigned>(bytes));
  return bytes;
}
}  // namespace

TEST_CASE("verify and codec stay within their share of the loop task's stack") {
  const DeviceKey k = helpers::key();
  const std::string v1 = helpers::signedCmd(k, "front-door", "c-1", "UNLOCK", 7, kNow);
  const V2Keys v2k = deriveV2Keys(k);
  const std::string v2 = helpers::sign(v2k.cmd, helpers::cmdBodyV2("front-door", "c-2", "LOCK", 8, kNow));

  CommandVerdict verdict;
  auto verifyV1 = [&] {
    const CommandContext ctx{k, "front-door", 6, kNow};
    verdict = verifyCommand(ctx, v1.data(), v1.size());
  };
  const size_t verify1 = report("verifyCommand (v1 UNLOCK)", qemu::stackHighWaterOf(verifyV1));
  CHECK_FALSE(verdict.reject.has_value());
  auto verifyV2 = [&] {
    const CommandContext ctx{v2k.cmd, "front-door", 6, kNow, kProtocolV2};
    verdict = verifyCommand(ctx, v2.data(), v2.size());
  };
  const size_t verify2 = report("verifyCommand (v2 LOCK)", qemu::stackHighWaterOf(verifyV2));
  CHECK_FALSE(verdict.reject.has_value());

  char buf[kMaxPayload + 1];
  size_t n = 0;
  AckFields ack{};
  std::snprintf(ack.id, sizeof ack.id, "c-2");
  auto encode = [&] {
    StatusReport r;
    r.version = kProtocolV2;
    r.status = LockStatus::Locked;
    r.door = DoorState::Closed;
    r.src = BoltSource::Remote;
    r.cid = "c-2";
    r.ctr = 8;
    r.ts = kNow;
    r.uptime = 3600;
    r.rssi = -62;
    r.battery = 80;
    r.power = Power::Battery;
    r.issue = "";
    r.fw = "esp32-1.0.0";
    r.ack = &ack;
    n = buildStatus("front-door", r, buf, sizeof buf);
  };
  const size_t build = report("buildStatus (v2, every member)", qemu::stackHighWaterOf(encode));
  REQUIRE(n > 0);

  StatusMessage parsed;
  std::optional<RejectReason> parseVerdict = RejectReason::Malformed;
  auto decode = [&] { parseVerdict = parseStatus(buf, n, "front-door", parsed, kProtocolV2); };
  const size_t parse = report("parseStatus (the same status)", qemu::stackHighWaterOf(decode));
  CHECK_FALSE(parseVerdict.has_value());

  for (const size_t used : {verify1, verify2, build, parse}) {
    CHECK(used > 0);  // 0: it ran past the painted region
    CHECK(used <= kBudget);
  }
}

TEST_CASE("the tests run on a 32-bit target") {
  CHECK(sizeof(void*) == 4);
  CHECK(sizeof(size_t) == 4);
}

TEST_CASE("the release signature check (ECDSA P-256) stays within the same share") {
  const minijson::Value vectors = updfakes::loadUpdateVectors();
  EcdsaReleaseVerifier verifier{updfakes::publicKeyOf(vectors)};
  const minijson::Value& c = updfakes::vectorCase(vectors, "valid release");
  const std::string manifest = c["manifest"].str;
  ReleaseSig sig{};
  REQUIRE(parseLowerHex(c["msig"].str.data(), c["msig"].str.size(), sig.data(), sig.size()));
  bool ok = false;
  auto verify = [&] { ok = verifier.verify(manifest.data(), manifest.size(), sig); };
  const size_t used = report("EcdsaReleaseVerifier::verify", qemu::stackHighWaterOf(verify));
  CHECK(ok);
  CHECK(used > 0);
  CHECK(used <= kBudget);
}
