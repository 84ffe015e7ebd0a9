#include "command_verifier.h"

#include <cstring>

namespace smartlock {
namespace {

// The payload minus its signature suffix, plus "}", into a fixed buffer: that is B.
std::optional<size_t> unsignedBody(const char* payload, size_t len, char (&b)[kMaxPayload + 1]) {
  const std::optional<size_t> body = envelopeBodyLength(payload, len);
  if (!body) return std::nullopt;
  std::memcpy(b, payload, *body);
  b[*body] = '}';
  b[*body + 1] = '\0';
  return *body + 1;
}

}  // namespace

CommandVerdict verifyCommand(const CommandContext& ctx, const char* payload, size_t len) {
  CommandVerdict v;
  if (auto why = checkSignature(ctx.key, payload, len)) {
    v.reject = why;
    return v;
  }
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) {  // unreachable after checkSignature, kept so the code does not depend on it
    v.reject = RejectReason::Malformed;
    return v;
  }
  v.reject = parseCommand(b, *n, ctx.deviceId, v.cmd);
  v.answerable = v.cmd.id[0] != '\0';
  if (v.reject) return v;
  if (static_cast<uint64_t>(v.cmd.ctr) <= ctx.lastCounter) {
    v.reject = RejectReason::Replay;
  } else if (ctx.nowUnix) {
    const int64_t skew = *ctx.nowUnix - v.cmd.ts;
    if (skew > kMaxClockSkewS || skew < -kMaxClockSkewS) v.reject = RejectReason::Stale;
  }
  return v;
}

std::optional<RejectReason> verifyTime(const DeviceKey& key, const char* payload, size_t len, const char* deviceId,
                                       TimeMessage& out) {
  out = TimeMessage{};
  if (auto why = checkSignature(key, payload, len)) return why;
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) return RejectReason::Malformed;
  return parseTime(b, *n, deviceId, out);
}

std::optional<RejectReason> verifyMessage(const DeviceKey& key, const char* payload, size_t len,
                                          const char* topicDevice, MessageType expected) {
  if (auto why = checkSignature(key, payload, len)) return why;
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) return RejectReason::Malformed;
  if (expected == MessageType::Cmd) {
    CommandMessage cmd;
    return parseCommand(b, *n, topicDevice, cmd);
  }
  if (expected == MessageType::Time) {
    TimeMessage time;
    return parseTime(b, *n, topicDevice, time);
  }
  StatusMessage status;
  return parseStatus(b, *n, topicDevice, status);
}

}  // namespace smartlock
