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

// Routing hint only: the payload is verified in full as the type it names (or as a command).
// No member value may hold a quote, so a message cannot contain another type's "type" member.
bool mentions(const char* payload, size_t len, const char* typeMember) {
  const size_t n = std::strlen(typeMember);
  for (size_t i = 0; i + n <= len; ++i) {
    if (std::memcmp(payload + i, typeMember, n) == 0) return true;
  }
  return false;
}
}  // namespace

LockApp::LockApp(const LockConfig& config, const LockAppDeps& deps)
    : cfg_(config),
      d_(deps),
      ring_(deps.storage),
      serverClock_(deps.clock),
      controller_(LockControllerDeps{deps.storage, deps.actuator, serverClock_, deps.logger, deps.door, deps.bolt},
                  cfg_.key, cfg_.deviceId),
      ble_(BleAccessDeps{deps.storage, deps.random, serverClock_, controller_, deps.logger}, cfg_.deviceId),
      login_(deps.storage),
      backoff_(config.backoffBaseMs, config.backoffCapMs),
      power_(config.power, config.heartbeatMs),
      heartbeat_(power_.heartbeatMs()),
      guard_(deps.storage, config.bootGuard) {}

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
      cfg_.keepAliveS > 15 || !isKnownVersion(cfg_.maxVersion)) {
    log("config: invalid device id, prefix, fw, keepalive or version; the lock stays offline");
    return false;
  }
  ring_.begin(cfg_.key);  // a secret rotated over the air replaces the configured one
  if (ring_.rotated()) log("secret: using the one a rotation gave this lock");
  if (ring_.hasPending()) log("secret: a new one is stored, waiting for the server to use it");
  cfg_.key = ring_.current();
  controller_.rekeyed();
  ble_.begin(cfg_.key);
  keys_ = deriveV2Keys(cfg_.key);
  login_.begin(cfg_.key, cfg_.maxVersion);
  if (guard_.begin()) {
    log("boot: %llu resets in a row within %u s of boot: safe mode, no actuation until a boot stays up that long",
        (unsigned long long)guard_.shortBoots(), (unsigned)(cfg_.bootGuard.windowMs / 1000));
  }
  controller_.setSafeMode(guard_.safeMode());
  controller_.begin();
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
  if (d_.watchdog != nullptr) d_.watchdog->feed();
  d_.mqtt.loop();
  const uint32_t now = d_.clock.millis();
  uptimeMs_ += static_cast<uint32_t>(now - lastLoopMs_);
  lastLoopMs_ = now;
  followDelivery(now);
  guard_.poll(uptimeMs_);
  serverClock_.tick();  // even offline, so a 49-day wrap of millis() never loses time

  drainInbox();
  followUpdate();
  followBattery(now);
  if (controller_.poll()) heartbeat_.requestNow();
  ble_.poll();
  // Moves starting, the door and the source show only in v2 statuses.
  if (controller_.takeV2Change() && usesPurposeKeys(controller_.version())) heartbeat_.requestNow();

  switch (net_) {
    case NetState::WaitingToConnect:
      if (static_cast<uint32_t>(now - stateSince_) >= waitMs_) startConnect(now);
      break;
    case NetState::Connecting:
      followConnect(now);
      break;
    case NetState::Online:
      if (!d_.mqtt.connected()) {
        sessionEnded();
        retryLater(now, "connection lost");
        break;
      }
      if (negotiator_.helloDue(now)) {
        publishHello(now);
        break;
      }
      if (!stable_ && static_cast<uint32_t>(now - stateSince_) >= cfg_.stableAfterMs) {
        stable_ = true;
        backoff_.reset();
      }
      // One status per loop keeps each pass short; queued acks go out on the following passes.
      // After a failed publish the ack waits kAckRetryMs (or the next heartbeat) instead of spinning.
      if (((controller_.hasAck() || bleUseDue()) && static_cast<uint32_t>(now - ackFailedAt_) >= kAckRetryMs) || heartbeat_.due(now)) {
        publishStatus(now);
      }
      doze(now);
      break;
  }
}

// The battery is read every kBatteryCheckMs, online or not: the flat-battery rule must hold offline too.
void LockApp::followBattery(uint32_t now) {
  if (d_.telemetry == nullptr) return;
  if (batteryChecked_ && static_cast<uint32_t>(now - batteryCheckedAt_) < kBatteryCheckMs) return;
  batteryChecked_ = true;
  batteryCheckedAt_ = now;
  if (!power_.observe(d_.telemetry->battery())) return;
  controller_.setLowBattery(power_.low());
  log(power_.low() ? "battery: low, auto-relock off" : "battery: recovered, auto-relock back");
  heartbeat_.requestNow();  // the server (and the owner) learn it at once
}

// Online on the battery profile, the radio dozes between passes (power_policy.h), but never while
// anything is in flight: a move, an ack to publish, a message to handle, a status due.
void LockApp::doze(uint32_t now) {
  if (d_.sleeper == nullptr) return;
  const bool busy = controller_.moving() || controller_.hasAck() || inboxCount_ > 0 || heartbeat_.due(now) || inFlight_.ticket != 0;
  const uint32_t ms = power_.sleepBudgetMs(heartbeat_.untilDueMs(now), busy);
  if (ms > 0) d_.sleeper->lightSleep(ms);
}

void LockApp::startConnect(uint32_t now) {
  MqttConnectOptions o;
  o.clientId = cfg_.deviceId;
  o.username = cfg_.deviceId;
  // A K' stored for a rekey is a candidate too: the broker may hold its password already (§13.3).
  login_.pending(ring_.hasPending() ? &ring_.pending() : nullptr);
  o.password = login_.passwordForNextAttempt();
  o.willTopic = availabilityTopic_;
  o.willPayload = kOffline;
  o.willQos = 1;
  o.willRetain = true;
  o.keepAliveS = cfg_.keepAliveS;
  log("mqtt: connecting (attempt %u, %s password%s)", (unsigned)(backoff_.attempts() + 1),
      login_.attemptUsesV2() ? "v2" : "v1", login_.attemptUsesPending() ? " of the new secret" : "");
  if (!d_.mqtt.connect(o)) {
    login_.attemptFailed();
    retryLater(now, "connect failed");
    return;
  }
  net_ = NetState::Connecting;
  stateSince_ = now;
  step_ = d_.mqtt.connectStep();
  stepSince_ = now;
}

// One look per pass at the attempt the transport moves on in its loop(): never a wait here.
void LockApp::followConnect(uint32_t now) {
  if (d_.mqtt.connected()) {
    login_.attemptSucceeded();
    onConnected(now);
    if (net_ != NetState::Online) return;
    if (negotiator_.helloDue(now)) publishHello(now);  // first, so a v2 server welcomes us soon
    publishStatus(now);  // in v1: the server waits for this one, and a v1 server never welcomes
    return;
  }
  const ConnectStep step = d_.mqtt.connectStep();
  if (step != step_) {
    step_ = step;
    stepSince_ = now;
  }
  char why[48];
  if (step == ConnectStep::Failed) {
    std::snprintf(why, sizeof why, "connect failed");  // the transport logged why
  } else if (static_cast<uint32_t>(now - stepSince_) >= cfg_.stepTimeouts.forStep(step_)) {
    std::snprintf(why, sizeof why, "%s timed out", nameOf(step_));
  } else if (static_cast<uint32_t>(now - stateSince_) >= cfg_.connectTimeoutMs) {
    std::snprintf(why, sizeof why, step_ == ConnectStep::Unreported ? "connect timed out" : "connect timed out (in %s)",
                  nameOf(step_));
  } else {
    return;
  }
  d_.mqtt.disconnect();
  login_.attemptFailed();
  retryLater(now, why);
}

void LockApp::onConnected(uint32_t now) {
  const bool ok = d_.mqtt.publish(availabilityTopic_, kOnline, sizeof kOnline - 1, 1, true) &&
                  d_.mqtt.subscribe(cmdTopic_, 1);
  if (!ok) {
    d_.mqtt.disconnect();
    retryLater(now, "could not announce or subscribe");
    return;
  }
  // "subscribing", not "subscribed": every transport but the tests' fakes only queues the SUBSCRIBE
  // here (the SUBACK comes later; a refused one ends the session), and people read this line.
  log("mqtt: online, subscribing to %s", cmdTopic_);
  if (cfg_.maxVersion >= kProtocolV2) negotiator_.connected(now, cfg_.maxVersion);
  net_ = NetState::Online;
  stateSince_ = now;
  stable_ = false;
  heartbeat_.requestNow();
}

void LockApp::sessionEnded() {
  negotiator_.disconnected();  // the next session negotiates again, starting in v1
  controller_.setVersion(kProtocolVersion);
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
    // The server signs with the new secret only once it switched (§13.3): then so does the lock.
    if (ring_.signedWithPending(slot.payload, slot.len)) switchToPendingKey();
    if (mentions(slot.payload, slot.len, "\"type\":\"time\"")) {
      applyTime(slot.payload, slot.len);
    } else if (mentions(slot.payload, slot.len, "\"type\":\"welcome\"")) {
      applyWelcome(slot.payload, slot.len);
    } else if (mentions(slot.payload, slot.len, "\"type\":\"cfg\"")) {
      if (controller_.version() >= sinceVersion(MessageType::Cfg)) {
        controller_.handleCfg(slot.payload, slot.len);
      } else {
        ++dropped_;  // cfg exists from v2 on; in v1 it is as unknown as any other type
      }
    } else if (mentions(slot.payload, slot.len, "\"type\":\"update\"")) {
      if (d_.update != nullptr && controller_.version() >= sinceVersion(MessageType::Update)) {
        controller_.handleUpdate(slot.payload, slot.len, *d_.update,
                                 d_.telemetry != nullptr ? d_.telemetry->battery() : std::nullopt);
      } else {
        ++dropped_;  // update exists from v3 on, and only in a lock that can update
      }
    } else if (mentions(slot.payload, slot.len, "\"type\":\"blerev\"")) {
      if (controller_.version() >= sinceVersion(MessageType::Blerev)) {
        controller_.handleBlerev(slot.payload, slot.len, ble_);
      } else {
        ++dropped_;  // blerev exists from v3 on
      }
    } else if (mentions(slot.payload, slot.len, "\"type\":\"rekey\"")) {
      if (controller_.version() >= sinceVersion(MessageType::Rekey)) {
        controller_.handleRekey(slot.payload, slot.len, ring_);
      } else {
        ++dropped_;  // rekey exists from v3 on
      }
    } else {
      controller_.handleCommand(slot.payload, slot.len);
    }
    inboxHead_ = (inboxHead_ + 1) % kInboxSlots;
    --inboxCount_;
  }
}

void LockApp::switchToPendingKey() {
  if (!ring_.commit()) {
    log("secret: the new one could not be stored as current; still using the old one");
    return;
  }
  cfg_.key = ring_.current();  // the controller holds a reference to it
  controller_.rekeyed();
  ble_.rekeyed(cfg_.key);
  keys_ = deriveV2Keys(cfg_.key);
  login_.rekeyed(cfg_.key);
  log("secret: the server uses the new one; switched to it");
  heartbeat_.requestNow();  // signed with the new secret: tells the server the switch is done
}

void LockApp::applyWelcome(const char* payload, size_t len) {
  WelcomeMessage w;
  if (auto why = verifyWelcome(keys_.cmd, payload, len, cfg_.deviceId, w)) {
    ++dropped_;
    log("welcome: ignored (%s)", nameOf(*why));
    return;
  }
  if (!negotiator_.welcome(w.ver)) {
    ++dropped_;  // unasked (no hello in this session, or already welcomed) or a version we lack
    log("welcome: ignored (ver %lld, not awaited)", static_cast<long long>(w.ver));
    return;
  }
  log("welcome: speaking v%d", negotiator_.version());
  if (d_.update != nullptr) d_.update->welcomed();  // the server took what this image said: keep it
  controller_.setVersion(negotiator_.version());
  login_.welcomed(negotiator_.version());
  heartbeat_.requestNow();  // the server now expects statuses of that version
}

void LockApp::applyTime(const char* payload, size_t len) {
  const bool v2 = usesPurposeKeys(controller_.version());
  if (auto why = serverClock_.apply(v2 ? keys_.cmd : cfg_.key, cfg_.deviceId, controller_.bootCount(), payload, len,
                                    controller_.version())) {
    ++dropped_;  // never answered: a time message carries no id, and a bad one is nobody's
    log("time: ignored (%s)", nameOf(*why));
    return;
  }
  log("time: set from the server to %lld", static_cast<long long>(serverClock_.unixTime().value_or(0)));
  heartbeat_.requestNow();  // the server drops statuses without time: show it a fresh one at once
}

void LockApp::followUpdate() {
  if (d_.update == nullptr) return;
  d_.update->loop();
  controller_.setFlashBusy(d_.update->busy());  // never move the bolt while writing flash
  const UpdateProgress* p = d_.update->progress();
  const int state = p != nullptr ? static_cast<int>(p->state) : -1;
  if (state != lastUpdState_) heartbeat_.requestNow();
  lastUpdState_ = state;
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
