#include <catch2/catch.hpp>

#include <regex>

#include "server/public_fixture.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

json get_json(const httplib::Client& c, const std::string& path, int status = 200) {
  auto& client = const_cast<httplib::Client&>(c);
  auto res = client.Get(path.c_str());
  REQUIRE(res);
  CAPTURE(path, res->body);
  REQUIRE(res->status == status);
  CHECK(res->get_header_value("Content-Type") == "application/json; charset=utf-8");
  return json::parse(res->body);
}

std::vector<Id> entry_ids(const json& doc) {
  std::vector<Id> out;
  for (const auto& e : doc.at("entries")) out.push_back(e.at("id").get<Id>());
  return out;
}
}  // namespace

TEST_CASE("the register page lists published entries with every NHS column, in the NHS layout") {
  PublicRegisterServer r;
  auto c = r.client();
  auto res = c.Get("/register");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  const auto& body = res->body;
  for (const char* heading : {"Name", "Position(s)", "Organisation and nature of business", "Type", "Direct or indirect",
                              "Nature of interest", "From", "To", "Action taken", "Declared"})
    CHECK(contains(body, std::string(heading) + "<"));
  CHECK(contains(body, "<caption"));
  CHECK(contains(body, "scope=\"col\""));
  CHECK(contains(body, "Dr Asha Patel"));
  CHECK(contains(body, "Riverside Surgery (Y01234)"));
  CHECK(contains(body, "GP partner; Voting member, Primary Care Commissioning Committee"));
  CHECK(contains(body, "1 April 2015"));
  CHECK(contains(body, "href=\"/people/" + std::to_string(r.asha.id) + "\""));
  CHECK(contains(body, "href=\"/register/history/" + std::to_string(r.partner.id) + "\""));
  // The results count, and the downloads and feed.
  CHECK(contains(body, "4 entries, showing 1 to 4"));
  CHECK(contains(body, "href=\"/register.csv\""));
  CHECK(contains(body, "href=\"/api/v1/register\""));
  CHECK(contains(body, "href=\"/register.atom\""));
  // Default sort and paging are not carried as empty hidden fields.
  CHECK_FALSE(contains(body, "type=\"hidden\""));
  // Drafts never appear; pages carry no inline script or style.
  CHECK_FALSE(contains(body, "DRAFT-NATURE"));
  CHECK_FALSE(contains(body, "style="));
  CHECK_FALSE(contains(body, "<script>"));
}

TEST_CASE("the register is filtered by committee, person kind, type and text, on the page and in JSON alike") {
  PublicRegisterServer r;
  auto c = r.client();
  const auto pccc = std::to_string(r.pccc.id);

  CHECK(entry_ids(get_json(c, "/api/v1/register?category=financial")) == std::vector<Id>{r.tricky.id, r.partner.id});  // O'Neil, Patel
  CHECK(entry_ids(get_json(c, "/api/v1/register?committee=" + pccc)) ==
        std::vector<Id>{r.withheld.id, r.partner.id, r.five_months.id});
  CHECK(entry_ids(get_json(c, "/api/v1/register?person_kind=executive")) == std::vector<Id>{r.tricky.id});
  CHECK(entry_ids(get_json(c, "/api/v1/register?q=riverside")) == std::vector<Id>{r.partner.id});
  CHECK(entry_ids(get_json(c, "/api/v1/register?q=RIVERSIDE&committee=" + pccc + "&person_kind=gp")) ==
        std::vector<Id>{r.partner.id});
  CHECK(get_json(c, "/api/v1/register?q=nothing-like-this").at("total") == 0);

  auto page = c.Get(("/register?category=financial&committee=" + pccc).c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "1 entry, showing 1 to 1"));
  CHECK(contains(page->body, "Riverside Surgery"));
  CHECK_FALSE(contains(page->body, "Consultancy"));
  // The form shows what is selected, and the downloads carry the same filter.
  CHECK(contains(page->body, "<option value=\"financial\" selected>Financial</option>"));
  CHECK(contains(page->body, "<option value=\"" + pccc + "\" selected>Primary Care Commissioning Committee</option>"));
  CHECK(contains(page->body, "href=\"/register.csv?committee=" + pccc + "&amp;category=financial\""));
  CHECK(contains(page->body, "href=\"/api/v1/register?committee=" + pccc + "&amp;category=financial\""));
  CHECK(contains(page->body, "Clear filters"));

  auto none = c.Get("/register?q=nothing-like-this");
  REQUIRE(none);
  CHECK(contains(none->body, "No entries match these filters."));
}

TEST_CASE("register columns sort as links with aria-sort, and a second click reverses the order") {
  PublicRegisterServer r;
  auto c = r.client();
  auto by_from = get_json(c, "/api/v1/register?sort=from");
  // Withheld entries have no date to sort by, so they come last either way.
  CHECK(entry_ids(by_from) == std::vector<Id>{r.partner.id, r.five_months.id, r.tricky.id, r.withheld.id});
  CHECK(entry_ids(get_json(c, "/api/v1/register?sort=from&order=desc")) ==
        std::vector<Id>{r.tricky.id, r.five_months.id, r.partner.id, r.withheld.id});

  auto page = c.Get("/register?sort=from");
  REQUIRE(page);
  CHECK(contains(page->body, "aria-sort=\"ascending\"><a class=\"nhsuk-link\" href=\"/register?sort=from&amp;order=desc\">From"));
  CHECK(contains(page->body, "href=\"/register?sort=type\">Type"));
  // The end and declared dates are in each entry's details, no longer columns of their own; their
  // sorts are chosen in the filter form instead.
  CHECK_FALSE(contains(page->body, "href=\"/register?sort=to\""));
  CHECK(contains(page->body, "<dt>To</dt>"));
  CHECK(contains(page->body, "<option value=\"to\">Date to</option>"));
  CHECK(contains(page->body, "<option value=\"declared\">Date declared</option>"));
  CHECK(entry_ids(get_json(c, "/api/v1/register?sort=declared")).size() == 4);
  CHECK(std::count(page->body.begin(), page->body.end(), '\0') == 0);
  auto desc = c.Get("/register?sort=from&order=desc");
  REQUIRE(desc);
  CHECK(contains(desc->body, "aria-sort=\"descending\"><a class=\"nhsuk-link\" href=\"/register?sort=from\">From"));
  // The sort survives filtering: the form's sort and order show the current ones.
  CHECK(contains(desc->body, "<option value=\"from\" selected>Date from</option>"));
  CHECK(contains(desc->body, "<option value=\"desc\" selected>Z to A, latest first</option>"));
  // Sorting by the date declared, from the form, orders the rows by it.
  CHECK(entry_ids(get_json(c, "/api/v1/register?sort=declared&order=desc")) != entry_ids(get_json(c, "/api/v1/register?sort=declared&order=asc")));
}

TEST_CASE("the register is paginated, with numbered page links that keep the filters") {
  PublicRegisterServer r;
  auto c = r.client();
  auto second = get_json(c, "/api/v1/register?page_size=1&page=2");
  CHECK(second.at("total") == 4);
  CHECK(second.at("page") == 2);
  CHECK(second.at("page_count") == 4);
  CHECK(entry_ids(second) == std::vector<Id>{r.withheld.id});  // by surname: O'Neil, Okafor, Patel, Patel

  auto page = c.Get("/register?page_size=1&page=2&category=financial");
  REQUIRE(page);
  CHECK(contains(page->body, "2 entries, showing 2 to 2"));
  CHECK(contains(page->body, "aria-label=\"Pagination\""));
  CHECK(contains(page->body, "href=\"/register?category=financial&amp;page_size=1\" class=\"nhsuk-pagination__previous\""));
  CHECK(contains(page->body, "aria-current=\"page\">2</a>"));
  CHECK_FALSE(contains(page->body, "nhsuk-pagination__next"));

  auto beyond = get_json(c, "/api/v1/register?page=9");
  CHECK(beyond.at("entries").empty());
  CHECK(beyond.at("total") == 4);
}

TEST_CASE("bad filter values give a 400 that says what is wrong, as a page or as JSON") {
  PublicRegisterServer r;
  auto c = r.client();
  auto page = c.Get("/register?page=0");
  REQUIRE(page);
  CHECK(page->status == 400);
  CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  CHECK(contains(page->body, "page must be a whole number, 1 or more."));

  auto api = get_json(c, "/api/v1/register?sort=cost&category=other", 400);
  CHECK(api.at("error").at("code") == "invalid_filter");
  CHECK(api.at("error").at("details").at("sort") == "sort must be one of: name, organisation, type, from, to, declared");
  CHECK(api.at("error").at("details").at("category") ==
        "category must be one of: financial, non_financial_professional, non_financial_personal, indirect");

  CHECK(get_json(c, "/api/v1/register?committee=999", 400).at("error").at("details").contains("committee"));
  CHECK(get_json(c, "/api/v1/register?committee=abc", 400).at("error").at("details").contains("committee"));
  CHECK(get_json(c, "/api/v1/gifts?kind=cash", 400).at("error").at("details").at("kind") == "kind must be one of: gift, hospitality");
  for (const char* path : {"/register.csv?order=sideways", "/gifts?person_kind=alien", "/gifts.csv?committee=-1"}) {
    CAPTURE(path);
    auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 400);
  }
}

TEST_CASE("a withheld entry leaks none of its details: HTML, JSON, CSV, Atom, history, search") {
  PublicRegisterServer r;
  auto c = r.client();
  const auto ben = std::to_string(r.ben.id), entry = std::to_string(r.withheld.id), pccc = std::to_string(r.pccc.id);
  for (const std::string& path : std::vector<std::string>{"/register", "/register?sort=organisation", "/api/v1/register", "/register.csv", "/register.atom",
                                 "/people/" + ben, "/api/v1/people/" + ben, "/committees/" + pccc, "/api/v1/committees/" + pccc,
                                 "/register/history/" + entry, "/api/v1/register/history/" + entry, "/gifts", "/gifts.csv"}) {
    CAPTURE(path);
    auto res = c.Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
    for (const auto& secret : kWithheldDetails) {
      CAPTURE(secret);
      CHECK_FALSE(contains(res->body, secret));
    }
  }

  // The public still sees that Ben has an entry, and that it is withheld.
  auto page = c.Get("/register");
  REQUIRE(page);
  CHECK(contains(page->body, "This entry is withheld from the public register."));
  auto doc = get_json(c, "/api/v1/register");
  json row;
  for (const auto& e : doc.at("entries"))
    if (e.at("id") == r.withheld.id) row = e;
  REQUIRE(row.is_object());
  CHECK(row.at("withheld") == true);
  CHECK(row.at("person").at("name") == "Ben Okafor");
  std::set<std::string> keys;
  for (const auto& [k, v] : row.items()) keys.insert(k);
  CHECK(keys == std::set<std::string>{"id", "withheld", "person"});

  auto csv = c.Get("/register.csv");
  REQUIRE(csv);
  CHECK(contains(csv->body, std::to_string(r.withheld.id) + ",Ben Okafor,"));

  // Its history is one withheld version, with neither a version number nor a time.
  auto history = get_json(c, "/api/v1/register/history/" + entry);
  REQUIRE(history.at("versions").size() == 1);
  CHECK(history.at("versions").at(0) == json{{"id", r.withheld.id}, {"withheld", true}});
  auto history_page = c.Get(("/register/history/" + entry).c_str());
  REQUIRE(history_page);
  CHECK_FALSE(contains(history_page->body, "Version 1"));
  CHECK_FALSE(contains(history_page->body, "recorded"));
  CHECK(contains(history_page->body, "This entry is withheld from the public register."));
  // Nor is Ben's last declaration dated by it: it is his only entry.
  CHECK(get_json(c, "/api/v1/people/" + ben).at("compliance").at("last_declared_on").is_null());
  // The feed lists changes with their times, so a withheld entry has none there.
  auto feed = c.Get("/register.atom");
  REQUIRE(feed);
  CHECK_FALSE(contains(feed->body, "/register/history/" + entry + "\""));
  CHECK_FALSE(contains(feed->body, "Ben Okafor"));

  // Searching for a withheld detail must not find the entry (that would reveal it).
  for (const char* q : {"SECRET", "Withheldco", "indirect"}) {
    CAPTURE(q);
    auto found = get_json(c, std::string("/api/v1/register?q=") + q);
    for (const auto& e : found.at("entries")) CHECK(e.at("id") != r.withheld.id);
  }
  CHECK(entry_ids(get_json(c, "/api/v1/register?category=indirect")).empty());
}

TEST_CASE("an interest ended 7 months ago has left the public view; one ended 5 months ago is still there") {
  PublicRegisterServer r;
  auto c = r.client();
  const auto asha = std::to_string(r.asha.id);
  for (const std::string& path : std::vector<std::string>{"/register", "/api/v1/register", "/register.csv", "/register.atom", "/people/" + asha,
                                 "/api/v1/people/" + asha, "/committees/" + std::to_string(r.pccc.id)}) {
    CAPTURE(path);
    auto res = c.Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(contains(res->body, "FIVE-MONTHS-AGO"));
    CHECK_FALSE(contains(res->body, "SEVEN-MONTHS-AGO"));
  }
  auto page = c.Get("/register");
  REQUIRE(page);
  CHECK(contains(page->body, "15 April 2025"));
  // The entry's own history is no longer public either.
  get_json(c, "/api/v1/register/history/" + std::to_string(r.seven_months.id), 404);
  get_json(c, "/api/v1/register/history/" + std::to_string(r.five_months.id), 200);
}

TEST_CASE("the date the rules use comes from the config, so the 6-month window moves with it") {
  PublicRegisterServer r([](Config& c) { c.today = "2025-10-16"; });  // now 6 months and a day after 15 April
  auto c = r.client();
  auto res = c.Get("/api/v1/register");
  REQUIRE(res);
  CHECK_FALSE(contains(res->body, "FIVE-MONTHS-AGO"));
  CHECK_THROWS_AS(TestServer([](Config& cfg) { cfg.today = "15/09/2025"; }), ConfigError);
}

TEST_CASE("names with markup, quotes, commas and non-ASCII letters are escaped correctly everywhere") {
  PublicRegisterServer r;
  auto c = r.client();
  const std::string escaped = "Zoë &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; O&apos;Neil, &quot;Jr&quot;";
  for (const std::string& path : std::vector<std::string>{"/register", "/people/" + std::to_string(r.zoe.id), "/committees/" + std::to_string(r.audit.id),
                                 "/gifts", "/register/history/" + std::to_string(r.tricky.id), "/register.atom"}) {
    CAPTURE(path);
    auto res = c.Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(contains(res->body, escaped));
    CHECK_FALSE(contains(res->body, "<script>alert"));
    CHECK_FALSE(contains(res->body, "<b>bold"));
  }

  auto doc = get_json(c, "/api/v1/register?person_kind=executive");
  CHECK(doc.at("entries").at(0).at("person").at("name") == kTrickyName);
  CHECK(doc.at("entries").at(0).at("nature") == "Consultancy, \"private\" clients <b>bold</b>");
  CHECK(get_json(c, "/api/v1/gifts").at("gifts").at(0).at("description") == "Dinner at \"Le Café\", Leeds");

  auto csv = c.Get("/register.csv");
  REQUIRE(csv);
  CHECK(contains(csv->body, "\"Zoë <script>alert('x')</script> O'Neil, \"\"Jr\"\"\""));
  CHECK(contains(csv->body, "\"Consultancy, \"\"private\"\" clients <b>bold</b>\""));
  auto gifts = c.Get("/gifts.csv");
  REQUIRE(gifts);
  CHECK(contains(gifts->body, "\"Dinner at \"\"Le Café\"\", Leeds\""));
}

TEST_CASE("CSV downloads are UTF-8 attachments with a header row and the page's filters") {
  PublicRegisterServer r;
  auto c = r.client();
  auto csv = c.Get("/register.csv?category=financial");
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv->get_header_value("Content-Disposition") == "attachment; filename=\"register-of-interests.csv\"");
  CHECK_THAT(csv->body, Catch::StartsWith("Entry id,Name,Position(s),Organisation,"));
  CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 3);  // header and two financial entries
  CHECK(contains(csv->body, "Riverside Surgery,Y01234,Financial"));

  auto gifts = c.Get("/gifts.csv");
  REQUIRE(gifts);
  CHECK(gifts->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(gifts->get_header_value("Content-Disposition") == "attachment; filename=\"gifts-and-hospitality.csv\"");
  CHECK_THAT(gifts->body, Catch::StartsWith("Entry id,Name,"));
  CHECK(contains(gifts->body, "Acme sales team"));
}

TEST_CASE("a person's page shows positions, memberships, interests, gifts, nil returns and compliance") {
  PublicRegisterServer r;
  auto c = r.client();
  auto asha = c.Get(("/people/" + std::to_string(r.asha.id)).c_str());
  REQUIRE(asha);
  CHECK(asha->status == 200);
  CHECK(contains(asha->body, "<h1>Dr Asha Patel</h1>"));
  CHECK(contains(asha->body, "GP member"));
  CHECK(contains(asha->body, "Primary Care Commissioning Committee</a>"));
  CHECK(contains(asha->body, "Partner in the practice"));
  CHECK(contains(asha->body, "nhsuk-summary-list"));

  auto zoe = get_json(c, "/api/v1/people/" + std::to_string(r.zoe.id));
  CHECK(zoe.at("gifts").at(0).at("value") == "60.00");
  CHECK(zoe.at("gifts").at(0).at("value_pence") == 6000);
  CHECK_FALSE(zoe.contains("email"));
  auto zoe_page = c.Get(("/people/" + std::to_string(r.zoe.id)).c_str());
  REQUIRE(zoe_page);
  CHECK(contains(zoe_page->body, "Hospitality"));
  CHECK(contains(zoe_page->body, "£60.00"));
  CHECK_FALSE(contains(zoe_page->body, "zoe@example.org"));

  // Non-compliance is visible, as the guidance expects; a nil return is shown as such.
  auto dana = c.Get(("/people/" + std::to_string(r.dana.id)).c_str());
  REQUIRE(dana);
  CHECK(contains(dana->body, "No declaration received"));
  auto erin = c.Get(("/people/" + std::to_string(r.erin.id)).c_str());
  REQUIRE(erin);
  CHECK(contains(erin->body, "Nil return made on <time datetime=\"2025-05-01\">1 May 2025</time>: I have no interests to declare"));
  CHECK(get_json(c, "/api/v1/people/" + std::to_string(r.erin.id)).at("compliance").at("state") == "nil_return");
}

TEST_CASE("committees list their members with roles and their combined register") {
  PublicRegisterServer r;
  auto c = r.client();
  auto list = c.Get("/committees");
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(contains(list->body, "href=\"/committees/" + std::to_string(r.pccc.id) + "\">Primary Care Commissioning Committee</a>"));
  auto doc = get_json(c, "/api/v1/committees");
  REQUIRE(doc.at("committees").size() == 2);
  CHECK(doc.at("committees").at(1).at("member_count") == 3);

  auto page = c.Get(("/committees/" + std::to_string(r.pccc.id)).c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "<h1>Primary Care Commissioning Committee</h1>"));
  CHECK(contains(page->body, "Chair</td>"));
  CHECK(contains(page->body, "Non-voting member</td>"));
  CHECK(contains(page->body, "Partner in the practice"));
  CHECK(contains(page->body, "No declaration received"));  // Dana
  CHECK(contains(page->body, "href=\"/register.csv?committee=" + std::to_string(r.pccc.id) + "\""));

  auto api = get_json(c, "/api/v1/committees/" + std::to_string(r.pccc.id));
  CHECK(api.at("members").at(0).at("role") == "chair");
  CHECK(api.at("register").size() == 3);
}

TEST_CASE("a committee's combined register is paged like the register, on the page and in JSON") {
  PublicRegisterServer r;
  auto c = r.client();
  const std::string pccc = std::to_string(r.pccc.id);
  const auto whole = get_json(c, "/api/v1/committees/" + pccc);
  CHECK(whole.at("total") == 3);
  CHECK(whole.at("page") == 1);
  CHECK(whole.at("page_size") == 50);
  CHECK(whole.at("page_count") == 1);
  REQUIRE(whole.at("register").size() == 3);

  // Each page holds the rows of the whole register at its place, and every member still.
  for (int n = 1; n <= 3; ++n) {
    CAPTURE(n);
    const auto one = get_json(c, "/api/v1/committees/" + pccc + "?page_size=1&page=" + std::to_string(n));
    CHECK(one.at("total") == 3);
    CHECK(one.at("page") == n);
    CHECK(one.at("page_size") == 1);
    CHECK(one.at("page_count") == 3);
    REQUIRE(one.at("register").size() == 1);
    CHECK(one.at("register").at(0).at("id") == whole.at("register").at(static_cast<std::size_t>(n - 1)).at("id"));
    CHECK(one.at("members") == whole.at("members"));
  }
  const auto beyond = get_json(c, "/api/v1/committees/" + pccc + "?page=9");
  CHECK(beyond.at("register").empty());
  CHECK(beyond.at("total") == 3);

  auto page = c.Get(("/committees/" + pccc + "?page_size=1&page=2").c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "3 entries, showing 2 to 2"));
  CHECK(contains(page->body, "aria-label=\"Pagination\""));
  CHECK(contains(page->body, "href=\"/committees/" + pccc + "?page_size=1\" class=\"nhsuk-pagination__previous\""));
  CHECK(contains(page->body, "href=\"/committees/" + pccc + "?page=3&amp;page_size=1\" class=\"nhsuk-pagination__next\""));
  CHECK(contains(page->body, "aria-current=\"page\">2</a>"));
  CHECK(contains(page->body, "Chair</td>"));  // the members' table is whole on every page
  CHECK(contains(page->body, "Non-voting member</td>"));

  // One page: no pagination and no count, as before paging.
  auto first = c.Get(("/committees/" + pccc).c_str());
  REQUIRE(first);
  CHECK_FALSE(contains(first->body, "nhsuk-pagination"));
  CHECK_FALSE(contains(first->body, "results-count"));
  auto past = c.Get(("/committees/" + pccc + "?page=4").c_str());
  REQUIRE(past);
  CHECK(past->status == 200);
  CHECK(contains(past->body, "There is nothing on page 4: 3 entries."));
  CHECK(contains(past->body, "href=\"/committees/" + pccc + "\">Go to the first page</a>"));
  CHECK_FALSE(contains(past->body, "No interests are on the public register"));

  // A bad page or page size: a 400 naming the parameter, as a page or as JSON.
  auto bad = c.Get(("/committees/" + pccc + "?page=0").c_str());
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK_THAT(bad->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
  CHECK(contains(bad->body, "page must be a whole number, 1 or more."));
  CHECK(get_json(c, "/api/v1/committees/" + pccc + "?page=x", 400).at("error").at("details").at("page") ==
        "page must be a whole number, 1 or more");
  CHECK(get_json(c, "/api/v1/committees/" + pccc + "?page_size=501", 400).at("error").at("details").at("page_size") ==
        "page_size must be a whole number from 1 to 500");
}

TEST_CASE("the gifts register is filtered and shows value, source and outcome") {
  PublicRegisterServer r;
  auto c = r.client();
  auto page = c.Get("/gifts");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "1 declaration"));
  CHECK(contains(page->body, "Acme sales team<span class=\"nhsuk-u-visually-hidden\">, </span><br>Acme Health Ltd (01234567)"));
  CHECK(contains(page->body, "Accepted"));
  CHECK(get_json(c, "/api/v1/gifts?kind=gift").at("total") == 0);
  CHECK(get_json(c, "/api/v1/gifts?kind=hospitality&q=leeds").at("total") == 1);
  auto filtered = c.Get("/gifts?kind=gift");
  REQUIRE(filtered);
  CHECK(contains(filtered->body, "No gifts or hospitality match these filters."));
  CHECK(contains(filtered->body, "href=\"/gifts.csv?kind=gift\""));
}

TEST_CASE("a search answers 200 whatever FTS5 syntax it holds") {
  PublicRegisterServer r;
  auto c = r.client();
  for (const char* q : {"%22", "*", "NEAR", "NEAR(asha%20patel)", "-", "a%20-b", "riverside:", "name:asha", "a%20OR%20b",
                        "(", "%5Easha", "%2B", "%27", "%5C", "%26", "%C2%A3"}) {
    CAPTURE(q);
    for (const std::string path : {"/api/v1/register?q=", "/register?q=", "/register.csv?q="}) {
      auto res = c.Get((path + q).c_str());
      REQUIRE(res);
      CHECK(res->status == 200);
    }
  }
  CHECK(entry_ids(get_json(c, "/api/v1/register?q=riverside:")) == std::vector<Id>{r.partner.id});
  CHECK(entry_ids(get_json(c, "/api/v1/register?q=%22riverside%22")) == std::vector<Id>{r.partner.id});
}

TEST_CASE("the gifts register is paged like the register, on the page and in JSON") {
  PublicRegisterServer r;
  {
    auto& db = *r.s.db;
    WriteTransaction tx(db);
    Gift hamper = r.dinner;
    hamper.id = 0;
    hamper.ref = "";
    hamper.kind = GiftKind::gift;
    hamper.description = "Hamper";
    hamper.offered_on = *Date::parse("2025-08-01");
    GiftStore(db).save(hamper, "test");
    tx.commit();
  }
  auto c = r.client();
  auto first = get_json(c, "/api/v1/gifts?page_size=1");
  CHECK(first.at("total") == 2);
  CHECK(first.at("page_count") == 2);
  REQUIRE(first.at("gifts").size() == 1);
  CHECK(first.at("gifts")[0].at("description") == "Hamper");  // latest offered first
  auto second = get_json(c, "/api/v1/gifts?page_size=1&page=2");
  REQUIRE(second.at("gifts").size() == 1);
  CHECK(second.at("gifts")[0].at("id") == r.dinner.id);
  CHECK(get_json(c, "/api/v1/gifts?page_size=1&page=3").at("gifts").empty());
  CHECK(get_json(c, "/api/v1/gifts?kind=gift&page_size=1").at("total") == 1);

  auto page = c.Get("/gifts?page_size=1");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(contains(page->body, "nhsuk-pagination"));
  CHECK(contains(page->body, "href=\"/gifts?page=2&amp;page_size=1\""));
  auto bad = c.Get("/api/v1/gifts?page=0");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(contains(bad->body, "page must be a whole number, 1 or more"));
}

TEST_CASE("an entry's history lists its published versions with dates") {
  PublicRegisterServer r;
  {
    auto changed = r.partner;
    changed.action_taken = "Leaves the room for items on Riverside";
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
  }
  auto c = r.client();
  auto doc = get_json(c, "/api/v1/register/history/" + std::to_string(r.partner.id));
  REQUIRE(doc.at("versions").size() == 2);
  CHECK(doc.at("versions").at(0).at("action_taken") == "Noted");
  CHECK(doc.at("versions").at(1).at("action_taken") == "Leaves the room for items on Riverside");
  auto page = c.Get(("/register/history/" + std::to_string(r.partner.id)).c_str());
  REQUIRE(page);
  CHECK(contains(page->body, "Version 1, recorded"));
  CHECK(contains(page->body, "Version 2, recorded"));
  CHECK(contains(page->body, "Leaves the room for items on Riverside"));
  // A draft was never public, so it has no public history.
  get_json(c, "/api/v1/register/history/" + std::to_string(r.draft.id), 404);
}

TEST_CASE("unknown ids give a 404 page, or a JSON error under /api/") {
  PublicRegisterServer r;
  auto c = r.client();
  for (const char* path : {"/people/99999", "/committees/99999", "/register/history/99999", "/people/99999999999999999999999"}) {
    CAPTURE(path);
    auto res = c.Get(path);
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
    CHECK(contains(res->body, "Page not found"));
  }
  CHECK(get_json(c, "/api/v1/people/99999", 404).at("error").at("message") == "Person was not found");
  CHECK(get_json(c, "/api/v1/committees/99999", 404).at("error").at("code") == "not_found");
  CHECK(get_json(c, "/api/v1/register/history/99999", 404).at("error").at("message") == "Register entry was not found");
}

TEST_CASE("the Atom feed lists register changes newest first, and no withheld entry") {
  PublicRegisterServer r;
  {
    auto changed = r.tricky;
    changed.to = d("2025-08-31");
    WriteTransaction tx(*r.s.db);
    InterestStore(*r.s.db).save(changed, "test");
    tx.commit();
  }
  auto c = r.client();
  auto res = c.Get("/register.atom");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/atom+xml; charset=utf-8");
  const auto& feed = res->body;
  CHECK_THAT(feed, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
  CHECK(contains(feed, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  CHECK(contains(feed, "<id>https://register.example.nhs.uk/register.atom</id>"));
  CHECK_FALSE(contains(feed, "Ben Okafor"));  // his only entry is withheld
  CHECK(contains(feed, "entry updated"));
  CHECK(contains(feed, "<link rel=\"alternate\" type=\"text/html\" href=\"https://register.example.nhs.uk/register/history/" +
                           std::to_string(r.partner.id) + "\"/>"));
  CHECK_FALSE(contains(feed, "DRAFT-NATURE"));
  // Newest first: the update to Zoë's entry comes before anything else.
  auto first_entry = feed.find("<entry>");
  REQUIRE(first_entry != std::string::npos);
  CHECK(contains(feed.substr(first_entry, feed.find("</entry>") - first_entry), "31 August 2025"));
  // Every entry has the Atom elements a reader needs.
  std::regex updated(R"(<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</updated>)");
  CHECK(std::distance(std::sregex_iterator(feed.begin(), feed.end(), updated), std::sregex_iterator()) >= 5);  // the feed's and 4 entries
}

TEST_CASE("a person whose newest entry is withheld is shown as last declaring on the entry before it") {
  PublicRegisterServer r;
  {
    WriteTransaction tx(*r.s.db);
    r.interest(r.ben, InterestCategory::non_financial_personal, &r.acme, "Volunteer adviser", "2025-01-22");  // declared 1 February
    auto later = r.interest(r.ben, InterestCategory::financial, &r.riverside, "Hidden stake", "2025-07-22");  // declared 1 August
    later.withheld = true;
    later.withheld_reason = "Risk of harm";
    InterestStore(*r.s.db).save(later, "governance");
    tx.commit();
  }
  auto c = r.client();
  const auto ben = std::to_string(r.ben.id), pccc = std::to_string(r.pccc.id);
  const auto person = get_json(c, "/api/v1/people/" + ben);
  CHECK(person.at("compliance").at("last_declared_on") == "2025-02-01");
  CHECK(person.at("compliance").at("text") == "Last declared on 1 February 2025");
  json member;
  const auto committee = get_json(c, "/api/v1/committees/" + pccc);
  for (const auto& m : committee.at("members"))
    if (m.at("person").at("id") == r.ben.id) member = m;
  REQUIRE(member.is_object());
  CHECK(member.at("compliance") == person.at("compliance"));
  for (const std::string& path : {"/people/" + ben, "/api/v1/people/" + ben, "/committees/" + pccc, "/api/v1/committees/" + pccc}) {
    CAPTURE(path);
    auto res = c.Get(path.c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK_FALSE(contains(res->body, "2025-08-01"));
    CHECK_FALSE(contains(res->body, "1 August 2025"));
    if (path.find("/api/") == std::string::npos) CHECK(contains(res->body, "1 February 2025"));
  }
}

TEST_CASE("published minutes do not name the withheld entry a declaration repeats") {
  PublicRegisterServer r;
  auto m = r.meeting();
  MeetingDeclaration ben{0, "", m.meeting.id, m.item.id, r.ben.id, "Declared an interest", r.withheld.id};
  {
    WriteTransaction tx(*r.s.db);
    MeetingDeclarationStore(*r.s.db).record(ben, "test");
    tx.commit();
  }
  auto c = r.client();
  const auto doc = get_json(c, "/api/v1/meetings/" + std::to_string(m.meeting.id));
  const auto& declarations = doc.at("items").at(0).at("declarations");
  REQUIRE(declarations.size() == 2);
  for (const auto& d : declarations) {
    CAPTURE(d);
    // Beside what was declared at the item, the entry's id would say what the withheld entry is about.
    if (d.at("person").at("id") == r.ben.id) CHECK(d.at("interest_id").is_null());
    else CHECK(d.at("interest_id") == r.partner.id);  // a published entry is still named
  }
}
