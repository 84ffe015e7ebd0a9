#include "mqtt_packets.h"

#include <cstring>

namespace host {
namespace mqtt {
namespace {

void u16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v & 0xff);
}

void str(std::string& s, const char* v, size_t n) {
  u16(s, static_cast<uint16_t>(n));
  s.append(v, n);
}
void str(std::string& s, const std::string& v) { str(s, v.data(), v.size()); }

std::string packet(uint8_t first, const std::string& body) {
  std::string p(1, static_cast<char>(first));
  size_t n = body.size();
  do {  // remaining length: 7 bits per byte, high bit = more
    uint8_t b = n % 128;
    n /= 128;
    if (n > 0) b |= 0x80;
    p += static_cast<char>(b);
  } while (n > 0);
  return p + body;
}

}  // namespace

std::string connect(const smartlock::MqttConnectOptions& o) {
  std::string body;
  str(body, "MQTT", 4);
  body += '\x04';  // protocol level 3.1.1
  uint8_t flags = 0x02;  // clean session
  if (o.willTopic != nullptr) flags |= static_cast<uint8_t>(0x04 | (o.willQos & 3) << 3 | (o.willRetain ? 0x20 : 0));
  if (o.password != nullptr) flags |= 0x40;
  if (o.username != nullptr) flags |= 0x80;
  body += static_cast<char>(flags);
  u16(body, o.keepAliveS);
  str(body, o.clientId != nullptr ? o.clientId : "", o.clientId != nullptr ? std::strlen(o.clientId) : 0);
  if (o.willTopic != nullptr) {
    str(body, o.willTopic, std::strlen(o.willTopic));
    str(body, o.willPayload != nullptr ? o.willPayload : "", o.willPayload != nullptr ? std::strlen(o.willPayload) : 0);
  }
  if (o.username != nullptr) str(body, o.username, std::strlen(o.username));
  if (o.password != nullptr) str(body, o.password, std::strlen(o.password));
  return packet(0x10, body);
}

std::string publish(const std::string& topic, const char* payload, size_t len, uint8_t qos, bool retain, uint16_t id) {
  std::string body;
  str(body, topic);
  if (qos > 0) u16(body, id);
  body.append(payload, len);
  return packet(static_cast<uint8_t>(0x30 | (qos & 3) << 1 | (retain ? 1 : 0)), body);
}

std::string puback(uint16_t id) {
  std::string body;
  u16(body, id);
  return packet(0x40, body);
}

std::string subscribe(const std::string& topic, uint8_t qos, uint16_t id) {
  std::string body;
  u16(body, id);
  str(body, topic);
  body += static_cast<char>(qos);
  return packet(0x82, body);
}

std::string pingreq() { return packet(0xc0, ""); }
std::string disconnect() { return packet(0xe0, ""); }

bool take(std::string& buf, Packet& out, bool& bad) {
  bad = false;
  size_t len = 0, i = 1, shift = 0;
  for (;; ++i, shift += 7) {
    if (i >= buf.size()) return false;
    if (i > 4) return bad = true, false;
    const uint8_t b = static_cast<uint8_t>(buf[i]);
    len |= static_cast<size_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (buf.size() < i + 1 + len) return false;
  const uint8_t first = static_cast<uint8_t>(buf[0]);
  out.type = static_cast<Type>(first >> 4);
  out.flags = first & 0x0f;
  out.body = buf.substr(i + 1, len);
  buf.erase(0, i + 1 + len);
  return true;
}

bool parsePublish(const Packet& p, std::string& topic, uint16_t& id, std::string& payload) {
  const std::string& b = p.body;
  if (b.size() < 2) return false;
  const size_t tlen = static_cast<size_t>(static_cast<uint8_t>(b[0]) << 8 | static_cast<uint8_t>(b[1]));
  size_t at = 2 + tlen;
  if (b.size() < at) return false;
  topic = b.substr(2, tlen);
  id = 0;
  if ((p.flags >> 1 & 3) > 0) {
    if (b.size() < at + 2) return false;
    id = static_cast<uint16_t>(static_cast<uint8_t>(b[at]) << 8 | static_cast<uint8_t>(b[at + 1]));
    at += 2;
  }
  payload = b.substr(at);
  return true;
}

}  // namespace mqtt
}  // namespace host
