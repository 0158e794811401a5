// Checkpoints and questions in a step: the field they read, the value they expect, the answer
// key a question carries.
#include "engine/scenario/field.h"
#include "engine/scenario/toml_reader.h"
#include "engine/scenario/units.h"

namespace wqlab::scenario {
namespace {

// A number in the field's unit: a duration for time fields, an integer otherwise.
std::optional<int64_t> quantity(TomlReader& r, const toml::table& t, std::string_view key,
                                ValueType type) {
  if (!t.contains(key)) return std::nullopt;
  return type == ValueType::Time ? r.duration(t, key) : r.integer(t, key);
}

std::optional<Value> value(TomlReader& r, const toml::node& n, ValueType type) {
  Value v;
  v.type = type;
  switch (type) {
    case ValueType::Time: {
      auto s = n.value<std::string>();
      Parsed p = s ? parse_duration(*s) : Parsed{0, "a time needs a duration such as \"10ms\""};
      if (!p.ok()) {
        r.error(n, "expect: " + p.error);
        return std::nullopt;
      }
      v.i = p.value;
      return v;
    }
    case ValueType::Int:
      if (!n.is_integer()) {
        r.error(n, "expect must be an integer for this field");
        return std::nullopt;
      }
      v.i = n.as_integer()->get();
      return v;
    case ValueType::Bool:
      if (!n.is_boolean()) {
        r.error(n, "expect must be true or false for this field");
        return std::nullopt;
      }
      v.i = n.as_boolean()->get() ? 1 : 0;
      return v;
    case ValueType::Text:
      if (!n.is_string()) {
        r.error(n, "expect must be a string for this field");
        return std::nullopt;
      }
      v.s = n.as_string()->get();
      return v;
  }
  return std::nullopt;
}

}  // namespace

Check parse_check(TomlReader& r, const toml::table& t) {
  Check c;
  c.loc = r.loc(t);
  r.allow_keys(t,
               {"machine", "what", "op", "expect", "ref", "offset", "tolerance", "contains", "say"},
               "a check");
  c.field.machine = r.string(t, "machine").value_or("");
  c.field.path = r.string(t, "what", true).value_or("");
  c.field.loc = t.contains("what") ? r.loc(*t.get("what")) : c.loc;
  Field f;
  std::string err;
  bool field_ok = !c.field.path.empty() && parse_field(c.field.path, &f, &err);
  if (!c.field.path.empty() && !field_ok) r.error(c.field.loc, err);
  if (auto op = r.string(t, "op")) {
    static const std::pair<std::string_view, CmpOp> kOps[] = {{"==", CmpOp::Eq}, {"!=", CmpOp::Ne},
                                                              {"<", CmpOp::Lt},  {"<=", CmpOp::Le},
                                                              {">", CmpOp::Gt},  {">=", CmpOp::Ge}};
    bool known = false;
    for (auto& [n, o] : kOps) {
      if (n == *op) {
        c.op = o;
        known = true;
      }
    }
    if (!known) r.error(*t.get("op"), "op must be one of ==, !=, <, <=, >, >=");
  }
  if (auto ref = r.string(t, "ref")) {
    FieldRef fr{c.field.machine, *ref, r.loc(*t.get("ref"))};
    size_t colon = ref->find(':');
    if (colon != std::string::npos) {
      fr.machine = ref->substr(0, colon);
      fr.path = ref->substr(colon + 1);
    }
    Field rf;
    if (!parse_field(fr.path, &rf, &err))
      r.error(fr.loc, err);
    else if (field_ok && rf.type != f.type)
      r.error(fr.loc,
              "ref \"" + fr.path + "\" is not the same kind of value as \"" + c.field.path + "\"");
    c.ref = fr;
  }
  if (field_ok) {
    c.offset = quantity(r, t, "offset", f.type).value_or(0);
    c.tolerance = quantity(r, t, "tolerance", f.type).value_or(0);
    if (const toml::node* n = t.get("expect")) c.expect = value(r, *n, f.type);
  }
  c.contains = r.string(t, "contains").value_or("");
  if (field_ok && f.kind == FieldKind::Printed && c.contains.empty())
    r.error(c.loc,
            "a \"printed\" check needs contains = \"...\" (the text the kernel log must hold)");
  if (field_ok && f.kind == FieldKind::Noted && c.contains.empty())
    r.error(c.loc,
            "a \"noted\" check needs contains = \"...\" (the text the lab's note must hold)");
  bool text_field = f.kind == FieldKind::Printed || f.kind == FieldKind::Noted;
  if (field_ok && !t.contains("expect") && !c.ref && !text_field)
    r.error(c.loc, "a check needs expect = ... or ref = \"<field>\"");
  c.say = r.text(t, "say");
  return c;
}

Question parse_question(TomlReader& r, const toml::table& t) {
  Question q;
  q.loc = r.loc(t);
  r.allow_keys(t, {"id", "ask", "choices", "answer", "unit", "tolerance", "answer_from", "reveal"},
               "a question");
  q.id = r.string(t, "id").value_or("");
  q.ask = r.text(t, "ask", true);
  if (const toml::array* choices = t.get_as<toml::array>("choices")) {
    for (const toml::node& n : *choices) {
      Text c;
      if (auto s = n.value<std::string>()) {
        c.en = *s;
      } else if (const toml::table* ct = n.as_table()) {
        r.allow_keys(*ct, {"en", "zh"}, "a choice");
        c.en = r.string(*ct, "en").value_or("");
        c.zh = r.string(*ct, "zh").value_or("");
      } else {
        r.error(n, "a choice must be a text: \"...\" or { en = \"...\", zh = \"...\" }");
      }
      q.choices.push_back(c);
    }
  } else if (t.contains("choices")) {
    r.error(*t.get("choices"), "choices must be an array of texts");
  }
  q.number = q.choices.empty();
  if (const toml::node* n = t.get("answer")) {
    if (q.number) {
      if (auto d = n->value<double>())
        q.answer_number = *d;
      else
        r.error(*n, "the answer to a number question must be a number");
    } else if (n->is_integer() && n->as_integer()->get() >= 1 &&
               n->as_integer()->get() <= static_cast<int64_t>(q.choices.size())) {
      q.answer_choice = static_cast<int>(n->as_integer()->get()) - 1;
    } else {
      r.error(*n,
              "the answer to a multiple-choice question is the number of the right choice, 1 to " +
                  std::to_string(q.choices.size()));
    }
  } else {
    r.error(q.loc, "a question needs answer = ... (its answer key)");
  }
  q.unit = r.string(t, "unit").value_or("");
  q.tolerance = r.number(t, "tolerance").value_or(0);
  auto from = r.string(t, "answer_from");
  if (!from && !t.contains("answer_from")) {
    r.error(q.loc,
            "a question needs answer_from = \"<field>\" (the runner checks the answer key "
            "against the machine) or answer_from = \"none: <why no field can>\"");
  } else if (from && from->rfind("none:", 0) == 0) {
    std::string reason = from->substr(5);
    while (!reason.empty() && reason.front() == ' ') reason.erase(0, 1);
    if (reason.empty())
      r.error(*t.get("answer_from"),
              "answer_from = \"none: ...\" needs the reason no field can verify the answer");
    q.unverified = reason;
  } else if (from && !q.number) {
    r.error(*t.get("answer_from"),
            "a multiple-choice answer cannot be read from a field; verify it with the step's "
            "checks and say so: answer_from = \"none: <which checks show it>\"");
  } else if (from) {
    FieldRef fr{"", *from, r.loc(*t.get("answer_from"))};
    size_t colon = from->find(':');
    if (colon != std::string::npos) {
      fr.machine = from->substr(0, colon);
      fr.path = from->substr(colon + 1);
    }
    Field f;
    std::string err;
    if (!parse_field(fr.path, &f, &err)) r.error(fr.loc, err);
    q.answer_from = fr;
  }
  q.reveal = r.text(t, "reveal");
  return q;
}

}  // namespace wqlab::scenario
