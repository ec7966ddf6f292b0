#include <merit/io/csv.hpp>

#include <catch2/catch.hpp>

#include <charconv>
#include <string>
#include <vector>

using merit::io::csv_reader;

namespace {
std::vector<std::vector<std::string>> read_all(const std::string& text, merit::io::csv_options opt = {}) {
  csv_reader r(text, "t.csv", opt);
  std::vector<std::vector<std::string>> out;
  while (r.next()) out.emplace_back(r.fields().begin(), r.fields().end());
  return out;
}
std::string message_of(const std::string& text, merit::io::csv_options opt = {}) {
  try {
    read_all(text, opt);
  } catch (const merit::input_error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("csv: plain, quoted, CRLF, BOM, blank lines", "[csv]") {
  auto rows = read_all("\xEF\xBB\xBF" "a,b,c\r\n1,\"x,\"\"y\"\"\",\r\n\r\n2,,3\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"a", "b", "c"});
  CHECK(rows[1] == std::vector<std::string>{"1", "x,\"y\"", ""});
  CHECK(rows[2] == std::vector<std::string>{"2", "", "3"});
}

TEST_CASE("csv: line numbers count blank lines and embedded newlines", "[csv]") {
  csv_reader r(std::string_view("h\n\n\"a\nb\"\nz"), "t.csv");
  REQUIRE(r.next());
  CHECK(r.line() == 1);
  REQUIRE(r.next());
  CHECK(r.line() == 3);
  CHECK(r[0] == "a\nb");
  REQUIRE(r.next());
  CHECK(r.line() == 5);
  CHECK(r.place(0) == "t.csv:5:1");
  CHECK_FALSE(r.next());
}

TEST_CASE("csv: errors name file, line and column", "[csv]") {
  CHECK(message_of("a,b\n1,\xff\n") == "t.csv:2:3: invalid UTF-8 (byte 0xFF): the text looks like Windows-1252 "
                                        "(Western European Windows); save the file as UTF-8");
  // Control bytes copied from the input are shown escaped, so the message stays one printable line.
  CHECK(merit::input_error(merit::errc::value, "f:1:1", std::string("bad 'a\0b\tc\x1b'", 12)).what() ==
        std::string("f:1:1: bad 'a\\x00b\\tc\\x1b'"));
  // A header without commas but with semicolons or tabs names the separator.
  CHECK(message_of("a;b;c\n1;2;3\n") == "t.csv:1:1: the header has no comma but 2 semicolons: the file is "
                                        "semicolon-separated; merit reads comma-separated CSV: save it with "
                                        "commas as the separator");
  CHECK(message_of("a\tb\n1\t2\n") == "t.csv:1:1: the header has no comma but 1 tab: the file is tab-separated "
                                        "(TSV); merit reads comma-separated CSV: save it with commas as the separator");
  CHECK(message_of("a,b\n1,\"x\"y\n") == "t.csv:2:6: unexpected character after a closing quote");
  CHECK(message_of("a,b\n1,\"x\n") == "t.csv:2:1: quoted field is not closed before the end of the file");
  merit::io::csv_options small;
  small.max_record_bytes = 8;
  CHECK(message_of("a,b\n123456789,1\n", small) == "t.csv:2:1: record is longer than 8 bytes");
}

TEST_CASE("csv: parse_double accepts numbers only", "[csv]") {
  double x = 0;
  CHECK(merit::io::parse_double(" 3.5 ", x));
  CHECK(x == 3.5);
  CHECK(merit::io::parse_double("+4", x));
  CHECK_FALSE(merit::io::parse_double("", x));
  CHECK_FALSE(merit::io::parse_double("abc", x));
  CHECK_FALSE(merit::io::parse_double("3x", x));
  CHECK_FALSE(merit::io::parse_double("nan", x));
  CHECK_FALSE(merit::io::parse_double("inf", x));
}

TEST_CASE("csv: plain decimals are read as from_chars reads them, to the bit", "[csv]") {
  // The fast paths (digits read while a field's end is sought, a compile-time
  // table of tenths) must give the same double as the general reader.
  auto same = [](const std::string& s) {
    double fast = 0, reference = 0;
    if (!merit::io::parse_double(s, fast)) return false;
    std::from_chars(s.data(), s.data() + s.size(), reference);
    return fast == reference;
  };
  int bad = 0;
  for (int k = 0; k < 20000; ++k) {
    const std::string whole = std::to_string(k / 10), tenth = std::to_string(k % 10);
    if (!same(whole + "." + tenth)) ++bad;
    if (!same(std::to_string(k))) ++bad;
    if (!same(std::to_string(k / 100) + "." + (k % 100 < 10 ? "0" : "") + std::to_string(k % 100))) ++bad;
  }
  CHECK(bad == 0);
  CHECK(same("999.9"));
  CHECK(same("1000.1"));
  CHECK(same("123456789012.345"));
}
