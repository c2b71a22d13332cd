#pragma once
// The public register as a read model: what the public pages, the JSON API and the CSV
// downloads show, built from the store in a fixed number of queries whatever the register's
// size (never one query per row), with the publication rules applied for a given day. What a
// visitor asks for is model/public/register_query.hpp; the JSON document is model/public/register_json.hpp.
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/register/publication_rules.hpp"
#include "model/public/register_labels.hpp"  // the words every public view shows beside these rows
#include "model/public/register_query.hpp"

namespace probity {

// ---- What the public sees ----------------------------------------------------------------

struct PublicMembership {
  Id committee_id = 0;
  std::string committee_name;
  CommitteeRole role = CommitteeRole::voting;
  Date from;
  std::optional<Date> to;
  bool operator==(const PublicMembership&) const = default;
};

/// A body of the instance as public rows name it (model/register/bodies.hpp): its id and the name it
/// is shown by (the default body's is the config's organisation_name while its own is empty).
struct PublicBody {
  Id id = kDefaultBody;
  std::string name;
  bool operator==(const PublicBody&) const = default;
};

/// A person as every public row names them. No email or other contact detail, ever.
struct PublicPersonSummary {
  Id id = 0;
  std::string ref;
  std::string name;
  PersonKind kind = PersonKind::officer;
  // The guidance's "current position(s)": the job title, then each committee role held today,
  // e.g. "Chair, Primary Care Commissioning Committee".
  std::vector<std::string> positions;
  // The Guardian withheld the name: `name` is "Name withheld", ref and positions are empty, and
  // the JSON carries no id (the id stays here only for the register's committee filter).
  bool name_withheld = false;
  PublicBody body{};  // the person's home body, whose register holds their entries
  bool operator==(const PublicPersonSummary&) const = default;
};

/// One row of the public register: the person and their entry (withheld or with its detail).
struct PublicRegisterRow {
  PublicPersonSummary person;
  PublicInterest entry;
};

struct PublicGift {
  Id id = 0;
  PublicPersonSummary person;
  GiftKind kind = GiftKind::gift;
  std::string description;
  std::string source;
  std::optional<PublicOrganisation> organisation;
  std::int64_t value_pence = 0;
  Date offered_on;
  GiftOutcome outcome = GiftOutcome::accepted;
  Date declared_on;
  // Hospitality from a supplier: awaiting its recorded approval, or (over the upper threshold)
  // who approved it and why. Empty approval fields when not published.
  bool awaiting_approval = false;
  std::string approved_by{};
  std::string approver_role{};
  std::string approval_reason{};
};

struct PublicNilReturn {
  Id id = 0;
  Date made_on;
  std::string statement;
};

struct PublicPerson {
  PublicPersonSummary person;
  std::optional<Date> left_on;
  std::vector<PublicMembership> memberships;  // all, past ones with their end date
  std::vector<PublicInterest> interests;      // published and visible today
  std::vector<PublicGift> gifts;
  std::vector<PublicNilReturn> nil_returns;
  DeclarationCompliance compliance;
};

struct PublicCommitteeSummary {
  Id id = 0;
  std::string ref;
  std::string name;
  std::string description;
  int member_count = 0;  // members today
  std::vector<PublicBody> bodies{};  // the bodies that own the committee (several: a joint committee)
};

struct PublicCommitteeMember {
  PublicPersonSummary person;
  CommitteeRole role = CommitteeRole::voting;
  Date from;
  std::optional<Date> to;
  DeclarationCompliance compliance;
};

struct PublicCommittee {
  PublicCommitteeSummary committee;
  std::vector<PublicCommitteeMember> members;     // today's, chair first
  std::vector<PublicRegisterRow> register_rows;  // one page of the members' combined register
  std::size_t total = 0;                         // rows of the combined register, over all pages
  int page = 1;
  int page_size = 0;
  int page_count = 1;
};

/// One published version of an entry. A withheld version shows only that it was withheld: its
/// version is 0 and recorded_at empty, and its JSON has neither.
struct PublicEntryVersion {
  int version = 0;
  std::string recorded_at;  // ISO 8601 timestamp
  PublicInterest entry;
};

struct PublicEntryHistory {
  Id id = 0;
  PublicPersonSummary person;
  std::vector<PublicEntryVersion> versions;  // oldest first
};

// ---- Read model ----------------------------------------------------------------------------

struct RegisterPage {
  std::vector<PublicRegisterRow> entries;
  std::size_t total = 0;  // rows matching the filter, over all pages
  int page = 1;
  int page_size = 0;
  int page_count = 1;
};

/// What the register's reads may keep in memory between requests on one database, while nothing
/// new is recorded in it: the matches of a broad search (see kBroadSearchAbove) with what the
/// register hides today, the totals of the gifts register, and checkpoints in the register's order
/// by name (the entry at every `spacing`-th place), so that a deep page is read from the nearest
/// one instead of walking the order from its start. Everything kept belongs to one state of the
/// database, named as the public response cache names it (the last audit id: every change to
/// published data writes a version and its audit row in one transaction), and to one day and
/// publication mode (they are part of every key): a read from a newer state empties it, and a read
/// from an older snapshot neither uses nor keeps anything. Bounded: at most `max_sets` searches,
/// `max_sets` sets of checkpoints and 256 totals, the oldest dropped first. Thread-safe. What is
/// read through it is the same as without it (tests/model/public/register_read_cache_test.cpp).
class RegisterReadCache {
 public:
  explicit RegisterReadCache(std::size_t max_sets = 16, std::size_t spacing = 1000);
  ~RegisterReadCache();
  RegisterReadCache(const RegisterReadCache&) = delete;
  RegisterReadCache& operator=(const RegisterReadCache&) = delete;

  struct Impl;  // model/public/public_register.cpp
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// Every public row matching the filter, sorted, without paging (the CSV download). Reads a
/// fixed number of queries. Throws SQLite::Exception on a database error.
std::vector<PublicRegisterRow> public_register_rows(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                                    const PublicationRules& rules = {});

/// One page of the public register. Throws std::invalid_argument when validate() reports a
/// problem with the filter, SQLite::Exception on a database error.
/// With a cache, what it keeps is used and added to; without one, every request reads afresh.
RegisterPage public_register(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                             const PublicationRules& rules = {}, const RegisterPaging& paging = {},
                             RegisterReadCache* cache = nullptr);

/// A search matching more entries than this, with no other filter, is counted and paged from its
/// matches read once (a broad search); fewer are read and sorted through public_entries.
inline constexpr std::int64_t kBroadSearchAbove = 2000;

/// One entry of the register download as the read model holds it (the shown version's text as
/// recorded, dates in ISO form), for writing the CSV without building each row from its versions.
struct RegisterCsvEntry {
  Id id = 0;
  std::string name;       // the person's name, or kNameWithheld
  std::string positions;  // the person's positions today, joined by "; " (none when the name is withheld)
  bool withheld = false;  // then only id, name, positions and body are meant to be shown
  std::string organisation, identifier;
  InterestCategory category = InterestCategory::financial;
  bool indirect = false;
  std::string relationship, nature, from, to, action_taken, declared_on;
  InterestKind kind = InterestKind::other;
  std::string details;  // the kind's details as stored: a JSON object of text members
  std::string body;     // the person's home body's shown name
};

/// The entries of a broad search (see kBroadSearchAbove), in the register's order, read from the
/// read model a chunk at a time: the same entries, in the same order, as public_register_rows,
/// with what the CSV shows of each. Memory follows the chunk, not the download: the matches'
/// keys in order (8 bytes each), one chunk of entries, and the positions of a bounded number of
/// people. Reads one snapshot (a savepoint, held until destroyed) whether or not the caller has
/// a transaction open; the connection must outlive it and serve nothing else meanwhile.
class RegisterCsvEntries {
 public:
  /// The reader for this filter, or nullptr when the filter is not a broad search. Throws
  /// SQLite::Exception.
  static std::unique_ptr<RegisterCsvEntries> open(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                                  const PublicationRules& rules = {});
  ~RegisterCsvEntries();
  RegisterCsvEntries(const RegisterCsvEntries&) = delete;
  RegisterCsvEntries& operator=(const RegisterCsvEntries&) = delete;

  /// How many entries there are in all.
  std::size_t total() const;
  /// Replaces `out` with the next entries (at most kChunk), in the register's order; false (and
  /// `out` empty) when every entry has been read. Throws SQLite::Exception.
  bool next(std::vector<RegisterCsvEntry>& out);

  /// The entries read by one statement (the people's positions likewise).
  static constexpr std::size_t kChunk = 512;

  struct Impl;

 private:
  explicit RegisterCsvEntries(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Every entry RegisterCsvEntries reads, in one vector (for tests); nullopt when the filter is not
/// a broad search. Throws SQLite::Exception.
std::optional<std::vector<RegisterCsvEntry>> public_register_csv_entries(SQLite::Database& db, const Date& today,
                                                                         const RegisterFilter& filter,
                                                                         const PublicationRules& rules = {});

/// The plans SQLite chooses for RegisterCsvEntries' per-chunk statements (EXPLAIN QUERY PLAN's
/// detail lines): the entries by key, the people's own positions, their committee memberships.
/// For the test that each is read through an index by the chunk's keys. Throws SQLite::Exception.
std::vector<std::string> public_register_csv_plan(SQLite::Database& db);

/// The plans SQLite chooses for a page of the register with this filter (EXPLAIN QUERY PLAN's
/// detail lines): the count's, then the page's. For tests and benchmarks that check each filter
/// and sort is served by an index. Throws SQLite::Exception.
struct RegisterQueryPlan {
  std::vector<std::string> count;
  std::vector<std::string> page;
  // In the order by name without a committee or search text: the plans of the two statements that
  // read a deep page from a checkpoint (RegisterReadCache), one after the other; empty otherwise.
  std::vector<std::string> seek;
};
RegisterQueryPlan public_register_plan(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                       const PublicationRules& rules = {});

/// One person's public page, or nullopt when no person has this id. Throws SQLite::Exception.
std::optional<PublicPerson> public_person(SQLite::Database& db, Id person_id, const Date& today,
                                          const PublicationRules& rules = {});

/// Every committee with its number of members today and its owning bodies, by name. Throws
/// SQLite::Exception.
std::vector<PublicCommitteeSummary> public_committees(SQLite::Database& db, const Date& today, const PublicationRules& rules = {});

/// One committee: today's members with roles and compliance (all of them), and one page of their
/// combined register, read as public_register reads the register filtered by the committee (only
/// the page's rows); nullopt when no committee has this id. Throws std::invalid_argument when the
/// page or page size is out of range, SQLite::Exception on a database error.
std::optional<PublicCommittee> public_committee(SQLite::Database& db, Id committee_id, const Date& today,
                                                const PublicationRules& rules = {}, const CommitteePage& page = {});

/// The published gifts and hospitality matching the filter, latest offered first. Throws
/// SQLite::Exception.
std::vector<PublicGift> public_gifts(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                                     const PublicationRules& rules = {});

struct GiftsPage {
  std::vector<PublicGift> gifts;
  std::size_t total = 0;  // gifts matching the filter, over all pages
  int page = 1;
  int page_size = 0;
  int page_count = 1;
};

/// One page of the published gifts and hospitality matching the filter, latest offered first,
/// read in that order through an index (without search text; with it, the matching gifts are
/// found as public_gifts finds them). Throws SQLite::Exception.
/// With a cache, the total of each filter is counted once per state of the database.
GiftsPage public_gifts_page(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                            const PublicationRules& rules = {}, RegisterReadCache* cache = nullptr);

/// The plans SQLite chooses for the gifts register's count and page with this filter (without
/// search text), as public_register_plan gives the register's. Throws SQLite::Exception.
RegisterQueryPlan public_gifts_plan(SQLite::Database& db, const Date& today, const PublicGiftFilter& filter,
                                    const PublicationRules& rules = {});

/// The published versions of one entry, oldest first; nullopt when the entry is not on the public
/// register today (unknown, never published, or past its public window). While the entry is
/// withheld, it has one version, showing only that it is withheld. Throws SQLite::Exception.
std::optional<PublicEntryHistory> public_entry_history(SQLite::Database& db, Id interest_id, const Date& today,
                                                       const PublicationRules& rules = {});

/// One change to the public register, for the Atom feed: a published version of an entry that
/// is on the public register today and not withheld (a withheld entry's changes are not public).
struct PublicRegisterChange {
  std::string recorded_at;  // ISO 8601 timestamp
  int version = 0;
  bool first = false;  // the entry's first public version (a new entry rather than an update)
  PublicPersonSummary person;
  PublicInterest entry;
};

/// The latest changes to the public register, newest first, at most `limit` of them. Reads a
/// fixed number of queries. Throws SQLite::Exception.
std::vector<PublicRegisterChange> public_register_changes(SQLite::Database& db, const Date& today, std::size_t limit,
                                                          const PublicationRules& rules = {});

/// A body as the public list of bodies (/bodies, /api/v1/bodies) shows it: a body that publishes
/// elsewhere links to its own register there, and its people's entries are not listed here.
struct PublicBodySummary {
  PublicBody body;
  std::string ods_code;
  BodyKind kind = BodyKind::icb;
  BodyPublication publication = BodyPublication::here;
  std::string register_url;  // where it publishes, when elsewhere
  std::size_t entries = 0;   // entries on this public register today (0 for one published elsewhere)
};

/// Every body of the instance, the default body first, then by name; `entries` counted from the
/// read model's counts (a sum over a few rows per body). Throws SQLite::Exception.
std::vector<PublicBodySummary> public_bodies(SQLite::Database& db, const Date& today, const PublicationRules& rules = {});

/// When anything the public registers are built from was last recorded (ISO 8601 timestamp), or
/// nullopt for an empty register. One query. Throws SQLite::Exception.
std::optional<std::string> register_last_recorded(SQLite::Database& db);

/// When anything the published meeting shows was last recorded (ISO 8601 instant): the latest
/// version of the meeting, its agenda items, declarations, decisions and room movements, or of
/// anything on the register (which names the people and the committee); nullopt when nothing
/// was. For Last-Modified. Throws SQLite::Exception if the database fails.
std::optional<std::string> meeting_last_recorded(SQLite::Database& db, Id meeting_id);

}  // namespace probity
