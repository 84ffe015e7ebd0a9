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

// The replay and clock rules shared by commands and cfg (one counter for both).
std::optional<RejectReason> freshness(const CommandContext& ctx, int64_t ctr, int64_t ts) {
  if (static_cast<uint64_t>(ctr) <= ctx.lastCounter) return RejectReason::Replay;
  if (ctx.nowUnix) {
    const int64_t skew = *ctx.nowUnix - ts;
    if (skew > kMaxClockSkewS || skew < -kMaxClockSkewS) return RejectReason::Stale;
  }
  return std::nullopt;
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
  v.reject = parseCommand(b, *n, ctx.deviceId, v.cmd, ctx.version);
  v.answerable = v.cmd.id[0] != '\0';
  if (v.reject) return v;
  v.reject = freshness(ctx, v.cmd.ctr, v.cmd.ts);
  return v;
}

CfgVerdict verifyCfg(const CommandContext& ctx, const char* payload, size_t len) {
  CfgVerdict v;
  if (auto why = checkSignature(ctx.key, payload, len)) {
    v.reject = why;
    return v;
  }
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) {
    v.reject = RejectReason::Malformed;
    return v;
  }
  v.reject = parseCfg(b, *n, ctx.deviceId, v.cfg, ctx.version);
  v.answerable = v.cfg.id[0] != '\0';
  if (v.reject) return v;
  v.reject = freshness(ctx, v.cfg.ctr, v.cfg.ts);
  return v;
}

std::optional<RejectReason> verifyWelcome(const DeviceKey& cmdKey, const char* payload, size_t len,
                                          const char* deviceId, WelcomeMessage& out) {
  out = WelcomeMessage{};
  if (auto why = checkSignature(cmdKey, payload, len)) return why;
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) return RejectReason::Malformed;
  return parseWelcome(b, *n, deviceId, out);
}

std::optional<RejectReason> verifyTime(const DeviceKey& key, const char* payload, size_t len, const char* deviceId,
                                       TimeMessage& out, int version) {
  out = TimeMessage{};
  if (auto why = checkSignature(key, payload, len)) return why;
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) return RejectReason::Malformed;
  return parseTime(b, *n, deviceId, out, version);
}

std::optional<RejectReason> verifyMessage(const DeviceKey& key, const char* payload, size_t len,
                                          const char* topicDevice, MessageType expected, int version) {
  if (auto why = checkSignature(key, payload, len)) return why;
  char b[kMaxPayload + 1];
  const std::optional<size_t> n = unsignedBody(payload, len, b);
  if (!n) return RejectReason::Malformed;
  switch (expected) {
    case MessageType::Cmd: {
      CommandMessage cmd;
      return parseCommand(b, *n, topicDevice, cmd, version);
    }
    case MessageType::Time: {
      TimeMessage time;
      return parseTime(b, *n, topicDevice, time, version);
    }
    case MessageType::Status: {
      StatusMessage status;
      return parseStatus(b, *n, topicDevice, status, version);
    }
    // The v2-only types: a caller asking for them as v1 gets the v2 schema's "v" check anyway.
    case MessageType::Hello: {
      HelloMessage hello;
      return parseHello(b, *n, topicDevice, hello);
    }
    case MessageType::Welcome: {
      WelcomeMessage welcome;
      return parseWelcome(b, *n, topicDevice, welcome);
    }
    case MessageType::Cfg: {
      CfgMessage cfg;
      return parseCfg(b, *n, topicDevice, cfg, version < kProtocolV2 ? kProtocolV2 : version);
    }
  }
  return RejectReason::Malformed;
}

}  // namespace smartlock
