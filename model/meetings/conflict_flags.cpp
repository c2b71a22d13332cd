#include "model/meetings/conflict_flags.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
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
struct Pending {
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

using PendingKey = std::tuple<std::size_t, int, bool, bool, Id>;

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

std::string interest_phrase(const Interest& i) {
  switch (i.category) {
    case InterestCategory::financial: return "a financial interest";
    case InterestCategory::non_financial_professional: return "a non-financial professional interest";
    case InterestCategory::non_financial_personal: return "a non-financial personal interest";
    case InterestCategory::indirect: break;
  }
  return "an interest";
}

std::string fixed2(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

class Flagger {
 public:
  Flagger(const FlaggingInput& in, const FlaggingOptions& options) : in_(in), options_(options) {
    for (std::size_t i = 0; i < in.people.size(); ++i) person_index_.emplace(in.people[i].person.id, i);
    for (const auto& o : in.organisations) {
      org_.emplace(o.id, &o);
      if (o.parent_id) children_[*o.parent_id].push_back(o.id);
      by_exact_key_[exact_name_key(o.name)].push_back(o.id);
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
    for (Id id : interest_orgs_) {
      const auto words = distinctive_words(org_name(id));
      interest_org_words_.emplace(id, JoinedName{joined_words(words), words.size()});
    }
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
      for (Id dup : lookup(by_exact_key_, exact_name_key(o->name))) same.emplace(dup, Connection{linked, Link::same_name});
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
  Pending& pending(std::size_t person_index, ConflictRule rule, bool indirect, Id org_id, bool withheld = false) {
    PendingKey key{person_index, static_cast<int>(rule), indirect, withheld, org_id};
    auto [it, inserted] = pending_.try_emplace(key);
    if (inserted) {
      it->second.person_index = person_index;
      it->second.rule = rule;
      it->second.indirect = indirect;
      it->second.withheld = withheld;
      it->second.organisation_id = org_id;
    }
    return it->second;
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
    std::vector<std::pair<Id, std::string>> linked_words;
    for (Id linked : item.organisation_ids) linked_words.emplace_back(linked, joined_words(distinctive_words(org_name(linked))));
    const TitleWindows title_windows(distinctive_words(item.title));
    for (Id org_id : interest_orgs_) {
      if (same.contains(org_id) || group.contains(org_id)) continue;  // already flagged for certain
      const auto& name = interest_org_words_.at(org_id);
      double best = 0.0;
      std::string resembles;
      for (const auto& [linked, lw] : linked_words) {
        // Items of one meeting often link the same organisations: each pair is compared once.
        auto [known, fresh] = closeness_of_pair_.try_emplace({org_id, linked}, 0.0);
        if (fresh) known->second = joined_closeness(name.joined, lw, options_.similar_name_threshold);
        const double c = known->second;
        if (c > best) {
          best = c;
          resembles = org_name(linked);
        }
      }
      const double in_title = closeness_within(name.joined, name.words, title_windows, options_.similar_name_threshold);
      if (in_title > best) {
        best = in_title;
        resembles = "the item title";
      }
      if (best < options_.similar_name_threshold) continue;
      for (const Interest* i : lookup(interests_by_org_, org_id)) {
        auto& p = pending(person_index_.at(i->person_id), ConflictRule::similar_name, is_indirect(*i), org_id, i->withheld);
        p.interests.push_back(i);
        p.resembles = resembles;
        p.closeness = best;
      }
    }
  }

  std::string linkage(const Connection& c, const AgendaItem& item) const {
    const std::string linked = org_name(c.linked_id), title = "item \"" + item.title + "\"";
    switch (c.link) {
      case Link::same: return "which is linked to " + title;
      case Link::same_identifier: return "the same organisation by identifier as " + linked + ", which is linked to " + title;
      case Link::same_name: return "the same organisation by name as " + linked + ", which is linked to " + title;
      case Link::child_of_linked: return "part of " + linked + ", which is linked to " + title;
      case Link::parent_of_linked: return "the parent organisation of " + linked + ", which is linked to " + title;
    }
    return title;
  }

  std::string natures(const std::vector<const Interest*>& interests) const {
    std::string out;
    for (const Interest* i : interests) {
      if (i->nature.empty()) continue;
      if (!out.empty()) out += "; ";
      out += i->nature;
    }
    return out.empty() ? "" : " (" + out + ")";
  }

  std::string holding(const Pending& p) const {
    const Interest& first = *p.interests.front();
    if (!p.indirect) return interest_phrase(first);
    const std::string who = first.relationship.empty() ? "a relative or associate" : "their " + first.relationship;
    return "an indirect interest through " + who;
  }

  std::string reason(const Pending& p, const AgendaItem& item) const {
    const Person& person = in_.people[p.person_index].person;
    const std::string title = "item \"" + item.title + "\"";
    const std::string org = org_name(p.organisation_id);
    switch (p.rule) {
      case ConflictRule::organisation:
      case ConflictRule::organisation_group:
        return person.name + " has " + holding(p) + " in " + org + natures(p.interests) + ", " + linkage(p.connection, item) + ".";
      case ConflictRule::own_practice:
        return person.name + "'s practice, " + org + ", is " +
               (p.connection.link == Link::same ? "linked to " + title : linkage(p.connection, item)) + ".";
      case ConflictRule::indirect:
      case ConflictRule::all_gp_practices:
      case ConflictRule::all_pharmacies:
      case ConflictRule::all_dental_practices:
      case ConflictRule::all_optometrists: {
        if (p.organisation_id != 0)
          return person.name + " has " + holding(p) + " in " + org + natures(p.interests) + ", " + linkage(p.connection, item) + ".";
        std::string why;
        if (p.gp_member)
          why = p.sector == ProviderSector::gp_practices && person.kind == PersonKind::gp
                    ? person.name + " is a GP member"
                    : person.name + " works in " + org_name(*person.practice_id);
        if (!p.sector_orgs.empty()) {
          std::string names;
          for (Id id : p.sector_orgs) {
            const Organisation* o = find_org(id);
            names += (names.empty() ? "" : ", ") + org_name(id) + (o ? " (" + kind_phrase(o->kind) + ")" : "");
          }
          why += (why.empty() ? person.name + " has " : " and has ") + holding(p) + " in " + names;
        }
        return why + ", and " + title + " affects " + sector_phrase(p.sector) + ".";
      }
      case ConflictRule::gift_or_hospitality: {
        std::string list;
        for (const Gift* g : p.gifts)
          list += (list.empty() ? "" : "; ") + std::string(g->kind == GiftKind::hospitality ? "hospitality" : "a gift") +
                  " on " + long_date(g->offered_on) + " (" + g->description + ", £" + format_pounds(g->value_pence) + ", " +
                  std::string(to_string(g->outcome)) + ")";
        return person.name + " was offered " + list + " by " + org + " in the " + std::to_string(options_.gift_lookback_months) +
               " months before the meeting; " + org + " is " +
               (p.connection.link == Link::same ? "linked to " + title : linkage(p.connection, item)) + ".";
      }
      case ConflictRule::similar_name:
        return person.name + " has " + holding(p) + " in " + org + natures(p.interests) + ", whose name closely resembles " +
               p.resembles + " (closeness " + fixed2(p.closeness) + "): check whether it is the organisation in " + title + ".";
      case ConflictRule::withheld: break;  // set only when a report leaves a flag's details out
      case ConflictRule::declared_at_meeting: break;  // written by add_meeting_declarations
    }
    return "";
  }

  std::vector<ConflictFlag> finish(const AgendaItem& item) const {
    std::vector<ConflictFlag> out;
    for (const auto& [key, p] : pending_) {
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
      f.reason = reason(p, item);
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
  std::unordered_map<std::string, std::vector<Id>> by_identifier_;
  std::unordered_map<Id, std::vector<const Interest*>> interests_by_org_;
  std::vector<Id> interest_orgs_;  // organisations with an interest in force, first-seen order
  struct JoinedName {
    std::string joined;  // distinctive words joined, as name_closeness compares them
    std::size_t words = 0;
  };
  std::unordered_map<Id, JoinedName> interest_org_words_;
  std::map<std::pair<Id, Id>, double> closeness_of_pair_;  // (organisation of interest, linked organisation)
  // Financial interests in practices and providers of any sector, by person.
  std::unordered_map<Id, std::vector<const Interest*>> provider_interests_;
  std::unordered_map<Id, std::vector<const Gift*>> gifts_by_org_;
  std::map<PendingKey, Pending> pending_;
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

std::string sector_phrase(ProviderSector sector) {
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
