#pragma once
// Shared by the meetings HTTP tests: a small committee and meeting as a bundle, and signed-in
// sessions made directly with SessionStore (a real session cookie and its CSRF token).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <vector>
#include <string>
#include <fstream>
#include <sstream>

#include "model/base/crypto.hpp"
#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/governance_actions.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/meeting_close.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/register/withholding_requests.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/mail/outbox.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/registers/procurement_register.hpp"
#include "server/test_server.hpp"

namespace probity::testing {

struct SignedIn {
  std::string cookie;
  std::string csrf;
  httplib::Headers headers() const { return {{"Cookie", cookie}}; }
  httplib::Headers api_post_headers() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

/// Signs in an account linked to the person with `person_ref` (none: an account with no register
/// entry), as governance or as a member.
inline SignedIn sign_in(TestServer& s, const std::string& email, const std::string& person_ref, bool governance = false) {
  UserStore accounts(*s.db);
  SessionStore sessions(*s.db);
  std::optional<Id> person;
  if (!person_ref.empty()) person = PersonStore(*s.db).find_by_ref(person_ref).value().id;
  auto user = accounts.create_user(email, person, governance ? UserRole::governance : UserRole::member, "test", now_instant());
  auto made = sessions.create_session(user.id, now_instant());
  return {"probity_session=" + made.token, made.session.csrf_token};
}

/// application/x-www-form-urlencoded body from name/value pairs.
inline std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += "&";
    out += httplib::detail::encode_query_param(k) + "=" + httplib::detail::encode_query_param(v);
  }
  return out;
}

/// A PCCC with a lay chair and vice-chair, two executives, a second lay member and a GP partner
/// of Riverside Surgery; a meeting whose second item is Riverside's merger.
inline nlohmann::json small_pccc() {
  return nlohmann::json::parse(R"json({
    "format": "probity-bundle", "version": 1,
    "organisations": [
      {"ref": "fed", "name": "Northbrook Primary Care Federation Ltd", "identifier": "09876543", "kind": "federation"},
      {"ref": "riverside", "name": "Riverside Surgery", "identifier": "B82001", "kind": "gp_practice", "parent": "fed"},
      {"ref": "millbrook", "name": "Millbrook Medical Centre", "identifier": "B82002", "kind": "gp_practice"}
    ],
    "people": [
      {"ref": "p-chair", "name": "Margaret Ellison", "kind": "lay", "position": "Lay chair"},
      {"ref": "p-vice", "name": "Samuel Okonkwo", "kind": "lay", "position": "Lay vice-chair"},
      {"ref": "p-lay", "name": "Priya Nair", "kind": "lay", "position": "Lay member"},
      {"ref": "p-exec", "name": "Helen Whitfield", "kind": "executive", "position": "Chief finance officer"},
      {"ref": "p-exec2", "name": "Tom Harding", "kind": "executive", "position": "Director of nursing"},
      {"ref": "p-gp", "name": "Dr Amir Hassan", "kind": "gp", "position": "GP member", "practice": "riverside"},
      {"ref": "p-officer", "name": "Jo Officer", "kind": "officer", "position": "Governance officer"}
    ],
    "committees": [
      {"ref": "pccc", "name": "Primary Care Commissioning Committee",
       "quorum": {"min_voting": 4, "min_lay": 1, "min_executive": 1, "lay_executive_majority": true, "lay_chair": true},
       "members": [{"person": "p-chair", "role": "chair", "from": "2024-04-01"},
                   {"person": "p-vice", "role": "vice_chair", "from": "2024-04-01"},
                   {"person": "p-lay", "role": "voting", "from": "2024-04-01"},
                   {"person": "p-exec", "role": "voting", "from": "2024-04-01"},
                   {"person": "p-exec2", "role": "voting", "from": "2024-04-01"},
                   {"person": "p-gp", "role": "voting", "from": "2024-04-01"}]}
    ],
    "interests": [
      {"ref": "i-gp", "person": "p-gp", "category": "financial", "organisation": "riverside",
       "nature": "Partner (GMS contract holder)", "from": "2012-08-01", "declared_on": "2012-08-20"}
    ],
    "meetings": [
      {"ref": "m-1", "committee": "pccc", "title": "PCCC (meeting in public)", "date": "2026-12-10", "location": "Board Room",
       "agenda": [
         {"ref": "a-1", "title": "Declarations of interest", "category": "declarations"},
         {"ref": "a-2", "title": "Proposed merger of Riverside Surgery and Millbrook Medical Centre",
          "category": "practice_merger", "organisations": ["riverside", "millbrook"]}
       ]}
    ]
  })json");
}

inline nlohmann::json demo_bundle() {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

/// The ids that fill the placeholders of access_control_table.inc ({meeting}, {item}, ...) once
/// the demo bundle is imported; `imported` is the import's answer. Adds what the demo data lacks
/// so that every route has something to act on:
/// - {nil_return}: Dr Hassan (the member) has none in the demo data, and the member routes need a
///   record of his own to answer 200 to him and 404 to everyone else;
/// - {interest} is approved (public where review is on); {pending_interest} awaits review;
/// - {held_meeting}: a PCCC meeting marked held, minutes not yet published (for publishing), whose
///   agenda names Riverside Surgery, so {breach} is the draft breach it opened for Dr Hassan;
/// - {withheld_interest}: Dr Sinclair's indirect interest, withheld from the public register;
/// - {password_link}: a valid set-password link of an account with no password yet
///   ({token} is a well-formed link that was never issued);
/// - {free_person}: a person with no account who is not on the PCCC (Dr Kowalski);
/// - {co_opted}: Dr Kowalski co-opted for {item} of the PCCC meeting;
/// - {item_ids}: the PCCC meeting's agenda item ids, last first, as a JSON array.
inline std::map<std::string, std::string> demo_route_ids(SQLite::Database& db, const nlohmann::json& imported) {
  const auto& r = imported;
  std::map<std::string, std::string> ids;
  NilReturn nil;
  nil.person_id = r["people"]["p-hassan"].get<Id>();
  nil.made_on = Date(2026, 4, 1);
  nil.statement = "I have no interests to declare other than those already on the register.";
  {
    WriteTransaction tx(db);
    NilReturnStore(db).save(nil, "test");
    tx.commit();
  }
  ids["nil_return"] = std::to_string(nil.id);
  ids["gift"] = std::to_string(r["gifts"]["g-hassan-pen"].get<Id>());
  const Id meeting = r["meetings"]["m-pccc-2026-12"].get<Id>();
  ids["meeting"] = std::to_string(meeting);
  ids["item"] = std::to_string(r["agenda_items"]["a-3"].get<Id>());
  ids["gb_meeting"] = std::to_string(r["meetings"]["m-gb-2026-09"].get<Id>());
  // Approved, so that it is public where review is on; {pending_interest} awaits review.
  const Id interest = r["interests"]["i-hassan-partner"].get<Id>();
  if (review_declaration(db, "interest", interest, ReviewDecision::approved, "", std::nullopt, "test") != ReviewOutcome::done)
    throw std::runtime_error("cannot approve the demo interest");
  ids["interest"] = std::to_string(interest);
  ids["pending_interest"] = std::to_string(r["interests"]["i-hassan-fed"].get<Id>());
  ids["person"] = std::to_string(r["people"]["p-hassan"].get<Id>());
  ids["committee"] = std::to_string(r["committees"]["c-pccc"].get<Id>());
  ids["gb_committee"] = std::to_string(r["committees"]["c-gb"].get<Id>());  // committees in common
  ids["practice"] = std::to_string(r["organisations"]["org-riverside"].get<Id>());
  ids["company"] = std::to_string(r["organisations"]["org-acme"].get<Id>());
  ids["membership"] = std::to_string(MembershipStore(db).for_committee(r["committees"]["c-pccc"].get<Id>()).front().id);
  ids["token"] = std::string(40, 'a');
  ids["free_person"] = std::to_string(r["people"]["p-kowalski"].get<Id>());
  {
    // {co_opted}: Dr Kowalski co-opted to vote on {item} only (the co-opt rows co-opt him for the
    // whole meeting, which this does not block).
    WriteTransaction tx(db);
    CoOptedMember c;
    c.meeting_id = meeting;
    c.agenda_item_id = r["agenda_items"]["a-3"].get<Id>();
    c.person_id = r["people"]["p-kowalski"].get<Id>();
    c.from_body = "NHS England";
    CoOptedMemberStore(db).save(c, "test");
    tx.commit();
    ids["co_opted"] = std::to_string(c.id);
  }

  std::string item_ids;
  for (const auto& item : AgendaItemStore(db).for_meeting(meeting)) item_ids = std::to_string(item.id) + (item_ids.empty() ? "" : ", ") + item_ids;
  ids["item_ids"] = "[" + item_ids + "]";

  auto held = import_bundle(db, nlohmann::json::parse(R"json({
    "format": "probity-bundle", "version": 1,
    "meetings": [{"ref": "m-pccc-held", "committee": "c-pccc", "title": "PCCC extraordinary meeting", "date": "2026-11-12",
                  "location": "Board Room", "status": "held", "published": false,
                  "agenda": [{"ref": "a-held-1", "title": "Riverside Surgery branch closure", "category": "practice_merger",
                              "organisations": ["org-riverside"]}]}]
  })json"), "test");
  if (!held.ok) throw std::runtime_error("held meeting bundle rejected: " + held.errors.front().text());
  const Id held_id = held.ids["meetings"]["m-pccc-held"].get<Id>();
  ids["held_meeting"] = std::to_string(held_id);
  {
    WriteTransaction tx(db);
    auto breaches = open_draft_breaches(db, held_id, "test", ReportAudience::governance);
    tx.commit();
    if (breaches.empty()) throw std::runtime_error("the held meeting opened no draft breach");
    ids["breach"] = std::to_string(breaches.front().id);
  }

  const Id withheld = r["interests"]["i-sinclair-spouse"].get<Id>();
  if (!set_interest_withheld(db, withheld, true, "Personal safety of a family member", "test"))
    throw std::runtime_error("cannot withhold the demo interest");
  ids["withheld_interest"] = std::to_string(withheld);

  UserStore accounts(db);
  auto newcomer = accounts.create_user("newcomer@example.nhs.uk", std::nullopt, UserRole::member, "test", now_instant());
  ids["password_link"] = accounts.create_password_link(newcomer.id, "test", now_instant()).token;

  OutgoingMail reminder{"reminder", "a.hassan@example.nhs.uk", "Dr Hassan", r["people"]["p-hassan"].get<Id>(),
                        "Your declaration is due", "Please confirm your entries.", "", "You are a committee member.", std::nullopt};
  ids["outbox_message"] = std::to_string(enqueue_mail(db, reminder, now_instant()).value());

  // The register of procurement decisions: {procurement}, a published row of the demo;
  // {procurement_incomplete}, the demo's draft with no provider yet; {procurement_draft}, a
  // complete draft, ready to publish.
  ProcurementDecisionStore procurement(db);
  ids["procurement"] = std::to_string(procurement.find_by_ref("proc-wheelchair-2026").value().id);
  ids["procurement_incomplete"] = std::to_string(procurement.find_by_ref("proc-phlebotomy-2026").value().id);
  auto ready = add_procurement_decision(db, {{"subject", "Community ophthalmology triage"}, {"route", "framework_call_off"},
                                             {"decided_by", "Director of Commissioning under delegated authority"},
                                             {"decided_on", "2026-11-02"}, {"provider", "Northbrook Eye Care Ltd"},
                                             {"participants", "Lucy Chapman, Head of Primary Care Commissioning"}},
                                        "test");
  if (!ready.ok()) throw std::runtime_error("cannot add the procurement draft");
  ids["procurement_draft"] = std::to_string(ready.saved->id);
  // Hospitality from suppliers: the demo's lunch from MedSupply, awaiting its senior approval.
  ids["supplier_gift"] = std::to_string(r["gifts"]["g-whitfield-medsupply"].get<Id>());
  // The breaches register and the Conflicts of Interest Guardian:
  // - {confirmed_breach}: a breach recorded by hand and confirmed, awaiting the Guardian;
  // - {new_request}: Dr Bennett's request to withhold an entry, for governance to forward;
  // - {forwarded_request}: Dr Hassan's request about his PCN board seat, awaiting the Guardian.
  {
    WriteTransaction tx(db);
    Breach b;
    b.kind = BreachKind::late_declaration;
    b.person_id = r["people"]["p-fletcher"].get<Id>();
    b.happened_on = Date(2026, 6, 3);
    b.found_by = BreachFoundBy::governance_review;
    b.reason = "Dr Fletcher declared his Dales Diagnostics work 45 days late.";
    b.status = BreachStatus::confirmed;
    b.resolution = "The dates are not disputed.";
    b.public_summary = "A member declared outside work 45 days after it began.";
    b.public_action = "The member was reminded of the rule.";
    b.public_lessons = "Reminders now ask about outside work.";
    BreachStore(db).record(b, "test");
    ids["confirmed_breach"] = std::to_string(b.id);
    WithholdingRequestStore requests(db);
    WithholdingRequest fresh;
    fresh.interest_id = r["interests"]["i-bennett-uni"].get<Id>();
    fresh.person_id = r["people"]["p-bennett"].get<Id>();
    fresh.reason = "A student has made threats against me.";
    requests.save(fresh, "test");
    ids["new_request"] = std::to_string(fresh.id);
    WithholdingRequest forwarded;
    forwarded.interest_id = r["interests"]["i-hassan-pcn"].get<Id>();
    forwarded.person_id = r["people"]["p-hassan"].get<Id>();
    forwarded.reason = "Threats received about the PCN's decisions.";
    forwarded.status = WithholdingStatus::forwarded;
    forwarded.governance_note = "The threats were reported to the police.";
    requests.save(forwarded, "test");
    ids["forwarded_request"] = std::to_string(forwarded.id);
    tx.commit();
  }
  return ids;
}

/// A digest of the register, for checking that a refused request changed nothing: every table
/// except sessions and sign-in events (which a refused request may legitimately write: an
/// anonymous session for a page's CSRF token, a failed sign-in), row by row. `columns` names,
/// per table, the columns to compare instead of all of them.
inline std::string register_digest(SQLite::Database& db, const std::map<std::string, std::string>& columns = {}) {
  std::string all;
  SQLite::Statement tables(
      db,
      // Sessions, sign-ins under way (oidc_pending: made by following a "Sign in with" link) and
      // the security log are a browser's sign-in state and its record, not the register.
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sessions', 'auth_events', 'oidc_pending') ORDER BY name");
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    all += "\n#" + table;
    // Sorted here: some tables are WITHOUT ROWID, so there is no one column to order by.
    std::vector<std::string> lines;
    const auto chosen = columns.find(table);
    SQLite::Statement rows(db, "SELECT " + (chosen == columns.end() ? std::string("*") : chosen->second) + " FROM \"" + table + "\"");
    while (rows.executeStep()) {
      std::string line;
      for (int i = 0; i < rows.getColumnCount(); ++i) line += rows.getColumn(i).getString() + "\x1f";
      lines.push_back(std::move(line));
    }
    std::sort(lines.begin(), lines.end());
    for (const auto& line : lines) all += "\n" + line;
  }
  return sha256_hex(all);
}

}  // namespace probity::testing
