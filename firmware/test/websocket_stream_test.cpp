// The WebSocket client stream (src/core/websocket_stream.h): framing both ways, control frames,
// every refusal, bounded buffers, and input fed whole or one byte at a time.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "fakes.h"
#include "websocket_stream.h"

using namespace smartlock;
using fakes::FakeRandom;
using Bytes = std::vector<uint8_t>;

namespace {

Bytes bytesOf(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A frame as a server sends it (unmasked unless asked). lenForm 126/127 forces a longer length field.
Bytes frame(uint8_t op, const Bytes& payload, bool fin = true, int lenForm = 0, uint8_t first = 0, bool masked = false) {
  Bytes f{static_cast<uint8_t>((fin ? 0x80 : 0) | first | op)};
  const uint8_t maskBit = masked ? 0x80 : 0;
  const uint64_t n = payload.size();
  if (lenForm == 0 && n <= 125) {
    f.push_back(static_cast<uint8_t>(maskBit | n));
  } else if (lenForm != 127 && n <= 0xffff) {
    f.push_back(maskBit | 126);
    f.push_back(static_cast<uint8_t>(n >> 8));
    f.push_back(static_cast<uint8_t>(n));
  } else {
    f.push_back(maskBit | 127);
    for (int k = 7; k >= 0; --k) f.push_back(static_cast<uint8_t>(n >> (8 * k)));
  }
  if (masked) f.insert(f.end(), {0, 0, 0, 0});  // a zero mask: the payload reads the same
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

struct ClientFrame {
  uint8_t op;
  bool fin;
  bool masked;
  Bytes payload;
};

// Decodes (and unmasks) what the client queued; consumes it.
std::vector<ClientFrame> sent(WebSocketStream& s) {
  Bytes raw;
  size_t len;
  for (const uint8_t* p = s.output(len); len > 0; p = s.output(len)) {
    raw.insert(raw.end(), p, p + len);
    s.consumed(len);
  }
  std::vector<ClientFrame> frames;
  size_t i = 0;
  while (i + 2 <= raw.size()) {
    ClientFrame f{static_cast<uint8_t>(raw[i] & 0x0f), (raw[i] & 0x80) != 0, (raw[i + 1] & 0x80) != 0, {}};
    size_t n = raw[i + 1] & 0x7f;
    i += 2;
    if (n == 126) n = static_cast<size_t>(raw[i]) << 8 | raw[i + 1], i += 2;
    const uint8_t* mask = &raw[i];
    if (f.masked) i += 4;
    for (size_t k = 0; k < n; ++k) f.payload.push_back(static_cast<uint8_t>(raw[i + k] ^ (f.masked ? mask[k % 4] : 0)));
    i += n;
    frames.push_back(f);
  }
  return frames;
}

// Feeds everything (whole, or byte by byte), reading the stream whenever it stops taking input.
Bytes deliver(WebSocketStream& s, const Bytes& in, bool byteAtATime) {
  Bytes readOut;
  size_t i = 0;
  int stalls = 0;
  while (i < in.size() && stalls < 3) {
    const size_t n = byteAtATime ? 1 : in.size() - i;
    const size_t took = s.feed(in.data() + i, n);
    i += took;
    uint8_t buf[512];
    size_t got;
    bool drained = false;
    while ((got = s.read(buf, sizeof buf)) > 0) readOut.insert(readOut.end(), buf, buf + got), drained = true;
    stalls = took == 0 && !drained ? stalls + 1 : 0;
  }
  uint8_t buf[512];
  size_t got;
  while ((got = s.read(buf, sizeof buf)) > 0) readOut.insert(readOut.end(), buf, buf + got);
  return readOut;
}

struct Rig {
  FakeRandom random;
  WebSocketStream stream;
  std::string request;

  explicit Rig(size_t maxMessage = 4096) : stream(makeConfig(maxMessage), random) {
    random.seq = {0x11223344u, 0x55667788u, 0x99aabbccu, 0xddeeff00u, 0x0badf00du};
    REQUIRE(stream.begin());
    size_t len;
    const uint8_t* p = stream.output(len);
    request.assign(reinterpret_cast<const char*>(p), len);
    stream.consumed(len);
  }
  static WebSocketConfig makeConfig(size_t maxMessage) {
    WebSocketConfig c;
    c.host = "locks.example";
    c.path = "/mqtt";
    c.maxMessage = maxMessage;
    return c;
  }
  std::string key() const {
    const size_t at = request.find("Sec-WebSocket-Key: ") + 19;
    return request.substr(at, ws::kKeyLen);
  }
  Bytes okResponse() const {
    char accept[ws::kAcceptLen + 1];
    ws::expectedAccept(key().c_str(), accept);
    return bytesOf(std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n") +
                   "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n");
  }
  void open(bool byteAtATime = false) {
    deliver(stream, okResponse(), byteAtATime);
    REQUIRE(stream.isOpen());
  }
};

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes filled(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 7 + 3);
  return b;
}

uint16_t closeCodeOf(const ClientFrame& f) { return static_cast<uint16_t>(f.payload.at(0) << 8 | f.payload.at(1)); }

}  // namespace

TEST_CASE("the handshake sends a random key and opens on the server's 101, whole or byte by byte") {
  for (bool byteAtATime : {false, true}) {
    Rig rig;
    CHECK(rig.stream.state() == WsState::Handshaking);
    CHECK(rig.request.rfind("GET /mqtt HTTP/1.1\r\nHost: locks.example\r\n", 0) == 0);
    CHECK(rig.key() == "RDMiEYh3ZlXMu6qZAP/u3Q==");  // base64 of the fake random's first 16 bytes
    CHECK(rig.stream.write(bytesOf("x").data(), 1) == 0);  // nothing is sent before the 101
    // Frame bytes that come in the same read as the response head are not lost.
    const Bytes got = deliver(rig.stream, cat({rig.okResponse(), frame(2, bytesOf(std::string("\x20\x02\x00\x00", 4)))}), byteAtATime);
    CHECK(rig.stream.isOpen());
    CHECK(got == bytesOf(std::string("\x20\x02\x00\x00", 4)));
  }
}

TEST_CASE("a refused handshake closes the stream and says why") {
  Rig rig;
  deliver(rig.stream, bytesOf("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), false);
  CHECK(rig.stream.state() == WsState::Closed);
  CHECK(rig.stream.reason() == WsCloseReason::BadHandshake);
  CHECK(rig.stream.handshakeError() == ws::HandshakeError::NotSwitching);
  CHECK(rig.stream.outputSize() == 0);  // no Close frame: it never was a WebSocket

  Rig wrongKey;
  Bytes response = wrongKey.okResponse();
  response[response.size() - 40] ^= 1;  // one bit of the accept value
  deliver(wrongKey.stream, response, true);
  CHECK(wrongKey.stream.handshakeError() == ws::HandshakeError::BadAccept);

  Rig endless;
  deliver(endless.stream, bytesOf("HTTP/1.1 101 Switching Protocols\r\nX: " + std::string(2000, 'a')), false);
  CHECK(endless.stream.reason() == WsCloseReason::HandshakeTooLong);
}

TEST_CASE("a host and path too long for the output buffer are refused at begin") {
  FakeRandom random;
  const std::string host(1100, 'h');
  WebSocketConfig c;
  c.host = host.c_str();
  WebSocketStream s(c, random);
  CHECK_FALSE(s.begin());
  CHECK(s.reason() == WsCloseReason::RequestTooLong);
}

TEST_CASE("writes go out as masked binary frames with 7- and 16-bit lengths") {
  Rig rig;
  rig.open();
  const Bytes small = filled(10), medium = filled(300);
  CHECK(rig.stream.write(small.data(), small.size()) == 10);
  CHECK(rig.stream.write(medium.data(), medium.size()) == 300);
  size_t len;
  const uint8_t* raw = rig.stream.output(len);
  CHECK(raw[1] == (0x80 | 10));            // mask bit + 7-bit length
  CHECK(raw[2 + 4 + 10 + 1] == (0x80 | 126));  // mask bit + 16-bit length follows
  CHECK(std::memcmp(raw + 2, "\x0d\xf0\xad\x0b", 4) == 0);  // the mask is the next draw from Random
  CHECK(std::memcmp(raw + 6, small.data(), 10) != 0);      // the payload is masked on the wire
  const auto frames = sent(rig.stream);
  REQUIRE(frames.size() == 2);
  for (const auto& f : frames) CHECK((f.op == 2 && f.fin && f.masked));
  CHECK(frames[0].payload == small);
  CHECK(frames[1].payload == medium);
}

TEST_CASE("a write larger than the free output is taken in part, and the rest once it was sent") {
  Rig rig;
  rig.open();
  const Bytes big = filled(3000);
  size_t at = 0;
  Bytes wire;
  int rounds = 0;
  while (at < big.size() && rounds++ < 20) {
    const size_t took = rig.stream.write(big.data() + at, big.size() - at);
    CHECK(took <= WebSocketStream::kOutCap - WebSocketStream::kControlReserve);
    at += took;
    for (const auto& f : sent(rig.stream)) wire.insert(wire.end(), f.payload.begin(), f.payload.end());
  }
  CHECK(wire == big);
  // Output full (nothing sent): writes take nothing, but room for a Pong remains.
  while (rig.stream.write(big.data(), big.size()) > 0) {
  }
  CHECK(rig.stream.outputSize() <= WebSocketStream::kOutCap - WebSocketStream::kControlReserve);
}

TEST_CASE("frames in with 7-, 16- and 64-bit lengths become the stream's bytes, whole or byte by byte") {
  for (bool byteAtATime : {false, true}) {
    Rig rig(100000);
    rig.open();
    const Bytes a = filled(5), b = filled(300), c = filled(70000), d = filled(20);
    const Bytes got = deliver(rig.stream, cat({frame(2, a), frame(2, b), frame(2, c, true, 127), frame(2, d, true, 126)}), byteAtATime);
    CHECK(got == cat({a, b, c, d}));
    CHECK(rig.stream.isOpen());
  }
}

TEST_CASE("fragments are joined in order, a ping between them answered with a pong") {
  for (bool byteAtATime : {false, true}) {
    Rig rig;
    rig.open();
    const Bytes got = deliver(rig.stream,
                              cat({frame(2, bytesOf("MQ"), false), frame(9, bytesOf("are you there")), frame(0, bytesOf("TT"), false),
                                   frame(0, {}, false), frame(0, bytesOf("!"), true), frame(2, bytesOf("next"))}),
                              byteAtATime);
    CHECK(got == bytesOf("MQTT!next"));
    const auto out = sent(rig.stream);
    REQUIRE(out.size() == 1);
    CHECK(out[0].op == 0xA);
    CHECK(out[0].masked);
    CHECK(out[0].payload == bytesOf("are you there"));
  }
}

TEST_CASE("an empty ping gets an empty pong; a pong from the server is ignored") {
  Rig rig;
  rig.open();
  deliver(rig.stream, cat({frame(9, {}), frame(0xA, bytesOf("unsolicited"))}), true);
  const auto out = sent(rig.stream);
  REQUIRE(out.size() == 1);
  CHECK((out[0].op == 0xA && out[0].payload.empty()));
  CHECK(rig.stream.isOpen());
}

TEST_CASE("the server's close is answered with its code and closes the stream") {
  Rig rig;
  rig.open();
  deliver(rig.stream, cat({frame(2, bytesOf("last")), frame(8, {0x03, 0xe9, 'b', 'y', 'e'}), frame(2, bytesOf("after"))}), false);
  CHECK(rig.stream.state() == WsState::Closed);
  CHECK(rig.stream.reason() == WsCloseReason::ServerClosed);
  CHECK(rig.stream.closeCode() == 1001);
  const auto out = sent(rig.stream);
  REQUIRE(out.size() == 1);
  CHECK(out[0].op == 8);
  CHECK(closeCodeOf(out[0]) == 1001);
  CHECK(rig.stream.write(bytesOf("x").data(), 1) == 0);
}

TEST_CASE("close() sends a Close and waits for the server's, dropping data in between") {
  Rig rig;
  rig.open();
  rig.stream.close();
  CHECK(rig.stream.state() == WsState::Closing);
  const auto out = sent(rig.stream);
  REQUIRE(out.size() == 1);
  CHECK((out[0].op == 8 && closeCodeOf(out[0]) == 1000));
  const Bytes got = deliver(rig.stream, cat({frame(2, bytesOf("late")), frame(9, {}), frame(8, {0x03, 0xe8})}), true);
  CHECK(got.empty());
  CHECK(sent(rig.stream).empty());  // no pong after our Close
  CHECK(rig.stream.state() == WsState::Closed);
  CHECK(rig.stream.reason() == WsCloseReason::ClientClosed);
}

TEST_CASE("every bad frame is refused with a Close naming the fault, whole or byte by byte") {
  struct Case {
    const char* name;
    Bytes in;
    WsCloseReason reason;
    uint16_t code;
  };
  const Bytes big(200, 'x');
  const std::vector<Case> cases = {
      {"masked by the server", frame(2, bytesOf("abc"), true, 0, 0, true), WsCloseReason::MaskedFrame, 1002},
      {"RSV1 without an extension", frame(2, bytesOf("abc"), true, 0, 0x40), WsCloseReason::ReservedBits, 1002},
      {"RSV3", frame(2, bytesOf("abc"), true, 0, 0x10), WsCloseReason::ReservedBits, 1002},
      {"a text frame", frame(1, bytesOf("{}")), WsCloseReason::TextFrame, 1003},
      {"opcode 3", frame(3, {}), WsCloseReason::UnknownOpcode, 1002},
      {"opcode 0xB", frame(0xB, {}), WsCloseReason::UnknownOpcode, 1002},
      {"a fragmented ping", frame(9, bytesOf("p"), false), WsCloseReason::BadControlFrame, 1002},
      {"a 126-byte ping", frame(9, Bytes(126, 'p')), WsCloseReason::BadControlFrame, 1002},
      {"a continuation first", frame(0, bytesOf("abc")), WsCloseReason::UnexpectedContinuation, 1002},
      {"a new message inside one", cat({frame(2, bytesOf("a"), false), frame(2, bytesOf("b"))}), WsCloseReason::InterleavedMessage, 1002},
      {"one frame over the limit", frame(2, big), WsCloseReason::Oversize, 1009},
      {"fragments over the limit", cat({frame(2, Bytes(60, 'a'), false), frame(0, Bytes(60, 'b'))}), WsCloseReason::Oversize, 1009},
      {"a 64-bit length with its top bit", Bytes{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1}, WsCloseReason::Oversize, 1009},
  };
  for (const auto& c : cases) {
    for (bool byteAtATime : {false, true}) {
      CAPTURE(c.name);
      CAPTURE(byteAtATime);
      Rig rig(100);
      rig.open();
      deliver(rig.stream, cat({c.in, frame(2, bytesOf("never read"))}), byteAtATime);
      CHECK(rig.stream.state() == WsState::Closed);
      CHECK(rig.stream.reason() == c.reason);
      const auto out = sent(rig.stream);
      REQUIRE(out.size() == 1);
      CHECK(out[0].op == 8);
      CHECK(closeCodeOf(out[0]) == c.code);
      CHECK(rig.stream.available() <= 60);  // at most the first fragment, never what followed
    }
  }
}

TEST_CASE("input is taken only as far as the reader and the output have room") {
  Rig rig(100000);
  rig.open();
  const Bytes payload = filled(3000);
  const Bytes wire = frame(2, payload);
  const size_t took = rig.stream.feed(wire.data(), wire.size());
  CHECK(took == 4 + WebSocketStream::kInCap);  // the header and as much as the reader's buffer holds
  CHECK(rig.stream.available() == WebSocketStream::kInCap);
  CHECK(rig.stream.feed(wire.data() + took, wire.size() - took) == 0);

  // With the output full, no new frame is started: a ping's pong would have nowhere to go.
  Rig busy;
  busy.open();
  const Bytes big = filled(2000);
  while (busy.stream.write(big.data(), big.size()) > 0) {
  }
  const Bytes ping = frame(9, bytesOf("p"));
  CHECK(busy.stream.feed(ping.data(), ping.size()) == ping.size());  // the reserve still fits one pong
  CHECK(busy.stream.feed(ping.data(), ping.size()) == 0);
  sent(busy.stream);
  CHECK(busy.stream.feed(ping.data(), ping.size()) == ping.size());
}

TEST_CASE("begin() again starts a fresh connection: nothing of the last one is kept") {
  Rig rig;
  rig.open();
  const Bytes half = frame(2, filled(50));
  rig.stream.feed(half.data(), 20);  // a frame cut in the middle, then the connection drops
  rig.stream.write(bytesOf("unsent").data(), 6);
  REQUIRE(rig.stream.begin());
  CHECK(rig.stream.state() == WsState::Handshaking);
  CHECK(rig.stream.available() == 0);
  size_t len;
  const uint8_t* out = rig.stream.output(len);
  CHECK(std::string(reinterpret_cast<const char*>(out), len).rfind("GET /mqtt HTTP/1.1\r\n", 0) == 0);
  rig.request.assign(reinterpret_cast<const char*>(out), len);
  rig.stream.consumed(len);
  const Bytes got = deliver(rig.stream, cat({rig.okResponse(), frame(2, bytesOf("fresh"))}), false);
  CHECK(got == bytesOf("fresh"));
}
