#include "model/register/gift_approval.hpp"

#include "model/base/text.hpp"
#include "model/register/declaration_store.hpp"
#include "model/store/database.hpp"

namespace probity {

std::optional<Result<Gift>> record_gift_approval(SQLite::Database& db, Id id, const Fields& in, const Date& today,
                                                 const GiftThresholds& thresholds, const std::string& actor) {
  WriteTransaction tx(db);
  GiftStore store(db);
  auto gift = store.find(id);
  if (!gift) return std::nullopt;
  Problems problems;
  const std::string by = in.text("approved_by", "Name of the approver", kShortTextMax, problems, "Enter the name of the senior manager who approved it");
  const std::string role = in.text("approver_role", "Their role", kShortTextMax, problems, "Enter the approver's role, for example Director of Finance");
  const std::string reason = in.text("approval_reason", "Reason for approval", kLongTextMax, problems, "Enter why it was approved");
  if (!needs_recorded_approval(*gift, thresholds))
    problems.add("approval", "Only hospitality from a supplier or contractor needs approval recorded here");
  else if (gift->outcome != GiftOutcome::accepted)
    problems.add("approval", "This hospitality was declined: there is nothing to approve");
  else if (gift->approved_on)
    problems.add("approval", "Approval of this hospitality is already recorded");
  if (!problems.empty()) return Result<Gift>{std::nullopt, problems};
  gift->approved_by = by;
  gift->approver_role = role;
  gift->approval_reason = reason;
  gift->approved_on = today;
  store.save(*gift, actor);
  tx.commit();
  return Result<Gift>{gift, {}};
}

}  // namespace probity
