#pragma once
// How each entity maps to its identity table, its versions table and its current view. The
// column list is the version content in struct order; read() takes a row of
// "SELECT id, ref, <columns>" and bind() binds <columns> from a given parameter index.
#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/store/audit_log.hpp"
#include "model/store/entities.hpp"
#include "model/store/json.hpp"

namespace probity {

template <typename T>
struct EntityTraits;

namespace sqlcol {
inline void bind_opt(SQLite::Statement& s, int i, const std::optional<Id>& v) {
  if (v) s.bind(i, *v); else s.bind(i);
}
inline void bind_opt(SQLite::Statement& s, int i, const std::optional<Date>& v) {
  if (v) s.bind(i, v->iso()); else s.bind(i);
}
inline std::optional<Id> opt_id(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<Id>(c.getInt64());
}
inline std::optional<Date> opt_date(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : Date::parse(c.getString());
}
inline Date date(const SQLite::Column& c) {
  auto d = Date::parse(c.getString());
  if (!d) throw std::runtime_error("bad date in database");
  return *d;
}
template <typename E>
E enumv(const SQLite::Column& c) { return enum_from_db<E>(c.getString()); }
// An interest's kind-specific details: a JSON object of text members, stored with sorted keys.
inline std::string details_text(const std::map<std::string, std::string>& d) { return nlohmann::json(d).dump(); }
// A committee's owning bodies (a JSON array of ids) and its minimums per named body (a JSON
// object of id -> count), as migration 0021 stores them.
inline std::string ids_text(const std::vector<Id>& ids) { return nlohmann::json(ids).dump(); }
// A list of ids in the one form nlohmann writes it ("[3,14,15]": no spaces, integers in their
// plain form), read without building a JSON value (an agenda's items each carry one, read on
// every conflicts check); std::nullopt for any other text, which the caller reads with nlohmann.
inline std::optional<std::vector<Id>> compact_ids(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  std::vector<Id> out;
  std::size_t i = 1;
  const std::size_t end = text.size() - 1;
  if (i == end) return out;
  while (true) {
    const std::size_t digits = i + (text[i] == '-' ? 1 : 0);
    // JSON has no leading zeros; nlohmann decides what such text means.
    if (digits + 1 < end && text[digits] == '0' && text[digits + 1] >= '0' && text[digits + 1] <= '9') return std::nullopt;
    Id v = 0;
    const auto [next, error] = std::from_chars(text.data() + i, text.data() + end, v);
    if (error != std::errc() || next == text.data() + i) return std::nullopt;
    out.push_back(v);
    i = static_cast<std::size_t>(next - text.data());
    if (i == end) return out;
    if (text[i] != ',') return std::nullopt;
    ++i;
    if (i == end) return std::nullopt;
  }
}
inline std::string_view text(const SQLite::Column& c) {
  const char* p = c.getText();  // before getBytes, as SQLite asks
  return {p, static_cast<std::size_t>(c.getBytes())};
}
inline std::vector<Id> ids(const SQLite::Column& c) {
  if (auto fast = compact_ids(text(c))) return std::move(*fast);
  std::vector<Id> out;
  const auto j = nlohmann::json::parse(c.getString(), nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_number_integer()) out.push_back(v.get<Id>());
  return out;
}
inline std::string minimums_text(const std::map<Id, int>& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, n] : m) j[std::to_string(id)] = n;
  return j.dump();
}
inline std::map<Id, int> minimums(const SQLite::Column& c) {
  std::map<Id, int> out;
  const auto j = nlohmann::json::parse(c.getString(), nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) {
    if (!v.is_number_integer()) continue;
    try {
      out.emplace(std::stoll(k), v.get<int>());
    } catch (const std::exception&) {
    }
  }
  return out;
}
inline std::map<std::string, std::string> details(const SQLite::Column& c) {
  std::map<std::string, std::string> out;
  const auto j = nlohmann::json::parse(c.getString(), nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out.emplace(k, v.get<std::string>());
  return out;
}
}  // namespace sqlcol

#define PROBITY_TRAITS_HEAD(T, KIND, TABLE, NAME, COLUMNS, COUNT)           \
  static constexpr const char* kind = KIND;                                 \
  static constexpr const char* table = TABLE;                               \
  static constexpr const char* versions = NAME "_versions";                 \
  static constexpr const char* id_column = NAME "_id";                      \
  static constexpr const char* view = NAME "_current";                      \
  static constexpr const char* columns = COLUMNS;                           \
  static constexpr int column_count = COUNT;

template <>
struct EntityTraits<Body> {
  PROBITY_TRAITS_HEAD(Body, "body", "bodies", "body", "name, ods_code, kind, contact_email, publication, register_url", 6)
  static void bind(SQLite::Statement& s, int i, const Body& e) {
    s.bind(i, e.name);
    s.bind(i + 1, e.ods_code);
    s.bind(i + 2, std::string(to_string(e.kind)));
    s.bind(i + 3, e.contact_email);
    s.bind(i + 4, std::string(to_string(e.publication)));
    s.bind(i + 5, e.register_url);
  }
  static Body read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getString(),
            sqlcol::enumv<BodyKind>(s.getColumn(4)), s.getColumn(5).getString(), sqlcol::enumv<BodyPublication>(s.getColumn(6)),
            s.getColumn(7).getString()};
  }
};

template <>
struct EntityTraits<Organisation> {
  PROBITY_TRAITS_HEAD(Organisation, "organisation", "organisations", "organisation", "name, identifier, kind, parent_id", 4)
  static void bind(SQLite::Statement& s, int i, const Organisation& e) {
    s.bind(i, e.name);
    s.bind(i + 1, e.identifier);
    s.bind(i + 2, std::string(to_string(e.kind)));
    sqlcol::bind_opt(s, i + 3, e.parent_id);
  }
  static Organisation read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getString(),
            sqlcol::enumv<OrganisationKind>(s.getColumn(4)), sqlcol::opt_id(s.getColumn(5))};
  }
};

template <>
struct EntityTraits<Person> {
  PROBITY_TRAITS_HEAD(Person, "person", "people", "person", "name, email, kind, position, practice_id, left_on, decision_maker, body_id", 8)
  static void bind(SQLite::Statement& s, int i, const Person& e) {
    s.bind(i, e.name);
    s.bind(i + 1, e.email);
    s.bind(i + 2, std::string(to_string(e.kind)));
    s.bind(i + 3, e.position);
    sqlcol::bind_opt(s, i + 4, e.practice_id);
    sqlcol::bind_opt(s, i + 5, e.left_on);
    s.bind(i + 6, e.decision_maker ? 1 : 0);
    s.bind(i + 7, e.body_id);
  }
  static Person read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getString(),
            sqlcol::enumv<PersonKind>(s.getColumn(4)), s.getColumn(5).getString(), sqlcol::opt_id(s.getColumn(6)),
            sqlcol::opt_date(s.getColumn(7)), s.getColumn(8).getInt() != 0, s.getColumn(9).getInt64()};
  }
};

template <>
struct EntityTraits<Committee> {
  PROBITY_TRAITS_HEAD(Committee, "committee", "committees", "committee",
                      "name, description, min_voting, min_lay, min_executive, min_clinical, lay_executive_majority, lay_chair, "
                      "lay_member_may_preside, body_ids, min_voting_each_body, min_voting_from_body", 12)
  static void bind(SQLite::Statement& s, int i, const Committee& e) {
    s.bind(i, e.name);
    s.bind(i + 1, e.description);
    s.bind(i + 2, e.quorum.min_voting);
    s.bind(i + 3, e.quorum.min_lay);
    s.bind(i + 4, e.quorum.min_executive);
    s.bind(i + 5, e.quorum.min_clinical);
    s.bind(i + 6, e.quorum.lay_executive_majority ? 1 : 0);
    s.bind(i + 7, e.quorum.lay_chair ? 1 : 0);
    s.bind(i + 8, e.quorum.lay_member_may_preside ? 1 : 0);
    s.bind(i + 9, sqlcol::ids_text(e.body_ids));
    s.bind(i + 10, e.quorum.min_voting_each_body);
    s.bind(i + 11, sqlcol::minimums_text(e.quorum.min_voting_from_body));
  }
  static Committee read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getString(), s.getColumn(3).getString(),
            QuorumRule{s.getColumn(4).getInt(), s.getColumn(5).getInt(), s.getColumn(6).getInt(), s.getColumn(7).getInt(),
                       s.getColumn(8).getInt() != 0, s.getColumn(9).getInt() != 0, s.getColumn(10).getInt() != 0,
                       s.getColumn(12).getInt(), sqlcol::minimums(s.getColumn(13))},
            sqlcol::ids(s.getColumn(11))};
  }
};

template <>
struct EntityTraits<Membership> {
  PROBITY_TRAITS_HEAD(Membership, "membership", "memberships", "membership", "committee_id, person_id, role, date_from, date_to", 5)
  static void bind(SQLite::Statement& s, int i, const Membership& e) {
    s.bind(i, e.committee_id);
    s.bind(i + 1, e.person_id);
    s.bind(i + 2, std::string(to_string(e.role)));
    s.bind(i + 3, e.from.iso());
    sqlcol::bind_opt(s, i + 4, e.to);
  }
  static Membership read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            sqlcol::enumv<CommitteeRole>(s.getColumn(4)), sqlcol::date(s.getColumn(5)), sqlcol::opt_date(s.getColumn(6))};
  }
};

template <>
struct EntityTraits<Interest> {
  PROBITY_TRAITS_HEAD(Interest, "interest", "interests", "interest",
                      "person_id, category, indirect, relationship, organisation_id, nature, date_from, date_to, action_taken, "
                      "declared_on, status, withheld, withheld_reason, aware_on, kind, details",
                      16)
  static void bind(SQLite::Statement& s, int i, const Interest& e) {
    s.bind(i, e.person_id);
    s.bind(i + 1, std::string(to_string(e.category)));
    s.bind(i + 2, e.indirect ? 1 : 0);
    s.bind(i + 3, e.relationship);
    sqlcol::bind_opt(s, i + 4, e.organisation_id);
    s.bind(i + 5, e.nature);
    s.bind(i + 6, e.from.iso());
    sqlcol::bind_opt(s, i + 7, e.to);
    s.bind(i + 8, e.action_taken);
    s.bind(i + 9, e.declared_on.iso());
    s.bind(i + 10, std::string(to_string(e.status)));
    s.bind(i + 11, e.withheld ? 1 : 0);
    s.bind(i + 12, e.withheld_reason);
    sqlcol::bind_opt(s, i + 13, e.aware_on);
    s.bind(i + 14, std::string(to_string(e.kind)));
    s.bind(i + 15, sqlcol::details_text(e.details));
  }
  static Interest read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
            sqlcol::enumv<InterestCategory>(s.getColumn(3)), s.getColumn(4).getInt() != 0, s.getColumn(5).getString(),
            sqlcol::opt_id(s.getColumn(6)), s.getColumn(7).getString(), sqlcol::date(s.getColumn(8)),
            sqlcol::opt_date(s.getColumn(9)), s.getColumn(10).getString(), sqlcol::date(s.getColumn(11)),
            sqlcol::enumv<DeclarationStatus>(s.getColumn(12)), s.getColumn(13).getInt() != 0, s.getColumn(14).getString(),
            sqlcol::opt_date(s.getColumn(15)), sqlcol::enumv<InterestKind>(s.getColumn(16)),
            sqlcol::details(s.getColumn(17))};
  }
};

template <>
struct EntityTraits<Gift> {
  PROBITY_TRAITS_HEAD(Gift, "gift", "gifts", "gift",
                      "person_id, kind, organisation_id, source, from_supplier, cash_or_voucher, description, value_pence, "
                      "offered_on, outcome, approved_by, declared_on, status, approver_role, approval_reason, approved_on",
                      16)
  static void bind(SQLite::Statement& s, int i, const Gift& e) {
    s.bind(i, e.person_id);
    s.bind(i + 1, std::string(to_string(e.kind)));
    sqlcol::bind_opt(s, i + 2, e.organisation_id);
    s.bind(i + 3, e.source);
    s.bind(i + 4, e.from_supplier ? 1 : 0);
    s.bind(i + 5, e.cash_or_voucher ? 1 : 0);
    s.bind(i + 6, e.description);
    s.bind(i + 7, static_cast<int64_t>(e.value_pence));
    s.bind(i + 8, e.offered_on.iso());
    s.bind(i + 9, std::string(to_string(e.outcome)));
    s.bind(i + 10, e.approved_by);
    s.bind(i + 11, e.declared_on.iso());
    s.bind(i + 12, std::string(to_string(e.status)));
    s.bind(i + 13, e.approver_role);
    s.bind(i + 14, e.approval_reason);
    sqlcol::bind_opt(s, i + 15, e.approved_on);
  }
  static Gift read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(),
            sqlcol::enumv<GiftKind>(s.getColumn(3)), sqlcol::opt_id(s.getColumn(4)), s.getColumn(5).getString(),
            s.getColumn(6).getInt() != 0, s.getColumn(7).getInt() != 0, s.getColumn(8).getString(),
            s.getColumn(9).getInt64(), sqlcol::date(s.getColumn(10)), sqlcol::enumv<GiftOutcome>(s.getColumn(11)),
            s.getColumn(12).getString(), sqlcol::date(s.getColumn(13)), sqlcol::enumv<DeclarationStatus>(s.getColumn(14)),
            s.getColumn(15).getString(), s.getColumn(16).getString(), sqlcol::opt_date(s.getColumn(17))};
  }
};

template <>
struct EntityTraits<NilReturn> {
  PROBITY_TRAITS_HEAD(NilReturn, "nil_return", "nil_returns", "nil_return", "person_id, made_on, statement, status", 4)
  static void bind(SQLite::Statement& s, int i, const NilReturn& e) {
    s.bind(i, e.person_id);
    s.bind(i + 1, e.made_on.iso());
    s.bind(i + 2, e.statement);
    s.bind(i + 3, std::string(to_string(e.status)));
  }
  static NilReturn read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), sqlcol::date(s.getColumn(3)),
            s.getColumn(4).getString(), sqlcol::enumv<DeclarationStatus>(s.getColumn(5))};
  }
};

template <>
struct EntityTraits<Confirmation> {
  PROBITY_TRAITS_HEAD(Confirmation, "confirmation", "confirmations", "confirmation", "person_id, confirmed_on, year_start, entries", 4)
  static void bind(SQLite::Statement& s, int i, const Confirmation& e) {
    s.bind(i, e.person_id);
    s.bind(i + 1, e.confirmed_on.iso());
    s.bind(i + 2, e.year_start.iso());
    s.bind(i + 3, e.entries);
  }
  static Confirmation read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), sqlcol::date(s.getColumn(3)),
            sqlcol::date(s.getColumn(4)), s.getColumn(5).getInt()};
  }
};

template <>
struct EntityTraits<LineManager> {
  PROBITY_TRAITS_HEAD(LineManager, "line_manager", "line_managers", "line_manager", "person_id, name, email", 3)
  static void bind(SQLite::Statement& s, int i, const LineManager& e) {
    s.bind(i, e.person_id);
    s.bind(i + 1, e.name);
    s.bind(i + 2, e.email);
  }
  static LineManager read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getString(),
            s.getColumn(4).getString()};
  }
};

template <>
struct EntityTraits<Meeting> {
  PROBITY_TRAITS_HEAD(Meeting, "meeting", "meetings", "meeting",
                      "committee_id, title, date, location, status, published, agenda_published, start_time, in_common_with", 9)
  static void bind(SQLite::Statement& s, int i, const Meeting& e) {
    s.bind(i, e.committee_id);
    s.bind(i + 1, e.title);
    s.bind(i + 2, e.date.iso());
    s.bind(i + 3, e.location);
    s.bind(i + 4, std::string(to_string(e.status)));
    s.bind(i + 5, e.published ? 1 : 0);
    s.bind(i + 6, e.agenda_published ? 1 : 0);
    s.bind(i + 7, e.start_time);
    sqlcol::bind_opt(s, i + 8, e.in_common_with);
  }
  static Meeting read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getString(),
            sqlcol::date(s.getColumn(4)), s.getColumn(5).getString(), sqlcol::enumv<MeetingStatus>(s.getColumn(6)),
            s.getColumn(7).getInt() != 0, s.getColumn(8).getInt() != 0, s.getColumn(9).getString(),
            sqlcol::opt_id(s.getColumn(10))};
  }
};

template <>
struct EntityTraits<Attendance> {
  PROBITY_TRAITS_HEAD(Attendance, "attendance", "attendances", "attendance", "meeting_id, person_id, status", 3)
  static void bind(SQLite::Statement& s, int i, const Attendance& e) {
    s.bind(i, e.meeting_id);
    s.bind(i + 1, e.person_id);
    s.bind(i + 2, std::string(to_string(e.status)));
  }
  static Attendance read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt64(),
            sqlcol::enumv<AttendanceStatus>(s.getColumn(4))};
  }
};

template <>
struct EntityTraits<AgendaItem> {
  PROBITY_TRAITS_HEAD(AgendaItem, "agenda_item", "agenda_items", "agenda_item",
                      "meeting_id, position, title, description, category, organisation_ids, affects_all_gp_practices, withdrawn", 8)
  static void bind(SQLite::Statement& s, int i, const AgendaItem& e) {
    s.bind(i, e.meeting_id);
    s.bind(i + 1, e.position);
    s.bind(i + 2, e.title);
    s.bind(i + 3, e.description);
    s.bind(i + 4, std::string(to_string(e.category)));
    s.bind(i + 5, nlohmann::json(e.organisation_ids).dump());
    s.bind(i + 6, e.affects_all_gp_practices ? 1 : 0);
    s.bind(i + 7, e.withdrawn ? 1 : 0);
  }
  static std::vector<Id> agenda_organisations(const SQLite::Column& c) {
    if (auto fast = sqlcol::compact_ids(sqlcol::text(c))) return std::move(*fast);
    return nlohmann::json::parse(c.getString()).get<std::vector<Id>>();
  }
  static AgendaItem read(SQLite::Statement& s) {
    return {s.getColumn(0).getInt64(), s.getColumn(1).getString(), s.getColumn(2).getInt64(), s.getColumn(3).getInt(),
            s.getColumn(4).getString(), s.getColumn(5).getString(), sqlcol::enumv<AgendaCategory>(s.getColumn(6)),
            agenda_organisations(s.getColumn(7)), s.getColumn(8).getInt() != 0,
            s.getColumn(9).getInt() != 0};
  }
};

#undef PROBITY_TRAITS_HEAD

}  // namespace probity
