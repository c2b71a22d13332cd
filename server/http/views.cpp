#include "server/http/views.hpp"

#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "model/base/date_text.hpp"
#include "model/public/register_labels.hpp"

namespace probity {
const std::map<std::string, std::string_view>& embedded_templates();

namespace {
namespace mu = kainjow::mustache;

// The words a person reads for a machine date: "8 August 2012" for an ISO date, "3 December 2026
// at 3:44pm" (UK time) for an ISO instant; empty for anything else. Only strings of exactly those
// shapes are tried.
std::string long_form(const std::string& text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') return Date::parse(text) ? long_date_of_iso(text) : "";
  if (text.size() == 20 && text[10] == 'T' && text.back() == 'Z') return long_date_time_of_instant(text);
  return "";
}

const std::set<std::string, std::less<>> kCodeFields = {"status", "role", "kind", "category", "state", "outcome", "person_kind", "entity_kind"};

// kainjow's set() and push_back() take a const reference and copy it, whole: built bottom-up
// through them, every value was copied once for each level above it (a committee page's 131 KB
// made to_data 39% of the request's CPU). Here each value is built in its place instead: a cheap
// placeholder is added, then replaced by moving the finished value into it. The const_cast is
// sound: get() and list_value() only lend out, as const, values this object owns.
mu::data& slot_for(mu::data& object, const std::string& key) {
  object.set(key, mu::data{false});
  return const_cast<mu::data&>(*object.get(key));
}

mu::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [key, value] : j.items()) {
        slot_for(d, key) = to_data(value);
        // What is added beside a string. Each added name (KEY_long, KEY_label) is put together only
        // for a value that has one: most strings have neither.
        if (!value.is_string()) continue;
        const auto& text = value.get_ref<const std::string&>();
        // Beside every ISO date or instant, KEY_long: what templates show people (the ISO value
        // stays for <time datetime>), so no view has to remember to add it.
        if (auto words = long_form(text); !words.empty() && !j.contains(key + "_long")) d.set(key + "_long", words);
        // Beside a meeting's start time ("14:00"), start_time_text: "2:00pm".
        if (key == "start_time" && !j.contains("start_time_text")) d.set("start_time_text", clock_time_text(text));
        // Beside a code in one of the fields that hold codes, KEY_label: its words from the one
        // table of labels (register_labels), so templates never show "vice_chair" or "gp".
        if (kCodeFields.count(key) && !j.contains(key + "_label"))
          if (auto label = code_label(key, text)) d.set(key + "_label", std::string(*label));
      }
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d{mu::list(j.size(), mu::data{false})};
      std::size_t i = 0;
      for (const auto& value : j) const_cast<mu::data&>(d.list_value()[i++]) = to_data(value);
      return d;
    }
    case nlohmann::json::value_t::string:
      return mu::data{j.get_ref<const std::string&>()};
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

namespace {
// Parsed templates, lent to one render at a time: kainjow's render() is not const. A copy per
// thread, as before, grew with the threads: each of the 128 workers that ever rendered a page
// kept its own parsed copy of it, and under steady load (a different worker rebuilding the
// register after each declaration) resident memory crept up for as long as the test ran. Here
// a template has as many copies as renders of it ran at once, and at most kKeptCopies are kept.
class ParsedTemplates {
 public:
  // escape_html false: values are written as they are (plain text, never a page).
  explicit ParsedTemplates(bool escape_html) : escape_html_(escape_html) {}

  struct Lent {
    ParsedTemplates* owner;
    std::string name;
    std::unique_ptr<mu::mustache> parsed;
    Lent(ParsedTemplates* o, std::string n, std::unique_ptr<mu::mustache> p)
        : owner(o), name(std::move(n)), parsed(std::move(p)) {}
    Lent(const Lent&) = delete;
    Lent& operator=(const Lent&) = delete;
    ~Lent() { owner->give_back(name, std::move(parsed)); }
  };

  Lent lend(const std::string& name) {
    {
      std::lock_guard lock(mutex_);
      auto& idle = idle_[name];
      if (!idle.empty()) {
        auto parsed = std::move(idle.back());
        idle.pop_back();
        return Lent(this, name, std::move(parsed));
      }
    }
    auto parsed = std::make_unique<mu::mustache>(template_source(name));
    if (!parsed->is_valid()) throw std::runtime_error("template " + name + ": " + parsed->error_message());
    // kainjow hands the same escape on to partials, so a text partial is not escaped either.
    if (!escape_html_) parsed->set_custom_escape([](const std::string& s) { return s; });
    return Lent(this, name, std::move(parsed));
  }

 private:
  static constexpr std::size_t kKeptCopies = 4;

  void give_back(const std::string& name, std::unique_ptr<mu::mustache> parsed) {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[name];
    if (idle.size() < kKeptCopies) idle.push_back(std::move(parsed));
  }

  bool escape_html_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<mu::mustache>>> idle_;
};

std::string render_with(ParsedTemplates& templates, const std::string& name, const nlohmann::json& data) {
  auto lent = templates.lend(name);
  mu::data d = to_data(data);
  // Only templates named with a leading underscore are partials, so that a partial's name
  // can never shadow a data key of the same name.
  for (const auto& [file, text] : embedded_templates()) {
    if (file.empty() || file[0] != '_') continue;
    // The embedded text lives as long as the program: the partial copies it only when used.
    d.set(file.substr(0, file.rfind(".mustache")), mu::partial{[view = text] { return std::string(view); }});
  }
  return lent.parsed->render(d);
}
}  // namespace

std::string render_template(const std::string& name, const nlohmann::json& data) {
  static ParsedTemplates templates(true);
  return render_with(templates, name, data);
}

std::string render_text_template(const std::string& name, const nlohmann::json& data) {
  static ParsedTemplates templates(false);
  return render_with(templates, name, data);
}

}  // namespace probity
