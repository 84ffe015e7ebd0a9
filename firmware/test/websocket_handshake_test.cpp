// The WebSocket opening handshake (src/core/websocket_handshake.h) against RFC 6455's own example.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "websocket_handshake.h"

using namespace smartlock::ws;

namespace {

const char kRfcKey[] = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3
const char kRfcAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

std::string response(const std::string& extra, const std::string& accept = kRfcAccept) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: " + accept + "\r\n" + extra;
}

HandshakeError check(const std::string& head) { return checkResponse(head.data(), head.size(), kRfcKey); }

}  // namespace

TEST_CASE("the accept value of RFC 6455's example key is the RFC's") {
  char accept[kAcceptLen + 1];
  REQUIRE(expectedAccept(kRfcKey, accept));
  CHECK(std::string(accept) == kRfcAccept);
}

TEST_CASE("base64 pads as RFC 4648 does, and the key is 16 bytes of nonce") {
  char out[16];
  const uint8_t f[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  base64(f, 1, out);
  CHECK(std::string(out) == "Zg==");
  base64(f, 2, out);
  CHECK(std::string(out) == "Zm8=");
  base64(f, 3, out);
  CHECK(std::string(out) == "Zm9v");
  base64(f, 6, out);
  CHECK(std::string(out) == "Zm9vYmFy");
  const uint8_t nonce[16] = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p', 'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};
  char key[kKeyLen + 1];
  makeKey(nonce, key);
  CHECK(std::string(key) == kRfcKey);
}

TEST_CASE("the request asks for version 13 and the mqtt subprotocol on the path, with the port when given") {
  char out[512];
  const size_t n = writeRequest("locks.example", 8080, "/mqtt", kRfcKey, out, sizeof out);
  CHECK(n == std::strlen(out));
  CHECK(std::string(out) ==
        "GET /mqtt HTTP/1.1\r\nHost: locks.example:8080\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: mqtt\r\n\r\n");
  writeRequest("locks.example", 0, "/mqtt", kRfcKey, out, sizeof out);
  CHECK(std::string(out).find("Host: locks.example\r\n") != std::string::npos);
  CHECK(writeRequest("locks.example", 0, "/mqtt", kRfcKey, out, 100) == 0);  // does not fit: nothing
}

TEST_CASE("a 101 with upgrade, connection, the right accept and mqtt is taken, headers in any case") {
  CHECK(check(response("Sec-WebSocket-Protocol: mqtt\r\n")) == HandshakeError::None);
  CHECK(check("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, Upgrade\r\n"
              "sec-websocket-protocol:mqtt\r\nX-Edge: railway\r\nsec-websocket-accept:   s3pPLMBiTxaQ9kYGzzhZRbK+xOo=  \r\n") ==
        HandshakeError::None);
}

TEST_CASE("every wrong handshake response is refused with its reason") {
  CHECK(check("SSH-2.0-OpenSSH\r\n") == HandshakeError::NotHttp);
  CHECK(check("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n") == HandshakeError::NotSwitching);
  CHECK(check("HTTP/1.1 1010 Weird\r\n") == HandshakeError::NotSwitching);
  CHECK(check("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
              "Sec-WebSocket-Protocol: mqtt\r\n") == HandshakeError::NoUpgrade);
  CHECK(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n") == HandshakeError::NoUpgrade);
  CHECK(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mqtt\r\n") ==
        HandshakeError::NoConnectionUpgrade);
  CHECK(check(response("Sec-WebSocket-Protocol: mqtt\r\n", "S3PPLMBITXAQ9KYGZZHZRBK+XOO=")) == HandshakeError::BadAccept);
  CHECK(check(response("Sec-WebSocket-Protocol: mqtt\r\n", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo")) == HandshakeError::BadAccept);
  CHECK(check("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: mqtt\r\n") ==
        HandshakeError::BadAccept);
  CHECK(check(response("")) == HandshakeError::NotMqtt);
  CHECK(check(response("Sec-WebSocket-Protocol: mqttv3.1\r\n")) == HandshakeError::NotMqtt);
}
