#include "model/public/csv.hpp"

#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include "model/base/text.hpp"
#include "model/register/interest_kinds.hpp"

namespace probity {
namespace {

bool starts_formula(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

std::string opt_iso(const std::optional<Date>& d) { return d ? d->iso() : std::string(); }

// An interest's kind details as one cell: "Name of the practice: X; Hours: Y", in the kind's order.
std::string details_text(InterestKind kind, const std::map<std::string, std::string>& details) {
  std::string out;
  for (const auto& f : interest_kind_info(kind).fields) {
    auto it = details.find(std::string(f.name));
    if (it == details.end() || it->second.empty()) continue;
    if (!out.empty()) out += "; ";
    out.append(f.label).append(": ").append(it->second);
  }
  return out;
}

}  // namespace

void append_csv_field(std::string& out, std::string_view value) {
  const bool formula = starts_formula(value);
  bool plain = true;
  for (char c : value)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      plain = false;
      break;
    }
  if (plain) {
    if (formula) out += '\'';
    out += value;
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_field(std::string_view value) {
  std::string text;
  if (starts_formula(value)) text += '\'';
  text += value;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string csv_record(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string csv_document(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string out = csv_record(header);
  for (const auto& row : rows) {
    // RFC 4180: every record has the same number of fields as the header.
    if (row.size() != header.size()) throw std::invalid_argument("CSV row has a different number of fields from the header");
    out += csv_record(row);
  }
  return out;
}

namespace {
std::vector<std::string> register_csv_header(bool several_bodies) {
  std::vector<std::string> header{"Entry id",   "Name", "Position(s)", "Organisation", "Organisation identifier",
                                        "Type",       "Direct or indirect", "Relationship", "Nature of interest", "From",
                                        "To",         "Action taken", "Date declared", "Withheld", "Kind of interest",
                                        "Kind details"};
  if (several_bodies) header.push_back("Body");
  return header;
}
}  // namespace

namespace {
// One record of the broad search's CSV, written as csv_document writes the record register_csv
// (below) builds from a row: the same cells in the same order. `details` is scratch space.
void append_register_record(std::string& out, const RegisterCsvEntry& e, bool several_bodies,
                            std::map<std::string, std::string>& details) {
  auto cell = [&](std::string_view v) {
    out += ',';
    append_csv_field(out, v);
  };
  out += std::to_string(e.id);
  cell(e.name);
  cell(e.positions);
  if (!e.withheld) {
    cell(e.organisation);
    cell(e.identifier);
    cell(public_label(e.category));
    cell(e.indirect ? "Indirect" : "Direct");
    cell(e.relationship);
    cell(e.nature);
    cell(e.from);
    cell(e.to);
    cell(e.action_taken);
    cell(e.declared_on);
    cell("no");
    cell(public_label(e.kind));
    details.clear();
    if (e.details != "{}") {
      const auto j = nlohmann::json::parse(e.details, nullptr, false);  // as sqlcol::details reads it
      if (j.is_object())
        for (const auto& [k, v] : j.items())
          if (v.is_string()) details.emplace(k, v.get<std::string>());
    }
    cell(details_text(e.kind, details));
  } else {
    out += ",,,,,,,,,,,yes,,";  // the withheld entry's empty cells, "yes" under Withheld
  }
  if (several_bodies) cell(e.body);
  out += "\r\n";
}
}  // namespace

struct RegisterCsvStream::State {
  std::unique_ptr<RegisterCsvEntries> entries;
  bool several_bodies = false;
  bool header_written = false;
  std::vector<RegisterCsvEntry> chunk;
  std::size_t at = 0;  // the first entry of `chunk` not yet written
  std::map<std::string, std::string> details;
};

RegisterCsvStream::RegisterCsvStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
RegisterCsvStream::~RegisterCsvStream() = default;

std::unique_ptr<RegisterCsvStream> RegisterCsvStream::open(SQLite::Database& db, const Date& today,
                                                           const RegisterFilter& filter, const PublicationRules& rules,
                                                           bool several_bodies) {
  auto entries = RegisterCsvEntries::open(db, today, filter, rules);
  if (!entries) return nullptr;
  auto state = std::make_unique<State>();
  state->entries = std::move(entries);
  state->several_bodies = several_bodies;
  return std::unique_ptr<RegisterCsvStream>(new RegisterCsvStream(std::move(state)));
}

bool RegisterCsvStream::next(std::string& out, std::size_t bytes) {
  State& s = *state_;
  out.clear();
  if (!s.header_written) {
    out = csv_record(register_csv_header(s.several_bodies));
    s.header_written = true;
  }
  while (out.size() < bytes) {
    if (s.at == s.chunk.size()) {
      s.at = 0;
      if (!s.entries->next(s.chunk)) break;
    }
    append_register_record(out, s.chunk[s.at++], s.several_bodies, s.details);
  }
  return !out.empty();
}

std::size_t RegisterCsvStream::rows() const { return state_->entries->total(); }

void write_register_csv(SQLite::Database& db, const Date& today, const RegisterFilter& filter, const PublicationRules& rules,
                        bool several_bodies, const std::function<void(std::string_view)>& sink, std::size_t bytes) {
  if (auto stream = RegisterCsvStream::open(db, today, filter, rules, several_bodies)) {
    std::string piece;
    piece.reserve(bytes + 4096);
    while (stream->next(piece, bytes)) sink(piece);
    return;
  }
  sink(register_csv(public_register_rows(db, today, filter, rules), several_bodies));
}

std::string register_csv(SQLite::Database& db, const Date& today, const RegisterFilter& filter, const PublicationRules& rules,
                         bool several_bodies) {
  std::string out;
  write_register_csv(db, today, filter, rules, several_bodies, [&](std::string_view piece) {
    if (out.empty()) out = piece;
    else out += piece;
  });
  return out;
}

std::string register_csv(const std::vector<PublicRegisterRow>& rows, bool several_bodies) {
  const std::vector<std::string> header = register_csv_header(several_bodies);
  std::vector<std::vector<std::string>> records;
  records.reserve(rows.size());
  for (const auto& r : rows) {
    std::vector<std::string> rec{std::to_string(r.entry.id), r.person.name, join(r.person.positions, "; ")};
    if (const auto& d = r.entry.detail) {
      rec.insert(rec.end(), {d->organisation ? d->organisation->name : "", d->organisation ? d->organisation->identifier : "",
                             std::string(public_label(d->category)), d->indirect ? "Indirect" : "Direct", d->relationship,
                             d->nature, d->from.iso(), opt_iso(d->to), d->action_taken, d->declared_on.iso(), "no",
                             std::string(public_label(d->kind)), details_text(d->kind, d->details)});
    } else {
      // Withheld: the cells stay, empty, so every record keeps the header's columns.
      rec.insert(rec.end(), 10, "");
      rec.push_back("yes");
      rec.insert(rec.end(), 2, "");
    }
    if (several_bodies) rec.push_back(r.person.body.name);
    records.push_back(std::move(rec));
  }
  return csv_document(header, records);
}

std::string gifts_csv(const std::vector<PublicGift>& rows) {
  const std::vector<std::string> header{"Entry id",     "Name",        "Position(s)", "Gift or hospitality", "Description",
                                        "Source",       "Source organisation", "Source identifier", "Value (GBP)", "Date offered",
                                        "Accepted or declined", "Date declared", "Awaiting approval", "Approved by",
                                        "Approver's role", "Reason for approval"};
  std::vector<std::vector<std::string>> records;
  records.reserve(rows.size());
  for (const auto& g : rows) {
    records.push_back({std::to_string(g.id), g.person.name, join(g.person.positions, "; "), std::string(public_label(g.kind)),
                       g.description, g.source, g.organisation ? g.organisation->name : "",
                       g.organisation ? g.organisation->identifier : "", format_pounds(g.value_pence), g.offered_on.iso(),
                       std::string(public_label(g.outcome)), g.declared_on.iso(), g.awaiting_approval ? "yes" : "no",
                       g.approved_by, g.approver_role, g.approval_reason});
  }
  return csv_document(header, records);
}

}  // namespace probity
