// The lock's writers: the statuses and hellos it signs and sends (docs/protocol.md §6, §11.3, §16.6).
// The readers, which check what arrives, are codec.cpp.
#include "codec.h"

#include <cstdio>
#include <cstring>

#include "json.h"

namespace smartlock {

size_t appendBle(char* out, size_t len, size_t cap, const BleUse& use) {
  char text[kBleUseMax + 1];
  if (out == nullptr || len == 0 || out[len - 1] != '}' || !formatBleUse(use, text, sizeof text)) return 0;
  const int n = std::snprintf(out + len - 1, cap - (len - 1), ",\"ble\":\"%s\"}", text);
  if (n <= 0 || static_cast<size_t>(n) >= cap - (len - 1)) {
    out[len - 1] = '}';  // B as it was
    out[len] = '\0';
    return 0;
  }
  return len - 1 + static_cast<size_t>(n);
}

size_t buildHello(const char* dev, int64_t boot, int64_t seq, int64_t ts, const char* fw, char* out, size_t cap,
                  int maxVersion) {
  const char* vers = spokenVersions(maxVersion);
  if (dev == nullptr || !isValidDeviceId(dev, std::strlen(dev)) || vers == nullptr || maxVersion < kProtocolV2) return 0;
  if (fw == nullptr) fw = "";
  if (std::strlen(fw) > kFwMax) return 0;
  JsonWriter w(out, cap);
  w.open().key("v").num(kProtocolV2).key("type").str("hello").key("dev").str(dev);
  w.key("boot").num(boot).key("seq").num(seq).key("vers").str(vers).key("ts").num(ts);
  w.key("fw").str(fw).close();
  return w.length();
}

size_t buildStatus(const char* dev, const StatusReport& r, char* out, size_t cap) {
  if (dev == nullptr || !isValidDeviceId(dev, std::strlen(dev))) return 0;
  const bool v2 = usesPurposeKeys(r.version);
  if (!v2 && r.version != kProtocolVersion) return 0;
  if (!v2 && (r.status == LockStatus::Locking || r.status == LockStatus::Unlocking)) return 0;
  const bool remote = v2 && r.src == BoltSource::Remote;
  if (remote && (r.cid == nullptr || !isValidCommandId(r.cid, std::strlen(r.cid)))) return 0;
  if (r.issue != nullptr && std::strlen(r.issue) > kIssueMax) return 0;
  if (r.fw != nullptr && std::strlen(r.fw) > kFwMax) return 0;
  if (r.hb && (r.version < kProtocolV3 || *r.hb < kHeartbeatMinS || *r.hb > kHeartbeatMaxS)) return 0;  // a v3 member
  JsonWriter w(out, cap);
  w.open().key("v").num(r.version).key("type").str("status").key("dev").str(dev);
  w.key("boot").num(r.boot).key("seq").num(r.seq).key("status").str(nameOf(r.status));
  if (v2) {
    w.key("door").str(nameOf(r.door)).key("src").str(nameOf(r.src));
    if (remote) w.key("cid").str(r.cid);
  }
  w.key("ctr").num(r.ctr).key("ts").num(r.ts);
  if (r.uptime) w.key("uptime").num(*r.uptime);
  if (r.rssi) w.key("rssi").num(*r.rssi);
  if (r.battery) w.key("battery").num(*r.battery);
  if (r.power) w.key("power").str(nameOf(*r.power));
  if (r.hb) w.key("hb").num(*r.hb);
  if (r.issue) w.key("issue").str(r.issue);
  if (r.fw) w.key("fw").str(r.fw);
  if (r.ack) {
    if (std::strlen(r.ack->reason) > kReasonMax) return 0;
    w.key("ack").open().key("id").str(r.ack->id).key("result").str(nameOf(r.ack->result));
    if (r.ack->reason[0] != '\0') w.key("reason").str(r.ack->reason);
    w.close();
  }
  w.close();
  return w.length();
}

}  // namespace smartlock
