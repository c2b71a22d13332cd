#include "model/public/conflicts_json.hpp"

#include <algorithm>

#include "model/public/json_text.hpp"
#include "model/store/json.hpp"

namespace probity {
namespace {

// nlohmann's objects keep their keys sorted (std::map), so every object below writes its keys in
// byte order: "co_opted" before "committee" ('_' < 'm'), "in_common" before "in_common_with".
// Objects that appear once per report and have keys that vary (the committee's quorum rule, an
// item's recorded outcome) go through nlohmann and compact_json: the same bytes, negligible cost.
class Writer {
 public:
  explicit Writer(const ConflictsReport& report) : report_(report) {
    // Each participant's summary ({"id", "name", "ref"}) is written once and copied into every
    // flag that names them.
    summaries_.reserve(report.participants.size());
    for (const auto& p : report.participants) {
      std::string s = "{\"id\":";
      append_json_int(s, p.person.id);
      s += ",\"name\":";
      append_json_string(s, p.person.name);
      s += ",\"ref\":";
      append_json_string(s, p.person.ref);
      s += '}';
      summaries_.emplace_back(p.person.id, std::move(s));
    }
    std::sort(summaries_.begin(), summaries_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  std::string write() {
    out_.reserve(16384 + report_.items.size() * 8192);
    out_ += "{\"items\":[";
    bool first = true;
    for (const auto& item : report_.items) {
      if (!first) out_ += ',';
      first = false;
      write_item(item);
    }
    out_ += "],\"meeting\":";
    write_meeting();
    out_ += '}';
    return std::move(out_);
  }

 private:
  void str(std::string_view s) { append_json_string(out_, s); }
  void num(std::int64_t v) { append_json_int(out_, v); }
  void boolean(bool b) { out_ += b ? "true" : "false"; }

  void person(std::optional<Id> id) {
    if (!id) {
      out_ += "null";
      return;
    }
    auto it = std::lower_bound(summaries_.begin(), summaries_.end(), *id, [](const auto& s, Id v) { return s.first < v; });
    if (it != summaries_.end() && it->first == *id) {
      out_ += it->second;
      return;
    }
    out_ += "{\"id\":";
    num(*id);
    out_ += ",\"name\":null,\"ref\":null}";
  }

  void body(Id id) {
    out_ += "{\"id\":";
    num(id);
    out_ += ",\"name\":";
    const auto name = report_.body_names.find(id);
    str(name == report_.body_names.end() ? std::string_view() : std::string_view(name->second));
    out_ += '}';
  }

  void failures(const std::vector<QuorumFailure>& list) {
    out_ += '[';
    bool first = true;
    for (const auto& f : list) {
      out_ += first ? "{\"reason\":" : ",{\"reason\":";
      first = false;
      str(f.reason);
      out_ += ",\"rule\":";
      str(f.rule);
      out_ += '}';
    }
    out_ += ']';
  }

  void write_flag(const ReportFlag& rf) {
    const ConflictFlag& f = rf.flag;
    out_ += "{\"confidence\":";
    str(to_string(f.confidence));
    out_ += ",\"decision\":";
    if (rf.decision) {
      out_ += "{\"action\":";
      str(to_string(rf.decision->action));
      out_ += ",\"decided_by\":";
      str(rf.decision->decided_by);
      out_ += ",\"reason\":";
      str(rf.decision->reason);
      out_ += '}';
    } else {
      out_ += "null";
    }
    out_ += ",\"gift_ids\":";
    ids(f.gift_ids);
    out_ += ",\"indirect\":";
    if (f.rule == ConflictRule::withheld) out_ += "null";
    else boolean(f.indirect);
    out_ += ",\"interest_ids\":";
    ids(f.interest_ids);
    out_ += ",\"person\":";
    person(f.person_id);
    out_ += ",\"reason\":";
    str(f.reason);
    out_ += ",\"rule\":";
    str(to_string(f.rule));
    out_ += ",\"suggested_action\":";
    str(f.suggested_action);
    out_ += ",\"withheld\":";
    boolean(f.withheld);
    out_ += '}';
  }

  void ids(const std::vector<Id>& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i) out_ += ',';
      num(list[i]);
    }
    out_ += ']';
  }

  void write_quorum(const QuorumResult& q) {
    out_ += '{';
    if (report_.show_bodies) {
      out_ += "\"by_body\":[";
      bool first = true;
      for (const auto& [id, n] : q.by_body) {
        out_ += first ? "{\"body\":" : ",{\"body\":";
        first = false;
        body(id);
        out_ += ",\"eligible_voting\":";
        num(n);
        out_ += '}';
      }
      out_ += "],";
    }
    out_ += "\"clinical\":";
    num(q.clinical);
    out_ += ",\"co_opted\":";
    num(q.co_opted);
    out_ += ",\"eligible_voting\":";
    num(q.eligible_voting);
    out_ += ",\"executive\":";
    num(q.executive);
    out_ += ",\"failures\":";
    failures(q.failures);
    out_ += ",\"lay\":";
    num(q.lay);
    out_ += ",\"presiding\":{\"note\":";
    str(q.presiding_note);
    out_ += ",\"person\":";
    person(q.presiding ? std::optional(q.presiding->person_id) : std::nullopt);
    out_ += ",\"role\":";
    if (q.presiding) str(to_string(q.presiding->role));
    else out_ += "null";
    out_ += "},\"quorate\":";
    boolean(q.quorate);
    out_ += ",\"remedies\":[";
    bool first = true;
    for (const auto& r : q.remedies) {
      out_ += first ? "{\"code\":" : ",{\"code\":";
      first = false;
      str(r.code);
      out_ += ",\"description\":";
      str(r.description);
      out_ += '}';
    }
    out_ += "]}";
  }

  void write_item(const ReportItem& item) {
    out_ += "{\"co_opted\":[";
    bool first = true;
    for (const auto& c : report_.co_opted) {
      if (!co_opted_for(c, item.item.id)) continue;
      out_ += first ? "{\"for_whole_meeting\":" : ",{\"for_whole_meeting\":";
      first = false;
      boolean(!c.agenda_item_id);
      out_ += ",\"from_body\":";
      str(c.from_body);
      out_ += ",\"person\":";
      person(c.person_id);
      out_ += '}';
    }
    out_ += "],\"flags\":[";
    first = true;
    for (const auto& f : item.flags) {
      if (!first) out_ += ',';
      first = false;
      write_flag(f);
    }
    out_ += "],\"id\":";
    num(item.item.id);
    out_ += ",\"outcome\":";
    if (item.outcome) out_ += compact_json(nlohmann::json(*item.outcome));
    else out_ += "null";
    out_ += ",\"quorum\":";
    write_quorum(item.quorum);
    out_ += ",\"ref\":";
    str(item.item.ref);
    out_ += ",\"title\":";
    str(item.item.title);
    out_ += '}';
  }

  void write_meeting() {
    const Meeting& m = report_.meeting;
    out_ += "{\"agenda_published\":";
    boolean(m.agenda_published);
    out_ += ",\"co_opted\":[";
    bool first = true;
    for (const auto& c : report_.co_opted) {
      out_ += first ? "{\"agenda_item_id\":" : ",{\"agenda_item_id\":";
      first = false;
      if (c.agenda_item_id) num(*c.agenda_item_id);
      else out_ += "null";
      out_ += ",\"from_body\":";
      str(c.from_body);
      out_ += ",\"id\":";
      num(c.id);
      out_ += ",\"person\":";
      person(c.person_id);
      out_ += '}';
    }
    out_ += "],\"committee\":{\"id\":";
    num(report_.committee.id);
    out_ += ",\"name\":";
    str(report_.committee.name);
    out_ += ",\"quorum\":";
    out_ += compact_json(nlohmann::json(report_.committee.quorum));
    out_ += ",\"ref\":";
    str(report_.committee.ref);
    out_ += "},\"committee_id\":";
    num(m.committee_id);
    out_ += ",\"date\":";
    str(m.date.iso());
    out_ += ",\"id\":";
    num(m.id);
    if (!report_.in_common.empty()) {
      out_ += ",\"in_common\":[";
      first = true;
      for (const auto& g : report_.in_common) {
        out_ += first ? "{\"committee\":{\"id\":" : ",{\"committee\":{\"id\":";
        first = false;
        num(g.committee.id);
        out_ += ",\"name\":";
        str(g.committee.name);
        out_ += ",\"ref\":";
        str(g.committee.ref);
        out_ += "},\"items\":[";
        bool first_item = true;
        for (const auto& i : g.items) {
          out_ += first_item ? "{\"agenda_item_id\":" : ",{\"agenda_item_id\":";
          first_item = false;
          num(i.agenda_item_id);
          out_ += ",\"conflicted\":";
          num(i.conflicted);
          out_ += ",\"failures\":";
          failures(i.failures);
          out_ += ",\"quorate\":";
          boolean(i.quorate);
          out_ += '}';
        }
        out_ += "],\"lead\":";
        boolean(g.lead);
        out_ += ",\"meeting_id\":";
        num(g.meeting.id);
        out_ += ",\"title\":";
        str(g.meeting.title);
        out_ += '}';
      }
      out_ += ']';
    }
    if (m.in_common_with) {
      out_ += ",\"in_common_with\":";
      num(*m.in_common_with);
    }
    out_ += ",\"location\":";
    str(m.location);
    out_ += ",\"participants\":[";
    first = true;
    for (const auto& p : report_.participants) {
      out_ += first ? "{" : ",{";
      first = false;
      if (report_.show_bodies) {
        out_ += "\"body\":";
        body(p.person.body_id);
        out_ += ',';
      }
      out_ += "\"co_opted\":";
      boolean(p.co_opted);
      out_ += ",\"id\":";
      num(p.person.id);
      out_ += ",\"kind\":";
      str(to_string(p.person.kind));
      out_ += ",\"name\":";
      str(p.person.name);
      out_ += ",\"ref\":";
      str(p.person.ref);
      out_ += ",\"role\":";
      if (p.role) str(to_string(*p.role));
      else out_ += "null";
      out_ += '}';
    }
    out_ += "],\"published\":";
    boolean(m.published);
    out_ += ",\"ref\":";
    str(m.ref);
    out_ += ",\"start_time\":";
    if (m.start_time.empty()) out_ += "null";
    else str(m.start_time);
    out_ += ",\"status\":";
    str(to_string(m.status));
    out_ += ",\"title\":";
    str(m.title);
    out_ += '}';
  }

  const ConflictsReport& report_;
  std::vector<std::pair<Id, std::string>> summaries_;
  std::string out_;
};

}  // namespace

std::string conflicts_json_text(const ConflictsReport& report) { return Writer(report).write(); }

}  // namespace probity
