#pragma once
// CSV downloads of the public registers (RFC 4180: CRLF line ends, fields quoted when they hold
// a comma, quote, CR or LF, quotes doubled; UTF-8 passed through unchanged; a header row).
//
// Formula injection: a cell beginning with =, +, -, @, tab or CR is read as a formula by Excel,
// LibreOffice and Google Sheets, and register text is written by the people declaring. Such a
// cell is written with a leading apostrophe (OWASP's advice), so a nature of "=HYPERLINK(...)"
// shows as text in a journalist's spreadsheet instead of running there. The apostrophe is the
// only change ever made to a value.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/public/public_register.hpp"

namespace probity {

/// One field as written to the file: neutralised against formula injection, then quoted if it
/// holds a comma, quote, CR or LF. Throws nothing.
std::string csv_field(std::string_view value);

/// One record: the fields joined by commas and ended by CRLF. Throws nothing.
std::string csv_record(const std::vector<std::string>& fields);

/// A whole file: the header record, then one record per row. Throws std::invalid_argument when
/// a row has a different number of fields from the header.
std::string csv_document(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// The register download (/register.csv): one record per row, every NHS register column; a
/// withheld entry has the person's name and positions, "yes" under Withheld, and its other
/// cells empty. Throws nothing.
/// With `several_bodies`, a last column "Body" names each person's home body; without
/// it the document is exactly as it was before bodies.
std::string register_csv(const std::vector<PublicRegisterRow>& rows, bool several_bodies = false);

/// The register download for this filter, read as register_csv(public_register_rows(...)) would
/// write it, byte for byte; a broad search (kBroadSearchAbove) is written straight from the read
/// model (RegisterCsvStream) instead of building each row from its versions. The whole document
/// in one string: write_register_csv passes it on in pieces instead. Throws SQLite::Exception.
std::string register_csv(SQLite::Database& db, const Date& today, const RegisterFilter& filter, const PublicationRules& rules,
                         bool several_bodies);

/// A broad search's register download, written a piece at a time from the read model
/// (RegisterCsvEntries): the same bytes as register_csv, with memory bounded by a piece and a
/// chunk of entries instead of the document. Holds the connection's snapshot (a savepoint) until
/// destroyed.
class RegisterCsvStream {
 public:
  /// The writer for this filter, or nullptr when it is not a broad search (register_csv builds
  /// those from their rows). Throws SQLite::Exception.
  static std::unique_ptr<RegisterCsvStream> open(SQLite::Database& db, const Date& today, const RegisterFilter& filter,
                                                 const PublicationRules& rules, bool several_bodies);
  ~RegisterCsvStream();
  RegisterCsvStream(const RegisterCsvStream&) = delete;
  RegisterCsvStream& operator=(const RegisterCsvStream&) = delete;

  /// Replaces `out` with the next piece of the document: the header record first, then whole
  /// records until the piece holds at least `bytes` (or the records run out). False, with `out`
  /// empty, once everything has been written. Throws SQLite::Exception.
  bool next(std::string& out, std::size_t bytes = kPieceBytes);
  /// The number of records after the header.
  std::size_t rows() const;

  static constexpr std::size_t kPieceBytes = 64 * 1024;
  struct State;

 private:
  explicit RegisterCsvStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// register_csv passed to `sink` in pieces of about `bytes` (a broad search's) or whole (any
/// other filter's): the pieces joined are register_csv's string. Throws SQLite::Exception, and
/// whatever `sink` throws.
void write_register_csv(SQLite::Database& db, const Date& today, const RegisterFilter& filter, const PublicationRules& rules,
                        bool several_bodies, const std::function<void(std::string_view)>& sink,
                        std::size_t bytes = RegisterCsvStream::kPieceBytes);

/// Appends one field as csv_field writes it. Throws nothing.
void append_csv_field(std::string& out, std::string_view value);

/// The gifts and hospitality download (/gifts.csv). Throws nothing.
std::string gifts_csv(const std::vector<PublicGift>& rows);

}  // namespace probity
