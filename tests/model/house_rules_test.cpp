// The house rules, checked on the source tree: which folder may include which (the tables in
// model/README.md and server/README.md), model/ free of HTTP, and comments that name a rule or
// a feature rather than the work item that asked for it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
const fs::path kRoot = PROBITY_SOURCE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "model/register/x.hpp" -> "model/register"; "server/main.cpp" -> "server".
std::string folder_of(const std::string& relative) {
  const auto first = relative.find('/');
  const auto second = relative.find('/', first + 1);
  return second == std::string::npos ? relative.substr(0, first) : relative.substr(0, second);
}

// What each folder may include besides itself. A prefix ending in '/' allows a whole folder;
// otherwise it names one header.
const std::map<std::string, std::vector<std::string>> kMayInclude = {
    {"model/base", {}},
    {"model/store", {"model/base/"}},
    {"model/accounts", {"model/base/", "model/store/"}},
    {"model/register", {"model/base/", "model/store/", "model/accounts/"}},
    {"model/meetings", {"model/base/", "model/store/", "model/register/"}},
    {"model/public", {"model/base/", "model/store/", "model/register/", "model/meetings/"}},
    {"model/mail", {"model/base/", "model/store/"}},
    {"model/bundle", {"model/"}},
    {"server/http", {"model/"}},
    // Accounts, governance and meetings cause messages: they compose them with server/mail/.
    {"server/accounts", {"model/", "server/http/", "server/mail/"}},
    {"server/member", {"model/", "server/http/"}},
    // Governance reviews members' declarations and shows them as the member sees them.
    {"server/governance", {"model/", "server/http/", "server/member/member_views.hpp", "server/mail/"}},
    {"server/meetings", {"model/", "server/http/", "server/mail/"}},
    {"server/mail", {"model/", "server/http/"}},
    // Published minutes are the meetings area's minutes view, shown to the public, so the public
    // page and the committee's copy cannot drift apart; managers may preview unpublished ones.
    {"server/public", {"model/", "server/http/", "server/meetings/meeting_views.hpp", "server/meetings/meeting_access.hpp"}},
    // Procurement decisions: the other registers beside the register of interests.
    {"model/registers", {"model/base/", "model/store/", "model/register/", "model/meetings/", "model/public/"}},
    {"server/registers", {"model/", "server/http/"}},
    {"server/cli", {"model/", "server/"}},
    {"server", {"server/cli/"}},  // main.cpp
    // The Conflicts of Interest Guardian: a breach is shown as the breaches register shows it.
    {"server/guardian", {"model/", "server/http/", "server/meetings/meeting_views.hpp"}},
};

struct Source {
  std::string path;  // relative to the repository
  std::string text;
};

std::vector<Source> sources_under(const std::vector<std::string>& tops, const std::set<std::string>& extensions) {
  std::vector<Source> out;
  for (const auto& top : tops)
    for (const auto& e : fs::recursive_directory_iterator(kRoot / top))
      if (e.is_regular_file() && extensions.count(e.path().extension().string()))
        out.push_back({fs::relative(e.path(), kRoot).generic_string(), read(e.path())});
  return out;
}
}  // namespace

TEST_CASE("house rules: each folder includes only what its README allows, and model/ knows nothing of HTTP") {
  const auto files = sources_under({"model", "server"}, {".hpp", ".cpp"});
  REQUIRE(files.size() > 100);
  const std::regex include(R"re(#include\s*[<"]([^">]+)[">])re");
  std::set<std::string> folders_seen;
  std::vector<std::string> wrong;
  for (const auto& f : files) {
    const auto folder = folder_of(f.path);
    folders_seen.insert(folder);
    auto rule = kMayInclude.find(folder);
    if (rule == kMayInclude.end()) {
      wrong.push_back(f.path + ": its folder has no row in the rules (add one to the README and this test)");
      continue;
    }
    for (std::sregex_iterator m(f.text.begin(), f.text.end(), include), end; m != end; ++m) {
      const std::string target = (*m)[1];
      if (folder.rfind("model", 0) == 0 && (target == "httplib.h" || target.rfind("server/", 0) == 0 || target.rfind("kainjow/", 0) == 0))
        wrong.push_back(f.path + " includes " + target + ": model/ knows nothing of HTTP or pages");
      if (target.rfind("model/", 0) != 0 && target.rfind("server/", 0) != 0) continue;  // a library
      if (folder_of(target) == folder) continue;
      bool allowed = false;
      for (const auto& prefix : rule->second) allowed = allowed || target.rfind(prefix, 0) == 0;
      if (!allowed) wrong.push_back(f.path + " includes " + target);
    }
  }
  INFO([&] {
    std::string s;
    for (const auto& w : wrong) s += w + "\n";
    return s;
  }());
  CHECK(wrong.empty());
  // Every row of the table is a folder that exists, so a rule cannot pass by matching nothing.
  for (const auto& [folder, allowed] : kMayInclude) {
    CAPTURE(folder);
    CHECK(folders_seen.count(folder) == 1);
  }
}

TEST_CASE("house rules: comments and docs name the rule or the feature, not the work item") {
  const auto files = sources_under({"model", "server", "tests", "templates", "docs", "bench", "config"},
                                   {".hpp", ".cpp", ".mustache", ".md", ".py", ".mjs", ".sh", ".conf", ".json", ".inc"});
  REQUIRE(files.size() > 100);
  // "issue 5", "(issue 13)", "issues 5 and 3": work-item numbers mean nothing to a reader.
  const std::regex work_item(R"(\b[Ii]ssues? #?\d+)");
  std::vector<std::string> wrong;
  for (const auto& f : files) {
    if (f.path == "tests/model/house_rules_test.cpp") continue;  // its own examples
    std::smatch m;
    if (std::regex_search(f.text, m, work_item)) wrong.push_back(f.path + ": \"" + m.str() + "\"");
  }
  for (const char* top : {"README.md", "Makefile", "CMakeLists.txt"}) {
    std::smatch m;
    const auto text = read(kRoot / top);
    if (std::regex_search(text, m, work_item)) wrong.push_back(std::string(top) + ": \"" + m.str() + "\"");
  }
  INFO([&] {
    std::string s;
    for (const auto& w : wrong) s += w + "\n";
    return s;
  }());
  CHECK(wrong.empty());
}
