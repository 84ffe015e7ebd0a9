// Protocol v2 schemas: hello, status with door/src/cid, welcome, cfg, and the v1 schema unchanged.
#include <doctest/doctest.h>

#include <string>

#include "codec.h"
#include "command_verifier.h"
#include "helpers.h"
#include "key_schedule.h"
#include "printers.h"

using namespace smartlock;

namespace {
const char kDev[] = "front-door";

std::string build(const StatusReport& r) {
  char buf[kMaxPayload + 1];
  const size_t n = buildStatus(kDev, r, buf, sizeof buf);
  return std::string(buf, n);
}

std::optional<RejectReason> status(const std::string& b, int version, StatusMessage& out) {
  return parseStatus(b.data(), b.size(), kDev, out, version);
}
}  // namespace

TEST_CASE("a v2 status carries door, src and cid in the reference order") {
  StatusReport r;
  r.version = 2;
  r.boot = 3;
  r.seq = 42;
  r.status = LockStatus::Unlocking;
  r.door = DoorState::Closed;
  r.src = BoltSource::Remote;
  r.cid = "c-1";
  r.ctr = 7;
  r.ts = 1795760001;
  r.fw = "1.0.0";
  const std::string b = build(r);
  CHECK(b ==
        "{\"v\":2,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":3,\"seq\":42,\"status\":\"UNLOCKING\","
        "\"door\":\"CLOSED\",\"src\":\"REMOTE\",\"cid\":\"c-1\",\"ctr\":7,\"ts\":1795760001,\"fw\":\"1.0.0\"}");
  StatusMessage s;
  REQUIRE_FALSE(status(b, 2, s));
  CHECK(s.status == LockStatus::Unlocking);
  CHECK(s.door == DoorState::Closed);
  CHECK(s.src == BoltSource::Remote);
  CHECK(std::string(s.cid) == "c-1");
  CHECK(status(b, 1, s) == RejectReason::BadVersion);
}

TEST_CASE("cid is written only for REMOTE, and a REMOTE status without a valid cid is not built") {
  StatusReport r;
  r.version = 2;
  r.src = BoltSource::Manual;
  r.cid = "c-1";  // ignored: not a remote change
  const std::string b = build(r);
  CHECK(b.find("\"src\":\"MANUAL\",\"ctr\"") != std::string::npos);
  r.src = BoltSource::Remote;
  r.cid = nullptr;
  CHECK(build(r).empty());
  r.cid = "bad id";
  CHECK(build(r).empty());
}

TEST_CASE("v2 status schema: door and src required, cid iff REMOTE, unknown members malformed") {
  const std::string head = "{\"v\":2,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":1,\"seq\":1,\"status\":\"LOCKED\",";
  StatusMessage s;
  CHECK_FALSE(status(head + "\"door\":\"OPEN\",\"src\":\"MANUAL\",\"ctr\":0,\"ts\":0}", 2, s));
  CHECK(status(head + "\"src\":\"MANUAL\",\"ctr\":0,\"ts\":0}", 2, s) == RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"OPEN\",\"ctr\":0,\"ts\":0}", 2, s) == RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"AJAR\",\"src\":\"MANUAL\",\"ctr\":0,\"ts\":0}", 2, s) == RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"OPEN\",\"src\":\"REMOTE\",\"ctr\":0,\"ts\":0}", 2, s) == RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"OPEN\",\"src\":\"AUTO\",\"cid\":\"c-1\",\"ctr\":0,\"ts\":0}", 2, s) ==
        RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"OPEN\",\"src\":\"BOOT\",\"ctr\":0,\"ts\":0,\"extra\":1}", 2, s) ==
        RejectReason::Malformed);
  CHECK(status(head + "\"door\":\"OPEN\",\"src\":\"BOOT\",\"ctr\":0,\"ts\":0,\"ver\":2}", 2, s) ==
        RejectReason::Malformed);
}

TEST_CASE("v1 statuses are unchanged: no door/src members, no transitional states") {
  const std::string v1 = "{\"v\":1,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":1,\"seq\":1,\"status\":\"";
  StatusMessage s;
  CHECK_FALSE(status(v1 + "LOCKED\",\"ctr\":0,\"ts\":0}", 1, s));
  CHECK(status(v1 + "LOCKING\",\"ctr\":0,\"ts\":0}", 1, s) == RejectReason::Malformed);
  CHECK(status(v1 + "LOCKED\",\"door\":\"OPEN\",\"ctr\":0,\"ts\":0}", 1, s) == RejectReason::Malformed);
  StatusReport r;
  r.status = LockStatus::Locking;
  CHECK(build(r).empty());  // v1 cannot say LOCKING
  r.status = LockStatus::Locked;
  r.src = BoltSource::Remote;  // ignored in v1
  CHECK(build(r) == "{\"v\":1,\"type\":\"status\",\"dev\":\"front-door\",\"boot\":1,\"seq\":1,\"status\":\"LOCKED\",\"ctr\":0,\"ts\":0}");
}

TEST_CASE("the hello of a v2 lock announces versions 1,2 and parses back") {
  char buf[kMaxPayload + 1];
  const size_t n = buildHello(kDev, 3, 1, 0, "1.0.0", buf, sizeof buf, kProtocolV2);
  const std::string b(buf, n);
  CHECK(b == "{\"v\":2,\"type\":\"hello\",\"dev\":\"front-door\",\"boot\":3,\"seq\":1,\"vers\":\"1,2\",\"ts\":0,\"fw\":\"1.0.0\"}");
  HelloMessage h;
  REQUIRE_FALSE(parseHello(b.data(), b.size(), kDev, h));
  CHECK(std::string(h.vers) == "1,2");
  CHECK(h.boot == 3);
  for (const char* bad : {"2,1", "1,,2", "01,2", "1,2,", "", "1,1", "x", "1000", "1,2,3,4,5,6,7,8,9"}) {
    CAPTURE(bad);
    const std::string c = "{\"v\":2,\"type\":\"hello\",\"dev\":\"front-door\",\"boot\":3,\"seq\":1,\"vers\":\"" +
                          std::string(bad) + "\",\"ts\":0,\"fw\":\"\"}";
    CHECK(parseHello(c.data(), c.size(), kDev, h) == RejectReason::Malformed);
  }
  bool speaks2 = false;
  CHECK(parseVers("1,2,10", 6, speaks2));
  CHECK(speaks2);
  CHECK(parseVers("1", 1, speaks2));
  CHECK_FALSE(speaks2);
  CHECK(parseVers("1,2,3,4,5,6,7,999", 17, speaks2));
}

TEST_CASE("welcome: signed with the v2 cmd key, v 2, our device, ver and ts") {
  const DeviceKey k = helpers::key();
  const V2Keys keys = deriveV2Keys(k);
  WelcomeMessage w;
  const std::string good = helpers::sign(keys.cmd, helpers::welcomeBody(kDev, 2, 1795760000));
  CHECK_FALSE(verifyWelcome(keys.cmd, good.data(), good.size(), kDev, w));
  CHECK(w.ver == 2);
  const std::string withK = helpers::sign(k, helpers::welcomeBody(kDev, 2, 1795760000));
  CHECK(verifyWelcome(keys.cmd, withK.data(), withK.size(), kDev, w) == RejectReason::BadSignature);
  const std::string withStatusKey = helpers::sign(keys.status, helpers::welcomeBody(kDev, 2, 1795760000));
  CHECK(verifyWelcome(keys.cmd, withStatusKey.data(), withStatusKey.size(), kDev, w) == RejectReason::BadSignature);
  const std::string other = helpers::sign(keys.cmd, helpers::welcomeBody("back-door", 2, 1795760000));
  CHECK(verifyWelcome(keys.cmd, other.data(), other.size(), kDev, w) == RejectReason::WrongDevice);
  const std::string ts0 = helpers::sign(keys.cmd, helpers::welcomeBody(kDev, 2, 0));
  CHECK(verifyWelcome(keys.cmd, ts0.data(), ts0.size(), kDev, w) == RejectReason::Malformed);
  const std::string extra = helpers::sign(keys.cmd, "{\"v\":2,\"type\":\"welcome\",\"dev\":\"front-door\",\"ver\":2,\"ts\":1,\"x\":1}");
  CHECK(verifyWelcome(keys.cmd, extra.data(), extra.size(), kDev, w) == RejectReason::Malformed);
}

TEST_CASE("cfg: all members required, boot is a string here, relock 0..3600, ctr and ts like a command") {
  const DeviceKey k = helpers::key();
  const V2Keys keys = deriveV2Keys(k);
  const int64_t now = 1795760000;
  auto verdict = [&](const std::string& b, uint64_t last = 0) {
    const std::string p = helpers::sign(keys.cmd, b);
    return verifyCfg(CommandContext{keys.cmd, kDev, last, now, 2}, p.data(), p.size());
  };
  const CfgVerdict ok = verdict(helpers::cfgBody(kDev, "g-1", 9, now, 30, "LOCK", "ALLOW"));
  REQUIRE_FALSE(ok.reject);
  CHECK(ok.cfg.relockS == 30);
  CHECK(ok.cfg.boot == BootMode::Lock);
  CHECK(ok.cfg.lockOpen == LockOpenPolicy::Allow);
  CHECK(std::string(ok.cfg.id) == "g-1");
  CHECK(verdict(helpers::cfgBody(kDev, "g-1", 9, now, 30, "LOCK", "ALLOW"), 9).reject == RejectReason::Replay);
  CHECK(verdict(helpers::cfgBody(kDev, "g-1", 9, now - 31, 30, "LOCK", "ALLOW")).reject == RejectReason::Stale);
  CHECK(verdict(helpers::cfgBody(kDev, "g-1", 9, now, 3601, "LOCK", "ALLOW")).reject == RejectReason::Malformed);
  CHECK(verdict(helpers::cfgBody(kDev, "g-1", 9, now, 3600, "STAY", "REFUSE")).reject == std::nullopt);
  CHECK(verdict(helpers::cfgBody(kDev, "g-1", 9, now, 0, "UNLOCK", "REFUSE")).reject == RejectReason::Malformed);
  const CfgVerdict intBoot = verdict("{\"v\":2,\"type\":\"cfg\",\"dev\":\"front-door\",\"id\":\"g-2\",\"ctr\":9,\"ts\":" +
                                     std::to_string(now) + ",\"relock\":0,\"boot\":1,\"lockOpen\":\"ALLOW\"}");
  CHECK(intBoot.reject == RejectReason::Malformed);
  CHECK(intBoot.answerable);  // signed and named: the server hears why
  CHECK(verdict("{\"v\":2,\"type\":\"cfg\",\"dev\":\"front-door\",\"id\":\"g-3\",\"ctr\":9,\"ts\":1}").reject ==
        RejectReason::Malformed);
  const std::string withK = helpers::sign(k, helpers::cfgBody(kDev, "g-1", 9, now, 30, "LOCK", "ALLOW"));
  CHECK(verifyCfg(CommandContext{keys.cmd, kDev, 0, now, 2}, withK.data(), withK.size()).reject ==
        RejectReason::BadSignature);
}

TEST_CASE("a v2 cmd needs v 2 and the cmd key; a v1 cmd is bad_version to a v2 session and vice versa") {
  const DeviceKey k = helpers::key();
  const V2Keys keys = deriveV2Keys(k);
  const int64_t now = 1795760000;
  const std::string v2 = helpers::sign(keys.cmd, helpers::cmdBodyV2(kDev, "c-1", "UNLOCK", 7, now));
  CHECK_FALSE(verifyCommand(CommandContext{keys.cmd, kDev, 0, now, 2}, v2.data(), v2.size()).reject);
  CHECK(verifyCommand(CommandContext{k, kDev, 0, now, 1}, v2.data(), v2.size()).reject == RejectReason::BadSignature);
  const std::string v1AsV2Key = helpers::sign(keys.cmd, helpers::cmdBody(kDev, "c-1", "UNLOCK", 7, now));
  CHECK(verifyCommand(CommandContext{keys.cmd, kDev, 0, now, 2}, v1AsV2Key.data(), v1AsV2Key.size()).reject ==
        RejectReason::BadVersion);
  const std::string v2WithK = helpers::sign(k, helpers::cmdBodyV2(kDev, "c-1", "UNLOCK", 7, now));
  CHECK(verifyCommand(CommandContext{k, kDev, 0, now, 1}, v2WithK.data(), v2WithK.size()).reject ==
        RejectReason::BadVersion);
  TimeMessage t;
  const std::string time2 = helpers::sign(keys.cmd, helpers::timeBodyV2(kDev, 1, 1, now));
  CHECK_FALSE(verifyTime(keys.cmd, time2.data(), time2.size(), kDev, t, 2));
  CHECK(verifyTime(keys.cmd, time2.data(), time2.size(), kDev, t, 1) == RejectReason::BadVersion);
}
