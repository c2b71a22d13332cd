// The governance team's pages: people and compliance, the non-compliance CSV, accounts with
// one-time set-password links, the review queue, withholding, leavers and the audit trail; and
// their JSON twins under /api/v1/governance (docs/api-accounts.md). Pages and API read input
// into the same Fields and go through the same checks and model actions.

#include "model/register/publication_rules.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/governance_input.hpp"
#include "model/register/review_store.hpp"
#include "model/register/gift_approval.hpp"
#include "model/store/json.hpp"
#include "server/http/form_views.hpp"
#include "model/register/person_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/register/bodies.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/gift_config.hpp"
#include "server/governance/governance_views.hpp"
#include "server/governance/year_views.hpp"
#include "server/http/year_config.hpp"
#include "server/http/request_input.hpp"
#include "server/http/request_log.hpp"
#include "model/public/register_labels.hpp"
#include "server/http/routes.hpp"
#include "server/mail/mail_compose.hpp"
#include "server/mail/mail_kinds.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

// `q` finds people by name, with or without titles ("Dr Hassan"); the account form's list of
// people is always everyone.
// A review queue without the entries of people this account does not see.
json seen_queue(SQLite::Database& db, const GovernanceScope& scope, bool review_required) {
  json queue = review_queue_view(db, review_required);
  if (scope.instance_wide()) return queue;
  json kept = json::array();
  for (auto& item : queue["items"])
    if (scope.sees_person(item.at("person_id").get<Id>())) kept.push_back(item);
  queue["items"] = kept;
  return queue;
}

// The bodies a new governance account may belong to (only offered with several bodies, by an
// instance-wide account): "All bodies" is the first choice.
json account_body_options(App& app, SQLite::Database& db, const GovernanceScope& scope) {
  json out = json::array();
  if (!scope.instance_wide() || !several_bodies(db)) return out;
  for (const auto& [id, name] : body_names(db, app.config().organisation_name)) out.push_back({{"id", id}, {"name", name}});
  return out;
}

json governance_page(App& app, SQLite::Database& db, const GovernanceScope& scope, const std::string& q = "") {
  json queue = seen_queue(db, scope, app.config().review_required);
  json people = people_year_rows(db, year_today(app.config()), year_rules(app.config()), &scope);
  json listed = json::array();
  const std::string needle = fold_case(q);
  for (const auto& p : people)
    if (needle.empty() || name_matches(p.at("name").get<std::string>(), needle)) listed.push_back(p);
  return {{"title", "Governance"}, {"people", people}, {"listed", listed}, {"q", q}, {"searched", !q.empty()},
          {"found_none", listed.empty()},
          {"today", long_date(year_today(app.config()))},
          {"review_required", app.config().review_required}, {"awaiting_review", queue.at("items").size()},
          {"account_bodies", account_body_options(app, db, scope)}, {"bodies_shown", several_bodies(db) && scope.instance_wide()},
          {"bodies_link", several_bodies(db)}};
}

void page_routes(App& app);
void gift_approval_routes(App& app);
void review_page_routes(App& app);
void people_page_routes(App& app);
void audit_page_routes(App& app);
void api_routes(App& app);
}  // namespace

void register_governance_routes(App& app) {
  gift_thresholds(app.config());  // a wrong "gifts" section stops start-up, not the first gift form
  page_routes(app);
  gift_approval_routes(app);
  review_page_routes(app);
  people_page_routes(app);
  audit_page_routes(app);
  api_routes(app);
}

namespace {
void page_routes(App& app) {
  auto& s = app.http();
  s.Get("/governance", [&app](const httplib::Request& req, httplib::Response& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    std::string q = req.get_param_value("q");
    if (q.size() > 200) q.resize(200);  // a name; anything longer finds nothing anyway
    app.render_page(req, res, "governance", governance_page(app, *db, governance_scope(*db, user), q));
  });

  s.Get("/governance/non-compliance.csv", [&app](const httplib::Request& req, httplib::Response& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    const auto scope = governance_scope(*db, user);
    const auto csv = year_csv(people_year_rows(*db, year_today(app.config()), year_rules(app.config()), &scope));
    res.set_header("Content-Disposition", "attachment; filename=\"non-compliance.csv\"");
    res.set_content(csv, "text/csv; charset=utf-8");
  });

  // Governance makes an account for a person on the register and hands over a one-time link.
  s.Post("/governance/accounts", [&app](const httplib::Request& req, httplib::Response& res) {
    auto user = require_governance(app, req);
    Fields form = read_fields(app, req);
    auto db = app.pool().acquire();
    json data = governance_page(app, *db, governance_scope(*db, user));
    Problems errors;
    const std::string email = form.get("email");
    std::optional<Id> person_id;
    if (!form.get("person").empty()) {
      person_id = form.id("person");  // digits only: std::stoll alone took "3 OR 1=1" as person 3
      if (!person_id || !PersonStore(*db).find(*person_id)) errors.add("person", "Select a person from the register");
    }
    // An unknown role was silently made a member account; refuse it instead.
    const auto role_text = form.get("role");
    const auto role = role_text == "governance" ? UserRole::governance
                      : role_text == "guardian" ? UserRole::guardian
                                                : UserRole::member;
    if (!role_text.empty() && role_text != "governance" && role_text != "member" && role_text != "guardian")
      errors.add("role", "Select whether the account is for a member or the governance team, or for the Conflicts of Interest Guardian");
    // Bodies: a body's governance account makes accounts for its own people, and the governance
    // accounts it makes belong to its body; an instance-wide one chooses "All bodies" or one body.
    const auto scope = governance_scope(*db, user);
    // Another body's person does not exist for a body's account: 404, as for any of its records.
    if (person_id && !errors.has("person") && !scope.sees_person(*person_id)) throw not_found("That person");
    if (scope.body() && role == UserRole::guardian)
      errors.add("role", "Only the governance team for all bodies can make an account for the Conflicts of Interest Guardian");
    std::optional<Id> body_id = scope.body();
    if (scope.instance_wide() && form.has("body") && !form.get("body").empty() && form.get("body") != "all") {
      body_id = form.id("body");
      if (!body_id || !BodyStore(*db).find(*body_id)) errors.add("body", "Select all bodies or one body from the list");
    }
    if (role != UserRole::governance) body_id.reset();  // only governance accounts belong to a body
    const AccountConfig config = account_config(app.config());
    UserStore accounts(*db, config);
    if (person_id && accounts.find_user_by_person(*person_id)) errors.add("person", "That person already has an account");
    if (errors.empty()) {
      try {
        // The account, its link and the invitation carrying the link commit together: a crash
        // never leaves an account whose invitation is lost.
        struct Made {
          User account;
          PasswordLink link;
          bool invited;
        };
        const Made made = app.writer().run([&](SQLite::Database& w) {
          UserStore store(w, config);
          const Instant now = auth_now();
          User account = store.create_user(email, person_id, role, actor_of(user), now);
          if (body_id) {
            store.set_body(account.id, body_id, actor_of(user), now);
            account.body_id = body_id;
          }
          auto link = store.create_password_link(account.id, actor_of(user), now);
          const bool invited = enqueue_invitation(w, app.config(), account, link, config.password_link_lifetime, now).has_value();
          return Made{account, link, invited};
        });
        if (made.invited) {
          data["invited"] = {{"email", made.account.email}, {"valid_for", duration_words(config.password_link_lifetime)},
                             {"href", "/governance/accounts/" + std::to_string(made.account.id)}};
        } else {
          // Invitations switched off: governance hands the link over, as before.
          data["link"] = mail_link(app.config(), "/set-password/" + made.link.token);
          data["link_email"] = made.account.email;
          data["link_expires"] = iso_instant(made.link.expires_at);
        }
        app.render_page(req, res, "governance", data, 201);
        return;
      } catch (const std::invalid_argument& e) {
        errors.add("email", e.what());
      }
    }
    data.update(error_view(errors));
    data["title"] = "Error: Governance";
    data["email"] = email;
    app.render_page(req, res, "governance", data, 422);
  });
}

// --- input and actions shared by pages and API ---

using Req = httplib::Request;
using Res = httplib::Response;

void require_review_on(App& app) {
  if (!app.config().review_required)
    throw HttpError(409, "review_not_required", "Review is not turned on for this organisation (config: review_required).");
}

// A refusal the reviewer can act on, as a field message on the page and a stable code in the API.
struct ReviewRefusal {
  int status;
  std::string code;
  std::string message;
};

std::optional<ReviewRefusal> refusal_of(ReviewOutcome outcome) {
  switch (outcome) {
    case ReviewOutcome::done: return std::nullopt;
    case ReviewOutcome::not_found: throw not_found("That declaration");
    case ReviewOutcome::not_awaiting_review:
      return ReviewRefusal{409, "not_awaiting_review", "This entry is not awaiting review: it has already been decided or was changed"};
    case ReviewOutcome::version_changed:
      return ReviewRefusal{409, "version_changed", "The member changed this entry after you opened it. Check the latest version and decide again"};
  }
  return std::nullopt;
}

// The review job, shared by the entry page and its API twin: the entry named in the path, the
// fields submitted, and what review_entry answered (once review is on: 409 otherwise).
struct ReviewJob {
  Fields fields;
  std::string kind;
  Id id = 0;
  Result<ReviewAnswer> out;
};

ReviewJob review_job(App& app, const Req& req) {
  auto user = require_governance(app, req);
  ReviewJob job{read_fields(app, req), *kind_of_segment(req.matches[1]), id_at(req, 2), {}};
  require_sees_declaration(app, user, job.kind, job.id);
  require_review_on(app);
  // A returned entry's message to its member commits with the decision, or neither does.
  job.out = app.writer().run([&](SQLite::Database& w) {
    auto out = review_entry(w, job.kind, job.id, job.fields, actor_of(user));
    if (out.saved && out.saved->outcome == ReviewOutcome::done && out.saved->decision == ReviewDecision::returned)
      if (auto review = ReviewStore(w).latest_for(job.kind, job.id))
        enqueue_returned(w, app.config(), job.kind, job.id, review->comment, auth_now());
    return out;
  });
  return job;
}

const char* review_notice(ReviewDecision d) {
  return d == ReviewDecision::approved ? "approved" : "returned";
}

// ---- Hospitality from suppliers: governance records the senior approval -----------------------
// The entry page of such a gift shows "Awaiting approval" and the form until it is recorded.
void add_gift_approval_view(json& v, SQLite::Database& db, App& app, Id id, const Fields& fields, const Problems& errors) {
  auto g = GiftStore(db).find(id);
  if (!g) return;
  const auto thresholds = gift_thresholds(app.config());
  v["awaiting_approval"] = awaiting_approval(*g, thresholds);
  v["approval_action"] = "/governance/gifts/" + std::to_string(id) + "/approval";
  v["approval_error"] = field_error(errors, "approval");
  v["f_approved_by"] = text_field(fields, errors, "approved_by", "Name of the approver", "The senior manager who approved it.");
  v["f_approver_role"] = text_field(fields, errors, "approver_role", "Their role", "For example Director of Finance.");
  v["f_approval_reason"] = text_field(fields, errors, "approval_reason", "Reason for approval",
                                      "Why it is modest and reasonable to accept. Over £" +
                                          format_pounds(thresholds.hospitality_max_pence) + ", this is published with the entry.");
}

json entry_or_404(SQLite::Database& db, App& app, const std::string& kind, Id id, const Fields& fields, const Problems& errors) {
  auto v = entry_view(db, kind, id, app.config().review_required, fields, errors);
  if (!v) throw not_found("That declaration");
  if (kind == "gift") add_gift_approval_view(*v, db, app, id, fields, errors);
  return *v;
}

const std::string kEntry = R"(/governance/(interests|gifts|nil-returns)/(\d{1,18}))";
const std::string kApiEntry = R"(/api/v1/governance/(interests|gifts|nil-returns)/(\d{1,18}))";
const std::string kAuditOf = R"(/(interest|gift|nil_return|person)/(\d{1,18}))";

std::string notice_for(const std::string& saved) {
  if (saved == "approved") return "The entry has been approved.";
  if (saved == "returned") return "The entry has been returned to the member with your comment.";
  if (saved == "withheld") return "The entry is now withheld from the public register. The reason is recorded.";
  if (saved == "unwithheld") return "The entry is shown on the public register again.";
  if (saved == "added") return "The person has been added to the register. Add their committee memberships, then create their account on the governance page.";
  if (saved == "changed") return "Their details have been saved as a new version; the earlier version is kept.";
  if (saved == "approval") return "The senior approval of this hospitality is recorded.";
  if (saved == "left") return "Recorded that this person has left. Their open interests and committee memberships end on that date.";
  return "";
}

void review_page_routes(App& app) {
  auto& s = app.http();
  s.Get("/governance/review", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    json data = seen_queue(*db, governance_scope(*db, user), app.config().review_required);
    data["title"] = "Declarations awaiting review";
    data["has_items"] = !data["items"].empty();
    const auto notice = notice_for(req.get_param_value("saved"));
    if (!notice.empty()) data["notice"] = notice;
    app.render_page(req, res, "governance_review", data);
  });

  s.Get(kEntry, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_sees_declaration(app, user, *kind_of_segment(req.matches[1]), id_at(req, 2));
    auto db = app.pool().acquire();
    json data = entry_or_404(*db, app, *kind_of_segment(req.matches[1]), id_at(req, 2), {}, {});
    const auto notice = notice_for(req.get_param_value("saved"));
    if (!notice.empty()) data["notice"] = notice;
    app.render_page(req, res, "governance_entry", data);
  });

  s.Post(kEntry + "/review", [&app](const Req& req, Res& res) {
    auto job = review_job(app, req);
    Problems problems = job.out.problems;
    int status = 422;
    if (job.out.saved) {
      auto refusal = refusal_of(job.out.saved->outcome);
      if (!refusal) return res.set_redirect("/governance/review?saved=" + std::string(review_notice(job.out.saved->decision)), 303);
      problems.add("decision", refusal->message);
      status = refusal->status;
    }
    auto db = app.pool().acquire();
    app.render_page(req, res, "governance_entry", entry_or_404(*db, app, job.kind, job.id, job.fields, problems), status);
  });

  s.Post(R"(/governance/interests/(\d{1,18})/withhold)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    require_sees_declaration(app, user, "interest", id_at(req, 1));
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = withhold_interest(*db, id, fields, actor_of(user));
    if (!out) throw not_found("That interest");
    // The id and who decided, never the reason or the entry's details.
    if (out->saved) log_event(LogLevel::info, "interest_withheld", {{"interest_id", id}, {"by_user", user.user_id}});
    if (out->saved) return res.set_redirect("/governance/interests/" + std::to_string(id) + "?saved=withheld", 303);
    app.render_page(req, res, "governance_entry", entry_or_404(*db, app, "interest", id, fields, out->problems), 422);
  });

  s.Post(R"(/governance/interests/(\d{1,18})/unwithhold)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_csrf(app, req);
    require_sees_declaration(app, user, "interest", id_at(req, 1));
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    if (!set_interest_withheld(*db, id, false, "", actor_of(user))) throw not_found("That interest");
    log_event(LogLevel::info, "interest_unwithheld", {{"interest_id", id}, {"by_user", user.user_id}});
    res.set_redirect("/governance/interests/" + std::to_string(id) + "?saved=unwithheld", 303);
  });
}

void gift_approval_routes(App& app) {
  auto& s = app.http();
  const auto approve = [&app](const Req& req, const Fields& fields, const CurrentUser& user) {
    const Id id = id_at(req, 1);
    require_sees_declaration(app, user, "gift", id);
    auto out = app.writer().run([&](SQLite::Database& db) {
      return record_gift_approval(db, id, fields, Date::today(), gift_thresholds(app.config()), actor_of(user));
    });
    if (!out) throw not_found("That gift or hospitality");
    if (out->saved) log_event(LogLevel::info, "gift_approval_recorded", {{"gift_id", id}, {"by_user", user.user_id}});
    return *out;
  };
  s.Post(R"(/governance/gifts/(\d{1,18})/approval)", [&app, approve](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto out = approve(req, fields, user);
    const Id id = id_at(req, 1);
    if (out.saved) return res.set_redirect("/governance/gifts/" + std::to_string(id) + "?saved=approval", 303);
    auto db = app.pool().acquire();
    const Problems ordered = out.problems.ordered({"approval", "approved_by", "approver_role", "approval_reason"});
    app.render_page(req, res, "governance_entry", entry_or_404(*db, app, "gift", id, fields, ordered), 422);
  });
  s.Post(R"(/api/v1/governance/gifts/(\d{1,18})/approval)", [&app, approve](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    auto out = approve(req, fields, user);
    if (!out.saved) throw invalid_input(out.problems);
    App::send_json(res, {{"gift", *out.saved}});
  });
}

void people_page_routes(App& app) {
  auto& s = app.http();
  s.Get(R"(/governance/people/(\d{1,18}))", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    require_sees_person(app, user, id_at(req, 1));
    auto db = app.pool().acquire();
    auto data = person_view(*db, id_at(req, 1), {}, {});
    if (!data) throw not_found("That person");
    auto notice = notice_for(req.get_param_value("saved"));
    if (req.get_param_value("saved") == "left" && data->at("account").is_object())
      notice += " Their account is disabled: they are signed out everywhere, their API tokens are revoked and they cannot sign in.";
    if (!notice.empty()) (*data)["notice"] = notice;
    app.render_page(req, res, "governance_person", *data);
  });

  s.Post(R"(/governance/people/(\d{1,18})/leave)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    require_sees_person(app, user, id_at(req, 1));
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    auto out = record_leaver(*db, id, fields, actor_of(user), auth_now());
    if (!out) throw not_found("That person");
    if (out->saved) return res.set_redirect("/governance/people/" + std::to_string(id) + "?saved=left", 303);
    auto data = person_view(*db, id, fields, out->problems);
    if (!data) throw not_found("That person");
    app.render_page(req, res, "governance_person", *data, 422);
  });
}

void audit_page_routes(App& app) {
  auto& s = app.http();
  s.Get("/governance/audit", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "governance_audit_log", audit_overview(*db, 100, governance_scope(*db, user)));
  });
  s.Get("/governance/audit" + kAuditOf, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    if (!governance_scope(*db, user).sees_record(req.matches[1], id_at(req, 2))) throw not_found("That record");
    auto data = entity_audit_view(*db, req.matches[1], id_at(req, 2));
    if (!data) throw not_found("That record");
    app.render_page(req, res, "governance_audit", *data);
  });
}

// --- JSON API: the same actions; field problems as 422 invalid_input with details ---

void api_routes(App& app) {
  auto& s = app.http();
  s.Get("/api/v1/governance/review", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, seen_queue(*db, governance_scope(*db, user), app.config().review_required));
  });

  s.Post(kApiEntry + "/review", [&app](const Req& req, Res& res) {
    auto job = review_job(app, req);
    if (!job.out.saved) throw invalid_input(job.out.problems);
    if (auto refusal = refusal_of(job.out.saved->outcome)) throw HttpError(refusal->status, refusal->code, refusal->message + ".");
    auto db = app.pool().acquire();
    auto v = entry_or_404(*db, app, job.kind, job.id, {}, {});
    App::send_json(res, {{"kind", job.kind}, {"id", job.id}, {"status", v.at("status")}, {"version", v.at("version")},
                         {"reviews", v.at("reviews")}});
  });

  s.Post(R"(/api/v1/governance/interests/(\d{1,18})/(withhold|unwithhold))", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    require_sees_declaration(app, user, "interest", id_at(req, 1));
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    std::optional<Interest> i;
    if (req.matches[2] == "withhold") {
      auto out = withhold_interest(*db, id, fields, actor_of(user));
      if (out && !out->saved) throw invalid_input(out->problems);
      if (out) i = out->saved;
    } else {
      i = set_interest_withheld(*db, id, false, "", actor_of(user));
    }
    if (!i) throw not_found("That interest");
    log_event(LogLevel::info, i->withheld ? "interest_withheld" : "interest_unwithheld", {{"interest_id", id}, {"by_user", user.user_id}});
    App::send_json(res, {{"id", i->id}, {"withheld", i->withheld}, {"withheld_reason", i->withheld_reason},
                         {"version", InterestStore(*db).current_version(id)}});
  });

  s.Post(R"(/api/v1/governance/people/(\d{1,18})/leave)", [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto fields = read_fields(app, req);
    require_sees_person(app, user, id_at(req, 1));
    auto db = app.pool().acquire();
    auto out = record_leaver(*db, id_at(req, 1), fields, actor_of(user), auth_now());
    if (!out) throw not_found("That person");
    if (!out->saved) throw invalid_input(out->problems);
    const auto& result = out->saved;
    App::send_json(res, {{"id", result->person.id}, {"left_on", result->person.left_on->iso()}, {"interests_ended", result->interests_ended},
                         {"memberships_ended", result->memberships_ended},
                         {"account_disabled", result->account_disabled.has_value()}});
  });

  s.Get("/api/v1/governance/audit", [&app](const Req& req, Res& res) {
    const auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    auto doc = audit_overview(*db, 100, governance_scope(*db, user));
    doc.erase("title");
    doc["rows"] = audit_rows_for_api(doc["rows"]);
    App::send_json(res, doc);
  });
  s.Get("/api/v1/governance/audit" + kAuditOf, [&app](const Req& req, Res& res) {
    auto user = require_governance(app, req);
    auto db = app.pool().acquire();
    if (!governance_scope(*db, user).sees_record(req.matches[1], id_at(req, 2))) throw not_found("That record");
    auto data = entity_audit_view(*db, req.matches[1], id_at(req, 2));
    if (!data) throw not_found("That record");
    App::send_json(res, {{"kind", data->at("kind")}, {"id", data->at("id")}, {"subject", data->at("subject")}, {"rows", audit_rows_for_api(data->at("rows"))}});
  });
}
}  // namespace
}  // namespace probity
