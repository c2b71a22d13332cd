#include <catch2/catch.hpp>

#include "model/public/csv.hpp"

using namespace probity;

TEST_CASE("CSV fields are quoted exactly when RFC 4180 requires it") {
  auto [value, written] = GENERATE(table<std::string, std::string>({
      {"plain", "plain"},
      {"", ""},
      {"Patel, Asha", "\"Patel, Asha\""},
      {"the \"Riverside\" practice", "\"the \"\"Riverside\"\" practice\""},
      {"\"", "\"\"\"\""},
      {"line one\nline two", "\"line one\nline two\""},
      {"line one\r\nline two", "\"line one\r\nline two\""},
      {"Siân Ó Briain, Zoë", "\"Siân Ó Briain, Zoë\""},  // UTF-8 passes through untouched
      {"<script>alert(1)</script>", "<script>alert(1)</script>"},
      {"semi;colon and 'single'", "semi;colon and 'single'"},
  }));
  CAPTURE(value);
  CHECK(csv_field(value) == written);
}

TEST_CASE("CSV cells that a spreadsheet would run as a formula get a leading apostrophe") {
  auto [value, written] = GENERATE(table<std::string, std::string>({
      {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
      {"=1+1", "'=1+1"},
      {"+44 20 7946 0000", "'+44 20 7946 0000"},
      {"-2+3", "'-2+3"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\tcmd", "'\tcmd"},
      {"\r=1", "\"'\r=1\""},
      {"a=1", "a=1"},  // only a leading character makes a formula
      {"2025-04-01", "2025-04-01"},
  }));
  CAPTURE(value);
  CHECK(csv_field(value) == written);
}

TEST_CASE("CSV records end with CRLF and documents start with the header") {
  CHECK(csv_record({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
  CHECK(csv_document({"x", "y"}, {{"1", "2"}, {"3", "4"}}) == "x,y\r\n1,2\r\n3,4\r\n");
  CHECK(csv_document({"x", "y"}, {}) == "x,y\r\n");
  CHECK_THROWS_WITH(csv_document({"x", "y"}, {{"1"}}), "CSV row has a different number of fields from the header");
}

namespace {
PublicPersonSummary person() {
  return {3, "dr-patel", "Patel, Dr \"Asha\"", PersonKind::gp, {"GP partner", "Chair, Primary Care Commissioning Committee"}};
}
}  // namespace

TEST_CASE("the register download has every column, and a withheld entry only its person") {
  PublicInterestDetail detail{"int-1",
                              InterestCategory::indirect,
                              true,
                              "spouse",
                              PublicOrganisation{9, "Acme Health Ltd", "01234567", OrganisationKind::company},
                              "Director, Acme",
                              *Date::parse("2024-04-01"),
                              std::nullopt,
                              "=excluded from decisions",
                              *Date::parse("2024-04-10")};
  std::vector<PublicRegisterRow> rows{{person(), PublicInterest{1, 3, detail}}, {person(), PublicInterest{2, 3, std::nullopt}}};
  const std::string expected =
      "Entry id,Name,Position(s),Organisation,Organisation identifier,Type,Direct or indirect,Relationship,"
      "Nature of interest,From,To,Action taken,Date declared,Withheld,Kind of interest,Kind details\r\n"
      "1,\"Patel, Dr \"\"Asha\"\"\",\"GP partner; Chair, Primary Care Commissioning Committee\",Acme Health Ltd,01234567,"
      "Indirect,Indirect,spouse,\"Director, Acme\",2024-04-01,,'=excluded from decisions,2024-04-10,no,Other,\r\n"
      "2,\"Patel, Dr \"\"Asha\"\"\",\"GP partner; Chair, Primary Care Commissioning Committee\",,,,,,,,,,,yes,,\r\n";
  CHECK(register_csv(rows) == expected);
}

TEST_CASE("the gifts download shows the value in pounds and the source") {
  PublicGift g{4,
               person(),
               GiftKind::hospitality,
               "Dinner at a conference",
               "Acme sales team",
               PublicOrganisation{9, "Acme Health Ltd", "01234567", OrganisationKind::company},
               4550,
               *Date::parse("2025-01-20"),
               GiftOutcome::declined,
               *Date::parse("2025-01-21")};
  const std::string expected =
      "Entry id,Name,Position(s),Gift or hospitality,Description,Source,Source organisation,Source identifier,"
      "Value (GBP),Date offered,Accepted or declined,Date declared,Awaiting approval,Approved by,Approver's role,"
      "Reason for approval\r\n"
      "4,\"Patel, Dr \"\"Asha\"\"\",\"GP partner; Chair, Primary Care Commissioning Committee\",Hospitality,"
      "Dinner at a conference,Acme sales team,Acme Health Ltd,01234567,45.50,2025-01-20,Declined,2025-01-21,no,,,\r\n";
  CHECK(gifts_csv({g}) == expected);
}
