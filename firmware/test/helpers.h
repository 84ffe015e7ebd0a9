// Shared test helpers: the worked-example key and signed commands built like the server does.
#pragma once
#include <string>

#include "signature.h"

namespace helpers {
using namespace smartlock;

inline DeviceKey key(const char* hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f") {
  DeviceKey k{};
  parseDeviceKey(hex, 64, k);
  return k;
}

inline std::string sign(const DeviceKey& k, const std::string& b) {
  char buf[kMaxPayload + 1];
  b.copy(buf, b.size());
  const size_t n = signInPlace(k, buf, b.size(), sizeof buf);
  return std::string(buf, n);
}

inline std::string cmdBody(const std::string& dev, const std::string& id, const std::string& action,
                           long long ctr, long long ts) {
  return "{\"v\":1,\"type\":\"cmd\",\"dev\":\"" + dev + "\",\"id\":\"" + id + "\",\"action\":\"" + action +
         "\",\"ctr\":" + std::to_string(ctr) + ",\"ts\":" + std::to_string(ts) + "}";
}

inline std::string signedCmd(const DeviceKey& k, const std::string& dev, const std::string& id,
                             const std::string& action, long long ctr, long long ts) {
  return sign(k, cmdBody(dev, id, action, ctr, ts));
}

inline std::string timeBody(const std::string& dev, long long boot, long long seq, long long ts) {
  return "{\"v\":1,\"type\":\"time\",\"dev\":\"" + dev + "\",\"boot\":" + std::to_string(boot) +
         ",\"seq\":" + std::to_string(seq) + ",\"ts\":" + std::to_string(ts) + "}";
}

inline std::string signedTime(const DeviceKey& k, const std::string& dev, long long boot, long long seq, long long ts) {
  return sign(k, timeBody(dev, boot, seq, ts));
}

}  // namespace helpers

namespace helpers {

// v2 server messages, signed with the v2 cmd key by the caller.
inline std::string cmdBodyV2(const std::string& dev, const std::string& id, const std::string& action, long long ctr,
                             long long ts) {
  std::string b = cmdBody(dev, id, action, ctr, ts);
  return "{\"v\":2" + b.substr(6);
}

inline std::string timeBodyV2(const std::string& dev, long long boot, long long seq, long long ts) {
  return "{\"v\":2" + timeBody(dev, boot, seq, ts).substr(6);
}

inline std::string welcomeBody(const std::string& dev, long long ver, long long ts) {
  return "{\"v\":2,\"type\":\"welcome\",\"dev\":\"" + dev + "\",\"ver\":" + std::to_string(ver) +
         ",\"ts\":" + std::to_string(ts) + "}";
}

inline std::string cfgBody(const std::string& dev, const std::string& id, long long ctr, long long ts, long long relock,
                           const std::string& boot, const std::string& lockOpen) {
  return "{\"v\":2,\"type\":\"cfg\",\"dev\":\"" + dev + "\",\"id\":\"" + id + "\",\"ctr\":" + std::to_string(ctr) +
         ",\"ts\":" + std::to_string(ts) + ",\"relock\":" + std::to_string(relock) + ",\"boot\":\"" + boot +
         "\",\"lockOpen\":\"" + lockOpen + "\"}";
}

// B of a signed payload: the payload without its signature suffix, closed again.
inline std::string unsignedOf(const std::string& payload) {
  return payload.substr(0, payload.size() - kSigSuffixLen) + "}";
}

}  // namespace helpers
