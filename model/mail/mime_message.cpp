#include "model/mail/mime_message.hpp"
#include "model/base/text.hpp"

#include <chrono>
#include <cstdio>

namespace probity {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string without_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  return out;
}

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Encoded-words of at most 39 octets of text each (52 characters of base64, 64 with the
// wrapping, so a header's first line stays within 78 characters), cut only before a byte that starts a UTF-8 character.
std::string encoded_words(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(start + 39, text.size());
    while (end < text.size() && end > start + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// ASCII text folded at spaces so that no line of the header passes about 78 characters (a word
// longer than that stays whole: lines may be up to 998).
std::string folded_ascii(std::string_view text, std::size_t first_line_used) {
  std::string out;
  std::size_t line = first_line_used;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t space = text.find(' ', i + 1);
    if (space == std::string_view::npos) space = text.size();
    const auto word = text.substr(i, space - i);  // begins with its space, except the first
    if (line + word.size() > 78 && !out.empty() && word.front() == ' ') {
      out += kCrlf;
      line = 0;
    }
    out += word;
    line += word.size();
    i = space;
  }
  return out;
}

std::string hex2(unsigned char c) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "=%02X", c);
  return buf;
}

std::string boundary_for(std::string_view message_id) {
  // "=_" can never appear in quoted-printable output (a literal "=" is always written =3D).
  std::string b = "=_probity_";
  for (char c : message_id)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) b += c;
  if (b.size() > 60) b.resize(60);
  return b;
}

}  // namespace

bool valid_mail_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= a.size()) return false;
  const auto local = a.substr(0, at);
  const auto domain = a.substr(at + 1);
  static constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  for (char c : local) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kLocalSpecials.find(c) == std::string_view::npos) return false;
  }
  int labels = 0;
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const auto label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    ++labels;
    start = dot + 1;
  }
  return labels >= 2;
}

std::string encode_header_text(std::string_view text) {
  const std::string clean = without_controls(text);
  if (is_ascii(clean)) return folded_ascii(clean, 10);
  return encoded_words(clean);
}

std::string format_mailbox(std::string_view name, std::string_view address) {
  const std::string clean = without_controls(name);
  const std::string addr = without_controls(address);
  if (clean.empty()) return addr;
  if (!is_ascii(clean)) return encoded_words(clean) + "\r\n <" + addr + ">";
  std::string quoted = "\"";
  for (char c : clean) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + addr + ">";
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::string line;  // the encoded line being built
  auto end_line = [&](bool hard) {
    out += line;
    out += hard ? "\r\n" : "=\r\n";
    line.clear();
  };
  std::size_t i = 0;
  while (i <= text.size()) {
    // One input line, without its line ending (CRLF, LF or CR).
    std::size_t eol = text.find_first_of("\r\n", i);
    const bool last = eol == std::string_view::npos;
    if (last) eol = text.size();
    const auto in = text.substr(i, eol - i);
    for (std::size_t k = 0; k < in.size(); ++k) {
      const auto c = static_cast<unsigned char>(in[k]);
      const bool at_end = k + 1 == in.size();
      std::string piece;
      if ((c == ' ' || c == '\t') && at_end) piece = hex2(c);
      else if (c == '.' && line.empty()) piece = hex2(c);
      else if (c == 'F' && line.empty() && in.substr(k, 5) == "From ") piece = hex2(c);
      else if (c == ' ' || c == '\t' || (c >= 33 && c <= 126 && c != '=')) piece = std::string(1, static_cast<char>(c));
      else piece = hex2(c);
      if (line.size() + piece.size() > 75) end_line(false);
      // After a soft break a dot or "From " starts a line again: encode it there too.
      if (line.empty() && (piece == "." || (piece == "F" && in.substr(k, 5) == "From "))) piece = hex2(c);
      line += piece;
    }
    if (last) {
      if (!line.empty() || out.empty() || !in.empty()) end_line(true);
      break;
    }
    end_line(true);
    i = eol + ((text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n') ? 2 : 1);
    if (i == text.size()) break;  // the text ended with a line ending: no empty line after it
  }
  return out;
}

std::string rfc5322_date(Instant t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::weekday wd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld +0000", kDays[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()));
  return buf;
}

std::string outbox_message_id(long long outbox_id, std::string_view created_at, std::string_view from_address) {
  std::string stamp;
  for (char c : created_at)
    if (c >= '0' && c <= '9') stamp += c;
  std::string domain = "probity.invalid";
  if (auto at = from_address.rfind('@'); at != std::string_view::npos && valid_mail_address(from_address))
    domain = std::string(from_address.substr(at + 1));
  return "probity." + std::to_string(outbox_id) + "." + stamp + "@" + domain;
}

std::string build_mime(const MimeMessage& m) {
  std::string out;
  out.reserve(m.text_body.size() + m.html_body.size() + 1024);
  out += "From: " + format_mailbox(m.from_name, m.from_address) + "\r\n";
  out += "To: " + format_mailbox(m.to_name, m.to_address) + "\r\n";
  out += "Subject: " + encode_header_text(m.subject) + "\r\n";
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "Message-ID: <" + without_controls(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
      quoted_printable(m.text_body);
  if (m.html_body.empty()) {
    out += text_part;
    return out;
  }
  const std::string boundary = boundary_for(m.message_id);
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a message in two parts: plain text and HTML.\r\n";
  out += "--" + boundary + "\r\n" + text_part;
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += quoted_printable(m.html_body);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace probity
