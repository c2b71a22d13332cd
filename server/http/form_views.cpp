#include "server/http/form_views.hpp"

#include <algorithm>
#include <optional>

namespace probity {
namespace {
using json = nlohmann::json;

std::string described(const std::string& name, bool hint, bool error) {
  std::string out;
  if (hint) out = name + "-hint";
  if (error) out += (out.empty() ? "" : " ") + name + "-error";
  return out;
}

}  // namespace

json field_error(const Problems& problems, const std::string& field) {
  return problems.has(field) ? json(problems.message(field)) : json(false);
}

json newest_first(json versions) {
  std::reverse(versions.begin(), versions.end());
  return versions;
}

const std::map<std::string, std::string>& field_ids() {
  static const std::map<std::string, std::string> ids = {
      {"from", "from-day"}, {"to", "to-day"}, {"offered_on", "offered_on-day"}, {"category", "category-financial"},
      {"kind", "kind-gift"}, {"from_supplier", "from_supplier-yes"}, {"cash_or_voucher", "cash_or_voucher-yes"},
      {"outcome", "outcome-accepted"}, {"confirm", "confirm"}, {"left_on", "left_on-day"}, {"aware_on", "aware_on-day"}, {"decision", "decision-approve"}};
  return ids;
}

void add_date_parts(json& view, const std::string& name, const Fields& fields) {
  auto part = [&](const char* suffix) {
    return fields.has(name + suffix) ? std::optional<std::string>(fields.raw(name + suffix)) : std::nullopt;
  };
  if (part("-day") || part("-month") || part("-year")) {
    view[name + "_day"] = part("-day").value_or("");
    view[name + "_month"] = part("-month").value_or("");
    view[name + "_year"] = part("-year").value_or("");
    return;
  }
  auto d = Date::parse(fields.raw(name));
  view[name + "_day"] = d ? std::to_string(d->day()) : "";
  view[name + "_month"] = d ? std::to_string(d->month()) : "";
  view[name + "_year"] = d ? std::to_string(d->year()) : "";
}

json text_field(const Fields& f, const Problems& e, const std::string& name, const std::string& label, const std::string& hint,
                const std::string& width) {
  json err = field_error(e, name);
  return {{"name", name}, {"label", label}, {"hint", hint.empty() ? json(false) : json(hint)}, {"value", f.raw(name)},
          {"error", err}, {"width", width.empty() ? json(false) : json(width)},
          {"described", described(name, !hint.empty(), !err.is_boolean())}};
}

json date_field(const Fields& f, const Problems& e, const std::string& name, const std::string& legend, const std::string& hint) {
  json err = field_error(e, name);
  json d = {{"name", name}, {"legend", legend}, {"hint", hint.empty() ? json(false) : json(hint)}, {"error", err},
            {"described", described(name, !hint.empty(), !err.is_boolean())}};
  json parts;
  add_date_parts(parts, name, f);
  d["day"] = parts[name + "_day"];
  d["month"] = parts[name + "_month"];
  d["year"] = parts[name + "_year"];
  return d;
}

json radios(const Fields& f, const Problems& e, const std::string& name, const std::string& legend, const std::string& hint,
            const std::vector<FieldOption>& options) {
  json err = field_error(e, name);
  json list = json::array();
  const auto current = f.raw(name);
  for (const auto& o : options)
    list.push_back({{"id", name + "-" + o.value}, {"name", name}, {"value", o.value}, {"label", o.label},
                    {"hint", o.hint.empty() ? json(false) : json(o.hint)}, {"checked", current == o.value}});
  return {{"name", name}, {"legend", legend}, {"hint", hint.empty() ? json(false) : json(hint)}, {"error", err}, {"options", list},
          {"described", described(name, !hint.empty(), !err.is_boolean())}};
}

nlohmann::json summary_row(const std::string& key, const std::string& value) { return {{"key", key}, {"value", value}}; }

}  // namespace probity
