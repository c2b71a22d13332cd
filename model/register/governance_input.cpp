#include "model/register/governance_input.hpp"

#include <algorithm>

#include "model/base/text.hpp"

namespace probity {

std::optional<ReviewInput> read_review(const Fields& in, Problems& problems) {
  ReviewInput out;
  const auto decision = in.get("decision");
  if (decision == "approve" || decision == "approved") out.decision = ReviewDecision::approved;
  else if (decision == "return" || decision == "returned") out.decision = ReviewDecision::returned;
  else problems.add("decision", "Select whether to approve it or return it to the member");
  const bool needs_comment = out.decision == ReviewDecision::returned && !problems.has("decision");
  out.comment = in.text("comment", "Comment", kLongTextMax, problems, needs_comment ? "Enter a comment saying what the member should change" : "");
  const auto version = in.get("version");
  if (!version.empty()) {
    if (version.size() > 9 || !std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; }))
      problems.add("version", "Version must be a whole number");
    else out.version = std::stoi(version);
  }
  if (!problems.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> read_withhold_reason(const Fields& in, Problems& problems) {
  const auto reason = in.text("reason", "Reason", kLongTextMax, problems, "Enter the reason for withholding this entry");
  if (!problems.empty()) return std::nullopt;
  return reason;
}

std::optional<Date> read_left_on(const Fields& in, Problems& problems) {
  const auto text = in.get("left_on");
  if (text.empty()) {
    problems.add("left_on", "Enter the date they left");
    return std::nullopt;
  }
  auto d = Date::parse(text);
  if (!d || d->year() < 1900 || d->year() > 2200) {
    problems.add("left_on", "The date they left must be a real date");
    return std::nullopt;
  }
  return d;
}

Result<ReviewAnswer> review_entry(SQLite::Database& db, const std::string& kind, Id id, const Fields& in, const std::string& actor) {
  Problems problems;
  auto input = read_review(in, problems);
  if (!input) return {std::nullopt, problems};
  return {ReviewAnswer{input->decision, review_declaration(db, kind, id, input->decision, input->comment, input->version, actor)}, {}};
}

std::optional<Result<Interest>> withhold_interest(SQLite::Database& db, Id id, const Fields& in, const std::string& actor) {
  Problems problems;
  auto reason = read_withhold_reason(in, problems);
  if (!reason) return Result<Interest>{std::nullopt, problems};
  auto withheld = set_interest_withheld(db, id, true, *reason, actor);
  if (!withheld) return std::nullopt;
  return Result<Interest>{withheld, {}};
}

std::optional<Result<LeaverResult>> record_leaver(SQLite::Database& db, Id person_id, const Fields& in, const std::string& actor,
                                                  Instant now) {
  Problems problems;
  auto left_on = read_left_on(in, problems);
  if (!left_on) return Result<LeaverResult>{std::nullopt, problems};
  auto left = mark_person_left(db, person_id, *left_on, actor, now);
  if (!left) return std::nullopt;
  return Result<LeaverResult>{left, {}};
}

}  // namespace probity
