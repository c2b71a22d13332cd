// Building the message (model/mail/mime_message.hpp): RFC 5322 headers, RFC 2047 encoding of a
// non-ASCII subject and names, multipart/alternative in quoted-printable, CRLF everywhere, no line
// starting with a dot, and no way for a name or subject to add a header.
#include <catch2/catch.hpp>

#include <sstream>

#include "model/mail/mime_message.hpp"

using namespace probity;

namespace {

MimeMessage sample() {
  MimeMessage m;
  m.from_address = "probity@example.nhs.uk";
  m.from_name = "NHS Example Integrated Care Board";
  m.to_address = "mo.nash@nhs.net";
  m.to_name = "Dr Mo Nash";
  m.subject = "Your declaration is due";
  m.text_body = "Dear Dr Nash,\n\nPlease confirm your entries.\n.\nThat line was a dot.";
  m.html_body = "<p>Dear Dr Nash,</p><p>Please confirm your entries.</p>";
  m.date = parse_instant("2026-12-03T09:05:07Z").value();
  m.message_id = outbox_message_id(12, "2026-12-03T09:00:00Z", m.from_address);
  return m;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t crlf; (crlf = text.find("\r\n", start)) != std::string::npos; start = crlf + 2)
    lines.push_back(text.substr(start, crlf - start));
  REQUIRE(start == text.size());  // ends with CRLF
  return lines;
}

std::string headers_of(const std::string& message) { return message.substr(0, message.find("\r\n\r\n") + 2); }

// Every header line's name, unfolded (continuation lines start with a space).
std::vector<std::string> header_names(const std::string& message) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(headers_of(message))) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    names.push_back(line.substr(0, line.find(':')));
  }
  return names;
}

std::string qp_decode(const std::string& encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '=' && encoded.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (encoded[i] == '=') {
      out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += encoded[i];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a message has the RFC 5322 headers and both parts, with CRLF line endings") {
  const auto text = build_mime(sample());
  const auto headers = headers_of(text);
  CHECK(headers.find("From: \"NHS Example Integrated Care Board\" <probity@example.nhs.uk>\r\n") == 0);
  CHECK(headers.find("\r\nTo: \"Dr Mo Nash\" <mo.nash@nhs.net>\r\n") != std::string::npos);
  CHECK(headers.find("\r\nSubject: Your declaration is due\r\n") != std::string::npos);
  CHECK(headers.find("\r\nDate: Thu, 03 Dec 2026 09:05:07 +0000\r\n") != std::string::npos);
  CHECK(headers.find("\r\nMessage-ID: <probity.12.20261203090000@example.nhs.uk>\r\n") != std::string::npos);
  CHECK(headers.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(headers.find("Content-Type: multipart/alternative;\r\n boundary=\"=_probity_") != std::string::npos);
  CHECK(text.find("Content-Type: text/plain; charset=UTF-8") < text.find("Content-Type: text/html; charset=UTF-8"));
  CHECK(text.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') REQUIRE((i > 0 && text[i - 1] == '\r'));  // no bare LF
  for (const auto& line : lines_of(text)) {
    CHECK(line.size() <= 998);
    CHECK((line.empty() || line[0] != '.'));  // dot-safe
  }
  CHECK(text.find("\r\n=2E\r\n") != std::string::npos);  // the dot line, encoded
}

TEST_CASE("the text part decodes back to the text, with CRLF line endings") {
  auto m = sample();
  m.text_body = "Caf\xC3\xA9 = caf\xC3\xA9 \nTrailing space \n" + std::string(200, 'x') + "\nFrom here on\n";
  m.html_body.clear();
  const auto text = build_mime(m);
  CHECK(text.find("multipart") == std::string::npos);  // one part when there is no HTML
  const auto body = text.substr(text.find("\r\n\r\n") + 4);
  for (const auto& line : lines_of(body)) CHECK(line.size() <= 76);
  CHECK(qp_decode(body) ==
        "Caf\xC3\xA9 = caf\xC3\xA9 \r\nTrailing space \r\n" + std::string(200, 'x') + "\r\nFrom here on\r\n");
  CHECK(body.find("\r\nFrom here") == std::string::npos);  // "From " at a line start is encoded
}

TEST_CASE("a subject or name that is not ASCII is encoded per RFC 2047, in whole characters") {
  auto m = sample();
  m.subject = "D\xC3\xA9" "claration reminder: \xE2\x80\x9C" + std::string(30, 'a') + "\xE2\x80\x9D \xC3\xA9\xC3\xA9\xC3\xA9";
  m.to_name = "Z\xC3\xB6\xC3\xA9 \"Q\" Smith";
  const auto headers = headers_of(build_mime(m));
  CHECK(headers.find("Subject: =?UTF-8?B?") != std::string::npos);
  CHECK(headers.find("To: =?UTF-8?B?") != std::string::npos);
  CHECK(headers.find("?=\r\n =?UTF-8?B?") != std::string::npos);  // folded into several words
  for (const auto& line : lines_of(headers)) CHECK(line.size() <= 78);
  // Each word decodes to whole UTF-8 characters: no word begins with a continuation byte.
  const auto words = encode_header_text(m.subject);
  CHECK(words.find("=?UTF-8?B?gA") == std::string::npos);
  CHECK(encode_header_text("Plain") == "Plain");
}

TEST_CASE("CR and LF in a name or subject cannot add a header") {
  auto m = sample();
  m.subject = "Hello\r\nBcc: victim@example.com";
  m.to_name = "Mo\nBcc: other@example.com\r\nX-Evil: 1";
  m.from_name = "Board\r\n\r\nBody injected";
  m.to_address = "mo.nash@nhs.net\r\nBcc: third@example.com";
  const auto text = build_mime(m);
  const auto names = header_names(text);
  CHECK(std::count(names.begin(), names.end(), "Bcc") == 0);
  CHECK(std::count(names.begin(), names.end(), "X-Evil") == 0);
  CHECK(names == std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Auto-Submitted",
                                          "Content-Type"});
  CHECK(headers_of(text).find("Subject: Hello  Bcc: victim@example.com\r\n") != std::string::npos);
  // Non-ASCII text with a line break is cleaned before it is encoded, too.
  CHECK(encode_header_text("\xC3\xA9\r\nBcc: x@y.z").find('\n') == std::string::npos);
  CHECK(format_mailbox("A\r\nB", "a@b.c") == "\"A  B\" <a@b.c>");
}

TEST_CASE("an address is checked before it is sent to") {
  CHECK(valid_mail_address("mo.nash@nhs.net"));
  CHECK(valid_mail_address("first.o'brien+tag@example.nhs.uk"));
  CHECK_FALSE(valid_mail_address(""));
  CHECK_FALSE(valid_mail_address("no-at-sign.nhs.net"));
  CHECK_FALSE(valid_mail_address("two@@nhs.net"));
  CHECK_FALSE(valid_mail_address("a@b@nhs.net"));
  CHECK_FALSE(valid_mail_address("mo nash@nhs.net"));
  CHECK_FALSE(valid_mail_address("mo@nhs"));
  CHECK_FALSE(valid_mail_address(".mo@nhs.net"));
  CHECK_FALSE(valid_mail_address("mo..nash@nhs.net"));
  CHECK_FALSE(valid_mail_address("mo@-nhs.net"));
  CHECK_FALSE(valid_mail_address("mo@nhs.net\r\nBcc: x@y.z"));
  CHECK_FALSE(valid_mail_address("<mo@nhs.net>"));
  CHECK_FALSE(valid_mail_address(std::string(250, 'a') + "@nhs.net"));
}
