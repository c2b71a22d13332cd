#include "model/public/public_register.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "model/register/withholding_requests.hpp"
#include "model/store/entity_traits.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {
namespace {

// ---- Loading: each function is one query, whatever the number of rows ----------------------

std::string prefixed_columns(std::string_view columns, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= columns.size()) {
    auto end = columns.find(',', start);
    if (end == std::string_view::npos) end = columns.size();
    auto name = columns.substr(start, end - start);
    name.remove_prefix(std::min(name.find_first_not_of(' '), name.size()));
    if (!out.empty()) out += ", ";
    out.append(prefix).append(name);
    start = end + 1;
  }
  return out;
}

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

// Every version of the entities selected by `where` (a condition on e.id), one entity at a time
// and oldest first, handed to `each` as the rows arrive: only one entity's versions are held at
// once, however large the register.
template <typename T, typename Bind, typename Each>
void for_each_version_group(SQLite::Database& db, const std::string& where, Bind&& bind, Each&& each) {
  using Traits = EntityTraits<T>;
  SQLite::Statement q(db, "SELECT e.id, e.ref, " + prefixed_columns(Traits::columns, "v.") +
                              ", v.version, v.recorded_at FROM " + Traits::table + " e JOIN " + Traits::versions +
                              " v ON v." + Traits::id_column + " = e.id " + where + " ORDER BY e.id, v.version");
  bind(q);
  std::vector<Version<T>> group;
  const int n = Traits::column_count + 2;
  while (q.executeStep()) {
    Version<T> v{Traits::read(q), q.getColumn(n).getInt(), q.getColumn(n + 1).getString(), ""};
    if (!group.empty() && group.front().entity.id != v.entity.id) {
      each(group);
      group.clear();
    }
    group.push_back(std::move(v));
  }
  if (!group.empty()) each(group);
}

// Every version of the entities selected by `where` (a condition on e.id), grouped per entity
// and oldest first. The register needs all versions, not the current one, because the public
// sees the latest *published* version (publication_rules.hpp: public_version).
template <typename T, typename Bind>
VersionGroups<T> load_versions(SQLite::Database& db, const std::string& where, Bind&& bind) {
  VersionGroups<T> out;
  for_each_version_group<T>(db, where, std::forward<Bind>(bind), [&](std::vector<Version<T>>& group) { out.push_back(std::move(group)); });
  return out;
}

template <typename T>
std::vector<T> entities_of(const std::vector<Version<T>>& versions) {
  std::vector<T> out;
  out.reserve(versions.size());
  for (const auto& v : versions) out.push_back(v.entity);
  return out;
}

bool current_on(const PublicMembership& m, const Date& today) { return m.from <= today && (!m.to || today <= *m.to); }

// The people, organisations and committee memberships every public row refers to, loaded once
// and looked up in memory while rows are built.
class Context {
 public:
  Context(SQLite::Database& db, const Date& today, std::optional<Id> only_person)
      : today_(today), names_withheld_(names_withheld(db)) {
    std::vector<Person> people;
    if (only_person) {
      people = VersionedStore<Person>(db).select("WHERE id = ?", [&](SQLite::Statement& s) { s.bind(1, *only_person); });
    } else {
      people = VersionedStore<Person>(db).all();
    }
    for (auto& p : people) people_.emplace(p.id, std::move(p));
    for (auto& o : VersionedStore<Organisation>(db).all()) organisations_.emplace(o.id, std::move(o));

    SQLite::Statement q(db, std::string("SELECT m.person_id, m.committee_id, c.name, m.role, m.date_from, m.date_to "
                                        "FROM membership_current m JOIN committee_current c ON c.id = m.committee_id ") +
                                (only_person ? "WHERE m.person_id = ? " : "") + "ORDER BY c.name, m.date_from, m.id");
    if (only_person) q.bind(1, *only_person);
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
    if (names_withheld_.contains(p.id)) {
      // The Guardian withheld this person's name: nothing that names them, nor their positions
      // (a committee's chair is one person), nor the ids that link their rows together.
      s.name = kNameWithheld;
      s.ref.clear();
      s.name_withheld = true;
      return summaries_.emplace(p.id, std::move(s)).first->second;
    }
    if (!p.position.empty()) s.positions.push_back(p.position);
    for (const auto& m : memberships(p.id))
      if (current_on(m, today_)) s.positions.push_back(std::string(public_label(m.role)) + ", " + m.committee_name);
    return summaries_.emplace(p.id, std::move(s)).first->second;
  }

 private:
  Date today_;
  std::unordered_map<Id, Person> people_;
  std::unordered_map<Id, Organisation> organisations_;
  std::unordered_map<Id, std::vector<PublicMembership>> memberships_;
  std::unordered_map<Id, PublicPersonSummary> summaries_;
  std::set<Id> names_withheld_;  // the people whose name the Guardian withheld
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

bool matches(const PublicRegisterRow& row, const RegisterFilter& f, const Context& ctx, const std::string& needle) {
  if (f.person_kind && row.person.kind != *f.person_kind) return false;
  if (f.committee_id && !ctx.member_today(row.person.id, *f.committee_id)) return false;
  const auto& detail = row.entry.detail;
  // A withheld entry is matched on the person's name only: matching it on a type, organisation
  // or nature would let anyone recover the withheld details by searching.
  if (f.category && (!detail || detail->category != *f.category)) return false;
  if (needle.empty()) return true;
  if (name_matches(row.person.name, needle)) return true;
  if (!detail) return false;
  if (detail->organisation &&
      (contains_folded(detail->organisation->name, needle) || contains_folded(detail->organisation->identifier, needle)))
    return true;
  return contains_folded(detail->nature, needle);
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

std::vector<PublicRegisterRow> filter_and_sort(std::vector<PublicRegisterRow> rows, const RegisterFilter& filter,
                                               const Context& ctx) {
  const std::string needle = fold_case(filter.text);
  std::erase_if(rows, [&](const PublicRegisterRow& r) { return !matches(r, filter, ctx, needle); });
  sort_rows(rows, filter.sort, filter.descending);
  return rows;
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

}  // namespace

// ---- Read model -----------------------------------------------------------------------------------

std::vector<PublicRegisterRow> public_register_rows(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                                    const PublicationRules& rules) {
  Context ctx(db, today, std::nullopt);
  // Filtered as the entries stream past, so only the matching rows are ever held.
  const std::string needle = fold_case(filter.text);
  std::vector<PublicRegisterRow> rows;
  for_each_version_group<Interest>(db, "", [](SQLite::Statement&) {}, [&](const std::vector<Version<Interest>>& group) {
    auto row = visible_row(ctx, group, rules);
    if (row && matches(*row, filter, ctx, needle)) rows.push_back(std::move(*row));
  });
  sort_rows(rows, filter.sort, filter.descending);
  return rows;
}

RegisterPage public_register(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                             const PublicationRules& rules, const RegisterPaging& paging) {
  auto errors = validate(filter, paging);
  if (!errors.empty()) throw std::invalid_argument(errors.front().message);
  // Two passes over one snapshot (a savepoint starts a read transaction when none is open):
  // the first keeps only where each matching row sorts (a few dozen bytes per entry, not every
  // version of every entry of a 100,000-entry register), the second builds the page's rows.
  ReadSnapshot snapshot(db);
  Context ctx(db, today, std::nullopt);
  const std::string needle = fold_case(filter.text);
  std::vector<RowOrder> order;
  for_each_version_group<Interest>(db, "", [](SQLite::Statement&) {}, [&](const std::vector<Version<Interest>>& group) {
    auto row = visible_row(ctx, group, rules);
    if (row && matches(*row, filter, ctx, needle)) order.push_back(row_order(*row, filter.sort));
  });
  std::sort(order.begin(), order.end(), [&](const RowOrder& a, const RowOrder& b) { return row_before(a, b, filter.descending); });

  RegisterPage page;
  page.total = order.size();
  page.page = filter.page;
  page.page_size = filter.page_size;
  const auto size = static_cast<std::size_t>(filter.page_size);
  page.page_count = std::max(1, static_cast<int>((order.size() + size - 1) / size));
  const std::size_t first = static_cast<std::size_t>(filter.page - 1) * size;
  if (first >= order.size()) return page;
  const std::size_t last = std::min(order.size(), first + size);
  std::string placeholders;
  for (std::size_t i = first; i < last; ++i) placeholders += i == first ? "?" : ", ?";
  std::unordered_map<Id, PublicRegisterRow> rows;
  for_each_version_group<Interest>(
      db, "WHERE e.id IN (" + placeholders + ")",
      [&](SQLite::Statement& q) {
        for (std::size_t i = first; i < last; ++i) q.bind(static_cast<int>(i - first + 1), order[i].id);
      },
      [&](const std::vector<Version<Interest>>& group) {
        if (auto row = visible_row(ctx, group, rules)) rows.emplace(row->entry.id, std::move(*row));
      });
  for (std::size_t i = first; i < last; ++i) page.entries.push_back(std::move(rows.at(order[i].id)));
  return page;
}

std::optional<PublicPerson> public_person(SQLite::Database& db, Id person_id, const Date& today, const PublicationRules& rules) {
  Context ctx(db, today, person_id);
  const Person* person = ctx.person(person_id);
  if (!person) return std::nullopt;
  if (ctx.name_withheld(person_id)) return std::nullopt;  // the Guardian withheld their name: no public page
  auto by_person = [&](const char* versions_table, const char* id_column) {
    return std::string("WHERE e.id IN (SELECT ") + id_column + " FROM " + versions_table + " WHERE person_id = ?)";
  };
  auto bind_person = [&](SQLite::Statement& s) { s.bind(1, person_id); };
  auto interest_versions = load_versions<Interest>(db, by_person("interest_versions", "interest_id"), bind_person);
  auto gift_versions = load_versions<Gift>(db, by_person("gift_versions", "gift_id"), bind_person);
  auto nil_versions = load_versions<NilReturn>(db, by_person("nil_return_versions", "nil_return_id"), bind_person);

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

std::vector<PublicCommitteeSummary> public_committees(SQLite::Database& db, const Date& today) {
  std::unordered_map<Id, std::set<Id>> members;  // committee -> people, counted once each
  SQLite::Statement q(db, "SELECT committee_id, person_id, date_from, date_to FROM membership_current");
  while (q.executeStep()) {
    PublicMembership m{q.getColumn(0).getInt64(), "", CommitteeRole::voting, sqlcol::date(q.getColumn(2)),
                       sqlcol::opt_date(q.getColumn(3))};
    if (current_on(m, today)) members[m.committee_id].insert(q.getColumn(1).getInt64());
  }
  std::vector<PublicCommitteeSummary> out;
  for (const auto& c : VersionedStore<Committee>(db).all())
    out.push_back({c.id, c.ref, c.name, c.description, static_cast<int>(members[c.id].size())});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return fold_case(a.name) < fold_case(b.name); });
  return out;
}

std::optional<PublicCommittee> public_committee(SQLite::Database& db, Id committee_id, const Date& today,
                                                const PublicationRules& rules) {
  auto committee = VersionedStore<Committee>(db).find(committee_id);
  if (!committee) return std::nullopt;
  Context ctx(db, today, std::nullopt);

  PublicCommittee out;
  out.committee = {committee->id, committee->ref, committee->name, committee->description, 0};
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

  // Only the members' declarations are read: the committee's register is theirs combined.
  const std::string members_sql = " WHERE person_id IN (SELECT person_id FROM membership_current WHERE committee_id = ?))";
  auto bind_committee = [&](SQLite::Statement& s) { s.bind(1, committee_id); };
  auto interest_versions = load_versions<Interest>(
      db, "WHERE e.id IN (SELECT interest_id FROM interest_versions" + members_sql, bind_committee);
  auto nil_versions = load_versions<NilReturn>(
      db, "WHERE e.id IN (SELECT nil_return_id FROM nil_return_versions" + members_sql, bind_committee);

  auto compliance = compliance_by_person(member_ids, interest_versions, nil_versions, today, rules);
  for (auto& m : out.members) m.compliance = compliance.at(m.person.id);
  std::sort(out.members.begin(), out.members.end(), [](const PublicCommitteeMember& a, const PublicCommitteeMember& b) {
    if (a.role != b.role) return a.role < b.role;  // chair, vice-chair, voting, non-voting
    return name_sort_key(a.person.name) < name_sort_key(b.person.name);
  });

  RegisterFilter filter;
  filter.committee_id = committee_id;
  out.register_rows = filter_and_sort(visible_rows(ctx, interest_versions, rules), filter, ctx);
  return out;
}

std::vector<PublicGift> public_gifts(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                                     const PublicationRules& rules) {
  Context ctx(db, today, std::nullopt);
  const std::string needle = fold_case(filter.text);
  std::vector<PublicGift> out;
  for_each_version_group<Gift>(db, "", [](SQLite::Statement&) {}, [&](const std::vector<Version<Gift>>& group) {
    auto g = latest_published(entities_of(group), rules.review_required);
    if (!g) return;
    const Person* person = ctx.person(g->person_id);
    if (!person) return;
    if (filter.person_kind && person->kind != *filter.person_kind) return;
    if (filter.kind && g->kind != *filter.kind) return;
    if (filter.committee_id && !ctx.member_today(person->id, *filter.committee_id)) return;
    auto organisation = ctx.organisation(g->organisation_id);
    if (!needle.empty() && !name_matches(person->name, needle) && !contains_folded(g->source, needle) &&
        !contains_folded(g->description, needle) && !(organisation && contains_folded(organisation->name, needle)))
      return;
    out.push_back({g->id, ctx.summary(*person), g->kind, g->description, g->source, std::move(organisation), g->value_pence,
                   g->offered_on, g->outcome, g->declared_on});
  });
  std::sort(out.begin(), out.end(), [](const PublicGift& a, const PublicGift& b) {
    return a.offered_on != b.offered_on ? a.offered_on > b.offered_on : a.id > b.id;
  });
  return out;
}

std::optional<PublicEntryHistory> public_entry_history(SQLite::Database& db, Id interest_id, const Date& today,
                                                       const PublicationRules& rules) {
  auto groups = load_versions<Interest>(db, "WHERE e.id = ?", [&](SQLite::Statement& s) { s.bind(1, interest_id); });
  if (groups.empty()) return std::nullopt;
  const auto& versions = groups.front();
  auto shown = public_version(entities_of(versions), rules.review_required);
  if (!shown || !publicly_visible(*shown, today, rules)) return std::nullopt;
  Context ctx(db, today, shown->person_id);
  const Person* person = ctx.person(shown->person_id);
  if (!person) return std::nullopt;

  return PublicEntryHistory{interest_id, ctx.summary(*person), public_versions(versions, ctx, rules)};
}

std::vector<PublicRegisterChange> public_register_changes(SQLite::Database& db, const Date& today, std::size_t limit,
                                                          const PublicationRules& rules) {
  Context ctx(db, today, std::nullopt);
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
