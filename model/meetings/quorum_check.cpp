#include "model/meetings/quorum_check.hpp"

#include <algorithm>
#include <string_view>

namespace probity {
namespace {

bool votes(const QuorumMember& m) {
  return m.role && (*m.role == CommitteeRole::chair || *m.role == CommitteeRole::vice_chair || *m.role == CommitteeRole::voting);
}

// "1 eligible lay member is" / "2 eligible lay members are" (with an optional gloss after the noun).
std::string count_of(int n, std::string_view noun, std::string_view gloss) {
  std::string out = std::to_string(n);
  out += " eligible ";
  out += noun;
  if (n != 1) out += 's';
  out += gloss;
  out += n == 1 ? " is" : " are";
  return out;
}

// Nothing is written (and no text made) when the minimum is met, as it is on most items.
void require_at_least(std::vector<QuorumFailure>& failures, const char* rule, int have, int need, std::string_view noun,
                      std::string_view gloss = {}) {
  if (have >= need) return;
  failures.push_back({rule, count_of(have, noun, gloss) + " present; the quorum needs at least " + std::to_string(need) + "."});
}

const QuorumMember* first_eligible(const std::vector<const QuorumMember*>& eligible, CommitteeRole role, bool lay_only,
                                   bool co_opted = false) {
  for (const auto* m : eligible)
    if (*m->role == role && m->co_opted == co_opted && (!lay_only || m->kind == PersonKind::lay)) return m;
  return nullptr;
}

// Why the chair is not presiding, for the note.
std::string chair_unavailable(const std::vector<QuorumMember>& present, const std::set<Id>& excluded, bool lay_chair) {
  for (const auto& m : present) {
    if (!m.role || *m.role != CommitteeRole::chair) continue;
    if (excluded.contains(m.person_id)) return "The chair, " + m.name + ", is excluded from this item";
    if (lay_chair && m.kind != PersonKind::lay) return "The chair, " + m.name + ", is not a lay member";
  }
  return "The chair is not present";
}

}  // namespace

const std::vector<Remedy>& guidance_remedies() {
  static const std::vector<Remedy> remedies = {
      {"defer", "Defer the item to a later meeting that can be quorate."},
      {"refer", "Refer the decision to another body, such as the governing body or NHS England."},
      {"co_opt", "Co-opt unconflicted members, for example from a neighbouring body or NHS England, as the terms of reference allow."},
      {"conflicts_panel", "Convene a conflicts panel of unconflicted members to take the decision."},
  };
  return remedies;
}

QuorumResult check_quorum(const QuorumRule& rule, const std::vector<QuorumMember>& present, const std::set<Id>& excluded,
                          const std::vector<Remedy>& remedies) {
  return check_quorum(rule, QuorumBodies{}, present, excluded, remedies);
}

QuorumResult check_quorum(const QuorumRule& rule, const QuorumBodies& bodies, const std::vector<QuorumMember>& present,
                          const std::set<Id>& excluded, const std::vector<Remedy>& remedies) {
  QuorumResult r;
  for (Id b : bodies.owning) r.by_body[b] = 0;
  for (const auto& [b, need] : rule.min_voting_from_body) r.by_body[b] = 0;
  std::vector<const QuorumMember*> eligible;
  for (const auto& m : present) {
    // Non-voting members and attendees may speak but never count (PCCC terms of reference).
    if (!votes(m) || excluded.contains(m.person_id)) continue;
    eligible.push_back(&m);
    ++r.eligible_voting;
    if (m.kind == PersonKind::lay) ++r.lay;
    if (m.kind == PersonKind::executive) ++r.executive;
    // Clinical input can come from a GP or another clinician (a secondary-care doctor, a nurse):
    // both kinds count towards min_clinical.
    if (m.kind == PersonKind::gp || m.kind == PersonKind::clinical) ++r.clinical;
    if (m.co_opted) ++r.co_opted;
    ++r.by_body[m.body_id];
  }

  require_at_least(r.failures, "min_voting", r.eligible_voting, rule.min_voting, "voting member");
  require_at_least(r.failures, "min_lay", r.lay, rule.min_lay, "lay member");
  require_at_least(r.failures, "min_executive", r.executive, rule.min_executive, "executive member");
  require_at_least(r.failures, "min_clinical", r.clinical, rule.min_clinical, "clinical member", " (GP or other clinician)");
  // A joint committee's terms of reference: members from each owning body, and from named bodies
  // (e.g. NHS England). One failure per body, at the larger of the two minimums that apply.
  std::vector<Id> order = bodies.owning;
  for (const auto& [b, need] : rule.min_voting_from_body)
    if (std::find(order.begin(), order.end(), b) == order.end()) order.push_back(b);
  for (Id b : order) {
    const bool owning = std::find(bodies.owning.begin(), bodies.owning.end(), b) != bodies.owning.end();
    const int each = owning ? rule.min_voting_each_body : 0;
    const auto named = rule.min_voting_from_body.find(b);
    const int from = named == rule.min_voting_from_body.end() ? 0 : named->second;
    if (r.by_body[b] >= std::max(each, from)) continue;
    const auto name = bodies.names.find(b);
    const std::string body = name != bodies.names.end() && !name->second.empty() ? name->second : "body " + std::to_string(b);
    require_at_least(r.failures, from >= each ? "min_voting_from_body" : "min_voting_each_body", r.by_body[b], std::max(each, from),
                     "voting member", " from " + body);
  }
  if (rule.lay_executive_majority && 2 * (r.lay + r.executive) <= r.eligible_voting)
    r.failures.push_back({"lay_executive_majority", "Lay and executive members are " + std::to_string(r.lay + r.executive) +
                                                        " of the " + std::to_string(r.eligible_voting) +
                                                        " eligible voting members; they must be more than half."});

  // A conflicted chair hands the item to the vice-chair; for a PCCC (lay_chair) the person
  // presiding must be a lay member.
  const QuorumMember* chair = first_eligible(eligible, CommitteeRole::chair, rule.lay_chair);
  const QuorumMember* vice = chair ? nullptr : first_eligible(eligible, CommitteeRole::vice_chair, rule.lay_chair);
  // A lay member of the committee first; a lay member co-opted for the item only when none is.
  const QuorumMember* lay_member = nullptr;
  if (!chair && !vice && rule.lay_member_may_preside) {
    lay_member = first_eligible(eligible, CommitteeRole::voting, true);
    if (!lay_member) lay_member = first_eligible(eligible, CommitteeRole::voting, true, true);
  }
  const std::string adjective = rule.lay_chair ? "lay " : "";
  if (chair) {
    r.presiding = Presiding{chair->person_id, CommitteeRole::chair};
    r.presiding_note = "The " + adjective + "chair, " + chair->name + ", presides.";
  } else if (vice) {
    r.presiding = Presiding{vice->person_id, CommitteeRole::vice_chair};
    r.presiding_note = chair_unavailable(present, excluded, rule.lay_chair) + ", so the " + adjective + "vice-chair, " +
                       vice->name + ", presides.";
  } else if (lay_member) {
    r.presiding = Presiding{lay_member->person_id, CommitteeRole::voting};
    r.presiding_note = chair_unavailable(present, excluded, rule.lay_chair) +
                       " and no vice-chair can take the item, so " + (lay_member->co_opted ? "a co-opted lay member, " : "a lay member, ") +
                       lay_member->name + ", presides, as the terms of reference allow.";
  } else if (rule.lay_chair) {
    r.presiding_note = rule.lay_member_may_preside
                           ? "No lay chair, lay vice-chair or other lay voting member is present and free of conflict to preside."
                           : "No lay chair or lay vice-chair is present and free of conflict to preside.";
    r.failures.push_back({"lay_chair", rule.lay_member_may_preside
                                           ? "The item must be chaired by a lay member, and no lay voting member is present and free of conflict."
                                           : "The item must be chaired by a lay chair or lay vice-chair, and neither is present and free of conflict."});
  } else {
    r.presiding_note =
        "Neither the chair nor a vice-chair is present and free of conflict; the members present choose one of their number to preside.";
  }

  r.quorate = r.failures.empty();
  if (!r.quorate) r.remedies = remedies;
  return r;
}

std::optional<std::string> membership_majority_problem(const QuorumRule& rule, const std::vector<QuorumMember>& members) {
  int voting = 0, lay_executive = 0;
  for (const auto& m : members) {
    if (!votes(m)) continue;
    ++voting;
    if (m.kind == PersonKind::lay || m.kind == PersonKind::executive) ++lay_executive;
  }
  if (voting == 0 || 2 * lay_executive > voting) return std::nullopt;
  const std::string counts = "Lay and executive members are " + std::to_string(lay_executive) + " of the committee's " +
                             std::to_string(voting) + " voting member" + (voting == 1 ? "" : "s") + ", not more than half.";
  return rule.lay_executive_majority
             ? counts + " Its terms of reference require a lay and executive majority, so even with every member present "
                        "no meeting can be quorate: add lay or executive voting members."
             : counts + " The national terms of reference for a primary care commissioning committee require a lay and "
                        "executive majority among voting members.";
}

}  // namespace probity
