#include "model/bundle.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "model/committee_admin.hpp"
#include "model/committee_store.hpp"
#include "model/database.hpp"
#include "model/declaration_store.hpp"
#include "model/meeting_record_store.hpp"
#include "model/meeting_store.hpp"
#include "model/organisation_store.hpp"
#include "model/person_admin.hpp"
#include "model/person_store.hpp"
#include "model/user_store.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

constexpr std::size_t kShortText = 300;  // names, positions, titles
constexpr std::size_t kLongText = 5000;  // nature, descriptions, actions

// A reference from one entity to another, remembered with where it was written so that an
// unresolvable ref is reported at the right path.
struct Link {
  std::string kind;  // "organisations", "people", ...
  std::string ref;
  std::string path;
};

std::string singular(const std::string& kind) {
  static const std::map<std::string, std::string> names = {
      {"organisations", "organisation"}, {"people", "person"},   {"committees", "committee"},
      {"interests", "interest"},         {"gifts", "gift"},       {"nil_returns", "nil return"},
      {"meetings", "meeting"},           {"agenda_items", "agenda item"}};
  return names.at(kind);
}

// Reads fields of one JSON object, recording every problem with its path.
class Reader {
 public:
  Reader(std::vector<BundleError>& errors, const json& obj, std::string path)
      : errors_(errors), obj_(obj), path_(std::move(path)) {}

  std::string at(const std::string& key) const { return path_ + "." + key; }
  const std::string& path() const { return path_; }
  void error(const std::string& key, std::string message) const { errors_.push_back({at(key), std::move(message)}); }

  void only(std::initializer_list<const char*> allowed) const {
    std::set<std::string> ok(allowed.begin(), allowed.end());
    for (const auto& [key, value] : obj_.items())
      if (!ok.count(key)) errors_.push_back({at(key), "unknown field"});
  }

  const json& value(const std::string& key) const { return obj_.at(key); }

  bool present(const std::string& key) const { return obj_.contains(key) && !obj_.at(key).is_null(); }

  std::string text(const std::string& key, bool required, std::size_t max_length) const {
    if (!present(key)) {
      if (required) error(key, "required");
      return {};
    }
    const json& v = obj_.at(key);
    if (!v.is_string()) {
      error(key, "must be a string");
      return {};
    }
    std::string s = v.get<std::string>();
    if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) error(key, "must not be empty");
    else if (s.size() > max_length) error(key, "must be at most " + std::to_string(max_length) + " characters");
    return s;
  }

  bool flag(const std::string& key, bool fallback) const {
    if (!present(key)) return fallback;
    if (!obj_.at(key).is_boolean()) {
      error(key, "must be true or false");
      return fallback;
    }
    return obj_.at(key).get<bool>();
  }

  int integer(const std::string& key, int fallback, int min, int max) const {
    if (!present(key)) return fallback;
    const json& v = obj_.at(key);
    if (!v.is_number_integer() || v.get<long long>() < min || v.get<long long>() > max) {
      error(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return fallback;
    }
    return static_cast<int>(v.get<long long>());
  }

  std::optional<Date> date(const std::string& key, bool required) const {
    if (!present(key)) {
      if (required) error(key, "required");
      return std::nullopt;
    }
    const json& v = obj_.at(key);
    std::optional<Date> d = v.is_string() ? Date::parse(v.get<std::string>()) : std::nullopt;
    if (!d) error(key, "not a date (expected YYYY-MM-DD)");
    return d;
  }

  template <typename E>
  E choice(const std::string& key, std::optional<E> fallback) const {
    if (!present(key)) {
      if (!fallback) error(key, "required");
      return fallback.value_or(E{});
    }
    const json& v = obj_.at(key);
    std::optional<E> e = v.is_string() ? enum_from_string<E>(v.get<std::string>()) : std::nullopt;
    if (!e) {
      error(key, (v.is_string() ? "unknown value \"" + v.get<std::string>() + "\"" : std::string("must be a string")) +
                     " (expected one of " + enum_choices<E>() + ")");
      return fallback.value_or(E{});
    }
    return *e;
  }

  std::optional<Link> link(const std::string& key, const std::string& kind, bool required) const {
    if (!present(key)) {
      if (required) error(key, "required");
      return std::nullopt;
    }
    const json& v = obj_.at(key);
    if (!v.is_string() || v.get<std::string>().empty()) {
      error(key, "must be the ref of " + std::string(kind == "organisations" ? "an " : "a ") + singular(kind));
      return std::nullopt;
    }
    return Link{kind, v.get<std::string>(), at(key)};
  }

  std::string ref() const {
    std::string r = text("ref", true, 100);
    return r;
  }

  const json* list(const std::string& key) const {
    if (!present(key)) return nullptr;
    if (!obj_.at(key).is_array()) {
      error(key, "must be an array");
      return nullptr;
    }
    return &obj_.at(key);
  }

 private:
  std::vector<BundleError>& errors_;
  const json& obj_;
  std::string path_;
};

template <typename T>
struct Draft {
  T entity;
  std::string path;
  std::map<std::string, Link> links;  // field name -> link
  std::vector<Link> many;            // agenda item organisations
};

struct Parsed {
  std::vector<Draft<Organisation>> organisations;
  std::vector<Draft<Person>> people;
  std::vector<Draft<Committee>> committees;
  std::vector<Draft<Membership>> memberships;  // links: committee (by index), person
  std::vector<std::size_t> membership_committee;
  std::vector<Draft<Interest>> interests;
  std::vector<Draft<Gift>> gifts;
  std::vector<Draft<NilReturn>> nil_returns;
  std::vector<Draft<Meeting>> meetings;
  std::vector<bool> meeting_lists_agenda;  // an "agenda" given is the meeting's whole agenda
  std::vector<Draft<Attendance>> attendances;
  std::vector<std::size_t> attendance_meeting;
  std::vector<Draft<AgendaItem>> agenda_items;
  std::vector<std::size_t> agenda_meeting;
};

void check_period(const Reader& r, const std::optional<Date>& from, const std::optional<Date>& to, const char* to_key) {
  if (from && to && *to < *from) r.error(to_key, "must not be before from");
}

void check_identifier(const Reader& r, const std::string& identifier) {
  for (char c : identifier)
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      r.error("identifier", "must be letters and digits only (an ODS code or Companies House number)");
      return;
    }
  if (identifier.size() > 20) r.error("identifier", "must be at most 20 characters");
}

Parsed parse(const json& bundle, std::vector<BundleError>& errors) {
  Parsed p;
  Reader top(errors, bundle, "$");
  top.only({"format", "version", "organisations", "people", "committees", "interests", "gifts", "nil_returns", "meetings"});
  if (bundle.contains("format") && bundle.at("format") != "probity-bundle")
    errors.push_back({"format", "must be \"probity-bundle\""});
  if (bundle.contains("version") && bundle.at("version") != 1) errors.push_back({"version", "unsupported version (expected 1)"});

  auto each = [&](const char* key, auto&& fn) {
    const json* list = top.list(key);
    if (!list) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      if (!(*list)[i].is_object()) {
        errors.push_back({path, "must be an object"});
        continue;
      }
      fn(Reader(errors, (*list)[i], path));
    }
  };
  // "$.x" paths read better as plain "x" at the top level.
  auto fix_top_paths = [&] {
    for (auto& e : errors)
      if (e.path.rfind("$.", 0) == 0) e.path = e.path.substr(2);
  };

  each("organisations", [&](const Reader& r) {
    r.only({"ref", "name", "identifier", "kind", "parent"});
    Draft<Organisation> d;
    d.path = r.path();
    d.entity.ref = r.ref();
    d.entity.name = r.text("name", true, kShortText);
    d.entity.identifier = r.text("identifier", false, 100);
    check_identifier(r, d.entity.identifier);
    d.entity.kind = r.choice<OrganisationKind>("kind", OrganisationKind::other);
    if (auto l = r.link("parent", "organisations", false)) d.links.emplace("parent", *l);
    p.organisations.push_back(std::move(d));
  });

  each("people", [&](const Reader& r) {
    r.only({"ref", "name", "email", "kind", "position", "practice", "left_on"});
    Draft<Person> d;
    d.path = r.path();
    d.entity.ref = r.ref();
    d.entity.name = r.text("name", true, kPersonTextMax);
    d.entity.email = r.text("email", false, kEmailMax);
    if (!d.entity.email.empty() && d.entity.email.size() <= kEmailMax && !email_well_formed(d.entity.email))
      r.error("email", "not an email address");
    d.entity.kind = r.choice<PersonKind>("kind", std::nullopt);
    d.entity.position = r.text("position", false, kPersonTextMax);
    if (auto l = r.link("practice", "organisations", false)) d.links.emplace("practice", *l);
    d.entity.left_on = r.date("left_on", false);
    p.people.push_back(std::move(d));
  });

  each("committees", [&](const Reader& r) {
    r.only({"ref", "name", "description", "quorum", "members"});
    Draft<Committee> d;
    d.path = r.path();
    d.entity.ref = r.ref();
    d.entity.name = r.text("name", true, kShortText);
    d.entity.description = r.text("description", false, kLongText);
    if (r.present("quorum")) {
      const json& q = r.value("quorum");
      if (!q.is_object()) {
        r.error("quorum", "must be an object");
      } else {
        Reader qr(errors, q, r.at("quorum"));
        qr.only({"min_voting", "min_lay", "min_executive", "min_clinical", "lay_executive_majority", "lay_chair"});
        d.entity.quorum.min_voting = qr.integer("min_voting", 0, 0, kMaxQuorumCount);
        d.entity.quorum.min_lay = qr.integer("min_lay", 0, 0, kMaxQuorumCount);
        d.entity.quorum.min_executive = qr.integer("min_executive", 0, 0, kMaxQuorumCount);
        d.entity.quorum.min_clinical = qr.integer("min_clinical", 0, 0, kMaxQuorumCount);
        d.entity.quorum.lay_executive_majority = qr.flag("lay_executive_majority", false);
        d.entity.quorum.lay_chair = qr.flag("lay_chair", false);
      }
    }
    const std::size_t committee_index = p.committees.size();
    if (const json* members = r.list("members")) {
      for (std::size_t j = 0; j < members->size(); ++j) {
        std::string path = r.at("members") + "[" + std::to_string(j) + "]";
        if (!(*members)[j].is_object()) {
          errors.push_back({path, "must be an object"});
          continue;
        }
        Reader m(errors, (*members)[j], path);
        m.only({"person", "role", "from", "to"});
        Draft<Membership> md;
        md.path = path;
        if (auto l = m.link("person", "people", true)) md.links.emplace("person", *l);
        md.entity.role = m.choice<CommitteeRole>("role", std::nullopt);
        auto from = m.date("from", true);
        auto to = m.date("to", false);
        check_period(m, from, to, "to");
        md.entity.from = from.value_or(Date{});
        md.entity.to = to;
        p.memberships.push_back(std::move(md));
        p.membership_committee.push_back(committee_index);
      }
    }
    p.committees.push_back(std::move(d));
  });

  each("interests", [&](const Reader& r) {
    r.only({"ref", "person", "category", "indirect", "relationship", "organisation", "nature", "from", "to",
            "action_taken", "declared_on", "status", "withheld", "withheld_reason"});
    Draft<Interest> d;
    d.path = r.path();
    Interest& e = d.entity;
    e.ref = r.ref();
    if (auto l = r.link("person", "people", true)) d.links.emplace("person", *l);
    e.category = r.choice<InterestCategory>("category", std::nullopt);
    e.indirect = r.flag("indirect", e.category == InterestCategory::indirect);
    e.relationship = r.text("relationship", false, kShortText);
    if (e.indirect && e.relationship.empty() && !r.present("relationship"))
      r.error("relationship", "required for an indirect interest (e.g. spouse, partner, parent, child)");
    if (auto l = r.link("organisation", "organisations", false)) d.links.emplace("organisation", *l);
    e.nature = r.text("nature", true, kLongText);
    auto from = r.date("from", true);
    auto to = r.date("to", false);
    check_period(r, from, to, "to");
    e.from = from.value_or(Date{});
    e.to = to;
    e.action_taken = r.text("action_taken", false, kLongText);
    e.declared_on = r.date("declared_on", true).value_or(Date{});
    e.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
    e.withheld = r.flag("withheld", false);
    e.withheld_reason = r.text("withheld_reason", false, kLongText);
    if (e.withheld && e.withheld_reason.empty() && !r.present("withheld_reason"))
      r.error("withheld_reason", "required when withheld is true");
    p.interests.push_back(std::move(d));
  });

  each("gifts", [&](const Reader& r) {
    r.only({"ref", "person", "kind", "organisation", "source", "from_supplier", "cash_or_voucher", "description", "value",
            "offered_on", "outcome", "approved_by", "declared_on", "status"});
    Draft<Gift> d;
    d.path = r.path();
    Gift& e = d.entity;
    e.ref = r.ref();
    if (auto l = r.link("person", "people", true)) d.links.emplace("person", *l);
    e.kind = r.choice<GiftKind>("kind", std::nullopt);
    if (auto l = r.link("organisation", "organisations", false)) d.links.emplace("organisation", *l);
    e.source = r.text("source", false, kShortText);
    if (e.source.empty() && !r.present("organisation") && !r.present("source"))
      r.error("source", "required when no organisation is given");
    e.from_supplier = r.flag("from_supplier", false);
    e.cash_or_voucher = r.flag("cash_or_voucher", false);
    e.description = r.text("description", true, kLongText);
    if (!r.present("value")) {
      r.error("value", "required");
    } else {
      const json& v = r.value("value");
      std::string s = v.is_string() ? v.get<std::string>() : "";
      if (!s.empty() && s[0] == '-') r.error("value", "must not be negative");
      else if (auto pence = v.is_string() ? parse_pounds(s) : std::nullopt) e.value_pence = *pence;
      else r.error("value", "not an amount (expected pounds as a string like \"45.00\")");
    }
    e.offered_on = r.date("offered_on", true).value_or(Date{});
    e.outcome = r.choice<GiftOutcome>("outcome", std::nullopt);
    e.approved_by = r.text("approved_by", false, kShortText);
    e.declared_on = r.date("declared_on", true).value_or(Date{});
    e.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
    p.gifts.push_back(std::move(d));
  });

  each("nil_returns", [&](const Reader& r) {
    r.only({"ref", "person", "made_on", "statement", "status"});
    Draft<NilReturn> d;
    d.path = r.path();
    d.entity.ref = r.ref();
    if (auto l = r.link("person", "people", true)) d.links.emplace("person", *l);
    d.entity.made_on = r.date("made_on", true).value_or(Date{});
    d.entity.statement = r.text("statement", false, kLongText);
    d.entity.status = r.choice<DeclarationStatus>("status", DeclarationStatus::submitted);
    p.nil_returns.push_back(std::move(d));
  });

  each("meetings", [&](const Reader& r) {
    r.only({"ref", "committee", "title", "date", "location", "status", "published", "attendance", "agenda"});
    Draft<Meeting> d;
    d.path = r.path();
    d.entity.ref = r.ref();
    if (auto l = r.link("committee", "committees", true)) d.links.emplace("committee", *l);
    d.entity.title = r.text("title", true, kShortText);
    d.entity.date = r.date("date", true).value_or(Date{});
    d.entity.location = r.text("location", false, kShortText);
    d.entity.status = r.choice<MeetingStatus>("status", MeetingStatus::planned);
    d.entity.published = r.flag("published", false);
    const std::size_t meeting_index = p.meetings.size();
    p.meeting_lists_agenda.push_back(r.present("agenda"));
    if (const json* attendance = r.list("attendance")) {
      std::set<std::string> seen;
      for (std::size_t j = 0; j < attendance->size(); ++j) {
        std::string path = r.at("attendance") + "[" + std::to_string(j) + "]";
        if (!(*attendance)[j].is_object()) {
          errors.push_back({path, "must be an object"});
          continue;
        }
        Reader a(errors, (*attendance)[j], path);
        a.only({"person", "status"});
        Draft<Attendance> ad;
        ad.path = path;
        if (auto l = a.link("person", "people", true)) {
          if (!seen.insert(l->ref).second) a.error("person", "listed twice for this meeting");
          ad.links.emplace("person", *l);
        }
        ad.entity.status = a.choice<AttendanceStatus>("status", AttendanceStatus::expected);
        p.attendances.push_back(std::move(ad));
        p.attendance_meeting.push_back(meeting_index);
      }
    }
    if (const json* agenda = r.list("agenda")) {
      for (std::size_t j = 0; j < agenda->size(); ++j) {
        std::string path = r.at("agenda") + "[" + std::to_string(j) + "]";
        if (!(*agenda)[j].is_object()) {
          errors.push_back({path, "must be an object"});
          continue;
        }
        Reader a(errors, (*agenda)[j], path);
        a.only({"ref", "title", "description", "category", "organisations", "affects_all_gp_practices"});
        Draft<AgendaItem> ad;
        ad.path = path;
        ad.entity.ref = a.ref();
        ad.entity.position = static_cast<int>(j) + 1;
        ad.entity.title = a.text("title", true, kShortText);
        ad.entity.description = a.text("description", false, kLongText);
        ad.entity.category = a.choice<AgendaCategory>("category", AgendaCategory::other);
        ad.entity.affects_all_gp_practices =
            a.flag("affects_all_gp_practices", affects_all_gp_practices_by_default(ad.entity.category));
        if (const json* orgs = a.list("organisations")) {
          for (std::size_t k = 0; k < orgs->size(); ++k) {
            std::string opath = a.at("organisations") + "[" + std::to_string(k) + "]";
            if (!(*orgs)[k].is_string() || (*orgs)[k].get<std::string>().empty())
              errors.push_back({opath, "must be the ref of an organisation"});
            else
              ad.many.push_back(Link{"organisations", (*orgs)[k].get<std::string>(), opath});
          }
        }
        p.agenda_items.push_back(std::move(ad));
        p.agenda_meeting.push_back(meeting_index);
      }
    }
    p.meetings.push_back(std::move(d));
  });
  fix_top_paths();
  return p;
}

// Refs known for each kind: those defined in the file (id filled when written) and those
// already in the database.
class RefTable {
 public:
  explicit RefTable(SQLite::Database& db) : db_(db) {}

  void define(const std::string& kind, const std::string& ref, const std::string& path, std::vector<BundleError>& errors) {
    if (ref.empty()) return;
    auto [it, fresh] = in_file_[kind].emplace(ref, path);
    if (!fresh) errors.push_back({path + ".ref", "duplicate ref \"" + ref + "\" (also at " + it->second + ")"});
  }

  bool known(const Link& l) {
    if (in_file_[l.kind].count(l.ref)) return true;
    return existing_id(l.kind, l.ref).has_value();
  }

  std::optional<Id> existing_id(const std::string& kind, const std::string& ref) {
    static const std::map<std::string, std::string> tables = {
        {"organisations", "organisations"}, {"people", "people"}, {"committees", "committees"},
        {"interests", "interests"}, {"gifts", "gifts"}, {"nil_returns", "nil_returns"},
        {"meetings", "meetings"}, {"agenda_items", "agenda_items"}};
    SQLite::Statement q(db_, "SELECT id FROM " + tables.at(kind) + " WHERE ref = ?");
    q.bind(1, ref);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    return std::nullopt;
  }

  Id id(const Link& l) {
    auto it = written_[l.kind].find(l.ref);
    if (it != written_[l.kind].end()) return it->second;
    auto existing = existing_id(l.kind, l.ref);
    if (!existing) throw std::logic_error("unresolved ref after validation: " + l.ref);
    return *existing;
  }

  void written(const std::string& kind, const std::string& ref, Id id) { written_[kind][ref] = id; }

 private:
  SQLite::Database& db_;
  std::map<std::string, std::map<std::string, std::string>> in_file_;
  std::map<std::string, std::map<std::string, Id>> written_;
};

template <typename T>
void check_links(const std::vector<Draft<T>>& drafts, RefTable& refs, std::vector<BundleError>& errors) {
  for (const auto& d : drafts) {
    for (const auto& [field, l] : d.links)
      if (!refs.known(l)) errors.push_back({l.path, "no " + singular(l.kind) + " with ref \"" + l.ref + "\""});
    for (const auto& l : d.many)
      if (!refs.known(l)) errors.push_back({l.path, "no " + singular(l.kind) + " with ref \"" + l.ref + "\""});
  }
}

// Organisations must be written parents first; a cycle of parents within the file is an error.
std::vector<std::size_t> organisation_order(const Parsed& p, std::vector<BundleError>& errors) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < p.organisations.size(); ++i) index[p.organisations[i].entity.ref] = i;
  std::vector<int> state(p.organisations.size(), 0);  // 0 new, 1 visiting, 2 done
  std::vector<std::size_t> order;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] != 0) return;
    state[i] = 1;
    auto parent = p.organisations[i].links.find("parent");
    if (parent != p.organisations[i].links.end()) {
      auto it = index.find(parent->second.ref);
      if (it != index.end()) {
        if (state[it->second] == 1) errors.push_back({parent->second.path, "organisations' parents form a cycle"});
        else visit(it->second);
      }
    }
    state[i] = 2;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < p.organisations.size(); ++i) visit(i);
  return order;
}

// A meeting's "agenda" in a bundle is its whole agenda: items already on it that the bundle
// leaves out are withdrawn (a new version; nothing is deleted). An item with declarations or
// decisions recorded against it at the meeting cannot be left out, as the minutes cite it.
std::vector<AgendaItem> agenda_withdrawals(SQLite::Database& db, const Parsed& p, RefTable& refs,
                                           std::vector<BundleError>& errors) {
  std::set<std::string> listed;
  for (const auto& d : p.agenda_items) listed.insert(d.entity.ref);
  AgendaItemStore store(db);
  std::vector<AgendaItem> out;
  for (std::size_t i = 0; i < p.meetings.size(); ++i) {
    if (!p.meeting_lists_agenda[i]) continue;
    const auto meeting = refs.existing_id("meetings", p.meetings[i].entity.ref);
    if (!meeting) continue;
    for (const auto& item : store.for_meeting(*meeting)) {
      if (listed.count(item.ref)) continue;
      if (agenda_item_has_records(db, item.id))
        errors.push_back({p.meetings[i].path + ".agenda", "leaves out item \"" + item.ref +
                                                              "\", which has declarations or decisions recorded at the meeting; list it"});
      else
        out.push_back(item);
    }
  }
  return out;
}

template <typename Store, typename T>
Id write(Store& store, T& entity, const std::string& actor, std::optional<Id> existing) {
  if (existing) entity.id = *existing;
  store.save(entity, actor);
  return entity.id;
}

}  // namespace

ImportResult import_bundle(SQLite::Database& db, const json& bundle, const std::string& actor) {
  ImportResult result;
  if (!bundle.is_object()) {
    result.errors.push_back({"$", "must be a JSON object"});
    return result;
  }
  Parsed p = parse(bundle, result.errors);

  RefTable refs(db);
  for (const auto& d : p.organisations) refs.define("organisations", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.people) refs.define("people", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.committees) refs.define("committees", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.interests) refs.define("interests", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.gifts) refs.define("gifts", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.nil_returns) refs.define("nil_returns", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.meetings) refs.define("meetings", d.entity.ref, d.path, result.errors);
  for (const auto& d : p.agenda_items) refs.define("agenda_items", d.entity.ref, d.path, result.errors);
  check_links(p.organisations, refs, result.errors);
  check_links(p.people, refs, result.errors);
  check_links(p.memberships, refs, result.errors);
  check_links(p.interests, refs, result.errors);
  check_links(p.gifts, refs, result.errors);
  check_links(p.nil_returns, refs, result.errors);
  check_links(p.meetings, refs, result.errors);
  check_links(p.attendances, refs, result.errors);
  check_links(p.agenda_items, refs, result.errors);
  auto org_order = organisation_order(p, result.errors);
  if (!result.errors.empty()) return result;
  const auto withdrawals = agenda_withdrawals(db, p, refs, result.errors);
  if (!result.errors.empty()) return result;

  OrganisationStore organisations(db);
  PersonStore people(db);
  CommitteeStore committees(db);
  MembershipStore memberships(db);
  InterestStore interests(db);
  GiftStore gifts(db);
  NilReturnStore nil_returns(db);
  MeetingStore meetings(db);
  AttendanceStore attendances(db);
  AgendaItemStore agenda_items(db);
  json ids = json::object();
  auto record = [&](const std::string& kind, const std::string& ref, Id id) {
    refs.written(kind, ref, id);
    ids[kind][ref] = id;
  };
  auto opt_link = [&](auto& d, const char* field) -> std::optional<Id> {
    auto it = d.links.find(field);
    if (it == d.links.end()) return std::nullopt;
    return refs.id(it->second);
  };

  WriteTransaction tx(db);
  for (std::size_t i : org_order) {
    auto& d = p.organisations[i];
    d.entity.parent_id = opt_link(d, "parent");
    record("organisations", d.entity.ref,
           write(organisations, d.entity, actor, refs.existing_id("organisations", d.entity.ref)));
  }
  UserStore accounts(db);
  for (auto& d : p.people) {
    d.entity.practice_id = opt_link(d, "practice");
    const auto existing = refs.existing_id("people", d.entity.ref);
    const auto before = existing ? people.find(*existing) : std::nullopt;
    record("people", d.entity.ref, write(people, d.entity, actor, existing));
    // A bundle that records a leaving disables the leaver's account, as the governance page does;
    // only when the leaving is new, so re-importing does not undo governance re-enabling it.
    if (before && !before->left_on && d.entity.left_on)
      if (auto account = accounts.find_user_by_person(d.entity.id)) accounts.set_disabled(account->id, true, actor, now_instant());
  }
  for (auto& d : p.committees)
    record("committees", d.entity.ref, write(committees, d.entity, actor, refs.existing_id("committees", d.entity.ref)));
  for (std::size_t i = 0; i < p.memberships.size(); ++i) {
    auto& d = p.memberships[i];
    d.entity.committee_id = p.committees[p.membership_committee[i]].entity.id;
    d.entity.person_id = *opt_link(d, "person");
    auto existing = memberships.find_by_key(d.entity.committee_id, d.entity.person_id, d.entity.from);
    write(memberships, d.entity, actor, existing ? std::optional<Id>(existing->id) : std::nullopt);
  }
  for (auto& d : p.interests) {
    d.entity.person_id = *opt_link(d, "person");
    d.entity.organisation_id = opt_link(d, "organisation");
    record("interests", d.entity.ref, write(interests, d.entity, actor, refs.existing_id("interests", d.entity.ref)));
  }
  for (auto& d : p.gifts) {
    d.entity.person_id = *opt_link(d, "person");
    d.entity.organisation_id = opt_link(d, "organisation");
    record("gifts", d.entity.ref, write(gifts, d.entity, actor, refs.existing_id("gifts", d.entity.ref)));
  }
  for (auto& d : p.nil_returns) {
    d.entity.person_id = *opt_link(d, "person");
    record("nil_returns", d.entity.ref, write(nil_returns, d.entity, actor, refs.existing_id("nil_returns", d.entity.ref)));
  }
  for (auto& d : p.meetings) {
    d.entity.committee_id = *opt_link(d, "committee");
    record("meetings", d.entity.ref, write(meetings, d.entity, actor, refs.existing_id("meetings", d.entity.ref)));
  }
  for (std::size_t i = 0; i < p.attendances.size(); ++i) {
    auto& d = p.attendances[i];
    d.entity.meeting_id = p.meetings[p.attendance_meeting[i]].entity.id;
    d.entity.person_id = *opt_link(d, "person");
    auto existing = attendances.find_by_key(d.entity.meeting_id, d.entity.person_id);
    write(attendances, d.entity, actor, existing ? std::optional<Id>(existing->id) : std::nullopt);
  }
  for (std::size_t i = 0; i < p.agenda_items.size(); ++i) {
    auto& d = p.agenda_items[i];
    d.entity.meeting_id = p.meetings[p.agenda_meeting[i]].entity.id;
    d.entity.organisation_ids.clear();
    for (const auto& l : d.many) d.entity.organisation_ids.push_back(refs.id(l));
    record("agenda_items", d.entity.ref,
           write(agenda_items, d.entity, actor, refs.existing_id("agenda_items", d.entity.ref)));
  }
  for (auto item : withdrawals) {
    item.withdrawn = true;
    agenda_items.save(item, actor);
  }
  tx.commit();
  result.ok = true;
  result.ids = std::move(ids);
  return result;
}

ImportResult import_bundle_text(SQLite::Database& db, std::string_view text, const std::string& actor) {
  json bundle;
  try {
    bundle = json::parse(text);
  } catch (const json::exception& e) {
    // Not only parse_error: a number too large for a double (e.g. 1e999) throws out_of_range
    // (found by tests/fuzz/bundle_import_fuzz.cpp). Both are the author's mistake, not ours.
    ImportResult r;
    // nlohmann's message names the byte offset and what it expected, which helps the author;
    // drop its "[json.exception.<kind>.<id>] " prefix.
    std::string what = e.what();
    auto pos = what.find("] ");
    r.errors.push_back({"$", "not valid JSON (" + (pos == std::string::npos ? what : what.substr(pos + 2)) + ")"});
    return r;
  }
  return import_bundle(db, bundle, actor);
}

json export_bundle(SQLite::Database& db) {
  OrganisationStore organisations(db);
  PersonStore people(db);
  CommitteeStore committees(db);
  MembershipStore memberships(db);
  InterestStore interests(db);
  GiftStore gifts(db);
  NilReturnStore nil_returns(db);
  MeetingStore meetings(db);
  AttendanceStore attendances(db);
  AgendaItemStore agenda_items(db);

  std::map<Id, std::string> org_ref, person_ref, committee_ref;
  auto orgs = organisations.all();
  for (const auto& o : orgs) org_ref[o.id] = o.ref;
  auto persons = people.all();
  for (const auto& p : persons) person_ref[p.id] = p.ref;
  auto comms = committees.all();
  for (const auto& c : comms) committee_ref[c.id] = c.ref;
  auto ref_or_null = [](const std::map<Id, std::string>& refs, const std::optional<Id>& id) {
    return id ? json(refs.at(*id)) : json(nullptr);
  };
  auto date_or_null = [](const std::optional<Date>& d) { return d ? json(d->iso()) : json(nullptr); };

  json out = {{"format", "probity-bundle"}, {"version", 1}};
  out["organisations"] = json::array();
  for (const auto& o : orgs)
    out["organisations"].push_back({{"ref", o.ref}, {"name", o.name},
                                    {"identifier", o.identifier.empty() ? json(nullptr) : json(o.identifier)},
                                    {"kind", to_string(o.kind)}, {"parent", ref_or_null(org_ref, o.parent_id)}});
  out["people"] = json::array();
  for (const auto& p : persons)
    out["people"].push_back({{"ref", p.ref}, {"name", p.name}, {"email", p.email}, {"kind", to_string(p.kind)},
                             {"position", p.position}, {"practice", ref_or_null(org_ref, p.practice_id)},
                             {"left_on", date_or_null(p.left_on)}});
  out["committees"] = json::array();
  for (const auto& c : comms) {
    json members = json::array();
    for (const auto& m : memberships.for_committee(c.id))
      members.push_back({{"person", person_ref.at(m.person_id)}, {"role", to_string(m.role)}, {"from", m.from.iso()},
                         {"to", date_or_null(m.to)}});
    json quorum = c.quorum;
    out["committees"].push_back({{"ref", c.ref}, {"name", c.name}, {"description", c.description},
                                 {"quorum", quorum}, {"members", members}});
  }
  out["interests"] = json::array();
  for (const auto& i : interests.all())
    out["interests"].push_back({{"ref", i.ref}, {"person", person_ref.at(i.person_id)}, {"category", to_string(i.category)},
                                {"indirect", i.indirect}, {"relationship", i.relationship},
                                {"organisation", ref_or_null(org_ref, i.organisation_id)}, {"nature", i.nature},
                                {"from", i.from.iso()}, {"to", date_or_null(i.to)}, {"action_taken", i.action_taken},
                                {"declared_on", i.declared_on.iso()}, {"status", to_string(i.status)},
                                {"withheld", i.withheld}, {"withheld_reason", i.withheld_reason}});
  out["gifts"] = json::array();
  for (const auto& g : gifts.all())
    out["gifts"].push_back({{"ref", g.ref}, {"person", person_ref.at(g.person_id)}, {"kind", to_string(g.kind)},
                            {"organisation", ref_or_null(org_ref, g.organisation_id)}, {"source", g.source},
                            {"from_supplier", g.from_supplier}, {"cash_or_voucher", g.cash_or_voucher},
                            {"description", g.description}, {"value", format_pounds(g.value_pence)},
                            {"offered_on", g.offered_on.iso()}, {"outcome", to_string(g.outcome)},
                            {"approved_by", g.approved_by}, {"declared_on", g.declared_on.iso()},
                            {"status", to_string(g.status)}});
  out["nil_returns"] = json::array();
  for (const auto& n : nil_returns.all())
    out["nil_returns"].push_back({{"ref", n.ref}, {"person", person_ref.at(n.person_id)}, {"made_on", n.made_on.iso()},
                                  {"statement", n.statement}, {"status", to_string(n.status)}});
  out["meetings"] = json::array();
  for (const auto& m : meetings.all()) {
    json attendance = json::array();
    for (const auto& a : attendances.for_meeting(m.id))
      attendance.push_back({{"person", person_ref.at(a.person_id)}, {"status", to_string(a.status)}});
    json agenda = json::array();
    for (const auto& item : agenda_items.for_meeting(m.id)) {
      json item_orgs = json::array();
      for (Id o : item.organisation_ids) item_orgs.push_back(org_ref.at(o));
      agenda.push_back({{"ref", item.ref}, {"title", item.title}, {"description", item.description},
                        {"category", to_string(item.category)}, {"organisations", item_orgs},
                        {"affects_all_gp_practices", item.affects_all_gp_practices}});
    }
    out["meetings"].push_back({{"ref", m.ref}, {"committee", committee_ref.at(m.committee_id)}, {"title", m.title},
                               {"date", m.date.iso()}, {"location", m.location}, {"status", to_string(m.status)},
                               {"published", m.published}, {"attendance", attendance}, {"agenda", agenda}});
  }
  return out;
}

}  // namespace probity
