// The register of procurement decisions: the public's pages, JSON and CSV (published rows only,
// withheld interests never named), and governance's list, forms and publishing with their JSON
// twins under /api/v1/governance/procurement. Pages and API call the same model actions
// (model/registers/procurement_register.hpp) and say the same words.
#include "model/base/money.hpp"
#include "model/registers/procurement_register.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/form_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

const std::string kPublic = "/procurement";
const std::string kPage = "/governance/procurement";
const std::string kApi = "/api/v1/governance/procurement";
const std::string kId = R"(/(\d{1,18}))";

// The register's publication rules and day, as the public register applies them.
PublicationRules public_rules(const App& app) {
  PublicationRules rules;
  rules.review_required = app.config().review_required;
  return rules;
}
Date public_today(const App& app) {
  const auto fixed = Date::parse(app.config().today);
  return app.config().today.empty() || !fixed ? Date::today() : *fixed;
}

json rows_json(const std::vector<ProcurementRow>& rows) {
  json list = json::array();
  for (const auto& r : rows) list.push_back(r);
  return list;
}

// A row as a page shows it: the JSON plus what the templates need to choose their words.
json row_view(const ProcurementRow& r) {
  json v = r;
  v["has_meeting"] = r.decision.meeting_id.has_value();
  v["has_participants"] = !r.participants.empty();
  v["has_conflicts"] = !r.conflicts.empty();
  v["published"] = r.decision.status == "published";
  v["draft"] = r.decision.status != "published";
  v["has_quorum"] = r.quorate.has_value();
  v["inquorate"] = r.quorate.has_value() && !*r.quorate;
  v["item_number"] = r.item_number;
  // "£125,000" as people read it; the JSON's "value" is the API's "125000.00".
  v["value_text"] = r.value_text.empty() ? json(nullptr) : json(r.value_text);
  v["route_recorded"] = !r.decision.route.empty();
  // An empty string is still true to a Mustache section: what is not recorded is null.
  for (const char* key : {"provider", "conflicts_text"})
    if (v[key] == "") v[key] = nullptr;
  if (v["quorum"].is_object() && v["quorum"]["presided_by"] == "") v["quorum"]["presided_by"] = nullptr;
  for (auto& c : v["conflicts"]) {
    std::string declared;
    for (const auto& t : c["declared"]) declared += (declared.empty() ? "" : "; ") + t.get<std::string>();
    c["declared_text"] = declared;
    if (c["reason"] == "") c["reason"] = nullptr;
  }
  return v;
}

json list_view(const std::vector<ProcurementRow>& rows) {
  json list = json::array();
  for (const auto& r : rows) list.push_back(row_view(r));
  return {{"rows", list}, {"total", rows.size()}, {"has_rows", !rows.empty()}};
}

const std::map<std::string, std::string>& procurement_field_ids() {
  static const std::map<std::string, std::string> ids = {{"decided_on", "decided_on-day"}, {"route", "route-competitive_tender"}};
  return ids;
}

Fields decision_fields(const ProcurementDecision& d) {
  return Fields{{"subject", d.subject},
                {"route", d.route},
                {"decided_by", d.decided_by},
                {"decided_on", d.decided_on ? d.decided_on->iso() : ""},
                {"value", d.value_pence ? format_pounds(*d.value_pence) : ""},
                {"provider", d.provider},
                {"participants", d.participants},
                {"conflicts", d.conflicts}};
}

// The add and edit form. A row drafted from a meeting takes who took part and the conflicts from
// the meeting's records, so those fields are only for a decision taken outside a meeting.
json form_view(const Fields& f, const Problems& e, const std::string& action, const std::string& heading, bool from_meeting,
               bool editing) {
  json v = error_view(e, procurement_field_ids());
  v["title"] = (e.empty() ? "" : "Error: ") + heading;
  v["heading"] = heading;
  v["action"] = action;
  v["editing"] = editing;
  v["from_meeting"] = from_meeting;
  v["f_subject"] = text_field(f, e, "subject", "What was bought", "The contract or service, for example, APMS contract for Eastgate Health Centre.");
  std::vector<FieldOption> routes;
  for (const auto& [code, label] : procurement_routes()) routes.push_back({code, label, ""});
  v["f_route"] = radios(f, e, "route", "Procurement route", "How the provider was chosen.", routes);
  v["f_decided_by"] = text_field(f, e, "decided_by", "Who decided",
                                 "The body or committee, or the post under delegated authority, for example, Chief Finance Officer "
                                 "under delegated authority.");
  v["f_decided_on"] = date_field(f, e, "decided_on", "Date of the decision", "For example, 2 10 2026.");
  v["f_value"] = text_field(f, e, "value", "Value in pounds (optional)",
                            "Leave it empty when the value is not published. For example, 125000 or 125000.50.", "10");
  v["f_provider"] = text_field(f, e, "provider", "Provider chosen", "The organisation awarded the contract or service.");
  if (!from_meeting) {
    v["f_participants"] = text_field(f, e, "participants", "Who took part in the decision", "One person a line, with their post.");
    v["f_conflicts"] = text_field(f, e, "conflicts", "Conflicts declared and how each was managed",
                                  "Name each person who declared an interest, what it was and how it was managed, or say that none "
                                  "was declared.");
  }
  return v;
}

std::string notice_for(const std::string& saved) {
  if (saved == "added") return "The decision has been added as a draft. Publish it when it is complete.";
  if (saved == "edited") return "The decision has been saved as a new version; the earlier version is kept.";
  if (saved == "published") return "The decision has been published on the register of procurement decisions.";
  return "";
}

json governance_row_view(SQLite::Database& db, Id id, const Problems& errors) {
  auto row = procurement_row(db, id, ProcurementAudience::governance);
  if (!row) throw not_found("That procurement decision");
  json v = error_view(errors, procurement_field_ids());
  // What stops publishing is mended on the form (each link goes to its field there), except
  // the minutes, which are published from the meeting's page.
  if (v.contains("error_summary"))
    for (std::size_t i = 0; i < errors.list().size(); ++i) {
      const auto& field = errors.list()[i].field;
      v["error_summary"][i]["href"] = field == "meeting" && row->decision.meeting_id
                                          ? "/meetings/" + std::to_string(*row->decision.meeting_id) + "/manage"
                                          : "/governance/procurement/" + std::to_string(id) + "/edit" +
                                                v["error_summary"][i]["href"].get<std::string>();
    }
  v["row"] = row_view(*row);
  v["title"] = (errors.empty() ? "" : "Error: ") + row->decision.subject;
  v["history"] = newest_first(history_json<ProcurementDecisionStore>(db, id, [](const ProcurementDecision& d) {
    return json{{"status", d.status}, {"route_label", procurement_route_label(d.route)}, {"provider", d.provider.empty() ? json(nullptr) : json(d.provider)}};
  }));
  return v;
}

std::string row_path(Id id, const std::string& saved) { return kPage + "/" + std::to_string(id) + "?saved=" + saved; }

void public_routes(App& app) {
  auto& s = app.http();
  s.Get(kPublic, [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    json v = list_view(procurement_rows(*db, true, ProcurementAudience::public_reader, public_rules(app), public_today(app)));
    v["title"] = "Register of procurement decisions";
    app.render_page(req, res, "procurement_list", v);
  });
  s.Get(kPublic + kId, [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    auto row = procurement_row(*db, id_at(req, 1, "That procurement decision"), ProcurementAudience::public_reader, public_rules(app), public_today(app));
    if (!row || row->decision.status != "published") throw not_found("That procurement decision");
    app.render_page(req, res, "procurement_detail", {{"title", row->decision.subject}, {"row", row_view(*row)}});
  });
  s.Get(kPublic + ".csv", [&app](const Req&, Res& res) {
    auto db = app.pool().acquire();
    res.set_content(procurement_csv(procurement_rows(*db, true, ProcurementAudience::public_reader, public_rules(app), public_today(app))), "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"procurement-decisions.csv\"");
  });
  s.Get("/api/v1/procurement", [&app](const Req&, Res& res) {
    auto db = app.pool().acquire();
    const auto rows = procurement_rows(*db, true, ProcurementAudience::public_reader, public_rules(app), public_today(app));
    App::send_json(res, {{"total", rows.size()}, {"decisions", rows_json(rows)}});
  });
  s.Get("/api/v1/procurement" + kId, [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    auto row = procurement_row(*db, id_at(req, 1, "That procurement decision"), ProcurementAudience::public_reader, public_rules(app), public_today(app));
    if (!row || row->decision.status != "published") throw not_found("That procurement decision");
    App::send_json(res, {{"decision", *row}});
  });
}

void page_routes(App& app) {
  auto& s = app.http();
  s.Get(kPage, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    json v = list_view(procurement_rows(*db, false, ProcurementAudience::governance));
    v["title"] = "Procurement decisions";
    app.render_page(req, res, "governance_procurement", v);
  });
  s.Get(kPage + "/new", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    app.render_page(req, res, "governance_procurement_form",
                    form_view(Fields{}, {}, kPage, "Add a decision taken outside a meeting", false, false));
  });
  s.Post(kPage, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    auto out = add_procurement_decision(*db, fields, actor_of(user));
    if (out.saved) return res.set_redirect(row_path(out.saved->id, "added"), 303);
    app.render_page(req, res, "governance_procurement_form",
                    form_view(fields, out.problems, kPage, "Add a decision taken outside a meeting", false, false), 422);
  });
  s.Get(kPage + kId, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    json v = governance_row_view(*db, id_at(req, 1, "That procurement decision"), {});
    const auto notice = notice_for(req.get_param_value("saved"));
    if (!notice.empty()) v["notice"] = notice;
    app.render_page(req, res, "governance_procurement_row", v);
  });
  s.Get(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1, "That procurement decision");
    auto d = ProcurementDecisionStore(*db).find(id);
    if (!d) throw not_found("That procurement decision");
    app.render_page(req, res, "governance_procurement_form",
                    form_view(decision_fields(*d), {}, kPage + "/" + std::to_string(id) + "/edit", "Complete or correct: " + d->subject,
                              d->meeting_id.has_value(), true));
  });
  s.Post(kPage + kId + "/edit", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1, "That procurement decision");
    auto out = edit_procurement_decision(*db, id, fields, actor_of(user));
    if (!out) throw not_found("That procurement decision");
    if (out->saved) return res.set_redirect(row_path(id, "edited"), 303);
    auto d = ProcurementDecisionStore(*db).find(id).value();
    app.render_page(req, res, "governance_procurement_form",
                    form_view(fields, out->problems, kPage + "/" + std::to_string(id) + "/edit", "Complete or correct: " + d.subject,
                              d.meeting_id.has_value(), true),
                    422);
  });
  s.Post(kPage + kId + "/publish", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    read_fields(app, req);  // the CSRF check
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1, "That procurement decision");
    auto out = publish_procurement_decision(*db, id, actor_of(user));
    if (!out) throw not_found("That procurement decision");
    if (out->saved) return res.set_redirect(row_path(id, "published"), 303);
    app.render_page(req, res, "governance_procurement_row", governance_row_view(*db, id, out->problems), 422);
  });
}

void api_routes(App& app) {
  auto& s = app.http();
  auto reply = [](SQLite::Database& db, const ProcurementDecision& d) {
    return json{{"decision", procurement_row(db, d.id, ProcurementAudience::governance).value()}};
  };
  s.Get(kApi, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    const auto rows = procurement_rows(*db, false, ProcurementAudience::governance);
    App::send_json(res, {{"total", rows.size()}, {"decisions", rows_json(rows)}});
  });
  s.Post(kApi, [&app, reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(app, req, res, [&](SQLite::Database& db, const Fields& in) { return add_procurement_decision(db, in, actor); }, reply, 201);
  });
  s.Get(kApi + kId, [&app](const Req& req, Res& res) {
    require_governance(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1, "That procurement decision");
    auto row = procurement_row(*db, id, ProcurementAudience::governance);
    if (!row) throw not_found("That procurement decision");
    App::send_json(res, {{"decision", *row}, {"versions", history_json<ProcurementDecisionStore>(*db, id, "record")}});
  });
  s.Post(kApi + kId, [&app, reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(
        app, req, res,
        [&](SQLite::Database& db, const Fields& in) {
          auto out = edit_procurement_decision(db, id_at(req, 1, "That procurement decision"), in, actor);
          if (!out) throw not_found("That procurement decision");
          return *out;
        },
        reply);
  });
  s.Post(kApi + kId + "/publish", [&app, reply](const Req& req, Res& res) {
    const auto actor = actor_of(require_governance(app, req));
    send_change(
        app, req, res,
        [&](SQLite::Database& db, const Fields&) {
          auto out = publish_procurement_decision(db, id_at(req, 1, "That procurement decision"), actor);
          if (!out) throw not_found("That procurement decision");
          return *out;
        },
        reply);
  });
}

}  // namespace

void register_procurement_routes(App& app) {
  public_routes(app);
  page_routes(app);
  api_routes(app);
}

}  // namespace probity
