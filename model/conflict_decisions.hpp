#pragma once
// From flags and what the chair decided to who takes part in each decision, and to the draft
// breaches governance must review. Pure functions over data.
#include <set>
#include <vector>

#include "model/conflict_flags.hpp"
#include "model/meeting_records.hpp"

namespace probity {

/// The people left out of the decision on one item, for quorum: by default everyone with a
/// `certain` flag on it; a recorded chair's decision overrides the default for that person
/// (participate keeps them in; no_vote, leave_room and papers_withheld take them out, whether or
/// not they were flagged); anyone recorded as having left the room for the item is out too.
/// Flags, decisions and movements for other items are ignored. Throws nothing.
std::set<Id> excluded_from_decision(Id agenda_item_id, const std::vector<ConflictFlag>& flags,
                                    const std::vector<ConflictDecision>& decisions,
                                    const std::vector<RoomMovement>& movements = {});

/// Draft breaches (status open) for each person with a `certain` flag on an item who made no
/// declaration at the meeting, neither for that item nor for the whole meeting; one per item
/// and person, its reason quoting the first certain flag. Throws nothing.
std::vector<Breach> draft_breaches(Id meeting_id, const std::vector<ItemFlags>& flags,
                                   const std::vector<MeetingDeclaration>& declarations);

}  // namespace probity
