// merit match-title: job titles to profiles (include/merit/titles.hpp), one
// JSON object per title (include/merit/io/titles.hpp), in input order.
#include "cli.hpp"

#include <merit/io/csv.hpp>
#include <merit/io/model.hpp>
#include <merit/io/titles.hpp>
#include <merit/titles.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace merit::cli {
namespace {

const char* match_title_help =
    "usage: merit match-title --model M [--titles FILE.csv] [TITLE...] [--out F]\n"
    "\n"
    "Maps job titles (English or Chinese) to the model's profiles and writes JSON Lines,\n"
    "one object per title in input order (--titles rows first, then TITLE arguments):\n"
    "  {\"title\": .., \"profile\": \"<id>\" | null, \"score\": 0..1,\n"
    "   \"alternatives\": [{\"profile\": .., \"score\": ..}], \"reason\": \"..\"}\n"
    "Case, full-width letters, punctuation and bracketed parts are ignored, and so are\n"
    "parts after a comma, bar or dash that name no known term (places, teams, contract\n"
    "words). The model's not_aliases (Sales Empowerment / 销售赋权) and titles of\n"
    "neighbouring fields (Marketing Operations) map to null; VP, Head, Chief, SVP and\n"
    "Director with an enablement term map to the head profile, with an operations term\n"
    "to sales_operations; titles naming both map to the combined profile. The rules and\n"
    "their bases are the model's title_rules (docs/titles.md).\n"
    "将职位名称(中文或英文)映射到模型的画像,每个名称输出一行 JSON。\n"
    "\n"
    "options:\n"
    "  --model M         competency model (JSON) with title_rules\n"
    "  --titles FILE     CSV with a header that has a 'title' column (\"-\": standard input)\n"
    "  --out F           write to F (appears only when complete); default: standard output\n"
    "\n"
    "exit status: 0 ok, 2 bad command line (no title, an empty title), 3 bad model or\n"
    "titles file, 4 file error\n"
    "\n"
    "examples:\n"
    "  merit match-title --model competency_models/sales_enablement.json \\\n"
    "      \"VP, Sales Enablement\" \"销售运营经理（上海）\" \"Marketing Operations Manager\"\n"
    "  merit match-title --model competency_models/sales_enablement.json --titles reqs.csv --out titles.jsonl\n";

/// The titles of a CSV file's 'title' column, in file order.
std::vector<std::string> read_titles(const std::string& path) {
  io::csv_reader r = io::csv_reader::open(path);
  if (!r.next()) throw input_error(errc::schema, path + ":1:1", "the file is empty; it needs a header with a 'title' column");
  std::size_t col = r.size();
  std::string header;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r[i] == "title" && col == r.size()) col = i;
    header += (header.empty() ? "" : ", ") + std::string(r[i]);
  }
  if (col == r.size())
    throw input_error(errc::schema, r.place(0), "no 'title' column (the header has: " + header + ")");
  std::vector<std::string> titles;
  while (r.next()) {
    if (col >= r.size())
      throw input_error(errc::schema, r.place_at(r.line(), r.record().size() + 1),
                        "the row has no 'title' field (" + std::to_string(r.size()) + " fields)");
    try {
      if (title_parts(r[col]).empty())
        throw argument_error("the title is empty; fill it in or remove the row");
    } catch (const argument_error& e) {
      throw input_error(errc::value, r.place(col), e.detail());
    }
    titles.emplace_back(r[col]);
  }
  return titles;
}

int run_match_title(args& a) {
  const std::string model_path = a.required("--model");
  const std::optional<std::string> titles_path = a.value("--titles");
  const std::string out_path = a.value("--out").value_or("-");
  std::vector<std::string> given;
  while (auto t = a.positional()) given.push_back(*t);
  a.finish();
  if (!titles_path && given.empty())
    throw usage_error{"no title: pass --titles FILE.csv or one or more TITLE arguments"};
  const competency_model model = load_model(model_path);
  std::vector<std::string> titles = titles_path ? read_titles(*titles_path) : std::vector<std::string>{};
  std::string text;
  for (const auto& t : titles) text += io::title_match_json(match_title(model, t)).dump() + "\n";
  for (std::size_t i = 0; i < given.size(); ++i) {
    try {
      text += io::title_match_json(match_title(model, given[i])).dump() + "\n";
    } catch (const argument_error& e) {
      throw usage_error{"TITLE " + std::to_string(i + 1) + " ('" + given[i] + "'): " + e.detail()};
    }
  }
  write_output(out_path, text);
  return exit_ok;
}

registrar reg_match_title{{"match-title", "map job titles to the model's profiles (JSON Lines)", match_title_help,
                           &run_match_title}};

}  // namespace
}  // namespace merit::cli
