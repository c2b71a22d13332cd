#include "model/register/withholding_requests.hpp"

#include "model/base/text.hpp"
#include "model/register/declaration_store.hpp"
#include "model/store/database.hpp"

namespace probity {

void to_json(nlohmann::json& j, const WithholdingRequest& r) {
  j = {{"id", r.id},
       {"ref", r.ref},
       {"interest_id", r.interest_id},
       {"person_id", r.person_id},
       {"reason", r.reason},
       {"status", std::string(to_string(r.status))},
       {"governance_note", r.governance_note},
       {"guardian_reason", r.guardian_reason},
       {"withhold_name", r.withhold_name}};
}

std::optional<Result<WithholdingRequest>> request_withholding(SQLite::Database& db, Id person_id, Id interest_id,
                                                              const Fields& in, const std::string& actor) {
  WriteTransaction tx(db);
  const auto interest = InterestStore(db).find(interest_id);
  if (!interest || interest->person_id != person_id) return std::nullopt;
  Problems p;
  WithholdingRequest r;
  r.interest_id = interest_id;
  r.person_id = person_id;
  r.reason = in.text("reason", "Reason", kLongTextMax, p, "Enter why this entry should be withheld");
  if (interest->withheld) p.add("reason", "This entry is already withheld from the public register");
  WithholdingRequestStore store(db);
  for (const auto& other : store.for_interest(interest_id))
    if (other.status == WithholdingStatus::requested || other.status == WithholdingStatus::forwarded)
      p.add("reason", "You have already asked for this entry to be withheld: the request awaits a decision");
  if (!p.empty()) return Result<WithholdingRequest>{std::nullopt, p};
  store.save(r, actor);
  tx.commit();
  return Result<WithholdingRequest>{r, {}};
}

std::optional<Result<WithholdingRequest>> forward_withholding_request(SQLite::Database& db, Id request_id, const Fields& in,
                                                                      const std::string& actor) {
  WriteTransaction tx(db);
  WithholdingRequestStore store(db);
  auto r = store.find(request_id);
  if (!r) return std::nullopt;
  Problems p;
  const auto note = in.text("note", "Note for the Guardian", kLongTextMax, p, "Enter a note for the Guardian");
  if (r->status != WithholdingStatus::requested) p.add("note", "This request has already been forwarded to the Guardian");
  if (!p.empty()) return Result<WithholdingRequest>{std::nullopt, p};
  r->governance_note = note;
  r->status = WithholdingStatus::forwarded;
  store.save(*r, actor);
  tx.commit();
  return Result<WithholdingRequest>{*r, {}};
}

std::optional<Result<WithholdingRequest>> decide_withholding_request(SQLite::Database& db, Id request_id, const Fields& in,
                                                                     const std::string& actor) {
  WriteTransaction tx(db);
  WithholdingRequestStore store(db);
  auto r = store.find(request_id);
  if (!r) return std::nullopt;
  Problems p;
  const auto decision = in.one_of("decision", {"agree", "refuse"}, "Select agree or refuse", p);
  if (!decision && !p.has("decision")) p.add("decision", "Select agree or refuse");
  const auto reason = in.text("reason", "Reason", kLongTextMax, p, "Enter the reason for your decision");
  if (r->status != WithholdingStatus::forwarded) p.add("decision", "This request is not awaiting the Guardian's decision");
  if (!p.empty()) return Result<WithholdingRequest>{std::nullopt, p};
  const bool agreed = *decision == 0;
  r->status = agreed ? WithholdingStatus::agreed : WithholdingStatus::refused;
  r->guardian_reason = reason;
  r->withhold_name = agreed && in.checked("withhold_name");
  store.save(*r, actor);
  if (agreed) {
    InterestStore interests(db);
    if (auto interest = interests.find(r->interest_id)) {
      interest->withheld = true;
      interest->withheld_reason = reason;
      interests.save(*interest, actor);
    }
  }
  tx.commit();
  return Result<WithholdingRequest>{*r, {}};
}

std::set<Id> names_withheld(SQLite::Database& db) {
  std::set<Id> out;
  SQLite::Statement q(db, "SELECT DISTINCT person_id FROM withholding_request_current WHERE status = 'agreed' AND withhold_name = 1");
  while (q.executeStep()) out.insert(q.getColumn(0).getInt64());
  return out;
}

}  // namespace probity
