#include "server/http/config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace probity {
namespace {
template <typename T>
void read_field(const nlohmann::json& j, const char* key, T& out, const std::string& file) {
  if (!j.contains(key)) return;
  try {
    out = j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError(file + ": field \"" + key + "\" has the wrong type");
  }
}

int parse_port(const std::string& text, const std::string& where) {
  try {
    std::size_t used = 0;
    int port = std::stoi(text, &used);
    if (used == text.size() && port >= 0 && port <= 65535) return port;
  } catch (const std::exception&) {
  }
  throw ConfigError(where + ": port must be a number from 0 to 65535");
}
}  // namespace

std::string Config::effective_base_url() const {
  if (!base_url.empty()) return base_url;
  return std::string(tls_cert.empty() ? "http://" : "https://") + host + ":" + std::to_string(port);
}

Config load_config(const std::string& path) {
  Config c;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot read the config file");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw ConfigError(path + ": not a JSON object");
    read_field(j, "host", c.host, path);
    read_field(j, "port", c.port, path);
    read_field(j, "database", c.database, path);
    read_field(j, "assets_dir", c.assets_dir, path);
    read_field(j, "public_dir", c.public_dir, path);
    read_field(j, "organisation_name", c.organisation_name, path);
    read_field(j, "base_url", c.base_url, path);
    read_field(j, "contact_email", c.contact_email, path);
    read_field(j, "contact_phone", c.contact_phone, path);
    read_field(j, "review_required", c.review_required, path);
    read_field(j, "threads", c.threads, path);
    read_field(j, "max_body_bytes", c.max_body_bytes, path);
    read_field(j, "max_head_bytes", c.max_head_bytes, path);
    read_field(j, "max_header_lines", c.max_header_lines, path);
    read_field(j, "head_timeout_seconds", c.head_timeout_seconds, path);
    read_field(j, "request_timeout_seconds", c.request_timeout_seconds, path);
    read_field(j, "max_buffered_body_bytes", c.max_buffered_body_bytes, path);
    read_field(j, "read_timeout_seconds", c.read_timeout_seconds, path);
    read_field(j, "write_timeout_seconds", c.write_timeout_seconds, path);
    read_field(j, "keep_alive_max_count", c.keep_alive_max_count, path);
    read_field(j, "keep_alive_timeout_seconds", c.keep_alive_timeout_seconds, path);
    read_field(j, "public_cache", c.public_cache, path);
    read_field(j, "conflicts_cache", c.conflicts_cache, path);
    read_field(j, "tls_cert", c.tls_cert, path);
    read_field(j, "tls_key", c.tls_key, path);
    read_field(j, "secure_cookies", c.secure_cookies, path);
    read_field(j, "trusted_proxy", c.trusted_proxy, path);
    if (j.contains("metrics_port")) {
      int metrics_port = 0;
      read_field(j, "metrics_port", metrics_port, path);
      c.metrics_port = metrics_port;
    }
    read_field(j, "drain_seconds", c.drain_seconds, path);
    c.raw = std::move(j);
  }
  if (const char* v = std::getenv("PROBITY_HOST")) c.host = v;
  if (const char* v = std::getenv("PROBITY_PORT")) c.port = parse_port(v, "PROBITY_PORT");
  if (const char* v = std::getenv("PROBITY_DATABASE")) c.database = v;
  if (const char* v = std::getenv("PROBITY_METRICS_PORT")) c.metrics_port = parse_port(v, "PROBITY_METRICS_PORT");
  if (c.port < 0 || c.port > 65535) throw ConfigError(path + ": port must be a number from 0 to 65535");
  if (c.metrics_port && (*c.metrics_port < 0 || *c.metrics_port > 65535))
    throw ConfigError(path + ": metrics_port must be a number from 0 to 65535");
  if (c.drain_seconds < 1 || c.drain_seconds > 600) throw ConfigError(path + ": drain_seconds must be from 1 to 600");
  if (c.threads < 1 || c.threads > 1024) throw ConfigError(path + ": threads must be from 1 to 1024");
  if (c.max_head_bytes < 1024 || c.max_head_bytes > 1024 * 1024)
    throw ConfigError(path + ": max_head_bytes must be from 1024 to 1048576");
  if (c.max_header_lines < 10 || c.max_header_lines > 1000) throw ConfigError(path + ": max_header_lines must be from 10 to 1000");
  if (c.head_timeout_seconds < 1 || c.request_timeout_seconds < c.head_timeout_seconds)
    throw ConfigError(path + ": head_timeout_seconds must be at least 1, and request_timeout_seconds at least that");
  if (c.max_buffered_body_bytes < c.max_body_bytes)
    throw ConfigError(path + ": max_buffered_body_bytes must be at least max_body_bytes");
  return c;
}

}  // namespace probity
