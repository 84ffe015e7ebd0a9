#include "codec_update.h"

#include <cstring>

#include "json.h"
#include "signature.h"

namespace smartlock {
namespace {

enum Member : uint8_t { kV, kType, kDev, kId, kCtr, kTs, kUrl, kMan, kMsig, kCount };
constexpr const char* kNames[kCount] = {"v", "type", "dev", "id", "ctr", "ts", "url", "man", "msig"};
constexpr bool kIsInt[kCount] = {true, false, false, false, true, true, false, false, false};
constexpr uint32_t kAll = (1u << kCount) - 1;

bool inRange(int64_t v, int64_t lo, int64_t hi) { return v >= lo && v <= hi; }
bool printableNoQuote(const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\') return false;
  }
  return true;
}

}  // namespace

bool isValidUpdateId(const char* s, size_t n) {
  return s != nullptr && n > 4 && std::strncmp(s, "upd-", 4) == 0 && isValidCommandId(s, n);
}

bool isValidImageUrl(const char* s, size_t n) {
  if (s == nullptr || n > kUpdateUrlMax) return false;
  size_t scheme = 0;
  if (n >= 7 && std::strncmp(s, "http://", 7) == 0) scheme = 7;
  if (n >= 8 && std::strncmp(s, "https://", 8) == 0) scheme = 8;
  if (scheme == 0 || n == scheme || s[scheme] == '/') return false;  // a host is required
  for (size_t i = 0; i < n; ++i) {
    if (s[i] <= 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\') return false;
  }
  return true;
}

std::optional<RejectReason> parseUpdate(const char* b, size_t n, const char* topicDevice, UpdateMessage& out) {
  out = UpdateMessage{};
  if (b == nullptr || n > kMaxPayload) return RejectReason::Malformed;
  JsonReader r(b, n);
  uint32_t seen = 0;
  int64_t ints[kCount] = {};
  StrView strs[kCount];
  bool syntaxOk = r.consume('{');
  for (bool first = true; syntaxOk && !r.consume('}'); first = false) {
    StrView name;
    if ((!first && !r.consume(',')) || !r.readString(name) || !r.consume(':')) {
      syntaxOk = false;
      break;
    }
    int m = -1;
    for (int i = 0; i < kCount; ++i) if (name.equals(kNames[i])) m = i;
    if (m < 0 || (seen & (1u << m))) {
      syntaxOk = false;  // unknown or duplicate
      break;
    }
    seen |= 1u << m;
    syntaxOk = kIsInt[m] ? r.readInt(ints[m]) : r.readString(strs[m]);
  }
  syntaxOk = syntaxOk && r.atEnd();
  // The id as soon as it parses, so a rejection can name it.
  if ((seen & (1u << kId)) && isValidUpdateId(strs[kId].data, strs[kId].len)) strs[kId].copyTo(out.id, sizeof out.id);
  if (!syntaxOk) return RejectReason::Malformed;
  if (!(seen & (1u << kV))) return RejectReason::Malformed;
  if (ints[kV] != kUpdateProtocolVersion) return RejectReason::BadVersion;
  if (!(seen & (1u << kType))) return RejectReason::Malformed;
  if (!strs[kType].equals("update")) return RejectReason::WrongType;
  if (!(seen & (1u << kDev)) || !isValidDeviceId(strs[kDev].data, strs[kDev].len)) return RejectReason::Malformed;
  if (topicDevice == nullptr || !strs[kDev].equals(topicDevice)) return RejectReason::WrongDevice;
  if (seen != kAll || out.id[0] == '\0' || !inRange(ints[kCtr], 1, kMaxSafeInteger) ||
      !inRange(ints[kTs], 0, kMaxSafeInteger) || !isValidImageUrl(strs[kUrl].data, strs[kUrl].len) ||
      strs[kMan].len == 0 || strs[kMan].len > kManifestMax || !printableNoQuote(strs[kMan].data, strs[kMan].len) ||
      strs[kMsig].len != kReleaseSigHexLen) {
    return RejectReason::Malformed;
  }
  ReleaseSig sig{};
  if (!parseLowerHex(strs[kMsig].data, strs[kMsig].len, sig.data(), sig.size())) return RejectReason::Malformed;
  strs[kDev].copyTo(out.dev, sizeof out.dev);
  strs[kUrl].copyTo(out.url, sizeof out.url);
  strs[kMan].copyTo(out.man, sizeof out.man);
  strs[kMsig].copyTo(out.msig, sizeof out.msig);
  out.ctr = ints[kCtr];
  out.ts = ints[kTs];
  return std::nullopt;
}

UpdateRequest updateRequestOf(const UpdateMessage& m) {
  UpdateRequest r;
  r.id = m.id;
  r.url = m.url;
  r.manifest = m.man;
  r.manifestLen = std::strlen(m.man);
  r.msig = m.msig;
  r.msigLen = std::strlen(m.msig);
  return r;
}

size_t appendUpd(char* out, size_t len, size_t cap, const UpdateProgress& p) {
  if (out == nullptr || len < 2 || len >= cap || out[len - 1] != '}') return 0;
  if (!isValidUpdateId(p.id, std::strlen(p.id))) return 0;
  if (updStateHasReason(p.state) != (p.reason != UpdReason::None)) return 0;
  char member[kCommandIdMax + 64];
  JsonWriter w(member, sizeof member);
  w.raw(",\"upd\":").open().key("id").str(p.id).key("state").str(nameOf(p.state));
  if (p.reason != UpdReason::None) w.key("reason").str(nameOf(p.reason));
  w.close();
  const size_t m = w.length();
  if (m == 0 || len + m >= cap) return 0;
  std::memcpy(out + len - 1, member, m);
  out[len - 1 + m] = '}';
  out[len + m] = '\0';
  return len + m;
}

}  // namespace smartlock
