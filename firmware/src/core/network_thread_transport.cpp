#include "network_thread_transport.h"

#include <chrono>
#include <cstring>
#include <system_error>

namespace smartlock {

namespace {
bool copyText(char* out, size_t cap, const char* in) {
  if (in == nullptr) return true;  // stays empty; view keeps nullptr
  const size_t n = std::strlen(in);
  if (n >= cap) return false;
  std::memcpy(out, in, n + 1);
  return true;
}
const char* orNull(const char* owned, const char* original) { return original == nullptr ? nullptr : owned; }
}  // namespace

bool NetworkThreadTransport::OwnedOptions::copy(const MqttConnectOptions& from) {
  if (!copyText(clientId, sizeof clientId, from.clientId) || !copyText(username, sizeof username, from.username) ||
      !copyText(password, sizeof password, from.password) || !copyText(willTopic, sizeof willTopic, from.willTopic) ||
      !copyText(willPayload, sizeof willPayload, from.willPayload)) {
    return false;
  }
  view = from;
  view.clientId = orNull(clientId, from.clientId);
  view.username = orNull(username, from.username);
  view.password = orNull(password, from.password);
  view.willTopic = orNull(willTopic, from.willTopic);
  view.willPayload = orNull(willPayload, from.willPayload);
  return true;
}

NetworkThreadTransport::NetworkThreadTransport(BlockingMqttClient& client, NetworkThreadConfig config)
    : client_(client), cfg_(config) {
  receiver_.owner = this;
  progress_.owner = this;
  client_.setHandler(&receiver_);
}

NetworkThreadTransport::~NetworkThreadTransport() {
  stop();
  client_.setHandler(nullptr);  // it outlives this transport
}

bool NetworkThreadTransport::start() {
  if (thread_.joinable()) return true;
  try {
    thread_ = std::thread(&NetworkThreadTransport::run, this);
  } catch (const std::system_error&) {
    return false;  // no memory for the thread's stack
  }
  return true;
}

void NetworkThreadTransport::stop() {
  if (!thread_.joinable()) return;
  {
    Lock lock(mutex_);
    stopping_ = true;
    if (phase_ == Phase::Online) phase_ = Phase::Closing;  // what is queued goes out first
  }
  wake_.notify_all();
  thread_.join();
}

// ---- the loop task's side: bookkeeping under the mutex, never a wait for the network ----

bool NetworkThreadTransport::connect(const MqttConnectOptions& options) {
  {
    Lock lock(mutex_);
    if (!thread_.joinable() || stopping_ || phase_ != Phase::Idle) return false;
    if (!options_.copy(options)) return false;
    phase_ = Phase::Connecting;
    step_ = ConnectStep::Resolving;
  }
  wake_.notify_all();
  return true;
}

ConnectStep NetworkThreadTransport::connectStep() {
  Lock lock(mutex_);
  return step_;
}

bool NetworkThreadTransport::connected() {
  Lock lock(mutex_);
  return phase_ == Phase::Online;
}

void NetworkThreadTransport::disconnect() {
  {
    Lock lock(mutex_);
    if (phase_ == Phase::Connecting || phase_ == Phase::Online) phase_ = Phase::Closing;
    step_ = ConnectStep::Failed;  // no attempt in progress any more
  }
  wake_.notify_all();
}

bool NetworkThreadTransport::subscribe(const char* topic, uint8_t qos) {
  return enqueue(OpKind::Subscribe, topic, nullptr, 0, qos, false);
}

bool NetworkThreadTransport::publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) {
  return enqueue(OpKind::Publish, topic, payload, len, qos, retain);
}

bool NetworkThreadTransport::enqueue(OpKind kind, const char* topic, const char* payload, size_t len, uint8_t qos,
                                     bool retain) {
  if (topic == nullptr || std::strlen(topic) >= kMaxTopic || len > kMaxPayload || (len > 0 && payload == nullptr)) {
    return false;
  }
  {
    Lock lock(mutex_);
    if (phase_ != Phase::Online || outCount_ == kOutSlots) return false;
    Op& op = out_[(outHead_ + outCount_) % kOutSlots];
    op.kind = kind;
    op.qos = qos;
    op.retain = retain;
    op.len = len;
    std::memcpy(op.topic, topic, std::strlen(topic) + 1);
    if (len > 0) std::memcpy(op.payload, payload, len);
    op.ticket = nextTicket_;
    nextTicket_ = nextTicket_ == UINT32_MAX ? 1 : nextTicket_ + 1;  // 0 means "no ticket"
    settle(op.ticket, Delivery::Pending);
    lastTicket_ = op.ticket;
    ++outCount_;
  }
  wake_.notify_all();
  return true;
}

Delivery NetworkThreadTransport::delivery(uint32_t ticket) {
  Lock lock(mutex_);
  const Outcome& o = outcomes_[ticket % kTickets];
  return o.ticket == ticket ? o.delivery : Delivery::Failed;  // forgotten: long settled, so say failed (sent again)
}

void NetworkThreadTransport::loop() {
  size_t waiting = 0;
  {
    Lock lock(mutex_);
    waiting = inCount_;
  }
  // Only what had arrived when this pass began: a busy broker cannot keep the loop here.
  for (size_t i = 0; i < waiting; ++i) {
    const Message& m = in_[inHead_];  // queued: the network thread does not write it
    if (handler_ != nullptr) handler_->onMqttMessage(m.topic, m.payload, m.len);
    Lock lock(mutex_);
    inHead_ = (inHead_ + 1) % kInSlots;
    --inCount_;
  }
}

bool NetworkThreadTransport::idle() {
  Lock lock(mutex_);
  return outCount_ == 0 && (phase_ == Phase::Idle || phase_ == Phase::Online);
}

uint32_t NetworkThreadTransport::droppedMessages() {
  Lock lock(mutex_);
  return dropped_;
}

void NetworkThreadTransport::settle(uint32_t ticket, Delivery d) { outcomes_[ticket % kTickets] = Outcome{ticket, d}; }

void NetworkThreadTransport::failQueued() {
  for (; outCount_ > 0; --outCount_, outHead_ = (outHead_ + 1) % kOutSlots) settle(out_[outHead_].ticket, Delivery::Failed);
}

// ---- the network thread: the only caller of the client ----

void NetworkThreadTransport::Receiver::onMqttMessage(const char* topic, const char* payload, size_t len) {
  NetworkThreadTransport& t = *owner;
  Lock lock(t.mutex_);
  if (topic == nullptr || std::strlen(topic) >= kMaxTopic || len > kMaxPayload || (len > 0 && payload == nullptr) ||
      t.inCount_ == kInSlots) {
    ++t.dropped_;
    return;
  }
  Message& m = t.in_[(t.inHead_ + t.inCount_) % kInSlots];
  std::memcpy(m.topic, topic, std::strlen(topic) + 1);
  if (len > 0) std::memcpy(m.payload, payload, len);
  m.len = len;
  ++t.inCount_;
}

void NetworkThreadTransport::Progress::step(ConnectStep s) {
  Lock lock(owner->mutex_);
  if (owner->phase_ == Phase::Connecting) owner->step_ = s;
}

bool NetworkThreadTransport::Progress::abandoned() {
  Lock lock(owner->mutex_);
  return owner->phase_ != Phase::Connecting || owner->stopping_;
}

void NetworkThreadTransport::run() {
  Lock lock(mutex_);
  for (;;) {
    switch (phase_) {
      case Phase::Idle:
        if (stopping_) return;
        wake_.wait_for(lock, std::chrono::milliseconds(cfg_.idleWaitMs), [this] { return phase_ != Phase::Idle || stopping_; });
        break;
      case Phase::Connecting: connectNow(lock); break;
      case Phase::Online:
      case Phase::Closing:
        if (outCount_ > 0) sendNext(lock);
        else if (phase_ == Phase::Closing) closeNow(lock);
        else pump(lock);
        break;
    }
  }
}

void NetworkThreadTransport::connectNow(Lock& lock) {
  const MqttConnectOptions options = options_.view;  // its strings: options_, which connect() leaves alone meanwhile
  lock.unlock();
  const bool ok = client_.connect(options, progress_);  // blocks: DNS, TCP, TLS, CONNACK
  lock.lock();
  if (ok && phase_ == Phase::Connecting && !stopping_) {
    phase_ = Phase::Online;
    return;
  }
  // Failed, abandoned meanwhile, or stopping: close what the attempt opened before another may start.
  if (phase_ == Phase::Connecting) step_ = ConnectStep::Failed;  // the app sees the failure at its next pass
  closeNow(lock);
}

void NetworkThreadTransport::sendNext(Lock& lock) {
  const Op& op = out_[outHead_];  // queued: the loop task does not write it
  lock.unlock();
  bool ok = client_.connected();
  if (ok) {
    ok = op.kind == OpKind::Publish ? client_.publish(op.topic, op.payload, op.len, op.qos, op.retain)
                                    : client_.subscribe(op.topic, op.qos);
  }
  // Without its subscription the lock would never hear a command: such a session is ended.
  const bool up = client_.connected() && (ok || op.kind != OpKind::Subscribe);
  lock.lock();
  settle(op.ticket, ok ? Delivery::Delivered : Delivery::Failed);
  outHead_ = (outHead_ + 1) % kOutSlots;
  --outCount_;
  if (!up) sessionLost(lock);
}

void NetworkThreadTransport::pump(Lock& lock) {
  lock.unlock();
  client_.loop();
  const bool up = client_.connected();
  lock.lock();
  if (!up) {
    sessionLost(lock);
    return;
  }
  wake_.wait_for(lock, std::chrono::milliseconds(cfg_.pumpMs),
                 [this] { return outCount_ > 0 || phase_ != Phase::Online || stopping_; });
}

void NetworkThreadTransport::sessionLost(Lock& lock) {
  failQueued();
  step_ = ConnectStep::Failed;
  closeNow(lock);
}

// Mutex held on entry and on return; the phase stays Connecting/Online/Closing until the socket is
// closed, so connect() cannot start another attempt over a half-closed one.
void NetworkThreadTransport::closeNow(Lock& lock) {
  if (phase_ == Phase::Online || phase_ == Phase::Connecting) phase_ = Phase::Closing;
  lock.unlock();
  client_.disconnect();
  lock.lock();
  failQueued();  // none left after a drain; a session lost meanwhile leaves its queue unsent
  phase_ = Phase::Idle;
}

}  // namespace smartlock
