#include "model/meetings/meeting_records.hpp"

#include "model/store/json.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {
template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

bool is_clock_time(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4])) return false;
  const int hours = (t[0] - '0') * 10 + (t[1] - '0');
  const int minutes = (t[3] - '0') * 10 + (t[4] - '0');
  return hours < 24 && minutes < 60;
}

std::optional<std::string> validation_error(const ConflictDecision& d) {
  // The minutes must say how each conflict was managed and by whom. A reason is needed only when
  // the decision departs from the flag's suggestion, which the caller checks with the flags
  // (decision_needs_reason in conflict_decisions.hpp): the store does not see them.
  if (is_blank(d.decided_by)) return "a decision must say who made it";
  return std::nullopt;
}

std::optional<std::string> validation_error(const MeetingDeclaration& d) {
  if (is_blank(d.text)) return "a declaration needs its text";
  return std::nullopt;
}

std::optional<std::string> validation_error(const RoomMovement& m) {
  if (!is_clock_time(m.left_at)) return "left_at must be a time as HH:MM";
  if (m.returned_at) {
    if (!is_clock_time(*m.returned_at)) return "returned_at must be a time as HH:MM";
    // "HH:MM" strings order as times do.
    if (*m.returned_at < m.left_at) return "returned_at must not be before left_at";
  }
  return std::nullopt;
}

std::optional<std::string> validation_error(const Breach& b) {
  if (is_blank(b.reason)) return "a breach needs a reason";
  if (b.status != BreachStatus::open && is_blank(b.resolution))
    return "confirming or dismissing a breach needs a resolution";
  if (b.status == BreachStatus::confirmed || b.status == BreachStatus::signed_off) {
    if (!b.happened_on) return "a confirmed breach needs the date it happened";
    if (is_blank(b.public_summary) || is_blank(b.public_action) || is_blank(b.public_lessons))
      return "a confirmed breach needs its published summary, action and lessons";
  }
  return std::nullopt;
}

void to_json(nlohmann::json& j, const ConflictDecision& e) {
  j = {{"id", e.id},           {"ref", e.ref},       {"meeting_id", e.meeting_id},
       {"agenda_item_id", e.agenda_item_id}, {"person_id", e.person_id}, {"action", std::string(to_string(e.action))},
       {"reason", e.reason},   {"decided_by", e.decided_by}};
}

void to_json(nlohmann::json& j, const MeetingDeclaration& e) {
  j = {{"id", e.id},     {"ref", e.ref},   {"meeting_id", e.meeting_id}, {"agenda_item_id", opt(e.agenda_item_id)},
       {"person_id", e.person_id}, {"text", e.text}, {"interest_id", opt(e.interest_id)}};
}

void to_json(nlohmann::json& j, const RoomMovement& e) {
  j = {{"id", e.id},          {"ref", e.ref},         {"meeting_id", e.meeting_id},
       {"person_id", e.person_id}, {"agenda_item_id", opt(e.agenda_item_id)}, {"left_at", e.left_at},
       {"returned_at", opt(e.returned_at)}};
}

void to_json(nlohmann::json& j, const Breach& e) {
  j = {{"id", e.id},         {"ref", e.ref},       {"person_id", e.person_id}, {"meeting_id", e.meeting_id},
       {"agenda_item_id", opt(e.agenda_item_id)}, {"reason", e.reason}, {"status", std::string(to_string(e.status))},
       {"resolution", e.resolution}, {"kind", std::string(to_string(e.kind))},
       {"happened_on", e.happened_on ? nlohmann::json(e.happened_on->iso()) : nlohmann::json(nullptr)},
       {"found_by", std::string(to_string(e.found_by))}, {"action_taken", e.action_taken}, {"lessons", e.lessons},
       {"public_summary", e.public_summary}, {"public_action", e.public_action}, {"public_lessons", e.public_lessons},
       {"guardian_note", e.guardian_note}};
  if (e.meeting_id == 0) j["meeting_id"] = nullptr;
}

}  // namespace probity
