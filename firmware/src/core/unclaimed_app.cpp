#include "unclaimed_app.h"

#include <cstdio>
#include <cstring>

#include "broker_login.h"
#include "improv.h"
#include "lock_controller.h"
#include "lock_settings.h"

namespace smartlock {

UnclaimedApp::UnclaimedApp(const FactoryIdentity& id, const UnclaimedConfig& cfg, MqttTransport& mqtt, Clock& clock,
                           Storage& storage, Random& random, Logger* logger)
    : id_(id), cfg_(cfg), mqtt_(mqtt), clock_(clock), storage_(storage), random_(random), logger_(logger) {}

bool UnclaimedApp::begin() {
  if (std::strlen(cfg_.prefix) == 0 || std::strlen(cfg_.prefix) > kPrefixMax) return false;
  std::snprintf(username_, sizeof username_, "claim-%s", id_.factoryId);
  claimBrokerPassword(id_, password_);
  std::snprintf(claimTopic_, sizeof claimTopic_, "%s/claim/%s", cfg_.prefix, id_.factoryId);
  std::snprintf(helloTopic_, sizeof helloTopic_, "%s/hello", claimTopic_);
  if (!currentClaimNonce(storage_, random_, nonce_)) return false;
  mqtt_.setHandler(this);
  return true;
}

void UnclaimedApp::log(const char* line) {
  if (logger_ != nullptr) logger_->log(line);
}

void UnclaimedApp::onMqttMessage(const char* topic, const char* payload, size_t len) {
  // Copied, acted on in loop(): the transport is not re-entrant. An empty payload is the cleared message.
  if (std::strcmp(topic, claimTopic_) != 0 || len == 0 || len > kMaxPayload || hasPending_) return;
  std::memcpy(pending_, payload, len);
  pending_[len] = '\0';
  pendingLen_ = len;
  hasPending_ = true;
}

void UnclaimedApp::handlePending() {
  hasPending_ = false;
  ClaimGrant grant;
  const ClaimVerdict v = openClaimMessage(id_, nonce_, pending_, pendingLen_, grant);
  if (v != ClaimVerdict::Valid) {
    log(v == ClaimVerdict::NotForUs ? "claim: a message of another period, ignored" : "claim: an invalid message, dropped");
    return;
  }
  grant_ = grant;
  claimed_ = true;
  char line[96];
  std::snprintf(line, sizeof line, "claim: claimed as %s", grant_.deviceId);
  log(line);
}

void UnclaimedApp::loop() {
  mqtt_.loop();
  if (hasPending_) handlePending();
  if (claimed_) return;
  const uint32_t now = clock_.millis();
  if (!mqtt_.connected()) {
    online_ = false;
    if (!attempted_ || static_cast<uint32_t>(now - lastAttempt_) >= cfg_.retryMs) {
      MqttConnectOptions o;
      o.clientId = username_;
      o.username = username_;
      o.password = password_;  // checked by Mosquitto with dynamic security; the embedded broker takes any
      attempted_ = true;
      lastAttempt_ = now;
      mqtt_.connect(o);
    }
    return;
  }
  if (!online_) {
    if (!mqtt_.subscribe(claimTopic_, 1)) return;
    online_ = true;
    lastHello_ = now - cfg_.helloEveryMs;  // say hello at once
    log("claim: waiting to be claimed");
  }
  if (static_cast<uint32_t>(now - lastHello_) >= cfg_.helloEveryMs) {
    char hello[256];
    const size_t n = buildUnclaimedHello(id_, nonce_, cfg_.fw, hello, sizeof hello);
    if (n > 0 && mqtt_.publish(helloTopic_, hello, n, 1, false)) lastHello_ = now;
  }
}

void UnclaimedApp::shutdown() {
  if (mqtt_.connected()) mqtt_.disconnect();
}

bool adoptClaim(Storage& storage, const ClaimGrant& grant, const ClaimBroker& broker) {
  LockProvisioning p;
  std::snprintf(p.deviceId, sizeof p.deviceId, "%s", grant.deviceId);
  toHex(grant.key.data(), grant.key.size(), p.secretHex);
  std::snprintf(p.host, sizeof p.host, "%s", broker.host);
  p.port = broker.port;
  p.tlsPort = broker.tlsPort;
  p.tls = broker.tls;
  std::snprintf(p.prefix, sizeof p.prefix, "%s", broker.prefix);
  StorageSettingsStore settings(storage);
  const bool ok = storage.store(kCounterKey, 0) && storage.store(kNegotiatedKey, 1) &&
                  storeSettings(storage, LockSettings{}) && settings.saveLock(p) && storage.storeText("cnonce", "");
  std::memset(p.secretHex, 0, sizeof p.secretHex);
  return ok;
}

bool factoryReset(Storage& storage) {
  StorageSettingsStore settings(storage);
  return settings.forgetLock() && storage.store(kCounterKey, 0) && storage.store(kNegotiatedKey, 1) &&
         storeSettings(storage, LockSettings{}) && storage.storeText("cnonce", "");
}

}  // namespace smartlock
