// Protocol v3 negotiation on the lock (docs/protocol.md §13): a v3 lock announces "1,2,3", takes a
// welcome into 3 (or 2 from a v2 server), then speaks v3 with v2's keys and members; a v2 lock
// refuses a welcome into 3.
#include <doctest/doctest.h>

#include "printers.h"
#include "v3_rig.h"

using namespace smartlock;
using namespace v3rig;

TEST_CASE("a v3 lock announces 1,2,3 in its hello and, welcomed into v3, sends v3 statuses with the status key") {
  Rig r;
  r.run(200);
  const auto first = r.published();
  REQUIRE(first.size() >= 1);
  CHECK(first[0].type == "hello");
  CHECK(std::string(first[0].hello.vers) == "1,2,3");
  CHECK(first[0].payload.rfind("{\"v\":2,\"type\":\"hello\"", 0) == 0);  // a hello is always v2
  r.welcome(3);
  r.run(200);
  CHECK(r.app->protocolVersion() == 3);
  CHECK(r.storage.values["proto"] == 3);
  const auto last = r.statuses().back();
  CHECK(last.version == 3);
  CHECK(last.status.door == DoorState::Closed);
}

TEST_CASE("in a v3 session a v3 cmd moves the bolt; a v2 one is refused (signed: answered), a v1 one dropped unanswered") {
  Rig r;
  r.online(3);
  r.deliverSigned(r.keys.cmd, helpers::cmdBodyV2(kDev, "v2-cmd", "UNLOCK", 50, kNow));
  r.deliverSigned(r.key, helpers::cmdBody(kDev, "v1-cmd", "UNLOCK", 51, kNow));
  r.run(500);
  CHECK(r.actuator.starts.empty());
  CHECK(r.acks() == std::vector<std::string>{"v2-cmd:rejected"});
  r.commandV3("c-1", "UNLOCK");
  r.run(1500);
  REQUIRE(r.actuator.starts.size() == 1);
  CHECK(r.acks() == std::vector<std::string>{"v2-cmd:rejected", "c-1:ok"});
  CHECK(r.statuses().back().version == 3);
}

TEST_CASE("in a v3 session a v3 cfg applies and is acked; its v2 form does not") {
  Rig r;
  r.online(3);
  r.deliverSigned(r.keys.cmd, asV3(helpers::cfgBody(kDev, "cfg-1", ++r.ctr, kNow, 30, "STAY", "REFUSE")));
  r.run(300);
  CHECK(r.app->controller().settings().relockS == 30);
  CHECK(r.acks() == std::vector<std::string>{"cfg-1:ok"});
  r.deliverSigned(r.keys.cmd, helpers::cfgBody(kDev, "cfg-2", ++r.ctr, kNow, 60, "STAY", "REFUSE"));
  r.run(300);
  CHECK(r.app->controller().settings().relockS == 30);
}

TEST_CASE("a v3 lock welcomed into v2 by a v2 server speaks v2 exactly as a v2 lock") {
  Rig r;
  r.online(2);
  CHECK(r.statuses().back().version == 2);
  r.deliverSigned(r.keys.cmd, helpers::cmdBodyV2(kDev, "c-2", "UNLOCK", ++r.ctr, kNow));
  r.run(1500);
  CHECK(r.acks() == std::vector<std::string>{"c-2:ok"});
}

TEST_CASE("a v2 lock announces 1,2 and refuses a welcome into 3") {
  Rig r(kProtocolV2);
  r.run(200);
  CHECK(std::string(r.published()[0].hello.vers) == "1,2");
  r.welcome(3);
  r.run(200);
  CHECK(r.app->protocolVersion() == 1);
  CHECK(r.app->droppedMessages() == 1);
}
