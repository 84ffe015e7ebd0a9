// MqttTransport that runs a BlockingMqttClient (blocking_mqtt_client.h) on a thread of its own, so
// that a connect blocking for seconds in DNS, TCP, TLS or the CONNACK, and QoS 1 publishes waiting
// for their PUBACK, never hold the lock's loop. Every MqttTransport call (the loop task's) only
// touches state under one mutex that the network thread holds for copies and bookkeeping, never
// across a client call, and returns at once.
//
//   loop task                                 network thread
//   connect()  -> Connecting ------------->   client.connect() (blocks), reports each step
//   publish()/subscribe() -> out queue --->   client.publish()/subscribe() (wait for the ack), in order
//   delivery(ticket) <- outcome ring <-----   Delivered / Failed
//   loop(): in queue -> handler <---------   client.loop() pushes what arrived
//
// Messages reach the handler only from loop(), on the loop task, so the core stays single-threaded.
// Queues are fixed arrays (kOutSlots, kInSlots): a full queue refuses (publish() false) or drops
// (droppedMessages()); nothing is allocated after start().
//
// A blocking call cannot be cut short: an attempt the app abandons (disconnect() during Connecting)
// is closed when the client's connect() returns, and connect() refuses a new attempt until then.
// Not for the bare-metal QEMU build (no threads): qemu/qemu.mk leaves this file out.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>

#include "blocking_mqtt_client.h"
#include "ports.h"
#include "protocol.h"

namespace smartlock {

struct NetworkThreadConfig {
  uint32_t pumpMs = 10;        // online with nothing queued: the pause between two client.loop() calls
  uint32_t idleWaitMs = 1000;  // offline: the longest sleep before the thread looks again
};

class NetworkThreadTransport : public MqttTransport {
 public:
  // Out: at connect, availability + subscribe + hello + status, and one more (an ack, a reset).
  static constexpr size_t kOutSlots = 5;
  static constexpr size_t kInSlots = 4;  // as many as LockApp's inbox
  static constexpr size_t kTickets = 16;  // outcomes remembered; more than kOutSlots, so a queued one is never forgotten
  static_assert(kTickets > kOutSlots, "a queued publish's outcome must not be overwritten");

  // client must outlive the transport; the transport becomes its handler.
  explicit NetworkThreadTransport(BlockingMqttClient& client, NetworkThreadConfig config = {});
  ~NetworkThreadTransport() override;  // stop()
  NetworkThreadTransport(const NetworkThreadTransport&) = delete;
  NetworkThreadTransport& operator=(const NetworkThreadTransport&) = delete;

  bool start();  // starts the network thread; false when it cannot be created
  // Sends what is queued (if online), closes the session and joins the thread. Waits for a blocking
  // call under way to return by its own timeout.
  void stop();

  void setHandler(MqttMessageHandler* handler) override { handler_ = handler; }
  bool connect(const MqttConnectOptions& options) override;  // false while an attempt or a close is under way
  ConnectStep connectStep() override;
  bool connected() override;
  void disconnect() override;  // queued messages still go out first; an attempt is abandoned
  bool subscribe(const char* topic, uint8_t qos) override;  // queued; a refused subscription ends the session
  bool publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) override;  // queued
  void loop() override;  // hands what arrived to the handler
  uint32_t publishTicket() override { return lastTicket_; }
  Delivery delivery(uint32_t ticket) override;

  // Nothing queued and no attempt or close under way (e.g. a factory reset's publish has its answer).
  bool idle();
  uint32_t droppedMessages();  // arrived while the in queue was full, or too large for a slot

 private:
  enum class Phase : uint8_t { Idle, Connecting, Online, Closing };
  enum class OpKind : uint8_t { Publish, Subscribe };
  struct Op {
    OpKind kind = OpKind::Publish;
    uint32_t ticket = 0;
    uint8_t qos = 0;
    bool retain = false;
    size_t len = 0;
    char topic[kMaxTopic] = {};
    char payload[kMaxPayload] = {};
  };
  struct Message {
    size_t len = 0;
    char topic[kMaxTopic] = {};
    char payload[kMaxPayload] = {};
  };
  struct Outcome {
    uint32_t ticket = 0;
    Delivery delivery = Delivery::Failed;
  };
  // The options' strings, owned: the app's may change while the thread still connects with them.
  struct OwnedOptions {
    char clientId[kDeviceIdMax + 8] = {};
    char username[kDeviceIdMax + 8] = {};
    char password[kSigHexLen + 8] = {};
    char willTopic[kMaxTopic] = {};
    char willPayload[16] = {};
    MqttConnectOptions view;  // points into the arrays above
    bool copy(const MqttConnectOptions& from);  // false when a string does not fit
  };
  // The client's handler, on the network thread: copies into the in queue.
  struct Receiver : MqttMessageHandler {
    NetworkThreadTransport* owner = nullptr;
    void onMqttMessage(const char* topic, const char* payload, size_t len) override;
  };
  struct Progress : ConnectProgress {
    NetworkThreadTransport* owner = nullptr;
    void step(ConnectStep step) override;
    bool abandoned() override;
  };
  using Lock = std::unique_lock<std::mutex>;

  void run();  // the network thread
  void connectNow(Lock& lock);
  void sendNext(Lock& lock);
  void pump(Lock& lock);
  void closeNow(Lock& lock);
  void sessionLost(Lock& lock);
  void failQueued();  // mutex held
  void settle(uint32_t ticket, Delivery delivery);  // mutex held
  bool enqueue(OpKind kind, const char* topic, const char* payload, size_t len, uint8_t qos, bool retain);

  BlockingMqttClient& client_;
  NetworkThreadConfig cfg_;
  MqttMessageHandler* handler_ = nullptr;  // loop task only
  uint32_t lastTicket_ = 0;                // loop task only
  Receiver receiver_;
  Progress progress_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  // Guarded by mutex_. A slot's contents are written only while it is free and read only while it is
  // queued, so the reader may use it without the mutex (the out head while sending, the in head while handing over).
  Phase phase_ = Phase::Idle;
  ConnectStep step_ = ConnectStep::Failed;
  bool stopping_ = false;
  OwnedOptions options_;  // rewritten only by connect(), i.e. while the thread is not connecting
  Op out_[kOutSlots];
  size_t outHead_ = 0, outCount_ = 0;
  Message in_[kInSlots];
  size_t inHead_ = 0, inCount_ = 0;
  Outcome outcomes_[kTickets];
  uint32_t nextTicket_ = 1;
  uint32_t dropped_ = 0;
};

}  // namespace smartlock
