// An RFC 6455 WebSocket client as a byte stream, for MQTT over WebSockets (docs/protocol.md §12.3):
// the MQTT client writes and reads plain bytes; this adds the handshake and the framing. It never
// touches a socket: the caller feeds what the network delivered and sends what output() holds,
// so it never blocks and works over any transport (WiFiClientSecure on the ESP32, TCP on the host).
// Every buffer is fixed: input is taken only as far as there is room for what it produces.
#pragma once
#include <cstddef>
#include <cstdint>

#include "byte_ring.h"
#include "ports.h"
#include "websocket_handshake.h"

namespace smartlock {

struct WebSocketConfig {
  const char* host = nullptr;  // Host header
  uint16_t port = 0;           // in the Host header unless 0 (the scheme's default port)
  const char* path = "/mqtt";
  size_t maxMessage = 4096;    // a data message (all its fragments) larger than this closes with 1009
};

enum class WsState : uint8_t { Idle, Handshaking, Open, Closing, Closed };

// Why the stream is Closed. Every refusal of the server's bytes has its own name.
enum class WsCloseReason : uint8_t {
  None,
  RequestTooLong,          // host + path do not fit the output buffer
  HandshakeTooLong,        // the response head exceeds kHeadCap
  BadHandshake,            // see handshakeError()
  MaskedFrame,             // a server must not mask (RFC 6455 §5.1)
  ReservedBits,            // RSV1-3 set: no extension was negotiated
  TextFrame,               // MQTT travels in binary frames only
  UnknownOpcode,
  BadControlFrame,         // fragmented, or a payload over 125 bytes
  UnexpectedContinuation,  // continuation with no message started
  InterleavedMessage,      // a new data message before the last one's final fragment
  Oversize,                // message over maxMessage (or a 64-bit length with its top bit set)
  ServerClosed,            // the server sent Close; closeCode() says why
  ClientClosed,            // close() was called and the server answered
};
const char* describe(WsCloseReason r);

class WebSocketStream {
 public:
  static constexpr size_t kInCap = 1024;   // received payload not yet read
  static constexpr size_t kOutCap = 1024;  // frames (and the request) not yet sent
  static constexpr size_t kHeadCap = 1024; // the server's response head
  // Output kept free for a Pong or a Close: a frame starts being read only with this much room.
  static constexpr size_t kControlReserve = 2 + 4 + 125;
  static_assert(kOutCap < 65536 && kOutCap > kControlReserve + 8, "frames written use 7- or 16-bit lengths");

  // random: the Sec-WebSocket-Key and every frame's mask (RFC 6455 §10.3 wants them unpredictable).
  WebSocketStream(const WebSocketConfig& config, Random& random) : config_(config), random_(random) {}

  // Starts a connection (again): forgets the last one and queues the opening handshake; false
  // (Closed, RequestTooLong) if it does not fit.
  bool begin();

  // Network side. feed() returns how many bytes it took; offer the rest again later.
  size_t feed(const uint8_t* data, size_t n);
  const uint8_t* output(size_t& len) const { return out_.front(len); }  // contiguous bytes to send
  void consumed(size_t n) { out_.drop(n); }                               // n of them were sent
  size_t outputSize() const { return out_.size(); }

  // Stream side (what an MQTT client sees). write() sends up to n bytes as one masked binary frame
  // and returns how many (0 when not Open or the output is full).
  size_t write(const uint8_t* data, size_t n);
  size_t available() const { return in_.size(); }
  size_t read(uint8_t* out, size_t cap) { return in_.pop(out, cap); }
  int peek() const { return in_.peek(); }

  // Starts the closing handshake (RFC 6455 §7.1.2); Closed once the server's Close arrives.
  void close(uint16_t code = 1000);

  WsState state() const { return state_; }
  bool isOpen() const { return state_ == WsState::Open; }
  WsCloseReason reason() const { return reason_; }
  ws::HandshakeError handshakeError() const { return handshakeError_; }
  uint16_t closeCode() const { return closeCode_; }  // the server's Close status code, 0 if none

 private:
  enum class Op : uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

  size_t feedHandshake(const uint8_t* data, size_t n);
  size_t feedFrames(const uint8_t* data, size_t n);
  bool acceptHeader();  // false: the frame was refused (Closed)
  void finishControl();
  void queueFrame(Op op, const uint8_t* payload, size_t n);
  void fail(WsCloseReason reason, uint16_t code);

  WebSocketConfig config_;
  Random& random_;
  WsState state_ = WsState::Idle;
  WsCloseReason reason_ = WsCloseReason::None;
  ws::HandshakeError handshakeError_ = ws::HandshakeError::None;
  uint16_t closeCode_ = 0;
  char key_[ws::kKeyLen + 1] = "";

  ByteRing<kInCap> in_;
  ByteRing<kOutCap> out_;
  char head_[kHeadCap];
  size_t headLen_ = 0;

  // The frame being read.
  uint8_t header_[10] = {};
  size_t headerLen_ = 0;
  Op op_ = Op::Binary;
  bool fin_ = false;
  uint64_t remaining_ = 0;  // payload bytes still to come
  uint8_t control_[125] = {};
  size_t controlLen_ = 0;
  // The data message being read (possibly over several fragments).
  bool inMessage_ = false;
  uint64_t messageSize_ = 0;
};

}  // namespace smartlock
