// Minimal bounded JSON reader and writer for the codec. Not a general JSON library: the reader
// knows only what protocol v1 needs (objects, strings, integers, no whitespace) and never
// allocates; the writer fails instead of truncating.
#pragma once
#include <cstddef>
#include <cstdint>

namespace smartlock {

struct StrView {
  const char* data = nullptr;
  size_t len = 0;
  bool equals(const char* lit) const;
  bool copyTo(char* out, size_t cap) const;  // NUL-terminated; false if len >= cap
};

class JsonReader {
 public:
  JsonReader(const char* s, size_t n) : s_(s), n_(n) {}
  bool consume(char c);
  bool peekIs(char c) const { return pos_ < n_ && s_[pos_] == c; }
  bool atEnd() const { return pos_ == n_; }
  // Content between the quotes. The protocol's one string rule (docs/protocol.md §3): printable
  // ASCII (0x20-0x7E) without `"` or `\`, so there are no escapes to decode; anything else fails.
  bool readString(StrView& out);
  // Integer in [-2^53+1, 2^53-1] without leading zeros, fraction or exponent.
  bool readInt(int64_t& out);

 private:
  const char* s_;
  size_t n_;
  size_t pos_ = 0;
};

class JsonWriter {
 public:
  JsonWriter(char* out, size_t cap) : out_(out), cap_(cap) {
    if (cap_ > 0) out_[0] = '\0';
    else ok_ = false;
  }
  JsonWriter& raw(const char* s);
  JsonWriter& key(const char* name);            // ,"name":  (no comma right after '{')
  JsonWriter& str(const char* s);               // quoted; only printable ASCII without " or \ .
  JsonWriter& num(int64_t v);
  JsonWriter& open() { return put('{'); }
  JsonWriter& close() { return put('}'); }
  bool ok() const { return ok_; }
  size_t length() const { return ok_ ? len_ : 0; }

 private:
  JsonWriter& put(char c);
  char* out_;
  size_t cap_;
  size_t len_ = 0;
  bool ok_ = true;
};

}  // namespace smartlock
