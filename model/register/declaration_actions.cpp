#include "model/register/declaration_actions.hpp"

#include "model/store/database.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/review_store.hpp"

namespace probity {
namespace {

// The organisation named in an interest: the one on record with that identifier, else with that
// name (ignoring case), else a new one. Runs inside the caller's transaction.
Id resolve_organisation(SQLite::Database& db, const InterestInput& input, const std::string& actor) {
  OrganisationStore orgs(db);
  if (auto o = orgs.find_by_identifier(input.organisation_identifier)) return o->id;
  auto same = orgs.select("WHERE lower(name) = lower(?)", [&](SQLite::Statement& s) { s.bind(1, input.organisation_name); });
  if (!same.empty()) return same.front().id;
  Organisation o;
  o.name = input.organisation_name;
  o.identifier = input.organisation_identifier;
  o.kind = OrganisationKind::other;
  orgs.save(o, actor);
  return o.id;
}

// An offer checked for submit: read with its outcome, classified, the outcome against the rules.
Result<GiftOffer> submitted_offer(SQLite::Database& db, Id person_id, const Fields& in, const GiftThresholds& thresholds,
                                  const Gift* editing) {
  auto checked = check_gift(db, person_id, in, true, thresholds, editing);
  if (!checked.saved) return checked;
  auto problems = gift_outcome_problems(checked.saved->gift, checked.saved->classification);
  if (!problems.empty()) return {std::nullopt, problems};
  return checked;
}

// Saves `record` as a new version and commits `tx`: the end of every action that succeeds.
template <typename Store, typename T>
Result<T> saved(SQLite::Database& db, WriteTransaction& tx, T record, const std::string& actor) {
  Store(db).save(record, actor);
  tx.commit();
  return {std::move(record), {}};
}

// Every change to a member's own record: in one transaction, find it (nullopt when it is not
// theirs), read the input against it with `read` (its problems: nothing written), `apply` what
// was read, and save the new version.
template <typename Store, typename T, typename Read, typename Apply>
std::optional<Result<T>> change_own(SQLite::Database& db, Id person_id, Id id, const std::string& actor, Read read, Apply apply) {
  WriteTransaction tx(db);
  auto record = find_own<Store>(db, person_id, id);
  if (!record) return std::nullopt;
  Problems problems;
  auto input = read(*record, problems);
  if (!input) return Result<T>{std::nullopt, problems};
  apply(*record, *input);
  return saved<Store>(db, tx, *record, actor);
}

}  // namespace

Result<Interest> declare_interest(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const std::string& actor) {
  WriteTransaction tx(db);
  Problems problems;
  auto input = read_interest(in, problems);
  if (!input) return {std::nullopt, problems};
  Interest i = input->interest;
  i.person_id = person_id;
  i.organisation_id = resolve_organisation(db, *input, actor);
  i.declared_on = today;
  i.status = DeclarationStatus::submitted;
  return saved<InterestStore>(db, tx, i, actor);
}

std::optional<Result<Interest>> change_interest(SQLite::Database& db, Id person_id, Id id, const Fields& in, bool review_required,
                                                const std::string& actor) {
  return change_own<InterestStore, Interest>(
      db, person_id, id, actor, [&](const Interest&, Problems& problems) { return read_interest(in, problems); },
      [&](Interest& i, const InterestInput& input) {
        const auto& n = input.interest;
        i.category = n.category;
        i.indirect = n.indirect;
        i.relationship = n.relationship;
        i.nature = n.nature;
        i.from = n.from;
        i.to = n.to;
        i.aware_on = n.aware_on;
        i.action_taken = n.action_taken;
        i.kind = n.kind;
        i.details = n.details;
        i.organisation_id = resolve_organisation(db, input, actor);
        // A changed entry goes back for review where review is on; a returned one is resubmitted.
        i.status = status_after_member_change(i.status, review_required);
      });
}

std::optional<Result<Interest>> end_interest(SQLite::Database& db, Id person_id, Id id, const Fields& in, const std::string& actor) {
  return change_own<InterestStore, Interest>(
      db, person_id, id, actor, [&](const Interest& i, Problems& problems) { return read_end_date(in, i, problems); },
      [](Interest& i, const Date& to) { i.to = to; });
}

Result<NilReturn> make_nil_return(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const std::string& actor) {
  WriteTransaction tx(db);
  Problems problems;
  auto n = read_nil_return(in, problems);
  if (!n) return {std::nullopt, problems};
  n->person_id = person_id;
  n->made_on = today;
  n->status = DeclarationStatus::submitted;
  return saved<NilReturnStore>(db, tx, *n, actor);
}

std::optional<Result<NilReturn>> change_nil_return(SQLite::Database& db, Id person_id, Id id, const Fields& in, bool review_required,
                                                   const std::string& actor) {
  return change_own<NilReturnStore, NilReturn>(
      db, person_id, id, actor, [&](const NilReturn&, Problems& problems) { return read_nil_return(in, problems); },
      [&](NilReturn& n, const NilReturn& input) {
        n.statement = input.statement;
        n.status = status_after_member_change(n.status, review_required);
      });
}

Result<GiftOffer> check_gift(SQLite::Database& db, Id person_id, const Fields& in, bool for_submit, const GiftThresholds& thresholds,
                             const Gift* editing) {
  Problems problems;
  auto g = read_gift(in, problems, for_submit);
  if (!g) return {std::nullopt, problems};
  g->person_id = person_id;
  if (editing) {
    g->id = editing->id;
    if (g->source == editing->source) g->organisation_id = editing->organisation_id;
  }
  auto classification = classify_offer(*g, GiftStore(db).for_person(person_id), thresholds);
  return {GiftOffer{*g, classification}, {}};
}

Result<GiftOffer> declare_gift(SQLite::Database& db, Id person_id, const Fields& in, const GiftThresholds& thresholds, const Date& today,
                               const std::string& actor) {
  // The running total is read in the transaction that writes, so two offers from one source
  // declared at the same moment are each judged with the other counted.
  WriteTransaction tx(db);
  auto offer = submitted_offer(db, person_id, in, thresholds, nullptr);
  if (!offer.saved) return offer;
  Gift& g = offer.saved->gift;
  g.declared_on = today;
  g.status = DeclarationStatus::submitted;
  GiftStore(db).save(g, actor);
  tx.commit();
  return offer;
}

std::optional<Result<GiftOffer>> change_gift(SQLite::Database& db, Id person_id, Id id, const Fields& in, const GiftThresholds& thresholds,
                                             bool review_required, const std::string& actor) {
  WriteTransaction tx(db);
  auto g = find_own<GiftStore>(db, person_id, id);
  if (!g) return std::nullopt;
  auto offer = submitted_offer(db, person_id, in, thresholds, &*g);
  if (!offer.saved) return offer;
  const Gift& n = offer.saved->gift;
  // A recorded approval was for the offer as it stood: a change to what was offered, by whom,
  // when or for how much means governance approves it again (the old approval stays in history).
  if (g->approved_on && (n.kind != g->kind || n.organisation_id != g->organisation_id || n.source != g->source ||
                         n.from_supplier != g->from_supplier || n.description != g->description ||
                         n.value_pence != g->value_pence || n.offered_on != g->offered_on || n.outcome != g->outcome)) {
    g->approved_on.reset();
    g->approver_role.clear();
    g->approval_reason.clear();
  }
  g->kind = n.kind;
  g->organisation_id = n.organisation_id;
  g->source = n.source;
  g->from_supplier = n.from_supplier;
  g->cash_or_voucher = n.cash_or_voucher;
  g->description = n.description;
  g->value_pence = n.value_pence;
  g->offered_on = n.offered_on;
  g->outcome = n.outcome;
  g->approved_by = n.approved_by;
  g->status = status_after_member_change(g->status, review_required);
  GiftStore(db).save(*g, actor);
  tx.commit();
  offer.saved->gift = *g;
  return offer;
}

}  // namespace probity
