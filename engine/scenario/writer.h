// Writing a scenario back to TOML: what the sandbox saves and shares, and a shared lesson. Every
// key is written (machines, workqueues, work items, steps with their actions, questions and
// checks); what it writes parses back to the same scenario (tests/scenario/writer_test.cpp).
#pragma once

#include <string>

#include "engine/scenario/spec.h"

namespace wqlab::scenario {

std::string write_scenario(const Scenario& s);

// An action's `do` word ("queue", "cpu_offline") and a workload step as a file spells it
// ("compute 5ms", "queue w on q").
const char* action_word(ActionKind k);
std::string workload_step_text(const WorkOp& op);

// "WQ_UNBOUND | WQ_HIGHPRI" for a flag word.
std::string wq_flag_names(unsigned flags);

}  // namespace wqlab::scenario
