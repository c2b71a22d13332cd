#include "model/public/public_register.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <cctype>
#include <deque>
#include <map>
#include <mutex>
#include <variant>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "model/base/text.hpp"
#include "model/store/audit_log.hpp"
#include "model/register/bodies.hpp"
#include "model/register/withholding_requests.hpp"
#include "model/store/entity_traits.hpp"
#include "model/store/version_groups.hpp"
#include "model/store/versioned_store.hpp"
#include "model/register/gift_rules.hpp"

namespace probity {

// ---- What the reads keep between requests (RegisterReadCache) -----------------------------------

struct RegisterReadCache::Impl {
  // A broad search's matches still on the public register today.
  struct Search {
    std::vector<bool> visible;  // by entry key
    std::size_t total = 0;
  };
  // A place in the register's order by name: the name key and interest id of the entry there.
  struct NamePlace {
    std::string name_key;
    Id interest_id = 0;
  };

  // Values of one kind, by key, the oldest dropped first beyond `max`.
  template <typename V>
  struct Kept {
    std::map<std::string, V> values;
    std::deque<std::string> order;
    V* find(const std::string& key) {
      auto it = values.find(key);
      return it == values.end() ? nullptr : &it->second;
    }
    V& put(const std::string& key, V value, std::size_t max) {
      auto [it, added] = values.insert_or_assign(key, std::move(value));
      if (added) {
        order.push_back(key);
        while (order.size() > max) {
          values.erase(order.front());
          order.pop_front();
        }
      }
      return values.at(key);
    }
    void clear() {
      values.clear();
      order.clear();
    }
  };

  Impl(std::size_t sets, std::size_t every) : max_sets(std::max<std::size_t>(1, sets)), spacing(std::max<std::size_t>(1, every)) {}

  // Whether what belongs to `generation` may be read and kept now: a newer one empties the cache; an
  // older one (a snapshot begun before the last write) may use nothing. Called with `mutex` held.
  bool at(long long g) {
    if (g > generation) {
      generation = g;
      searches.clear();
      places.clear();
      counts.clear();
    }
    return g == generation;
  }

  const std::size_t max_sets;
  const std::size_t spacing;  // rows between two checkpoints
  std::mutex mutex;
  long long generation = -1;
  Kept<std::shared_ptr<const Search>> searches;
  Kept<std::vector<NamePlace>> places;  // [j]: the entry at place (j + 1) * spacing
  Kept<std::size_t> counts;
};

RegisterReadCache::RegisterReadCache(std::size_t max_sets, std::size_t spacing) : impl_(std::make_unique<Impl>(max_sets, spacing)) {}
RegisterReadCache::~RegisterReadCache() = default;

namespace {

// ---- Loading: each function is one query, whatever the number of rows ----------------------

// A read that must see one snapshot across several statements: a savepoint, which opens a
// (deferred, read) transaction when none is open and nests inside one that is. Nothing is
// written through it, so it is always released.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SQLite::Database& db) : db_(db) { db_.exec("SAVEPOINT register_read"); }
  ~ReadSnapshot() {
    try {
      db_.exec("RELEASE register_read");
    } catch (const std::exception&) {
      // Only possible if SQLite already ended the transaction; there is nothing to release.
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SQLite::Database& db_;
};

template <typename T>
using VersionGroups = std::vector<std::vector<Version<T>>>;

// Every version of the entities selected by `where` (a condition on e.id), grouped per entity
// and oldest first. The register needs all versions, not the current one, because the public
// sees the latest *published* version (publication_rules.hpp: public_version).
template <typename T, typename Bind>
VersionGroups<T> load_versions(SQLite::Database& db, const std::string& where, Bind&& bind) {
  VersionGroups<T> out;
  for_each_version_group<T>(db, where, std::forward<Bind>(bind), [&](std::vector<Version<T>>& group) { out.push_back(std::move(group)); });
  return out;
}

// Hospitality from suppliers: whether it awaits approval, and the approval published over the
// upper threshold (the rules' copy of the configured gift thresholds).
void add_gift_approval(PublicGift& out, const Gift& g, const PublicationRules& rules) {
  GiftThresholds t;
  t.supplier_hospitality_needs_approval = rules.supplier_hospitality_needs_approval;
  t.hospitality_max_pence = rules.publish_approval_over_pence;
  out.awaiting_approval = awaiting_approval(g, t);
  if (!approval_published(g, t)) return;
  out.approved_by = g.approved_by;
  out.approver_role = g.approver_role;
  out.approval_reason = g.approval_reason;
}

bool current_on(const PublicMembership& m, const Date& today) { return m.from <= today && (!m.to || today <= *m.to); }

// A person's positions as the public reads them: their own position, then each committee
// membership current today ("Chair, Primary Care Commissioning Committee"), in the memberships'
// order. Callers leave them out when the person's name is withheld.
std::vector<std::string> public_positions(const std::string& own, const std::vector<PublicMembership>& memberships,
                                          const Date& today) {
  std::vector<std::string> out;
  if (!own.empty()) out.push_back(own);
  for (const auto& m : memberships)
    if (current_on(m, today)) out.push_back(std::string(public_label(m.role)) + ", " + m.committee_name);
  return out;
}

// "?, ?, ?" for n values.
std::string placeholders_for(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

void bind_ids(SQLite::Statement& q, const std::vector<Id>& ids, int first = 1) {
  for (std::size_t i = 0; i < ids.size(); ++i) q.bind(first + static_cast<int>(i), ids[i]);
}

// The people, organisations and committee memberships every public row refers to, loaded once
// and looked up in memory while rows are built: all of them (nullopt), or only those named.
class Context {
 public:
  Context(SQLite::Database& db, const Date& today, const std::optional<std::vector<Id>>& only_people,
          const std::optional<std::vector<Id>>& only_organisations = std::nullopt, const std::string& default_body_name = "")
      : today_(today), names_withheld_(names_withheld(db)) {
    // The bodies (a handful): their names, and which publish their register elsewhere.
    std::set<Id> elsewhere;
    for (const auto& b : BodyStore(db).all()) {
      bodies_.emplace(b.id, PublicBody{b.id, body_name(b, default_body_name)});
      if (b.publication == BodyPublication::elsewhere) elsewhere.insert(b.id);
    }
    std::vector<Person> people;
    if (only_people) {
      if (!only_people->empty())
        people = VersionedStore<Person>(db).select("WHERE id IN (" + placeholders_for(only_people->size()) + ")",
                                                   [&](SQLite::Statement& s) { bind_ids(s, *only_people); });
    } else {
      people = VersionedStore<Person>(db).all();
    }
    // Who is published: only decision-makers' rows, pages and gifts are public. Every public
    // view finds people through this context, so the others' entries never reach one.
    std::erase_if(people, [](const Person& p) { return !published_person(p); });
    // Nor are the people of a body that publishes its register elsewhere (migration 0022): their
    // entries stay here for the conflict checks only.
    std::erase_if(people, [&](const Person& p) { return elsewhere.contains(p.body_id); });
    for (auto& p : people) people_.emplace(p.id, std::move(p));
    std::vector<Organisation> organisations;
    if (only_organisations) {
      if (!only_organisations->empty())
        organisations = VersionedStore<Organisation>(db).select(
            "WHERE id IN (" + placeholders_for(only_organisations->size()) + ")",
            [&](SQLite::Statement& s) { bind_ids(s, *only_organisations); });
    } else {
      organisations = VersionedStore<Organisation>(db).all();
    }
    for (auto& o : organisations) organisations_.emplace(o.id, std::move(o));

    if (only_people && only_people->empty()) return;
    SQLite::Statement q(db, std::string("SELECT m.person_id, m.committee_id, c.name, m.role, m.date_from, m.date_to "
                                        "FROM membership_current m JOIN committee_current c ON c.id = m.committee_id ") +
                                (only_people ? "WHERE m.person_id IN (" + placeholders_for(only_people->size()) + ") " : "") +
                                "ORDER BY c.name, m.date_from, m.id");
    if (only_people) bind_ids(q, *only_people);
    while (q.executeStep()) {
      memberships_[q.getColumn(0).getInt64()].push_back(
          {q.getColumn(1).getInt64(), q.getColumn(2).getString(), sqlcol::enumv<CommitteeRole>(q.getColumn(3)),
           sqlcol::date(q.getColumn(4)), sqlcol::opt_date(q.getColumn(5))});
    }
  }

  const Date& today() const { return today_; }
  const Person* person(Id id) const {
    auto it = people_.find(id);
    return it == people_.end() ? nullptr : &it->second;
  }
  const std::unordered_map<Id, Person>& people() const { return people_; }
  bool name_withheld(Id person_id) const { return names_withheld_.contains(person_id); }
  PublicBody body(Id id) const {
    auto it = bodies_.find(id);
    return it == bodies_.end() ? PublicBody{id, ""} : it->second;
  }

  const std::vector<PublicMembership>& memberships(Id person_id) const {
    static const std::vector<PublicMembership> none;
    auto it = memberships_.find(person_id);
    return it == memberships_.end() ? none : it->second;
  }
  const std::unordered_map<Id, std::vector<PublicMembership>>& all_memberships() const { return memberships_; }

  bool member_today(Id person_id, Id committee_id) const {
    for (const auto& m : memberships(person_id))
      if (m.committee_id == committee_id && current_on(m, today_)) return true;
    return false;
  }

  std::optional<PublicOrganisation> organisation(const std::optional<Id>& id) const {
    if (!id) return std::nullopt;
    auto it = organisations_.find(*id);
    if (it == organisations_.end()) return std::nullopt;
    return PublicOrganisation{it->second.id, it->second.name, it->second.identifier, it->second.kind};
  }

  /// Built once per person, however many rows name them.
  const PublicPersonSummary& summary(const Person& p) {
    auto it = summaries_.find(p.id);
    if (it != summaries_.end()) return it->second;
    PublicPersonSummary s{p.id, p.ref, p.name, p.kind, {}};
    s.body = body(p.body_id);
    if (names_withheld_.contains(p.id)) {
      // The Guardian withheld this person's name: nothing that names them, nor their positions
      // (a committee's chair is one person), nor the ids that link their rows together.
      s.name = kNameWithheld;
      s.ref.clear();
      s.name_withheld = true;
      return summaries_.emplace(p.id, std::move(s)).first->second;
    }
    s.positions = public_positions(p.position, memberships(p.id), today_);
    return summaries_.emplace(p.id, std::move(s)).first->second;
  }

 private:
  Date today_;
  std::unordered_map<Id, Person> people_;
  std::unordered_map<Id, Organisation> organisations_;
  std::unordered_map<Id, std::vector<PublicMembership>> memberships_;
  std::unordered_map<Id, PublicPersonSummary> summaries_;
  std::set<Id> names_withheld_;  // the people whose name the Guardian withheld
  std::unordered_map<Id, PublicBody> bodies_;
};

// ---- Building, filtering and sorting rows -------------------------------------------------

// The row the public sees for one entry (its versions, oldest first), if any.
std::optional<PublicRegisterRow> visible_row(Context& ctx, const std::vector<Version<Interest>>& group, const PublicationRules& rules) {
  auto shown = public_version(entities_of(group), rules.review_required);
  if (!shown || !publicly_visible(*shown, ctx.today(), rules)) return std::nullopt;
  const Person* person = ctx.person(shown->person_id);
  if (!person) return std::nullopt;  // outside the people loaded for this view
  return PublicRegisterRow{ctx.summary(*person), public_view(*shown, ctx.organisation(shown->organisation_id))};
}

std::vector<PublicRegisterRow> visible_rows(Context& ctx, const VersionGroups<Interest>& groups, const PublicationRules& rules) {
  std::vector<PublicRegisterRow> rows;
  rows.reserve(groups.size());
  for (const auto& group : groups)
    if (auto row = visible_row(ctx, group, rules)) rows.push_back(std::move(*row));
  return rows;
}

bool contains_folded(std::string_view haystack, const std::string& folded_needle) {
  return fold_case(haystack).find(folded_needle) != std::string::npos;
}

// The value a row sorts by; nullopt sorts last in either direction. Withheld entries have no
// value for any column but the name: sorting them by a hidden value would reveal it by position.
std::optional<std::string> sort_key(const PublicRegisterRow& row, RegisterSort sort) {
  const auto& d = row.entry.detail;
  switch (sort) {
    case RegisterSort::name:
      return name_sort_key(row.person.name);  // surname, then forenames: never by title
    case RegisterSort::organisation:
      if (d && d->organisation) return fold_case(d->organisation->name);
      return std::nullopt;
    case RegisterSort::type:
      if (d) return std::string(public_label(d->category));
      return std::nullopt;
    case RegisterSort::from:
      if (d) return d->from.iso();
      return std::nullopt;
    case RegisterSort::to:
      if (d) return d->to ? d->to->iso() : std::string("9999-12-31");  // ongoing ends last
      return std::nullopt;
    case RegisterSort::declared:
      if (d) return d->declared_on.iso();
      return std::nullopt;
  }
  return std::nullopt;
}

// Where a row goes in the order: its sort value, its folded name and its entry's id.
struct RowOrder {
  std::optional<std::string> key;
  std::string name;
  Id id = 0;
};

RowOrder row_order(const PublicRegisterRow& row, RegisterSort sort) { return {sort_key(row, sort), name_sort_key(row.person.name), row.entry.id}; }

bool row_before(const RowOrder& a, const RowOrder& b, bool descending) {
  if (a.key.has_value() != b.key.has_value()) return a.key.has_value();
  if (a.key && *a.key != *b.key) return descending ? *a.key > *b.key : *a.key < *b.key;
  // Ties: by name, then by id, so that pages never shuffle between requests.
  if (a.name != b.name) return a.name < b.name;
  return a.id < b.id;
}

void sort_rows(std::vector<PublicRegisterRow>& rows, RegisterSort sort, bool descending) {
  struct Keyed {
    RowOrder order;
    PublicRegisterRow row;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(rows.size());
  for (auto& r : rows) keyed.push_back({row_order(r, sort), std::move(r)});
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) { return row_before(a.order, b.order, descending); });
  rows.clear();
  for (auto& k : keyed) rows.push_back(std::move(k.row));
}

// ---- Compliance ------------------------------------------------------------------------------

// Each person's annual-declaration standing, from their published interests and nil returns.
// A withheld entry does not count: nothing about it but its existence may be public, and its
// declaration date (or a standing that only it makes current) would say when it was made.
std::unordered_map<Id, DeclarationCompliance> compliance_by_person(const std::vector<Id>& people,
                                                                   const VersionGroups<Interest>& interests,
                                                                   const VersionGroups<NilReturn>& nil_returns,
                                                                   const Date& today, const PublicationRules& rules) {
  std::unordered_map<Id, std::optional<Date>> declared, nil;
  auto later = [](std::optional<Date>& slot, const Date& d) {
    if (!slot || *slot < d) slot = d;
  };
  for (const auto& group : interests)
    if (auto shown = public_version(entities_of(group), rules.review_required); shown && !shown->withheld)
      later(declared[shown->person_id], shown->declared_on);
  for (const auto& group : nil_returns)
    if (auto shown = latest_published(entities_of(group), rules.review_required)) later(nil[shown->person_id], shown->made_on);
  std::unordered_map<Id, DeclarationCompliance> out;
  for (Id id : people) out.emplace(id, declaration_compliance(declared[id], nil[id], today, rules));
  return out;
}

// ---- Public versions of one entry ---------------------------------------------------------------

// The versions of one entry the public has seen, oldest first. While the entry is withheld, its
// earlier versions are too (they hold the same details), and it has a single version with no
// number and no time: how often it changed and when it was recorded are its details as well
// (the first version's time is, near enough, its declaration date).
std::vector<PublicEntryVersion> public_versions(const std::vector<Version<Interest>>& versions, const Context& ctx,
                                                const PublicationRules& rules) {
  std::vector<PublicEntryVersion> out;
  if (versions.back().entity.withheld) {
    for (const auto& v : versions)
      if (is_published(v.entity.status, rules.review_required)) {
        out.push_back({0, "", PublicInterest{v.entity.id, v.entity.person_id, std::nullopt}});
        break;
      }
    return out;
  }
  for (const auto& v : versions) {
    if (!is_published(v.entity.status, rules.review_required)) continue;  // drafts were never public
    const Interest& entity = v.entity;
    PublicInterest entry = public_view(entity, ctx.organisation(entity.organisation_id));
    // A version differing only in what the public cannot see (a status change, a withholding
    // reason) is not a new public version.
    if (!out.empty() && out.back().entry == entry) continue;
    out.push_back({v.version, v.recorded_at, std::move(entry)});
  }
  return out;
}

// ---- Reading the register through its read model (migration 0014: public_entries) ----------------
//
// Which rows, in what order and how many are decided in SQLite, through the indexes that serve
// each sort; the rows of the page are then built from their versions by the publication rules
// (model/register/publication_rules.hpp), exactly as before, so the two cannot disagree about
// what a row shows.

// The first end date still on the public register today: the least date whose window
// (model/register/publication_rules.cpp: publicly_visible) includes today. Month ends make the
// window's length vary, so it is found by stepping rather than by subtracting months.
Date entries_cutoff(const Date& today, const PublicationRules& rules) {
  Date d = today.plus_months(-rules.months_public_after_end).plus_days(-4);
  while (today > d.plus_months(rules.months_public_after_end)) d = d.plus_days(1);
  return d;
}

// The search text as an FTS5 query: one phrase, its last word a prefix, so that "partner in"
// finds "Partner in ..." and "hass" finds "Hassan". Inside the quotes FTS5 reads nothing as an
// operator ("NEAR", "-", ":", "*", "(" are text), and a quote is written twice.
std::string entries_fts_phrase(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"*";
}

// The whole search as a phrase, or, for a name written with or without its titles ("Dr Hassan"
// finds Dr Amir Hassan, as name_matches does), its words that are not titles, each a prefix of a
// word of the person's name.
std::string entries_fts_query(const std::string& text) {
  const std::string phrase = entries_fts_phrase(text);
  // One plain word ("Director", "hassan"): the phrase already finds it as a prefix of a word in any
  // column, the name's words included, so the name query would add nothing; and it is not free (a
  // column filter reads the positions of every match: a word in a third of the register cost ten
  // times as much with it).
  if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return b < 0x80 && std::isalnum(b);
      }))
    return phrase;
  std::vector<std::string> words;
  std::string word;
  auto take = [&] {
    if (!word.empty() && !is_name_title(word)) words.push_back(entries_fts_phrase(word));
    word.clear();
  };
  for (char c : fold_case(text)) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::isalnum(b)) word += c;
    else if (c != '.') take();
  }
  take();
  if (words.empty()) return phrase;
  std::string names;
  for (const auto& w : words) names += (names.empty() ? "" : " AND ") + w;
  return "(" + phrase + ") OR (name : (" + names + "))";
}

// FTS5 finds words; text with no letters or digits at all (say "-" or "&") has no words, so it
// is matched as before, as a substring of each field (no letter means no case to fold).
bool entries_has_words(const std::string& text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || std::isalnum(b)) return true;
  }
  return false;
}

using EntriesArg = std::variant<std::int64_t, std::string>;

struct EntriesQuery {
  std::string where;
  std::vector<EntriesArg> args;
  void bind(SQLite::Statement& q) const {
    int i = 1;
    for (const auto& a : args) {
      if (const auto* n = std::get_if<std::int64_t>(&a)) q.bind(i++, *n);
      else q.bind(i++, std::get<std::string>(a));
    }
  }
};

// Above this many search matches, a page is read by walking the sort's index and keeping the
// matches; below it, the matches are read and sorted (a few thousand rows sort in well under a
// millisecond, while walking the index for a rare word would read the whole register).
constexpr std::int64_t kEntriesWalkAbove = kBroadSearchAbove;

// The search's matches in public_search, as entry keys in ascending order.
const char* const kSearchMatchesSql = "SELECT rowid FROM public_search WHERE public_search MATCH ?";

std::vector<std::int64_t> search_matches(SQLite::Database& db, const std::string& fts_query) {
  SQLite::Statement s(db, kSearchMatchesSql);
  s.bind(1, fts_query);
  std::vector<std::int64_t> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  return out;
}

// What the register hides today, each read through its small index of migration 0023: an entry
// ended before the six-month window, one shown only in the other publication mode, one not listed
// (not a decision-maker's, or of a body publishing elsewhere). Together they are exactly the
// entries failing the first three conditions of entries_query's WHERE.
struct HiddenQuery {
  const char* sql;
  enum class Arg { cutoff, other_mode, none } arg;
};
constexpr HiddenQuery kHiddenQueries[] = {
    {"SELECT entry_key FROM public_entries WHERE date_to < ?", HiddenQuery::Arg::cutoff},
    // modes is 1, 2 or 3 (0014): an entry fails (modes & mode) <> 0 when it is the other mode's alone.
    {"SELECT entry_key FROM public_entries WHERE modes <> 3 AND modes = ?", HiddenQuery::Arg::other_mode},
    {"SELECT entry_key FROM public_entries WHERE listed <> 1", HiddenQuery::Arg::none},
};

void bind_hidden(SQLite::Statement& s, const HiddenQuery& h, const Date& today, const PublicationRules& rules) {
  if (h.arg == HiddenQuery::Arg::cutoff) s.bind(1, entries_cutoff(today, rules).iso());
  if (h.arg == HiddenQuery::Arg::other_mode) s.bind(1, std::int64_t{rules.review_required ? 1 : 2});
}

std::vector<std::int64_t> hidden_entries(SQLite::Database& db, const Date& today, const PublicationRules& rules) {
  std::vector<std::int64_t> out;
  for (const auto& h : kHiddenQueries) {
    SQLite::Statement s(db, h.sql);
    bind_hidden(s, h, today, rules);
    while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A search matching many entries with no other filter. Its matches are read from public_search
// once, what the register hides today is taken away, and the rest counted in memory; a page is
// found by walking the sort's covering index and keeping the matches (walk_search_index), so
// public_entries is never asked about each match. (Feeding the matches to `IN (SELECT rowid ...)`
// copied them into a temporary index for the count and again for the page: 41 ms at 100,000
// entries for a word in a third of them.)
using BroadSearch = RegisterReadCache::Impl::Search;

// The cache a read may use, and the state of the database its snapshot sees (no cache: nothing kept).
struct Reuse {
  RegisterReadCache::Impl* cache = nullptr;
  long long generation = 0;
  static Reuse of(SQLite::Database& db, RegisterReadCache* c) { return c ? Reuse{&c->impl(), last_audit_id(db)} : Reuse{}; }
};

// A query's text and arguments as one key: each argument with its type, so that 1 and "1" differ.
std::string query_key(const std::string& sql, const std::vector<EntriesArg>& args) {
  std::string out = sql;
  for (const auto& a : args) {
    if (const auto* n = std::get_if<std::int64_t>(&a)) out.append("\x1fi").append(std::to_string(*n));
    else out.append("\x1fs").append(std::get<std::string>(a));
  }
  return out;
}

bool text_only(const RegisterFilter& f) {
  return !f.committee_id && !f.body_id && !f.person_kind && !f.category && !f.interest_kind;
}

std::string entries_order(RegisterSort sort, bool descending);

std::string walk_sql(const RegisterFilter& f) {
  return "SELECT entry_key, interest_id FROM public_entries ORDER BY " + entries_order(f.sort, f.descending);
}

// The search's FTS5 query, and its matches when they are many and the search has no other filter
// (nullopt otherwise: the matches are then read through entries_query).
// With a cache, a broad search's matches are read once for each state of the database, day and
// publication mode (all three are in its key).
std::shared_ptr<const BroadSearch> broad_search(SQLite::Database& db, const RegisterFilter& f, const Date& today,
                                                const PublicationRules& rules, std::optional<std::int64_t>& matches,
                                                const Reuse& reuse = {}) {
  matches.reset();
  if (f.text.empty() || !entries_has_words(f.text)) return nullptr;
  const std::string fts = entries_fts_query(f.text);
  const std::string key = fts + "\x1f" + entries_cutoff(today, rules).iso() + (rules.review_required ? "\x1freviewed" : "");
  if (reuse.cache && text_only(f)) {
    std::lock_guard lock(reuse.cache->mutex);
    if (reuse.cache->at(reuse.generation))
      if (auto* kept = reuse.cache->searches.find(key)) return *kept;
  }
  auto found = search_matches(db, fts);
  matches = static_cast<std::int64_t>(found.size());
  if (*matches <= kEntriesWalkAbove || !text_only(f)) return nullptr;
  const auto hidden = hidden_entries(db, today, rules);
  auto out = std::make_shared<BroadSearch>();
  out->visible.assign(static_cast<std::size_t>(found.back()) + 1, false);
  auto h = hidden.begin();
  for (std::int64_t k : found) {
    while (h != hidden.end() && *h < k) ++h;
    if (h != hidden.end() && *h == k) continue;
    out->visible[static_cast<std::size_t>(k)] = true;
    ++out->total;
  }
  if (reuse.cache) {
    std::lock_guard lock(reuse.cache->mutex);
    if (reuse.cache->at(reuse.generation)) reuse.cache->searches.put(key, out, reuse.cache->max_sets);
  }
  return out;
}

// The interest ids of the search's matches [first, first + limit) in the register's order
// (limit < 0: all from first), by walking the sort's covering index.
std::vector<Id> walk_search_index(SQLite::Database& db, const BroadSearch& b, const RegisterFilter& f, std::size_t first,
                                  std::int64_t limit) {
  std::vector<Id> out;
  if (limit == 0 || first >= b.total) return out;
  SQLite::Statement s(db, walk_sql(f));
  std::size_t seen = 0;
  while (s.executeStep()) {
    const auto key = static_cast<std::size_t>(s.getColumn(0).getInt64());
    if (key >= b.visible.size() || !b.visible[key]) continue;
    if (seen++ < first) continue;
    out.push_back(s.getColumn(1).getInt64());
    if (limit >= 0 && static_cast<std::int64_t>(out.size()) >= limit) break;
    if (seen >= b.total) break;  // every match found: the rest of the index holds none
  }
  return out;
}

EntriesQuery entries_query(SQLite::Database& db, const RegisterFilter& f, const Date& today, const PublicationRules& rules,
                           bool& walk_sort_index, std::optional<std::int64_t> known_matches = std::nullopt) {
  EntriesQuery q;
  walk_sort_index = true;
  // Only decision-makers' entries are public (migration 0020), and only those of bodies that
  // publish here (0022): both make `listed`.
  q.where = " WHERE (modes & ?) <> 0 AND (date_to IS NULL OR date_to >= ?) AND listed = 1";
  q.args.emplace_back(std::int64_t{rules.review_required ? 2 : 1});
  q.args.emplace_back(entries_cutoff(today, rules).iso());
  if (f.body_id) {  // one body's register: served by public_entries_by_body (0022)
    q.where += " AND body_id = ?";
    q.args.emplace_back(std::int64_t{*f.body_id});
  }
  if (f.person_kind) {
    q.where += " AND person_kind = ?";
    q.args.emplace_back(std::string(to_string(*f.person_kind)));
  }
  if (f.category) {  // NULL for a withheld entry: a type filter never finds one
    q.where += " AND category = ?";
    q.args.emplace_back(std::string(to_string(*f.category)));
  }
  if (f.interest_kind) {  // NULL for a withheld entry: a kind filter never finds one
    q.where += " AND kind = ?";
    q.args.emplace_back(std::string(to_string(*f.interest_kind)));
  }
  if (f.committee_id) {
    q.where +=
        " AND person_id IN (SELECT person_id FROM membership_current WHERE committee_id = ? AND date_from <= ?"
        " AND (date_to IS NULL OR date_to >= ?))";
    q.args.emplace_back(std::int64_t{*f.committee_id});
    q.args.emplace_back(today.iso());
    q.args.emplace_back(today.iso());
    walk_sort_index = false;  // a committee's members hold a small part of the register
  }
  if (!f.text.empty()) {
    if (entries_has_words(f.text)) {
      const std::string phrase = entries_fts_query(f.text);
      std::int64_t matches = 0;
      if (known_matches) {
        matches = *known_matches;
      } else {
        SQLite::Statement n(db, "SELECT count(*) FROM public_search WHERE public_search MATCH ?");
        n.bind(1, phrase);
        matches = n.executeStep() ? n.getColumn(0).getInt64() : 0;
      }
      if (matches <= kEntriesWalkAbove) walk_sort_index = false;
      // The unary + keeps SQLite from reading the matches by rowid when the index walk is wanted.
      q.where += walk_sort_index ? " AND +entry_key IN (SELECT rowid FROM public_search WHERE public_search MATCH ?)"
                                 : " AND entry_key IN (SELECT rowid FROM public_search WHERE public_search MATCH ?)";
      q.args.emplace_back(phrase);
    } else {
      // A withheld entry's organisation, identifier and nature are empty here: found by name only.
      q.where +=
          " AND (instr(name, ?) > 0 OR instr(COALESCE(organisation, ''), ?) > 0 OR instr(identifier, ?) > 0"
          " OR instr(nature, ?) > 0)";
      for (int i = 0; i < 4; ++i) q.args.emplace_back(f.text);
    }
  }
  return q;
}

// The register's order for each sort: the sort's value (rows without one last in either
// direction), then the folded name, then the entry's id; each is served by an index of 0014.
std::string entries_order(RegisterSort sort, bool descending) {
  auto keyed = [&](const char* key) {
    return std::string(key) + " IS NULL, " + key + (descending ? " DESC" : "") + ", name_key, interest_id";
  };
  switch (sort) {
    case RegisterSort::name:
      return descending ? "name_key DESC, interest_id" : "name_key, interest_id";
    case RegisterSort::organisation:
      return keyed("organisation_key");
    case RegisterSort::type:
      return keyed("type_key");
    case RegisterSort::from:
      return keyed("date_from");
    case RegisterSort::to:
      return keyed("to_key");
    case RegisterSort::declared:
      return keyed("declared_on");
  }
  return "name_key, interest_id";
}

// How many entries match. Without a committee, kind or search text, a sum over public_entry_counts
// (one row per end date, mode, kind and type); otherwise a count of the matching entries.
EntriesQuery entries_count_query(const EntriesQuery& q, const RegisterFilter& f, const Date& today,
                                 const PublicationRules& rules) {
  if (f.committee_id || !f.text.empty() || f.interest_kind) return {"SELECT count(*) FROM public_entries" + q.where, q.args};
  EntriesQuery c;
  c.where = "SELECT COALESCE(SUM(n), 0) FROM public_entry_counts WHERE (date_to = '' OR date_to >= ?) AND (modes & ?) <> 0";
  c.args.emplace_back(entries_cutoff(today, rules).iso());
  c.args.emplace_back(std::int64_t{rules.review_required ? 2 : 1});
  if (f.person_kind) {
    c.where += " AND person_kind = ?";
    c.args.emplace_back(std::string(to_string(*f.person_kind)));
  }
  if (f.body_id) {
    c.where += " AND body_id = ?";
    c.args.emplace_back(std::int64_t{*f.body_id});
  }
  if (f.category) {
    c.where += " AND category = ?";
    c.args.emplace_back(std::string(to_string(*f.category)));
  }
  return c;
}

std::size_t entries_count(SQLite::Database& db, const EntriesQuery& q, const RegisterFilter& f, const Date& today,
                          const PublicationRules& rules) {
  const auto c = entries_count_query(q, f, today, rules);
  SQLite::Statement n(db, c.where);
  c.bind(n);
  return n.executeStep() ? static_cast<std::size_t>(n.getColumn(0).getInt64()) : 0;
}

// The ids of the matching entries in the register's order; `limit` < 0 for all of them.
std::vector<Id> entries_ids(SQLite::Database& db, const EntriesQuery& q, const RegisterFilter& f, std::int64_t limit,
                            std::int64_t offset) {
  SQLite::Statement s(db, "SELECT interest_id FROM public_entries" + q.where + " ORDER BY " + entries_order(f.sort, f.descending) +
                              " LIMIT ? OFFSET ?");
  q.bind(s);
  const int n = static_cast<int>(q.args.size());
  s.bind(n + 1, limit);
  s.bind(n + 2, offset);
  std::vector<Id> out;
  while (s.executeStep()) out.push_back(s.getColumn(0).getInt64());
  return out;
}

// The latest published version of each gift matching the filter (without search text): FROM and
// WHERE for the count and the page. CROSS JOIN keeps the gifts the outer loop, each person found by
// their key: with a plain JOIN, SQLite counted by scanning every person (at 1,000,000 interests,
// 200,000 people for 20,000 gifts) and looking up each one's gifts.
EntriesQuery gifts_query(const Date& today, const PublicGiftFilter& filter, const PublicationRules& rules) {
  std::string where =
      " FROM gift_versions v CROSS JOIN public_person_keys p ON p.person_id = v.person_id"
      " WHERE v.version = (SELECT MAX(x.version) FROM gift_versions x WHERE x.gift_id = v.gift_id AND x.status IN (";
  where += rules.review_required ? "'approved'" : "'submitted', 'approved'";
  where += "))";
  where += " AND p.listed = 1";  // only decision-makers of bodies publishing here (migrations 0020, 0022)
  std::vector<EntriesArg> args;
  if (filter.kind) {
    where += " AND v.kind = ?";
    args.emplace_back(std::string(to_string(*filter.kind)));
  }
  if (filter.person_kind) {
    where += " AND p.kind = ?";
    args.emplace_back(std::string(to_string(*filter.person_kind)));
  }
  if (filter.body_id) {
    where += " AND p.body_id = ?";
    args.emplace_back(std::int64_t{*filter.body_id});
  }
  if (filter.committee_id) {
    where +=
        " AND v.person_id IN (SELECT person_id FROM membership_current WHERE committee_id = ? AND date_from <= ?"
        " AND (date_to IS NULL OR date_to >= ?))";
    args.emplace_back(std::int64_t{*filter.committee_id});
    args.emplace_back(today.iso());
    args.emplace_back(today.iso());
  }
  return {where, args};
}

const char* const kGiftsPageOrder = " ORDER BY v.offered_on DESC, v.gift_id DESC LIMIT ? OFFSET ?";

// ---- Deep pages of the register by name: checkpoints (RegisterReadCache) -----------------------
//
// OFFSET walks the sort's index from its start to the page (at 1,000,000 entries, page 1999 read
// 99,950 entries to return 50). With a cache, the entry at every `spacing`-th place of the order is
// kept as it is passed (its name key and interest id: the order's whole key), and a later page is
// read from the nearest kept place before it, walking at most `spacing` entries to the page.

using NamePlace = RegisterReadCache::Impl::NamePlace;

// The statements that read the matching entries in the order by name from `from` (inclusive): the
// entries of from's name from its id on, then those after its name. Without `from`, from the start.
std::vector<std::string> name_walk_sql(const EntriesQuery& q, bool descending, bool from) {
  const std::string head = "SELECT name_key, interest_id FROM public_entries" + q.where;
  const std::string order = " ORDER BY " + entries_order(RegisterSort::name, descending);
  if (!from) return {head + order};
  return {head + " AND name_key = ? AND interest_id >= ?" + order,
          head + (descending ? " AND name_key < ?" : " AND name_key > ?") + order};
}

// Calls visit(statement) on each matching entry from `from` in the order by name, until it
// returns false.
template <typename Visit>
void walk_by_name(SQLite::Database& db, const EntriesQuery& q, bool descending, const std::optional<NamePlace>& from,
                  Visit&& visit) {
  const auto sql = name_walk_sql(q, descending, from.has_value());
  for (std::size_t part = 0; part < sql.size(); ++part) {
    SQLite::Statement s(db, sql[part]);
    q.bind(s);
    if (from) {
      const int n = static_cast<int>(q.args.size());
      s.bind(n + 1, from->name_key);
      if (part == 0) s.bind(n + 2, from->interest_id);
    }
    while (s.executeStep())
      if (!visit(s)) return;
  }
}

// Whether a page of this filter is read through checkpoints: in the order by name, walked through
// the sort's index (no committee, no search text), and past the first checkpoint.
bool checkpointed(const Reuse& reuse, const RegisterFilter& f, bool walk_sort_index, std::size_t first) {
  return reuse.cache && walk_sort_index && f.sort == RegisterSort::name && f.text.empty() && !f.committee_id &&
         first >= reuse.cache->spacing;
}

// The ids of the matching entries [first, first + limit) in the order by name, read from the
// nearest checkpoint at or before `first`; the checkpoints passed on the way there are kept.
std::vector<Id> entries_ids_by_checkpoint(SQLite::Database& db, const EntriesQuery& q, const RegisterFilter& f,
                                          std::size_t first, std::size_t limit, const Reuse& reuse) {
  auto& cache = *reuse.cache;
  const std::size_t spacing = cache.spacing;
  const std::string key = query_key(name_walk_sql(q, f.descending, false).front(), q.args);
  const std::size_t wanted = first / spacing;  // the checkpoint at place wanted * spacing (>= 1)
  std::vector<NamePlace> known;                // [j]: the place (j + 1) * spacing
  bool may_keep = false;
  {
    std::lock_guard lock(cache.mutex);
    if ((may_keep = cache.at(reuse.generation))) {
      if (auto* kept = cache.places.find(key)) {
        const std::size_t n = std::min(kept->size(), wanted);
        known.assign(kept->begin(), kept->begin() + static_cast<std::ptrdiff_t>(n));
      }
    }
  }
  const std::size_t start = known.size() * spacing;  // the place the walk begins at
  std::optional<NamePlace> from;
  if (!known.empty()) from = known.back();
  std::vector<NamePlace> added;
  std::vector<Id> out;
  std::size_t at = start;
  walk_by_name(db, q, f.descending, from, [&](SQLite::Statement& s) {
    if (at > start && at % spacing == 0 && at <= wanted * spacing)
      added.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64()});
    if (at >= first) out.push_back(s.getColumn(1).getInt64());
    ++at;
    return out.size() < limit;
  });
  if (may_keep && !added.empty()) {
    std::lock_guard lock(cache.mutex);
    if (cache.at(reuse.generation)) {
      auto* kept = cache.places.find(key);
      if (!kept) kept = &cache.places.put(key, {}, cache.max_sets);
      if (kept->size() == known.size()) kept->insert(kept->end(), added.begin(), added.end());
    }
  }
  return out;
}

// The rows of these entries, in this order, built by the publication rules from their versions;
// only the people and organisations they name are read.
std::vector<PublicRegisterRow> entries_rows(SQLite::Database& db, const Date& today, const PublicationRules& rules,
                                            const std::vector<Id>& ids) {
  std::vector<PublicRegisterRow> out;
  out.reserve(ids.size());
  constexpr std::size_t kChunk = 500;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    const std::vector<Id> chunk(ids.begin() + static_cast<std::ptrdiff_t>(start),
                                ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kChunk)));
    std::unordered_map<Id, std::vector<Version<Interest>>> groups;
    std::set<Id> people, organisations;
    for_each_version_group<Interest>(
        db, "WHERE e.id IN (" + placeholders_for(chunk.size()) + ")", [&](SQLite::Statement& q) { bind_ids(q, chunk); },
        [&](std::vector<Version<Interest>>& group) {
          for (const auto& v : group) {
            people.insert(v.entity.person_id);
            if (v.entity.organisation_id) organisations.insert(*v.entity.organisation_id);
          }
          const Id id = group.front().entity.id;
          groups.emplace(id, std::move(group));
        });
    Context ctx(db, today, std::vector<Id>(people.begin(), people.end()),
                std::vector<Id>(organisations.begin(), organisations.end()), rules.default_body_name);
    for (Id id : chunk) {
      auto it = groups.find(id);
      if (it == groups.end()) continue;
      if (auto row = visible_row(ctx, it->second, rules)) out.push_back(std::move(*row));
    }
  }
  return out;
}

}  // namespace

// ---- Read model -----------------------------------------------------------------------------------

std::vector<PublicRegisterRow> public_register_rows(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                                    const PublicationRules& rules) {
  ReadSnapshot snapshot(db);
  std::optional<std::int64_t> matches;
  if (auto broad = broad_search(db, filter, today, rules, matches))
    return entries_rows(db, today, rules, walk_search_index(db, *broad, filter, 0, -1));
  bool walk = true;
  const auto q = entries_query(db, filter, today, rules, walk, matches);
  return entries_rows(db, today, rules, entries_ids(db, q, filter, -1, 0));
}

RegisterPage public_register(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                             const PublicationRules& rules, const RegisterPaging& paging, RegisterReadCache* cache) {
  auto errors = validate(filter, paging);
  if (!errors.empty()) throw std::invalid_argument(errors.front().message);
  // The count and the page from one snapshot (a savepoint starts a read transaction when none
  // is open), so that the total always agrees with the pages.
  ReadSnapshot snapshot(db);
  RegisterPage page;
  page.page = filter.page;
  page.page_size = filter.page_size;
  const auto size = static_cast<std::size_t>(filter.page_size);
  const std::size_t first = static_cast<std::size_t>(filter.page - 1) * size;
  auto paged = [&](std::size_t total) {
    page.total = total;
    page.page_count = std::max(1, static_cast<int>((total + size - 1) / size));
  };
  const Reuse reuse = Reuse::of(db, cache);
  std::optional<std::int64_t> matches;
  if (auto broad = broad_search(db, filter, today, rules, matches, reuse)) {
    paged(broad->total);
    if (first < page.total)
      page.entries = entries_rows(db, today, rules, walk_search_index(db, *broad, filter, first, static_cast<std::int64_t>(size)));
    return page;
  }
  bool walk = true;
  const auto q = entries_query(db, filter, today, rules, walk, matches);
  paged(entries_count(db, q, filter, today, rules));
  if (first >= page.total) return page;
  page.entries = entries_rows(db, today, rules,
                              checkpointed(reuse, filter, walk, first)
                                  ? entries_ids_by_checkpoint(db, q, filter, first, size, reuse)
                                  : entries_ids(db, q, filter, static_cast<std::int64_t>(size), static_cast<std::int64_t>(first)));
  return page;
}

// ---- The broad search's CSV, a chunk at a time ---------------------------------------------------

namespace {
// What the CSV shows of an entry, all from the read model (0024 added the last four columns), for
// the chunk's entry keys; unused places are bound to -1, which is no entry's key.
const std::string kCsvEntriesSql =
    "SELECT entry_key, interest_id, person_id, body_id, withheld, name, organisation, identifier, category, nature,"
    " date_from, date_to, declared_on, kind, indirect, relationship, action_taken, details"
    " FROM public_entries WHERE entry_key IN (" + placeholders_for(RegisterCsvEntries::kChunk) + ")";
// The people's own positions (each person's latest version's, read last) and their committee
// memberships in the order Context reads them, through the person indexes, for a chunk's people.
const std::string kCsvOwnPositionsSql = "SELECT person_id, position FROM person_versions WHERE person_id IN (" +
                                        placeholders_for(RegisterCsvEntries::kChunk) + ") ORDER BY person_id, version";
const std::string kCsvMembershipsSql =
    "SELECT m.person_id, c.name, m.role, m.date_from, m.date_to "
    "FROM membership_current m JOIN committee_current c ON c.id = m.committee_id WHERE m.person_id IN (" +
    placeholders_for(RegisterCsvEntries::kChunk) + ") ORDER BY c.name, m.date_from, m.id";

// Binds `ids` to the statement's kChunk places, the rest to -1.
template <typename Ids>
void bind_chunk(SQLite::Statement& s, const Ids& ids) {
  s.reset();
  std::size_t i = 0;
  for (auto id : ids) s.bind(static_cast<int>(++i), static_cast<std::int64_t>(id));
  while (i < RegisterCsvEntries::kChunk) s.bind(static_cast<int>(++i), std::int64_t{-1});
}

// People whose positions are kept between chunks (under the default sort a person's entries are
// together, so most chunks find theirs there); past it the kept ones are forgotten.
constexpr std::size_t kPositionsKept = 8192;
}  // namespace

struct RegisterCsvEntries::Impl {
  // One snapshot for every chunk, as ReadSnapshot keeps for one statement's worth of reading:
  // released when the reader goes, after its statements are finalised.
  explicit Impl(SQLite::Database& d) : db(d) { db.exec("SAVEPOINT register_csv_read"); }
  ~Impl() {
    entries.reset();
    own.reset();
    memberships.reset();
    try {
      db.exec("RELEASE register_csv_read");
    } catch (const std::exception&) {
      // Only possible if SQLite already ended the transaction; there is nothing to release.
    }
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  SQLite::Database& db;
  Date today;
  std::vector<std::int64_t> keys;  // the matches' entry keys, in the register's order
  std::size_t next = 0;            // the first key not yet read
  std::set<Id> withheld_names;
  std::map<Id, std::string> bodies;
  std::unordered_map<Id, std::string> positions;  // joined by "; ", as the CSV shows them
  std::optional<SQLite::Statement> entries, own, memberships;

  void load_positions(const std::vector<Id>& people) {
    std::unordered_map<Id, std::string> own_position;
    std::unordered_map<Id, std::vector<PublicMembership>> held;
    bind_chunk(*own, people);
    while (own->executeStep()) own_position[own->getColumn(0).getInt64()] = own->getColumn(1).getString();  // the latest last
    bind_chunk(*memberships, people);
    while (memberships->executeStep())
      held[memberships->getColumn(0).getInt64()].push_back(
          {0, memberships->getColumn(1).getString(), sqlcol::enumv<CommitteeRole>(memberships->getColumn(2)),
           sqlcol::date(memberships->getColumn(3)), sqlcol::opt_date(memberships->getColumn(4))});
    for (Id id : people)
      positions[id] = withheld_names.contains(id) ? std::string() : join(public_positions(own_position[id], held[id], today), "; ");
  }
};

RegisterCsvEntries::RegisterCsvEntries(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RegisterCsvEntries::~RegisterCsvEntries() = default;

std::unique_ptr<RegisterCsvEntries> RegisterCsvEntries::open(SQLite::Database& db, const Date& today,
                                                             const RegisterFilter& filter, const PublicationRules& rules) {
  auto m = std::make_unique<Impl>(db);
  std::optional<std::int64_t> matches;
  auto broad = broad_search(db, filter, today, rules, matches);
  if (!broad) return nullptr;
  m->today = today;
  // The matches' order: the walk of the sort's covering index, keeping the matches.
  m->keys.reserve(broad->total);
  {
    SQLite::Statement s(db, walk_sql(filter));
    while (m->keys.size() < broad->total && s.executeStep()) {
      const auto key = s.getColumn(0).getInt64();
      if (static_cast<std::size_t>(key) < broad->visible.size() && broad->visible[static_cast<std::size_t>(key)])
        m->keys.push_back(key);
    }
  }
  m->withheld_names = names_withheld(db);
  m->bodies = body_names(db, rules.default_body_name);
  m->entries.emplace(db, kCsvEntriesSql);
  m->own.emplace(db, kCsvOwnPositionsSql);
  m->memberships.emplace(db, kCsvMembershipsSql);
  return std::unique_ptr<RegisterCsvEntries>(new RegisterCsvEntries(std::move(m)));
}

std::size_t RegisterCsvEntries::total() const { return impl_->keys.size(); }

bool RegisterCsvEntries::next(std::vector<RegisterCsvEntry>& out) {
  Impl& m = *impl_;
  out.clear();
  if (m.next >= m.keys.size()) return false;
  const std::size_t n = std::min(kChunk, m.keys.size() - m.next);
  const auto first = m.keys.begin() + static_cast<std::ptrdiff_t>(m.next);
  const std::vector<std::int64_t> chunk(first, first + static_cast<std::ptrdiff_t>(n));
  m.next += n;
  std::unordered_map<std::int64_t, std::size_t> place;  // entry key -> its place in the chunk
  place.reserve(n);
  for (std::size_t i = 0; i < n; ++i) place.emplace(chunk[i], i);
  out.resize(n);
  std::vector<Id> person_of(n, 0), body_of(n, 0);
  // Everything but the person's positions and body: the read model's entry (names, the current
  // organisation, withheld entries already emptied, the shown version's columns).
  auto& s = *m.entries;
  bind_chunk(s, chunk);
  while (s.executeStep()) {
    const auto it = place.find(s.getColumn(0).getInt64());
    if (it == place.end()) continue;
    const std::size_t i = it->second;
    RegisterCsvEntry& e = out[i];
    e.id = s.getColumn(1).getInt64();
    person_of[i] = s.getColumn(2).getInt64();
    body_of[i] = s.getColumn(3).getInt64();
    e.withheld = s.getColumn(4).getInt() != 0;
    e.name = s.getColumn(5).getString();
    if (e.withheld) continue;
    if (!s.getColumn(6).isNull()) e.organisation = s.getColumn(6).getString();  // NULL: no organisation
    e.identifier = s.getColumn(7).getString();
    e.category = enum_from_db<InterestCategory>(s.getColumn(8).getString());
    e.nature = s.getColumn(9).getString();
    e.from = s.getColumn(10).getString();
    if (!s.getColumn(11).isNull()) e.to = s.getColumn(11).getString();  // NULL: ongoing
    e.declared_on = s.getColumn(12).getString();
    e.kind = enum_from_db<InterestKind>(s.getColumn(13).getString());
    e.indirect = s.getColumn(14).getInt() != 0;
    e.relationship = s.getColumn(15).getString();
    e.action_taken = s.getColumn(16).getString();
    e.details = s.getColumn(17).getString();
  }
  // The people's positions, by the rule a row's person summary follows (public_positions), for
  // the chunk's people not already known.
  if (m.positions.size() > kPositionsKept) m.positions.clear();
  std::vector<Id> wanted;
  for (Id id : person_of)
    if (!m.positions.contains(id) && std::find(wanted.begin(), wanted.end(), id) == wanted.end()) wanted.push_back(id);
  if (!wanted.empty()) m.load_positions(wanted);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].positions = m.positions[person_of[i]];
    auto b = m.bodies.find(body_of[i]);
    if (b != m.bodies.end()) out[i].body = b->second;
  }
  return true;
}

std::optional<std::vector<RegisterCsvEntry>> public_register_csv_entries(SQLite::Database& db, const Date& today,
                                                                         const RegisterFilter& filter,
                                                                         const PublicationRules& rules) {
  auto reader = RegisterCsvEntries::open(db, today, filter, rules);
  if (!reader) return std::nullopt;
  std::vector<RegisterCsvEntry> out, chunk;
  out.reserve(reader->total());
  while (reader->next(chunk)) std::move(chunk.begin(), chunk.end(), std::back_inserter(out));
  return out;
}

std::vector<std::string> public_register_csv_plan(SQLite::Database& db) {
  std::vector<std::string> out;
  for (const std::string* sql : {&kCsvEntriesSql, &kCsvOwnPositionsSql, &kCsvMembershipsSql}) {
    SQLite::Statement s(db, "EXPLAIN QUERY PLAN " + *sql);
    bind_chunk(s, std::vector<std::int64_t>{1, 2, 3});
    while (s.executeStep()) out.push_back(s.getColumn(3).getString());
  }
  return out;
}

RegisterQueryPlan public_register_plan(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                       const PublicationRules& rules) {
  ReadSnapshot snapshot(db);
  std::optional<std::int64_t> matches;
  const bool broad = broad_search(db, filter, today, rules, matches) != nullptr;
  bool walk = true;
  const auto q = entries_query(db, filter, today, rules, walk, matches);
  auto details = [&](const std::string& sql, const EntriesQuery& args, std::int64_t extra) {
    SQLite::Statement s(db, "EXPLAIN QUERY PLAN " + sql);
    args.bind(s);
    const int n = static_cast<int>(args.args.size());
    for (int i = 1; i <= static_cast<int>(extra); ++i) s.bind(n + i, std::int64_t{50});
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(3).getString());
    return out;
  };
  RegisterQueryPlan plan;
  if (broad) {
    // The matches from public_search, what is hidden from the three indexes of 0023, and the walk.
    EntriesQuery search{"", {entries_fts_query(filter.text)}};
    plan.count = details(kSearchMatchesSql, search, 0);
    for (const auto& h : kHiddenQueries) {
      SQLite::Statement s(db, std::string("EXPLAIN QUERY PLAN ") + h.sql);
      bind_hidden(s, h, today, rules);
      while (s.executeStep()) plan.count.push_back(s.getColumn(3).getString());
    }
    plan.page = details(walk_sql(filter), EntriesQuery{}, 0);
    return plan;
  }
  if (filter.sort == RegisterSort::name && walk && filter.text.empty() && !filter.committee_id) {
    const auto sql = name_walk_sql(q, filter.descending, true);
    for (std::size_t part = 0; part < sql.size(); ++part) {
      SQLite::Statement s(db, "EXPLAIN QUERY PLAN " + sql[part]);
      q.bind(s);
      const int n = static_cast<int>(q.args.size());
      s.bind(n + 1, "m");
      if (part == 0) s.bind(n + 2, std::int64_t{1});
      while (s.executeStep()) plan.seek.push_back(s.getColumn(3).getString());
    }
  }
  const auto count = entries_count_query(q, filter, today, rules);
  plan.count = details(count.where, count, 0);
  plan.page = details("SELECT interest_id FROM public_entries" + q.where + " ORDER BY " +
                          entries_order(filter.sort, filter.descending) + " LIMIT ? OFFSET ?",
                      q, 2);
  return plan;
}

std::optional<PublicPerson> public_person(SQLite::Database& db, Id person_id, const Date& today, const PublicationRules& rules) {
  if (!VersionedStore<Person>(db).find(person_id)) return std::nullopt;
  auto by_person = [&](const char* versions_table, const char* id_column) {
    return std::string("WHERE e.id IN (SELECT ") + id_column + " FROM " + versions_table + " WHERE person_id = ?)";
  };
  auto bind_person = [&](SQLite::Statement& s) { s.bind(1, person_id); };
  auto interest_versions = load_versions<Interest>(db, by_person("interest_versions", "interest_id"), bind_person);
  auto gift_versions = load_versions<Gift>(db, by_person("gift_versions", "gift_id"), bind_person);
  auto nil_versions = load_versions<NilReturn>(db, by_person("nil_return_versions", "nil_return_id"), bind_person);
  // Only the organisations the person's entries name: the page costs what it shows.
  std::set<Id> organisations;
  for (const auto& group : interest_versions)
    for (const auto& v : group)
      if (v.entity.organisation_id) organisations.insert(*v.entity.organisation_id);
  for (const auto& group : gift_versions)
    for (const auto& v : group)
      if (v.entity.organisation_id) organisations.insert(*v.entity.organisation_id);
  Context ctx(db, today, std::vector<Id>{person_id}, std::vector<Id>(organisations.begin(), organisations.end()),
              rules.default_body_name);
  const Person* person = ctx.person(person_id);
  if (!person) return std::nullopt;
  if (ctx.name_withheld(person_id)) return std::nullopt;  // the Guardian withheld their name: no public page

  PublicPerson out;
  out.person = ctx.summary(*person);
  out.left_on = person->left_on;
  out.memberships = ctx.memberships(person_id);

  auto rows = visible_rows(ctx, interest_versions, rules);
  std::erase_if(rows, [&](const PublicRegisterRow& r) { return r.person.id != person_id; });
  sort_rows(rows, RegisterSort::from, true);  // latest first, withheld last
  for (auto& r : rows) out.interests.push_back(std::move(r.entry));

  for (const auto& group : gift_versions) {
    auto g = latest_published(entities_of(group), rules.review_required);
    if (!g || g->person_id != person_id) continue;
    out.gifts.push_back({g->id, out.person, g->kind, g->description, g->source, ctx.organisation(g->organisation_id),
                         g->value_pence, g->offered_on, g->outcome, g->declared_on});
    add_gift_approval(out.gifts.back(), *g, rules);
  }
  std::sort(out.gifts.begin(), out.gifts.end(), [](const PublicGift& a, const PublicGift& b) {
    return a.offered_on != b.offered_on ? a.offered_on > b.offered_on : a.id > b.id;
  });
  for (const auto& group : nil_versions) {
    auto n = latest_published(entities_of(group), rules.review_required);
    if (n && n->person_id == person_id) out.nil_returns.push_back({n->id, n->made_on, n->statement});
  }
  std::sort(out.nil_returns.begin(), out.nil_returns.end(),
            [](const PublicNilReturn& a, const PublicNilReturn& b) { return a.made_on > b.made_on; });
  out.compliance = compliance_by_person({person_id}, interest_versions, nil_versions, today, rules).at(person_id);
  return out;
}

std::vector<PublicCommitteeSummary> public_committees(SQLite::Database& db, const Date& today, const PublicationRules& rules) {
  std::unordered_map<Id, std::set<Id>> members;  // committee -> people, counted once each
  SQLite::Statement q(db, "SELECT committee_id, person_id, date_from, date_to FROM membership_current");
  while (q.executeStep()) {
    PublicMembership m{q.getColumn(0).getInt64(), "", CommitteeRole::voting, sqlcol::date(q.getColumn(2)),
                       sqlcol::opt_date(q.getColumn(3))};
    if (current_on(m, today)) members[m.committee_id].insert(q.getColumn(1).getInt64());
  }
  const auto names = body_names(db, rules.default_body_name);
  auto bodies_of = [&](const Committee& c) {
    std::vector<PublicBody> out;
    for (Id b : c.body_ids) {
      auto it = names.find(b);
      out.push_back({b, it == names.end() ? std::string() : it->second});
    }
    return out;
  };
  std::vector<PublicCommitteeSummary> out;
  for (const auto& c : VersionedStore<Committee>(db).all())
    out.push_back({c.id, c.ref, c.name, c.description, static_cast<int>(members[c.id].size()), bodies_of(c)});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return fold_case(a.name) < fold_case(b.name); });
  return out;
}

std::optional<PublicCommittee> public_committee(SQLite::Database& db, Id committee_id, const Date& today,
                                                const PublicationRules& rules, const CommitteePage& page) {
  // The register's filter for this committee's page: checked before anything is read.
  RegisterFilter filter;
  filter.committee_id = committee_id;
  filter.page = page.page;
  filter.page_size = page.page_size;
  auto errors = validate(filter);
  if (!errors.empty()) throw std::invalid_argument(errors.front().message);
  ReadSnapshot snapshot(db);  // the members and the register's page from one snapshot
  auto committee = VersionedStore<Committee>(db).find(committee_id);
  if (!committee) return std::nullopt;
  // The members and their declaration standing: only the committee's people and their own
  // entries and nil returns are read (no organisations: the standing needs none).
  std::vector<Id> people;
  {
    SQLite::Statement q(db, "SELECT DISTINCT person_id FROM membership_current WHERE committee_id = ? ORDER BY person_id");
    q.bind(1, committee_id);
    while (q.executeStep()) people.push_back(q.getColumn(0).getInt64());
  }
  const std::string members_sql = " WHERE person_id IN (SELECT person_id FROM membership_current WHERE committee_id = ?))";
  auto bind_committee = [&](SQLite::Statement& s) { s.bind(1, committee_id); };
  auto interest_versions = load_versions<Interest>(
      db, "WHERE e.id IN (SELECT interest_id FROM interest_versions" + members_sql, bind_committee);
  auto nil_versions = load_versions<NilReturn>(
      db, "WHERE e.id IN (SELECT nil_return_id FROM nil_return_versions" + members_sql, bind_committee);
  Context ctx(db, today, people, std::vector<Id>{}, rules.default_body_name);

  PublicCommittee out;
  out.committee = {committee->id, committee->ref, committee->name, committee->description, 0, {}};
  for (Id b : committee->body_ids) out.committee.bodies.push_back(ctx.body(b));
  std::vector<Id> member_ids;
  for (const auto& [person_id, memberships] : ctx.all_memberships()) {
    const Person* person = ctx.person(person_id);
    if (!person) continue;
    for (const auto& m : memberships) {
      if (m.committee_id != committee_id || !current_on(m, today)) continue;
      out.members.push_back({ctx.summary(*person), m.role, m.from, m.to, {}});
      member_ids.push_back(person_id);
      break;  // overlapping memberships (a role change recorded twice) still make one member
    }
  }
  out.committee.member_count = static_cast<int>(out.members.size());

  auto compliance = compliance_by_person(member_ids, interest_versions, nil_versions, today, rules);
  for (auto& m : out.members) m.compliance = compliance.at(m.person.id);
  std::sort(out.members.begin(), out.members.end(), [](const PublicCommitteeMember& a, const PublicCommitteeMember& b) {
    if (a.role != b.role) return a.role < b.role;  // chair, vice-chair, voting, non-voting
    return name_sort_key(a.person.name) < name_sort_key(b.person.name);
  });

  // The combined register: one page of the register filtered by the committee, in its order.
  auto rows = public_register(db, today, filter, rules);
  out.register_rows = std::move(rows.entries);
  out.total = rows.total;
  out.page = rows.page;
  out.page_size = rows.page_size;
  out.page_count = rows.page_count;
  return out;
}

std::vector<PublicGift> public_gifts(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                                     const PublicationRules& rules) {
  Context ctx(db, today, std::nullopt, std::nullopt, rules.default_body_name);
  const std::string needle = fold_case(filter.text);
  std::vector<PublicGift> out;
  for_each_version_group<Gift>(db, "", [](SQLite::Statement&) {}, [&](const std::vector<Version<Gift>>& group) {
    auto g = latest_published(entities_of(group), rules.review_required);
    if (!g) return;
    const Person* person = ctx.person(g->person_id);
    if (!person) return;
    if (filter.person_kind && person->kind != *filter.person_kind) return;
    if (filter.body_id && person->body_id != *filter.body_id) return;
    if (filter.kind && g->kind != *filter.kind) return;
    if (filter.committee_id && !ctx.member_today(person->id, *filter.committee_id)) return;
    auto organisation = ctx.organisation(g->organisation_id);
    if (!needle.empty() && !name_matches(person->name, needle) && !contains_folded(g->source, needle) &&
        !contains_folded(g->description, needle) && !(organisation && contains_folded(organisation->name, needle)))
      return;
    out.push_back({g->id, ctx.summary(*person), g->kind, g->description, g->source, std::move(organisation), g->value_pence,
                   g->offered_on, g->outcome, g->declared_on});
    add_gift_approval(out.back(), *g, rules);
  });
  std::sort(out.begin(), out.end(), [](const PublicGift& a, const PublicGift& b) {
    return a.offered_on != b.offered_on ? a.offered_on > b.offered_on : a.id > b.id;
  });
  return out;
}

GiftsPage public_gifts_page(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                            const PublicationRules& rules, RegisterReadCache* cache) {
  ReadSnapshot snapshot(db);
  GiftsPage page;
  page.page = std::max(1, filter.page);
  page.page_size = std::max(1, filter.page_size);
  const auto size = static_cast<std::size_t>(page.page_size);
  const std::size_t first = static_cast<std::size_t>(page.page - 1) * size;
  auto paged = [&](std::size_t total) {
    page.total = total;
    page.page_count = std::max(1, static_cast<int>((total + size - 1) / size));
  };
  if (!filter.text.empty()) {
    // The search folds case as the register's names do, over the source and description too.
    auto all = public_gifts(db, today, filter, rules);
    paged(all.size());
    for (std::size_t i = first; i < all.size() && i < first + size; ++i) page.gifts.push_back(std::move(all[i]));
    return page;
  }
  const EntriesQuery q = gifts_query(today, filter, rules);
  {
    // With a cache, each filter's total is counted once for each state of the database (the count
    // reads every gift's versions; the page reads only its own).
    const Reuse reuse = Reuse::of(db, cache);
    const std::string key = query_key("SELECT count(*)" + q.where, q.args);
    std::optional<std::size_t> total;
    if (reuse.cache) {
      std::lock_guard lock(reuse.cache->mutex);
      if (reuse.cache->at(reuse.generation))
        if (auto* kept = reuse.cache->counts.find(key)) total = *kept;
    }
    if (!total) {
      SQLite::Statement n(db, "SELECT count(*)" + q.where);
      q.bind(n);
      total = n.executeStep() ? static_cast<std::size_t>(n.getColumn(0).getInt64()) : 0;
      if (reuse.cache) {
        std::lock_guard lock(reuse.cache->mutex);
        if (reuse.cache->at(reuse.generation)) reuse.cache->counts.put(key, *total, 256);
      }
    }
    paged(*total);
  }
  if (first >= page.total) return page;
  std::vector<Id> ids;
  {
    SQLite::Statement s(db, "SELECT v.gift_id" + q.where + kGiftsPageOrder);
    q.bind(s);
    const int n = static_cast<int>(q.args.size());
    s.bind(n + 1, static_cast<std::int64_t>(size));
    s.bind(n + 2, static_cast<std::int64_t>(first));
    while (s.executeStep()) ids.push_back(s.getColumn(0).getInt64());
  }
  if (ids.empty()) return page;
  std::unordered_map<Id, Gift> shown;
  std::set<Id> people, organisations;
  for_each_version_group<Gift>(
      db, "WHERE e.id IN (" + placeholders_for(ids.size()) + ")", [&](SQLite::Statement& s) { bind_ids(s, ids); },
      [&](const std::vector<Version<Gift>>& group) {
        if (auto g = latest_published(entities_of(group), rules.review_required)) {
          people.insert(g->person_id);
          if (g->organisation_id) organisations.insert(*g->organisation_id);
          shown.emplace(g->id, std::move(*g));
        }
      });
  Context ctx(db, today, std::vector<Id>(people.begin(), people.end()),
              std::vector<Id>(organisations.begin(), organisations.end()), rules.default_body_name);
  for (Id id : ids) {
    auto it = shown.find(id);
    if (it == shown.end()) continue;
    const Gift& g = it->second;
    const Person* person = ctx.person(g.person_id);
    if (!person) continue;
    page.gifts.push_back({g.id, ctx.summary(*person), g.kind, g.description, g.source, ctx.organisation(g.organisation_id),
                          g.value_pence, g.offered_on, g.outcome, g.declared_on});
    add_gift_approval(page.gifts.back(), g, rules);
  }
  return page;
}

RegisterQueryPlan public_gifts_plan(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                                    const PublicationRules& rules) {
  const auto q = gifts_query(today, filter, rules);
  auto details = [&](const std::string& sql, bool paged) {
    SQLite::Statement s(db, "EXPLAIN QUERY PLAN " + sql);
    q.bind(s);
    const int n = static_cast<int>(q.args.size());
    if (paged) {
      s.bind(n + 1, std::int64_t{50});
      s.bind(n + 2, std::int64_t{0});
    }
    std::vector<std::string> out;
    while (s.executeStep()) out.push_back(s.getColumn(3).getString());
    return out;
  };
  RegisterQueryPlan plan;
  plan.count = details("SELECT count(*)" + q.where, false);
  plan.page = details("SELECT v.gift_id" + q.where + kGiftsPageOrder, true);
  return plan;
}

std::optional<PublicEntryHistory> public_entry_history(SQLite::Database& db, Id interest_id, const Date& today,
                                                       const PublicationRules& rules) {
  auto groups = load_versions<Interest>(db, "WHERE e.id = ?", [&](SQLite::Statement& s) { s.bind(1, interest_id); });
  if (groups.empty()) return std::nullopt;
  const auto& versions = groups.front();
  auto shown = public_version(entities_of(versions), rules.review_required);
  if (!shown || !publicly_visible(*shown, today, rules)) return std::nullopt;
  std::vector<Id> organisations;
  for (const auto& v : versions)
    if (v.entity.organisation_id) organisations.push_back(*v.entity.organisation_id);
  std::sort(organisations.begin(), organisations.end());
  organisations.erase(std::unique(organisations.begin(), organisations.end()), organisations.end());
  Context ctx(db, today, std::vector<Id>{shown->person_id}, organisations, rules.default_body_name);
  const Person* person = ctx.person(shown->person_id);
  if (!person) return std::nullopt;

  return PublicEntryHistory{interest_id, ctx.summary(*person), public_versions(versions, ctx, rules)};
}

std::vector<PublicRegisterChange> public_register_changes(SQLite::Database& db, const Date& today, std::size_t limit,
                                                          const PublicationRules& rules) {
  Context ctx(db, today, std::nullopt, std::nullopt, rules.default_body_name);
  std::vector<PublicRegisterChange> out;
  for_each_version_group<Interest>(db, "", [](SQLite::Statement&) {}, [&](const std::vector<Version<Interest>>& group) {
    auto shown = public_version(entities_of(group), rules.review_required);
    // Entries that have left the public view leave the feed too: the feed must not keep
    // publishing what the 6-month rule has taken down. A withheld entry has no public changes:
    // each would say when it was recorded.
    if (!shown || shown->withheld || !publicly_visible(*shown, today, rules)) return;
    const Person* person = ctx.person(shown->person_id);
    if (!person) return;
    bool first = true;
    for (auto& v : public_versions(group, ctx, rules)) {
      out.push_back({v.recorded_at, v.version, first, ctx.summary(*person), std::move(v.entry)});
      first = false;
    }
  });
  std::sort(out.begin(), out.end(), [](const PublicRegisterChange& a, const PublicRegisterChange& b) {
    if (a.recorded_at != b.recorded_at) return a.recorded_at > b.recorded_at;
    if (a.entry.id != b.entry.id) return a.entry.id > b.entry.id;
    return a.version > b.version;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<PublicBodySummary> public_bodies(SQLite::Database& db, const Date& today, const PublicationRules& rules) {
  ReadSnapshot snapshot(db);
  std::unordered_map<Id, std::size_t> entries;
  {
    // Each body's total as the register counts it (entries_count_query): a sum over its counts.
    SQLite::Statement q(db,
                        "SELECT body_id, COALESCE(SUM(n), 0) FROM public_entry_counts WHERE (date_to = '' OR date_to >= ?)"
                        " AND (modes & ?) <> 0 GROUP BY body_id");
    q.bind(1, entries_cutoff(today, rules).iso());
    q.bind(2, std::int64_t{rules.review_required ? 2 : 1});
    while (q.executeStep()) entries[q.getColumn(0).getInt64()] = static_cast<std::size_t>(q.getColumn(1).getInt64());
  }
  std::vector<PublicBodySummary> out;
  for (const auto& b : BodyStore(db).all()) {
    const bool here = b.publication == BodyPublication::here;
    out.push_back({PublicBody{b.id, body_name(b, rules.default_body_name)}, b.ods_code, b.kind, b.publication,
                   here ? std::string() : b.register_url, here ? entries[b.id] : 0});
  }
  std::sort(out.begin(), out.end(), [](const PublicBodySummary& a, const PublicBodySummary& b) {
    if ((a.body.id == kDefaultBody) != (b.body.id == kDefaultBody)) return a.body.id == kDefaultBody;
    return fold_case(a.body.name) < fold_case(b.body.name);
  });
  return out;
}

std::optional<std::string> register_last_recorded(SQLite::Database& db) {
  SQLite::Statement q(db,
                      "SELECT MAX(t) FROM ("
                      "SELECT MAX(recorded_at) AS t FROM interest_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM gift_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM nil_return_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM person_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM committee_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM membership_versions UNION ALL "
                      "SELECT MAX(recorded_at) FROM organisation_versions)");
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return q.getColumn(0).getString();
}

std::optional<std::string> meeting_last_recorded(SQLite::Database& db, Id meeting_id) {
  SQLite::Statement q(db,
                      "SELECT MAX(t) FROM ("
                      "SELECT MAX(recorded_at) AS t FROM meeting_versions WHERE meeting_id = ?1 UNION ALL "
                      "SELECT MAX(recorded_at) FROM agenda_item_versions WHERE meeting_id = ?1 UNION ALL "
                      "SELECT MAX(recorded_at) FROM meeting_declaration_versions WHERE meeting_id = ?1 UNION ALL "
                      "SELECT MAX(recorded_at) FROM conflict_decision_versions WHERE meeting_id = ?1 UNION ALL "
                      "SELECT MAX(recorded_at) FROM room_movement_versions WHERE meeting_id = ?1)");
  q.bind(1, meeting_id);
  std::optional<std::string> latest;
  if (q.executeStep() && !q.getColumn(0).isNull()) latest = q.getColumn(0).getString();
  // People and the committee are register records: their latest change is the register's.
  // Instants are all written by utc_timestamp_now(), so text order is time order.
  if (auto on_register = register_last_recorded(db); on_register && (!latest || *on_register > *latest)) latest = on_register;
  return latest;
}

}  // namespace probity
