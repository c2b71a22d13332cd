#pragma once
// From flags and what the chair decided to who takes part in each decision, and to the draft
// breaches governance must review. Pure functions over data.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/meetings/conflict_flags.hpp"
#include "model/meetings/meeting_records.hpp"

namespace probity {

/// The people left out of the decision on one item, for quorum: by default everyone with a
/// `certain` flag on it; a recorded chair's decision overrides the default for that person
/// (participate keeps them in; no_vote, leave_room and papers_withheld take them out, whether or
/// not they were flagged); anyone recorded as having left the room for the item is out too.
/// Flags, decisions and movements for other items are ignored. Throws nothing.
std::set<Id> excluded_from_decision(Id agenda_item_id, const std::vector<ConflictFlag>& flags,
                                    const std::vector<ConflictDecision>& decisions,
                                    const std::vector<RoomMovement>& movements = {});

/// The decision the guidance suggests for one flag: leave_room for a certain financial conflict,
/// no_vote for a certain non-financial one; nullopt for a possible conflict (the chair decides on
/// the facts). Matches the flag's suggested_action text. Throws nothing.
std::optional<ManagementAction> suggested_decision(const ConflictFlag& flag);

/// The decision suggested for one person on one item: the strongest of their flags' suggestions;
/// participate when they have no flag on it (the default: they take part); nullopt when their
/// flags there are all possible ones. Throws nothing.
std::optional<ManagementAction> suggested_decision(Id agenda_item_id, Id person_id, const std::vector<ConflictFlag>& flags);

/// True when a chair's decision needs a reason for the minutes: it departs from the suggestion
/// (the chair can record a different decision, with a reason). Following the suggestion, or
/// deciding a possible conflict (no suggestion), needs none. Throws nothing.
bool decision_needs_reason(const std::optional<ManagementAction>& suggested, ManagementAction action);

/// Plain-English label of a management action code ("no_vote" -> "Discussion, no vote"); an
/// unknown code is returned as it is. Throws nothing.
std::string management_action_label(const std::string& action);

/// What is wrong with a decision recorded with `reason`: nullopt when it needs none
/// (decision_needs_reason) or has one; otherwise the message asking for the reason for departing
/// from the suggestion, naming it. Throws nothing.
std::optional<std::string> missing_reason(const std::optional<ManagementAction>& suggested, ManagementAction action,
                                          const std::string& reason);

/// Draft breaches (status open) for each person with a `certain` flag on an item who made no
/// declaration at the meeting, neither for that item nor for the whole meeting; one per item
/// and person, its reason quoting the first certain flag. Throws nothing.
std::vector<Breach> draft_breaches(Id meeting_id, const std::vector<ItemFlags>& flags,
                                   const std::vector<MeetingDeclaration>& declarations);

}  // namespace probity
