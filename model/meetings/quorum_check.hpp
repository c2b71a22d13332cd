#pragma once
// Quorum per agenda item: once conflicted members are excluded from the decision, is
// the committee still quorate under its terms of reference, who presides, which rules fail, and
// what the guidance offers when it is not. The software says what fails; it does not decide.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// Someone present at the meeting, as quorum sees them.
struct QuorumMember {
  Id person_id = 0;
  std::string name;
  PersonKind kind = PersonKind::officer;
  std::optional<CommitteeRole> role;  // nullopt: an attendee, not a member
  // Co-opted from another body (or NHS England) as a voting member for the meeting or the item:
  // `role` is then voting, and they count for quorum like any voting member.
  bool co_opted = false;
  std::string co_opted_from{};
  // Their home body: a joint committee's per-body minimums count members by it (a co-opted
  // member counts for the body they are from, which is their home body).
  Id body_id = kDefaultBody;
};

/// The bodies quorum needs to know for a joint committee's rules: the committee's owning bodies
/// (min_voting_each_body applies to each) and every body's shown name, for the failures' words.
struct QuorumBodies {
  std::vector<Id> owning{kDefaultBody};
  std::map<Id, std::string> names{};
};

struct Presiding {
  Id person_id = 0;
  // chair, vice_chair, or voting: another lay voting member, where the terms of reference allow
  CommitteeRole role = CommitteeRole::chair;
};

struct QuorumFailure {
  std::string rule;    // the QuorumRule field that fails: min_voting, min_lay, ..., lay_chair
  std::string reason;  // plain English, with the counts
};

/// An option open to the committee when an item is inquorate.
struct Remedy {
  std::string code;
  std::string description;
};

struct QuorumResult {
  bool quorate = true;
  int eligible_voting = 0;
  int lay = 0;
  int executive = 0;
  int clinical = 0;  // gp and clinical kinds
  int co_opted = 0;  // of eligible_voting, how many are co-opted
  // Eligible voting members by home body: every owning body and every body named in the rule
  // (zero when none is present), and any other body with someone counted.
  std::map<Id, int> by_body;
  std::optional<Presiding> presiding;
  std::string presiding_note;  // who presides and why (or why nobody can)
  std::vector<QuorumFailure> failures;
  std::vector<Remedy> remedies;  // empty when quorate
};

/// The options local constitutions give when exclusions leave an item inquorate (guidance):
/// defer, refer to another body, co-opt unconflicted members, convene a conflicts panel.
const std::vector<Remedy>& guidance_remedies();

/// Evaluates `rule` on the members present, leaving out `excluded` people (conflicted and
/// managed by exclusion). Non-voting members and attendees never count; co-opted voting members
/// do. Who presides: the chair, then the vice-chair (both lay when `rule.lay_chair`), then, when
/// `rule.lay_member_may_preside`, the first other lay voting member present and free of
/// conflict: a member of the committee first, a co-opted lay member only when there is none. `remedies` are listed
/// only when inquorate (pass a body's own list to override the guidance's). Throws nothing.
QuorumResult check_quorum(const QuorumRule& rule, const std::vector<QuorumMember>& present, const std::set<Id>& excluded,
                          const std::vector<Remedy>& remedies = guidance_remedies());

/// The same for a committee owned by `bodies.owning` (a joint committee when several): on top of
/// the rules above, at least `rule.min_voting_each_body` eligible voting members from each owning
/// body, and at least `rule.min_voting_from_body[b]` from each body named there, counted by home
/// body (`QuorumMember::body_id`). One failure per body short of its minimum (the larger when both
/// apply), rule `min_voting_each_body` or `min_voting_from_body`, naming the body ("0 eligible
/// voting members from NHS England are present; the quorum needs at least 1."). A body missing
/// from `bodies.names` is called "body <id>". Throws nothing.
QuorumResult check_quorum(const QuorumRule& rule, const QuorumBodies& bodies, const std::vector<QuorumMember>& present,
                          const std::set<Id>& excluded, const std::vector<Remedy>& remedies = guidance_remedies());

/// Why the committee's membership cannot give a lay and executive majority among its voting
/// members (`members`: everyone in post, with their role), or nullopt when it does. Checked on
/// the membership itself, so a committee set up without the majority is warned before any
/// meeting: with `rule.lay_executive_majority` no meeting of all its members could be quorate.
/// Throws nothing.
std::optional<std::string> membership_majority_problem(const QuorumRule& rule, const std::vector<QuorumMember>& members);

}  // namespace probity
