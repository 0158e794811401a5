// The sandbox's words: an action described the way the kernel calls it, a work item's body typed
// on one line split into the file's workload steps, and names the file format accepts.
#pragma once

#include <string>
#include <vector>

#include "engine/scenario/spec.h"

namespace wqlab::sandbox {

// "queue_work_on(1, q, w)", "cpu_offline(2)", "alloc_workqueue(\"q\", WQ_UNBOUND, 4)".
std::string describe_action(const scenario::Action& a);
// "compute 5ms; sleep 10ms; queue self" -> {"compute 5ms", "sleep 10ms", "queue w"} for item w
// (';' or newlines separate steps; "self" names the item itself).
std::vector<std::string> split_body(const std::string& body, const std::string& self);
// The [[work]] table for a new item, appended to a written scenario to check it.
std::string work_table(const std::string& name, const std::vector<std::string>& steps,
                       bool delayed);
// Letters, digits and '_', not empty, at most 40 characters.
bool valid_name(const std::string& name);

}  // namespace wqlab::sandbox
