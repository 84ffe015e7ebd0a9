#include "websocket_mqtt_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "mqtt_packets.h"

namespace host {
namespace {

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A blocking TCP connect (the host is the lab: the ESP32's WiFiClientSecure blocks the same way),
// then non-blocking for the session.
int dial(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(res);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

}  // namespace

bool parseWebSocketUrl(const std::string& url, WebSocketUrl& out) {
  if (url.rfind("ws://", 0) != 0) return false;
  std::string rest = url.substr(5);
  const size_t slash = rest.find('/');
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  rest = rest.substr(0, slash);
  out.port = 80;
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    try {
      out.port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
      return false;
    }
    rest = rest.substr(0, colon);
  }
  out.host = rest;
  return !out.host.empty() && out.port > 0 && out.port < 65536;
}

bool WebSocketMqttTransport::connect(const smartlock::MqttConnectOptions& options) {
  drop();
  fd_ = dial(url_.host, url_.port);
  if (fd_ < 0) {
    log("ws: cannot reach " + url_.host + ":" + std::to_string(url_.port));
    return false;
  }
  wsConfig_ = {};
  wsConfig_.host = url_.host.c_str();
  wsConfig_.port = url_.port == 80 ? 0 : static_cast<uint16_t>(url_.port);
  wsConfig_.path = url_.path.c_str();
  ws_ = std::make_unique<smartlock::WebSocketStream>(wsConfig_, random_);
  if (!ws_->begin()) {
    log(std::string("ws: ") + smartlock::describe(ws_->reason()));
    drop();
    return false;
  }
  keepAliveS_ = options.keepAliveS;
  pendingOut_ = mqtt::connect(options);  // goes out once the handshake is done
  pump();
  return fd_ >= 0;
}

void WebSocketMqttTransport::disconnect() {
  if (ws_ && ws_->isOpen() && connected_) {
    send(mqtt::disconnect());
    ws_->close();
    pump();
  }
  drop();
}

bool WebSocketMqttTransport::subscribe(const char* topic, uint8_t qos) {
  return connected_ && send(mqtt::subscribe(topic, qos, nextId_++));
}

bool WebSocketMqttTransport::publish(const char* topic, const char* payload, size_t len, uint8_t qos, bool retain) {
  if (!connected_) return false;
  if (nextId_ == 0) nextId_ = 1;
  return send(mqtt::publish(topic, payload, len, qos, retain, nextId_++));  // QoS 1 acks are not awaited
}

bool WebSocketMqttTransport::send(const std::string& packet) {
  pendingOut_ += packet;
  pump();
  return fd_ >= 0;
}

void WebSocketMqttTransport::loop() {
  if (fd_ < 0) return;
  if (connected_ && nowMs() - lastSendMs_ >= keepAliveS_ * 500LL) send(mqtt::pingreq());
  pump();
}

// Moves bytes every way it can: MQTT -> stream -> socket, socket -> stream -> MQTT packets.
void WebSocketMqttTransport::pump() {
  while (fd_ >= 0 && ws_) {
    bool moved = false;
    if (ws_->isOpen() && !pendingOut_.empty()) {
      const size_t n = ws_->write(reinterpret_cast<const uint8_t*>(pendingOut_.data()), pendingOut_.size());
      pendingOut_.erase(0, n);
      moved |= n > 0;
      if (n > 0) lastSendMs_ = nowMs();
    }
    size_t len;
    if (const uint8_t* out = ws_->output(len); len > 0) {
      const ssize_t sent = ::send(fd_, out, len, MSG_NOSIGNAL);
      if (sent > 0) ws_->consumed(static_cast<size_t>(sent)), moved = true;
      else if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return log("ws: send failed"), drop();
    }
    if (netIn_.size() < 4096) {
      char buf[2048];
      const ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
      if (got > 0) netIn_.append(buf, static_cast<size_t>(got)), moved = true;
      else if (got == 0) return log("ws: the server closed the connection"), drop();
      else if (errno != EAGAIN && errno != EWOULDBLOCK) return log("ws: receive failed"), drop();
    }
    if (!netIn_.empty()) {
      const size_t took = ws_->feed(reinterpret_cast<const uint8_t*>(netIn_.data()), netIn_.size());
      netIn_.erase(0, took);
      moved |= took > 0;
    }
    uint8_t buf[512];
    while (const size_t got = ws_->read(buf, sizeof buf)) mqttIn_.append(reinterpret_cast<char*>(buf), got), moved = true;
    onPacket();
    if (!ws_) return;
    if (ws_->state() == smartlock::WsState::Closed && ws_->outputSize() == 0) {
      const bool handshake = ws_->reason() == smartlock::WsCloseReason::BadHandshake;
      return log(std::string("ws: ") + smartlock::describe(ws_->reason()) +
                 (handshake ? std::string(": ") + smartlock::ws::describe(ws_->handshakeError()) : "")),
             drop();
    }
    if (!moved) return;
  }
}

void WebSocketMqttTransport::onPacket() {
  mqtt::Packet p;
  bool bad = false;
  while (ws_ && mqtt::take(mqttIn_, p, bad)) {
    switch (p.type) {
      case mqtt::Type::Connack:
        if (p.body.size() == 2 && p.body[1] == 0) {
          connected_ = true;
        } else {
          log("mqtt: CONNACK refused, code " + std::to_string(p.body.size() == 2 ? static_cast<uint8_t>(p.body[1]) : -1));
          return drop();
        }
        break;
      case mqtt::Type::Publish: {
        std::string topic, payload;
        uint16_t id = 0;
        if (!mqtt::parsePublish(p, topic, id, payload)) return log("mqtt: malformed PUBLISH"), drop();
        if (id != 0) pendingOut_ += mqtt::puback(id);
        if (handler_ != nullptr) handler_->onMqttMessage(topic.c_str(), payload.data(), payload.size());
        break;
      }
      case mqtt::Type::Suback:
        if (p.body.size() >= 3 && static_cast<uint8_t>(p.body[2]) == 0x80) log("mqtt: subscription refused");
        break;
      default: break;  // PUBACK, PINGRESP
    }
  }
  if (bad) log("mqtt: malformed packet"), drop();
}

void WebSocketMqttTransport::drop() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  connected_ = false;
  ws_.reset();
  pendingOut_.clear();
  netIn_.clear();
  mqttIn_.clear();
}

void WebSocketMqttTransport::log(const std::string& line) {
  if (logger_ != nullptr) logger_->log(line.c_str());
}

}  // namespace host
