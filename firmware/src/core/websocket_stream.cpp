#include "websocket_stream.h"

#include <cstring>

namespace smartlock {
namespace {

// Close status codes (RFC 6455 §7.4.1); 1000, normal, is close()'s default.
constexpr uint16_t kProtocolError = 1002;
constexpr uint16_t kUnsupportedData = 1003;
constexpr uint16_t kTooBig = 1009;

// The header's length once its first two bytes are known.
size_t headerSize(uint8_t second) {
  const uint8_t len7 = second & 0x7f;
  return len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
}

}  // namespace

const char* describe(WsCloseReason r) {
  switch (r) {
    case WsCloseReason::None: return "open";
    case WsCloseReason::RequestTooLong: return "host and path too long for the request";
    case WsCloseReason::HandshakeTooLong: return "handshake response too long";
    case WsCloseReason::BadHandshake: return "handshake refused";
    case WsCloseReason::MaskedFrame: return "masked frame from the server";
    case WsCloseReason::ReservedBits: return "reserved bits set";
    case WsCloseReason::TextFrame: return "text frame (MQTT needs binary)";
    case WsCloseReason::UnknownOpcode: return "unknown opcode";
    case WsCloseReason::BadControlFrame: return "fragmented or oversized control frame";
    case WsCloseReason::UnexpectedContinuation: return "continuation without a message";
    case WsCloseReason::InterleavedMessage: return "new message before the last one ended";
    case WsCloseReason::Oversize: return "message too large";
    case WsCloseReason::ServerClosed: return "closed by the server";
    case WsCloseReason::ClientClosed: return "closed";
  }
  return "?";
}

bool WebSocketStream::begin() {
  // A new connection: nothing of the last one survives.
  in_ = {};
  out_ = {};
  reason_ = WsCloseReason::None;
  handshakeError_ = ws::HandshakeError::None;
  closeCode_ = 0;
  headLen_ = headerLen_ = controlLen_ = 0;
  remaining_ = messageSize_ = 0;
  inMessage_ = false;
  uint8_t nonce[16];
  for (size_t i = 0; i < sizeof nonce; i += 4) {
    const uint32_t r = random_.next();
    std::memcpy(nonce + i, &r, 4);
  }
  ws::makeKey(nonce, key_);
  char request[kOutCap];
  const size_t n = ws::writeRequest(config_.host, config_.port, config_.path, key_, request, sizeof request);
  if (n == 0 || config_.host == nullptr) {
    state_ = WsState::Closed;
    reason_ = WsCloseReason::RequestTooLong;
    return false;
  }
  out_.push(reinterpret_cast<const uint8_t*>(request), n);
  state_ = WsState::Handshaking;
  return true;
}

size_t WebSocketStream::feed(const uint8_t* data, size_t n) {
  size_t taken = 0;
  if (state_ == WsState::Handshaking) taken = feedHandshake(data, n);
  if (state_ == WsState::Open || state_ == WsState::Closing) taken += feedFrames(data + taken, n - taken);
  if (state_ == WsState::Closed || state_ == WsState::Idle) return n;  // nothing more is read
  return taken;
}

size_t WebSocketStream::feedHandshake(const uint8_t* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (headLen_ == kHeadCap) {
      fail(WsCloseReason::HandshakeTooLong, 0);
      return i;
    }
    head_[headLen_++] = static_cast<char>(data[i]);
    if (headLen_ >= 4 && std::memcmp(head_ + headLen_ - 4, "\r\n\r\n", 4) == 0) {
      handshakeError_ = ws::checkResponse(head_, headLen_ - 4, key_);
      if (handshakeError_ != ws::HandshakeError::None) fail(WsCloseReason::BadHandshake, 0);
      else state_ = WsState::Open;
      return i + 1;  // what follows is frames
    }
  }
  return n;
}

size_t WebSocketStream::feedFrames(const uint8_t* data, size_t n) {
  size_t i = 0;
  while (i < n && (state_ == WsState::Open || state_ == WsState::Closing)) {
    if (headerLen_ == 0 && remaining_ == 0 && state_ == WsState::Open && out_.free() < kControlReserve) break;
    const bool inHeader = headerLen_ < 2 || headerLen_ < headerSize(header_[1]);
    if (inHeader) {
      header_[headerLen_++] = data[i++];
      if (headerLen_ >= 2 && headerLen_ == headerSize(header_[1])) {
        if (!acceptHeader()) break;
        if (remaining_ == 0) {
          headerLen_ = 0;
          if (op_ >= Op::Close) finishControl();
          else if (fin_) inMessage_ = false;
        }
      }
      continue;
    }
    // Payload.
    size_t chunk = static_cast<size_t>(remaining_ < n - i ? remaining_ : n - i);
    if (op_ >= Op::Close) {
      std::memcpy(control_ + controlLen_, data + i, chunk);
      controlLen_ += chunk;
    } else if (state_ == WsState::Open) {
      chunk = in_.push(data + i, chunk);
      if (chunk == 0) break;  // the reader is behind: take the rest later
    }  // data after our Close is dropped
    i += chunk;
    remaining_ -= chunk;
    if (remaining_ == 0) {
      headerLen_ = 0;
      if (op_ >= Op::Close) finishControl();
      else if (fin_) inMessage_ = false;
    }
  }
  return i;
}

bool WebSocketStream::acceptHeader() {
  fin_ = (header_[0] & 0x80) != 0;
  op_ = static_cast<Op>(header_[0] & 0x0f);
  uint64_t len = header_[1] & 0x7f;
  if (len == 126) len = static_cast<uint64_t>(header_[2]) << 8 | header_[3];
  if (len == 127) {
    len = 0;
    for (size_t k = 2; k < 10; ++k) len = len << 8 | header_[k];
  }
  if ((header_[0] & 0x70) != 0) return fail(WsCloseReason::ReservedBits, kProtocolError), false;
  if ((header_[1] & 0x80) != 0) return fail(WsCloseReason::MaskedFrame, kProtocolError), false;
  if (len >> 63 != 0) return fail(WsCloseReason::Oversize, kTooBig), false;
  switch (op_) {
    case Op::Text: return fail(WsCloseReason::TextFrame, kUnsupportedData), false;
    case Op::Continuation:
      if (!inMessage_) return fail(WsCloseReason::UnexpectedContinuation, kProtocolError), false;
      messageSize_ += len;
      break;
    case Op::Binary:
      if (inMessage_) return fail(WsCloseReason::InterleavedMessage, kProtocolError), false;
      inMessage_ = true;
      messageSize_ = len;
      break;
    case Op::Close:
    case Op::Ping:
    case Op::Pong:
      if (!fin_ || len > sizeof control_) return fail(WsCloseReason::BadControlFrame, kProtocolError), false;
      controlLen_ = 0;
      break;
    default: return fail(WsCloseReason::UnknownOpcode, kProtocolError), false;
  }
  if (op_ < Op::Close && messageSize_ > config_.maxMessage) return fail(WsCloseReason::Oversize, kTooBig), false;
  remaining_ = len;
  return true;
}

void WebSocketStream::finishControl() {
  if (op_ == Op::Ping && state_ == WsState::Open) {
    queueFrame(Op::Pong, control_, controlLen_);  // room was reserved before the frame was read
  } else if (op_ == Op::Close) {
    closeCode_ = controlLen_ >= 2 ? static_cast<uint16_t>(control_[0] << 8 | control_[1]) : uint16_t{0};
    if (state_ == WsState::Open) {
      queueFrame(Op::Close, control_, controlLen_ >= 2 ? 2 : 0);  // echo the code (RFC 6455 §5.5.1)
      reason_ = WsCloseReason::ServerClosed;
    } else {
      reason_ = WsCloseReason::ClientClosed;
    }
    state_ = WsState::Closed;
  }
}

size_t WebSocketStream::write(const uint8_t* data, size_t n) {
  if (state_ != WsState::Open || n == 0) return 0;
  const size_t room = out_.free();
  if (room < kControlReserve + 8 + 1) return 0;
  const size_t take = n < room - kControlReserve - 8 ? n : room - kControlReserve - 8;
  queueFrame(Op::Binary, data, take);
  return take;
}

void WebSocketStream::close(uint16_t code) {
  if (state_ != WsState::Open) {
    if (state_ != WsState::Closing) state_ = WsState::Closed;
    return;
  }
  const uint8_t payload[2] = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code & 0xff)};
  queueFrame(Op::Close, payload, sizeof payload);
  state_ = WsState::Closing;
}

void WebSocketStream::queueFrame(Op op, const uint8_t* payload, size_t n) {
  uint8_t header[8];
  size_t h = 0;
  header[h++] = static_cast<uint8_t>(0x80 | static_cast<uint8_t>(op));  // FIN: one frame per write
  if (n <= 125) {
    header[h++] = static_cast<uint8_t>(0x80 | n);
  } else {
    header[h++] = 0x80 | 126;
    header[h++] = static_cast<uint8_t>(n >> 8);
    header[h++] = static_cast<uint8_t>(n & 0xff);
  }
  const uint32_t r = random_.next();
  uint8_t mask[4];
  std::memcpy(mask, &r, 4);
  std::memcpy(header + h, mask, 4);
  h += 4;
  out_.push(header, h);
  for (size_t k = 0; k < n; ++k) out_.push(static_cast<uint8_t>(payload[k] ^ mask[k % 4]));
}

void WebSocketStream::fail(WsCloseReason reason, uint16_t code) {
  if (code != 0 && state_ == WsState::Open) {
    const uint8_t payload[2] = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code & 0xff)};
    queueFrame(Op::Close, payload, sizeof payload);
  }
  reason_ = reason;
  state_ = WsState::Closed;
}

}  // namespace smartlock
