// An ack leaves the lock's queue only once a status carrying it was published (issue: a failed
// QoS 1 publish, after which arduino-mqtt closes the connection, used to lose it, and the server
// showed TIMED_OUT although the bolt had moved).
#include <doctest/doctest.h>

#include <string>

#include "app_rig.h"
#include "printers.h"

using namespace smartlock;
using rigs::AppRig;

namespace {
std::vector<std::string> ackIds(AppRig& r) {
  std::vector<std::string> ids;
  for (const auto& s : r.statuses()) {
    if (s.ack) ids.emplace_back(s.ack->id);
  }
  return ids;
}
}  // namespace

TEST_CASE("an ack whose status fails to publish is sent once the lock is back online") {
  AppRig r;
  r.run(500);
  r.mqtt.failPublishes = 1;  // the status carrying the ack fails and the connection closes
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-1", "UNLOCK", 7, r.clock.unixTime().value()));
  r.run(300);
  CHECK(r.actuator.starts.back() == Action::Unlock);  // the bolt moved
  CHECK(ackIds(r).empty());
  CHECK(r.app->netState() != NetState::Online);
  r.run(5000);  // reconnects (backoff at most a few seconds)
  REQUIRE(r.app->netState() == NetState::Online);
  CHECK(ackIds(r) == std::vector<std::string>{"c-1"});  // exactly once
  const auto statuses = r.statuses();
  CHECK(statuses.back().status == LockStatus::Unlocked);
}

TEST_CASE("acks queued behind a failed one keep their order and each goes out once") {
  AppRig r;
  r.run(500);
  const int64_t now = r.clock.unixTime().value();
  r.mqtt.failPublishes = 1;
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-1", "UNLOCK", 7, now));
  r.run(300);
  // Refused at once (a replayed counter), queued behind c-1 while the lock is offline.
  r.mqtt.isConnected = false;
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-2", "LOCK", 7, now));
  r.run(6000);
  REQUIRE(r.app->netState() == NetState::Online);
  CHECK(ackIds(r) == std::vector<std::string>{"c-1", "c-2"});
}

TEST_CASE("an ack that keeps failing on a connection that stays up is retried once a second, not on every pass") {
  AppRig r;
  r.run(500);
  r.mqtt.closeOnFailedPublish = false;
  r.mqtt.failPublishes = 1000;
  r.mqtt.deliver("test-prefix/front-door/cmd", helpers::signedCmd(r.cfg.key, "front-door", "c-1", "UNLOCK", 7, r.clock.unixTime().value()));
  r.run(3000);  // 30 loop passes
  const int attempts = 1000 - r.mqtt.failPublishes;
  CHECK(attempts >= 3);
  CHECK(attempts <= 4);
  r.mqtt.failPublishes = 0;
  r.run(1100);
  CHECK(ackIds(r) == std::vector<std::string>{"c-1"});
}
