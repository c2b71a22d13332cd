#pragma once
// An outbox row as an Internet message (RFC 5322 headers, MIME multipart/alternative with a plain
// text and an HTML part, UTF-8, quoted-printable, CRLF line endings). Pure functions: the SMTP
// transport and the .eml spool send exactly these bytes. Names and the subject come from the
// register and may hold anything: control characters (CR and LF above all) are replaced by
// spaces before they reach a header, so no text can add a header of its own.
#include <string>
#include <string_view>

#include "model/base/timestamp.hpp"

namespace probity {

struct MimeMessage {
  std::string from_address;
  std::string from_name;  // the organisation's name
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string text_body;
  std::string html_body;  // empty: a text/plain message only
  Instant date{};
  std::string message_id;  // without the angle brackets, e.g. probity.12.20261203T090000@example.nhs.uk
};

/// The whole message: headers, a blank line, the body; every line ends CRLF, none is longer
/// than 998 octets, none begins with a dot. Does not throw (but std::bad_alloc).
std::string build_mime(const MimeMessage& message);

/// A plain address as Probity sends to: local@domain, at most 254 characters, a local part of
/// letters, digits and !#$%&'*+/=?^_`{|}~.- (no leading, trailing or double dot) and a domain of
/// at least two dot-separated labels of letters, digits and hyphens. Does not throw.
bool valid_mail_address(std::string_view address);

/// Header text (a subject or display name) with every control character replaced by a space,
/// then, when it is not plain ASCII, as RFC 2047 encoded-words (=?UTF-8?B?...?=, folded with
/// CRLF SP, never splitting a UTF-8 character); ASCII is folded at spaces. Does not throw.
std::string encode_header_text(std::string_view text);

/// `"Name" <address>` (the name quoted, or encoded when not ASCII), or the bare address when the
/// name is empty. Does not throw.
std::string format_mailbox(std::string_view name, std::string_view address);

/// Quoted-printable (RFC 2045) with CRLF line endings, lines of at most 76 characters, and a
/// dot or "From " at the start of a line encoded. Does not throw.
std::string quoted_printable(std::string_view text);

/// RFC 5322 date-time in UTC, e.g. "Thu, 03 Dec 2026 09:00:00 +0000". Does not throw.
std::string rfc5322_date(Instant t);

/// The Message-ID of an outbox row (without brackets): the same for every attempt to send it, so
/// a receiver can recognise a second copy. `from_address`'s domain is used. Does not throw.
std::string outbox_message_id(long long outbox_id, std::string_view created_at, std::string_view from_address);

}  // namespace probity
