#include "server/public/public_views.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "model/public/register_labels.hpp"
#include "model/public/register_json.hpp"
#include "model/register/interest_kinds.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

const std::set<std::string> kDateKeys = {"from", "to", "declared_on", "made_on", "offered_on", "last_declared_on", "left_on"};

template <typename E>
void label_enum(json& obj, const char* key, const char* label_key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return;
  if (auto v = enum_from_string<E>(it->get<std::string>())) obj[label_key] = std::string(public_label(*v));
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string sort_name(RegisterSort s) {
  switch (s) {
    case RegisterSort::name: return "name";
    case RegisterSort::organisation: return "organisation";
    case RegisterSort::type: return "type";
    case RegisterSort::from: return "from";
    case RegisterSort::to: return "to";
    case RegisterSort::declared: return "declared";
  }
  return "name";
}

// The sorts offered in the filter form, by what a reader calls them.
json sort_options(RegisterSort current) {
  static constexpr std::pair<RegisterSort, const char*> kSorts[] = {
      {RegisterSort::name, "Name"},       {RegisterSort::type, "Type of interest"}, {RegisterSort::organisation, "Organisation"},
      {RegisterSort::from, "Date from"},  {RegisterSort::to, "Date to"},            {RegisterSort::declared, "Date declared"}};
  json out = json::array();
  for (const auto& [sort, label] : kSorts) out.push_back({{"value", sort_name(sort)}, {"label", label}, {"selected", sort == current}});
  return out;
}

struct Column {
  const char* label;
  std::optional<RegisterSort> sort;
};
// The register's columns: what a reader compares across entries (who, what type, with which
// organisation, what, since when). The guidance's other columns (position, direct or indirect, to,
// action taken, declared) are in each row's "More about this entry" and on the entry's page: ten
// columns did not fit a desktop screen, and hid the last ones behind a scrollbar.
const std::array<Column, 5> kColumns{{{"Name", RegisterSort::name},
                                      {"Type", RegisterSort::type},
                                      {"Organisation and nature of business", RegisterSort::organisation},
                                      {"Nature of interest", std::nullopt},
                                      {"From", RegisterSort::from}}};

json committee_options(const std::vector<PublicCommitteeSummary>& committees, const std::optional<Id>& selected) {
  json out = json::array();
  out.push_back({{"value", ""}, {"label", "All committees"}, {"selected", !selected}});
  for (const auto& c : committees)
    out.push_back({{"value", std::to_string(c.id)}, {"label", c.name}, {"selected", selected && *selected == c.id}});
  return out;
}

// The bodies offered in the filter forms (several bodies only).
json body_options(const std::vector<PublicBodySummary>& bodies, const std::optional<Id>& selected) {
  json out = json::array();
  out.push_back({{"value", ""}, {"label", "All bodies"}, {"selected", !selected}});
  for (const auto& b : bodies)
    out.push_back({{"value", std::to_string(b.body.id)}, {"label", b.body.name}, {"selected", selected && *selected == b.body.id}});
  return out;
}

template <typename E>
json enum_options(const std::optional<E>& selected, const char* all_label) {
  json out = json::array();
  out.push_back({{"value", ""}, {"label", all_label}, {"selected", !selected}});
  for (const auto& [value, name] : EnumNames<E>::values)
    out.push_back({{"value", std::string(name)}, {"label", std::string(public_label(value))}, {"selected", selected && *selected == value}});
  return out;
}

// The NHS pagination pattern's data for page `current` of `count`; `href(n)` links page n.
template <typename Href>
json pagination_items(int current, int count, Href&& href) {
  json items = json::array();
  bool gap = false;
  for (int n = 1; n <= count; ++n) {
    // First, last and two either side of the current page; the rest collapse to an ellipsis.
    if (n == 1 || n == count || std::abs(n - current) <= 2) {
      items.push_back({{"number", n}, {"href", href(n)}, {"current", n == current}, {"ellipsis", false}});
      gap = false;
    } else if (!gap) {
      items.push_back({{"ellipsis", true}, {"current", false}});
      gap = true;
    }
  }
  json out = {{"items", items}, {"show", count > 1}};
  if (current > 1) out["previous"] = href(std::min(current - 1, count));
  if (current < count) out["next"] = href(current + 1);
  return out;
}

json pagination(const RegisterPage& page, const RegisterFilter& filter) {
  return pagination_items(page.page, page.page_count, [&](int n) {
    RegisterFilter f = filter;
    f.page = n;
    return link_with("/register", register_params(f, true));
  });
}
}  // namespace

// Kinds of interest: the kind's label and its details as labelled rows, in the kind's order.
void add_interest_kind_labels(json& doc) {
  const auto kind = enum_from_string<InterestKind>(doc.value("kind", std::string()));
  if (!kind) return;
  doc["interest_kind_label"] = std::string(public_label(*kind));
  json rows = json::array();
  for (const auto& f : interest_kind_info(*kind).fields)
    if (doc["details"].contains(std::string(f.name)))
      rows.push_back({{"label", std::string(f.label)}, {"value", doc["details"][std::string(f.name)]}});
  doc["detail_rows"] = rows;
}

void add_labels(json& doc) {
  if (doc.is_array()) {
    for (auto& item : doc) add_labels(item);
    return;
  }
  if (!doc.is_object()) return;
  json extra = json::object();
  for (auto& [key, value] : doc.items()) {
    if (value.is_structured()) {
      add_labels(value);
    } else if (value.is_string() && kDateKeys.count(key)) {
      if (auto d = Date::parse(value.get<std::string>())) extra[key + "_long"] = long_date(*d);
    } else if (key == "recorded_at" && value.is_string()) {
      auto text = value.get<std::string>();
      if (auto d = Date::parse(text.substr(0, 10))) extra["recorded_at_long"] = long_date(*d);
    }
  }
  // An empty string is still true to a Mustache section, so optional text gets a flag.
  for (const char* key : {"description", "statement", "source", "positions_text", "action_taken"})
    if (doc.contains(key) && doc[key].is_string()) extra[std::string("has_") + key] = !doc[key].get<std::string>().empty();
  // A gift's source is shown unless it only repeats its organisation's name (the organisation is
  // shown once, with its identifier).
  if (doc.contains("source") && doc["source"].is_string()) {
    const std::string source = doc["source"].get<std::string>();
    const bool repeats = doc.contains("organisation") && doc["organisation"].is_object() &&
                         fold_case(source) == fold_case(doc["organisation"].value("name", std::string()));
    extra["show_source"] = !source.empty() && !repeats;
  }
  for (auto& [key, value] : extra.items()) doc[key] = value;
  label_enum<InterestCategory>(doc, "category", "category_label");
  label_enum<CommitteeRole>(doc, "role", "role_label");
  label_enum<GiftOutcome>(doc, "outcome", "outcome_label");
  // "kind" names a different vocabulary in a person, an organisation and a gift.
  if (doc.contains("positions")) {
    label_enum<PersonKind>(doc, "kind", "kind_label");
    std::string text;
    for (const auto& p : doc["positions"]) text += (text.empty() ? "" : "; ") + p.get<std::string>();
    doc["positions_text"] = text;
    doc["has_positions_text"] = !text.empty();
  } else if (doc.contains("identifier")) {
    label_enum<OrganisationKind>(doc, "kind", "kind_label");
  } else if (doc.contains("value_pence")) {
    label_enum<GiftKind>(doc, "kind", "kind_label");
  } else if (doc.contains("nature") && doc.contains("details")) {
    add_interest_kind_labels(doc);  // an entry's kind of interest and its details
  }
  if (doc.contains("state") && doc.contains("text")) {  // a compliance: the template picks its tag colour
    const auto state = doc["state"].get<std::string>();
    doc["is_declared"] = state == "declared";
    doc["is_nil_return"] = state == "nil_return";
    doc["is_none_received"] = state == "none_received";
  }
  if (doc.contains("indirect") && doc["indirect"].is_boolean()) doc["direct_or_indirect"] = doc["indirect"].get<bool>() ? "Indirect" : "Direct";
}

std::string link_with(const std::string& path, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out = path;
  char sep = '?';
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += sep + percent_encode(k) + "=" + percent_encode(v);
    sep = '&';
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> register_params(const RegisterFilter& f, bool with_paging) {
  std::vector<std::pair<std::string, std::string>> out;
  if (f.committee_id) out.emplace_back("committee", std::to_string(*f.committee_id));
  if (f.body_id) out.emplace_back("body", std::to_string(*f.body_id));
  if (f.person_kind) out.emplace_back("person_kind", std::string(to_string(*f.person_kind)));
  if (f.category) out.emplace_back("category", std::string(to_string(*f.category)));
  if (f.interest_kind) out.emplace_back("kind", std::string(to_string(*f.interest_kind)));
  out.emplace_back("q", f.text);
  if (f.sort != RegisterSort::name) out.emplace_back("sort", sort_name(f.sort));
  if (f.descending) out.emplace_back("order", "desc");
  if (with_paging) {
    if (f.page != 1) out.emplace_back("page", std::to_string(f.page));
    if (f.page_size != RegisterPaging{}.default_page_size) out.emplace_back("page_size", std::to_string(f.page_size));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> gift_params(const PublicGiftFilter& f, bool with_paging) {
  std::vector<std::pair<std::string, std::string>> out;
  if (f.committee_id) out.emplace_back("committee", std::to_string(*f.committee_id));
  if (f.body_id) out.emplace_back("body", std::to_string(*f.body_id));
  if (f.person_kind) out.emplace_back("person_kind", std::string(to_string(*f.person_kind)));
  if (f.kind) out.emplace_back("kind", std::string(to_string(*f.kind)));
  out.emplace_back("q", f.text);
  if (with_paging) {
    if (f.page > 1) out.emplace_back("page", std::to_string(f.page));
    if (f.page_size != RegisterPaging{}.default_page_size) out.emplace_back("page_size", std::to_string(f.page_size));
  }
  return out;
}

json plain_register_columns() {
  json out = json::array();
  for (const auto& c : kColumns) out.push_back({{"label", c.label}});
  return out;
}

json register_view(const RegisterPage& page, const RegisterFilter& filter, const std::vector<PublicCommitteeSummary>& committees,
                   const std::vector<PublicBodySummary>& bodies) {
  json data;
  json doc = page;
  add_labels(doc);
  data["rows"] = doc["entries"];
  data["register"] = doc;
  data["title"] = "Register of interests";
  data["table_caption"] = "Register entries";

  json columns = json::array();
  for (const auto& c : kColumns) {
    json col = {{"label", c.label}};
    if (c.sort) {
      RegisterFilter f = filter;
      const bool current = filter.sort == *c.sort;
      f.sort = *c.sort;
      f.descending = current && !filter.descending;  // a second click reverses the order
      f.page = 1;
      col["href"] = link_with("/register", register_params(f, true));
      if (current) col["aria_sort"] = filter.descending ? "descending" : "ascending";
    }
    columns.push_back(col);
  }
  data["columns"] = columns;

  const bool filtered = filter.committee_id || filter.body_id || filter.person_kind || filter.category || filter.interest_kind ||
                        !filter.text.empty();
  data["filter"] = {{"q", filter.text},
                    {"committees", committee_options(committees, filter.committee_id)},
                    {"person_kinds", enum_options<PersonKind>(filter.person_kind, "All kinds of member")},
                    {"categories", enum_options<InterestCategory>(filter.category, "All types")},
                    {"interest_kinds", enum_options<InterestKind>(filter.interest_kind, "All kinds")},
                    // Every sort, chosen here too: the row's columns no longer show "To" and "Declared".
                    {"sorts", sort_options(filter.sort)},
                    {"orders", json::array({{{"value", "asc"}, {"label", "A to Z, earliest first"}, {"selected", !filter.descending}},
                                            {{"value", "desc"}, {"label", "Z to A, latest first"}, {"selected", filter.descending}}})},
                    {"page_size", filter.page_size == RegisterPaging{}.default_page_size ? json(nullptr)
                                                                                          : json(std::to_string(filter.page_size))},
                    {"active", filtered}};

  const std::size_t first = page.entries.empty() ? 0 : static_cast<std::size_t>(page.page - 1) * static_cast<std::size_t>(page.page_size) + 1;
  data["results"] = {{"total", page.total},
                     {"one", page.total == 1},
                     {"first", first},
                     {"last", page.entries.empty() ? 0 : first + page.entries.size() - 1},
                     {"none", page.total == 0},
                     // A page past the last one (an old link, a typed address): say so, and link to the first.
                     {"beyond", page.total > 0 && page.entries.empty()},
                     {"page", page.page}};
  {
    RegisterFilter f = filter;
    f.page = 1;
    data["results"]["first_page"] = link_with("/register", register_params(f, true));
  }
  data["pagination"] = pagination(page, filter);
  // Several bodies: the Body select, each entry's body, and the body shown.
  if (bodies.size() > 1) {
    data["several_bodies"] = true;
    data["filter"]["bodies"] = body_options(bodies, filter.body_id);
    for (const auto& b : bodies)
      if (filter.body_id && *filter.body_id == b.body.id)
        data["body_shown"] = {{"name", b.body.name},
                              {"elsewhere", b.publication == BodyPublication::elsewhere},
                              {"register_url", b.register_url}};
  }
  auto download = register_params(filter, false);
  data["links"] = {{"csv", link_with("/register.csv", download)},
                   {"json", link_with("/api/v1/register", register_params(filter, true))},
                   {"atom", "/register.atom"}};
  return data;
}

json gifts_view(const GiftsPage& page, const PublicGiftFilter& filter, const std::vector<PublicCommitteeSummary>& committees,
                const std::vector<PublicBodySummary>& bodies) {
  json doc = page;
  add_labels(doc);
  json data = {{"title", "Gifts and hospitality"}, {"gifts", doc}};
  data["filter"] = {{"q", filter.text},
                    {"committees", committee_options(committees, filter.committee_id)},
                    {"person_kinds", enum_options<PersonKind>(filter.person_kind, "All kinds of member")},
                    {"kinds", enum_options<GiftKind>(filter.kind, "Gifts and hospitality")},
                    {"active", filter.committee_id || filter.body_id || filter.person_kind || filter.kind || !filter.text.empty()}};
  if (bodies.size() > 1) {  // several bodies: a Body select
    data["several_bodies"] = true;
    data["filter"]["bodies"] = body_options(bodies, filter.body_id);
  }
  data["results"] = {{"total", page.total}, {"one", page.total == 1}, {"none", page.total == 0}};
  data["pagination"] = pagination_items(page.page, page.page_count, [&](int n) {
    PublicGiftFilter f = filter;
    f.page = n;
    return link_with("/gifts", gift_params(f, true));
  });
  data["links"] = {{"csv", link_with("/gifts.csv", gift_params(filter))},
                   {"json", link_with("/api/v1/gifts", gift_params(filter, true))}};
  return data;
}

json committee_view(const PublicCommittee& committee, bool several_bodies) {
  json doc = committee;
  add_labels(doc);
  // Several bodies: the committee's owning bodies, "A joint committee of ..." when several.
  doc["joint"] = committee.committee.bodies.size() > 1;
  for (std::size_t i = 0; i < doc["bodies"].size(); ++i) doc["bodies"][i]["first"] = i == 0;
  const Id id = committee.committee.id;
  RegisterFilter filter;
  filter.committee_id = id;
  const std::string path = "/committees/" + std::to_string(id);
  auto page_link = [&](int n) {
    std::vector<std::pair<std::string, std::string>> params;
    if (n != 1) params.emplace_back("page", std::to_string(n));
    if (committee.page_size != RegisterPaging{}.default_page_size) params.emplace_back("page_size", std::to_string(committee.page_size));
    return link_with(path, params);
  };
  const std::size_t first =
      committee.register_rows.empty() ? 0 : static_cast<std::size_t>(committee.page - 1) * static_cast<std::size_t>(committee.page_size) + 1;
  json data = {{"title", committee.committee.name},
               {"several_bodies", several_bodies},
               {"rows", doc["register"]},
               {"any_rows", !committee.register_rows.empty()},
               {"any_members", !committee.members.empty()},
               {"table_caption", "Interests declared by members of this committee"},
               {"committee", doc},
               {"columns", plain_register_columns()},
               {"links", {{"register", link_with("/register", register_params(filter, false))},
                          {"csv", link_with("/register.csv", register_params(filter, false))}}}};
  data["results"] = {{"total", committee.total},
                     {"one", committee.total == 1},
                     {"first", first},
                     {"last", committee.register_rows.empty() ? 0 : first + committee.register_rows.size() - 1},
                     // A page past the last one (an old link, a typed address): say so, and link to the first.
                     {"beyond", committee.total > 0 && committee.register_rows.empty()},
                     {"page", committee.page},
                     {"first_page", page_link(1)}};
  data["pagination"] = pagination_items(committee.page, committee.page_count, page_link);
  return data;
}

json bodies_view(const std::vector<PublicBodySummary>& bodies) {
  json rows = json::array();
  for (const auto& b : bodies) {
    json row = b;
    row["kind_label"] = std::string(public_label(b.kind));
    row["publication_label"] = std::string(public_label(b.publication));
    row["here"] = b.publication == BodyPublication::here;
    row["register_link"] = link_with("/register", {{"body", std::to_string(b.body.id)}});
    row["one"] = b.entries == 1;
    rows.push_back(std::move(row));
  }
  return {{"title", "Bodies"}, {"bodies", rows}, {"several_bodies", bodies.size() > 1}};
}

}  // namespace probity
