#include "lock_app.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "log_line.h"

#include "codec.h"

namespace smartlock {
namespace {
constexpr char kOnline[] = "online";
constexpr char kOffline[] = "offline";
constexpr char kTimeType[] = "\"type\":\"time\"";

// Routing hint only: the payload is verified in full as a time message or as a command after.
// A command cannot contain this text (no member value may hold a quote), so none is misrouted.
bool mentionsTimeType(const char* payload, size_t len) {
  const size_t n = sizeof kTimeType - 1;
  for (size_t i = 0; i + n <= len; ++i) {
    if (std::memcmp(payload + i, kTimeType, n) == 0) return true;
  }
  return false;
}
}  // namespace

LockApp::LockApp(const LockConfig& config, const LockAppDeps& deps)
    : cfg_(config),
      d_(deps),
      serverClock_(deps.clock),
      controller_(LockControllerDeps{deps.storage, deps.actuator, serverClock_, deps.logger}, cfg_.key,
                  cfg_.deviceId),
      backoff_(config.backoffBaseMs, config.backoffCapMs),
      heartbeat_(config.heartbeatMs) {}

void LockApp::log(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vlogLine(d_.logger, fmt, args);
  va_end(args);
}

bool LockApp::begin() {
  const bool topicsOk =
      buildTopic(cmdTopic_, sizeof cmdTopic_, cfg_.prefix, cfg_.deviceId, TopicKind::Cmd) &&
      buildTopic(statusTopic_, sizeof statusTopic_, cfg_.prefix, cfg_.deviceId, TopicKind::Status) &&
      buildTopic(availabilityTopic_, sizeof availabilityTopic_, cfg_.prefix, cfg_.deviceId,
                 TopicKind::Availability);
  if (!topicsOk || (cfg_.fw != nullptr && std::strlen(cfg_.fw) > kFwMax) || cfg_.keepAliveS == 0 ||
      cfg_.keepAliveS > 15) {
    log("config: invalid device id, prefix, fw or keepalive; the lock stays offline");
    return false;
  }
  mqttPassword(cfg_.key, password_);
  controller_.begin(cfg_.defaultState);
  lastLoopMs_ = d_.clock.millis();
  stateSince_ = lastLoopMs_;
  waitMs_ = 0;  // first attempt at once
  net_ = NetState::WaitingToConnect;
  d_.mqtt.setHandler(this);
  started_ = true;
  return true;
}

void LockApp::loop() {
  if (!started_) return;
  d_.mqtt.loop();
  const uint32_t now = d_.clock.millis();
  uptimeMs_ += static_cast<uint32_t>(now - lastLoopMs_);
  lastLoopMs_ = now;
  serverClock_.tick();  // even offline, so a 49-day wrap of millis() never loses time

  drainInbox();
  if (controller_.poll()) heartbeat_.requestNow();

  switch (net_) {
    case NetState::WaitingToConnect:
      if (static_cast<uint32_t>(now - stateSince_) >= waitMs_) startConnect(now);
      break;
    case NetState::Connecting:
      if (d_.mqtt.connected()) {
        onConnected(now);
        if (net_ == NetState::Online) publishStatus(now);  // the server waits for this one
      } else if (static_cast<uint32_t>(now - stateSince_) >= cfg_.connectTimeoutMs) {
        d_.mqtt.disconnect();
        retryLater(now, "connect timed out");
      }
      break;
    case NetState::Online:
      if (!d_.mqtt.connected()) {
        retryLater(now, "connection lost");
        break;
      }
      if (!stable_ && static_cast<uint32_t>(now - stateSince_) >= cfg_.stableAfterMs) {
        stable_ = true;
        backoff_.reset();
      }
      // One status per loop keeps each pass short; queued acks go out on the following passes.
      if (controller_.hasAck() || heartbeat_.due(now)) publishStatus(now);
      break;
  }
}

void LockApp::startConnect(uint32_t now) {
  MqttConnectOptions o;
  o.clientId = cfg_.deviceId;
  o.username = cfg_.deviceId;
  o.password = password_;
  o.willTopic = availabilityTopic_;
  o.willPayload = kOffline;
  o.willQos = 1;
  o.willRetain = true;
  o.keepAliveS = cfg_.keepAliveS;
  log("mqtt: connecting (attempt %u)", (unsigned)(backoff_.attempts() + 1));
  if (!d_.mqtt.connect(o)) {
    retryLater(now, "connect failed");
    return;
  }
  net_ = NetState::Connecting;
  stateSince_ = now;
}

void LockApp::onConnected(uint32_t now) {
  const bool ok = d_.mqtt.publish(availabilityTopic_, kOnline, sizeof kOnline - 1, 1, true) &&
                  d_.mqtt.subscribe(cmdTopic_, 1);
  if (!ok) {
    d_.mqtt.disconnect();
    retryLater(now, "could not announce or subscribe");
    return;
  }
  log("mqtt: online, subscribed to %s", cmdTopic_);
  net_ = NetState::Online;
  stateSince_ = now;
  stable_ = false;
  heartbeat_.requestNow();
}

void LockApp::retryLater(uint32_t now, const char* why) {
  waitMs_ = backoff_.nextDelayMs(d_.random);
  log("mqtt: %s; retry in %u ms", why, (unsigned)waitMs_);
  net_ = NetState::WaitingToConnect;
  stateSince_ = now;
}

void LockApp::onMqttMessage(const char* topic, const char* payload, size_t len) {
  // Only our own cmd topic is subscribed; anything else, or anything oversized, is noise.
  if (topic == nullptr || std::strcmp(topic, cmdTopic_) != 0 || payload == nullptr || len > kMaxPayload ||
      inboxCount_ == kInboxSlots) {
    ++dropped_;
    return;
  }
  InboxSlot& slot = inbox_[(inboxHead_ + inboxCount_) % kInboxSlots];
  std::memcpy(slot.payload, payload, len);
  slot.len = len;
  ++inboxCount_;
}

void LockApp::drainInbox() {
  while (inboxCount_ > 0) {
    const InboxSlot& slot = inbox_[inboxHead_];
    if (mentionsTimeType(slot.payload, slot.len)) {
      applyTime(slot.payload, slot.len);
    } else {
      controller_.handleCommand(slot.payload, slot.len);
    }
    inboxHead_ = (inboxHead_ + 1) % kInboxSlots;
    --inboxCount_;
  }
}

void LockApp::applyTime(const char* payload, size_t len) {
  if (auto why = serverClock_.apply(cfg_.key, cfg_.deviceId, controller_.bootCount(), payload, len)) {
    ++dropped_;  // never answered: a time message carries no id, and a bad one is nobody's
    log("time: ignored (%s)", nameOf(*why));
    return;
  }
  log("time: set from the server to %lld", static_cast<long long>(serverClock_.unixTime().value_or(0)));
  heartbeat_.requestNow();  // the server drops statuses without time: show it a fresh one at once
}

bool LockApp::publishStatus(uint32_t now) {
  const std::optional<AckFields> ack = controller_.popAck();
  StatusReport r;
  r.boot = static_cast<int64_t>(controller_.bootCount());
  r.seq = static_cast<int64_t>(++seq_);  // consumed even if the publish fails: seq only grows
  r.status = controller_.status();
  r.ctr = static_cast<int64_t>(controller_.lastCounter());
  r.ts = serverClock_.unixTime().value_or(0);  // 0 until the server's time arrives (§7a)
  r.uptime = static_cast<int64_t>(uptimeMs_ / 1000);
  if (d_.telemetry != nullptr) {
    r.rssi = d_.telemetry->rssi();
    r.battery = d_.telemetry->battery();
    r.power = d_.telemetry->power();
  }
  r.issue = controller_.issue();
  r.fw = cfg_.fw;
  r.ack = ack ? &*ack : nullptr;
  char buf[kMaxPayload + 1];
  size_t len = buildStatus(cfg_.deviceId, r, buf, sizeof buf);
  len = len ? signInPlace(cfg_.key, buf, len, sizeof buf) : 0;
  heartbeat_.sent(now);
  if (len == 0) {
    log("status: does not fit in %u bytes", (unsigned)kMaxPayload);
    return false;
  }
  // An ack must not be lost to a QoS 0 drop; plain heartbeats are replaced 9 s later anyway.
  const bool ok = d_.mqtt.publish(statusTopic_, buf, len, ack ? 1 : 0, false);
  if (ok) serverClock_.statusSent(seq_);
  if (!ok) log("status: publish failed (seq %llu)", (unsigned long long)seq_);
  return ok;
}

void LockApp::shutdown() {
  if (started_ && d_.mqtt.connected()) {
    d_.mqtt.publish(availabilityTopic_, kOffline, sizeof kOffline - 1, 1, true);
  }
  d_.mqtt.disconnect();
  net_ = NetState::WaitingToConnect;
  started_ = false;
}

}  // namespace smartlock
