#include "model/bundle/demo.hpp"

#include "model/meetings/meeting_record_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/withholding_requests.hpp"
#include "model/store/database.hpp"

#include <optional>
#include <string>

namespace probity {
namespace {

void shift_dates_in(nlohmann::json& value, int days) {
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() == 10)
      if (auto date = Date::parse(text)) value = date->plus_days(days).iso();
  } else if (value.is_structured()) {
    for (auto& inner : value) shift_dates_in(inner, days);
  }
}

}  // namespace

nlohmann::json shift_bundle_dates(nlohmann::json bundle, int days) {
  if (days != 0) shift_dates_in(bundle, days);
  return bundle;
}

nlohmann::json demo_for(const nlohmann::json& demo, const Date& today, const YearRules& rules) {
  return place_demo_year(demo_shifted_for(demo, today), today, rules);
}

nlohmann::json place_demo_year(nlohmann::json b, const Date& today, const YearRules& rules) {
  const Date year = year_start_for(today, rules);
  const auto iso = [](const Date& d) { return d.iso(); };
  const auto find = [&b](const char* list, const std::string& ref) -> nlohmann::json* {
    if (!b.contains(list)) return nullptr;
    for (auto& r : b[list])
      if (r.value("ref", "") == ref) return &r;
    return nullptr;
  };

  // Priya Shah joined the Governing Body 40 days ago and has declared nothing.
  if (!find("people", "p-shah")) {
    b["people"].push_back({{"ref", "p-shah"}, {"name", "Priya Shah"}, {"email", ""}, {"kind", "officer"},
                           {"position", "Head of Primary Care Contracting"}, {"practice", nullptr}, {"left_on", nullptr}});
    if (nlohmann::json* gb = find("committees", "c-gb"))
      (*gb)["members"].push_back({{"person", "p-shah"}, {"role", "non_voting"}, {"from", iso(today.plus_days(-40))}, {"to", nullptr}});
  }
  // Dr Kowalski's draft: aware 45 days ago, still not declared (overdue).
  if (nlohmann::json* k = find("interests", "i-kowalski-draft")) {
    (*k)["from"] = iso(today.plus_days(-60));
    (*k)["aware_on"] = iso(today.plus_days(-45));
    (*k)["declared_on"] = iso(today.plus_days(-45));
  }
  // Peter Grant and James Harding became aware of new interests days ago (due, not yet declared).
  const auto recent = [&](const char* ref, const char* person, const char* nature, int days_ago) {
    if (find("interests", ref)) return;
    b["interests"].push_back({{"ref", ref}, {"person", person}, {"category", "non_financial_personal"}, {"indirect", false},
                              {"relationship", ""}, {"organisation", nullptr}, {"nature", nature},
                              {"from", iso(today.plus_days(-days_ago))}, {"to", nullptr}, {"action_taken", ""},
                              {"declared_on", iso(today.plus_days(-days_ago))}, {"aware_on", iso(today.plus_days(-days_ago))},
                              {"status", "draft"}, {"withheld", false}, {"withheld_reason", ""}});
  };
  recent("i-grant-school", "p-grant", "Governor of Northbrook Community School", 5);
  recent("i-harding-charity", "p-harding", "Unpaid trustee of a local hospice charity", 12);
  // Dr Fletcher declared his Dales Diagnostics interest 45 days after becoming aware of it (late).
  if (nlohmann::json* f = find("interests", "i-fletcher-dales")) {
    const Date declared = std::max(year, today.plus_days(-30));
    (*f)["declared_on"] = iso(declared);
    (*f)["aware_on"] = iso(declared.plus_days(-45));
    (*f)["from"] = iso(declared.plus_days(-60));
    (*f)["to"] = nullptr;
  }

  // This year's confirmations: everyone but Helen Morris (last year's only) and Priya Shah. A
  // person holding interests on the day confirms them; one holding none makes a nil return.
  b["nil_returns"] = nlohmann::json::array();
  b["confirmations"] = nlohmann::json::array();
  const auto holds_interests_on = [&](const std::string& person, const Date& on) {
    for (const auto& i : b["interests"]) {
      if (i.value("person", "") != person || i.value("status", "") == "draft") continue;
      const auto from = Date::parse(i.value("from", "")), declared = Date::parse(i.value("declared_on", ""));
      const auto to = i["to"].is_string() ? Date::parse(i["to"].get<std::string>()) : std::nullopt;
      if (from && declared && *from <= on && *declared <= on && (!to || *to >= on)) return true;
    }
    return false;
  };
  int n = 0;
  for (const auto& p : b["people"]) {
    const std::string ref = p.value("ref", "");
    if (ref == "p-shah") continue;
    const Date on = ref == "p-morris" ? year.plus_days(-20) : std::min(today, year.plus_days(3 + n++ % 20));
    const std::string suffix = ref.substr(ref.find('-') + 1) + "-" + std::to_string(on.year());
    if (holds_interests_on(ref, on))
      b["confirmations"].push_back({{"ref", "c-" + suffix}, {"person", ref}, {"confirmed_on", iso(on)}});
    else
      b["nil_returns"].push_back({{"ref", "n-" + suffix}, {"person", ref}, {"made_on", iso(on)},
                                  {"statement", "I have no interests to declare."}, {"status", "submitted"}});
  }
  return b;
}

nlohmann::json demo_shifted_for(const nlohmann::json& demo, const Date& today) {
  std::optional<Date> latest;
  if (demo.contains("meetings"))
    for (const auto& m : demo.at("meetings"))
      if (auto d = m.contains("date") && m.at("date").is_string() ? Date::parse(m.at("date").get<std::string>()) : std::nullopt)
        if (!latest || *d > *latest) latest = d;
  if (!latest) return demo;
  const int behind = latest->days_until(today.plus_days(14));  // > 0: less than 14 days ahead
  if (behind <= 0) return demo;
  return shift_bundle_dates(demo, (behind + 6) / 7 * 7);
}

}  // namespace probity

namespace probity {

void add_demo_guardian_records(SQLite::Database& db, const Date& today) {
  WriteTransaction tx(db);
  if (!WithholdingRequestStore(db).all().empty()) return;
  PersonStore people(db);
  const auto fletcher = people.find_by_ref("p-fletcher");
  const auto harding = people.find_by_ref("p-harding");
  const auto ellison = people.find_by_ref("p-ellison");
  const auto befriender = InterestStore(db).find_by_ref("i-ellison-carers");
  if (!fletcher || !harding || !ellison || !befriender) return;
  const std::string governance = "demo: governance@northbrook.example";
  const std::string guardian = "demo: guardian@northbrook.example";
  BreachStore breaches(db);

  Breach late;
  late.kind = BreachKind::late_declaration;
  late.person_id = fletcher->id;
  late.happened_on = today.plus_days(-75);
  late.found_by = BreachFoundBy::governance_review;
  late.reason = "Dr Fletcher began paid sessional work for Dales Diagnostics and declared it 45 days later, "
                "after the annual reminder.";
  late.action_taken = "Reminded Dr Fletcher of the 28-day rule; the declaration was reviewed and published.";
  late.lessons = "New outside work is easy to overlook: ask about it at each one-to-one.";
  late.public_summary = "A GP member declared paid outside work 45 days after it began, later than the 28 days the policy allows.";
  late.public_action = "The member was reminded of the rule in writing and the interest is now on the register.";
  late.public_lessons = "The governance team now asks about new outside work in the reminder sent each quarter.";
  breaches.record(late, governance);
  late.status = BreachStatus::confirmed;
  late.resolution = "The declaration was late: the dates are not disputed.";
  breaches.record(late, governance);
  late.status = BreachStatus::signed_off;
  late.guardian_note = "Handled in proportion; the summary names nobody.";
  breaches.record(late, guardian);

  Breach dinner;
  dinner.kind = BreachKind::gift_not_declined;
  dinner.person_id = harding->id;
  dinner.happened_on = today.plus_days(-30);
  dinner.found_by = BreachFoundBy::self_reported;
  dinner.reason = "Mr Harding accepted a dinner worth about £95 from a bidder during a procurement, without senior approval.";
  dinner.action_taken = "The value was repaid to the supplier and Mr Harding stood aside from the evaluation.";
  dinner.lessons = "Staff in a live procurement should be reminded that hospitality from bidders is declined.";
  dinner.public_summary = "A member of staff accepted hospitality worth over £75 from a supplier during a procurement, without approval.";
  dinner.public_action = "The cost was repaid and the member of staff took no further part in evaluating the bids.";
  dinner.public_lessons = "Everyone taking part in a procurement is now reminded in writing to decline hospitality from bidders.";
  breaches.record(dinner, governance);
  dinner.status = BreachStatus::confirmed;
  dinner.resolution = "Reported by Mr Harding himself the next day; confirmed.";
  breaches.record(dinner, governance);

  WithholdingRequest request;
  request.interest_id = befriender->id;
  request.person_id = ellison->id;
  request.reason = "A former client's family has harassed me; publishing where I volunteer lets them find me.";
  WithholdingRequestStore requests(db);
  requests.save(request, "demo: ellison@northbrook.example");
  request.status = WithholdingStatus::forwarded;
  request.governance_note = "Checked with the charity: the harassment was reported to the police. Recommend withholding the entry.";
  requests.save(request, governance);
  tx.commit();
}

}  // namespace probity
