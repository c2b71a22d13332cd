#include "model/register/year_store.hpp"

#include <algorithm>
#include <unordered_map>

#include "model/base/text.hpp"
#include "model/register/person_admin.hpp"
#include "model/register/person_store.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

std::optional<Date> date_of(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  const std::string text = c.getString();
  return Date::parse(std::string_view(text).substr(0, 10));
}

// Which people's records to read: everyone, or the people whose ids lie in [first, last] (one
// person, or a batch of for_each_year_records).
struct PersonRange {
  Id first = 0;
  Id last = 0;
};

// One query's rows: `sql` holds "{people}" where the range's condition on `person_filter` goes
// ("1" for everyone); each row goes to `row` with the record of its person (the row's column
// `person_column`).
struct Query {
  std::string sql;
  const char* person_filter;
  int person_column;
};
template <typename Row>
void each_row(SQLite::Database& db, const Query& query, const std::optional<PersonRange>& range,
              std::unordered_map<Id, std::size_t>& index, std::vector<PersonRecord>& out, Row row) {
  const int person_column = query.person_column;
  std::string sql = query.sql;
  const std::string marker = "{people}";
  sql.replace(sql.find(marker), marker.size(), range ? std::string(query.person_filter) + " BETWEEN ? AND ?" : "1");
  SQLite::Statement q(db, sql);
  if (range) {
    q.bind(1, range->first);
    q.bind(2, range->last);
  }
  while (q.executeStep()) {
    auto it = index.find(q.getColumn(person_column).getInt64());
    if (it != index.end()) row(q, out[it->second]);
  }
}

std::vector<PersonRecord> load_records(SQLite::Database& db, const std::optional<PersonRange>& range) {
  std::vector<PersonRecord> out;
  std::unordered_map<Id, std::size_t> index;
  {
    SQLite::Statement q(db, std::string("SELECT id, name, email, left_on, created_at FROM person_current") +
                                (range ? " WHERE id BETWEEN ? AND ?" : "") + " ORDER BY id");
    if (range) {
      q.bind(1, range->first);
      q.bind(2, range->last);
    }
    while (q.executeStep()) {
      PersonRecord p;
      p.person_id = q.getColumn(0).getInt64();
      p.name = q.getColumn(1).getString();
      p.email = q.getColumn(2).getString();
      p.left_on = date_of(q.getColumn(3));
      p.known_from = date_of(q.getColumn(4));
      index.emplace(p.person_id, out.size());
      out.push_back(std::move(p));
    }
  }
  each_row(db,
           {"SELECT m.id, m.person_id, m.committee_id, c.name, m.role, m.date_from, m.date_to FROM membership_current m "
            "JOIN committee_current c ON c.id = m.committee_id WHERE {people}",
            "m.person_id", 1},
           range, index, out, [](SQLite::Statement& q, PersonRecord& p) {
             YearMembership m;
             m.id = q.getColumn(0).getInt64();
             m.committee_id = q.getColumn(2).getInt64();
             m.committee = q.getColumn(3).getString();
             m.role = enum_from_db<CommitteeRole>(q.getColumn(4).getString());
             m.from = *date_of(q.getColumn(5));
             m.to = date_of(q.getColumn(6));
             p.memberships.push_back(std::move(m));
           });
  each_row(db,
           // The range is applied inside the window's query (a membership's versions share its
           // person), so a batch reads only its own people's versions.
           {"SELECT r.membership_id, r.version, r.person_id, r.recorded_at, c.name FROM (SELECT v.*, LAG(v.role) OVER "
            "(PARTITION BY v.membership_id ORDER BY v.version) AS prev_role FROM membership_versions v WHERE {people}) r "
            "JOIN committee_current c ON c.id = r.committee_id WHERE r.prev_role IS NOT NULL AND r.prev_role <> r.role",
            "v.person_id", 2},
           range, index, out, [](SQLite::Statement& q, PersonRecord& p) {
             p.role_changes.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt(), q.getColumn(4).getString(),
                                       *date_of(q.getColumn(3))});
           });
  each_row(db,
           {"SELECT i.id, i.person_id, i.nature, i.date_from, i.date_to, i.aware_on, i.declared_on, i.status, "
            "COALESCE((SELECT o.name FROM organisation_current o WHERE o.id = i.organisation_id), '') FROM interest_current i "
            "WHERE {people}",
            "i.person_id", 1},
           range, index, out, [](SQLite::Statement& q, PersonRecord& p) {
             YearInterest i;
             i.id = q.getColumn(0).getInt64();
             i.nature = q.getColumn(2).getString();
             i.from = *date_of(q.getColumn(3));
             i.to = date_of(q.getColumn(4));
             i.aware_on = date_of(q.getColumn(5));
             i.declared_on = *date_of(q.getColumn(6));
             i.declared = q.getColumn(7).getString() != "draft";
             i.organisation = q.getColumn(8).getString();
             p.interests.push_back(std::move(i));
           });
  // Declarations made at meetings (not cancelled ones), for the clock an interest first disclosed
  // there starts.
  each_row(db,
           {"SELECT d.id, d.person_id, m.date, m.title, d.text, d.interest_id FROM meeting_declaration_current d "
            "JOIN meeting_current m ON m.id = d.meeting_id WHERE m.status <> 'cancelled' AND {people}",
            "d.person_id", 1},
           range, index, out, [](SQLite::Statement& q, PersonRecord& p) {
             YearMeetingDeclaration d;
             d.id = q.getColumn(0).getInt64();
             d.meeting_on = *date_of(q.getColumn(2));
             d.meeting = q.getColumn(3).getString();
             d.text = q.getColumn(4).getString();
             if (!q.getColumn(5).isNull()) d.interest_id = q.getColumn(5).getInt64();
             p.meeting_declarations.push_back(std::move(d));
           });
  each_row(db, {"SELECT person_id, confirmed_on FROM confirmation_current WHERE {people}", "person_id", 0}, range, index, out,
           [](SQLite::Statement& q, PersonRecord& p) { p.confirmations.push_back(*date_of(q.getColumn(1))); });
  each_row(db, {"SELECT id, person_id, made_on FROM nil_return_current WHERE status <> 'draft' AND {people}", "person_id", 1}, range, index, out,
           [](SQLite::Statement& q, PersonRecord& p) { p.nil_returns.push_back({q.getColumn(0).getInt64(), *date_of(q.getColumn(2))}); });
  each_row(db, {"SELECT person_id, name, email FROM line_manager_current WHERE {people}", "person_id", 0}, range, index, out,
           [](SQLite::Statement& q, PersonRecord& p) {
             p.manager_name = q.getColumn(1).getString();
             p.manager_email = q.getColumn(2).getString();
           });
  // In post since the record's first date when no membership says so: the earliest of when the
  // person was added and anything they declared. Each list in the order of its ids, whichever
  // index SQLite read it through (everyone's, a batch's or one person's).
  const auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  for (auto& p : out) {
    std::sort(p.memberships.begin(), p.memberships.end(), by_id);
    std::sort(p.role_changes.begin(), p.role_changes.end(), [](const YearRoleChange& a, const YearRoleChange& b) {
      return a.membership_id != b.membership_id ? a.membership_id < b.membership_id : a.version < b.version;
    });
    std::sort(p.interests.begin(), p.interests.end(), by_id);
    std::sort(p.confirmations.begin(), p.confirmations.end());
    std::sort(p.nil_returns.begin(), p.nil_returns.end(), by_id);
    std::sort(p.meeting_declarations.begin(), p.meeting_declarations.end(), by_id);
    const auto earlier = [&](const Date& d) {
      if (!p.known_from || d < *p.known_from) p.known_from = d;
    };
    for (const auto& i : p.interests)
      if (i.declared) earlier(i.declared_on);
    for (const auto& c : p.confirmations) earlier(c);
    for (const auto& n : p.nil_returns) earlier(n.made_on);
  }
  return out;
}

}  // namespace

std::vector<PersonRecord> load_year_records(SQLite::Database& db, std::optional<Id> person) {
  return load_records(db, person ? std::optional<PersonRange>(PersonRange{*person, *person}) : std::nullopt);
}

std::optional<std::vector<PersonRecord>> next_year_records(SQLite::Database& db, Id& after, std::size_t batch) {
  SQLite::Statement ids(db, "SELECT id FROM people WHERE id > ? ORDER BY id LIMIT ?");
  ids.bind(1, after);
  ids.bind(2, static_cast<std::int64_t>(std::max<std::size_t>(1, batch)));
  std::optional<PersonRange> range;
  while (ids.executeStep()) {
    const Id id = ids.getColumn(0).getInt64();
    if (!range) range = PersonRange{id, id};
    range->last = id;
  }
  if (!range) return std::nullopt;
  after = range->last;
  return load_records(db, range);
}

void for_each_year_records(SQLite::Database& db, std::size_t batch, const std::function<void(std::vector<PersonRecord>&)>& each) {
  Id after = 0;
  while (auto records = next_year_records(db, after, batch)) each(*records);
}

Result<Confirmation> confirm_entries(SQLite::Database& db, Id person_id, const Fields& in, const Date& today, const YearRules& rules,
                                     const std::string& actor) {
  WriteTransaction tx(db);
  Problems problems;
  const auto confirm = in.get("confirm");
  if (confirm != "yes" && confirm != "true")
    problems.add("confirm", "Confirm that your entries are complete and current");
  auto records = load_year_records(db, person_id);
  const int entries = records.empty() ? 0 : year_state_on(records.front(), today, rules).current_interests;
  if (!problems.empty()) return {std::nullopt, problems};
  Confirmation c;
  c.person_id = person_id;
  c.confirmed_on = today;
  c.year_start = year_start_for(today, rules);
  c.entries = entries;
  ConfirmationStore(db).save(c, actor);
  tx.commit();
  return {c, {}};
}

std::optional<Result<LineManager>> set_line_manager(SQLite::Database& db, Id person_id, const Fields& in, const std::string& actor) {
  WriteTransaction tx(db);
  if (!PersonStore(db).find(person_id)) return std::nullopt;
  Problems problems;
  LineManager m;
  m.person_id = person_id;
  m.name = in.text("manager_name", "Line manager's name", kShortTextMax, problems);
  m.email = in.text("manager_email", "Line manager's email address", kShortTextMax, problems);
  if (problems.empty()) {
    if (m.name.empty() && !m.email.empty()) problems.add("manager_name", "Enter the line manager's name");
    if (!m.email.empty() && !email_well_formed(m.email))
      problems.add("manager_email", "Enter an email address in the correct format, like name@example.nhs.uk");
    if (!m.name.empty() && m.email.empty()) problems.add("manager_email", "Enter the line manager's email address");
  }
  if (!problems.empty()) return Result<LineManager>{std::nullopt, problems};
  LineManagerStore store(db);
  if (auto existing = store.for_person(person_id)) m.id = existing->id;
  store.save(m, actor);
  tx.commit();
  return Result<LineManager>{m, {}};
}

}  // namespace probity
