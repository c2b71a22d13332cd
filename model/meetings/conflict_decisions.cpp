#include "model/meetings/conflict_decisions.hpp"

#include <map>

namespace probity {

std::set<Id> excluded_from_decision(Id agenda_item_id, const std::vector<ConflictFlag>& flags,
                                    const std::vector<ConflictDecision>& decisions,
                                    const std::vector<RoomMovement>& movements) {
  // The default: every certain conflict is managed by exclusion until the chair
  // records otherwise; a possible conflict is the chair's call and does not exclude by itself.
  std::set<Id> excluded;
  for (const auto& f : flags)
    if (f.agenda_item_id == agenda_item_id && f.confidence == Confidence::certain) excluded.insert(f.person_id);
  for (const auto& d : decisions) {
    if (d.agenda_item_id != agenda_item_id) continue;
    if (excludes_from_decision(d.action)) excluded.insert(d.person_id);
    else excluded.erase(d.person_id);
  }
  // Someone out of the room for the item cannot count towards its quorum, whatever was decided.
  for (const auto& m : movements)
    if (m.agenda_item_id && *m.agenda_item_id == agenda_item_id) excluded.insert(m.person_id);
  return excluded;
}

std::optional<ManagementAction> suggested_decision(const ConflictFlag& flag) {
  if (flag.confidence != Confidence::certain) return std::nullopt;
  return flag.financial ? ManagementAction::leave_room : ManagementAction::no_vote;
}

std::optional<ManagementAction> suggested_decision(Id agenda_item_id, Id person_id, const std::vector<ConflictFlag>& flags) {
  bool flagged = false;
  std::optional<ManagementAction> strongest;
  for (const auto& f : flags) {
    if (f.agenda_item_id != agenda_item_id || f.person_id != person_id) continue;
    flagged = true;
    // The enum runs from mildest to strongest, so the larger suggestion is the stronger one.
    if (auto s = suggested_decision(f); s && (!strongest || *s > *strongest)) strongest = s;
  }
  if (!flagged) return ManagementAction::participate;
  return strongest;
}

bool decision_needs_reason(const std::optional<ManagementAction>& suggested, ManagementAction action) {
  return suggested && *suggested != action;
}

std::string management_action_label(const std::string& action) {
  static const std::map<std::string, std::string> labels = {
      {"participate", "Take full part"},
      {"no_vote", "Discussion, no vote"},
      {"leave_room", "Leave the room for the item"},
      {"papers_withheld", "Leave the room; papers withheld"}};
  auto it = labels.find(action);
  return it == labels.end() ? action : it->second;
}

std::optional<std::string> missing_reason(const std::optional<ManagementAction>& suggested, ManagementAction action,
                                          const std::string& reason) {
  // Following the suggestion needs no explanation; departing from it does.
  if (!reason.empty() || !decision_needs_reason(suggested, action)) return std::nullopt;
  return "Enter the reason for departing from the suggested decision (" + management_action_label(std::string(to_string(*suggested))) +
         "), as it should appear in the minutes";
}

std::vector<Breach> draft_breaches(Id meeting_id, const std::vector<ItemFlags>& flags,
                                   const std::vector<MeetingDeclaration>& declarations) {
  std::set<Id> whole_meeting;
  std::set<std::pair<Id, Id>> for_item;  // (item, person)
  for (const auto& d : declarations) {
    if (d.meeting_id != meeting_id) continue;
    if (d.agenda_item_id) for_item.emplace(*d.agenda_item_id, d.person_id);
    else whole_meeting.insert(d.person_id);
  }
  std::vector<Breach> out;
  for (const auto& item : flags) {
    std::set<Id> done;
    for (const auto& f : item.flags) {
      if (f.confidence != Confidence::certain || done.contains(f.person_id)) continue;
      if (whole_meeting.contains(f.person_id) || for_item.contains({item.agenda_item_id, f.person_id})) continue;
      done.insert(f.person_id);
      // The typical published breach: an interest already on the register not declared at the item.
      Breach b;
      b.person_id = f.person_id;
      b.meeting_id = meeting_id;
      b.agenda_item_id = item.agenda_item_id;
      b.reason = "No declaration was recorded at the meeting, although: " + f.reason;
      out.push_back(std::move(b));
    }
  }
  return out;
}

}  // namespace probity
