#include "improv.h"

#include <cstdio>
#include <cstring>

#include "protocol.h"

namespace smartlock {
namespace improv {

namespace {
constexpr char kMagic[] = "IMPROV";
constexpr size_t kMagicLen = 6;
}  // namespace

uint8_t checksum(const uint8_t* bytes, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += bytes[i];
  return static_cast<uint8_t>(sum & 0xFF);
}

size_t encode(Type type, const uint8_t* data, size_t len, uint8_t* out, size_t cap) {
  if (len > kMaxData || cap < kHeaderLen + len + 1) return 0;
  std::memcpy(out, kMagic, kMagicLen);
  out[6] = kVersion;
  out[7] = static_cast<uint8_t>(type);
  out[8] = static_cast<uint8_t>(len);
  if (len > 0) std::memcpy(out + kHeaderLen, data, len);
  out[kHeaderLen + len] = checksum(out, kHeaderLen + len);
  return kHeaderLen + len + 1;
}

bool readStrings(const uint8_t* data, size_t len, Str* out, size_t count) {
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    if (at >= len) return false;
    const size_t n = data[at++];
    if (n > len - at) return false;
    out[i] = Str{reinterpret_cast<const char*>(data + at), n};
    at += n;
  }
  return at == len;  // nothing left over
}

void Parser::restartFrom(size_t from) {
  if (from >= have_) {
    have_ = 0;
    return;
  }
  std::memmove(buf_, buf_ + from, have_ - from);
  have_ -= from;
}

bool Parser::push(uint8_t b) {
  if (have_ >= kMaxPacket) restartFrom(1);  // cannot happen (a full packet is always decided), kept as a bound
  buf_[have_++] = b;
  for (;;) {
    if (have_ == 0) return false;
    const size_t m = have_ < kMagicLen ? have_ : kMagicLen;
    if (std::memcmp(buf_, kMagic, m) != 0) {
      restartFrom(1);  // not (the start of) a header: skip one byte and look again
      continue;
    }
    if (have_ > 6 && buf_[6] != kVersion) {
      ++dropped_;
      restartFrom(1);
      continue;
    }
    if (have_ > 7 && (buf_[7] < 0x01 || buf_[7] > 0x04)) {
      ++dropped_;
      restartFrom(1);
      continue;
    }
    if (have_ < kHeaderLen) return false;
    const size_t total = kHeaderLen + buf_[8] + 1;
    if (have_ < total) return false;
    if (checksum(buf_, total - 1) != buf_[total - 1]) {
      ++dropped_;
      restartFrom(1);  // a real header may start inside the rejected bytes
      continue;
    }
    packet_.type = static_cast<Type>(buf_[7]);
    packet_.len = buf_[8];
    std::memcpy(packet_.data, buf_ + kHeaderLen, packet_.len);
    restartFrom(total);  // bytes after the packet (rare) wait for the next push
    return true;
  }
}

}  // namespace improv

using improv::Str;

namespace {

bool copyStr(const Str& s, char* out, size_t cap) {
  if (s.n >= cap) return false;
  std::memcpy(out, s.p, s.n);
  out[s.n] = '\0';
  return true;
}

// No NUL (C strings), no CR/LF (one line per value in the virtual lock's files).
bool plainBytes(const Str& s) {
  for (size_t i = 0; i < s.n; ++i) {
    const char c = s.p[i];
    if (c == '\0' || c == '\n' || c == '\r') return false;
  }
  return true;
}

// "" -> 0; "1".."65535" without a leading zero -> the port; false otherwise.
bool parsePort(const Str& s, uint16_t& out) {
  out = 0;
  if (s.n == 0) return true;
  if (s.n > 5 || s.p[0] == '0') return false;
  uint32_t v = 0;
  for (size_t i = 0; i < s.n; ++i) {
    if (s.p[i] < '0' || s.p[i] > '9') return false;
    v = v * 10 + static_cast<uint32_t>(s.p[i] - '0');
  }
  if (v > 65535) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

bool isHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
         c == ':' || c == '[' || c == ']' || c == '_';
}

}  // namespace

bool parseLockProvisioning(const Str* f, LockProvisioning& p) {
  LockProvisioning r;
  if (!isValidDeviceId(f[0].p, f[0].n) || !copyStr(f[0], r.deviceId, sizeof r.deviceId)) return false;
  if (f[1].n != kSigHexLen) return false;
  for (size_t i = 0; i < kSigHexLen; ++i) {
    char c = f[1].p[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    r.secretHex[i] = c;
  }
  r.secretHex[kSigHexLen] = '\0';
  if (f[2].n == 0 || !copyStr(f[2], r.host, sizeof r.host)) return false;
  for (size_t i = 0; i < f[2].n; ++i)
    if (!isHostChar(f[2].p[i])) return false;
  if (!parsePort(f[3], r.tlsPort) || !parsePort(f[4], r.port)) return false;
  const Str& tls = f[5];
  if (tls.n == 0) r.tls = BrokerTls::None;
  else if (tls.n == 3 && std::memcmp(tls.p, "psk", 3) == 0) r.tls = BrokerTls::Psk;
  else if (tls.n == 11 && std::memcmp(tls.p, "certificate", 11) == 0) r.tls = BrokerTls::Certificate;
  else return false;
  if ((r.tls == BrokerTls::None) != (r.tlsPort == 0)) return false;  // tls set exactly when tlsPort is
  if (r.tlsPort == 0 && r.port == 0) return false;                   // nowhere to dial
  if (!isValidPrefix(f[6].p, f[6].n) || !copyStr(f[6], r.prefix, sizeof r.prefix)) return false;
  p = r;
  return true;
}

// ---- StorageSettingsStore: keys are at most 15 chars (NVS's limit).

namespace {
constexpr const char* kKeyWifiOk = "wifi_ok";
constexpr const char* kKeySsid = "wifi_ssid";
constexpr const char* kKeyPass = "wifi_pass";
constexpr const char* kKeyLockOk = "prov_ok";
constexpr const char* kKeyDevice = "prov_dev";
constexpr const char* kKeySecret = "prov_secret";
constexpr const char* kKeyHost = "prov_host";
constexpr const char* kKeyTlsPort = "prov_tls_port";
constexpr const char* kKeyPort = "prov_port";
constexpr const char* kKeyTls = "prov_tls";
constexpr const char* kKeyPrefix = "prov_prefix";

const char* tlsName(BrokerTls t) {
  switch (t) {
    case BrokerTls::Psk: return "psk";
    case BrokerTls::Certificate: return "certificate";
    case BrokerTls::None: break;
  }
  return "none";
}
}  // namespace

bool StorageSettingsStore::saveWifi(const WifiSettings& s) {
  // Storage text values are at most 80 chars, so the password (<= 64) fits; an empty one is "".
  return storage_.store(kKeyWifiOk, 0) && storage_.storeText(kKeySsid, s.ssid) &&
         storage_.storeText(kKeyPass, s.password) && storage_.store(kKeyWifiOk, 1);
}

bool StorageSettingsStore::loadWifi(WifiSettings& s) {
  const auto ok = storage_.load(kKeyWifiOk);
  if (!ok || *ok != 1) return false;
  WifiSettings r;
  if (!storage_.loadText(kKeySsid, r.ssid, sizeof r.ssid) || r.ssid[0] == '\0') return false;
  if (!storage_.loadText(kKeyPass, r.password, sizeof r.password)) r.password[0] = '\0';
  s = r;
  return true;
}

bool StorageSettingsStore::saveLock(const LockProvisioning& p) {
  return storage_.store(kKeyLockOk, 0) && storage_.storeText(kKeyDevice, p.deviceId) &&
         storage_.storeText(kKeySecret, p.secretHex) && storage_.storeText(kKeyHost, p.host) &&
         storage_.store(kKeyTlsPort, p.tlsPort) && storage_.store(kKeyPort, p.port) &&
         storage_.storeText(kKeyTls, tlsName(p.tls)) && storage_.storeText(kKeyPrefix, p.prefix) &&
         storage_.store(kKeyLockOk, 1);
}

bool StorageSettingsStore::forgetLock() {
  return storage_.store(kKeyLockOk, 0) && storage_.storeText(kKeySecret, "") && storage_.storeText(kKeyDevice, "");
}

bool StorageSettingsStore::loadLock(LockProvisioning& p) {
  const auto ok = storage_.load(kKeyLockOk);
  if (!ok || *ok != 1) return false;
  char tls[16] = {};
  char tlsPort[8] = {}, port[8] = {};
  LockProvisioning raw;
  if (!storage_.loadText(kKeyDevice, raw.deviceId, sizeof raw.deviceId) ||
      !storage_.loadText(kKeySecret, raw.secretHex, sizeof raw.secretHex) ||
      !storage_.loadText(kKeyHost, raw.host, sizeof raw.host) || !storage_.loadText(kKeyTls, tls, sizeof tls) ||
      !storage_.loadText(kKeyPrefix, raw.prefix, sizeof raw.prefix))
    return false;
  const auto tp = storage_.load(kKeyTlsPort), pp = storage_.load(kKeyPort);
  if (!tp || !pp || *tp > 65535 || *pp > 65535) return false;
  if (*tp != 0) std::snprintf(tlsPort, sizeof tlsPort, "%u", static_cast<unsigned>(*tp));
  if (*pp != 0) std::snprintf(port, sizeof port, "%u", static_cast<unsigned>(*pp));
  if (std::strcmp(tls, "none") == 0) tls[0] = '\0';
  // Re-validate what was read back, exactly as the vendor RPC was.
  const Str f[7] = {{raw.deviceId, std::strlen(raw.deviceId)}, {raw.secretHex, std::strlen(raw.secretHex)},
                    {raw.host, std::strlen(raw.host)},         {tlsPort, std::strlen(tlsPort)},
                    {port, std::strlen(port)},                 {tls, std::strlen(tls)},
                    {raw.prefix, std::strlen(raw.prefix)}};
  return parseLockProvisioning(f, p);
}

// ---- ImprovSession

void ImprovSession::send(improv::Type t, const uint8_t* data, size_t n) {
  uint8_t buf[improv::kMaxPacket];
  const size_t len = improv::encode(t, data, n, buf, sizeof buf);
  if (len > 0) out_.write(buf, len);
}

void ImprovSession::sendState() {
  const uint8_t s = static_cast<uint8_t>(state_);
  send(improv::Type::CurrentState, &s, 1);
}

void ImprovSession::sendError(improv::Error e) {
  const uint8_t b = static_cast<uint8_t>(e);
  send(improv::Type::ErrorState, &b, 1);
}

void ImprovSession::sendResult(improv::Command c, const Str* strs, size_t count) {
  uint8_t data[improv::kMaxData];
  size_t at = 2;
  for (size_t i = 0; i < count; ++i) {
    const size_t n = strs[i].n > 255 ? 255 : strs[i].n;
    if (at + 1 + n > sizeof data) break;  // never happens with our strings; keep what fits
    data[at++] = static_cast<uint8_t>(n);
    std::memcpy(data + at, strs[i].p, n);
    at += n;
  }
  data[0] = static_cast<uint8_t>(c);
  data[1] = static_cast<uint8_t>(at - 2);
  send(improv::Type::RpcResult, data, at);
}

void ImprovSession::push(uint8_t b) {
  if (parser_.push(b) && parser_.packet().type == improv::Type::Rpc) onRpc(parser_.packet());
}

void ImprovSession::onRpc(const improv::Packet& p) {
  using improv::Command;
  using improv::Error;
  if (p.len < 2 || p.data[1] != p.len - 2) {
    sendError(Error::InvalidRpc);
    return;
  }
  const uint8_t* args = p.data + 2;
  const size_t n = p.data[1];
  switch (static_cast<Command>(p.data[0])) {
    case Command::WifiSettings: {
      Str f[2];
      WifiSettings s;
      if (state_ == improv::State::Provisioning || !improv::readStrings(args, n, f, 2) || f[0].n == 0 ||
          !plainBytes(f[0]) || !plainBytes(f[1]) || !copyStr(f[0], s.ssid, sizeof s.ssid) ||
          !copyStr(f[1], s.password, sizeof s.password)) {
        sendError(Error::InvalidRpc);
        return;
      }
      pending_ = s;
      state_ = improv::State::Provisioning;
      sendError(Error::None);
      sendState();
      startedMs_ = clock_.millis();
      wifi_.connect(pending_.ssid, pending_.password);
      return;
    }
    case Command::GetState:
      if (n != 0) break;
      sendState();
      return;
    case Command::GetDeviceInfo: {
      if (n != 0) break;
      const Str f[4] = {{info_.firmware, std::strlen(info_.firmware)},
                        {info_.version, std::strlen(info_.version)},
                        {info_.chip, std::strlen(info_.chip)},
                        {info_.deviceName, std::strlen(info_.deviceName)}};
      sendResult(Command::GetDeviceInfo, f, 4);
      return;
    }
    case Command::GetNetworks: {
      if (n != 0) break;
      WifiPort::Network nets[16];
      const size_t found = wifi_.scan(nets, 16);
      for (size_t i = 0; i < found && i < 16; ++i) {
        char rssi[8];
        std::snprintf(rssi, sizeof rssi, "%d", nets[i].rssi);
        const char* sec = nets[i].secured ? "YES" : "NO";
        const Str f[3] = {{nets[i].ssid, std::strlen(nets[i].ssid)}, {rssi, std::strlen(rssi)}, {sec, std::strlen(sec)}};
        sendResult(Command::GetNetworks, f, 3);
      }
      sendResult(Command::GetNetworks, nullptr, 0);  // end of the list
      return;
    }
    case Command::SetLockProvisioning: {
      Str f[7];
      LockProvisioning prov;
      if (!improv::readStrings(args, n, f, 7) || !parseLockProvisioning(f, prov)) {
        sendError(Error::InvalidRpc);
        return;
      }
      if (!store_.saveLock(prov)) {
        sendError(Error::Unknown);
        return;
      }
      lockSaved_ = true;
      sendError(Error::None);
      sendResult(Command::SetLockProvisioning, nullptr, 0);
      return;
    }
  }
  sendError(p.data[0] <= 0x04 || p.data[0] == 0xF0 ? Error::InvalidRpc : Error::UnknownRpc);
}

void ImprovSession::loop() {
  if (state_ != improv::State::Provisioning) return;
  const WifiStatus st = wifi_.status();
  if (st == WifiStatus::Connected) {
    if (!store_.saveWifi(pending_)) {
      state_ = improv::State::Ready;
      sendError(improv::Error::Unknown);
      sendState();
      return;
    }
    wifiSaved_ = true;
    state_ = improv::State::Provisioned;
    sendState();
    sendResult(improv::Command::WifiSettings, nullptr, 0);
    return;
  }
  if (st == WifiStatus::Failed || clock_.millis() - startedMs_ >= timeoutMs_) {
    state_ = improv::State::Ready;
    sendError(improv::Error::UnableToConnect);
    sendState();
  }
}

}  // namespace smartlock
