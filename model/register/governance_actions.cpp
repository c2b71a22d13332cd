#include "model/register/governance_actions.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/user_store.hpp"

namespace probity {
namespace {

template <typename Store, typename Summary>
void add_submitted(SQLite::Database& db, const std::string& kind, Summary summary, std::map<Id, std::string>& names,
                   std::vector<ReviewQueueItem>& out) {
  Store store(db);
  for (const auto& e : store.select("WHERE status = ?", [](SQLite::Statement& s) { s.bind(1, std::string("submitted")); })) {
    if (!names.count(e.person_id)) {
      auto p = PersonStore(db).find(e.person_id);
      names[e.person_id] = p ? p->name : "";
    }
    auto [text, on] = summary(e);
    out.push_back({kind, e.id, store.current_version(e.id), e.person_id, names[e.person_id], text, on});
  }
}

template <typename Store>
ReviewOutcome review_in(SQLite::Database& db, const std::string& kind, Id id, ReviewDecision decision, const std::string& comment,
                        std::optional<int> seen_version, const std::string& actor) {
  WriteTransaction tx(db);
  Store store(db);
  auto e = store.find(id);
  if (!e) return ReviewOutcome::not_found;
  const int version = store.current_version(id);
  // Deciding on a version the reviewer never saw would approve words nobody checked.
  if (seen_version && *seen_version != version) return ReviewOutcome::version_changed;
  if (e->status != DeclarationStatus::submitted) return ReviewOutcome::not_awaiting_review;
  ReviewStore(db).record(kind, id, version, decision, comment, actor);  // checks the comment first
  e->status = decision == ReviewDecision::approved ? DeclarationStatus::approved : DeclarationStatus::returned;
  store.save(*e, actor);
  tx.commit();
  return ReviewOutcome::done;
}

bool open_on(const std::optional<Date>& to, const Date& on) { return !to || *to > on; }
}  // namespace

std::vector<ReviewQueueItem> review_queue(SQLite::Database& db) {
  std::vector<ReviewQueueItem> out;
  std::map<Id, std::string> names;
  add_submitted<InterestStore>(db, "interest", [](const Interest& i) { return std::pair{i.nature, i.declared_on}; }, names, out);
  add_submitted<GiftStore>(db, "gift", [](const Gift& g) { return std::pair{g.description, g.declared_on}; }, names, out);
  add_submitted<NilReturnStore>(db, "nil_return", [](const NilReturn& n) { return std::pair{n.statement, n.made_on}; }, names, out);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.declared_on < b.declared_on; });
  return out;
}

ReviewOutcome review_declaration(SQLite::Database& db, const std::string& kind, Id id, ReviewDecision decision,
                                 const std::string& comment, std::optional<int> seen_version, const std::string& actor) {
  if (kind == "interest") return review_in<InterestStore>(db, kind, id, decision, comment, seen_version, actor);
  if (kind == "gift") return review_in<GiftStore>(db, kind, id, decision, comment, seen_version, actor);
  if (kind == "nil_return") return review_in<NilReturnStore>(db, kind, id, decision, comment, seen_version, actor);
  throw std::invalid_argument("not a kind of declaration that is reviewed: " + kind);
}

std::optional<Interest> set_interest_withheld(SQLite::Database& db, Id id, bool withhold, const std::string& reason,
                                              const std::string& actor) {
  // The guidance requires the decision to withhold and its reason to be recorded.
  if (withhold && reason.find_first_not_of(" \t\r\n") == std::string::npos)
    throw std::invalid_argument("withholding an entry needs a reason");
  WriteTransaction tx(db);
  InterestStore store(db);
  auto i = store.find(id);
  if (!i) return std::nullopt;
  i->withheld = withhold;
  i->withheld_reason = withhold ? reason : "";
  store.save(*i, actor);  // no new version when nothing changed
  tx.commit();
  return i;
}

std::optional<LeaverResult> mark_person_left(SQLite::Database& db, Id person_id, const Date& left_on, const std::string& actor,
                                             Instant now) {
  WriteTransaction tx(db);
  PersonStore people(db);
  auto p = people.find(person_id);
  if (!p) return std::nullopt;
  LeaverResult result;
  p->left_on = left_on;
  people.save(*p, actor);
  result.person = *p;

  InterestStore interests(db);
  for (auto i : interests.for_person(person_id)) {
    if (!open_on(i.to, left_on)) continue;
    i.to = std::max(left_on, i.from);
    if (interests.save(i, actor).changed) ++result.interests_ended;
  }
  MembershipStore memberships(db);
  for (auto m : memberships.for_person(person_id)) {
    if (!open_on(m.to, left_on)) continue;
    m.to = std::max(left_on, m.from);
    if (memberships.save(m, actor).changed) ++result.memberships_ended;
  }
  // Inside this transaction (the store joins it): the register never shows someone as left
  // while their account still works.
  UserStore accounts(db);
  if (auto account = accounts.find_user_by_person(person_id)) {
    accounts.set_disabled(account->id, true, actor, now);
    result.account_disabled = account->id;
  }
  tx.commit();
  return result;
}

}  // namespace probity
