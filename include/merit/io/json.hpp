#pragma once
/// \file io/json.hpp
/// Strict JSON parsing for every JSON merit reads: syntax errors are placed as
/// `file:line:column`, duplicate object keys (which plain parsers silently
/// collapse) are errors placed by JSON pointer, and nesting is bounded, so no
/// document can exhaust the stack.

#include <merit/detail/text.hpp>
#include <merit/errors.hpp>
#include <merit/io/file.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace merit::io {

/// Escapes one reference token of a JSON pointer (RFC 6901): `~` becomes
/// `~0` and `/` becomes `~1`, so "a/b" is placed as `/a~1b`. Every place merit
/// gives inside a JSON document is built with it.
inline std::string pointer_token(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

namespace detail {

using merit::io::pointer_token;

template <class Error>
class strict_sax : public nlohmann::json_sax<nlohmann::json> {
 public:
  using json = nlohmann::json;
  strict_sax(json& root, std::string_view text, const std::string& source)
      : root_(root), text_(text), source_(source) {}

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(json::number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) override { return put(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t&) override { return put(json(v)); }
  bool string(json::string_t& v) override { return put(json(std::move(v))); }
  bool binary(json::binary_t&) override { return put(json(nullptr)); }

  bool start_object(std::size_t) override {
    json* j = put_container(json::object());
    frames_.push_back({j, false, 0, {}, {}});
    return true;
  }
  bool key(json::string_t& k) override {
    frame& f = frames_.back();
    if (!f.keys.insert(k).second)
      throw Error(errc::duplicate, place(pointer() + "/" + pointer_token(k)),
                  "duplicate key '" + k + "'");
    f.key = k;
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    after_element();
    return true;
  }
  bool start_array(std::size_t) override {
    json* j = put_container(json::array());
    frames_.push_back({j, true, 0, {}, {}});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    after_element();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    auto colon = what.find(": ", what.find("column"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    std::size_t line = 1, col = 1;
    std::size_t end = std::min(position > 0 ? position - 1 : 0, text_.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    // An unnamed text (a buffer handed over by a caller) is placed "line:column".
    throw Error(errc::parse, (source_.empty() ? "" : source_ + ":") + std::to_string(line) + ":" + std::to_string(col),
                "invalid JSON: " + detail);
  }

 private:
  struct frame {
    json* node;
    bool is_array;
    std::size_t index;
    std::string key;
    std::unordered_set<std::string> keys;
  };

  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 <= frames_.size(); ++i) {
      if (i == 0) continue;
      const frame& parent = frames_[i - 1];
      p += "/" + (parent.is_array ? std::to_string(parent.index) : pointer_token(parent.key));
    }
    return p;
  }
  std::string place(const std::string& ptr) const {
    return source_.empty() ? ptr : source_ + "#" + ptr;
  }

  json* slot() {
    if (frames_.empty()) return &root_;
    frame& f = frames_.back();
    if (f.is_array) {
      f.node->push_back(nullptr);
      return &f.node->back();
    }
    return &(*f.node)[f.key];
  }
  bool put(json&& v) {
    *slot() = std::move(v);
    after_element();
    return true;
  }
  json* put_container(json&& v) {
    if (frames_.size() >= max_depth)
      throw Error(errc::parse, place(pointer()), "nesting deeper than " + std::to_string(max_depth) + " levels");
    json* s = slot();
    *s = std::move(v);
    return s;
  }
  void after_element() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  static constexpr std::size_t max_depth = 256;
  json& root_;
  std::string_view text_;
  const std::string& source_;
  std::vector<frame> frames_;
};

}  // namespace detail

/// Parses `text` strictly. Errors are thrown as `Error` (model_error or input_error).
template <class Error>
nlohmann::json parse_json(std::string_view text, const std::string& source) {
  // An unnamed text is placed line:column like every other error in it.
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw Error(errc::parse, source.empty() ? std::string("1:1") : source,
                source.empty() ? "document is empty" : "file is empty");
  if (const char* other = merit::detail::foreign_bom(reinterpret_cast<const unsigned char*>(text.data()), text.size()))
    throw Error(errc::parse, source.empty() ? std::string("1:1") : source + ":1:1", merit::detail::foreign_bom_message(other));
  nlohmann::json root;
  detail::strict_sax<Error> sax(root, text, source);
  nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
  return root;
}

}  // namespace merit::io
