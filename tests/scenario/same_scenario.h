// Comparing two scenarios as structures (every field; spec.h's defaulted operator==), after
// forgetting where in their files things were written: what a writer round trip must keep.
#pragma once

#include <sstream>
#include <string>

#include "engine/scenario/spec.h"

namespace wqlab::test {

inline void forget_locations(scenario::Scenario& s) {
  s.file.clear();
  for (auto& m : s.machines) m.loc = {};
  for (auto& w : s.workqueues) w.loc = {};
  for (auto& w : s.works) {
    w.loc = {};
    for (auto& op : w.ops) op.loc = {};
  }
  for (auto& st : s.steps) {
    st.loc = {};
    for (auto& a : st.actions) a.loc = a.create.loc = {};
    for (auto& q : st.questions) {
      q.loc = {};
      if (q.answer_from) q.answer_from->loc = {};
    }
    for (auto& c : st.checks) {
      c.loc = c.field.loc = {};
      if (c.ref) c.ref->loc = {};
    }
  }
}

// "" when `a` and `b` are the same scenario (locations aside), else the first part that differs.
inline std::string scenario_difference(scenario::Scenario a, scenario::Scenario b) {
  forget_locations(a);
  forget_locations(b);
  if (a == b) return "";
  std::ostringstream out;
  auto part = [&](bool same, const std::string& what) {
    if (!same && out.tellp() == 0) out << what << " differs";
  };
  part(a.kind == b.kind && a.id == b.id && a.title == b.title && a.summary == b.summary &&
           a.order == b.order,
       "the [lesson]/[scenario] table");
  part(a.machines == b.machines, "[[machine]]");
  part(a.workqueues == b.workqueues, "[[workqueue]]");
  part(a.works == b.works, "[[work]]");
  part(a.steps.size() == b.steps.size(), "the number of steps");
  for (size_t i = 0; i < a.steps.size() && i < b.steps.size(); ++i) {
    const auto& x = a.steps[i];
    const auto& y = b.steps[i];
    std::string at = "step " + std::to_string(i + 1) + " ";
    part(x.id == y.id && x.title == y.title && x.say == y.say && x.machines == y.machines &&
             x.run == y.run && x.expect_notes == y.expect_notes,
         at + "(its own keys)");
    part(x.actions.size() == y.actions.size(), at + "(number of actions)");
    for (size_t j = 0; j < x.actions.size() && j < y.actions.size(); ++j)
      part(x.actions[j] == y.actions[j], at + "action " + std::to_string(j + 1));
    part(x.questions == y.questions, at + "questions");
    part(x.checks == y.checks, at + "checks");
  }
  if (out.tellp() == 0) out << "something outside the compared parts";
  return out.str();
}

}  // namespace wqlab::test
