// What the register's reads keep between requests (RegisterReadCache): a broad search's matches,
// the gifts register's totals and checkpoints in the order by name for deep pages. Over a
// generated register with what the public rules treat apart (ended entries in and out of the
// six-month window, withheld entries, drafts, versions awaiting review, people who are not
// decision-makers, a second body), every page and total read through a cache, in any order of
// requests and after writes, is the one read without it.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/public/public_register.hpp"
#include "model/register/bodies.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Date cache_day(const char* iso) { return *Date::parse(iso); }
const Date kCacheToday = cache_day("2025-09-15");

struct CachedRegister {
  testing::TestDb t;
  std::vector<Person> people;
  std::vector<Organisation> organisations;
  Body westbrook{0, "westbrook", "NHS Westbrook CCG", "W1X", BodyKind::ccg, "", BodyPublication::here, ""};

  CachedRegister() {
    westbrook = *create_body(*t, westbrook, "test").saved;
    WriteTransaction tx(*t);
    const char* orgs[] = {"Riverside Surgery", "Oakfield Health Services Limited", "Northgate Pharmacy"};
    for (int i = 0; i < 3; ++i) {
      Organisation o{0, "org-" + std::to_string(i), orgs[i], "ID" + std::to_string(i), OrganisationKind::company, std::nullopt};
      OrganisationStore(*t).save(o, "test");
      organisations.push_back(o);
    }
    const char* first[] = {"Amir", "Helen", "Chidi", "Priya", "Tom"};
    const char* last[] = {"Hassan", "Okonkwo", "Whitfield", "Harding"};
    for (int i = 0; i < 30; ++i) {
      // Several people share a name: the order by name then goes by the entry's id.
      Person p{0, "p" + std::to_string(i), std::string(i % 4 == 0 ? "Dr " : "") + first[i % 5] + " " + last[i % 4], "",
               static_cast<PersonKind>(i % 4), "Member", std::nullopt, std::nullopt};
      p.decision_maker = i % 11 != 5;  // people 5 and 16 are not public
      if (i % 7 == 3) p.body_id = westbrook.id;
      PersonStore(*t).save(p, "test");
      people.push_back(p);
    }
    for (int i = 0; i < 3300; ++i) declare(i);  // "director" in two thirds: a broad search
    GiftStore gifts(*t);
    for (int i = 0; i < 300; ++i) {
      Gift g;
      g.person_id = people[static_cast<std::size_t>(i % 30)].id;
      g.kind = i % 3 ? GiftKind::hospitality : GiftKind::gift;
      g.source = "Source " + std::to_string(i);
      g.description = "Dinner " + std::to_string(i);
      g.value_pence = 1000 + i;
      g.offered_on = cache_day(i % 2 ? "2025-03-01" : "2025-05-20");
      g.declared_on = cache_day("2025-06-01");
      g.status = i % 13 == 0 ? DeclarationStatus::draft : (i % 4 == 0 ? DeclarationStatus::approved : DeclarationStatus::submitted);
      gifts.save(g, "test");
    }
    tx.commit();
  }

  void declare(int i, std::optional<Id> person = std::nullopt) {
    Interest in;
    in.person_id = person ? *person : people[static_cast<std::size_t>(i % 30)].id;
    in.category = static_cast<InterestCategory>(i % 4);
    in.indirect = in.category == InterestCategory::indirect;
    if (in.indirect) in.relationship = "spouse";
    if (i % 9 != 0) in.organisation_id = organisations[static_cast<std::size_t>(i % 3)].id;
    in.nature = std::string(i % 3 ? "Director of the company " : "Shareholder ") + std::to_string(i);
    in.from = cache_day(i % 2 ? "2015-04-01" : "2019-11-30");
    if (i % 13 == 0) in.to = cache_day("2024-01-31");  // ended before the six-month window
    if (i % 13 == 1) in.to = cache_day("2025-06-30");  // ended, still public
    in.declared_on = cache_day(i % 3 ? "2025-01-10" : "2024-04-10");
    in.status = i % 17 == 0 ? DeclarationStatus::draft : (i % 5 == 0 ? DeclarationStatus::approved : DeclarationStatus::submitted);
    if (i % 19 == 0) {
      in.withheld = true;
      in.withheld_reason = "Personal safety";
    }
    if (i % 6 == 0) in.kind = InterestKind::outside_employment;
    InterestStore(*t).save(in, "test");
    if (i % 23 == 0 && in.status == DeclarationStatus::approved) {
      // A later version awaiting review: shown where review is off, the approved one where it is on.
      in.nature = "Changed: director of a new company " + std::to_string(i);
      in.status = DeclarationStatus::submitted;
      InterestStore(*t).save(in, "test");
    }
  }
};

std::vector<Id> ids_of(const RegisterPage& page) {
  std::vector<Id> out;
  for (const auto& r : page.entries) out.push_back(r.entry.id);
  return out;
}

// Every page of the filter, read through the cache in an order that walks ahead, goes back and
// skips (so that checkpoints are made, extended and read from), each compared with the page read
// without the cache.
void check_every_page(CachedRegister& r, RegisterFilter f, const PublicationRules& rules, RegisterReadCache& cache) {
  f.page = 1;
  const auto plain = public_register(*r.t, kCacheToday, f, rules);
  REQUIRE(plain.page_count > 4);
  std::vector<int> order;
  for (int p = plain.page_count + 1; p >= 1; p -= 3) order.push_back(p);  // the deepest first
  for (int p = 1; p <= plain.page_count + 1; ++p) order.push_back(p);
  for (int p : order) {
    f.page = p;
    CAPTURE(p);
    const auto expected = public_register(*r.t, kCacheToday, f, rules);
    const auto cached = public_register(*r.t, kCacheToday, f, rules, {}, &cache);
    CHECK(cached.total == expected.total);
    CHECK(cached.page_count == expected.page_count);
    REQUIRE(ids_of(cached) == ids_of(expected));
    for (std::size_t i = 0; i < cached.entries.size(); ++i) {
      CHECK(cached.entries[i].entry == expected.entries[i].entry);
      CHECK(cached.entries[i].person == expected.entries[i].person);
    }
  }
}

CachedRegister& cached_register() {
  static CachedRegister r;  // built once for the tests that only read
  return r;
}
}  // namespace

TEST_CASE("deep pages by name read from checkpoints are the pages read by offset, with each filter, both ways") {
  auto& r = cached_register();
  PublicationRules rules;
  rules.review_required = GENERATE(false, true);
  RegisterFilter f;
  f.sort = RegisterSort::name;
  f.descending = GENERATE(false, true);
  f.page_size = 37;
  const int filter = GENERATE(0, 1, 2, 3, 4);
  if (filter == 1) f.body_id = r.westbrook.id;
  if (filter == 2) f.person_kind = PersonKind::gp;
  if (filter == 3) f.category = InterestCategory::financial;
  if (filter == 4) f.interest_kind = InterestKind::outside_employment;
  if (filter != 0) f.page_size = 9;  // a few pages more from fewer entries
  CAPTURE(rules.review_required, f.descending, f.page_size, filter);
  RegisterReadCache cache(4, 7);  // a checkpoint every 7 entries
  check_every_page(r, f, rules, cache);
}

TEST_CASE("the cache follows writes: checkpoints, searches and gift totals of an earlier state are not used") {
  CachedRegister r;
  RegisterReadCache cache(4, 7);
  RegisterFilter by_name;
  by_name.page_size = 10;
  RegisterFilter search;
  search.text = "director";
  search.page_size = 10;
  REQUIRE(public_register(*r.t, kCacheToday, search).total > static_cast<std::size_t>(kBroadSearchAbove) / 2);
  PublicGiftFilter gifts;
  gifts.page_size = 10;
  auto same = [&] {
    for (int p : {90, 40, 3, 91}) {
      by_name.page = p;
      search.page = p / 2;
      CAPTURE(p);
      CHECK(ids_of(public_register(*r.t, kCacheToday, by_name, {}, {}, &cache)) == ids_of(public_register(*r.t, kCacheToday, by_name)));
      const auto s = public_register(*r.t, kCacheToday, search, {}, {}, &cache);
      CHECK(s.total == public_register(*r.t, kCacheToday, search).total);
      CHECK(ids_of(s) == ids_of(public_register(*r.t, kCacheToday, search)));
    }
    CHECK(public_gifts_page(*r.t, kCacheToday, gifts, {}, &cache).total == public_gifts_page(*r.t, kCacheToday, gifts).total);
  };
  same();
  const auto before = public_register(*r.t, kCacheToday, search, {}, {}, &cache).total;
  // New entries early in the order by name ("Aaron Abbott") and matching the search, and a gift.
  {
    WriteTransaction tx(*r.t);
    Person aaron{0, "aaron", "Aaron Abbott", "", PersonKind::gp, "Member", std::nullopt, std::nullopt};
    PersonStore(*r.t).save(aaron, "test");
    for (int i = 1; i <= 30; ++i) r.declare(i, aaron.id);
    Gift g;
    g.person_id = aaron.id;
    g.description = "Lunch";
    g.offered_on = cache_day("2025-07-01");
    g.declared_on = cache_day("2025-07-02");
    GiftStore(*r.t).save(g, "test");
    tx.commit();
  }
  same();
  CHECK(public_register(*r.t, kCacheToday, search, {}, {}, &cache).total != before);
}

TEST_CASE("a broad search read through the cache is the search read afresh, in each sort and mode") {
  auto& r = cached_register();
  PublicationRules rules;
  rules.review_required = GENERATE(false, true);
  RegisterFilter f;
  f.text = GENERATE(std::string("director"), std::string("Director"));
  f.sort = GENERATE(RegisterSort::name, RegisterSort::organisation, RegisterSort::type, RegisterSort::from, RegisterSort::to,
                    RegisterSort::declared);
  f.descending = GENERATE(false, true);
  f.page_size = 100;
  CAPTURE(rules.review_required, f.text, static_cast<int>(f.sort), f.descending);
  RegisterReadCache cache;
  for (int p : {1, 5, 2, 9, 1}) {
    f.page = p;
    const auto expected = public_register(*r.t, kCacheToday, f, rules);
    const auto cached = public_register(*r.t, kCacheToday, f, rules, {}, &cache);
    CHECK(cached.total == expected.total);
    CHECK(ids_of(cached) == ids_of(expected));
  }
  // A different day hides other entries (the six-month window): kept apart from this day's.
  const Date later = cache_day("2026-01-15");
  f.page = 1;
  CHECK(public_register(*r.t, later, f, rules, {}, &cache).total == public_register(*r.t, later, f, rules).total);
  CHECK(public_register(*r.t, later, f, rules).total != public_register(*r.t, kCacheToday, f, rules).total);
}

TEST_CASE("the gifts register's totals read through the cache are those counted afresh, for each filter") {
  auto& r = cached_register();
  PublicationRules rules;
  rules.review_required = GENERATE(false, true);
  RegisterReadCache cache;
  PublicGiftFilter f;
  f.page_size = 20;
  const int filter = GENERATE(0, 1, 2, 3);
  if (filter == 1) f.kind = GiftKind::gift;
  if (filter == 2) f.person_kind = PersonKind::lay;
  if (filter == 3) f.body_id = r.westbrook.id;
  CAPTURE(rules.review_required, filter);
  for (int p : {1, 3, 1, 2}) {
    f.page = p;
    const auto expected = public_gifts_page(*r.t, kCacheToday, f, rules);
    const auto cached = public_gifts_page(*r.t, kCacheToday, f, rules, &cache);
    CHECK(cached.total == expected.total);
    CHECK(cached.page_count == expected.page_count);
    REQUIRE(cached.gifts.size() == expected.gifts.size());
    for (std::size_t i = 0; i < cached.gifts.size(); ++i) CHECK(cached.gifts[i].id == expected.gifts[i].id);
  }
}

TEST_CASE("a deep page by name is read from its checkpoint through the sort's index, never sorted") {
  auto& r = cached_register();
  RegisterFilter f;
  f.descending = GENERATE(false, true);
  const int filter = GENERATE(0, 1, 2, 3, 4);
  if (filter == 1) f.body_id = r.westbrook.id;
  if (filter == 2) f.person_kind = PersonKind::gp;
  if (filter == 3) f.category = InterestCategory::financial;
  if (filter == 4) f.interest_kind = InterestKind::outside_employment;
  CAPTURE(f.descending, filter);
  const auto plan = public_register_plan(*r.t, kCacheToday, f);
  std::string seek;
  for (const auto& s : plan.seek) seek += s + "; ";
  CAPTURE(seek);
  REQUIRE(plan.seek.size() >= 2);  // one line for each of the two statements at least
  std::string page;
  for (const auto& s : plan.page) page += s + "; ";
  CAPTURE(page);
  CHECK(seek.find("TEMP B-TREE FOR ORDER BY") == std::string::npos);
  // One body's entries by name, last first: public_entries_by_body holds names in ascending order,
  // so the entries of one name are put in order of id, as the page read by offset puts them.
  if (seek.find("TEMP B-TREE FOR RIGHT PART") != std::string::npos)
    CHECK(page.find("TEMP B-TREE FOR RIGHT PART") != std::string::npos);
  CHECK(seek.find("SCAN") == std::string::npos);  // both search the index from the checkpoint
  CHECK((seek.find("INDEX public_entries_by_name") != std::string::npos ||
         seek.find("INDEX public_entries_by_body") != std::string::npos));
  // Other sorts, a committee or a search are read as before: no checkpoints.
  f.sort = RegisterSort::declared;
  CHECK(public_register_plan(*r.t, kCacheToday, f).seek.empty());
}

TEST_CASE("the gifts register counts its gifts, not its people, and reads its page in order through an index") {
  auto& r = cached_register();
  PublicGiftFilter f;
  const int filter = GENERATE(0, 1, 2, 3);
  if (filter == 1) f.kind = GiftKind::gift;
  if (filter == 2) f.person_kind = PersonKind::lay;
  if (filter == 3) f.body_id = r.westbrook.id;
  CAPTURE(filter);
  const auto plan = public_gifts_plan(*r.t, kCacheToday, f);
  std::string count, page;
  for (const auto& s : plan.count) count += s + "; ";
  for (const auto& s : plan.page) page += s + "; ";
  CAPTURE(count, page);
  // Each gift once (the gifts' versions the outer loop), each person found by their key.
  CHECK(count.find("SCAN v") != std::string::npos);
  CHECK(count.find("SCAN p") == std::string::npos);
  CHECK(count.find("SEARCH p USING INTEGER PRIMARY KEY") != std::string::npos);
  // The page: the gifts latest offered first, read in that order, never sorted.
  CHECK(page.find("gift_versions_offered") != std::string::npos);
  CHECK(page.find("TEMP B-TREE") == std::string::npos);
  CHECK(page.find("SCAN p") == std::string::npos);
}
