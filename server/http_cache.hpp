#pragma once
// Conditional requests and compression for the public registers. Journalists' scripts and
// feed readers poll these pages; a 304 costs a hash instead of a page.
#include <httplib.h>

#include <optional>
#include <string>

namespace probity {

/// Finishes a 200 response whose body and Content-Type are set: a strong ETag (SHA-256 of the
/// body, plus the content coding when one is applied, since a gzip body is different bytes),
/// Last-Modified from `last_recorded` (an ISO 8601 instant; omitted when nullopt), Vary and
/// Cache-Control; then either a 304 without body when If-None-Match names this ETag, or the
/// body gzip-compressed when it is over 1 KB, the client accepts gzip and cpp-httplib would not
/// compress this content type itself. Other statuses are left alone. Throws std::runtime_error
/// if hashing fails.
void finish_cacheable(const httplib::Request& req, httplib::Response& res, const std::optional<std::string>& last_recorded);

/// An ISO 8601 UTC instant (2025-03-02T10:04:05Z) as an HTTP date (Sun, 02 Mar 2025 10:04:05
/// GMT); empty when the text is not such an instant. Throws nothing.
std::string http_date(const std::string& iso_instant);

/// True when the Accept-Encoding header accepts gzip (a q=0 refuses it). Throws nothing.
bool accepts_gzip(const std::string& accept_encoding);

}  // namespace probity
