#include "model/register/review_store.hpp"

#include <stdexcept>

#include "model/store/versioned_store.hpp"

namespace probity {
namespace {
constexpr const char* kColumns = "id, entity_kind, entity_id, version, decision, comment, reviewer, recorded_at";

Review read_review(SQLite::Statement& q) {
  Review r;
  r.id = q.getColumn(0).getInt64();
  r.entity_kind = q.getColumn(1).getString();
  r.entity_id = q.getColumn(2).getInt64();
  r.version = q.getColumn(3).getInt();
  r.decision = enum_from_db<ReviewDecision>(q.getColumn(4).getString());
  r.comment = q.getColumn(5).getString();
  r.reviewer = q.getColumn(6).getString();
  r.recorded_at = q.getColumn(7).getString();
  return r;
}
}  // namespace

bool is_reviewable_kind(const std::string& kind) { return kind == "interest" || kind == "gift" || kind == "nil_return"; }

DeclarationStatus status_after_member_change(DeclarationStatus current, bool review_required) {
  if (current == DeclarationStatus::returned || (review_required && current == DeclarationStatus::approved))
    return DeclarationStatus::submitted;
  return current;
}

Review ReviewStore::record(const std::string& entity_kind, Id entity_id, int version, ReviewDecision decision, const std::string& comment,
                           const std::string& reviewer) {
  if (!is_reviewable_kind(entity_kind)) throw std::invalid_argument("not a kind of declaration that is reviewed: " + entity_kind);
  // The member has to know what to put right, so a return always says why.
  if (decision == ReviewDecision::returned && comment.find_first_not_of(" \t\r\n") == std::string::npos)
    throw std::invalid_argument("a returned declaration needs a comment");
  require_transaction(db_);
  Review r{0, entity_kind, entity_id, version, decision, comment, reviewer, utc_timestamp_now()};
  SQLite::Statement ins(db_, "INSERT INTO reviews(entity_kind, entity_id, version, decision, comment, reviewer, recorded_at) VALUES (?,?,?,?,?,?,?)");
  ins.bind(1, r.entity_kind);
  ins.bind(2, static_cast<int64_t>(r.entity_id));
  ins.bind(3, r.version);
  ins.bind(4, std::string(to_string(r.decision)));
  ins.bind(5, r.comment);
  ins.bind(6, r.reviewer);
  ins.bind(7, r.recorded_at);
  ins.exec();
  r.id = db_.getLastInsertRowid();
  return r;
}

std::vector<Review> ReviewStore::for_entity(const std::string& entity_kind, Id entity_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kColumns + " FROM reviews WHERE entity_kind = ? AND entity_id = ? ORDER BY id");
  q.bind(1, entity_kind);
  q.bind(2, static_cast<int64_t>(entity_id));
  std::vector<Review> out;
  while (q.executeStep()) out.push_back(read_review(q));
  return out;
}

std::optional<Review> ReviewStore::latest_for(const std::string& entity_kind, Id entity_id) const {
  auto all = for_entity(entity_kind, entity_id);
  if (all.empty()) return std::nullopt;
  return all.back();
}

}  // namespace probity
