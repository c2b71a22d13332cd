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
    lit("{\"items\":[");
    bool first = true;
    for (const auto& item : report_.items) {
      if (!first) out_ += ',';
      first = false;
      write_item(item);
    }
    lit("],\"meeting\":");
    write_meeting();
    out_ += '}';
    return std::move(out_);
  }

 private:
  void str(std::string_view s) { append_json_string(out_, s); }
  // A literal's bytes, its length known when compiled (`out_ += "..."` measured each with strlen).
  template <std::size_t N>
  void lit(const char (&s)[N]) {
    out_.append(s, N - 1);
  }
  void num(std::int64_t v) { append_json_int(out_, v); }
  void boolean(bool b) {
    if (b) lit("true");
    else lit("false");
  }

  void person(std::optional<Id> id) {
    if (!id) {
      lit("null");
      return;
    }
    auto it = std::lower_bound(summaries_.begin(), summaries_.end(), *id, [](const auto& s, Id v) { return s.first < v; });
    if (it != summaries_.end() && it->first == *id) {
      out_ += it->second;
      return;
    }
    lit("{\"id\":");
    num(*id);
    lit(",\"name\":null,\"ref\":null}");
  }

  void body(Id id) {
    lit("{\"id\":");
    num(id);
    lit(",\"name\":");
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
      lit(",\"rule\":");
      str(f.rule);
      out_ += '}';
    }
    out_ += ']';
  }

  void write_flag(const ReportFlag& rf) {
    const ConflictFlag& f = rf.flag;
    lit("{\"confidence\":");
    str(to_string(f.confidence));
    lit(",\"decision\":");
    if (rf.decision) {
      lit("{\"action\":");
      str(to_string(rf.decision->action));
      lit(",\"decided_by\":");
      str(rf.decision->decided_by);
      lit(",\"reason\":");
      str(rf.decision->reason);
      out_ += '}';
    } else {
      lit("null");
    }
    lit(",\"gift_ids\":");
    ids(f.gift_ids);
    lit(",\"indirect\":");
    if (f.rule == ConflictRule::withheld) lit("null");
    else boolean(f.indirect);
    lit(",\"interest_ids\":");
    ids(f.interest_ids);
    lit(",\"person\":");
    person(f.person_id);
    lit(",\"reason\":");
    str(f.reason);
    lit(",\"rule\":");
    str(to_string(f.rule));
    lit(",\"suggested_action\":");
    str(f.suggested_action);
    lit(",\"withheld\":");
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
      lit("\"by_body\":[");
      bool first = true;
      for (const auto& [id, n] : q.by_body) {
        out_ += first ? "{\"body\":" : ",{\"body\":";
        first = false;
        body(id);
        lit(",\"eligible_voting\":");
        num(n);
        out_ += '}';
      }
      lit("],");
    }
    lit("\"clinical\":");
    num(q.clinical);
    lit(",\"co_opted\":");
    num(q.co_opted);
    lit(",\"eligible_voting\":");
    num(q.eligible_voting);
    lit(",\"executive\":");
    num(q.executive);
    lit(",\"failures\":");
    failures(q.failures);
    lit(",\"lay\":");
    num(q.lay);
    lit(",\"presiding\":{\"note\":");
    str(q.presiding_note);
    lit(",\"person\":");
    person(q.presiding ? std::optional(q.presiding->person_id) : std::nullopt);
    lit(",\"role\":");
    if (q.presiding) str(to_string(q.presiding->role));
    else lit("null");
    lit("},\"quorate\":");
    boolean(q.quorate);
    lit(",\"remedies\":[");
    bool first = true;
    for (const auto& r : q.remedies) {
      out_ += first ? "{\"code\":" : ",{\"code\":";
      first = false;
      str(r.code);
      lit(",\"description\":");
      str(r.description);
      out_ += '}';
    }
    lit("]}");
  }

  void write_item(const ReportItem& item) {
    lit("{\"co_opted\":[");
    bool first = true;
    for (const auto& c : report_.co_opted) {
      if (!co_opted_for(c, item.item.id)) continue;
      out_ += first ? "{\"for_whole_meeting\":" : ",{\"for_whole_meeting\":";
      first = false;
      boolean(!c.agenda_item_id);
      lit(",\"from_body\":");
      str(c.from_body);
      lit(",\"person\":");
      person(c.person_id);
      out_ += '}';
    }
    lit("],\"flags\":[");
    first = true;
    for (const auto& f : item.flags) {
      if (!first) out_ += ',';
      first = false;
      write_flag(f);
    }
    lit("],\"id\":");
    num(item.item.id);
    lit(",\"outcome\":");
    if (item.outcome) out_ += compact_json(nlohmann::json(*item.outcome));
    else lit("null");
    lit(",\"quorum\":");
    write_quorum(item.quorum);
    lit(",\"ref\":");
    str(item.item.ref);
    lit(",\"title\":");
    str(item.item.title);
    out_ += '}';
  }

  void write_meeting() {
    const Meeting& m = report_.meeting;
    lit("{\"agenda_published\":");
    boolean(m.agenda_published);
    lit(",\"co_opted\":[");
    bool first = true;
    for (const auto& c : report_.co_opted) {
      out_ += first ? "{\"agenda_item_id\":" : ",{\"agenda_item_id\":";
      first = false;
      if (c.agenda_item_id) num(*c.agenda_item_id);
      else lit("null");
      lit(",\"from_body\":");
      str(c.from_body);
      lit(",\"id\":");
      num(c.id);
      lit(",\"person\":");
      person(c.person_id);
      out_ += '}';
    }
    lit("],\"committee\":{\"id\":");
    num(report_.committee.id);
    lit(",\"name\":");
    str(report_.committee.name);
    lit(",\"quorum\":");
    out_ += compact_json(nlohmann::json(report_.committee.quorum));
    lit(",\"ref\":");
    str(report_.committee.ref);
    lit("},\"committee_id\":");
    num(m.committee_id);
    lit(",\"date\":");
    str(m.date.iso());
    lit(",\"id\":");
    num(m.id);
    if (!report_.in_common.empty()) {
      lit(",\"in_common\":[");
      first = true;
      for (const auto& g : report_.in_common) {
        out_ += first ? "{\"committee\":{\"id\":" : ",{\"committee\":{\"id\":";
        first = false;
        num(g.committee.id);
        lit(",\"name\":");
        str(g.committee.name);
        lit(",\"ref\":");
        str(g.committee.ref);
        lit("},\"items\":[");
        bool first_item = true;
        for (const auto& i : g.items) {
          out_ += first_item ? "{\"agenda_item_id\":" : ",{\"agenda_item_id\":";
          first_item = false;
          num(i.agenda_item_id);
          lit(",\"conflicted\":");
          num(i.conflicted);
          lit(",\"failures\":");
          failures(i.failures);
          lit(",\"quorate\":");
          boolean(i.quorate);
          out_ += '}';
        }
        lit("],\"lead\":");
        boolean(g.lead);
        lit(",\"meeting_id\":");
        num(g.meeting.id);
        lit(",\"title\":");
        str(g.meeting.title);
        out_ += '}';
      }
      out_ += ']';
    }
    if (m.in_common_with) {
      lit(",\"in_common_with\":");
      num(*m.in_common_with);
    }
    lit(",\"location\":");
    str(m.location);
    lit(",\"participants\":[");
    first = true;
    for (const auto& p : report_.participants) {
      out_ += first ? "{" : ",{";
      first = false;
      if (report_.show_bodies) {
        lit("\"body\":");
        body(p.person.body_id);
        out_ += ',';
      }
      lit("\"co_opted\":");
      boolean(p.co_opted);
      lit(",\"id\":");
      num(p.person.id);
      lit(",\"kind\":");
      str(to_string(p.person.kind));
      lit(",\"name\":");
      str(p.person.name);
      lit(",\"ref\":");
      str(p.person.ref);
      lit(",\"role\":");
      if (p.role) str(to_string(*p.role));
      else lit("null");
      out_ += '}';
    }
    lit("],\"published\":");
    boolean(m.published);
    lit(",\"ref\":");
    str(m.ref);
    lit(",\"start_time\":");
    if (m.start_time.empty()) lit("null");
    else str(m.start_time);
    lit(",\"status\":");
    str(to_string(m.status));
    lit(",\"title\":");
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
