#pragma once
// Reads the framing of an HTTP/1.1 request from the bytes received so far, before cpp-httplib
// sees any of it. The library (0.11.4) reads a request without Content-Length until the client
// stops, restarts its read timeout on every header line, accepts any number of header lines of
// any length, and leaves an unread body on the connection to be parsed as the next request. So
// the connection loop waits until a whole request (head and body) has arrived within these
// limits, and hands the library only that request's bytes.
//
// Strict where leniency lets two parsers disagree about where a request ends (RFC 9112 section
// 11.2, request smuggling): header lines must end in CRLF, folded lines, lines without a colon,
// white space before the colon, a repeated or non-numeric Content-Length and any
// Transfer-Encoding are refused. Refused heads get a short plain answer and the connection closes.
#include <cstddef>
#include <string>
#include <string_view>

namespace probity {

struct HeadLimits {
  std::size_t max_head_bytes = 16 * 1024;  // request line, header lines and the blank line
  std::size_t max_header_lines = 100;
  std::size_t max_target_bytes = 8 * 1024;  // the request target (URL path and query)
  std::size_t max_body_bytes = 1024 * 1024;
};

struct HeadScan {
  enum class State {
    incomplete,  // no blank line yet (and within the limits): wait for more bytes
    refused,     // answer `status` with `message` and close the connection
    complete,    // a whole head: `head_bytes` long, followed by a body of `body_bytes`
  };
  State state = State::incomplete;
  int status = 0;
  std::string message;
  std::size_t head_bytes = 0;  // from the first byte given, including skipped blank lines
  std::size_t body_bytes = 0;
  // The application will refuse this request's framing (Transfer-Encoding, Content-Encoding, a
  // body without Content-Length, one over the limit): it sees the head only, and the connection
  // closes after its answer, since where the body ends is unknown or unread.
  bool close_after = false;
  bool expects_continue = false;  // "Expect: 100-continue"
};

/// Scans the bytes received so far for one request head. `searched` is how many leading bytes an
/// earlier call already searched without finding the end of the head (so a head arriving a byte
/// at a time costs linear time); it is updated. Throws nothing.
HeadScan scan_request_head(std::string_view bytes, const HeadLimits& limits, std::size_t& searched);

/// A short plain-text answer that closes the connection, for a request refused before the
/// application saw it (e.g. "HTTP/1.1 400 Bad Request" with `message` as its body).
std::string refusal_response(int status, std::string_view message);

}  // namespace probity
