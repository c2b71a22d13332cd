// The public registers and published meetings: pages, JSON API, CSV downloads and the Atom
// feed. Nobody signs in to read them. Each handler parses, asks the read model
// (model/public/public_register.hpp, which applies the publication rules), and renders the model's JSON
// document as a page or sends it as is.
#include <atomic>
#include <charconv>
#include <memory>
#include <mutex>

#include "model/store/audit_log.hpp"
#include "model/store/commit_watch.hpp"
#include "model/public/csv.hpp"
#include "model/meetings/meeting_minutes.hpp"
#include "model/public/public_register.hpp"
#include "model/public/register_json.hpp"
#include "model/base/money.hpp"
#include "model/base/text.hpp"
#include "model/public/public_breaches.hpp"
#include "model/register/bodies.hpp"
#include "model/register/withholding_requests.hpp"
#include "server/http/app.hpp"
#include "server/http/auth.hpp"
#include "server/http/forms.hpp"
#include "server/http/gift_config.hpp"
#include "server/http/http_cache.hpp"
#include "server/http/prepared_answer.hpp"
#include "server/meetings/meeting_access.hpp"
#include "server/meetings/meeting_views.hpp"
#include "server/public/public_views.hpp"
#include "server/http/request_input.hpp"
#include "server/http/request_log.hpp"
#include "server/http/routes.hpp"
#include "server/http/views.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

constexpr std::size_t kFeedEntries = 100;

class PublicArea {
 public:
  explicit PublicArea(App& app) : app_(app) {
    if (!app.config().today.empty()) {
      fixed_today_ = Date::parse(app.config().today);
      if (!fixed_today_) throw ConfigError("today must be a date written YYYY-MM-DD, not \"" + app.config().today + "\"");
    }
    rules_.review_required = app.config().review_required;
    const auto gifts = gift_thresholds(app.config());  // hospitality from suppliers: approval shown publicly
    rules_.supplier_hospitality_needs_approval = gifts.supplier_hospitality_needs_approval;
    rules_.publish_approval_over_pence = gifts.hospitality_max_pence;
    rules_.default_body_name = app.config().organisation_name;  // the default body's name while its own is empty
  }

  Date today() const { return fixed_today_ ? *fixed_today_ : Date::today(); }
  const PublicationRules& rules() const { return rules_; }
  /// What the register's reads keep between requests while nothing is recorded (a broad search's
  /// matches, the gifts totals, deep pages' checkpoints): used whether or not responses are cached.
  RegisterReadCache* read_cache() { return &read_cache_; }
  App& app() { return app_; }

  /// Every read of one response sees one snapshot of the database: the register, the
  /// Last-Modified it is sent with and the cache generation cannot come from different moments.
  struct Read {
    explicit Read(ConnectionPool::Lease l) : lease(std::move(l)) {}
    ConnectionPool::Lease lease;
    std::unique_ptr<SQLite::Transaction> snapshot;
    long long generation = 0;
    /// A build clears this for a response that is not the public's (a meeting's preview for
    /// its chairs): it is then sent but never stored, whoever asked.
    bool cacheable = true;
    /// Set by stream(): the response is sent as it is written, and this read went with it.
    bool streamed = false;
    SQLite::Database& db() { return *lease; }
    /// Several full scans of the version tables: asked only when a response is built.
    const std::optional<std::string>& last_recorded() {
      if (!last_recorded_) last_recorded_ = register_last_recorded(*lease);
      return *last_recorded_;
    }
    /// For a response built from more than the register (a meeting's records): its own latest
    /// change, which should already include the register's.
    void set_last_recorded(std::optional<std::string> at) { last_recorded_ = std::move(at); }

   private:
    std::optional<std::optional<std::string>> last_recorded_;
  };
  Read read() {
    Read r(app_.pool().acquire());
    r.snapshot = std::make_unique<SQLite::Transaction>(*r.lease);  // rolled back at the end: read only
    // Every change to published data is a new version, written with its audit row in one
    // transaction (model/store/versioned_store.hpp), so the last audit id names this state of the register.
    r.generation = last_audit_id(*r.lease);
    return r;
  }

  /// Runs `build` (which fills res's body and Content-Type from the snapshot it is given) unless
  /// this state of the register already has the response, then sends it with validators and gzip.
  /// Signed-in requests are built afresh: the page layout names the user.
  template <typename Build>
  void respond(const httplib::Request& req, httplib::Response& res, Build&& build) {
    const bool use_cache = app_.config().public_cache && !req.has_header("Authorization") && !session_token(req);
    std::string key;
    const std::string day = today().iso();
    std::optional<std::uint64_t> commits;
    if (use_cache) {
      key = req.path;
      for (const auto& [name, value] : req.params) key.append("\n").append(name).append("=").append(value);
      // Nothing committed since a snapshot showed the cached generation: a hit needs no
      // snapshot of its own (benchmarks: 55k -> 70k cached reads a second).
      const CommitWatch* watch = watch_.load(std::memory_order_acquire);
      if (watch && (commits = watch->version()))
        if (auto hit = cache_.find_unchanged(key, *commits, day)) {
          offer(req, hit, *commits, day);
          send_cacheable(req, res, hit);
          return;
        }
    }
    may_block();      // a snapshot, and perhaps a page to build: let other connections be served meanwhile
    auto r = read();  // after reading `commits`: the snapshot includes every commit it counts
    std::call_once(watch_once_, [this] {
      watch_owner_ = std::make_unique<CommitWatch>(app_.config().database);
      watch_.store(watch_owner_.get(), std::memory_order_release);
      if (auto* prepared = app_.prepared_answers())
        prepared->set_source(watch_owner_.get(), [this] { return today().iso(); });
    });
    bool claimed = false;
    if (use_cache) {
      if (commits) cache_.confirm(*commits, r.generation, day);
      // After a write, the readers of a page wait for one of them to build it (load test: 64
      // connections each rebuilding the register page after every declaration timed out).
      if (auto hit = cache_.find_or_claim(key, r.generation, day, claimed)) {
        if (commits) offer(req, hit, *commits, day);
        send_cacheable(req, res, hit);
        return;
      }
    }
    ReleaseClaim release(cache_, key, r.generation, claimed);
    build(r);
    if (r.streamed) return;  // never stored: its waiters (if any) build their own
    if (res.status != 200 && res.status != -1) return;
    auto body = std::make_shared<const CacheableBody>(make_cacheable(res, r.last_recorded(), use_cache));
    send_cacheable(req, res, body);
    if (use_cache && r.cacheable) {
      if (commits) offer(req, body, *commits, day);
      cache_.store(key, r.generation, day, std::move(body));
    }
  }

  /// The connection loop may answer this target itself while nothing is committed after
  /// `commits` (server/http/prepared_answer.hpp): the same rule as find_unchanged.
  void offer(const httplib::Request& req, const std::shared_ptr<const CacheableBody>& body, std::uint64_t commits,
             const std::string& day) {
    if (auto* prepared = app_.prepared_answers()) prepared->offer(req.target, body, commits, day);
  }

  void page(const httplib::Request& req, httplib::Response& res, const std::string& name, json data) {
    app_.render_page(req, res, name, std::move(data));
  }
  static void api(httplib::Response& res, const json& doc) { App::send_json(res, doc); }
  static void download(httplib::Response& res, std::string body, const std::string& type, const std::string& filename) {
    res.set_content(std::move(body), type);
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  }

  /// Sends a broad search's CSV as it is written: chunked transfer, a piece of about 64 KB at a
  /// time, from the snapshot `r`, which the response takes with it (the connection and its read
  /// transaction are kept until the last piece is sent). Such a download can be tens of MB, so
  /// it is neither built whole nor cached; its ETag names what determines its bytes (this
  /// request's path and parameters, the register's generation and day, this process) instead of
  /// hashing them, so a client holding it gets a 304 without the CSV being written. Headers,
  /// 304 and gzip are send_streamed's (server/http/http_cache.hpp). A Range request gets the
  /// whole document built as before.
  ///
  /// An error after the headers cannot become a 500 (send_streamed cuts the transfer short).
  /// Everything that reads more than a chunk's worth (the search, the order) has run before the
  /// headers, in RegisterCsvStream::open, where an error is still an ordinary 500.
  void stream(const httplib::Request& req, httplib::Response& res, Read& r, std::unique_ptr<RegisterCsvStream> csv,
              const std::string& type, const std::string& filename) {
    std::string identity = "stream\n" + req.path;
    for (const auto& [name, value] : req.params) identity.append("\n").append(name).append("=").append(value);
    identity += "\n" + std::to_string(r.generation) + "\n" + today().iso();
    res.set_header("Content-Type", type);
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    auto tagged = make_cacheable_identified(res, identity, false);
    if (const auto& at = r.last_recorded()) tagged.last_modified = http_date(*at);
    // The snapshot and the stream live as long as the response's provider; the stream goes
    // first, its savepoint inside the snapshot. A 304 needs neither, and they end with the
    // handler as usual.
    struct Source {
      std::optional<Read> read;
      std::unique_ptr<RegisterCsvStream> csv;  // after `read`: destroyed first
    };
    auto source = std::make_shared<Source>();
    source->csv = std::move(csv);
    r.streamed = true;
    if (!send_streamed(req, res, tagged, [source](std::string& piece) { return source->csv->next(piece); })) return;
    source->read.emplace(std::move(r));
  }

 private:
  App& app_;
  std::optional<Date> fixed_today_;
  PublicationRules rules_;
  ResponseCache cache_;
  RegisterReadCache read_cache_;
  // Created after the first snapshot, when the database's WAL index surely exists.
  std::once_flag watch_once_;
  std::unique_ptr<CommitWatch> watch_owner_;
  std::atomic<const CommitWatch*> watch_{nullptr};
};


[[noreturn]] void bad_filter(const std::vector<FilterError>& errors) {
  std::string message;
  json details = json::object();
  for (const auto& e : errors) {
    message += (message.empty() ? "" : " ") + e.message + ".";
    details[e.field] = e.message;
  }
  throw HttpError(400, "invalid_filter", message, details);
}

void check_committee(const std::optional<Id>& committee, const std::vector<PublicCommitteeSummary>& committees) {
  if (!committee) return;
  for (const auto& c : committees)
    if (c.id == *committee) return;
  bad_filter({{"committee", "committee must be the id of one of the committees listed at /api/v1/committees"}});
}

// Query parameters arrive percent-decoded as arbitrary bytes; text that is not UTF-8 (or holds
// control characters) would otherwise reach the search and be echoed into pages and JSON.
void require_clean_params(const httplib::Request& req) {
  std::vector<FilterError> errors;
  for (const auto& [name, value] : req.params)
    if (!is_clean_text(value) || !is_clean_text(name))
      errors.push_back({is_clean_text(name) ? name : std::string("parameter"),
                        (is_clean_text(name) ? name : std::string("each parameter")) + " must be text: valid UTF-8 without control characters"});
  if (!errors.empty()) bad_filter(errors);
}

// ?body= names one of the bodies: an id that is no body's is the caller's mistake (400).
void check_body(const std::optional<Id>& body, const std::vector<PublicBodySummary>& bodies) {
  if (!body) return;
  for (const auto& b : bodies)
    if (b.body.id == *body) return;
  bad_filter({{"body", "body must be the id of one of the bodies listed at /api/v1/bodies"}});
}

// The bodies a ?body= is checked against: read only when the request names one (the API and the
// downloads show no list of bodies, so without the parameter they need none).
std::vector<PublicBodySummary> bodies_to_check(const httplib::Request& req, SQLite::Database& db, const PublicArea& area) {
  if (!req.has_param("body")) return {};
  return public_bodies(db, area.today(), area.rules());
}

RegisterFilter register_filter(const httplib::Request& req, const std::vector<PublicCommitteeSummary>& committees,
                               const std::vector<PublicBodySummary>& bodies) {
  require_clean_params(req);
  auto parsed = parse_register_filter(req.params);
  if (!parsed.errors.empty()) bad_filter(parsed.errors);
  check_committee(parsed.filter.committee_id, committees);
  check_body(parsed.filter.body_id, bodies);
  return parsed.filter;
}

PublicGiftFilter gift_filter(const httplib::Request& req, const std::vector<PublicCommitteeSummary>& committees,
                             const std::vector<PublicBodySummary>& bodies) {
  require_clean_params(req);
  auto parsed = parse_gift_filter(req.params);
  if (!parsed.errors.empty()) bad_filter(parsed.errors);
  check_committee(parsed.filter.committee_id, committees);
  check_body(parsed.filter.body_id, bodies);
  return parsed.filter;
}

// Which page of a committee's combined register to show (?page=, ?page_size=, read as the
// register reads them): a bad value is a 400 naming the parameter.
CommitteePage committee_page(const httplib::Request& req) {
  require_clean_params(req);
  auto parsed = parse_committee_page(req.params);
  if (!parsed.errors.empty()) bad_filter(parsed.errors);
  return parsed.page;
}

// A meeting as its public page shows it. Until its minutes are published, its chairs and
// governance see a preview, which never enters the cache; the public sees the agenda alone
// (agenda_only: nothing recorded at the meeting) where `agenda` allows it and the agenda is
// published, and otherwise nothing (404: the meeting does not exist for them).
MeetingMinutes meeting_for_public(PublicArea& area, const httplib::Request& req, PublicArea::Read& r, bool agenda = false) {
  auto minutes = build_meeting_minutes(r.db(), id_at(req, 1, "Meeting"));
  if (!minutes) throw not_found("Meeting");
  if (!minutes->meeting.published) {
    const auto user = area.app().current_user(req);
    if (user && may_manage(r.db(), *user, minutes->meeting.committee_id)) {
      r.cacheable = false;
    } else if (agenda && is_public_meeting(minutes->meeting)) {
      minutes = agenda_only(std::move(*minutes));
    } else {
      throw not_found("Meeting");
    }
  }
  // The Guardian withheld some names from every public page: the minutes say "Name withheld".
  const auto withheld = names_withheld(r.db());
  for (auto& [id, person] : minutes->people)
    if (withheld.contains(id)) {
      person.name = kNameWithheld;
      person.ref.clear();
    }
  r.set_last_recorded(meeting_last_recorded(r.db(), minutes->meeting.id));
  return std::move(*minutes);
}

json committees_doc(const std::vector<PublicCommitteeSummary>& committees) { return {{"committees", committees}}; }

// The feed's data: Atom wants RFC 3339 instants (ours already are) and absolute links.
json feed_view(const std::vector<PublicRegisterChange>& changes, const std::optional<std::string>& last_recorded,
               const Config& config) {
  const std::string base = config.effective_base_url();
  json entries = json::array();
  for (const auto& c : changes) {
    json e = c;
    add_labels(e);
    e["link"] = base + "/register/history/" + std::to_string(c.entry.id);
    e["atom_id"] = e["link"].get<std::string>() + "#version-" + std::to_string(c.version);
    e["change"] = c.entry.withheld() ? "entry withheld" : (c.first ? "new entry" : "entry updated");
    entries.push_back(std::move(e));
  }
  return {{"organisation_name", config.organisation_name},
          {"base_url", base},
          {"updated", changes.empty() ? last_recorded.value_or("1970-01-01T00:00:00Z") : changes.front().recorded_at},
          {"entries", entries}};
}

// "£6" for whole pounds, "£12.50" otherwise: the figures as the guide's sentences say them.
std::string pounds(std::int64_t pence) {
  std::string text = format_pounds(pence);
  if (text.size() > 3 && text.compare(text.size() - 3, 3, ".00") == 0) text.resize(text.size() - 3);
  return "£" + text;
}

json gift_threshold_view(const GiftThresholds& t) {
  return {{"supplier_promotional_max", pounds(t.supplier_promotional_max_pence)},
          {"gift_declare_from", pounds(t.gift_declare_from_pence)},
          {"hospitality_declare_from", pounds(t.hospitality_declare_from_pence)},
          {"hospitality_max", pounds(t.hospitality_max_pence)},
          {"aggregation_months", t.aggregation_months}};
}

// The accessibility statement, privacy notice, contact page and the guide to what to declare:
// the same for everyone, no sign-in. The contact details come from the config; the gift and
// hospitality figures in the guide are the ones the gift form applies.
void register_service_pages(App& app) {
  auto& s = app.http();
  const auto& email = app.config().contact_email;
  const auto& phone = app.config().contact_phone;
  // null, not "": an empty string is still true to a Mustache section.
  const json contact = {{"email", email.empty() ? json(nullptr) : json(email)},
                        {"phone", phone.empty() ? json(nullptr) : json(phone)},
                        {"any", !email.empty() || !phone.empty()}};
  const json gifts = gift_threshold_view(gift_thresholds(app.config()));
  struct Page {
    const char* path;
    const char* name;
    const char* title;
  };
  for (const Page p : {Page{"/accessibility", "accessibility", "Accessibility statement"},
                       Page{"/privacy", "privacy", "Privacy notice"},
                       Page{"/contact", "contact", "Contact the governance team"},
                       Page{"/what-to-declare", "what_to_declare", "What to declare"}}) {
    s.Get(p.path, [&app, contact, gifts, p](const httplib::Request& req, httplib::Response& res) {
      app.render_page(req, res, p.name, {{"title", p.title}, {"contact", contact}, {"gifts", gifts}});
    });
  }
}
}  // namespace

void register_public_routes(App& app) {
  auto area = std::make_shared<PublicArea>(app);
  auto& s = app.http();

  // ---- The register ----
  s.GetQuick("/register", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto committees = public_committees(r.db(), area->today(), area->rules());
      auto bodies = public_bodies(r.db(), area->today(), area->rules());
      auto filter = register_filter(req, committees, bodies);
      auto page = public_register(r.db(), area->today(), filter, area->rules(), {}, area->read_cache());
      area->page(req, res, "register", register_view(page, filter, committees, bodies));
    });
  });
  s.GetQuick("/api/v1/register", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto filter = register_filter(req, public_committees(r.db(), area->today(), area->rules()),
                                    bodies_to_check(req, r.db(), *area));
      area->api(res, public_register(r.db(), area->today(), filter, area->rules(), {}, area->read_cache()));
    });
  });
  s.GetQuick("/register.csv", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto filter = register_filter(req, public_committees(r.db(), area->today(), area->rules()),
                                    bodies_to_check(req, r.db(), *area));
      // The Body column only where there are several bodies: a single body's CSV is as before.
      const bool several = several_bodies(r.db());
      // A broad search's CSV (a large part of the register) is sent as it is written; any other
      // is built whole, and cached with the pages.
      if (req.ranges.empty())
        if (auto csv = RegisterCsvStream::open(r.db(), area->today(), filter, area->rules(), several))
          return area->stream(req, res, r, std::move(csv), "text/csv; charset=utf-8", "register-of-interests.csv");
      area->download(res, register_csv(r.db(), area->today(), filter, area->rules(), several), "text/csv; charset=utf-8",
                     "register-of-interests.csv");
    });
  });
  s.GetQuick("/register.atom", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto changes = public_register_changes(r.db(), area->today(), kFeedEntries, area->rules());
      res.set_content(render_template("register_atom", feed_view(changes, r.last_recorded(), area->app().config())),
                      "application/atom+xml; charset=utf-8");
    });
  });

  // ---- One entry's history ----
  s.GetQuick(R"(/register/history/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto history = public_entry_history(r.db(), id_at(req, 1, "Register entry"), area->today(), area->rules());
      if (!history) throw not_found("Register entry");
      json doc = *history;
      add_labels(doc);
      area->page(req, res, "entry_history", {{"title", "History of a register entry: " + history->person.name}, {"history", doc}});
    });
  });
  s.GetQuick(R"(/api/v1/register/history/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto history = public_entry_history(r.db(), id_at(req, 1, "Register entry"), area->today(), area->rules());
      if (!history) throw not_found("Register entry");
      area->api(res, *history);
    });
  });

  // ---- People ----
  s.GetQuick(R"(/people/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto person = public_person(r.db(), id_at(req, 1, "Person"), area->today(), area->rules());
      if (!person) throw not_found("Person");
      json doc = *person;
      add_labels(doc);
      area->page(req, res, "person",
                 {{"title", person->person.name}, {"person", doc}, {"several_bodies", several_bodies(r.db())},
                  {"any_interests", !person->interests.empty()},
                  {"any_gifts", !person->gifts.empty()}, {"any_memberships", !person->memberships.empty()},
                  {"any_nil_returns", !person->nil_returns.empty()}});
    });
  });
  s.GetQuick(R"(/api/v1/people/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto person = public_person(r.db(), id_at(req, 1, "Person"), area->today(), area->rules());
      if (!person) throw not_found("Person");
      area->api(res, *person);
    });
  });

  // ---- Bodies: each body's register, or where it publishes its own ----
  s.GetQuick("/bodies", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      area->page(req, res, "bodies", bodies_view(public_bodies(r.db(), area->today(), area->rules())));
    });
  });
  s.GetQuick("/api/v1/bodies", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      area->api(res, {{"bodies", public_bodies(r.db(), area->today(), area->rules())}});
    });
  });

  // ---- Committees ----
  s.GetQuick("/committees", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto committees = public_committees(r.db(), area->today(), area->rules());
      json doc = committees_doc(committees);
      for (auto& c : doc["committees"])  // several bodies: each committee's owning bodies, in a list
        for (std::size_t i = 0; i < c["bodies"].size(); ++i) c["bodies"][i]["first"] = i == 0;
      area->page(req, res, "committees",
                 {{"title", "Committees"}, {"committees", doc}, {"any", !committees.empty()},
                  {"several_bodies", several_bodies(r.db())}});
    });
  });
  s.GetQuick("/api/v1/committees", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      area->api(res, committees_doc(public_committees(r.db(), area->today(), area->rules())));
    });
  });
  s.GetQuick(R"(/committees/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto committee = public_committee(r.db(), id_at(req, 1, "Committee"), area->today(), area->rules(), committee_page(req));
      if (!committee) throw not_found("Committee");
      area->page(req, res, "committee", committee_view(*committee, several_bodies(r.db())));
    });
  });
  s.GetQuick(R"(/api/v1/committees/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto committee = public_committee(r.db(), id_at(req, 1, "Committee"), area->today(), area->rules(), committee_page(req));
      if (!committee) throw not_found("Committee");
      area->api(res, *committee);
    });
  });

  // ---- Published meetings: the agenda and the minutes' declarations section ----
  s.GetQuick(R"(/meetings/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto minutes = meeting_for_public(*area, req, r, true);
      json view = minutes_view(json(minutes));
      view["title"] = minutes.meeting.title;
      // The agenda alone, to the public, before the minutes; a preview of them to their managers.
      const bool agenda_only = !minutes.meeting.published && r.cacheable;
      view["agenda_only"] = agenda_only;
      view["preview"] = !minutes.meeting.published && !agenda_only;
      area->page(req, res, "meeting_public", view);
    });
  });
  s.GetQuick(R"(/api/v1/meetings/(\d+))", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) { area->api(res, meeting_for_public(*area, req, r, true)); });
  });
  // The minutes' declarations section, to paste into the minutes: a page and plain text.
  s.GetQuick(R"(/meetings/(\d+)/minutes)", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto minutes = meeting_for_public(*area, req, r);
      json view = minutes_view(json(minutes));
      view["title"] = "Declarations of interest: " + minutes.meeting.title;
      area->page(req, res, "meeting_minutes", view);
    });
  });
  s.GetQuick(R"(/meetings/(\d+)/minutes\.txt)", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      res.set_content(minutes_declarations_text(meeting_for_public(*area, req, r)), "text/plain; charset=utf-8");
    });
  });

  // ---- The pages every public service has, linked from every page's footer ----
  register_service_pages(app);

  // ---- Gifts and hospitality ----
  s.GetQuick("/gifts", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto committees = public_committees(r.db(), area->today(), area->rules());
      auto bodies = public_bodies(r.db(), area->today(), area->rules());
      auto filter = gift_filter(req, committees, bodies);
      area->page(req, res, "gifts",
                 gifts_view(public_gifts_page(r.db(), area->today(), filter, area->rules(), area->read_cache()), filter, committees,
                            bodies));
    });
  });
  s.GetQuick("/api/v1/gifts", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto filter = gift_filter(req, public_committees(r.db(), area->today(), area->rules()),
                                bodies_to_check(req, r.db(), *area));
      area->api(res, public_gifts_page(r.db(), area->today(), filter, area->rules(), area->read_cache()));
    });
  });
  s.GetQuick("/gifts.csv", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      auto filter = gift_filter(req, public_committees(r.db(), area->today(), area->rules()),
                                bodies_to_check(req, r.db(), *area));
      area->download(res, gifts_csv(public_gifts(r.db(), area->today(), filter, area->rules())),
                     "text/csv; charset=utf-8", "gifts-and-hospitality.csv");
    });
  });

  // ---- Breaches: those the Conflicts of Interest Guardian signed off, anonymised ----
  s.GetQuick("/breaches", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      r.set_last_recorded(breaches_last_recorded(r.db()));
      const json breaches = public_breaches(r.db());
      area->page(req, res, "breaches", {{"title", "Breaches of the conflicts of interest policy"}, {"breaches", breaches},
                                        {"any_breaches", !breaches.empty()}});
    });
  });
  s.GetQuick("/api/v1/breaches", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      r.set_last_recorded(breaches_last_recorded(r.db()));
      const auto breaches = public_breaches(r.db());
      area->api(res, {{"total", breaches.size()}, {"breaches", breaches}});
    });
  });
  s.GetQuick("/breaches.csv", [area](const httplib::Request& req, httplib::Response& res) {
    area->respond(req, res, [&](PublicArea::Read& r) {
      r.set_last_recorded(breaches_last_recorded(r.db()));
      area->download(res, breaches_csv(public_breaches(r.db())), "text/csv; charset=utf-8", "breaches.csv");
    });
  });
}

}  // namespace probity
