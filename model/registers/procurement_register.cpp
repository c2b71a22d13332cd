#include "model/registers/procurement_register.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "model/base/money.hpp"
#include "model/base/text.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/meetings/meeting_minutes.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/public/csv.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/store/database.hpp"
#include "model/store/json.hpp"

namespace probity {
namespace {

const std::string kProcurementWithheld = "An interest that is withheld from the public register";
const std::string kProcurementUnpublished = "A conflict found on the register of interests, whose details are not published";

// Who reads a row, and for the public the publication rules the register applies.
struct ProcurementReading {
  ProcurementAudience audience;
  const PublicationRules& rules;
  const Date& today;
};

// True when the public may read the flag's reason: every interest and gift behind it is on the
// public register (a flag on a person's own practice or role rests on neither).
bool flag_is_public(SQLite::Database& db, const ConflictFlag& flag, const ProcurementReading& reading) {
  InterestStore interests(db);
  for (Id id : flag.interest_ids) {
    std::vector<Interest> versions;
    for (auto& v : interests.history(id)) versions.push_back(std::move(v.entity));
    auto version = public_version(versions, reading.rules.review_required);
    if (!version || version->withheld || !publicly_visible(*version, reading.today, reading.rules)) return false;
  }
  GiftStore gifts(db);
  for (Id id : flag.gift_ids) {
    auto gift = gifts.find(id);
    if (!gift || !is_published(gift->status, reading.rules.review_required)) return false;
  }
  return true;
}

// "125000.50" -> "£125,000.50"; whole pounds without pence.
std::string procurement_pounds(std::int64_t pence) {
  std::string text = format_pounds(pence);
  std::string pence_part;
  if (auto dot = text.find('.'); dot != std::string::npos) {
    pence_part = text.substr(dot);
    text.resize(dot);
  }
  if (pence_part == ".00") pence_part.clear();
  std::string grouped;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (text.size() - i) % 3 == 0) grouped += ',';
    grouped += text[i];
  }
  return "£" + grouped + pence_part;
}

// Reads the editable fields over `base`: a field not sent keeps its value (the API may send only
// what changes; the forms always send every field).
ProcurementDecision read_procurement_fields(const Fields& in, ProcurementDecision base, bool by_hand, Problems& p) {
  if (in.has("subject") || by_hand)
    base.subject = in.text("subject", "What was bought", kShortTextMax, p, "Enter what was bought: the contract or service");
  if (in.has("route")) {
    const std::string route = in.get("route");
    bool known = route.empty();
    for (const auto& [code, label] : procurement_routes()) known = known || code == route;
    if (!known) p.add("route", "Select the procurement route");
    else base.route = route;
  }
  if (in.has("decided_by") || by_hand)
    base.decided_by = in.text("decided_by", "Who decided", kShortTextMax, p,
                              "Enter who made the decision: the body or committee, or the post under delegated authority");
  if (in.has("decided_on") || by_hand) base.decided_on = in.date("decided_on", "date of the decision", p, by_hand);
  if (in.has("value")) {
    std::string text = in.get("value");
    std::string cleaned;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == ',') continue;
      if (i == 0 && text.compare(0, 2, "£") == 0) {
        ++i;
        continue;
      }
      cleaned += text[i];
    }
    if (cleaned.empty()) base.value_pence.reset();
    else if (auto pence = parse_pounds(cleaned)) base.value_pence = *pence;
    else p.add("value", "Enter the value in pounds, like 125000 or 125000.50, or leave it empty when it is not published");
  }
  if (in.has("provider")) base.provider = in.text("provider", "Provider chosen", kShortTextMax, p);
  if (in.has("participants")) base.participants = in.text("participants", "Who took part", kLongTextMax, p);
  if (in.has("conflicts")) base.conflicts = in.text("conflicts", "Conflicts and how they were managed", kLongTextMax, p);
  return base;
}

const std::vector<std::string> kProcurementFieldOrder = {"subject", "route", "decided_by", "decided_on", "value",
                                                         "provider", "participants", "conflicts", "meeting"};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = trim(text.substr(start, end - start));
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

bool interest_withheld(SQLite::Database& db, Id interest_id) {
  SQLite::Statement q(db, "SELECT withheld FROM interest_current WHERE id = ?");
  q.bind(1, interest_id);
  return q.executeStep() && q.getColumn(0).getInt() != 0;
}

// The meeting's part of a row: participants, conflicts, quorum and remedy, read from what was
// recorded at the meeting (the chair's decisions, declarations, movements, outcome) and the
// conflicts report (who was present and excluded, quorum).
void fill_from_meeting(SQLite::Database& db, ProcurementRow& row, const ProcurementReading& reading) {
  const auto audience = reading.audience;
  const auto& d = row.decision;
  auto report = build_conflicts_report(db, *d.meeting_id, ReportAudience::governance);
  if (!report) return;
  row.committee = report->committee.name;
  row.meeting_title = report->meeting.title;
  row.meeting_date = report->meeting.date;
  row.minutes_published = report->meeting.published;
  if (report->meeting.published) row.minutes_href = "/meetings/" + std::to_string(report->meeting.id) + "/minutes";
  const ReportItem* item = nullptr;
  int number = 0;
  for (const auto& it : report->items) {
    ++number;
    if (d.agenda_item_id && it.item.id == *d.agenda_item_id) {
      item = &it;
      row.item_number = number;
    }
  }
  if (!item) return;
  row.item_title = item->item.title;

  std::map<Id, std::string> names;
  for (const auto& p : report->participants) names[p.person.id] = p.person.name;
  for (const auto& p : report->participants) {
    if (item->excluded.count(p.person.id)) continue;
    if (!p.role || *p.role == CommitteeRole::non_voting) continue;
    row.participants.push_back(p.person.name);
  }
  for (const auto& c : report->co_opted) {
    if (c.stood_down || !c.agenda_item_id || *c.agenda_item_id != item->item.id || item->excluded.count(c.person_id)) continue;
    auto n = names.find(c.person_id);
    if (n != names.end() && std::find(row.participants.begin(), row.participants.end(), n->second) == row.participants.end())
      row.participants.push_back(n->second + " (co-opted from " + c.from_body + ")");
  }

  // Conflicts: everyone with a chair's decision on the item or a declaration for it.
  std::vector<Id> order;
  std::map<Id, ProcurementConflict> by_person;
  auto entry = [&](Id person) -> ProcurementConflict& {
    if (!by_person.count(person)) {
      order.push_back(person);
      auto n = names.find(person);
      by_person[person].person = n != names.end() ? n->second : "";
    }
    return by_person[person];
  };
  for (const auto& decl : MeetingDeclarationStore(db).for_meeting(*d.meeting_id)) {
    if (!decl.agenda_item_id || *decl.agenda_item_id != item->item.id) continue;
    auto& c = entry(decl.person_id);
    if (decl.interest_id && interest_withheld(db, *decl.interest_id)) {
      c.withheld = true;
      c.declared.push_back(audience == ProcurementAudience::public_reader ? kProcurementWithheld : decl.text);
    } else {
      c.declared.push_back(decl.text);
    }
  }
  for (const auto& f : item->flags) {
    if (!f.decision) continue;
    auto& c = entry(f.flag.person_id);
    c.action = std::string(to_string(f.decision->action));
    c.managed = describe_action(f.decision->action);
    c.reason = f.decision->reason;
  }
  for (const auto& dec : ConflictDecisionStore(db).for_meeting(*d.meeting_id)) {
    if (dec.agenda_item_id != item->item.id) continue;
    auto& c = entry(dec.person_id);
    c.action = std::string(to_string(dec.action));
    c.managed = describe_action(dec.action);
    c.reason = dec.reason;
  }
  // A certain conflict with no chair's decision: left out of the decision, the default.
  for (const auto& f : item->flags) {
    if (f.decision || f.flag.confidence != Confidence::certain || !item->excluded.count(f.flag.person_id)) continue;
    auto& c = entry(f.flag.person_id);
    if (c.managed.empty()) c.managed = "Took no part in the decision (a certain conflict, excluded by default)";
  }
  // What the register says of each conflict, where nothing was declared at the meeting: the
  // certain flags; one resting on withheld interests says only that.
  for (Id person : order) {
    auto& c = by_person[person];
    if (c.managed.empty()) c.managed = "No decision was recorded";
    if (!c.declared.empty()) continue;
    for (const auto& f : item->flags) {
      if (f.flag.person_id != person || f.flag.confidence != Confidence::certain) continue;
      if (f.flag.withheld) {
        c.withheld = true;
        const std::string text = audience == ProcurementAudience::public_reader ? kProcurementWithheld : f.flag.reason;
        if (std::find(c.declared.begin(), c.declared.end(), text) == c.declared.end()) c.declared.push_back(text);
      } else if (audience == ProcurementAudience::governance || flag_is_public(db, f.flag, reading)) {
        c.declared.push_back(f.flag.reason);
      } else if (std::find(c.declared.begin(), c.declared.end(), kProcurementUnpublished) == c.declared.end()) {
        c.declared.push_back(kProcurementUnpublished);
      }
    }
    if (c.declared.empty()) c.declared.push_back("A conflict recorded by the chair");
  }
  for (Id person : order) row.conflicts.push_back(std::move(by_person[person]));

  row.quorate = item->quorum.quorate;
  for (const auto& fail : item->quorum.failures) row.quorum_failures.push_back(fail.reason);
  row.presided_by = item->quorum.presiding_note;
  if (item->outcome) {
    row.remedy = item->outcome->remedy;
    if (!row.remedy.empty()) row.remedy_label = remedy_label(row.remedy);
    if (!item->outcome->presided_by.empty()) row.presided_by = item->outcome->presided_by;
  }
}

ProcurementRow make_row(SQLite::Database& db, ProcurementDecision d, const ProcurementReading& reading) {
  ProcurementRow row;
  row.decision = std::move(d);
  row.route_label = procurement_route_label(row.decision.route);
  if (row.decision.value_pence) row.value_text = procurement_pounds(*row.decision.value_pence);
  if (row.decision.meeting_id) {
    fill_from_meeting(db, row, reading);
  } else {
    row.participants = split_lines(row.decision.participants);
    row.conflicts_text = row.decision.conflicts;
  }
  return row;
}

}  // namespace

void to_json(nlohmann::json& j, const ProcurementDecision& e) {
  const auto opt_id = [](const std::optional<Id>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  j = {{"id", e.id},
       {"ref", e.ref},
       {"subject", e.subject},
       {"route", e.route},
       {"decided_by", e.decided_by},
       {"meeting_id", opt_id(e.meeting_id)},
       {"agenda_item_id", opt_id(e.agenda_item_id)},
       {"decided_on", e.decided_on ? nlohmann::json(e.decided_on->iso()) : nlohmann::json(nullptr)},
       {"value_pence", e.value_pence ? nlohmann::json(*e.value_pence) : nlohmann::json(nullptr)},
       {"provider", e.provider},
       {"participants", e.participants},
       {"conflicts", e.conflicts},
       {"status", e.status}};
}

const std::vector<std::pair<std::string, std::string>>& procurement_routes() {
  static const std::vector<std::pair<std::string, std::string>> routes = {
      {"competitive_tender", "Competitive tender"},
      {"direct_award", "Direct award"},
      {"framework_call_off", "Call-off from a framework"},
      {"contract_variation", "Contract variation or extension"},
      {"other", "Other route"}};
  return routes;
}

std::string procurement_route_label(std::string_view code) {
  for (const auto& [c, label] : procurement_routes())
    if (c == code) return label;
  return code.empty() ? "Not recorded yet" : std::string(code);
}

bool is_procurement_category(AgendaCategory c) {
  switch (c) {
    case AgendaCategory::procurement:
    case AgendaCategory::gp_contract:
    case AgendaCategory::enhanced_service:
    case AgendaCategory::local_incentive_scheme:
    case AgendaCategory::pharmacy_service:
    case AgendaCategory::dental_service:
    case AgendaCategory::optometry_service:
    case AgendaCategory::practice_merger:
      return true;
    default:
      return false;
  }
}

std::vector<ProcurementDecision> draft_procurement_decisions(SQLite::Database& db, Id meeting_id, const std::string& actor) {
  require_transaction(db);
  auto meeting = MeetingStore(db).find(meeting_id);
  if (!meeting) throw std::invalid_argument("no meeting with that id");
  const auto committee = CommitteeStore(db).find(meeting->committee_id);
  ProcurementDecisionStore store(db);
  std::vector<ProcurementDecision> out;
  for (const auto& item : AgendaItemStore(db).for_meeting(meeting_id)) {
    if (!is_procurement_category(item.category) || store.for_item(item.id)) continue;
    ProcurementDecision d;
    d.subject = item.title;
    d.decided_by = committee ? committee->name : "";
    d.meeting_id = meeting_id;
    d.agenda_item_id = item.id;
    d.decided_on = meeting->date;
    store.save(d, actor);
    out.push_back(d);
  }
  return out;
}

Result<HeldMeeting> mark_held_and_draft(SQLite::Database& db, const MeetingActor& actor, Id meeting_id) {
  auto held = mark_held(db, actor, meeting_id);  // its own transaction
  if (!held.saved) return held;
  AtomicWrite tx(db);
  draft_procurement_decisions(db, meeting_id, actor.audit_name);
  tx.commit();
  return held;
}

Result<ProcurementDecision> add_procurement_decision(SQLite::Database& db, const Fields& in, const std::string& actor,
                                                     const std::string& ref) {
  Problems p;
  auto d = read_procurement_fields(in, ProcurementDecision{}, true, p);
  d.ref = ref;
  if (!p.empty()) return {std::nullopt, p.ordered(kProcurementFieldOrder)};
  AtomicWrite tx(db);
  ProcurementDecisionStore(db).save(d, actor);
  tx.commit();
  return {d, {}};
}

std::optional<Result<ProcurementDecision>> edit_procurement_decision(SQLite::Database& db, Id id, const Fields& in,
                                                                     const std::string& actor) {
  AtomicWrite tx(db);
  ProcurementDecisionStore store(db);
  auto current = store.find(id);
  if (!current) return std::nullopt;
  Problems p;
  auto d = read_procurement_fields(in, *current, false, p);
  if (current->meeting_id && !d.decided_on) p.add("decided_on", "Enter the date of the decision");
  if (d.status == "published") p.add_all(publication_problems(db, d));
  if (!p.empty()) return Result<ProcurementDecision>{std::nullopt, p.ordered(kProcurementFieldOrder)};
  store.save(d, actor);
  tx.commit();
  return Result<ProcurementDecision>{d, {}};
}

Problems publication_problems(SQLite::Database& db, const ProcurementDecision& d) {
  Problems p;
  if (d.subject.empty()) p.add("subject", "Enter what was bought: the contract or service");
  if (d.route.empty()) p.add("route", "Select the procurement route before publishing");
  if (d.decided_by.empty()) p.add("decided_by", "Enter who made the decision before publishing");
  if (!d.decided_on) p.add("decided_on", "Enter the date of the decision before publishing");
  if (d.provider.empty()) p.add("provider", "Enter the provider chosen before publishing");
  if (d.meeting_id) {
    auto meeting = MeetingStore(db).find(*d.meeting_id);
    if (!meeting || !meeting->published)
      p.add("meeting", "Publish the meeting's minutes first: the register shows the conflicts as the minutes record them");
  } else if (split_lines(d.participants).empty()) {
    p.add("participants", "Enter who took part in the decision before publishing");
  }
  return p.ordered(kProcurementFieldOrder);
}

std::optional<Result<ProcurementDecision>> publish_procurement_decision(SQLite::Database& db, Id id, const std::string& actor) {
  AtomicWrite tx(db);
  ProcurementDecisionStore store(db);
  auto d = store.find(id);
  if (!d) return std::nullopt;
  auto p = publication_problems(db, *d);
  if (!p.empty()) return Result<ProcurementDecision>{std::nullopt, p};
  d->status = "published";
  store.save(*d, actor);
  tx.commit();
  return Result<ProcurementDecision>{*d, {}};
}

std::optional<ProcurementRow> procurement_row(SQLite::Database& db, Id id, ProcurementAudience audience,
                                              const PublicationRules& rules, const Date& today) {
  auto d = ProcurementDecisionStore(db).find(id);
  if (!d) return std::nullopt;
  return make_row(db, std::move(*d), ProcurementReading{audience, rules, today});
}

std::vector<ProcurementRow> procurement_rows(SQLite::Database& db, bool published_only, ProcurementAudience audience,
                                             const PublicationRules& rules, const Date& today) {
  const ProcurementReading reading{audience, rules, today};
  ProcurementDecisionStore store(db);
  auto decisions = published_only ? store.select("WHERE status = 'published'", [](SQLite::Statement&) {}) : store.all();
  std::stable_sort(decisions.begin(), decisions.end(), [](const auto& a, const auto& b) {
    if (a.decided_on != b.decided_on) return b.decided_on < a.decided_on;  // newest first, undated last
    return a.id > b.id;
  });
  std::vector<ProcurementRow> out;
  for (auto& d : decisions) out.push_back(make_row(db, std::move(d), reading));
  return out;
}

void to_json(nlohmann::json& j, const ProcurementRow& r) {
  const auto& d = r.decision;
  auto conflicts = nlohmann::json::array();
  for (const auto& c : r.conflicts)
    conflicts.push_back({{"person", c.person}, {"declared", c.declared}, {"withheld", c.withheld}, {"managed", c.managed},
                         {"action", c.action.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.action)}, {"reason", c.reason}});
  nlohmann::json meeting = nullptr;
  if (d.meeting_id)
    meeting = {{"id", *d.meeting_id},
               {"title", r.meeting_title},
               {"committee", r.committee},
               {"date", r.meeting_date ? nlohmann::json(r.meeting_date->iso()) : nlohmann::json(nullptr)},
               {"item", {{"id", d.agenda_item_id ? nlohmann::json(*d.agenda_item_id) : nlohmann::json(nullptr)},
                         {"number", r.item_number},
                         {"title", r.item_title}}},
               {"minutes_url", r.minutes_href.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.minutes_href)}};
  nlohmann::json quorum = nullptr;
  if (r.quorate)
    quorum = {{"quorate", *r.quorate},
              {"failures", r.quorum_failures},
              {"remedy", r.remedy.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.remedy)},
              {"remedy_label", r.remedy_label.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.remedy_label)},
              {"presided_by", r.presided_by}};
  j = {{"id", d.id},
       {"ref", d.ref},
       {"subject", d.subject},
       {"route", d.route.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.route)},
       {"route_label", r.route_label},
       {"decided_by", d.decided_by},
       {"decided_on", d.decided_on ? nlohmann::json(d.decided_on->iso()) : nlohmann::json(nullptr)},
       {"value_pence", d.value_pence ? nlohmann::json(*d.value_pence) : nlohmann::json(nullptr)},
       {"value", d.value_pence ? nlohmann::json(format_pounds(*d.value_pence)) : nlohmann::json(nullptr)},
       {"provider", d.provider},
       {"status", d.status},
       {"meeting", meeting},
       {"participants", r.participants},
       {"conflicts", conflicts},
       {"conflicts_text", r.conflicts_text},
       {"quorum", quorum}};
}

std::string procurement_csv(const std::vector<ProcurementRow>& rows) {
  const std::vector<std::string> header = {"Reference", "What was bought", "Route", "Decided by", "Meeting", "Agenda item",
                                           "Date of decision", "Value (GBP)", "Provider", "Who took part",
                                           "Conflicts and how they were managed", "Quorate", "Remedy when inquorate", "Minutes"};
  std::vector<std::vector<std::string>> out;
  for (const auto& r : rows) {
    const auto& d = r.decision;
    std::string conflicts;
    for (const auto& c : r.conflicts) {
      if (!conflicts.empty()) conflicts += "; ";
      std::string declared;
      for (const auto& t : c.declared) declared += (declared.empty() ? "" : ", ") + t;
      conflicts += c.person + ": " + declared + " - " + c.managed;
    }
    if (!d.meeting_id) conflicts = r.conflicts_text;
    std::string participants;
    for (const auto& p : r.participants) participants += (participants.empty() ? "" : "; ") + p;
    out.push_back({d.ref, d.subject, d.route.empty() ? "" : r.route_label, d.decided_by, r.meeting_title,
                   r.item_title, d.decided_on ? d.decided_on->iso() : "", d.value_pence ? format_pounds(*d.value_pence) : "",
                   d.provider, participants, conflicts, r.quorate ? (*r.quorate ? "yes" : "no") : "", r.remedy_label,
                   r.minutes_href});
  }
  return csv_document(header, out);
}

}  // namespace probity
