// The long press in protocol v3 (docs/protocol.md §15.5): a signed reset goes out before the shell
// forgets K (unclaimed_app.h factoryReset), so the server releases the lock; in v2 nothing is sent.
#include <doctest/doctest.h>

#include <string>

#include "printers.h"
#include "signature.h"
#include "v3_rig.h"

using namespace smartlock;
using namespace v3rig;

TEST_CASE("factory reset: a v3 lock sends a reset signed with the status key, with the next seq and the server's time") {
  Rig r;
  r.online(3);
  const uint64_t seqBefore = r.app->lastSeq();
  const size_t before = r.mqtt.on(kStatusTopic).size();
  REQUIRE(r.app->sendFactoryReset());
  const auto all = r.mqtt.on(kStatusTopic);
  REQUIRE(all.size() == before + 1);
  const auto& reset = all.back();
  CHECK(reset.qos == 1);
  CHECK_FALSE(reset.retain);
  CHECK_FALSE(checkSignature(r.keys.status, reset.payload.data(), reset.payload.size()).has_value());
  CHECK(checkSignature(r.key, reset.payload.data(), reset.payload.size()).has_value());  // never K
  const std::string expected = "{\"v\":3,\"type\":\"reset\",\"dev\":\"front-door\",\"boot\":1,\"seq\":" +
                               std::to_string(seqBefore + 1) + ",\"ts\":";
  CHECK(reset.payload.rfind(expected, 0) == 0);
  CHECK(r.app->lastSeq() == seqBefore + 1);
}

TEST_CASE("factory reset: a lock speaking v2 (or offline) sends nothing") {
  Rig r;
  r.online(2);
  const size_t before = r.mqtt.on(kStatusTopic).size();
  CHECK_FALSE(r.app->sendFactoryReset());
  CHECK(r.mqtt.on(kStatusTopic).size() == before);
  r.mqtt.drop();
  r.run(100);
  CHECK_FALSE(r.app->sendFactoryReset());
}
