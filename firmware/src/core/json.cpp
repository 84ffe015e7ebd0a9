#include "json.h"

#include <cstring>

#include "protocol.h"

namespace smartlock {

bool StrView::equals(const char* lit) const {
  return std::strlen(lit) == len && std::memcmp(data, lit, len) == 0;
}

bool StrView::copyTo(char* out, size_t cap) const {
  if (len >= cap) return false;
  std::memcpy(out, data, len);
  out[len] = '\0';
  return true;
}

bool JsonReader::consume(char c) {
  if (!peekIs(c)) return false;
  ++pos_;
  return true;
}

bool JsonReader::readString(StrView& out) {
  if (!consume('"')) return false;
  const size_t start = pos_;
  while (pos_ < n_) {
    const auto c = static_cast<unsigned char>(s_[pos_]);
    if (c == '"') {
      out.data = s_ + start;
      out.len = pos_ - start;
      ++pos_;
      return true;
    }
    // Control characters, bytes outside ASCII and any escape: the server refuses them too.
    if (c < 0x20 || c > 0x7e || c == '\\') return false;
    ++pos_;
  }
  return false;  // unterminated
}

bool JsonReader::readInt(int64_t& out) {
  bool negative = consume('-');
  if (pos_ >= n_ || s_[pos_] < '0' || s_[pos_] > '9') return false;
  if (s_[pos_] == '0' && pos_ + 1 < n_ && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9') return false;
  int64_t v = 0;
  while (pos_ < n_ && s_[pos_] >= '0' && s_[pos_] <= '9') {
    v = v * 10 + (s_[pos_] - '0');
    if (v > kMaxSafeInteger) return false;  // checked per digit, so it cannot overflow int64
    ++pos_;
  }
  if (pos_ < n_ && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) return false;
  if (negative && v == 0) return false;  // "-0" is not a number the server would send
  out = negative ? -v : v;
  return true;
}

JsonWriter& JsonWriter::put(char c) {
  if (!ok_ || len_ + 1 >= cap_) {
    ok_ = false;
    return *this;
  }
  out_[len_++] = c;
  out_[len_] = '\0';
  return *this;
}

JsonWriter& JsonWriter::raw(const char* s) {
  while (ok_ && *s) put(*s++);
  return *this;
}

JsonWriter& JsonWriter::key(const char* name) {
  if (ok_ && len_ > 0 && out_[len_ - 1] != '{') put(',');
  return put('"').raw(name).put('"').put(':');
}

JsonWriter& JsonWriter::str(const char* s) {
  put('"');
  for (; ok_ && *s; ++s) {
    const auto c = static_cast<unsigned char>(*s);
    // The lock only writes identifiers and its own short texts: refusing what would need
    // escaping keeps every writer and reader of the protocol byte-compatible without an escaper.
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') ok_ = false;
    put(*s);
  }
  return put('"');
}

JsonWriter& JsonWriter::num(int64_t v) {
  char digits[24];
  int n = 0;
  const bool negative = v < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    digits[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (negative) put('-');
  while (n > 0) put(digits[--n]);
  return *this;
}

}  // namespace smartlock
