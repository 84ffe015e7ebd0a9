// Improv Wi-Fi over serial and Smartlock's vendor RPC (src/core/improv.h, docs/provisioning.md).
#include <doctest/doctest.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "improv.h"
#include "improv_rig.h"

using namespace smartlock;
using namespace smartlock::improv;

namespace {

Bytes packet(Type t, const Bytes& data) {
  Bytes out(kMaxPacket);
  out.resize(encode(t, data.data(), data.size(), out.data(), out.size()));
  return out;
}

Bytes strings(std::initializer_list<std::string> ss) {
  Bytes out;
  for (const auto& s : ss) {
    out.push_back(static_cast<uint8_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

Bytes rpc(uint8_t cmd, const Bytes& args) {
  Bytes d{cmd, static_cast<uint8_t>(args.size())};
  d.insert(d.end(), args.begin(), args.end());
  return packet(Type::Rpc, d);
}

bool isState(const Packet& p, State s) { return p.type == Type::CurrentState && p.len == 1 && p.data[0] == static_cast<uint8_t>(s); }
bool isError(const Packet& p, Error e) { return p.type == Type::ErrorState && p.len == 1 && p.data[0] == static_cast<uint8_t>(e); }
Bytes dataOf(const Packet& p) { return Bytes(p.data, p.data + p.len); }

const std::string kSecret = "2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c";

Bytes vendorArgs(const std::string& secret = kSecret, const std::string& tlsPort = "8883", const std::string& port = "1883",
                 const std::string& tls = "psk", const std::string& device = "front-door", const std::string& prefix = "smartlock") {
  return strings({device, secret, "smartlock.home.example", tlsPort, port, tls, prefix});
}

// The hex block after "<!-- improv-example NAME -->" in docs/provisioning.md.
Bytes docExample(const std::string& name) {
  std::ifstream in("../../docs/provisioning.md");
  if (!in) in.open("../docs/provisioning.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str(), marker = "<!-- improv-example " + name + " -->";
  const size_t at = doc.find(marker);
  REQUIRE(at != std::string::npos);
  const size_t open = doc.find("```", at), start = doc.find('\n', open) + 1, close = doc.find("```", start);
  std::istringstream hex(doc.substr(start, close - start));
  Bytes out;
  std::string tok;
  while (hex >> tok) out.push_back(static_cast<uint8_t>(std::stoul(tok, nullptr, 16)));
  return out;
}

}  // namespace

TEST_CASE("improv: encode writes the header, version, type, length, data and the low byte of the sum") {
  const Bytes p = packet(Type::Rpc, {0x02, 0x00});
  const Bytes want{'I', 'M', 'P', 'R', 'O', 'V', 0x01, 0x03, 0x02, 0x02, 0x00, 0};
  REQUIRE(p.size() == want.size());
  CHECK(Bytes(p.begin(), p.end() - 1) == Bytes(want.begin(), want.end() - 1));
  unsigned sum = 0;
  for (size_t i = 0; i + 1 < p.size(); ++i) sum += p[i];
  CHECK(p.back() == (sum & 0xFF));
  CHECK(p.back() == 0xE5);  // "IMPROV" sums to 0x1DD; + 01 03 02 02 00 = 0x1E5
  uint8_t small[5];
  CHECK(encode(Type::Rpc, nullptr, 0, small, sizeof small) == 0);  // does not fit: nothing written
}

TEST_CASE("improv: the parser takes a packet byte by byte, after garbage, and drops a bad checksum") {
  const Bytes good = packet(Type::Rpc, {0x03, 0x00});
  Parser p;
  int done = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    const bool complete = p.push(good[i]);
    CHECK(complete == (i + 1 == good.size()));  // fragmented: complete only at the last byte
    done += complete;
  }
  CHECK(done == 1);
  CHECK(p.packet().type == Type::Rpc);
  CHECK(dataOf(p.packet()) == Bytes{0x03, 0x00});

  // Log lines and noise before it, including a false start "IMPRO" and "IMPROV" with version 2.
  Bytes noisy;
  const std::string junk = "[lock] boot 3\r\nIMPROIMPROV\x02xx\xff\x00IIMP";
  noisy.insert(noisy.end(), junk.begin(), junk.end());
  noisy.insert(noisy.end(), good.begin(), good.end());
  Parser q;
  done = 0;
  for (uint8_t b : noisy) done += q.push(b);
  CHECK(done == 1);
  CHECK(dataOf(q.packet()) == Bytes{0x03, 0x00});
  CHECK(q.dropped() == 1);  // the version-2 candidate

  // A corrupted checksum is dropped; the next good packet still parses.
  Bytes bad = good;
  bad.back() ^= 0x01;
  Parser r;
  done = 0;
  for (uint8_t b : bad) done += r.push(b);
  CHECK(done == 0);
  CHECK(r.dropped() == 1);
  for (uint8_t b : good) done += r.push(b);
  CHECK(done == 1);
}

TEST_CASE("improv: a header claiming 255 bytes is bounded, and a real packet inside a rejected one is found") {
  // Unknown type 0x07: dropped at once, not buffered.
  Parser p;
  const std::string badType = "IMPROV\x01\x07";
  for (char c : badType) CHECK_FALSE(p.push(static_cast<uint8_t>(c)));
  CHECK(p.dropped() == 1);
  // A candidate claiming the maximum length whose checksum is wrong, with a real packet inside.
  const Bytes good = packet(Type::Rpc, {0x02, 0x00});
  Bytes stream{'I', 'M', 'P', 'R', 'O', 'V', 0x01, 0x03, 0x20};
  stream.insert(stream.end(), good.begin(), good.end());
  while (stream.size() < kHeaderLen + 0x20) stream.push_back('x');
  stream.push_back(0x00);  // wrong checksum for the 0x20-byte candidate
  Parser q;
  int done = 0;
  for (uint8_t b : stream) done += q.push(b);
  CHECK(done == 1);  // found by rescanning the rejected bytes
  CHECK(dataOf(q.packet()) == Bytes{0x02, 0x00});
  // 255 data bytes: the largest packet the length byte allows parses.
  Bytes big(255, 0xAB);
  Parser r;
  done = 0;
  for (uint8_t b : packet(Type::RpcResult, big)) done += r.push(b);
  CHECK(done == 1);
  CHECK(r.packet().len == 255);
}

TEST_CASE("improv: current state, device info, unknown and malformed RPCs") {
  Rig rig;
  rig.feed(rpc(0x02, {}));
  auto out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(isState(out[0], State::Ready));

  rig.feed(rpc(0x03, {}));
  out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(out[0].type == Type::RpcResult);
  Bytes want{0x03, 0};
  const Bytes s = strings({"smartlock", "1.2.3", "ESP32", "front-door"});
  want[1] = static_cast<uint8_t>(s.size());
  want.insert(want.end(), s.begin(), s.end());
  CHECK(dataOf(out[0]) == want);

  rig.feed(rpc(0x42, {}));
  out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(isError(out[0], Error::UnknownRpc));

  // Inner length disagreeing with the packet's length.
  rig.feed(packet(Type::Rpc, {0x02, 0x05}));
  out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(isError(out[0], Error::InvalidRpc));

  // Packets of other types from the client are ignored.
  rig.feed(packet(Type::CurrentState, {0x02}));
  CHECK(rig.take().empty());
}

TEST_CASE("improv: scanned networks, one result each, then an empty one") {
  Rig rig;
  WifiPort::Network a, b;
  std::strcpy(a.ssid, "home");
  a.rssi = -48;
  a.secured = true;
  std::strcpy(b.ssid, "guest");
  b.rssi = -80;
  rig.wifi.nets = {a, b};
  rig.feed(rpc(0x04, {}));
  auto out = rig.take();
  REQUIRE(out.size() == 3);
  Bytes first{0x04, 0};
  const Bytes s = strings({"home", "-48", "YES"});
  first[1] = static_cast<uint8_t>(s.size());
  first.insert(first.end(), s.begin(), s.end());
  CHECK(dataOf(out[0]) == first);
  Str f[3];
  CHECK(readStrings(out[1].data + 2, out[1].data[1], f, 3));
  CHECK(std::string(f[2].p, f[2].n) == "NO");
  CHECK(dataOf(out[2]) == Bytes{0x04, 0x00});
}

TEST_CASE("improv: Wi-Fi settings connect, are saved only once connected, and report provisioned") {
  Rig rig;
  rig.feed(rpc(0x01, strings({"home", "correct horse"})));
  auto out = rig.take();
  REQUIRE(out.size() == 2);
  CHECK(isError(out[0], Error::None));
  CHECK(isState(out[1], State::Provisioning));
  CHECK(rig.wifi.ssid == "home");
  CHECK(rig.wifi.password == "correct horse");
  rig.session.loop();
  CHECK(rig.take().empty());
  WifiSettings w;
  CHECK_FALSE(rig.store.loadWifi(w));  // not before it connected

  // A second Wi-Fi settings RPC while connecting is refused.
  rig.feed(rpc(0x01, strings({"other", ""})));
  out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(isError(out[0], Error::InvalidRpc));

  rig.wifi.st = WifiStatus::Connected;
  rig.session.loop();
  out = rig.take();
  REQUIRE(out.size() == 2);
  CHECK(isState(out[0], State::Provisioned));
  CHECK(dataOf(out[1]) == Bytes{0x01, 0x00});
  REQUIRE(rig.store.loadWifi(w));
  CHECK(std::string(w.ssid) == "home");
  CHECK(std::string(w.password) == "correct horse");
  CHECK(rig.session.wifiSaved());
}

TEST_CASE("improv: a failed or timed-out connection reports 'unable to connect' and goes back to ready") {
  Rig rig;
  rig.feed(rpc(0x01, strings({"home", "wrong"})));
  rig.take();
  rig.wifi.st = WifiStatus::Failed;
  rig.session.loop();
  auto out = rig.take();
  REQUIRE(out.size() == 2);
  CHECK(isError(out[0], Error::UnableToConnect));
  CHECK(isState(out[1], State::Ready));
  WifiSettings w;
  CHECK_FALSE(rig.store.loadWifi(w));

  rig.feed(rpc(0x01, strings({"home", "slow"})));
  rig.take();
  rig.clock.advance(29999);
  rig.session.loop();
  CHECK(rig.take().empty());
  rig.clock.advance(1);
  rig.session.loop();
  out = rig.take();
  REQUIRE(out.size() == 2);
  CHECK(isError(out[0], Error::UnableToConnect));
}

TEST_CASE("improv: Wi-Fi settings are checked: ssid 1..32, password <= 64, no NUL/CR/LF, nothing left over") {
  const std::vector<Bytes> bad = {
      strings({"", "pw"}),
      strings({std::string(33, 's'), "pw"}),
      strings({"home", std::string(65, 'p')}),
      strings({"ho\nme", "pw"}),
      strings({"home"}),
      strings({"home", "pw", "extra"}),
      Bytes{0x04, 'h', 'o', 'm', 'e', 0x05, 'p'},  // the password runs past the end
  };
  for (const auto& args : bad) {
    Rig rig;
    rig.feed(rpc(0x01, args));
    auto out = rig.take();
    REQUIRE(out.size() == 1);
    CHECK(isError(out[0], Error::InvalidRpc));
    CHECK(rig.wifi.ssid.empty());
  }
  Rig ok;
  ok.feed(rpc(0x01, strings({std::string(32, 's'), std::string(64, 'p')})));
  CHECK(ok.session.state() == State::Provisioning);
}

TEST_CASE("improv vendor RPC 0xF0: stores the lock provisioning, refuses a bad secret and other bad fields") {
  Rig rig;
  rig.feed(rpc(0xF0, vendorArgs()));
  auto out = rig.take();
  REQUIRE(out.size() == 2);
  CHECK(isError(out[0], Error::None));
  CHECK(dataOf(out[1]) == Bytes{0xF0, 0x00});
  LockProvisioning p;
  REQUIRE(rig.store.loadLock(p));
  CHECK(std::string(p.deviceId) == "front-door");
  CHECK(std::string(p.secretHex) == kSecret);
  CHECK(std::string(p.host) == "smartlock.home.example");
  CHECK(p.tlsPort == 8883);
  CHECK(p.port == 1883);
  CHECK(p.tls == BrokerTls::Psk);
  CHECK(std::string(p.prefix) == "smartlock");
  CHECK(rig.session.lockSaved());

  // Upper-case hex is taken (hand-typed) and stored lower-case.
  std::string upper = kSecret;
  for (auto& c : upper) c = static_cast<char>(std::toupper(c));
  Rig up;
  up.feed(rpc(0xF0, vendorArgs(upper, "", "1883", "")));
  REQUIRE(up.store.loadLock(p));
  CHECK(std::string(p.secretHex) == kSecret);
  CHECK(p.tlsPort == 0);
  CHECK(p.tls == BrokerTls::None);

  const std::vector<Bytes> bad = {
      vendorArgs(kSecret.substr(0, 63)),                                     // 63 hex
      vendorArgs(kSecret + "0"),                                            // 65 hex
      vendorArgs(std::string(63, 'a') + "g"),                               // not hex
      vendorArgs(kSecret, "8883", "1883", "psk", "fd"),                     // device id too short
      vendorArgs(kSecret, "8883", "1883", "psk", "front door"),             // space in the id
      vendorArgs(kSecret, "0", "1883", "psk"),                              // port 0
      vendorArgs(kSecret, "65536", "1883", "psk"),                          // port too large
      vendorArgs(kSecret, "08883", "1883", "psk"),                          // leading zero
      vendorArgs(kSecret, "", "1883", "psk"),                               // tls without a TLS port
      vendorArgs(kSecret, "8883", "1883", ""),                              // TLS port without tls
      vendorArgs(kSecret, "8883", "1883", "PSK"),                           // unknown tls mode
      vendorArgs(kSecret, "", "", ""),                                      // nowhere to dial
      vendorArgs(kSecret, "8883", "1883", "psk", "front-door", "a/#"),      // wildcard in the prefix
      vendorArgs(kSecret, "8883", "1883", "psk", "front-door", ""),         // empty prefix
      strings({"front-door", kSecret, "", "8883", "1883", "psk", "smartlock"}),  // empty host
      strings({"front-door", kSecret, "smartlock.home.example", "8883", "1883", "psk"}),  // 6 fields
  };
  for (const auto& args : bad) {
    Rig r;
    r.feed(rpc(0xF0, args));
    auto o = r.take();
    REQUIRE(o.size() == 1);
    CHECK(isError(o[0], Error::InvalidRpc));
    CHECK_FALSE(r.store.loadLock(p));
    CHECK_FALSE(r.session.lockSaved());
  }
}

TEST_CASE("improv vendor RPC: a storage failure is an unknown error, and a half-written provisioning is not loaded") {
  Rig rig;
  rig.storage.failWrites = true;
  rig.feed(rpc(0xF0, vendorArgs()));
  auto out = rig.take();
  REQUIRE(out.size() == 1);
  CHECK(isError(out[0], Error::Unknown));
  // Everything but the final marker written (a power cut just before it): not provisioned.
  rig.storage.failWrites = false;
  rig.feed(rpc(0xF0, vendorArgs()));
  rig.take();
  rig.storage.values["prov_ok"] = 0;
  LockProvisioning p;
  CHECK_FALSE(rig.store.loadLock(p));
}

TEST_CASE("improv: the worked examples of docs/provisioning.md, byte for byte") {
  CHECK(docExample("wifi-settings") == rpc(0x01, strings({"home", "correct horse"})));
  CHECK(docExample("set-lock-provisioning") == rpc(0xF0, vendorArgs()));
  CHECK(docExample("provisioned") == packet(Type::CurrentState, {0x04}));
}
