#include "ble_access.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "json.h"
#include "key_schedule.h"
#include "log_line.h"

namespace smartlock {
namespace {

// Storage keys (<= 15 chars for NVS). Uses: sequence numbers "bleq.h" (oldest) and "bleq.t" (next
// free); use i in "bleq.<i%16>k" (kid) and "bleq.<i%16>v" (at * 2 + 1 for LOCK). Revocations: two
// slots "brv<s>.n" (count), "brv<s>.b" (before), "brv<s>.<j>" (kids), and "brv.cur" naming the
// slot in force, written last so a power cut leaves the old list or the new one, never a mix.
constexpr const char* kUseHead = "bleq.h";
constexpr const char* kUseTail = "bleq.t";
constexpr const char* kRevCurrent = "brv.cur";

void useKey(char (&out)[16], uint64_t seq, char what) {
  std::snprintf(out, sizeof out, "bleq.%u%c", (unsigned)(seq % kBleUseQueue), what);
}
void revKey(char (&out)[16], uint64_t slot, const char* what) {
  std::snprintf(out, sizeof out, "brv%u.%s", (unsigned)slot, what);
}

bool isLowerHex(const StrView& v, size_t len) {
  if (v.len != len) return false;
  for (size_t i = 0; i < len; ++i) {
    const char c = v.data[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The next member of B, which must be `name`: the members of a request come in one fixed order.
bool member(JsonReader& r, const char* name, bool first) {
  StrView n;
  return (first || r.consume(',')) && r.readString(n) && n.equals(name) && r.consume(':');
}

}  // namespace

// The request's members (views into the copy of B).
struct BleAccess::Parsed {
  StrView dev, kid, uid, act, n;
  int64_t nb = 0, na = 0;
  Action op = Action::Unlock;
  uint64_t kidValue = 0;
  char nonce[2 * kBleNonceLen + 1] = {};  // n, once the request parsed ("" before)
};

BleAccess::BleAccess(const BleAccessDeps& deps, const char* deviceId) : d_(deps), deviceId_(deviceId) {}

void BleAccess::log(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vlogLine(d_.logger, fmt, args);
  va_end(args);
}

void BleAccess::begin(const DeviceKey& k) {
  rekeyed(k);
  loadRevocations();
  loadUses();
}

void BleAccess::rekeyed(const DeviceKey& k) { bleKey_ = derivePurposeKey(k, KeyPurpose::Ble); }

size_t BleAccess::readChallenge(char* out, size_t cap) {
  for (size_t i = 0; i < kBleNonceLen; i += 4) {
    const uint32_t r = d_.random.next();
    for (size_t j = 0; j < 4; ++j) nonce_[i + j] = static_cast<uint8_t>(r >> (24 - 8 * j));
  }
  nonceOutstanding_ = true;
  nonceAtMs_ = d_.clock.millis();
  char hex[2 * kBleNonceLen + 1];
  toHex(nonce_, kBleNonceLen, hex);
  JsonWriter w(out, cap);
  w.open().key("v").num(kProtocolV3).key("type").str("blechal").key("dev").str(deviceId_);
  w.key("n").str(hex).key("t").num(d_.clock.unixTime().value_or(0)).close();
  return w.length();
}

BleVerdict BleAccess::request(const char* data, size_t len) {
  Parsed p;
  bool haveSecret = false;
  Digest secret{};
  const BleVerdict v = check(data, len, p, haveSecret, secret);
  char kid[kBleKidHexLen + 1];
  kidHex(p.kidValue, kid);
  log("ble: request %s%s: %s", p.nonce[0] ? "of key " : "(unparsed)", p.nonce[0] ? kid : "", nameOf(v));
  pending_ = false;  // a new result replaces one still waiting for the bolt
  if (v == BleVerdict::Ok) {
    pending_ = true;
    std::memcpy(pendingNonce_, p.nonce, sizeof pendingNonce_);
    pendingSecret_ = secret;
  } else {
    setResult(p.nonce, v, haveSecret ? &secret : nullptr);
  }
  secret.fill(0);
  return v;
}

BleVerdict BleAccess::check(const char* data, size_t len, Parsed& p, bool& haveSecret, Digest& secret) {
  // 1. size, envelope, then B's members in their one order with their types.
  if (data == nullptr || len > kBleRequestMax) return BleVerdict::Malformed;
  const std::optional<size_t> body = envelopeBodyLength(data, len);
  if (!body) return BleVerdict::Malformed;
  char b[kBleRequestMax + 1];
  std::memcpy(b, data, *body);
  b[*body] = '}';
  const size_t bLen = *body + 1;
  JsonReader r(b, bLen);
  StrView type, op;
  int64_t v = 0;
  const bool shaped = r.consume('{') && member(r, "v", true) && r.readInt(v) && member(r, "type", false) &&
                      r.readString(type) && member(r, "dev", false) && r.readString(p.dev) &&
                      member(r, "kid", false) && r.readString(p.kid) && member(r, "uid", false) &&
                      r.readString(p.uid) && member(r, "act", false) && r.readString(p.act) &&
                      member(r, "nb", false) && r.readInt(p.nb) && member(r, "na", false) && r.readInt(p.na) &&
                      member(r, "op", false) && r.readString(op) && member(r, "n", false) && r.readString(p.n) &&
                      r.consume('}') && r.atEnd();
  if (!shaped || v != kProtocolV3 || !type.equals("bleop") || !isValidDeviceId(p.dev.data, p.dev.len) ||
      !parseKid(p.kid.data, p.kid.len, p.kidValue) || !isValidCommandId(p.uid.data, p.uid.len) ||
      !(p.act.equals("L") || p.act.equals("U") || p.act.equals("LU")) || p.nb < 0 || p.na < 0 ||
      !parseAction(op.data, op.len, p.op) || !isLowerHex(p.n, 2 * kBleNonceLen)) {
    p.kidValue = 0;
    return BleVerdict::Malformed;
  }
  p.n.copyTo(p.nonce, sizeof p.nonce);
  // 2. this lock.
  if (!p.dev.equals(deviceId_)) return BleVerdict::WrongDevice;
  // 3. the outstanding nonce, young enough; used up by this request whatever follows.
  char expected[2 * kBleNonceLen + 1];
  toHex(nonce_, kBleNonceLen, expected);
  const bool fresh = nonceOutstanding_ && static_cast<uint32_t>(d_.clock.millis() - nonceAtMs_) <= kBleNonceMs;
  const bool same = constantTimeEqual(reinterpret_cast<const uint8_t*>(expected),
                                      reinterpret_cast<const uint8_t*>(p.nonce), 2 * kBleNonceLen);
  nonceOutstanding_ = false;
  if (!fresh || !same) return BleVerdict::BadNonce;
  // 4. C from the members, s = HMAC(key("ble"), C), sig = HMAC(s, B), compared in constant time.
  char c[kBleRequestMax + 1];
  char kid[kBleKidHexLen + 1], uid[kCommandIdMax + 1], act[3];
  p.kid.copyTo(kid, sizeof kid);
  p.uid.copyTo(uid, sizeof uid);
  p.act.copyTo(act, sizeof act);
  JsonWriter w(c, sizeof c);
  w.open().key("v").num(kProtocolV3).key("type").str("blekey").key("dev").str(deviceId_).key("kid").str(kid);
  w.key("uid").str(uid).key("act").str(act).key("nb").num(p.nb).key("na").num(p.na).close();
  if (!w.ok()) return BleVerdict::Malformed;  // cannot happen: C is shorter than B
  secret = hmacSha256(bleKey_, reinterpret_cast<const uint8_t*>(c), w.length());
  const Digest sig = hmacSha256(secret, reinterpret_cast<const uint8_t*>(b), bLen);
  char sigHex[kSigHexLen + 1];
  toHex(sig.data(), sig.size(), sigHex);
  if (!constantTimeEqual(reinterpret_cast<const uint8_t*>(sigHex),
                         reinterpret_cast<const uint8_t*>(data + *body + kSigPrefixLen), kSigHexLen)) {
    secret.fill(0);
    return BleVerdict::BadSignature;
  }
  haveSecret = true;
  // 5. the window: hours, not weeks.
  if (!(p.nb < p.na) || p.na - p.nb > kBleMaxWindowS) return BleVerdict::Malformed;
  // 6. the lock's time (the server's, kept since): none after a power loss until it hears the server.
  const std::optional<int64_t> now = d_.clock.unixTime();
  if (!now) return BleVerdict::NoClock;
  if (*now < p.nb - kBleEarlyS) return BleVerdict::NotYet;
  if (*now >= p.na) return BleVerdict::Expired;
  // 7. the server's revocation list.
  if (revoked_.revokes(p.kidValue, p.nb)) return BleVerdict::Revoked;
  // 8. the action the key allows.
  if (std::strchr(act, p.op == Action::Lock ? 'L' : 'U') == nullptr) return BleVerdict::NotAllowed;
  // 9. the rules a remote command has; 10. move, and remember the use for the server.
  if (const std::optional<MoveRefusal> refused = d_.controller.startBleMove(p.op)) {
    switch (*refused) {
      case MoveRefusal::SafeMode: return BleVerdict::SafeMode;
      case MoveRefusal::Busy: return BleVerdict::Busy;
      case MoveRefusal::DoorOpen: return BleVerdict::DoorOpen;
    }
  }
  if (!recordUse(BleUse{p.kidValue, p.op, *now})) log("ble: the use could not be persisted; a power cut would lose it");
  return BleVerdict::Ok;
}

void BleAccess::poll() {
  if (!pending_ || d_.controller.moving()) return;
  pending_ = false;
  setResult(pendingNonce_, BleVerdict::Ok, &pendingSecret_);
  pendingSecret_.fill(0);
}

void BleAccess::setResult(const char* nonce, BleVerdict verdict, const Digest* secret) {
  const LockStatus status = verdict == BleVerdict::Ok ? d_.controller.status() : d_.controller.reportedStatus(kProtocolV3);
  JsonWriter w(result_, sizeof result_);
  w.open().key("v").num(kProtocolV3).key("type").str("bleres").key("dev").str(deviceId_).key("n").str(nonce);
  w.key("result").str(verdict == BleVerdict::Ok ? "ok" : "rejected");
  if (verdict != BleVerdict::Ok) w.key("reason").str(nameOf(verdict));
  w.key("status").str(nameOf(status)).close();
  size_t n = w.length();
  if (n > 0 && secret != nullptr) n = signInPlace(*secret, result_, n, sizeof result_);
  resultLen_ = n;
  if (n == 0) result_[0] = '\0';  // cannot happen: every member is bounded
  resultChanged_ = true;
}

bool BleAccess::recordUse(const BleUse& use) {
  bool stored = true;
  if (queued() == kBleUseQueue) {  // full: the oldest goes, and is counted
    ++head_;
    ++droppedUses_;
    stored = d_.storage.store(kUseHead, head_);
    log("ble: use queue full, the oldest unreported use was dropped (%u so far)", (unsigned)droppedUses_);
  }
  uses_[tail_ % kBleUseQueue] = use;
  char k[16], v[16];
  useKey(k, tail_, 'k');
  useKey(v, tail_, 'v');
  stored = stored && d_.storage.store(k, use.kid) &&
           d_.storage.store(v, static_cast<uint64_t>(use.at) * 2 + (use.op == Action::Lock ? 1 : 0));
  ++tail_;
  return d_.storage.store(kUseTail, tail_) && stored;
}

void BleAccess::usePublished() {
  if (queued() == 0) return;
  ++head_;
  if (!d_.storage.store(kUseHead, head_)) log("ble: could not persist a reported use; it may be reported again");
}

void BleAccess::loadUses() {
  head_ = d_.storage.load(kUseHead).value_or(0);
  tail_ = d_.storage.load(kUseTail).value_or(0);
  if (tail_ < head_ || tail_ - head_ > kBleUseQueue) head_ = tail_;  // unreadable: nothing to report
  for (uint64_t i = head_; i < tail_; ++i) {
    char k[16], v[16];
    useKey(k, i, 'k');
    useKey(v, i, 'v');
    const std::optional<uint64_t> kid = d_.storage.load(k), packed = d_.storage.load(v);
    BleUse& u = uses_[i % kBleUseQueue];
    u.kid = kid.value_or(0);
    u.op = packed.value_or(0) & 1 ? Action::Lock : Action::Unlock;
    u.at = static_cast<int64_t>(packed.value_or(0) >> 1);
  }
  if (queued() > 0) log("ble: %u offline uses to report", (unsigned)queued());
}

bool BleAccess::replaceRevocations(const BleRevocations& list) {
  const std::optional<uint64_t> current = d_.storage.load(kRevCurrent);
  const uint64_t slot = current && *current == 0 ? 1 : 0;
  char k[16];
  revKey(k, slot, "n");
  bool ok = d_.storage.store(k, list.count);
  revKey(k, slot, "b");
  ok = ok && d_.storage.store(k, static_cast<uint64_t>(list.before));
  for (size_t i = 0; ok && i < list.count; ++i) {
    char name[4];
    std::snprintf(name, sizeof name, "%u", (unsigned)i);
    revKey(k, slot, name);
    ok = d_.storage.store(k, list.kids[i]);
  }
  if (!ok || !d_.storage.store(kRevCurrent, slot)) return false;  // the list in force is still the old one
  revoked_ = list;
  return true;
}

void BleAccess::loadRevocations() {
  revoked_ = BleRevocations{};
  const std::optional<uint64_t> slot = d_.storage.load(kRevCurrent);
  if (!slot || *slot > 1) return;
  char k[16];
  revKey(k, *slot, "n");
  const uint64_t count = d_.storage.load(k).value_or(0);
  revKey(k, *slot, "b");
  const uint64_t before = d_.storage.load(k).value_or(0);
  if (count > kBleRevokedMax || before > static_cast<uint64_t>(kMaxSafeInteger)) {
    // Unreadable: refuse every key issued so far rather than forget a revocation.
    revoked_.before = kMaxSafeInteger;
    log("ble: the stored revocation list is unreadable; every offline key is refused until the server sends one");
    return;
  }
  revoked_.count = static_cast<size_t>(count);
  revoked_.before = static_cast<int64_t>(before);
  for (size_t i = 0; i < revoked_.count; ++i) {
    char name[4];
    std::snprintf(name, sizeof name, "%u", (unsigned)i);
    revKey(k, *slot, name);
    const std::optional<uint64_t> kid = d_.storage.load(k);
    if (!kid) {  // a kid lost: refuse every key rather than the wrong ones
      revoked_.before = kMaxSafeInteger;
      log("ble: the stored revocation list is incomplete; every offline key is refused until the server sends one");
      return;
    }
    revoked_.kids[i] = *kid;
  }
}

}  // namespace smartlock
