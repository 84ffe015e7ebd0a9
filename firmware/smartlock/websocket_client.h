// An Arduino Client that speaks MQTT over WebSockets (docs/protocol.md §12.3) through another
// Client beneath it: WiFiClientSecure for wss://<domain>/mqtt on a PaaS that exposes only HTTPS.
// The framing is the host-tested core's WebSocketStream; this only moves bytes between it and the
// Client beneath, so arduino-mqtt runs over it unchanged. Like WiFiClientSecure, connect() blocks
// (TLS, then the WebSocket handshake) for at most kConnectTimeoutMs.
#pragma once
#include <Arduino.h>
#include <Client.h>

#include <cstring>

#include "websocket_stream.h"

class WebSocketClient : public Client {
 public:
  static constexpr uint32_t kConnectTimeoutMs = 5000;

  // path: e.g. "/mqtt". random: the handshake key and the frame masks.
  WebSocketClient(Client& beneath, smartlock::Random& random, const char* path) : net_(beneath), ws_(config(path), random) {}

  int connect(const char* host, uint16_t port) override {
    stop();
    if (!net_.connect(host, port)) return 0;
    return handshake(host) ? 1 : 0;
  }
  // The WebSocket opening handshake over the Client beneath, already connected (the MQTT transport
  // connects it itself to the IP it resolved without blocking). host: for the Host header.
  bool handshake(const char* host) {
    std::strncpy(host_, host, sizeof host_ - 1);  // the stream's Host header points here
    host_[sizeof host_ - 1] = '\0';
    carryAt_ = carryLen_ = 0;
    if (!ws_.begin()) return stop(), false;
    const uint32_t start = millis();
    while (!ws_.isOpen() && ws_.state() != smartlock::WsState::Closed && millis() - start < kConnectTimeoutMs) {
      if (!pump()) delay(1);
    }
    if (!ws_.isOpen()) return stop(), false;
    return true;
  }
  // The Host header needs the name the certificate and the PaaS's router know: no bare IPs.
  int connect(IPAddress, uint16_t) override { return 0; }
  // Arduino-ESP32 3.x adds these to Client (2.x does not: then they are plain overloads).
  int connect(const char* host, uint16_t port, int32_t /*timeoutMs: kConnectTimeoutMs bounds it*/) { return connect(host, port); }
  int connect(IPAddress ip, uint16_t port, int32_t /*timeoutMs*/) { return connect(ip, port); }

  size_t write(uint8_t b) override { return write(&b, 1); }
  size_t write(const uint8_t* buf, size_t size) override {
    size_t done = 0;
    while (done < size && ws_.isOpen()) {
      const size_t n = ws_.write(buf + done, size - done);
      done += n;
      if (!flushOutput()) break;
      if (n == 0) pump();  // a full output buffer: make room
    }
    return done;
  }
  int available() override {
    pump();
    return static_cast<int>(ws_.available());
  }
  int read() override {
    uint8_t b;
    return read(&b, 1) == 1 ? b : -1;
  }
  int read(uint8_t* buf, size_t size) override {
    pump();
    const size_t n = ws_.read(buf, size);
    return n > 0 ? static_cast<int>(n) : -1;
  }
  int peek() override {
    pump();
    return ws_.peek();
  }
  void flush() override { flushOutput(); }
  void stop() override {
    if (ws_.isOpen()) {
      ws_.close();
      flushOutput();
    }
    net_.stop();
    carryAt_ = carryLen_ = 0;
  }
  // Open, or closed with bytes still to read (as Arduino clients report).
  uint8_t connected() override { return (ws_.isOpen() && net_.connected()) || ws_.available() > 0; }
  operator bool() override { return connected(); }

  smartlock::WsCloseReason closeReason() const { return ws_.reason(); }

 private:
  smartlock::WebSocketConfig config(const char* path) {
    smartlock::WebSocketConfig c;
    c.host = host_;
    c.path = path;
    c.port = 0;  // 443 behind the PaaS: the default port, left out of Host
    return c;
  }

  // Sends what the stream has queued; false if the connection beneath failed.
  bool flushOutput() {
    size_t len;
    while (const uint8_t* out = ws_.output(len)) {
      if (len == 0) return true;
      const size_t sent = net_.write(out, len);
      if (sent == 0) return false;
      ws_.consumed(sent);
    }
    return true;
  }

  // Received bytes into the stream (as far as it takes them: the rest waits in carry_), its output
  // out. True if anything moved.
  bool pump() {
    bool moved = false;
    for (;;) {
      if (carryAt_ == carryLen_) {
        if (net_.available() <= 0) break;
        const int n = net_.read(carry_, sizeof carry_);
        if (n <= 0) break;
        carryAt_ = 0;
        carryLen_ = static_cast<size_t>(n);
      }
      size_t took = ws_.feed(carry_ + carryAt_, carryLen_ - carryAt_);
      if (took == 0) {
        flushOutput();  // a pong waiting to go out may be what blocks it
        took = ws_.feed(carry_ + carryAt_, carryLen_ - carryAt_);
        if (took == 0) break;  // the reader is behind
      }
      carryAt_ += took;
      moved = true;
    }
    flushOutput();
    return moved;
  }

  Client& net_;
  char host_[96] = "";
  smartlock::WebSocketStream ws_;
  uint8_t carry_[256];
  size_t carryAt_ = 0;
  size_t carryLen_ = 0;
};
