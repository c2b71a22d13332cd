// Meetings: the chair's brief and its JSON, managing meetings and their agendas, recording what
// happens at the meeting, and breaches for governance. (The public view of published meetings and
// the minutes' declarations section are server/public/public_routes.cpp's.)
//
// Every change has one model action (model/meetings/meeting_actions.hpp, meeting_agenda_actions.hpp,
// meeting_record_actions.hpp) that its page and its API path share. The handler reads the
// fields, calls the action and answers: JSON, or a form redirected back to its page
// (POST-redirect-GET); field problems are 422 invalid_input for the API and the page again with
// the NHS error summary; a MeetingRefused is 404, 403 or 409. The views are meeting_views.cpp's.
#include <functional>
#include <map>
#include <utility>

#include "model/registers/procurement_register.hpp"
#include "model/store/audit_log.hpp"
#include "model/store/json.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/meetings/meeting_agenda_actions.hpp"
#include "model/meetings/meeting_minutes.hpp"
#include "model/meetings/meeting_record_actions.hpp"
#include "model/meetings/breach_actions.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/http_cache.hpp"
#include "server/meetings/meeting_access.hpp"
#include "server/meetings/meeting_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/routes.hpp"
#include "server/http/year_config.hpp"
#include "server/http/views.hpp"
#include "server/http/http_error.hpp"
#include "server/meetings/brief_pdf.hpp"
#include "server/meetings/meeting_calendar.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/publication_rules.hpp"
#include "server/mail/mail_kinds.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Req = httplib::Request;
using Res = httplib::Response;

const std::string kMeeting = R"(/meetings/(\d+))";

HttpError as_http(const MeetingRefused& e) {
  switch (e.kind) {
    case MeetingRefused::Kind::not_found: return HttpError(404, e.code, e.what());
    case MeetingRefused::Kind::forbidden: return HttpError(403, e.code, e.what());
    case MeetingRefused::Kind::conflict: break;
  }
  return HttpError(409, e.code, e.what());
}

// A handler whose model calls may refuse: the refusal becomes the HTTP error it stands for.
httplib::Server::Handler answering(httplib::Server::Handler handler) {
  return [handler = std::move(handler)](const Req& req, Res& res) {
    try {
      handler(req, res);
    } catch (const MeetingRefused& e) {
      throw as_http(e);
    }
  };
}

std::string two_digits(const std::string& s) { return s.size() == 1 ? "0" + s : s; }

// What a change submitted, after the CSRF check, as read_fields reads it, except that a form's
// meeting date (three inputs) is joined into `date`, and a JSON body's lists of ids become one
// field each: the elements' JSON joined with commas, which Fields::ids reads. A list sent as
// anything but an array is refused at once (422).
Fields submitted(App& app, const Req& req) {
  if (!App::wants_json(req)) {
    Fields in = read_fields(app, req);
    if (!in.has("date") && (in.has("date-day") || in.has("date-month") || in.has("date-year")))
      in.set("date", in.get("date-year") + "-" + two_digits(in.get("date-month")) + "-" + two_digits(in.get("date-day")));
    return in;
  }
  require_csrf(app, req);
  json body = json::object();
  try {
    if (!req.body.empty()) body = json::parse(req.body);
  } catch (const json::exception&) {
    // Every nlohmann error, not only parse_error: a number too large for a double (1e999) is out_of_range.
    throw HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
  std::map<std::string, std::string> lists;
  if (body.is_object())
    for (const auto& [name, what] : {std::pair<std::string, std::string>{"organisation_ids", "organisation ids"}, {"item_ids", "agenda item ids"}}) {
      if (!body.contains(name)) continue;
      const json list = body[name];
      body.erase(name);
      if (!list.is_array()) throw invalid_input(Problems{{name, name + " must be an array of " + what}});
      std::string joined;
      for (const auto& element : list) joined += (joined.empty() ? "" : ",") + element.dump();
      lists[name] = joined;
    }
  try {
    Fields in = Fields::from_json(body);
    for (const auto& [name, joined] : lists) in.set(name, joined);
    return in;
  } catch (const InputError& e) {
    throw HttpError(400, "invalid_json", e.what());
  }
}

FieldLayout layout_of(const Req& req) { return App::wants_json(req) ? FieldLayout::json_body : FieldLayout::page_form; }

// An action's result with the saved record as the API answers it: `shape(saved)`, or its JSON.
template <typename T, typename Shape>
Result<json> as_json(Result<T> r, Shape shape) {
  return {r.saved ? std::optional<json>(shape(*r.saved)) : std::nullopt, std::move(r.problems)};
}
template <typename T>
Result<json> as_json(Result<T> r) {
  return as_json(std::move(r), [](const T& saved) { return json(saved); });
}

// One change, as a page and its API share it.
struct Change {
  // Runs the model's action; the saved record as the API answers it, or the problems.
  std::function<Result<json>(SQLite::Database&, const MeetingActor&, const Req&, const Fields&)> action;
  // Where a form goes once the change is saved (from the API's answer).
  std::function<std::string(const Req&, const json& saved)> back;
  // The form's page, to show its mistakes on (view data with "template").
  std::function<json(SQLite::Database&, const Req&, const MeetingActor&)> page;
  int status = 200;  // the API's answer
};

// Registers the change at `path` and at its API twin, /api/v1 + `path`.
void post_change(App& app, const std::string& path, Change change) {
  const bool of_a_meeting = path.rfind(kMeeting, 0) == 0;
  const bool of_a_breach = path.rfind(R"(/meetings/breaches/(\d+))", 0) == 0;
  auto handler = [&app, change, of_a_meeting, of_a_breach](const Req& req, Res& res) {
    const auto user = require_signed_in(app, req);
    auto actor = meeting_actor(user);
    const Fields in = submitted(app, req);
    auto db = app.pool().acquire();
    // A body's governance account manages only its body's committees' meetings (GovernanceScope);
    // elsewhere it counts as anyone else (a chair keeps the meetings they chair).
    // For it another body's meeting (and a breach about another body's people) does not exist.
    if (actor.governance && user.body_id) {
      const auto scope = governance_scope(*db, user);
      if (of_a_meeting && !scope.sees_meeting(id_at(req, 1))) {
        actor.governance = false;
        const auto m = MeetingStore(*db).find(id_at(req, 1));
        if (!m || !may_manage(*db, user, m->committee_id)) throw not_found("Meeting");
      }
      if (of_a_breach && !scope.sees_breach(id_at(req, 1))) throw not_found("That breach");
    }
    Result<json> out;
    try {
      out = change.action(*db, actor, req, in);
    } catch (const std::invalid_argument& e) {
      throw HttpError(422, "invalid_input", e.what());  // a store's own validation, were a check to miss something
    }
    if (App::wants_json(req)) {
      if (!out.saved) throw invalid_input(out.problems);
      return App::send_json(res, *out.saved, change.status);
    }
    if (out.saved) return res.set_redirect(change.back(req, *out.saved), 303);
    json page = change.page(*db, req, actor);
    show_problems(page, out.problems, in);
    app.render_page(req, res, page.at("template").get<std::string>(), page, 422);
  };
  app.http().Post(path, answering(handler));
  app.http().Post("/api/v1" + path, answering(handler));
}

std::string meeting_path(Id id, const std::string& rest = "") { return "/meetings/" + std::to_string(id) + rest; }

// Back to the page `rest` of the meeting in the path.
std::function<std::string(const Req&, const json&)> back_to(const std::string& rest) {
  return [rest](const Req& req, const json&) { return meeting_path(id_at(req, 1), rest); };
}

// A change to the meeting in the path: `act` gets its id. Tests may change the meeting between the
// handler's reading and the action's transaction (Config::after_meeting_checks).
template <typename Act>
void meeting_change(App& app, const std::string& suffix, Act act, const std::string& back, int status,
                    std::function<json(SQLite::Database&, const Req&, const MeetingActor&)> page) {
  post_change(app, kMeeting + suffix,
              {[&app, act](SQLite::Database& db, const MeetingActor& actor, const Req& req, const Fields& in) {
                 const Id id = id_at(req, 1);
                 if (const auto& hook = app.config().after_meeting_checks) hook(id);
                 return act(db, actor, id, req, in);
               },
               back_to(back), std::move(page), status});
}

std::string issued_notice(const std::string& count) {
  if (count == "0") return "The agenda is issued. Nobody needed a new email: no one is flagged, or everyone flagged was already told.";
  if (count == "1") return "The agenda is issued. 1 person flagged on its items has been emailed.";
  if (count.empty() || count.size() > 6 || count.find_first_not_of("0123456789") != std::string::npos) return "The agenda is issued.";
  return "The agenda is issued. " + count + " people flagged on its items have been emailed.";
}

json manage_page(SQLite::Database& db, const Req& req, const MeetingActor& actor) {
  return manage_view(db, meeting_or_refuse(db, id_at(req, 1)), &actor);
}

json record_page(SQLite::Database& db, const Req& req, const MeetingActor& actor) {
  return record_view(db, meeting_or_refuse(db, id_at(req, 1)), report_audience(actor));
}

json item_page(SQLite::Database& db, const Req& req, const MeetingActor&) {
  const auto m = meeting_or_refuse(db, id_at(req, 1));
  return item_view(db, m, agenda_item_or_refuse(db, m, id_at(req, 2)));
}

json meetings_page(SQLite::Database& db, const MeetingActor& actor) {
  return {{"title", "Meetings"}, {"meetings", meetings_list(db, actor)}, {"committees", committee_options(db, actor)}, {"template", "meetings"}};
}

json breaches_page(SQLite::Database& db, const GovernanceScope& scope) {
  json breaches = breaches_view(db, scope);
  const bool any = !breaches.empty();
  return {{"title", "Breaches register"}, {"breaches", breaches}, {"has_breaches", any}, {"template", "meeting_breaches"}};
}

// The meeting in the path, for its manager: 404 for no such meeting, then 401 or 403.
std::pair<Meeting, CurrentUser> managed_meeting(App& app, const Req& req, SQLite::Database& db) {
  auto m = meeting_or_refuse(db, id_at(req, 1));
  auto user = require_manager(app, req, m.committee_id);
  return {std::move(m), std::move(user)};
}

// The public list of meetings: published ones for everyone. A chair or governance signed in also
// sees a link to the meetings they manage (/meetings/manage, the list with the new meeting form).
json public_list_page(App& app, const Req& req, SQLite::Database& db) {
  std::optional<Id> committee;
  if (req.has_param("committee")) {
    const std::string v = req.get_param_value("committee");
    if (v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos)
      throw HttpError(400, "invalid_input", "committee must be the id of one of the committees listed at /committees");
    committee = std::stoll(v);
  }
  json page = public_meetings_view(db, year_today(app.config()), committee);
  page["title"] = page.contains("committee") ? "Meetings: " + page["committee"]["name"].get<std::string>() : std::string("Meetings");
  if (auto user = app.current_user(req)) page["manages"] = !committee_options(db, meeting_actor(*user)).empty();
  return page;
}

void meetings_routes(App& app) {
  auto& s = app.http();
  s.Get("/meetings", [&app](const Req& req, Res& res) {
    auto db = app.pool().acquire();
    app.render_page(req, res, "meetings_public_list", public_list_page(app, req, *db));
  });
  s.Get("/meetings/manage", [&app](const Req& req, Res& res) {
    const auto actor = meeting_actor(require_signed_in(app, req));
    auto db = app.pool().acquire();
    json page = meetings_page(*db, actor);
    // A body's governance team whose body owns no committee yet sees an empty list.
    if (page["committees"].empty() && !actor.governance)
      throw HttpError(403, "forbidden", "Only committee chairs, vice-chairs and the governance team manage meetings.");
    app.render_page(req, res, "meetings", page);
  });
  s.Get("/my/meetings", [&app](const Req& req, Res& res) {
    const auto user = require_member(app, req);
    auto db = app.pool().acquire();
    json page = my_meetings_view(*db, *user.person_id, year_today(app.config()));
    page["title"] = "My meetings";
    page["manages"] = !committee_options(*db, meeting_actor(user)).empty();
    app.render_page(req, res, "my_meetings", page);
  });
  s.Get("/api/v1/meetings", [&app](const Req& req, Res& res) {
    const auto actor = meeting_actor(require_signed_in(app, req));
    auto db = app.pool().acquire();
    App::send_json(res, {{"meetings", meetings_list(*db, actor)}});
  });
  post_change(app, "/meetings",
              {[](SQLite::Database& db, const MeetingActor& actor, const Req&, const Fields& in) { return as_json(create_meeting(db, actor, in)); },
               [](const Req&, const json& saved) { return meeting_path(saved.at("id").get<Id>(), "/manage"); },
               [](SQLite::Database& db, const Req&, const MeetingActor& actor) { return meetings_page(db, actor); }, 201});
}

json brief_page(SQLite::Database& db, const Meeting& m, const CurrentUser& user, const std::string& organisation_name) {
  auto report = build_conflicts_report(db, m.id, audience_of(user), {}, organisation_name);
  if (!report) throw not_found("Meeting");
  json view = brief_view(*report);
  // Committees in common: links to the other committees' briefs this user may open.
  in_common_links(view, [&](Id committee_id) { return may_manage(db, user, committee_id); });
  view["attendance"] = brief_attendance(db, m);
  view["title"] = "Chair's brief: " + m.title;
  view["meeting"]["date_long"] = long_date(m.date);
  return view;
}

void brief_routes(App& app) {
  auto& s = app.http();
  // A chair's tools ask for the check again and again while nothing changes; it is rebuilt only
  // when the register does. The generation is the last audit id, read in the same snapshot as
  // the check is built from: everything the check reads (meetings, agenda, attendance, people,
  // interests, gifts, decisions, declarations) is written as a new version with an audit row in
  // one transaction. The response carries an ETag, so a client can also ask with If-None-Match.
  auto conflicts_cache = std::make_shared<ResponseCache>(64, 16u << 20);
  s.Get("/api/v1" + kMeeting + "/conflicts", answering([&app, conflicts_cache](const Req& req, Res& res) {
          auto db = app.pool().acquire();
          // Before the snapshot: signing in may write.
          const auto [m, user] = managed_meeting(app, req, *db);
          const auto audience = audience_of(user);
          SQLite::Transaction snapshot(*db);  // read only, rolled back at the end
          const long long generation = last_audit_id(*db);
          // One entry per audience: the governance team's check holds withheld details that a
          // chair's must never be served from the cache.
          const std::string key = std::to_string(m.id) + (audience == ReportAudience::governance ? "/governance" : "/committee");
          const bool use_cache = app.config().conflicts_cache;
          bool claimed = false;
          if (use_cache)
            if (auto hit = conflicts_cache->find_or_claim(key, generation, "", claimed)) return send_cacheable(req, res, hit);
          ReleaseClaim release(*conflicts_cache, key, generation, claimed);
          App::send_json_text(res, conflicts_json_text(*db, m.id, audience, app.config().organisation_name));
          // The gzip copy is made once for a cached check; built each time, it is compressed only
          // for a client that asks (it was a tenth of the check's time).
          // The check is a function of the meeting, the audience and the register at this
          // generation (what the cache relies on too), so that names the ETag: no hash of the body.
          auto body = std::make_shared<const CacheableBody>(
              make_cacheable_identified(res, "conflicts " + key + " " + std::to_string(generation), use_cache));
          send_cacheable(req, res, body);
          if (use_cache) conflicts_cache->store(key, generation, "", std::move(body));
        }));
  s.Get(kMeeting + "/brief", answering([&app](const Req& req, Res& res) {
          auto db = app.pool().acquire();
          const auto [m, user] = managed_meeting(app, req, *db);
          json view = brief_page(*db, m, user, app.config().organisation_name);
          view["print"] = req.get_param_value("print") == "1";
          app.render_page(req, res, "meeting_brief", view);
        }));
  // The brief as a PDF: the print page, printed by headless Chromium (server/meetings/brief_pdf.hpp).
  s.Get(kMeeting + R"(/brief\.pdf)", answering([&app](const Req& req, Res& res) {
          json view;
          {
            auto db = app.pool().acquire();
            const auto [m, user] = managed_meeting(app, req, *db);
            view = brief_page(*db, m, user, app.config().organisation_name);
          }  // the connection goes back to the pool before Chromium starts
          view["print"] = true;
          view["pdf"] = true;
          view["organisation_name"] = app.config().organisation_name;
          view["content"] = render_template("meeting_brief", view);
          const auto pdf = html_to_pdf(render_template("layout", view), app.config().assets_dir, app.config().public_dir);
          switch (pdf.outcome) {
            case PdfOutcome::done: {
              const std::string name = "brief-meeting-" + std::to_string(view["meeting"]["id"].get<Id>()) + ".pdf";
              res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
              res.set_header("Cache-Control", "private, no-store");
              res.set_content(pdf.pdf, "application/pdf");
              return;
            }
            case PdfOutcome::unavailable:
              throw HttpError(503, "pdf_unavailable",
                              "PDF download is not available on this server (Chromium is not installed). Open the print version of the brief and "
                              "use your browser's print command to save it as a PDF.");
            case PdfOutcome::busy:
              throw HttpError(503, "pdf_busy", "Other briefs are being made into PDFs just now. Try again in a minute.");
            case PdfOutcome::failed: break;
          }
          throw HttpError(503, "pdf_failed",
                          "The PDF could not be made. Open the print version of the brief and use your browser's print command instead.");
        }));
}

// A meeting as a calendar entry: for everyone once its agenda or minutes are published; before that, for the people
// who sit on its committee or are on its attendance list, and for those who manage it (404 for
// anyone else, as its page).
void calendar_routes(App& app) {
  app.http().Get(kMeeting + R"(\.ics)", answering([&app](const Req& req, Res& res) {
                   auto db = app.pool().acquire();
                   const auto m = meeting_or_refuse(*db, id_at(req, 1, "Meeting"));
                   if (!is_public_meeting(m)) {
                     const auto user = app.current_user(req);
                     const bool member = user && user->person_id && meeting_people(*db, m).contains(*user->person_id);
                     if (!member && !(user && may_manage(*db, *user, m.committee_id))) throw not_found("Meeting");
                   }
                   const auto committee = CommitteeStore(*db).find(m.committee_id);
                   const std::string base = app.config().effective_base_url();
                   std::string host = base.substr(base.find("://") == std::string::npos ? 0 : base.find("://") + 3);
                   host = host.substr(0, host.find_first_of("/:"));
                   CalendarEvent event;
                   event.uid = "meeting-" + std::to_string(m.id) + "@" + (host.empty() ? std::string("probity") : host);
                   event.stamp = now_instant();
                   event.date = m.date;
                   event.start_time = m.start_time;
                   event.summary = m.title;
                   event.location = m.location;
                   event.description = (committee ? committee->name + ". " : std::string()) + "Declare any interest in an agenda item before the meeting.";
                   event.url = base + meeting_path(m.id);
                   res.set_header("Content-Disposition", "attachment; filename=\"meeting-" + std::to_string(m.id) + ".ics\"");
                   res.set_header("Cache-Control", "private, no-cache");
                   res.set_content(meeting_calendar(event), "text/calendar; charset=utf-8");
                 }));
}

void manage_routes(App& app) {
  auto& s = app.http();
  s.Get(kMeeting + "/manage", answering([&app](const Req& req, Res& res) {
          auto db = app.pool().acquire();
          const auto [meeting, user] = managed_meeting(app, req, *db);
          const auto actor = meeting_actor(user);
          json view = manage_view(*db, meeting, &actor);
          if (req.has_param("issued")) view["issued_notice"] = issued_notice(req.get_param_value("issued"));
          app.render_page(req, res, "meeting_manage", view);
        }));
  s.Get("/api/v1" + kMeeting + "/manage", answering([&app](const Req& req, Res& res) {
          auto db = app.pool().acquire();
          const json view = manage_view(*db, managed_meeting(app, req, *db).first);
          App::send_json(res, {{"meeting", view["meeting"]}, {"attendance", view["attendance"]}, {"items", view["items"]},
                                    {"co_opted", view["co_opted"]}});
        }));
  meeting_change(
      app, "/attendance",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields& in) {
        return as_json(set_attendance(db, actor, id, in, layout_of(req)), [](const auto& rows) { return json{{"attendance", rows}}; });
      },
      "/manage#attendance", 200, manage_page);
  meeting_change(
      app, "/items",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields& in) {
        return as_json(add_agenda_item(db, actor, id, in, layout_of(req)));
      },
      "/manage#agenda", 201, manage_page);
  meeting_change(
      app, "/items/order",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields& in) {
        return as_json(reorder_agenda(db, actor, id, in, layout_of(req)), [](const auto& items) { return json{{"items", items}}; });
      },
      "/manage#agenda", 200, manage_page);
  s.Get(kMeeting + R"(/items/(\d+))", answering([&app](const Req& req, Res& res) {
          auto db = app.pool().acquire();
          const auto meeting = managed_meeting(app, req, *db).first;
          require_unpublished(meeting);
          app.render_page(req, res, "agenda_item", item_view(*db, meeting, agenda_item_or_refuse(*db, meeting, id_at(req, 2))));
        }));
  meeting_change(
      app, R"(/items/(\d+))",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields& in) {
        return as_json(edit_agenda_item(db, actor, id, id_at(req, 2), in, layout_of(req)));
      },
      "/manage#agenda", 200, item_page);
  meeting_change(
      app, R"(/items/(\d+)/withdraw)",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields&) {
        return as_json(withdraw_agenda_item(db, actor, id, id_at(req, 2)));
      },
      "/manage#agenda", 200, item_page);
  // Issuing the agenda: the moment a chair settles it and sends the papers. Each person expected
  // who is flagged on an item is emailed which and why; issued again, only changed flags send.
  post_change(app, kMeeting + "/agenda/issue",
              {[&app](SQLite::Database& db, const MeetingActor& actor, const Req& req, const Fields&) {
                 const Id id = id_at(req, 1);
                 if (const auto& hook = app.config().after_meeting_checks) hook(id);
                 return as_json(change_meeting<AgendaNotices>(db, actor, id,
                                                              [&](const Meeting& m, Problems& problems) -> std::optional<AgendaNotices> {
                                                                if (m.status != MeetingStatus::planned) {
                                                                  problems.add("issue", "The agenda can only be issued before the meeting");
                                                                  return std::nullopt;
                                                                }
                                                                return enqueue_agenda_flags(db, app.config(), m.id, auth_now());
                                                              }),
                                [](const AgendaNotices& n) {
                                  return json{{"enqueued", n.enqueued}, {"already_sent", n.already_sent}, {"without_address", n.without_address}};
                                });
               },
               [](const Req& req, const json& saved) {
                 return meeting_path(id_at(req, 1), "/manage?issued=" + std::to_string(saved.at("enqueued").get<int>()) + "#issue");
               },
               manage_page, 200});
  // Members co-opted from another body for the meeting or one item (they count for quorum).
  meeting_change(
      app, "/co-opted",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields& in) { return as_json(co_opt_member(db, actor, id, in)); },
      "/manage#co-opted", 201, manage_page);
  meeting_change(
      app, R"(/co-opted/(\d+)/stand-down)",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req& req, const Fields&) {
        return Result<json>{json(stand_down_co_opted(db, actor, id, id_at(req, 2))), {}};
      },
      "/manage#co-opted", 200, manage_page);
  meeting_change(
      app, "/held",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields&) {
        return as_json(mark_held_and_draft(db, actor, id), [](const HeldMeeting& held) { return json{{"meeting", held.meeting}, {"breaches", held.breaches}}; });
      },
      "/manage", 200, manage_page);
  // Committees in common: another committee's meeting at the same time and place, sharing this
  // meeting's agenda and attendance; the form goes on to the new meeting's page.
  post_change(app, kMeeting + "/in-common",
              {[&app](SQLite::Database& db, const MeetingActor& actor, const Req& req, const Fields& in) {
                 const Id id = id_at(req, 1);
                 if (const auto& hook = app.config().after_meeting_checks) hook(id);
                 return as_json(hold_in_common(db, actor, id, in));
               },
               [](const Req&, const json& saved) { return meeting_path(saved.at("id").get<Id>(), "/manage"); }, manage_page, 201});
  // Publishing the agenda: the public list and the meeting's page then show it, with its items.
  meeting_change(
      app, "/agenda/publish",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields&) { return as_json(publish_agenda(db, actor, id)); },
      "/manage#publish-agenda", 200, manage_page);
  meeting_change(
      app, "/publish",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields&) { return as_json(publish_meeting(db, actor, id)); },
      "/manage", 200, manage_page);
}

void record_routes(App& app) {
  app.http().Get(kMeeting + "/record", answering([&app](const Req& req, Res& res) {
                   auto db = app.pool().acquire();
                   const auto [m, user] = managed_meeting(app, req, *db);
                   app.render_page(req, res, "meeting_record", record_view(*db, m, audience_of(user), app.config().organisation_name));
                 }));
  meeting_change(
      app, "/declarations",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields& in) { return as_json(record_declaration(db, actor, id, in)); },
      "/record#declarations", 201, record_page);
  meeting_change(
      app, "/decisions",
      [&app](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields& in) {
        // The answer carries the item's quorum as it now stands, so a client sees the effect.
        return as_json(record_decision(db, actor, id, in), [&](const ConflictDecision& saved) {
          return decision_answer(db, saved, report_audience(actor), app.config().organisation_name);
        });
      },
      "/record#conflicts", 201, record_page);
  meeting_change(
      app, "/movements",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields& in) { return as_json(record_movement(db, actor, id, in)); },
      "/record#movements", 201, record_page);
  // How an item was handled: the remedy when inquorate, who presided, independent clinical input.
  meeting_change(
      app, "/outcomes",
      [](SQLite::Database& db, const MeetingActor& actor, Id id, const Req&, const Fields& in) { return as_json(record_item_outcome(db, actor, id, in)); },
      "/record#conflicts", 201, record_page);
}

// The breaches register is governance's; the Conflicts of Interest Guardian reads it too (the
// Guardian's decisions are made on /guardian, server/governance/guardian_routes.cpp).
CurrentUser require_breaches_reader(App& app, const Req& req) {
  auto user = require_user(app, req);
  if (!user.governance && !user.guardian)
    throw HttpError(403, "forbidden", "Only the governance team and the Conflicts of Interest Guardian can use this page.");
  return user;
}

void refuse_unless_governance(const MeetingActor& actor) {
  if (!actor.governance) throw MeetingRefused(MeetingRefused::Kind::forbidden, "forbidden", "Only the governance team can use this page.");
}

json breach_new_page(SQLite::Database& db, const Fields& f) {
  json page = breach_form_view(db, f);
  page["title"] = "Record a breach";
  page["template"] = "meeting_breach_new";
  page["action"] = "/meetings/breaches/new";
  return page;
}

json breach_page(SQLite::Database& db, Id id, bool governance, const Fields* sent = nullptr) {
  auto b = BreachStore(db).find(id);
  if (!b) throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Breach was not found");
  json page = breach_form_view(db, sent ? *sent : breach_fields(*b));
  page["breach"] = breach_row(db, *b);
  page["history"] = breach_history_view(db, id);
  page["title"] = "Breach " + b->ref;
  page["template"] = "meeting_breach";
  page["action"] = "/meetings/breaches/" + std::to_string(id) + "/edit";
  page["can_edit"] = governance && b->status == BreachStatus::open;
  page["can_resolve"] = governance && b->status != BreachStatus::signed_off;
  return page;
}

void breach_routes(App& app) {
  auto& s = app.http();
  s.Get("/meetings/breaches", [&app](const Req& req, Res& res) {
    const auto user = require_breaches_reader(app, req);
    auto db = app.pool().acquire();
    json page = breaches_page(*db, governance_scope(*db, user));
    page["can_record"] = user.governance;
    app.render_page(req, res, "meeting_breaches", page);
  });
  s.Get("/api/v1/meetings/breaches", [&app](const Req& req, Res& res) {
    const auto user = require_breaches_reader(app, req);
    auto db = app.pool().acquire();
    App::send_json(res, {{"breaches", breaches_view(*db, governance_scope(*db, user))}});
  });
  s.Get("/meetings/breaches/new", [&app](const Req& req, Res& res) {
    require_governance_user(app, req);
    auto db = app.pool().acquire();
    app.render_page(req, res, "meeting_breach_new", breach_new_page(*db, {}));
  });
  s.Get(R"(/meetings/breaches/(\d+))", answering([&app](const Req& req, Res& res) {
    const auto user = require_breaches_reader(app, req);
    auto db = app.pool().acquire();
    if (user.governance && !governance_scope(*db, user).sees_breach(id_at(req, 1))) throw HttpError(404, "not_found", "Breach was not found");
    json page = breach_page(*db, id_at(req, 1), user.governance);
    if (req.get_param_value("saved") == "1") page["notice"] = "The breach has been saved. Its earlier versions are kept.";
    app.render_page(req, res, "meeting_breach", page);
  }));
  s.Get(R"(/api/v1/meetings/breaches/(\d+))", answering([&app](const Req& req, Res& res) {
    const auto user = require_breaches_reader(app, req);
    auto db = app.pool().acquire();
    const Id id = id_at(req, 1);
    if (user.governance && !governance_scope(*db, user).sees_breach(id)) throw HttpError(404, "not_found", "Breach was not found");
    auto b = BreachStore(*db).find(id);
    if (!b) throw HttpError(404, "not_found", "Breach was not found");
    App::send_json(res, {{"breach", breach_row(*db, *b)}, {"history", breach_history_view(*db, id)}});
  }));
  post_change(app, "/meetings/breaches/new",
              {[](SQLite::Database& db, const MeetingActor& actor, const Req&, const Fields& in) {
                 refuse_unless_governance(actor);
                 return as_json(*record_breach_by_hand(db, 0, in, actor.audit_name));
               },
               [](const Req&, const json& saved) { return "/meetings/breaches/" + std::to_string(saved.at("id").get<Id>()) + "?saved=1"; },
               [](SQLite::Database& db, const Req&, const MeetingActor&) { return breach_new_page(db, {}); }, 201});
  post_change(app, R"(/meetings/breaches/(\d+)/edit)",
              {[](SQLite::Database& db, const MeetingActor& actor, const Req& req, const Fields& in) {
                 refuse_unless_governance(actor);
                 auto out = record_breach_by_hand(db, id_at(req, 1), in, actor.audit_name);
                 if (!out) throw MeetingRefused(MeetingRefused::Kind::not_found, "not_found", "Breach was not found");
                 return as_json(std::move(*out));
               },
               [](const Req&, const json& saved) { return "/meetings/breaches/" + std::to_string(saved.at("id").get<Id>()) + "?saved=1"; },
               [](SQLite::Database& db, const Req& req, const MeetingActor&) { return breach_page(db, id_at(req, 1), true); }});
  post_change(app, R"(/meetings/breaches/(\d+))",
              {[](SQLite::Database& db, const MeetingActor& actor, const Req& req, const Fields& in) {
                 return as_json(resolve_breach(db, actor, id_at(req, 1), in));
               },
               [](const Req&, const json& saved) { return "/meetings/breaches/" + std::to_string(saved.at("id").get<Id>()) + "?saved=1"; },
               [](SQLite::Database& db, const Req& req, const MeetingActor&) {
                 // The decision is made on the breach's own page (the list's drafts link to it).
                 return breach_page(db, id_at(req, 1), true);
               }});
}
}  // namespace

void register_meeting_routes(App& app) {
  // The header links chairs, vice-chairs and governance to the meetings they manage.
  app.describe_user = [&app](const CurrentUser& user, json& view) {
    bool manages = user.governance;
    if (!manages && user.person_id) {
      auto db = app.pool().acquire();
      manages = !committees_chaired(*db, *user.person_id, year_today(app.config())).empty();
    }
    view["manages_meetings"] = manages;
  };
  meetings_routes(app);
  brief_routes(app);
  calendar_routes(app);
  manage_routes(app);
  record_routes(app);
  // The public view of a published meeting (/meetings/{id}, its JSON and its minutes'
  // declarations section as a page and as text) is in server/public/public_routes.cpp, so it is cached
  // and revalidated like the rest of the register.
  breach_routes(app);
}

}  // namespace probity
