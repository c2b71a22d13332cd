#include "model/register/bodies.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "model/base/text.hpp"
#include "model/register/person_admin.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

bool ods_code_shape(const std::string& code) {
  if (code.size() < 2 || code.size() > 10) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

std::set<Id> body_ids(SQLite::Database& db) {
  std::set<Id> out;
  SQLite::Statement q(db, "SELECT id FROM bodies");
  while (q.executeStep()) out.insert(q.getColumn(0).getInt64());
  return out;
}

}  // namespace

std::string body_name(const Body& body, const std::string& organisation_name) {
  return body.id == kDefaultBody && is_blank(body.name) ? organisation_name : body.name;
}

std::map<Id, std::string> body_names(SQLite::Database& db, const std::string& organisation_name) {
  std::map<Id, std::string> out;
  for (const auto& b : BodyStore(db).all()) out.emplace(b.id, body_name(b, organisation_name));
  return out;
}

bool several_bodies(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT COUNT(*) FROM bodies");
  q.executeStep();
  return q.getColumn(0).getInt64() > 1;
}

Problems body_problems(const Body& b, const std::vector<Body>& others) {
  Problems out;
  if (is_blank(b.name)) {
    if (b.id != kDefaultBody) out.add({"name", "Enter the body's name, like NHS Northbrook Integrated Care Board"});
  } else if (utf8_length(b.name) > kShortTextMax) {
    out.add({"name", "Name must be " + std::to_string(kShortTextMax) + " characters or fewer"});
  }
  if (!b.ods_code.empty() && !ods_code_shape(b.ods_code))
    out.add({"ods_code", "Enter the ODS code as 2 to 10 letters and numbers, like 15N or X24"});
  if (!b.contact_email.empty() && (b.contact_email.size() > kEmailMax || !email_well_formed(b.contact_email)))
    out.add({"contact_email", "Enter an email address in the correct format, like governance@example.nhs.uk"});
  if (b.publication == BodyPublication::elsewhere) {
    if (b.register_url.rfind("https://", 0) != 0 || b.register_url.size() <= 8 || b.register_url.size() > 2000 ||
        std::any_of(b.register_url.begin(), b.register_url.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }))
      out.add({"register_url", "Enter the address where the body publishes its register, starting https://"});
  } else if (!b.register_url.empty()) {
    out.add({"register_url", "Leave the address empty when the register is published here"});
  }
  for (const auto& o : others) {
    if (o.id == b.id) continue;
    if (!is_blank(b.name) && ascii_lower(o.name) == ascii_lower(b.name)) {
      out.add({"name", "Another body is already called " + o.name});
      break;
    }
  }
  for (const auto& o : others)
    if (o.id != b.id && !b.ods_code.empty() && ascii_lower(o.ods_code) == ascii_lower(b.ods_code)) {
      out.add({"ods_code", "The ODS code " + b.ods_code + " is already used by " + o.name});
      break;
    }
  return out;
}

Result<Body> create_body(SQLite::Database& db, Body body, const std::string& actor) {
  WriteTransaction tx(db);
  BodyStore store(db);
  body.id = 0;
  auto problems = body_problems(body, store.all());
  if (!problems.empty()) return {std::nullopt, problems};
  store.save(body, actor);
  tx.commit();
  return {body, {}};
}

std::optional<Result<Body>> edit_body(SQLite::Database& db, Body body, const std::string& actor) {
  WriteTransaction tx(db);
  BodyStore store(db);
  auto current = store.find(body.id);
  if (!current) return std::nullopt;
  body.ref = current->ref;
  auto problems = body_problems(body, store.all());
  if (!problems.empty()) return Result<Body>{std::nullopt, problems};
  store.save(body, actor);
  tx.commit();
  return Result<Body>{body, {}};
}

Problems person_body_problems(SQLite::Database& db, const Person& person) {
  Problems out;
  if (!body_ids(db).contains(person.body_id)) out.add({"body_id", "Select a body from the list"});
  return out;
}

Problems committee_body_problems(SQLite::Database& db, const Committee& c) {
  Problems out;
  const auto known = body_ids(db);
  std::set<Id> owners;
  for (Id id : c.body_ids) {
    if (!known.contains(id)) {
      out.add({"body_ids", "Select the bodies that own the committee from the list"});
      return out;
    }
    if (!owners.insert(id).second) {
      out.add({"body_ids", "Each body can own the committee only once"});
      return out;
    }
  }
  if (owners.empty()) out.add({"body_ids", "Select at least one body that owns the committee"});
  if (c.quorum.min_voting_each_body < 0 || c.quorum.min_voting_each_body > 50)
    out.add({"min_voting_each_body", "Enter a number from 0 to 50 for the voting members needed from each body"});
  for (const auto& [id, n] : c.quorum.min_voting_from_body) {
    if (!owners.contains(id)) {
      out.add({"min_voting_from_body", "A minimum from a body can only be set for a body that owns the committee"});
      break;
    }
    if (n < 1 || n > 50) {
      out.add({"min_voting_from_body", "Enter a number from 1 to 50 for the voting members needed from a named body"});
      break;
    }
  }
  return out;
}

}  // namespace probity
