// The v3 "update" message and the status member "upd" (docs/protocol.md, "Firmware updates (v3)").
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "codec.h"
#include "codec_update.h"
#include "printers.h"

using namespace smartlock;

namespace {

const std::string kMan =
    "sl-fw1;hw=esp32;fw=1.1.0;arc=2;size=59;sha256=4d8b89b952ee4acd3981d2c9c5be213ca9511a6503e1de64a06581ee1c7a2fdd";
const std::string kMsig(128, 'a');
const std::string kId = "upd-0b7e6f0e-2f6c-4a53-9a0e-6a4f3f1d2c11";

std::string body(const std::string& url = "https://fw.example.com/firmware/1.1.0.bin", const std::string& man = kMan,
                 const std::string& msig = kMsig) {
  return "{\"v\":3,\"type\":\"update\",\"dev\":\"front-door\",\"id\":\"" + kId + "\",\"ctr\":8,\"ts\":1795760000,\"url\":\"" +
         url + "\",\"man\":\"" + man + "\",\"msig\":\"" + msig + "\"}";
}

std::optional<RejectReason> parse(const std::string& b, UpdateMessage& m) {
  return parseUpdate(b.data(), b.size(), "front-door", m);
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("update v3: the documented message parses into its members") {
  UpdateMessage m;
  const std::string b = body();
  REQUIRE(parse(b, m) == std::nullopt);
  CHECK(std::string(m.dev) == "front-door");
  CHECK(std::string(m.id) == kId);
  CHECK(m.ctr == 8);
  CHECK(m.ts == 1795760000);
  CHECK(std::string(m.url) == "https://fw.example.com/firmware/1.1.0.bin");
  CHECK(std::string(m.man) == kMan);
  CHECK(std::string(m.msig) == kMsig);
  const UpdateRequest r = updateRequestOf(m);
  CHECK(r.manifestLen == kMan.size());
  CHECK(r.msigLen == 128);
  CHECK(b.size() + 75 < kMaxPayload);  // with its sig suffix it fits a payload
}

TEST_CASE("update v3: the verdict order is JSON, v, type, dev, then the members") {
  UpdateMessage m;
  CHECK(parse(body() + " ", m) == RejectReason::Malformed);
  CHECK(parse(replaced(body(), "\"v\":3", "\"v\":2"), m) == RejectReason::BadVersion);
  CHECK(parse(replaced(body(), "\"type\":\"update\"", "\"type\":\"cfg\""), m) == RejectReason::WrongType);
  CHECK(parse(replaced(body(), "\"dev\":\"front-door\"", "\"dev\":\"back-door\""), m) == RejectReason::WrongDevice);
  CHECK(parse(replaced(body(), "\"ctr\":8", "\"ctr\":0"), m) == RejectReason::Malformed);
  CHECK(std::string(m.id) == kId);  // a rejection can still name it
}

TEST_CASE("update v3: ids, urls, manifests and msigs out of their syntax are malformed") {
  UpdateMessage m;
  CHECK(parse(replaced(body(), kId, "c-1"), m) == RejectReason::Malformed);
  CHECK(parse(body("ftp://fw.example.com/a.bin"), m) == RejectReason::Malformed);
  CHECK(parse(body("http://"), m) == RejectReason::Malformed);
  CHECK(parse(body("/firmware/a.bin"), m) == RejectReason::Malformed);
  CHECK(parse(body("http://fw.example.com/a b.bin"), m) == RejectReason::Malformed);
  CHECK(parse(body("http://h/" + std::string(192, 'a')), m) == RejectReason::Malformed);  // 201 chars
  CHECK(parse(body("http://h/" + std::string(191, 'a')), m) == std::nullopt);            // 200 chars
  CHECK(parse(body("http://127.0.0.1:8080/a.bin"), m) == std::nullopt);
  CHECK(parse(body("https://fw.example.com/a.bin", ""), m) == RejectReason::Malformed);
  CHECK(parse(body("https://fw.example.com/a.bin", std::string(201, 'a')), m) == RejectReason::Malformed);
  CHECK(parse(body("https://fw.example.com/a.bin", kMan + "\\n"), m) == RejectReason::Malformed);
  CHECK(parse(body("https://fw.example.com/a.bin", kMan, std::string(127, 'a')), m) == RejectReason::Malformed);
  CHECK(parse(body("https://fw.example.com/a.bin", kMan, std::string(128, 'A')), m) == RejectReason::Malformed);
  CHECK(parse(body() .substr(0, body().size() - 1) + ",\"x\":1}", m) == RejectReason::Malformed);
  CHECK(parse(replaced(body(), ",\"ts\":1795760000", ""), m) == RejectReason::Malformed);
  CHECK(parse(replaced(body(), ",\"ts\":1795760000", ",\"ts\":1795760000,\"ts\":1"), m) == RejectReason::Malformed);
}

TEST_CASE("update v3: members may come in any order") {
  UpdateMessage m;
  const std::string b = "{\"msig\":\"" + kMsig + "\",\"man\":\"" + kMan + "\",\"url\":\"http://h/a\",\"ts\":1,\"ctr\":2,\"id\":\"" +
                        kId + "\",\"dev\":\"front-door\",\"type\":\"update\",\"v\":3}";
  CHECK(parse(b, m) == std::nullopt);
}

TEST_CASE("upd: the member goes after ack, before the signature, with a reason only on FAILED and ROLLED_BACK") {
  AckFields ack;
  std::strcpy(ack.id, kId.c_str());
  StatusReport r;
  r.version = kProtocolV2;
  r.status = LockStatus::Locked;
  r.door = DoorState::Closed;
  r.ctr = 8;
  r.ts = 1795760001;
  r.fw = "1.0.0";
  r.ack = &ack;
  char buf[kMaxPayload + 1];
  const size_t n = buildStatus("front-door", r, buf, sizeof buf);
  REQUIRE(n > 0);
  UpdateProgress p;
  std::strcpy(p.id, kId.c_str());
  p.state = UpdState::Downloading;
  const size_t m = appendUpd(buf, n, sizeof buf, p);
  REQUIRE(m > n);
  const std::string s(buf, m);
  CHECK(s.size() == m);
  CHECK(s.substr(s.find(",\"ack\"")) ==
        std::string(",\"ack\":{\"id\":\"") + kId + "\",\"result\":\"ok\"},\"upd\":{\"id\":\"" + kId + "\",\"state\":\"DOWNLOADING\"}}");

  REQUIRE(buildStatus("front-door", r, buf, sizeof buf) == n);  // appendUpd wrote into buf
  p.state = UpdState::Failed;
  p.reason = UpdReason::BadHash;
  const size_t f = appendUpd(buf, n, sizeof buf, p);
  CHECK(std::string(buf + n - 1, f - n + 1) == ",\"upd\":{\"id\":\"" + kId + "\",\"state\":\"FAILED\",\"reason\":\"bad_hash\"}}");

  // Not reportable: a reason without FAILED/ROLLED_BACK, FAILED without a reason, no id, no room.
  p.state = UpdState::Trial;
  CHECK(appendUpd(buf, n, sizeof buf, p) == 0);
  p.state = UpdState::RolledBack;
  p.reason = UpdReason::None;
  CHECK(appendUpd(buf, n, sizeof buf, p) == 0);
  p.reason = UpdReason::Crash;
  UpdateProgress noId = p;
  noId.id[0] = '\0';
  CHECK(appendUpd(buf, n, sizeof buf, noId) == 0);
  CHECK(appendUpd(buf, n, n + 20, p) == 0);
}

TEST_CASE("upd: every state and reason has its wire name and parses back") {
  for (int i = 0; i <= static_cast<int>(UpdState::RolledBack); ++i) {
    const auto s = static_cast<UpdState>(i);
    UpdState back{};
    CHECK(parseUpdState(nameOf(s), std::strlen(nameOf(s)), back));
    CHECK(back == s);
  }
  for (int i = 1; i <= static_cast<int>(UpdReason::Crash); ++i) {
    const auto r = static_cast<UpdReason>(i);
    UpdReason back{};
    CHECK(parseUpdReason(nameOf(r), std::strlen(nameOf(r)), back));
    CHECK(back == r);
  }
  UpdReason none{};
  CHECK_FALSE(parseUpdReason("", 0, none));
  CHECK(std::string(nameOf(UpdState::RolledBack)) == "ROLLED_BACK");
  CHECK(std::string(nameOf(UpdReason::NoWelcome)) == "no_welcome");
  CHECK(std::string(nameOf(UpdReason::BatteryLow)) == "battery_low");
}

TEST_CASE("upd: a v3 status with upd parses back; in a v2 status, or with a reason that does not fit its state, it is malformed") {
  AckFields ack;
  std::strcpy(ack.id, kId.c_str());
  StatusReport r;
  r.version = kProtocolV3;
  r.status = LockStatus::Locked;
  r.door = DoorState::Closed;
  r.ctr = 8;
  r.ack = &ack;
  char buf[kMaxPayload + 1];
  const size_t n = buildStatus("front-door", r, buf, sizeof buf);
  REQUIRE(n > 0);
  UpdateProgress p;
  std::strcpy(p.id, kId.c_str());
  p.state = UpdState::RolledBack;
  p.reason = UpdReason::NoWelcome;
  const size_t m = appendUpd(buf, n, sizeof buf, p);
  REQUIRE(m > 0);
  const std::string b(buf, m);
  StatusMessage s;
  REQUIRE(parseStatus(b.data(), b.size(), "front-door", s, kProtocolV3) == std::nullopt);
  REQUIRE(s.upd.has_value());
  CHECK(std::string(s.upd->id) == kId);
  CHECK(s.upd->state == UpdState::RolledBack);
  CHECK((s.upd->reason && *s.upd->reason == UpdReason::NoWelcome));
  REQUIRE(s.ack.has_value());

  const std::string v2 = replaced(b, "{\"v\":3", "{\"v\":2");
  CHECK(parseStatus(v2.data(), v2.size(), "front-door", s, kProtocolV2) == RejectReason::Malformed);
  CHECK(parseStatus(replaced(b, ",\"reason\":\"no_welcome\"", "").data(), b.size() - 22, "front-door", s, kProtocolV3) ==
        RejectReason::Malformed);  // ROLLED_BACK needs its reason
  const std::string trialWithReason = replaced(b, "ROLLED_BACK", "TRIAL");
  CHECK(parseStatus(trialWithReason.data(), trialWithReason.size(), "front-door", s, kProtocolV3) == RejectReason::Malformed);
  const std::string unknownReason = replaced(b, "no_welcome", "because");
  CHECK(parseStatus(unknownReason.data(), unknownReason.size(), "front-door", s, kProtocolV3) == RejectReason::Malformed);
  const std::string extra = replaced(b, "\"state\":", "\"x\":1,\"state\":");
  CHECK(parseStatus(extra.data(), extra.size(), "front-door", s, kProtocolV3) == RejectReason::Malformed);
}
