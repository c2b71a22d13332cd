#include "model/meetings/conflict_flags.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "model/base/date_text.hpp"
#include "model/register/organisation_name.hpp"

namespace probity {
namespace {

// Suggested management, from the guidance on managing conflicts at meetings.
constexpr const char* kLeaveRoom =
    "Leave the room for this item: no part in the discussion or the decision (certain financial conflict).";
constexpr const char* kChairDecidesNoVote =
    "Chair decides: usually may join the discussion but takes no part in the decision (certain non-financial conflict).";
constexpr const char* kChairToDecide = "Chair to decide: establish the facts and record how it is managed (possible conflict).";

// How an organisation is connected to one of the item's linked organisations.
enum class Link { same, same_identifier, same_name, child_of_linked, parent_of_linked };

struct Connection {
  Id linked_id = 0;
  Link link = Link::same;
};

// A flag being gathered: several interests (or gifts) of one person about one organisation make
// one flag, whose reason is written once everything is known.
using PendingKey = std::tuple<std::size_t, int, bool, bool, Id>;

struct Pending {
  PendingKey key;  // (person, rule, indirect, withheld, organisation): flags come out in its order
  std::size_t person_index = 0;
  ConflictRule rule = ConflictRule::organisation;
  bool indirect = false;
  bool withheld = false;   // made of withheld interests only
  Id organisation_id = 0;  // the organisation the interest, gift or practice is about (0: none)
  Connection connection;
  std::vector<const Interest*> interests;
  std::vector<const Gift*> gifts;
  std::vector<Id> sector_orgs;  // all_*: practices, federations, networks the person has interests in
  bool gp_member = false;        // all_*: a GP member, or works in a practice of the item's sector
  ProviderSector sector = ProviderSector::gp_practices;
  bool own_practice = false;
  std::string resembles;  // similar_name: what the name resembles
  double closeness = 0.0;
};

bool is_provider_kind(OrganisationKind kind) {
  return in_sector(kind, ProviderSector::gp_practices) || in_sector(kind, ProviderSector::community_pharmacies) ||
         in_sector(kind, ProviderSector::dental_practices) || in_sector(kind, ProviderSector::optometrists);
}

std::string kind_phrase(OrganisationKind kind) {
  switch (kind) {
    case OrganisationKind::gp_practice: return "a GP practice";
    case OrganisationKind::federation: return "a GP federation";
    case OrganisationKind::primary_care_network: return "a primary care network";
    case OrganisationKind::community_pharmacy: return "a community pharmacy";
    case OrganisationKind::dental_practice: return "a dental practice";
    case OrganisationKind::optometrist: return "an optometrist";
    default: return "an organisation";
  }
}

bool is_indirect(const Interest& i) { return i.indirect || i.category == InterestCategory::indirect; }

// An indirect interest recorded only as category `indirect` does not say what kind it would be;
// the typical case is a relative's financial stake (a spouse's partnership), so it is treated
// as financial rather than risk advising a softer action than the guidance would.
bool is_financial(const Interest& i) {
  return i.category == InterestCategory::financial || i.category == InterestCategory::indirect;
}

std::string_view interest_phrase(const Interest& i) {
  switch (i.category) {
    case InterestCategory::financial: return "a financial interest";
    case InterestCategory::non_financial_professional: return "a non-financial professional interest";
    case InterestCategory::non_financial_personal: return "a non-financial personal interest";
    case InterestCategory::indirect: break;
  }
  return "an interest";
}

std::string fixed2(double v) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2).ptr;  // as printf's "%.2f"
  return std::string(buf, end);
}

// Names and titles made ready for the similar-name rule (distinctive words, joined and counted),
// kept between checks and keyed by the text itself: a renamed organisation or a retitled item is
// a new key, so an entry can never describe a text that has changed, and nothing needs to be told
// of writes. Every check needs the same few hundred names again; making them was a twentieth of a
// check. Bounded: emptied when full (a register names a few thousand organisations). Each entry
// has a serial number, never reused (not even after the cache is emptied), that names its text
// in ClosenessMemo.
template <typename T>
struct Prepared {
  std::uint64_t serial = 0;
  T value;
};

std::uint64_t next_text_serial() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

template <typename T>
class PreparedTexts {
 public:
  explicit PreparedTexts(std::size_t max_entries) : max_entries_(max_entries) {}

  template <typename Make>
  std::shared_ptr<const Prepared<T>> of(const std::string& text, Make&& make) {
    {
      std::shared_lock shared(mutex_);
      if (auto it = entries_.find(text); it != entries_.end()) return it->second;
    }
    auto made = std::make_shared<const Prepared<T>>(Prepared<T>{next_text_serial(), make(text)});
    std::lock_guard lock(mutex_);
    if (entries_.size() >= max_entries_) entries_.clear();
    return entries_.try_emplace(text, made).first->second;
  }

 private:
  std::size_t max_entries_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Prepared<T>>> entries_;
};

using PreparedName = Prepared<ComparableName>;
using PreparedTitle = Prepared<TitleWindows>;

std::shared_ptr<const PreparedName> prepared_name(const std::string& name) {
  static PreparedTexts<ComparableName> names(20000);
  return names.of(name, [](const std::string& text) { return comparable_name(distinctive_words(text)); });
}

std::shared_ptr<const PreparedTitle> prepared_title(const std::string& title) {
  static PreparedTexts<TitleWindows> titles(5000);
  return titles.of(title, [](const std::string& text) { return TitleWindows(distinctive_words(text)); });
}

// The similar-name rule's results for the organisations of interest of a check against one
// text (a linked organisation's name or an item's title), kept between checks. They are a
// function of the texts and the threshold alone, and a text is named by the serial of its
// prepared entry, which is never reused: a renamed organisation or retitled item is a new serial
// (and a new list of names), so a kept row can never describe texts that have changed, and
// nothing needs to be told of writes. Every check of a meeting compares the same few thousand
// pairs again; comparing them was a fifth of a check, and looking each pair up alone still a
// tenth. A row holds the results for a whole list of names, so a check looks up one row per item
// and linked organisation. Bounded: emptied when full (a meeting of 40 items needs about 100
// rows of 70 names).
class ClosenessMemo {
 public:
  // The serials of a check's organisations of interest, in its order, and their hash.
  struct Names {
    explicit Names(std::vector<std::uint64_t> s) : serials(std::move(s)) {
      std::uint64_t h = 0xcbf29ce484222325ull;
      for (std::uint64_t v : serials) h = (h ^ v) * 0x100000001b3ull;
      hash = static_cast<std::size_t>(h);
    }
    std::vector<std::uint64_t> serials;
    std::size_t hash = 0;
  };
  using Row = std::vector<double>;  // by position in Names::serials

  explicit ClosenessMemo(std::size_t max_rows) : max_rows_(max_rows) {}

  // The row for `names` against the text with serial `other`, made by make() and kept if there
  // is none.
  template <typename Make>
  std::shared_ptr<const Row> row(const std::shared_ptr<const Names>& names, std::uint64_t other, double at_least, Make&& make) {
    const Key probe{names.get(), other, at_least};
    {
      std::shared_lock shared(mutex_);
      if (auto it = rows_.find(probe); it != rows_.end()) return it->second.values;
    }
    auto made = std::make_shared<const Row>(make());
    std::lock_guard lock(mutex_);
    if (rows_.size() >= max_rows_) rows_.clear();
    return rows_.try_emplace(probe, Kept{names, made}).first->second.values;
  }

 private:
  struct Key {
    const Names* names = nullptr;  // owned by the row's Kept
    std::uint64_t other = 0;
    double at_least = 0.0;
    bool operator==(const Key& k) const {
      return other == k.other && at_least == k.at_least && (names == k.names || names->serials == k.names->serials);
    }
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &k.at_least, sizeof bits);
      std::uint64_t h = (k.names->hash ^ (k.other * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
      h ^= bits + (h >> 29);
      return static_cast<std::size_t>(h * 0x94D049BB133111EBull);
    }
  };
  struct Kept {
    std::shared_ptr<const Names> names;
    std::shared_ptr<const Row> values;
  };
  std::size_t max_rows_;
  std::shared_mutex mutex_;
  std::unordered_map<Key, Kept, Hash> rows_;
};

ClosenessMemo& closeness_memo() {
  static ClosenessMemo memo(5000);
  return memo;
}

class Flagger {
 public:
  Flagger(const FlaggingInput& in, const FlaggingOptions& options) : in_(in), options_(options) {
    for (std::size_t i = 0; i < in.people.size(); ++i) person_index_.emplace(in.people[i].person.id, i);
    for (const auto& o : in.organisations) {
      org_.emplace(o.id, &o);
      if (o.parent_id) children_[*o.parent_id].push_back(o.id);
      auto& same_name = by_exact_key_[exact_name_key(o.name)];  // elements of an unordered_map stay put
      same_name.push_back(o.id);
      same_name_.emplace(o.id, &same_name);
      if (!o.identifier.empty()) by_identifier_[o.identifier].push_back(o.id);
    }
    for (const auto& i : in.interests) {
      if (!person_index_.contains(i.person_id) || !counts_for_conflicts_on(i, in.meeting_date) || !i.organisation_id)
        continue;
      auto& list = interests_by_org_[*i.organisation_id];
      if (list.empty()) interest_orgs_.push_back(*i.organisation_id);
      list.push_back(&i);
      const auto* o = find_org(*i.organisation_id);
      if (o && is_financial(i) && is_provider_kind(o->kind)) provider_interests_[i.person_id].push_back(&i);
    }
    const Date window_start = in.meeting_date.plus_months(-options.gift_lookback_months);
    for (const auto& g : in.gifts) {
      if (!person_index_.contains(g.person_id) || !g.organisation_id) continue;
      if (g.status == DeclarationStatus::draft || g.status == DeclarationStatus::returned) continue;
      if (g.outcome == GiftOutcome::declined && !options.include_declined_gifts) continue;
      if (g.offered_on < window_start || g.offered_on > in.meeting_date) continue;
      gifts_by_org_[*g.organisation_id].push_back(&g);
    }
    // Joined once here: each is compared with every item's linked names and title.
    interest_org_words_.reserve(interest_orgs_.size());
    for (std::size_t k = 0; k < interest_orgs_.size(); ++k) interest_org_index_.emplace(interest_orgs_[k], k);
    certain_here_.assign(interest_orgs_.size(), 0);
    for (Id id : interest_orgs_) interest_org_words_.push_back(prepared_name(org_name(id)));
    std::vector<std::uint64_t> serials;
    serials.reserve(interest_org_words_.size());
    for (const auto& words : interest_org_words_) serials.push_back(words->serial);
    interest_names_ = std::make_shared<const ClosenessMemo::Names>(std::move(serials));
  }

  ItemFlags flag(const AgendaItem& item) {
    pending_.clear();
    // Organisations that are the linked ones (or duplicates of them), and their groups.
    std::map<Id, Connection> same, group;
    for (Id linked : item.organisation_ids) {
      same.emplace(linked, Connection{linked, Link::same});
      const Organisation* o = find_org(linked);
      if (!o) continue;
      if (!o->identifier.empty())
        for (Id dup : lookup(by_identifier_, o->identifier)) same.emplace(dup, Connection{linked, Link::same_identifier});
      for (Id dup : *same_name_.at(linked)) same.emplace(dup, Connection{linked, Link::same_name});
    }
    for (Id linked : item.organisation_ids) {
      const Organisation* o = find_org(linked);
      if (o && o->parent_id && !same.contains(*o->parent_id))
        group.emplace(*o->parent_id, Connection{linked, Link::parent_of_linked});
      for (Id child : lookup(children_, linked))
        if (!same.contains(child)) group.emplace(child, Connection{linked, Link::child_of_linked});
    }

    for (const auto& [org_id, connection] : same) {
      for (const Interest* i : lookup(interests_by_org_, org_id))
        add_interest(i, is_indirect(*i) ? ConflictRule::indirect : ConflictRule::organisation, org_id, connection);
      for (const Gift* g : lookup(gifts_by_org_, org_id)) {
        auto& p = pending(person_index_.at(g->person_id), ConflictRule::gift_or_hospitality, false, org_id);
        p.connection = connection;
        p.gifts.push_back(g);
      }
    }
    for (const auto& [org_id, connection] : group)
      for (const Interest* i : lookup(interests_by_org_, org_id))
        add_interest(i, is_indirect(*i) ? ConflictRule::indirect : ConflictRule::organisation_group, org_id, connection);

    for (std::size_t index = 0; index < in_.people.size(); ++index) {
      const Person& person = in_.people[index].person;
      // practice_id is recorded only for people who are partners of or work in a practice
      // (GP members), so a linked practice is their own practice's business.
      if (person.practice_id) {
        const Id practice = *person.practice_id;
        const Connection* c = same.contains(practice) ? &same.at(practice) : group.contains(practice) ? &group.at(practice) : nullptr;
        if (c) {
          auto& p = pending(index, ConflictRule::own_practice, false, practice);
          p.connection = *c;
          p.own_practice = true;
        }
      }
      if (item.affects_all_gp_practices) add_all_of_sector(index, person, sector_of(item.category));
    }

    add_similar_names(item, same, group);
    auto out = finish(item);
    add_meeting_declarations(item, out);
    return {item.id, std::move(out)};
  }

 private:
  template <typename Map>
  static const typename Map::mapped_type& lookup(const Map& map, const typename Map::key_type& key) {
    static const typename Map::mapped_type empty{};
    auto it = map.find(key);
    return it == map.end() ? empty : it->second;
  }

  const Organisation* find_org(Id id) const {
    auto it = org_.find(id);
    return it == org_.end() ? nullptr : it->second;
  }
  std::string org_name(Id id) const {
    const auto* o = find_org(id);
    return o ? o->name : "organisation #" + std::to_string(id);
  }

  // Withheld interests are gathered apart from published ones: a flag that mixed them would
  // carry a withheld nature in the reason a chair reads, or lose a published one when redacted.
  // An item has a few dozen flags at most (one per person, rule and organisation), so a flat
  // list searched from the end (the same flag is usually the one just added to) costs less than
  // a map's node per flag; finish() puts them in key order.
  Pending& pending(std::size_t person_index, ConflictRule rule, bool indirect, Id org_id, bool withheld = false) {
    const PendingKey key{person_index, static_cast<int>(rule), indirect, withheld, org_id};
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it)
      if (it->key == key) return *it;
    Pending& p = pending_.emplace_back();
    p.key = key;
    p.person_index = person_index;
    p.rule = rule;
    p.indirect = indirect;
    p.withheld = withheld;
    p.organisation_id = org_id;
    return p;
  }

  void add_interest(const Interest* i, ConflictRule rule, Id org_id, const Connection& connection) {
    auto& p = pending(person_index_.at(i->person_id), rule, is_indirect(*i), org_id, i->withheld);
    p.connection = connection;
    p.interests.push_back(i);
  }

  static ConflictRule sector_rule(ProviderSector sector) {
    switch (sector) {
      case ProviderSector::gp_practices: break;
      case ProviderSector::community_pharmacies: return ConflictRule::all_pharmacies;
      case ProviderSector::dental_practices: return ConflictRule::all_dental_practices;
      case ProviderSector::optometrists: return ConflictRule::all_optometrists;
    }
    return ConflictRule::all_gp_practices;
  }

  void add_all_of_sector(std::size_t index, const Person& person, ProviderSector sector) {
    // Guidance: a decision affecting every practice conflicts every GP member at once, and
    // anyone with a financial stake in any practice, or in a federation or primary care network
    // (which practices own and whose income follows theirs), whatever kind of member they are.
    // The same holds for decisions reaching every pharmacy, dental practice or optometrist.
    const ConflictRule rule = sector_rule(sector);
    const Organisation* workplace = person.practice_id ? find_org(*person.practice_id) : nullptr;
    const bool member = (sector == ProviderSector::gp_practices && person.kind == PersonKind::gp) ||
                        (workplace && in_sector(workplace->kind, sector));
    if (member) {
      auto& p = pending(index, rule, false, 0);
      p.gp_member = true;
      p.sector = sector;
    }
    for (const Interest* i : lookup(provider_interests_, person.id)) {
      const Organisation* o = find_org(*i->organisation_id);
      if (!o || !in_sector(o->kind, sector)) continue;
      const bool indirect = is_indirect(*i);
      auto& p = pending(index, indirect ? ConflictRule::indirect : rule, indirect, 0, i->withheld);
      p.sector = sector;
      p.interests.push_back(i);
      if (std::find(p.sector_orgs.begin(), p.sector_orgs.end(), *i->organisation_id) == p.sector_orgs.end())
        p.sector_orgs.push_back(*i->organisation_id);
    }
  }

  // A declaration at the meeting is the person's own word that they have an interest in the item;
  // when nothing on the register flags them already, it must still reach the chair's decision.
  void add_meeting_declarations(const AgendaItem& item, std::vector<ConflictFlag>& out) const {
    for (const auto& d : in_.declarations) {
      if (!d.agenda_item_id || *d.agenda_item_id != item.id || !person_index_.contains(d.person_id)) continue;
      const bool flagged = std::any_of(out.begin(), out.end(), [&](const ConflictFlag& f) { return f.person_id == d.person_id; });
      if (flagged) continue;
      ConflictFlag f;
      f.agenda_item_id = item.id;
      f.person_id = d.person_id;
      f.rule = ConflictRule::declared_at_meeting;
      f.confidence = Confidence::possible;
      f.reason = in_.people[person_index_.at(d.person_id)].person.name + " declared at the meeting: \"" + d.text +
                 "\" on item \"" + item.title + "\".";
      f.suggested_action = kChairToDecide;
      out.push_back(std::move(f));
    }
  }

  void add_similar_names(const AgendaItem& item, const std::map<Id, Connection>& same, const std::map<Id, Connection>& group) {
    // Each organisation of interest against each linked organisation's name and the title: a row
    // of results per text, kept between checks in closeness_memo(), and between the items of a
    // check by linked organisation (linked_rows_).
    const double threshold = options_.similar_name_threshold;
    linked_here_.clear();
    for (Id linked : item.organisation_ids) {
      auto [it, fresh] = linked_rows_.try_emplace(linked);
      if (fresh) {
        const auto name = prepared_name(org_name(linked));
        it->second = closeness_row(name->serial, [&](const ComparableName& words) {
          return comparable_closeness(words, name->value, threshold);
        });
      }
      linked_here_.push_back({linked, it->second.get()});
    }
    const auto title = prepared_title(item.title);
    const auto in_title = closeness_row(title->serial, [&](const ComparableName& words) {
      return closeness_within(words, title->value, threshold);
    });
    // Organisations of interest already flagged for certain on this item (same or group).
    std::fill(certain_here_.begin(), certain_here_.end(), 0);
    for (const auto* connected : {&same, &group})
      for (const auto& [org_id, connection] : *connected)
        if (auto it = interest_org_index_.find(org_id); it != interest_org_index_.end()) certain_here_[it->second] = 1;
    for (std::size_t k = 0; k < interest_orgs_.size(); ++k) {
      if (certain_here_[k]) continue;
      const Id org_id = interest_orgs_[k];
      double best = 0.0;
      Id resembles_id = 0;
      for (const auto& [linked, row] : linked_here_) {
        const double known = (*row)[k];
        if (known > best) {
          best = known;
          resembles_id = linked;
        }
      }
      const bool title_closer = (*in_title)[k] > best;
      if (title_closer) best = (*in_title)[k];
      if (best < threshold) continue;
      const std::string resembles = title_closer ? std::string("the item title") : resembles_id ? org_name(resembles_id) : std::string();
      for (const Interest* i : lookup(interests_by_org_, org_id)) {
        auto& p = pending(person_index_.at(i->person_id), ConflictRule::similar_name, is_indirect(*i), org_id, i->withheld);
        p.interests.push_back(i);
        p.resembles = resembles;
        p.closeness = best;
      }
    }
  }

  // Each organisation of interest's closeness to the text with serial `text`, from
  // closeness_memo(), or made with compare(its prepared name) and kept there.
  template <typename Compare>
  std::shared_ptr<const ClosenessMemo::Row> closeness_row(std::uint64_t text, Compare&& compare) {
    return closeness_memo().row(interest_names_, text, options_.similar_name_threshold, [&] {
      ClosenessMemo::Row row;
      row.reserve(interest_org_words_.size());
      for (const auto& words : interest_org_words_) row.push_back(compare(words->value));
      return row;
    });
  }

  // The reasons are written into one string each, appended to in place: a flag's reason is
  // about 200 bytes made of a dozen parts, and joining them with operator+ made a temporary
  // string per part.
  void append_org_name(std::string& out, Id id) const {
    if (const auto* o = find_org(id)) {
      out += o->name;
      return;
    }
    out += "organisation #";
    out += std::to_string(id);
  }

  static void append_title(std::string& out, const AgendaItem& item) {
    out += "item \"";
    out += item.title;
    out += '"';
  }

  void append_linkage(std::string& out, const Connection& c, const AgendaItem& item) const {
    switch (c.link) {
      case Link::same: out += "which is linked to "; break;
      case Link::same_identifier: out += "the same organisation by identifier as "; break;
      case Link::same_name: out += "the same organisation by name as "; break;
      case Link::child_of_linked: out += "part of "; break;
      case Link::parent_of_linked: out += "the parent organisation of "; break;
    }
    if (c.link != Link::same) {
      append_org_name(out, c.linked_id);
      out += ", which is linked to ";
    }
    append_title(out, item);
  }

  // "linked to <title>" for a direct link, the linkage otherwise.
  void append_linked_to(std::string& out, const Connection& c, const AgendaItem& item) const {
    if (c.link == Link::same) {
      out += "linked to ";
      append_title(out, item);
    } else {
      append_linkage(out, c, item);
    }
  }

  static void append_natures(std::string& out, const std::vector<const Interest*>& interests) {
    bool any = false;
    for (const Interest* i : interests) {
      if (i->nature.empty()) continue;
      out += any ? "; " : " (";
      any = true;
      out += i->nature;
    }
    if (any) out += ')';
  }

  static void append_holding(std::string& out, const Pending& p) {
    const Interest& first = *p.interests.front();
    if (!p.indirect) {
      out += interest_phrase(first);
      return;
    }
    out += "an indirect interest through ";
    if (first.relationship.empty()) {
      out += "a relative or associate";
    } else {
      out += "their ";
      out += first.relationship;
    }
  }

  // "<name> has <holding> in <organisation> (<natures>)"
  void append_has_interest(std::string& out, const Pending& p, const Person& person) const {
    out += person.name;
    out += " has ";
    append_holding(out, p);
    out += " in ";
    append_org_name(out, p.organisation_id);
    append_natures(out, p.interests);
  }

  void write_reason(std::string& out, const Pending& p, const AgendaItem& item) const {
    const Person& person = in_.people[p.person_index].person;
    switch (p.rule) {
      case ConflictRule::organisation:
      case ConflictRule::organisation_group:
        append_has_interest(out, p, person);
        out += ", ";
        append_linkage(out, p.connection, item);
        out += '.';
        return;
      case ConflictRule::own_practice:
        out += person.name;
        out += "'s practice, ";
        append_org_name(out, p.organisation_id);
        out += ", is ";
        append_linked_to(out, p.connection, item);
        out += '.';
        return;
      case ConflictRule::indirect:
      case ConflictRule::all_gp_practices:
      case ConflictRule::all_pharmacies:
      case ConflictRule::all_dental_practices:
      case ConflictRule::all_optometrists: {
        if (p.organisation_id != 0) {
          append_has_interest(out, p, person);
          out += ", ";
          append_linkage(out, p.connection, item);
          out += '.';
          return;
        }
        if (p.gp_member) {
          out += person.name;
          if (p.sector == ProviderSector::gp_practices && person.kind == PersonKind::gp) {
            out += " is a GP member";
          } else {
            out += " works in ";
            append_org_name(out, *person.practice_id);
          }
        }
        if (!p.sector_orgs.empty()) {
          if (p.gp_member) {
            out += " and has ";
          } else {
            out += person.name;
            out += " has ";
          }
          append_holding(out, p);
          out += " in ";
          bool first = true;
          for (Id id : p.sector_orgs) {
            if (!first) out += ", ";
            first = false;
            append_org_name(out, id);
            if (const Organisation* o = find_org(id)) {
              out += " (";
              out += kind_phrase(o->kind);
              out += ')';
            }
          }
        }
        out += ", and ";
        append_title(out, item);
        out += " affects ";
        out += sector_phrase(p.sector);
        out += '.';
        return;
      }
      case ConflictRule::gift_or_hospitality: {
        out += person.name;
        out += " was offered ";
        bool first = true;
        for (const Gift* g : p.gifts) {
          if (!first) out += "; ";
          first = false;
          out += g->kind == GiftKind::hospitality ? "hospitality" : "a gift";
          out += " on ";
          out += long_date(g->offered_on);
          out += " (";
          out += g->description;
          out += ", £";
          out += format_pounds(g->value_pence);
          out += ", ";
          out += to_string(g->outcome);
          out += ')';
        }
        out += " by ";
        append_org_name(out, p.organisation_id);
        out += " in the ";
        out += std::to_string(options_.gift_lookback_months);
        out += " months before the meeting; ";
        append_org_name(out, p.organisation_id);
        out += " is ";
        append_linked_to(out, p.connection, item);
        out += '.';
        return;
      }
      case ConflictRule::similar_name:
        append_has_interest(out, p, person);
        out += ", whose name closely resembles ";
        out += p.resembles;
        out += " (closeness ";
        out += fixed2(p.closeness);
        out += "): check whether it is the organisation in ";
        append_title(out, item);
        out += '.';
        return;
      case ConflictRule::withheld: return;  // set only when a report leaves a flag's details out
      case ConflictRule::declared_at_meeting: return;  // written by add_meeting_declarations
    }
  }

  std::vector<ConflictFlag> finish(const AgendaItem& item) {
    // In key order (keys are unique), sorted by position: a Pending is large to move.
    order_.resize(pending_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), [this](std::size_t a, std::size_t b) { return pending_[a].key < pending_[b].key; });
    std::vector<ConflictFlag> out;
    out.reserve(pending_.size());
    for (std::size_t at : order_) {
      const Pending& p = pending_[at];
      ConflictFlag f;
      f.agenda_item_id = item.id;
      f.person_id = in_.people[p.person_index].person.id;
      f.rule = p.rule;
      f.indirect = p.indirect;
      f.withheld = p.withheld;
      const bool possible = p.rule == ConflictRule::gift_or_hospitality || p.rule == ConflictRule::similar_name;
      f.confidence = possible ? Confidence::possible : Confidence::certain;
      // A practice's business and a GP member's practice income are financial by nature.
      f.financial = p.own_practice || p.gp_member ||
                    std::any_of(p.interests.begin(), p.interests.end(), [](const Interest* i) { return is_financial(*i); });
      for (const Interest* i : p.interests)
        if (std::find(f.interest_ids.begin(), f.interest_ids.end(), i->id) == f.interest_ids.end()) f.interest_ids.push_back(i->id);
      for (const Gift* g : p.gifts) f.gift_ids.push_back(g->id);
      f.reason.reserve(320);  // most reasons are 100-300 bytes
      write_reason(f.reason, p, item);
      f.suggested_action = possible ? kChairToDecide : f.financial ? kLeaveRoom : kChairDecidesNoVote;
      out.push_back(std::move(f));
    }
    return out;
  }

  const FlaggingInput& in_;
  const FlaggingOptions& options_;
  std::unordered_map<Id, std::size_t> person_index_;
  std::unordered_map<Id, const Organisation*> org_;
  std::unordered_map<Id, std::vector<Id>> children_;
  std::unordered_map<std::string, std::vector<Id>> by_exact_key_;
  std::unordered_map<Id, const std::vector<Id>*> same_name_;  // organisation -> its by_exact_key_ entry
  std::unordered_map<std::string, std::vector<Id>> by_identifier_;
  std::unordered_map<Id, std::vector<const Interest*>> interests_by_org_;
  std::vector<Id> interest_orgs_;  // organisations with an interest in force, first-seen order
  std::vector<std::shared_ptr<const PreparedName>> interest_org_words_;  // by position in interest_orgs_
  std::shared_ptr<const ClosenessMemo::Names> interest_names_;  // their serials
  std::unordered_map<Id, std::size_t> interest_org_index_;  // organisation -> position in interest_orgs_
  std::vector<char> certain_here_;  // by position in interest_orgs_: flagged for certain on the current item
  // Linked organisation -> its closeness to each organisation of interest.
  std::unordered_map<Id, std::shared_ptr<const ClosenessMemo::Row>> linked_rows_;
  std::vector<std::pair<Id, const ClosenessMemo::Row*>> linked_here_;  // the item's linked organisations and their rows
  // Financial interests in practices and providers of any sector, by person.
  std::unordered_map<Id, std::vector<const Interest*>> provider_interests_;
  std::unordered_map<Id, std::vector<const Gift*>> gifts_by_org_;
  std::vector<Pending> pending_;
  std::vector<std::size_t> order_;  // finish(): pending_ in key order
};

}  // namespace

ProviderSector sector_of(AgendaCategory category) {
  switch (category) {
    case AgendaCategory::pharmacy_service: return ProviderSector::community_pharmacies;
    case AgendaCategory::dental_service: return ProviderSector::dental_practices;
    case AgendaCategory::optometry_service: return ProviderSector::optometrists;
    default: return ProviderSector::gp_practices;
  }
}

bool in_sector(OrganisationKind kind, ProviderSector sector) {
  switch (sector) {
    case ProviderSector::gp_practices:
      return kind == OrganisationKind::gp_practice || kind == OrganisationKind::federation ||
             kind == OrganisationKind::primary_care_network;
    case ProviderSector::community_pharmacies: return kind == OrganisationKind::community_pharmacy;
    case ProviderSector::dental_practices: return kind == OrganisationKind::dental_practice;
    case ProviderSector::optometrists: return kind == OrganisationKind::optometrist;
  }
  return false;
}

std::string_view sector_phrase(ProviderSector sector) {
  switch (sector) {
    case ProviderSector::gp_practices: break;
    case ProviderSector::community_pharmacies: return "all community pharmacies";
    case ProviderSector::dental_practices: return "all dental practices";
    case ProviderSector::optometrists: return "all optometrists";
  }
  return "all GP practices";
}

bool counts_for_conflicts_on(const Interest& interest, const Date& date) {
  // Drafts are not yet declared and returned entries were sent back for correction; withheld
  // entries are hidden from the public only and still count (guidance on withholding).
  if (interest.status != DeclarationStatus::submitted && interest.status != DeclarationStatus::approved) return false;
  return interest.from <= date && (!interest.to || *interest.to >= date);
}

std::vector<ItemFlags> flag_conflicts(const FlaggingInput& input, const FlaggingOptions& options) {
  Flagger flagger(input, options);
  std::vector<ItemFlags> out;
  out.reserve(input.items.size());
  for (const auto& item : input.items) out.push_back(flagger.flag(item));
  return out;
}

}  // namespace probity
