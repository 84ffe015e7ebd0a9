#include <doctest/doctest.h>

#include "command_verifier.h"
#include "helpers.h"
#include "printers.h"

using namespace smartlock;
using helpers::signedCmd;

namespace {
const DeviceKey kKey = helpers::key();
const int64_t kNow = 1795760000;

CommandVerdict verify(const std::string& p, uint64_t last = 6, std::optional<int64_t> now = kNow) {
  const CommandContext ctx{kKey, "front-door", last, now};
  return verifyCommand(ctx, p.data(), p.size());
}
}  // namespace

TEST_CASE("a fresh, signed command for this lock with a higher counter is accepted") {
  const auto v = verify(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow));
  CHECK_FALSE(v.reject.has_value());
  CHECK(v.cmd.action == Action::Unlock);
  CHECK(v.cmd.ctr == 7);
}

TEST_CASE("a replayed command (ctr not above the persisted one) is refused and answerable") {
  const auto same = verify(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow), 7);
  CHECK(same.reject == RejectReason::Replay);
  CHECK(same.answerable);
  CHECK(verify(signedCmd(kKey, "front-door", "c-0", "LOCK", 3, kNow), 7).reject == RejectReason::Replay);
}

TEST_CASE("a stale command is refused only while the clock is synced") {
  const std::string old = signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow - 31);
  CHECK(verify(old).reject == RejectReason::Stale);
  CHECK(verify(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow + 31)).reject == RejectReason::Stale);
  CHECK_FALSE(verify(signedCmd(kKey, "front-door", "c-1", "UNLOCK", 7, kNow - 30)).reject.has_value());
  CHECK_FALSE(verify(old, 6, std::nullopt).reject.has_value());  // unsynced: ctr alone protects
}

TEST_CASE("a forged command gets no answer at all") {
  const auto other = helpers::key("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  const auto v = verify(signedCmd(other, "front-door", "c-1", "UNLOCK", 7, kNow));
  CHECK(v.reject == RejectReason::BadSignature);
  CHECK_FALSE(v.answerable);
}

TEST_CASE("a command signed for another device is refused") {
  const auto v = verify(signedCmd(kKey, "back-door", "c-1", "UNLOCK", 7, kNow));
  CHECK(v.reject == RejectReason::WrongDevice);
  CHECK(v.answerable);
}

TEST_CASE("malformed commands: unsigned ones are dropped, signed ones answered") {
  const auto unsigned_ = verify(helpers::cmdBody("front-door", "c-1", "UNLOCK", 7, kNow));
  CHECK(unsigned_.reject == RejectReason::Malformed);
  CHECK_FALSE(unsigned_.answerable);
  const auto badAction = verify(helpers::sign(kKey, helpers::cmdBody("front-door", "c-2", "OPEN", 7, kNow)));
  CHECK(badAction.reject == RejectReason::Malformed);
  CHECK(badAction.answerable);
  const auto noId = verify(helpers::sign(kKey, "{\"v\":1,\"type\":\"cmd\",\"dev\":\"front-door\",\"action\":\"LOCK\",\"ctr\":7,\"ts\":1}"));
  CHECK(noId.reject == RejectReason::Malformed);
  CHECK_FALSE(noId.answerable);  // nothing to name in an ack
}
