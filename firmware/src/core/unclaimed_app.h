// A lock nobody has claimed yet (docs/protocol.md "Claiming"): it logs in as claim-<factory id>
// with the password derived from its claim secret (claimBrokerPassword), subscribes to its claim topic only, says a signed hello every
// helloEveryMs, and waits for the server's claim message. Once one opens (claim.h), claimed()
// holds its device id and K; the shell stores them with adoptClaim() and starts LockApp.
#pragma once
#include <cstdint>

#include "claim.h"
#include "improv.h"
#include "ports.h"

namespace smartlock {

struct UnclaimedConfig {
  const char* prefix = "smartlock";
  const char* fw = "";
  uint32_t helloEveryMs = 30000;
  // Between connection attempts, fixed (no growing backoff): on Mosquitto the claim account exists
  // only while someone is claiming (about 20 s), so a refused login is retried soon.
  uint32_t retryMs = 3000;
};

class UnclaimedApp : public MqttMessageHandler {
 public:
  UnclaimedApp(const FactoryIdentity& id, const UnclaimedConfig& cfg, MqttTransport& mqtt, Clock& clock,
               Storage& storage, Random& random, Logger* logger = nullptr);
  bool begin();  // false when the prefix does not fit or the nonce cannot be stored
  void loop();
  void shutdown();
  void onMqttMessage(const char* topic, const char* payload, size_t len) override;

  const ClaimGrant* claimed() const { return claimed_ ? &grant_ : nullptr; }
  const char* nonce() const { return nonce_; }

 private:
  void log(const char* line);
  void handlePending();

  FactoryIdentity id_;
  UnclaimedConfig cfg_;
  MqttTransport& mqtt_;
  Clock& clock_;
  Storage& storage_;
  Random& random_;
  Logger* logger_;
  char username_[6 + kFactoryIdLen + 1] = {};
  char password_[2 * kKeyLen + 1] = {};
  char claimTopic_[kPrefixMax + 7 + kFactoryIdLen + 1] = {};
  char helloTopic_[sizeof claimTopic_ + 6] = {};
  char nonce_[kClaimNonceLen + 1] = {};
  char pending_[kMaxPayload + 1] = {};
  size_t pendingLen_ = 0;
  bool hasPending_ = false;
  bool online_ = false;
  bool attempted_ = false;
  uint32_t lastAttempt_ = 0;
  uint32_t lastHello_ = 0;
  bool claimed_ = false;
  ClaimGrant grant_;
};

// Stores what a claim gave, as provisioning (device id, K, the broker it came over), after
// forgetting the counters of any earlier life, so the new server's first command (ctr 1) is not a
// replay; the provisioning marker is written last (a power cut leaves the lock unclaimed).
struct ClaimBroker {
  const char* host;
  uint16_t port;  // plain MQTT, 0: none
  const char* prefix;
  uint16_t tlsPort = 0;                  // 0: none
  BrokerTls tls = BrokerTls::None;       // how the TLS port is checked (improv.h)
};
bool adoptClaim(Storage& storage, const ClaimGrant& grant, const ClaimBroker& broker);

// Long press: forgets K, the device id and the counters; keeps the factory identity, so the code
// on the box claims the lock again. The next unclaimed period gets a new nonce.
bool factoryReset(Storage& storage);

}  // namespace smartlock
