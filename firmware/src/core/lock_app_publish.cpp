// What the lock sends on its status topic, and following each until the broker has it: statuses
// (with their ack, update progress and offline use), hellos and the v3 reset (docs/protocol.md §6,
// §11.3, §15.5). The rest of the lock's loop is lock_app.cpp.
#include "lock_app.h"

#include <cstdio>

#include "codec.h"
#include "codec_update.h"

namespace smartlock {

bool LockApp::publishStatus(uint32_t now) {
  if (inFlight_.ticket != 0) return false;  // waits for the one in flight (followDelivery)
  // A copy: the ack leaves the queue only once the status carrying it is published.
  const std::optional<AckFields> ack = controller_.peekAck() ? std::optional<AckFields>(*controller_.peekAck()) : std::nullopt;
  const int version = controller_.version();
  StatusReport r;
  r.version = version;
  r.boot = static_cast<int64_t>(controller_.bootCount());
  r.seq = static_cast<int64_t>(++seq_);  // consumed even if the publish fails: seq only grows
  r.status = controller_.reportedStatus(version);
  r.door = controller_.door();
  r.src = controller_.source();
  r.cid = controller_.sourceCid();
  r.ctr = static_cast<int64_t>(controller_.lastCounter());
  r.ts = serverClock_.unixTime().value_or(0);  // 0 until the server's time arrives (§7a)
  r.uptime = static_cast<int64_t>(uptimeMs_ / 1000);
  if (d_.telemetry != nullptr) {
    r.rssi = d_.telemetry->rssi();
    r.battery = d_.telemetry->battery();
    r.power = d_.telemetry->power();
  }
  r.power = power_.reportedPower(r.power);
  if (version >= kProtocolV3) r.hb = power_.announcedHeartbeatS();  // a v3 member (§13.4)
  r.issue = controller_.issue();
  if (r.issue[0] == '\0' && cfg_.standingIssue != nullptr) r.issue = cfg_.standingIssue;
  r.fw = cfg_.fw;
  r.ack = ack ? &*ack : nullptr;
  char buf[kMaxPayload + 1];
  size_t len = buildStatus(cfg_.deviceId, r, buf, sizeof buf);
  bool updFinal = false;
  len = appendUpdate(buf, len, sizeof buf, version, updFinal);
  // One offline use per v3 status, after "upd" (§16.6); kept queued until this one is published.
  const size_t withBle = len > 0 && bleUseDue() ? appendBle(buf, len, sizeof buf - kSigSuffixLen, *ble_.peekUse()) : 0;
  const bool bleUse = withBle > 0;  // a use that does not fit waits for a shorter status
  if (bleUse) len = withBle;
  len = len ? signInPlace(usesPurposeKeys(version) ? keys_.status : cfg_.key, buf, len, sizeof buf) : 0;
  heartbeat_.sent(now);
  if (len == 0) {
    log("status: does not fit in %u bytes", (unsigned)kMaxPayload);
    if (ack) controller_.ackPublished();  // it never will: dropping it beats blocking every later ack
    if (bleUse) ble_.usePublished();
    return false;
  }
  // An ack must not be lost to a QoS 0 drop; plain heartbeats are replaced 9 s later anyway.
  const bool ok = d_.mqtt.publish(statusTopic_, buf, len, ack || updFinal || bleUse ? 1 : 0, false);
  if (ok) serverClock_.statusSent(seq_);
  const uint32_t ticket = ok && (ack || updFinal || bleUse) ? d_.mqtt.publishTicket() : 0;
  if (ticket != 0) {  // queued by the transport: its PUBACK decides (followDelivery)
    inFlight_ = InFlightStatus{ticket, seq_, ack.has_value(), bleUse, updFinal};
    return true;
  }
  statusSettled(ok, ack.has_value(), bleUse, updFinal, now);
  if (!ok) log("status: publish failed (seq %llu)", (unsigned long long)seq_);
  return ok;
}

// What a status carried leaves its queue only once the broker has it.
void LockApp::statusSettled(bool delivered, bool ack, bool bleUse, bool updFinal, uint32_t now) {
  if (delivered && ack) controller_.ackPublished();
  if (delivered && bleUse) ble_.usePublished();
  if (!delivered && (ack || bleUse)) ackFailedAt_ = now;  // kept queued: sent again after a pause, or once reconnected
  if (delivered && updFinal) d_.update->reported();  // QoS 1: the outcome reaches the server
}

void LockApp::followDelivery(uint32_t now) {
  if (inFlight_.ticket == 0) return;
  const Delivery delivery = d_.mqtt.delivery(inFlight_.ticket);
  if (delivery == Delivery::Pending) return;
  const InFlightStatus s = inFlight_;
  inFlight_ = InFlightStatus{};
  statusSettled(delivery == Delivery::Delivered, s.ack, s.bleUse, s.updFinal, now);
  if (delivery == Delivery::Failed) log("status: not delivered (seq %llu)", (unsigned long long)s.seq);
}

// Adds "upd" to a status body in a v3 session; final: it carries an outcome to report once.
size_t LockApp::appendUpdate(char* buf, size_t len, size_t cap, int version, bool& final) {
  final = false;
  if (len == 0 || d_.update == nullptr || version < kUpdateProtocolVersion) return len;
  const UpdateProgress* p = d_.update->progress();
  if (p == nullptr) return len;
  const size_t with = appendUpd(buf, len, cap - kSigSuffixLen, *p);  // room left for the signature
  if (with == 0) return len;  // not reportable (its id was lost to a power cut): the status goes without
  final = p->state == UpdState::Confirmed || p->state == UpdState::Failed || p->state == UpdState::RolledBack;
  return with;
}

bool LockApp::publishHello(uint32_t now) {
  negotiator_.helloSent(now);  // even if the publish fails: the back-off still applies
  char buf[kMaxPayload + 1];
  const int64_t seq = static_cast<int64_t>(++seq_);  // hellos count in the statuses' sequence
  size_t len = buildHello(cfg_.deviceId, static_cast<int64_t>(controller_.bootCount()), seq,
                          serverClock_.unixTime().value_or(0), cfg_.fw, buf, sizeof buf, cfg_.maxVersion);
  len = len ? signInPlace(keys_.status, buf, len, sizeof buf) : 0;
  if (len == 0) return false;
  const bool ok = d_.mqtt.publish(statusTopic_, buf, len, 1, false);
  if (ok) serverClock_.statusSent(seq_);
  log(ok ? "hello: sent (seq %llu), next in %u s unless welcomed" : "hello: publish failed (seq %llu), next in %u s",
      (unsigned long long)seq_, (unsigned)(negotiator_.nextHelloInMs() / 1000));
  return ok;
}

bool LockApp::sendFactoryReset() {
  if (net_ != NetState::Online || negotiator_.version() != kProtocolV3 || !d_.mqtt.connected()) return false;
  char buf[kMaxPayload + 1];
  const int n = std::snprintf(buf, sizeof buf, "{\"v\":3,\"type\":\"reset\",\"dev\":\"%s\",\"boot\":%llu,\"seq\":%llu,\"ts\":%lld}",
                              cfg_.deviceId, (unsigned long long)controller_.bootCount(), (unsigned long long)(seq_ + 1),
                              (long long)serverClock_.unixTime().value_or(0));
  if (n <= 0 || static_cast<size_t>(n) >= sizeof buf) return false;
  ++seq_;  // a reset uses up a seq, like a status
  const size_t len = signInPlace(keys_.status, buf, static_cast<size_t>(n), sizeof buf);
  const bool ok = len > 0 && d_.mqtt.publish(statusTopic_, buf, len, 1, false);
  log(ok ? "reset: sent (seq %llu)" : "reset: publish failed (seq %llu)", (unsigned long long)seq_);
  return ok;
}

}  // namespace smartlock
