#include "command_verifier.h"

#include "codec_update.h"

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

// Every counted message on the cmd topic (cmd, cfg, rekey, update): the signature, then B parsed by
// `parse` (which sets v.reject and returns the message), then the counter and the clock.
template <typename Verdict, typename Parse>
Verdict verifyCounted(const CommandContext& ctx, const char* payload, size_t len, Parse parse) {
  Verdict v;
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
  const auto& message = parse(b, *n, v);
  v.answerable = message.id[0] != '\0';
  if (v.reject) return v;
  v.reject = freshness(ctx, message.ctr, message.ts);
  return v;
}

}  // namespace

CommandVerdict verifyCommand(const CommandContext& ctx, const char* payload, size_t len) {
  return verifyCounted<CommandVerdict>(ctx, payload, len, [&](const char* b, size_t n, CommandVerdict& v) -> const CommandMessage& {
    v.reject = parseCommand(b, n, ctx.deviceId, v.cmd, ctx.version);
    return v.cmd;
  });
}

CfgVerdict verifyCfg(const CommandContext& ctx, const char* payload, size_t len) {
  return verifyCounted<CfgVerdict>(ctx, payload, len, [&](const char* b, size_t n, CfgVerdict& v) -> const CfgMessage& {
    v.reject = parseCfg(b, n, ctx.deviceId, v.cfg, ctx.version);
    return v.cfg;
  });
}

RekeyVerdict verifyRekey(const CommandContext& ctx, const char* payload, size_t len) {
  return verifyCounted<RekeyVerdict>(ctx, payload, len, [&](const char* b, size_t n, RekeyVerdict& v) -> const RekeyMessage& {
    v.reject = parseRekey(b, n, ctx.deviceId, v.rekey, ctx.version);
    return v.rekey;
  });
}

BlerevVerdict verifyBlerev(const CommandContext& ctx, const char* payload, size_t len) {
  return verifyCounted<BlerevVerdict>(ctx, payload, len, [&](const char* b, size_t n, BlerevVerdict& v) -> const BlerevMessage& {
    v.reject = parseBlerev(b, n, ctx.deviceId, v.blerev, ctx.version);
    return v.blerev;
  });
}

// Declared in codec_update.h; here for the shared checks above.
UpdateVerdict verifyUpdate(const CommandContext& ctx, const char* payload, size_t len) {
  return verifyCounted<UpdateVerdict>(ctx, payload, len, [&](const char* b, size_t n, UpdateVerdict& v) -> const UpdateMessage& {
    v.reject = parseUpdate(b, n, ctx.deviceId, v.update);
    return v.update;
  });
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
    case MessageType::Update: {  // v3 only: "v" must be 3 whatever the caller asked
      UpdateMessage update;
      return parseUpdate(b, *n, topicDevice, update);
    }
    case MessageType::Rekey: {
      RekeyMessage rekey;
      return parseRekey(b, *n, topicDevice, rekey, version);
    }
    case MessageType::Blerev: {
      BlerevMessage blerev;
      return parseBlerev(b, *n, topicDevice, blerev, version);
    }
  }
  return RejectReason::Malformed;
}

}  // namespace smartlock

namespace smartlock {

bool signedWith(const DeviceKey& key, const char* payload, size_t len) { return !checkSignature(key, payload, len); }

}  // namespace smartlock
