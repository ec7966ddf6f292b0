#pragma once
/// \file io/html.hpp
/// What every printed page of merit shares (the interview kit's guide,
/// io/kit.hpp, and the candidate and pool reports, io/report_html.hpp): the
/// language of the labels, picking a model label in it, escaping text for
/// HTML and SVG, and the page's head with print CSS for A4 and font fallbacks
/// that reach a Chinese font.

#include <merit/model.hpp>

#include <string>
#include <string_view>

namespace merit::io {

/// The language of a printed page: en or zh-CN (JSON carries both).
enum class kit_lang { en, zh };

/// The language named by `--lang` ("en" or "zh-CN"; anything else is en).
inline kit_lang parse_lang(std::string_view name) { return name == "zh-CN" ? kit_lang::zh : kit_lang::en; }

namespace detail {

/// The label in `lang`, falling back to English when the model has no Chinese.
inline const std::string& pick(const label& l, kit_lang lang) {
  return lang == kit_lang::zh && !l.zh.empty() ? l.zh : l.en;
}
inline std::string tr(kit_lang lang, const char* en, const char* zh) { return lang == kit_lang::zh ? zh : en; }

/// Text escaped for HTML and SVG (element content and quoted attributes).
inline std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Font stacks: Noto Sans, then the Chinese fonts Debian installs
/// (fonts-noto-cjk, fonts-wqy-microhei), the common Windows and macOS ones,
/// then any sans-serif.
inline constexpr const char* font_stack =
    "'Noto Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', "
    "'PingFang SC', 'DejaVu Sans', sans-serif";

/// `<!DOCTYPE html>` up to `<body>`: the language, the title and the page's
/// CSS, after the base rules every page shares (A4 with margins, the fonts).
inline std::string html_page_head(kit_lang lang, std::string_view title, std::string_view css) {
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"" + std::string(lang == kit_lang::zh ? "zh-CN" : "en") +
       "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) + "</title>\n<style>\n";
  o += "@page { size: A4; margin: 10mm 12mm; }\n";
  o += "body { font-family: " + std::string(font_stack) + "; font-size: 9pt; line-height: 1.3; color: #111; margin: 0; }\n";
  o += css;
  o += "</style>\n</head>\n<body>\n";
  return o;
}

}  // namespace detail
}  // namespace merit::io
