#pragma once
// Small readers shared by the route files: a numeric id captured from the URL, and one field of
// a form or JSON body read into Fields.
#include <httplib.h>

#include <exception>
#include <string>

#include "model/entities.hpp"
#include "server/declaration_input.hpp"
#include "server/http_error.hpp"

namespace probity {

/// The id captured by the route's pattern at `index`; 404 when it is not a number that fits.
inline Id id_at(const httplib::Request& req, std::size_t index) {
  try {
    return std::stoll(req.matches[index]);
  } catch (const std::exception&) {
    throw not_found("That record");
  }
}

/// The value of `key` exactly as sent; empty when absent.
inline std::string field(const Fields& in, const std::string& key) {
  auto it = in.find(key);
  return it == in.end() ? std::string() : it->second;
}

}  // namespace probity
