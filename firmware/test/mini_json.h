// Just enough JSON to read docs/protocol-vectors.json in the tests (objects, arrays, strings
// with simple escapes, integers). Deliberately not the core codec: the vectors must be read by
// something independent of the code they check.
#pragma once
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace minijson {

struct Value {
  enum class Type { Null, Number, String, Array, Object } type = Type::Null;
  double number = 0;
  std::string str;
  std::vector<Value> items;
  std::map<std::string, Value> members;
  const Value& operator[](const std::string& k) const {
    auto it = members.find(k);
    if (it == members.end()) throw std::runtime_error("missing member " + k);
    return it->second;
  }
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  Value parse() {
    Value v = value();
    ws();
    if (i_ != s_.size()) fail("trailing data");
    return v;
  }

 private:
  [[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("json: ") + what + " at " + std::to_string(i_)); }
  void ws() { while (i_ < s_.size() && std::string(" \t\r\n").find(s_[i_]) != std::string::npos) ++i_; }
  char peek() { ws(); if (i_ >= s_.size()) fail("eof"); return s_[i_]; }
  void expect(char c) { if (peek() != c) fail("unexpected char"); ++i_; }
  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c == '\\') {
        char e = s_.at(i_++);
        if (e == 'n') out += '\n';
        else if (e == 't') out += '\t';
        else if (e == 'u') { out += static_cast<char>(std::stoi(s_.substr(i_, 4), nullptr, 16)); i_ += 4; }
        else out += e;  // \" \\ \/
      } else {
        out += c;
      }
    }
    expect('"');
    return out;
  }
  Value value() {
    Value v;
    char c = peek();
    if (c == '{') {
      v.type = Value::Type::Object;
      ++i_;
      if (peek() == '}') { ++i_; return v; }
      do { std::string k = string(); expect(':'); v.members[k] = value(); } while (peek() == ',' && ++i_);
      expect('}');
    } else if (c == '[') {
      v.type = Value::Type::Array;
      ++i_;
      if (peek() == ']') { ++i_; return v; }
      do { v.items.push_back(value()); } while (peek() == ',' && ++i_);
      expect(']');
    } else if (c == '"') {
      v.type = Value::Type::String;
      v.str = string();
    } else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 5, "false") == 0 || s_.compare(i_, 4, "null") == 0) {
      // Booleans read as the numbers 1 and 0 (no Bool type: callers test number != 0); null stays Null.
      const bool isTrue = s_[i_] == 't', isNull = s_[i_] == 'n';
      i_ += isTrue || isNull ? 4 : 5;
      if (!isNull) {
        v.type = Value::Type::Number;
        v.number = isTrue ? 1 : 0;
      }
    } else {
      v.type = Value::Type::Number;
      size_t used = 0;
      v.number = std::stod(s_.substr(i_), &used);
      i_ += used;
    }
    return v;
  }
  const std::string& s_;
  size_t i_ = 0;
};

}  // namespace minijson
