// Access control, proved per route: every route called as anonymous, a
// member, the chair of another committee, the chair of this committee and governance, each with
// a body the route accepts from someone allowed to use it. A refusal (sign in, 403, 404) must
// then come from who is asking, never from a wrong body, and must change nothing in the
// register; a success must be the route's success. The table and how to add a row are in
// access_control_table.inc. The test fails when a route is registered without a row, so a new
// route cannot skip this review.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Backup.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "model/accounts/api_token_store.hpp"
#include "model/base/crypto.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/register/bodies.hpp"
#include "server/browser.hpp"
#include "server/accounts/oidc_support.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
enum Role { anonymous, member, other_chair, chair, governance, guardian, other_body_governance, role_count };
const char* const kRoleNames[] = {"anonymous", "member (GP)", "chair of another committee", "chair of this committee",
                                  "governance", "Conflicts of Interest Guardian", "governance of another body"};

// A redirect to /sign-in?next=... for a page, 401 for the API.
constexpr int SIGN_IN = -1;

struct Row {
  const char* method;
  const char* pattern;  // exactly as registered
  const char* path;     // with placeholders, see access_control_table.inc
  std::array<int, role_count> expected;
  const char* body;  // a body the route accepts from an authorised user (fields or JSON)
};

// A role's column kept in a file of its own, {METHOD, R"(pattern)", answer} per route: the
// Guardian's for the rows written before the role existed (access_control_guardian.inc; a row may
// also give all its answers itself), and the seventh, a governance account of another body
// (access_control_other_body.inc).
struct ColumnCell {
  const char* method;
  const char* pattern;
  int expected;
};
const std::vector<ColumnCell> kGuardianCells = {
#include "access_control_guardian.inc"
};
const std::vector<ColumnCell> kOtherBodyCells = {
#include "access_control_other_body.inc"
};

// Fills role `role`'s answer from `cells` in each row that does not give it.
std::vector<Row> with_column(std::vector<Row> rows, Role role, const std::vector<ColumnCell>& cells) {
  for (auto& row : rows) {
    if (row.expected[role] != 0) continue;
    for (const auto& c : cells)
      if (std::string(c.method) == row.method && std::string(c.pattern) == row.pattern) row.expected[role] = c.expected;
  }
  return rows;
}

const std::vector<Row> kRows = with_column(with_column({
#include "access_control_table.inc"
}, guardian, kGuardianCells), other_body_governance, kOtherBodyCells);

bool is_refusal(int status) { return status == SIGN_IN || status == 403 || status == 404; }
bool is_success(int status) { return status == 200 || status == 201 || status == 303; }

// Answers the server gives today that the table says are wrong: each is a bug in the server, to
// be fixed there (then its entry here fails the test until it is removed). The refusal is
// still checked to have changed nothing.
struct KnownWrong {
  const char* method;
  const char* pattern;
  Role role;
  int answered;
  const char* why;
};
const std::vector<KnownWrong> kKnownWrong = {
};

const KnownWrong* known_wrong(const Row& row, Role role) {
  for (const auto& k : kKnownWrong)
    if (std::string(k.method) == row.method && std::string(k.pattern) == row.pattern && k.role == role) return &k;
  return nullptr;
}

std::string fill(std::string text, const std::map<std::string, std::string>& ids) {
  for (const auto& [key, value] : ids) {
    const std::string token = "{" + key + "}";
    for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size()))
      text.replace(pos, token.size(), value);
  }
  return text;
}

std::string show(const std::string& s) {
  return s.size() > 400 ? s.substr(0, 400) + "... (" + std::to_string(s.size()) + " bytes)" : s;
}

void configure(Config& c) {
  c.review_required = true;  // so the review routes have something to do
  fast_accounts(c);
  c.raw["oidc"] = OidcTestProvider::shared().config_section();  // single sign-on's routes have a provider
}

// The register every server starts from: the demo data, the records demo_route_ids adds, and one
// account per role (the member's with a password, for the sign-in row). Built once per test case;
// each server gets a copy of it, so starting one costs no import.
struct Register {
  TestDb db;
  mutable std::mutex copying;  // servers are started from several threads; one copy at a time
  std::map<std::string, std::string> ids;
  std::array<std::optional<Id>, role_count> users{};

  Register() {
    auto demo = import_bundle(*db, demo_bundle(), "test");
    if (!demo.ok) throw std::runtime_error("demo bundle rejected: " + demo.errors.front().text());
    const json& r = demo.ids;
    ids = demo_route_ids(*db, r);
    Config config;
    configure(config);
    auto person = [&](const char* ref) { return std::optional<Id>(r["people"][ref].get<Id>()); };
    users[member] = create_account_with_password(*db, account_config(config), "hassan@example.nhs.uk",
                                                 person("p-hassan"), UserRole::member, kPassword, "test")
                        .id;
    UserStore accounts(*db);
    ApiTokenStore api_tokens(*db);
    users[other_chair] =
        accounts.create_user("sinclair@example.nhs.uk", person("p-sinclair"), UserRole::member, "test", now_instant())
            .id;
    users[chair] =
        accounts.create_user("ellison@example.nhs.uk", person("p-ellison"), UserRole::member, "test", now_instant()).id;
    users[governance] =
        accounts.create_user("evans@example.nhs.uk", person("p-evans"), UserRole::governance, "test", now_instant()).id;
    // The Guardian: an independent role, with no declarations of its own (no person).
    users[guardian] =
        accounts.create_user("guardian@example.nhs.uk", std::nullopt, UserRole::guardian, "test", now_instant()).id;
    // Governance of another body: a second body with nothing of its own yet, and its account.
    Body westbrook;
    westbrook.name = "NHS Westbrook Integrated Care Board";
    const Id body = create_body(*db, westbrook, "test").saved.value().id;
    users[other_body_governance] =
        accounts.create_user("westbrook.gov@example.nhs.uk", std::nullopt, UserRole::governance, "test", now_instant()).id;
    accounts.set_body(*users[other_body_governance], body, "test", now_instant());
    // {account} and {api_token}: the member's account and one of its API tokens, for the routes
    // that act on an account (the same in the hostile-input suite's fixture).
    ids["account"] = std::to_string(*users[member]);
    ids["api_token"] =
        std::to_string(api_tokens.create_api_token(*users[member], "access control", "test", now_instant()).id);
  }
};

struct Answer {
  int status = 0;  // SIGN_IN for a redirect to /sign-in?next= or a 401 from the API; 0: no answer
  std::string location;
  std::string body;
};

// A server on a copy of the register.
struct Server {
  const Register& reg;
  TestServer server;

  explicit Server(const Register& r)
      : reg(r), server([&r](Config& c) {
          configure(c);
          // Before the app opens the file: the copy is all it ever sees.
          SQLite::Database copy(c.database, SQLite::OPEN_READWRITE);
          std::lock_guard lock(r.copying);
          SQLite::Backup(copy, *r.db.db).executeStep();
        }) {}

  // A fresh session for each request, so a sign-out in one row cannot affect another. Anonymous
  // gets the session and token a browser gets from the sign-in page, so that what refuses it is
  // the route's access rule, not a missing CSRF token.
  std::pair<std::string, std::string> session_for(Role role) {
    if (!reg.users[role]) {
      auto page = server.client().Get("/sign-in");
      if (!page) return {};
      // Every cookie the page sets, as a browser would send them back (whatever carries the
      // signed-out CSRF state).
      std::string cookie;
      for (std::size_t i = 0; i < page->get_header_value_count("Set-Cookie"); ++i) {
        const auto set = page->get_header_value("Set-Cookie", i);
        cookie += (cookie.empty() ? "" : "; ") + set.substr(0, set.find(';'));
      }
      static const std::regex token(R"re(name="csrf_token" value="([^"]+)")re");
      std::smatch m;
      return {cookie, std::regex_search(page->body, m, token) ? m[1].str() : std::string()};
    }
    auto made = SessionStore(*server.db).create_session(*reg.users[role], now_instant());
    return {"probity_session=" + made.token, made.session.csrf_token};
  }

  Answer call(const Row& row, Role role) {
    const auto [cookie, csrf] = session_for(role);
    httplib::Headers headers;
    if (!cookie.empty()) headers.emplace("Cookie", cookie);
    const std::string path = fill(row.path, reg.ids);
    const bool api = path.rfind("/api/", 0) == 0;
    const std::string method = row.method;
    std::string body = fill(row.body, reg.ids);
    if (api && method != "GET") {
      headers.emplace("X-CSRF-Token", csrf);
      if (body.empty()) body = "{}";
    } else if (method != "GET") {
      body = "csrf_token=" + httplib::detail::encode_query_param(csrf) + (body.empty() ? "" : "&" + body);
    }
    const char* type = api ? "application/json" : "application/x-www-form-urlencoded";
    auto c = server.client();
    c.set_default_headers({{"Accept-Encoding", "identity"}});
    httplib::Result res = method == "GET"   ? c.Get(path.c_str(), headers)
                          : method == "PUT" ? c.Put(path.c_str(), headers, body, type)
                                            : c.Post(path.c_str(), headers, body, type);
    Answer a;
    if (!res) return a;
    a.status = res->status;
    a.location = res->get_header_value("Location");
    a.body = res->body;
    if (res->status == 303 && a.location.rfind("/sign-in?next=", 0) == 0) a.status = SIGN_IN;
    if (res->status == 401 && api) a.status = SIGN_IN;
    return a;
  }
};

std::string status_text(int status) { return status == SIGN_IN ? "SIGN_IN" : std::to_string(status); }
}  // namespace

TEST_CASE("access control: every route has an entry in the access-control table, and every entry is a route") {
  TestServer s;
  std::set<std::pair<std::string, std::string>> registered, tabled;
  for (const auto& r : s.app->http().routes()) registered.insert({r.method, r.pattern});
  std::vector<std::string> missing, stale, duplicated;
  for (const auto& r : kRows)
    if (!tabled.insert({r.method, r.pattern}).second) duplicated.push_back(std::string(r.method) + " " + r.pattern);
  for (const auto& r : registered)
    if (!tabled.count(r)) missing.push_back(r.first + " " + r.second);
  for (const auto& r : tabled)
    if (!registered.count(r)) stale.push_back(r.first + " " + r.second);
  // The Guardian's column: one cell per row written before the role, none for a route that is gone.
  std::vector<std::string> stale_guardian;
  for (const auto& g : kGuardianCells)
    if (!tabled.count({g.method, g.pattern})) stale_guardian.push_back(std::string(g.method) + " " + g.pattern);
  // The other body's column: one cell per row, none for a route that is gone.
  std::vector<std::string> stale_other_body, unanswered_other_body;
  for (const auto& g : kOtherBodyCells)
    if (!tabled.count({g.method, g.pattern})) stale_other_body.push_back(std::string(g.method) + " " + g.pattern);
  for (const auto& r : kRows)
    if (r.expected[other_body_governance] == 0) unanswered_other_body.push_back(std::string(r.method) + " " + r.pattern);
  CAPTURE(missing, stale, duplicated, stale_guardian, stale_other_body, unanswered_other_body);
  CHECK(stale_guardian.empty());
  CHECK(stale_other_body.empty());
  CHECK(unanswered_other_body.empty());
  CHECK(missing.empty());
  CHECK(stale.empty());
  CHECK(duplicated.empty());
}

TEST_CASE("access control: every cell of the table is a refusal or a success, with a body where the route reads one") {
  for (const auto& row : kRows) {
    const std::string method = row.method;
    CAPTURE(row.method, row.pattern);
    bool someone_succeeds = false;
    for (int role = 0; role < role_count; ++role) {
      const int expected = row.expected[static_cast<std::size_t>(role)];
      CAPTURE(kRoleNames[role], status_text(expected));
      CHECK((is_refusal(expected) || is_success(expected)));
      someone_succeeds = someone_succeeds || is_success(expected);
    }
    // A route nobody may use would prove only that it refuses: every route has a user.
    CHECK(someone_succeeds);
    if (method == "GET") CHECK(std::string(row.body).empty());
  }
  for (const auto& k : kKnownWrong) {
    CAPTURE(k.method, k.pattern, kRoleNames[k.role], k.answered);
    CHECK(std::any_of(kRows.begin(), kRows.end(), [&](const Row& r) {
      return std::string(r.method) == k.method && std::string(r.pattern) == k.pattern && is_refusal(r.expected[k.role]);
    }));
  }
}

TEST_CASE("access control: each route answers each kind of user as the table says, and a refusal changes nothing") {
  const auto started = std::chrono::steady_clock::now();
  Register reg;
  struct Cell {
    const Row* row;
    Role role;
    Answer got;
  };
  std::vector<Cell> reads_and_refusals, successes;
  for (const auto& row : kRows)
    for (int r = 0; r < role_count; ++r) {
      const bool write = std::string(row.method) != "GET";
      (write && is_success(row.expected[static_cast<std::size_t>(r)]) ? successes : reads_and_refusals)
          .push_back({&row, static_cast<Role>(r), {}});
    }

  // Each success gets a server of its own (see access_control_table.inc). Starting one is mostly
  // waiting (files, threads), so a few run at once; the answers are checked below, in this thread.
  std::atomic<std::size_t> next{0};
  struct Starters : std::vector<std::thread> {
    void join_all() {
      for (auto& t : *this)
        if (t.joinable()) t.join();
    }
    ~Starters() { join_all(); }  // also when a failed check ends the test early
  } starters;
  for (int t = 0; t < 4; ++t)
    starters.emplace_back([&] {
      for (std::size_t i; (i = next++) < successes.size();) {
        try {
          Server fresh(reg);
          successes[i].got = fresh.call(*successes[i].row, successes[i].role);
        } catch (const std::exception& e) {
          successes[i].got.body = std::string("exception: ") + e.what();
        }
      }
    });

  // Meanwhile reads and refusals share one server: a refusal must leave the register as it was,
  // which is checked after each.
  int refusals = 0, known = 0;
  {
    Server shared(reg);
    const std::string before = register_digest(*shared.server.db);
    for (auto& cell : reads_and_refusals) {
      const Row& row = *cell.row;
      const int expected = row.expected[cell.role];
      cell.got = shared.call(row, cell.role);
      CAPTURE(row.method, row.pattern, fill(row.path, reg.ids), fill(row.body, reg.ids), kRoleNames[cell.role],
              status_text(expected), status_text(cell.got.status), cell.got.location, show(cell.got.body));
      if (const auto* k = known_wrong(row, cell.role)) {
        ++known;
        WARN("known wrong answer, to be fixed in the server: "
             << row.method << " " << row.path << " as " << kRoleNames[cell.role] << " answers " << cell.got.status
             << ", expected " << status_text(expected) << ": " << k->why);
        CHECK(cell.got.status == k->answered);  // fixed? then remove it from kKnownWrong
      } else {
        CHECK(cell.got.status == expected);
      }
      if (std::string(row.method) != "GET") {
        ++refusals;
        const bool unchanged = register_digest(*shared.server.db) == before;
        CHECK(unchanged);
        if (!unchanged) FAIL("a refused request changed the register; later checks would be meaningless");
      }
    }
    // Reads change nothing either.
    CHECK(register_digest(*shared.server.db) == before);
  }

  starters.join_all();
  for (const auto& cell : successes) {
    const Row& row = *cell.row;
    const int expected = row.expected[cell.role];
    CAPTURE(row.method, row.pattern, fill(row.path, reg.ids), fill(row.body, reg.ids), kRoleNames[cell.role],
            status_text(expected), status_text(cell.got.status), cell.got.location, show(cell.got.body));
    CHECK(cell.got.status == expected);
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "access control: " << kRows.size() << " routes, " << refusals
            << " refused writes (each leaving the register unchanged), " << successes.size()
            << " successful writes (each on a server of its own), " << known << " known wrong answers, " << seconds
            << " s\n";
}

// Not run by default: prints a table row, with today's answers to each row's body, for every
// registered route, to review when routes are added. Routes without a row get an empty body and
// a guessed path.
TEST_CASE("discover what every route answers to each role (access control)", "[.discover]") {
  Register reg;
  Server shared(reg);
  auto guess = [](std::string pattern) {
    static const std::vector<std::pair<std::string, std::string>> ids = {{"/meetings/breaches/", "{breach}"},
                                                                         {"/meetings/", "{meeting}"},
                                                                         {"/my/interests/", "{interest}"},
                                                                         {"/my/gifts/", "{gift}"},
                                                                         {"/my/nil-returns/", "{nil_return}"},
                                                                         {"/register/history/", "{interest}"},
                                                                         {"/people/", "{person}"},
                                                                         {"/committees/", "{committee}"},
                                                                         {"/set-password/", "{password_link}"},
                                                                         {"/items/", "{item}"},
                                                                         {"/memberships/", "{membership}"}};
    for (const auto& [prefix, id] : ids) {
      auto at = pattern.find(prefix);
      if (at == std::string::npos) continue;
      auto group = pattern.find('(', at + prefix.size() - 1);
      if (group == at + prefix.size()) {
        auto close = pattern.find(')', group);
        pattern.replace(group, close - group + 1, id);
      }
    }
    return std::regex_replace(pattern, std::regex(R"(\\\.)"), ".");
  };
  for (const auto& r : shared.server.app->http().routes()) {
    std::string path = guess(r.pattern), body;
    for (const auto& row : kRows)
      if (r.method == row.method && r.pattern == row.pattern) path = row.path, body = row.body;
    Row row{r.method.c_str(), r.pattern.c_str(), path.c_str(), {}, body.c_str()};
    std::string line = "    {\"" + r.method + "\", R\"(" + r.pattern + ")\", \"" + path + "\", {";
    for (int role = 0; role < role_count; ++role) {
      std::unique_ptr<Server> fresh;
      Server& s = r.method == "GET" ? shared : *(fresh = std::make_unique<Server>(reg));
      line += (role ? ", " : "") + status_text(s.call(row, static_cast<Role>(role)).status);
    }
    std::cout << line << "}, " << (body.empty() ? std::string("\"\"") : "R\"(" + body + ")\"") << "},\n";
  }
}

namespace {
// What a person reads on a page: the text between tags, with tags (and so their attribute values),
// scripts, styles and <code> (a config setting to type, written as it is typed) removed and the
// common entities decoded.
std::string visible_text(const std::string& html) {
  std::string text =
      std::regex_replace(html, std::regex(R"((<script[\s\S]*?</script>|<style[\s\S]*?</style>|<code>[^<]*</code>))"), " ");
  text = std::regex_replace(text, std::regex(R"(<[^>]*>)"), " ");
  for (const auto& [entity, ch] : std::vector<std::pair<std::string, std::string>>{
           {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}, {"&nbsp;", " "}})
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at)) text.replace(at, entity.size(), ch);
  return text;
}

// Every internal code (a word with an underscore) and every machine date (YYYY-MM-DD, or an ISO
// instant) in a page's visible text, each with a little context.
std::vector<std::string> unplain_words(const std::string& text) {
  static const std::regex bad(R"((\b\w+_\w+\b)|(\b\d{4}-\d{2}-\d{2}(T[0-9:]+Z?)?\b))");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), bad); it != std::sregex_iterator(); ++it) {
    const auto at = static_cast<std::size_t>(it->position());
    const auto from = at < 40 ? 0 : at - 40;
    std::string context = text.substr(from, 40 + static_cast<std::size_t>(it->length()) + 40);
    context = std::regex_replace(context, std::regex(R"(\s+)"), " ");
    out.push_back(it->str() + "  in \"..." + context + "...\"");
  }
  return out;
}
}  // namespace

TEST_CASE("plain words: no page of the demo shows an internal code or a machine date to a person") {
  CHECK(unplain_words("Lay member, Vice-chair, 8 August 2012 at 3:44pm").empty());
  CHECK(unplain_words("lay, vice_chair").size() == 1);
  CHECK(unplain_words("made on 2026-12-17").size() == 1);
  CHECK(unplain_words("at 2026-12-03T03:44:45Z").size() == 1);
  CHECK(visible_text(R"(<time datetime="2026-12-17">17 December 2026</time><a href="/x?sort=from_date">Go</a>)") ==
        " 17 December 2026  Go ");

  Register reg;
  Server shared(reg);
  int pages = 0;
  for (const auto& row : kRows) {
    const std::string path = row.path;
    if (std::string(row.method) != "GET" || path.rfind("/api/", 0) == 0) continue;
    // Machine formats are exempt: they keep ISO dates and codes.
    static const std::regex machine(R"(\.(csv|json|ics|pdf|atom|txt)$|^/healthz$|^/metrics$)");
    if (std::regex_search(path, machine)) continue;
    // Each page as the first role it succeeds for that can see it with data (governance last).
    for (Role role : {anonymous, member, chair, governance}) {
      if (row.expected[role] != 200) continue;
      const Answer got = shared.call(row, role);
      if (got.status != 200) continue;
      ++pages;
      const auto problems = unplain_words(visible_text(got.body));
      CAPTURE(fill(row.path, reg.ids), kRoleNames[role]);
      CHECK(problems == std::vector<std::string>{});
    }
  }
  // Pages the table reaches only without their query: a page past the last, a sort, a search.
  const std::vector<std::pair<std::string, Role>> more = {{"/register?page=99", anonymous},
                                                          {"/register?sort=name", anonymous},
                                                          {"/register?q=Dr%20Hassan", anonymous},
                                                          {"/gifts?q=medsupply", anonymous},
                                                          {"/governance?q=Dr%20Hassan", governance},
                                                          {"/my?saved=confirmation", member}};
  for (const auto& [path, role] : more) {
    const Row row{"GET", "", path.c_str(), {200, 200, 200, 200, 200}, ""};
    const Answer got = shared.call(row, role);
    CAPTURE(path, kRoleNames[role]);
    REQUIRE(got.status == 200);
    ++pages;
    CHECK(unplain_words(visible_text(got.body)) == std::vector<std::string>{});
  }
  // The walk reached the pages it is meant to: the public, member, chair and governance ones.
  CHECK(pages > 60);
}
