#include "server/views.hpp"

#include <kainjow/mustache.hpp>
#include <map>
#include <stdexcept>
#include <string_view>

namespace probity {
const std::map<std::string, std::string_view>& embedded_templates();

namespace {
namespace mu = kainjow::mustache;

mu::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [key, value] : j.items()) d.set(key, to_data(value));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d{mu::data::type::list};
      for (const auto& value : j) d.push_back(to_data(value));
      return d;
    }
    case nlohmann::json::value_t::string:
      return mu::data{j.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return mu::data{j.get<bool>()};
    case nlohmann::json::value_t::null:
      return mu::data{false};
    default:
      return mu::data{j.dump()};  // numbers
  }
}

const std::string& template_source(const std::string& name) {
  // Copies made once: kainjow wants std::string and the embedded map holds string_views.
  static const std::map<std::string, std::string> sources = [] {
    std::map<std::string, std::string> out;
    for (const auto& [file, text] : embedded_templates()) {
      auto dot = file.rfind(".mustache");
      out.emplace(file.substr(0, dot), std::string(text));
    }
    return out;
  }();
  auto it = sources.find(name);
  if (it == sources.end()) throw std::runtime_error("no template named " + name);
  return it->second;
}
}  // namespace

bool has_template(const std::string& name) {
  return embedded_templates().count(name + ".mustache") != 0;
}

std::string render_template(const std::string& name, const nlohmann::json& data) {
  // kainjow's render() is not const, so each thread keeps its own parsed copies.
  thread_local std::map<std::string, mu::mustache> parsed;
  auto it = parsed.find(name);
  if (it == parsed.end()) {
    it = parsed.emplace(name, mu::mustache{template_source(name)}).first;
    if (!it->second.is_valid()) throw std::runtime_error("template " + name + ": " + it->second.error_message());
  }
  mu::data d = to_data(data);
  // Only templates named with a leading underscore are partials, so that a partial's name
  // can never shadow a data key of the same name.
  for (const auto& [file, text] : embedded_templates()) {
    if (file.empty() || file[0] != '_') continue;
    d.set(file.substr(0, file.rfind(".mustache")), mu::partial{[text = std::string(text)] { return text; }});
  }
  return it->second.render(d);
}

}  // namespace probity
