#pragma once
// A bundle read into drafts of what it holds, by one reader per kind of record (organisations,
// people, committees with their quorum and members, interests, gifts, nil returns, meetings with
// their attendance, agenda items and co-opted members), every problem recorded with its path. Refs are left for
// import_bundle (model/bundle/bundle.cpp) to resolve against the file and the database.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "model/bundle/bundle.hpp"
#include "model/bundle/bundle_record.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/store/entities.hpp"

namespace probity {

/// One entity as a bundle gives it: where it stands, and the refs it makes to others.
template <typename T>
struct Draft {
  T entity;
  std::string path;
  std::map<std::string, BundleLink> links;  // field name -> link
  std::vector<BundleLink> many;             // an agenda item's organisations
};

/// Everything in a bundle, in the file's order. Memberships, attendances and agenda items stand
/// inside their committee or meeting; each is paired with that committee's or meeting's index.
struct ParsedBundle {
  std::vector<Draft<Body>> bodies;
  std::vector<Draft<Organisation>> organisations;
  std::vector<Draft<Person>> people;
  std::vector<Draft<Committee>> committees;  // many: the owning bodies
  std::vector<std::vector<std::pair<BundleLink, int>>> committee_minimums;  // per committee: its minimums from named bodies
  std::vector<Draft<Membership>> memberships;  // links: person
  std::vector<std::size_t> membership_committee;
  std::vector<Draft<Interest>> interests;
  std::vector<Draft<Gift>> gifts;
  std::vector<Draft<NilReturn>> nil_returns;
  std::vector<Draft<Confirmation>> confirmations;
  std::vector<Draft<Meeting>> meetings;
  std::vector<bool> meeting_lists_agenda;  // an "agenda" given is the meeting's whole agenda
  std::vector<Draft<Attendance>> attendances;
  std::vector<std::size_t> attendance_meeting;
  std::vector<Draft<AgendaItem>> agenda_items;
  std::vector<std::size_t> agenda_meeting;
  std::vector<Draft<CoOptedMember>> co_opted;  // links: person, item (optional)
  std::vector<std::size_t> co_opted_meeting;
};

/// Reads a bundle (a JSON object), recording every problem with the input in `errors`.
ParsedBundle parse_bundle(const nlohmann::json& bundle, std::vector<BundleError>& errors);

}  // namespace probity
