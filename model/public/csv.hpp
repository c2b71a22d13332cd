#pragma once
// CSV downloads of the public registers (RFC 4180: CRLF line ends, fields quoted when they hold
// a comma, quote, CR or LF, quotes doubled; UTF-8 passed through unchanged; a header row).
//
// Formula injection: a cell beginning with =, +, -, @, tab or CR is read as a formula by Excel,
// LibreOffice and Google Sheets, and register text is written by the people declaring. Such a
// cell is written with a leading apostrophe (OWASP's advice), so a nature of "=HYPERLINK(...)"
// shows as text in a journalist's spreadsheet instead of running there. The apostrophe is the
// only change ever made to a value.
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
/// model (public_register_csv_entries) instead of building each row from its versions. Throws
/// SQLite::Exception.
std::string register_csv(SQLite::Database& db, const Date& today, const RegisterFilter& filter, const PublicationRules& rules,
                         bool several_bodies);

/// Appends one field as csv_field writes it. Throws nothing.
void append_csv_field(std::string& out, std::string_view value);

/// The gifts and hospitality download (/gifts.csv). Throws nothing.
std::string gifts_csv(const std::vector<PublicGift>& rows);

}  // namespace probity
