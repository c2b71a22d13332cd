#pragma once
// The bodies of a joint arrangement (migration 0021; docs/bodies.md): one instance hosts one or
// more CCGs or ICBs and NHS England. Body 1 is the default body, which everything on record before
// bodies belongs to; its empty name means the config's organisation_name, so an instance with one
// body reads exactly as before. A person has a home body (whose register holds their
// declarations), a committee one or more owning bodies (several: a joint committee), and a
// governance account may belong to one body or to the whole instance.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/base/problems.hpp"
#include "model/store/entities.hpp"
#include "model/store/versioned_store.hpp"

namespace probity {

/// Bodies and their settings.
class BodyStore : public VersionedStore<Body> {
 public:
  using VersionedStore::VersionedStore;
};

/// The name a body is shown by: its own, or `organisation_name` (the config's) for the default
/// body while its name is empty. Throws nothing.
std::string body_name(const Body& body, const std::string& organisation_name);

/// Every body's shown name by id (see body_name). Throws SQLite::Exception if the database fails.
std::map<Id, std::string> body_names(SQLite::Database& db, const std::string& organisation_name);

/// True when the instance hosts more than one body: only then do pages and exports name bodies.
/// Throws SQLite::Exception if the database fails.
bool several_bodies(SQLite::Database& db);

/// Problems with a body as it would be saved: a name (except the default body's, which may stay
/// empty), at most kShortTextMax; an ODS code of 2 to 10 letters and digits when given; a contact
/// email well formed when given; a register published elsewhere needs an https:// address, and
/// none is kept for one published here; no other body with the same name or ODS code. Empty when
/// all is well. Throws nothing.
Problems body_problems(const Body& body, const std::vector<Body>& others);

/// Adds a body after body_problems (a ref is generated unless given). Throws SQLite::Exception if
/// the database fails.
Result<Body> create_body(SQLite::Database& db, Body body, const std::string& actor);

/// Writes a new version of body `body.id` after body_problems; nullopt when there is no such body.
/// Throws SQLite::Exception if the database fails.
std::optional<Result<Body>> edit_body(SQLite::Database& db, Body body, const std::string& actor);

/// Problems with the bodies a person or committee names: `field` gets "Select a body from the
/// list" for an id that is not a body; a committee needs at least one owning body and no body
/// twice; its minimums per named body must name owning bodies and be between 1 and 50, as must
/// its minimum from each body (0 for none). Throws SQLite::Exception if the database fails.
Problems person_body_problems(SQLite::Database& db, const Person& person);
Problems committee_body_problems(SQLite::Database& db, const Committee& committee);

}  // namespace probity
