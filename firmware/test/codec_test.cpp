#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "codec.h"
#include "helpers.h"
#include "printers.h"

using namespace smartlock;

namespace {
std::optional<RejectReason> cmd(const std::string& b, CommandMessage* out = nullptr) {
  CommandMessage m;
  auto r = parseCommand(b.data(), b.size(), "front-door", m);
  if (out) *out = m;
  return r;
}
std::string withCtr(const std::string& ctr) {
  return "{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c-1\",\"action\":\"LOCK\",\"ctr\":" + ctr + ",\"ts\":5}";
}
}  // namespace

TEST_CASE("the worked example status is built byte for byte") {
  AckFields ack;
  std::strcpy(ack.id, "c-1");
  StatusReport r;
  r.boot = 3;
  r.seq = 42;
  r.status = LockStatus::Unlocked;
  r.ctr = 7;
  r.ts = 1795760001;
  r.ack = &ack;
  char buf[kMaxPayload + 1];
  size_t n = buildStatus("front-door", r, buf, sizeof buf);
  REQUIRE(n > 0);
  n = signInPlace(helpers::key(), buf, n, sizeof buf);
  CHECK(std::string(buf, n) ==
        "{\"v\":1,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":3,\"seq\":42,\"status\":\"UNLOCKED\",\"ctr\":7,"
        "\"ts\":1795760001,\"ack\":{\"id\":\"c-1\",\"result\":\"ok\"},"
        "\"sig\":\"5ed58e97bd0182e2087e3a2c8ccc53261e242f4716436a0ee58c96c34e9d8ca0\"}");
}

TEST_CASE("a status with every optional member keeps the protocol's member order") {
  AckFields ack;
  std::strcpy(ack.id, "c-2");
  ack.result = AckResult::Failed;
  std::strcpy(ack.reason, "jammed");
  StatusReport r;
  r.boot = 4; r.seq = 1; r.status = LockStatus::Jammed; r.ctr = 8; r.ts = 1795760100;
  r.uptime = 12; r.rssi = -61; r.battery = 87; r.power = Power::Battery;
  r.issue = "Motor jammed"; r.fw = "1.0.0"; r.ack = &ack;
  char buf[kMaxPayload + 1];
  const size_t n = buildStatus("front-door", r, buf, sizeof buf);
  // The same bytes as the vector "status with every optional member".
  CHECK(std::string(buf, n) ==
        "{\"v\":1,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":4,\"seq\":1,\"status\":\"JAMMED\",\"ctr\":8,"
        "\"ts\":1795760100,\"uptime\":12,\"rssi\":-61,\"battery\":87,\"power\":\"BATTERY\",\"issue\":\"Motor jammed\","
        "\"fw\":\"1.0.0\",\"ack\":{\"id\":\"c-2\",\"result\":\"failed\",\"reason\":\"jammed\"}}");
  StatusMessage back;
  REQUIRE_FALSE(parseStatus(buf, n, "front-door", back).has_value());
  CHECK(back.rssi == -61);
  CHECK(back.power == Power::Battery);
  CHECK(std::string(back.issue) == "Motor jammed");
  REQUIRE(back.ack.has_value());
  CHECK(std::string(back.ack->reason) == "jammed");
}

TEST_CASE("the status builder fails instead of truncating or writing what needs escaping") {
  StatusReport r;
  char small[40];
  CHECK(buildStatus("front-door", r, small, sizeof small) == 0);
  char buf[kMaxPayload + 1];
  r.issue = "say \"hi\"";
  CHECK(buildStatus("front-door", r, buf, sizeof buf) == 0);
  const std::string longFw(kFwMax + 1, 'x');
  r.issue = "";
  r.fw = longFw.c_str();
  CHECK(buildStatus("front-door", r, buf, sizeof buf) == 0);
  r.fw = nullptr;
  CHECK(buildStatus("no", r, buf, sizeof buf) == 0);  // invalid device id
  CHECK(buildStatus("front-door", r, buf, sizeof buf) > 0);
}

TEST_CASE("a command parses in any member order") {
  CommandMessage m;
  CHECK_FALSE(cmd("{\"ts\":9,\"ctr\":3,\"action\":\"UNLOCK\",\"id\":\"A-b-9\",\"dev\":\"front-door\",\"type\":\"cmd\",\"v\":1}", &m));
  CHECK(m.action == Action::Unlock);
  CHECK(m.ctr == 3);
  CHECK(m.ts == 9);
  CHECK(std::string(m.id) == "A-b-9");
}

TEST_CASE("integers are strict and bounded") {
  CHECK_FALSE(cmd(withCtr("1")));
  CHECK_FALSE(cmd(withCtr("9007199254740991")));
  CHECK(cmd(withCtr("9007199254740992")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("99999999999999999999999")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("07")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("-1")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("-0")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("1.0")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("1e3")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("0")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("true")) == RejectReason::Malformed);
  CHECK(cmd(withCtr("")) == RejectReason::Malformed);
}

TEST_CASE("commands with unknown, duplicate, missing or foreign members are malformed") {
  const std::string ok = helpers::cmdBody("front-door", "c-1", "LOCK", 1, 2);
  CHECK_FALSE(cmd(ok));
  CHECK(cmd(ok.substr(0, ok.size() - 1) + ",\"extra\":1}") == RejectReason::Malformed);
  CHECK(cmd(ok.substr(0, ok.size() - 1) + ",\"ts\":2}") == RejectReason::Malformed);
  CHECK(cmd(ok.substr(0, ok.size() - 1) + ",\"boot\":2}") == RejectReason::Malformed);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"action\":\"LOCK\",\"ctr\":1,\"ts\":2}") == RejectReason::Malformed);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c 1\",\"action\":\"LOCK\",\"ctr\":1,\"ts\":2}") == RejectReason::Malformed);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c\\u002d1\",\"action\":\"LOCK\",\"ctr\":1,\"ts\":2}") == RejectReason::Malformed);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"" + std::string(65, 'a') + "\",\"action\":\"LOCK\",\"ctr\":1,\"ts\":2}") == RejectReason::Malformed);
  CHECK(cmd("{}") == RejectReason::Malformed);
  CHECK(cmd("") == RejectReason::Malformed);
  CHECK(cmd(ok + "}") == RejectReason::Malformed);
  CHECK(cmd(ok.substr(0, ok.size() - 1)) == RejectReason::Malformed);
}

TEST_CASE("verdict order: version, then type, then device") {
  CHECK(cmd("{\"v\":2,\"type\":\"status\",\"dev\":\"back-door\"}") == RejectReason::BadVersion);
  CHECK(cmd("{\"v\":1,\"type\":\"status\",\"dev\":\"back-door\"}") == RejectReason::WrongType);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"back-door\"}") == RejectReason::WrongDevice);
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\"}") == RejectReason::Malformed);
}

TEST_CASE("a broken command still yields its id so that a signed one can be answered") {
  CommandMessage m;
  CHECK(cmd("{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"id\":\"c-9\",\"action\":\"OPEN\",\"ctr\":1,\"ts\":2}", &m) == RejectReason::Malformed);
  CHECK(std::string(m.id) == "c-9");
}

TEST_CASE("status free text follows the one string rule: no escapes, nothing outside printable ASCII, bounded") {
  const std::string base = "{\"v\":1,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":1,\"seq\":1,\"status\":\"LOCKED\",\"ctr\":0,\"ts\":0";
  StatusMessage s;
  std::string b = base + ",\"issue\":\"motor stalled (2x)\"}";
  CHECK_FALSE(parseStatus(b.data(), b.size(), "front-door", s));
  CHECK(std::string(s.issue) == "motor stalled (2x)");
  for (const char* text : {"a\\\"b", "\\u00e9", "ok\\nFAKE", "bad\\x", "caf\xc3\xa9", "\x7f"}) {
    CAPTURE(text);
    b = base + ",\"issue\":\"" + text + "\"}";
    CHECK(parseStatus(b.data(), b.size(), "front-door", s) == RejectReason::Malformed);
  }
  b = base + ",\"issue\":\"" + std::string(kIssueMax + 1, 'i') + "\"}";
  CHECK(parseStatus(b.data(), b.size(), "front-door", s) == RejectReason::Malformed);
  b = base + ",\"battery\":101}";
  CHECK(parseStatus(b.data(), b.size(), "front-door", s) == RejectReason::Malformed);
  b = base + ",\"ack\":{\"id\":\"c-1\"}}";
  CHECK(parseStatus(b.data(), b.size(), "front-door", s) == RejectReason::Malformed);
  b = base + ",\"ack\":{\"id\":\"c-1\",\"result\":\"ok\",\"extra\":\"x\"}}";
  CHECK(parseStatus(b.data(), b.size(), "front-door", s) == RejectReason::Malformed);
}

TEST_CASE("topics are built from a valid prefix and device id only") {
  char t[kMaxTopic];
  CHECK(buildTopic(t, sizeof t, "smartlock", "front-door", TopicKind::Cmd));
  CHECK(std::string(t) == "smartlock/front-door/cmd");
  CHECK(buildTopic(t, sizeof t, "a/b", "front-door", TopicKind::Availability));
  CHECK(std::string(t) == "a/b/front-door/availability");
  CHECK_FALSE(buildTopic(t, sizeof t, "smartlock", "front/door", TopicKind::Cmd));
  CHECK_FALSE(buildTopic(t, sizeof t, "smartlock", "fd", TopicKind::Cmd));
  CHECK_FALSE(buildTopic(t, sizeof t, "smart+lock", "front-door", TopicKind::Cmd));
  CHECK_FALSE(buildTopic(t, sizeof t, "smartlock/", "front-door", TopicKind::Cmd));
  CHECK_FALSE(buildTopic(t, 10, "smartlock", "front-door", TopicKind::Cmd));
  CHECK(std::string(t).empty());
  CHECK(isValidDeviceId("a_b-C9", 6));
  CHECK_FALSE(isValidDeviceId("a#b", 3));
  CHECK(isValidCommandId("x", 1));
  CHECK_FALSE(isValidCommandId("a_b", 3));
}
