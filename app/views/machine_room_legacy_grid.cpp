// The legacy model's grid: a row per multi-threaded workqueue, a column per CPU, a cell per
// thread. When the CPUs do not fit, a column stands for several CPUs and shows the most telling
// of their threads (a failure, then a thread asleep in work, running, with items waiting, idle);
// runs of quiet cells merge into one rectangle, so 32 768 threads draw as a few hundred shapes.
// Click a row's name or a column's number to zoom into that workqueue or CPU.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "views/machine_room_legacy.h"
#include "views/machine_room_view.h"
#include "views/test_hooks.h"

namespace wqlab {
namespace {

using room::ThreadState;

constexpr float kMinCellPx = 6.0f;

struct Cell {
  ThreadState state = ThreadState::Empty;
  int32_t queued = 0;
  int threads = 0;
  bool operator==(const Cell&) const = default;
};

// Column `col`'s threads of `wq`, summed up.
Cell column_cell(const model::MachineState& s, const model::LegacyWqInfo& wq, int first, int last) {
  Cell c;
  for (int cpu = first; cpu < last; ++cpu) {
    int32_t queued = 0;
    const ThreadState st = room::thread_state(s, wq, cpu, &queued);
    c.state = std::max(c.state, st);
    c.queued += queued;
    c.threads += wq.threads[static_cast<size_t>(cpu)] != 0 ? 1 : 0;
  }
  return c;
}

// The fields a state is read from, for the legend's tooltips.
const char* state_field(ThreadState st) {
  switch (st) {
    case ThreadState::Idle:
      return "cwq->worklist empty: the thread sleeps on cwq->more_work (worker_thread())";
    case ThreadState::Queued:
      return "items on cwq->worklist, none running yet (the thread was woken by insert_work())";
    case ThreadState::Running:
      return "cwq->current_work set: run_workqueue() is running it";
    case ThreadState::Blocked:
      return "cwq->current_work set and the thread blocked inside it: the rest of its list waits";
    case ThreadState::Stopped:
      return "the thread was made, then stopped (cleanup_workqueue_thread()) when its workqueue "
             "failed to be created or was destroyed";
    case ThreadState::Failed:
      return "create_workqueue_thread(): kthread_create() failed for this CPU";
    case ThreadState::Empty:
      break;
  }
  return "";
}

bool quiet(const Cell& c) {
  return c.queued == 0 && (c.state == ThreadState::Empty || c.state == ThreadState::Idle ||
                           c.state == ThreadState::Stopped);
}

}  // namespace

float MachineRoomView::draw_legacy_grid(ViewContext& ctx, ImVec2 origin, float width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const model::MachineState& s = ctx.state;
  const int cpus = std::max(1, ctx.model.config().nr_cpus);
  std::vector<const model::LegacyWqInfo*> rows;
  for (const model::LegacyWqInfo& wq : s.legacy.workqueues)
    if (!wq.singlethread && !wq.destroyed) rows.push_back(&wq);
  // Columns: one per CPU while a cell keeps kMinCellPx, else several CPUs per column.
  const float label_w = std::min(width * 0.3f, ImGui::CalcTextSize("kacpi_notify \xc3\x97").x);
  const float grid_w = std::max(kMinCellPx, width - label_w - m_.pad);
  const int per = std::max(1, static_cast<int>(std::ceil(cpus / std::floor(grid_w / kMinCellPx))));
  const int cols = (cpus + per - 1) / per;
  const float cell_w = std::floor(grid_w / static_cast<float>(cols));
  const float row_h = rows.size() > 40 ? std::max(7.0f, std::floor(m_.font * 0.55f)) : m_.font + 4;
  const bool glyphs = cell_w >= m_.font && row_h >= m_.font;
  legacy_stats_.rows = static_cast<int>(rows.size());
  legacy_stats_.columns = cols;
  legacy_stats_.cpus_per_column = per;
  const float gx = origin.x + label_w + m_.pad;  // the grid's left edge

  // The header: CPU numbers, as many as fit; each zooms into its CPU.
  const float num_w = ImGui::CalcTextSize(std::to_string(cpus - 1).c_str()).x + 4;
  const int label_every = std::max(1, static_cast<int>(std::ceil(num_w / cell_w)));
  dl->AddText(origin, palette::kTextDim, per > 1 ? "CPUs" : "CPU");
  for (int c = 0; c < cols; c += label_every) {
    const std::string n = std::to_string(c * per);
    const ImVec2 a(gx + static_cast<float>(c) * cell_w, origin.y);
    const ImVec2 b(a.x + cell_w * static_cast<float>(label_every), a.y + m_.font);
    const bool zoomed = zoom_.kind == ZoomKind::Cpu && zoom_.id == c * per;
    dl->AddText(a, zoomed ? palette::kSelection : palette::kSkyBlue, n.c_str());
    if (room::interact(ctx, a, b, {},
                       "CPU " + n +
                           ": its threads, one per multi-threaded workqueue (each "
                           "kthread_bind() to it). Click to see them up close.") &&
        ImGui::IsMouseClicked(ImGuiMouseButton_Left))
      zoom_ = {ZoomKind::Cpu, c * per};
    if (test_hooks::kEnabled) test_hooks::note_rect(("room:cpu " + n).c_str(), a.x, a.y, b.x, b.y);
  }
  float y = origin.y + m_.font + 2;
  // Only the rows inside the visible part of the panel are drawn.
  const ImVec2 clip0 = ImGui::GetWindowDrawList()->GetClipRectMin();
  const ImVec2 clip1 = ImGui::GetWindowDrawList()->GetClipRectMax();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  float next_label_y = y;
  for (const model::LegacyWqInfo* wq : rows) {
    const float y1 = y + row_h - 1;
    if (y1 < clip0.y || y > clip1.y) {
      y += row_h;
      continue;
    }
    // The row's name: click to zoom into the workqueue.
    const std::string name = ctx.str(wq->name) + (wq->failed ? " \xc3\x97" : "");
    const ObjectRef me = ObjectRef::workqueue(wq->index);
    // Thin rows are labelled where a label fits (every few rows); hover names every row.
    if (y >= next_label_y) {
      next_label_y = y + m_.font;
      dl->AddText(ImVec2(origin.x, std::max(y + (row_h - m_.font) * 0.5f, y - 1)),
                  ctx.selection.is(me) ? palette::kSelection
                  : wq->failed         ? palette::kVermillion
                                       : palette::kText,
                  room::fit_text(name, label_w).c_str());
    }
    const ImVec2 la(origin.x, y), lb(origin.x + label_w, y1);
    if (room::interact(ctx, la, lb, {},
                       "struct workqueue_struct \"" + ctx.str(wq->name) +
                           "\": " + std::to_string(wq->live) + " threads alive, " +
                           std::to_string(wq->created) + " created" +
                           (wq->failed ? ", then its creation failed" : "") +
                           "\nClick to see its threads up close.") &&
        ImGui::IsMouseClicked(ImGuiMouseButton_Left))
      zoom_ = {ZoomKind::Workqueue, wq->index};
    if (test_hooks::kEnabled)
      test_hooks::note_rect(("room:wq " + ctx.str(wq->name)).c_str(), la.x, la.y, lb.x, lb.y);
    // The cells, quiet runs merged.
    int c = 0;
    while (c < cols) {
      const Cell cell = column_cell(s, *wq, c * per, std::min(cpus, (c + 1) * per));
      int end = c + 1;
      if (quiet(cell))
        while (end < cols &&
               column_cell(s, *wq, end * per, std::min(cpus, (end + 1) * per)) == cell)
          ++end;
      const ImVec2 a(gx + static_cast<float>(c) * cell_w, y);
      const ImVec2 b(gx + static_cast<float>(end) * cell_w - 1, y1);
      const room::ThreadLook look = room::thread_look(cell.state);
      if (cell.state == ThreadState::Stopped) {
        dl->AddRect(a, b, look.colour);
      } else if (cell.state != ThreadState::Empty) {
        const uint8_t alpha = cell.state == ThreadState::Idle ? 90 : 230;
        dl->AddRectFilled(a, b, palette::with_alpha(look.colour, alpha));
      }
      // Where cells are big enough, each shows its glyph (and how many items wait).
      for (int k = c; glyphs && k < end && cell.state != ThreadState::Empty; ++k) {
        const std::string g = cell.queued > 0 && cell_w >= m_.font * 2
                                  ? std::string(look.glyph) + "+" + std::to_string(cell.queued)
                                  : look.glyph;
        const bool dim = cell.state == ThreadState::Idle || cell.state == ThreadState::Stopped;
        dl->AddText(ImVec2(gx + static_cast<float>(k) * cell_w + 3, y + (row_h - m_.font) * 0.5f),
                    dim ? palette::kTextDim : palette::text_on(look.colour), g.c_str());
      }
      drawn_ += 1;
      c = end;
    }
    // The cell under the mouse: its thread (or its column's threads) and a click to select.
    if (mouse.y >= y && mouse.y < y1 && mouse.x >= gx && mouse.x < gx + cell_w * cols &&
        ImGui::IsWindowHovered()) {
      const int col = static_cast<int>((mouse.x - gx) / cell_w);
      const int first = col * per, last = std::min(cpus, first + per);
      const ImVec2 a(gx + static_cast<float>(col) * cell_w, y);
      dl->AddRect(a, ImVec2(a.x + cell_w - 1, y1), palette::kHover);
      if (per == 1) {
        const int32_t pid = wq->threads[static_cast<size_t>(first)];
        room::interact(ctx, a, ImVec2(a.x + cell_w, y1), pid ? ObjectRef::worker(pid) : ObjectRef{},
                       room::thread_tooltip(ctx, *wq, first));
      } else {
        const Cell cell = column_cell(s, *wq, first, last);
        ImGui::SetTooltip(
            "%s/%d ... %s/%d: %d threads, %d items waiting; the most telling is "
            "%s.\nClick to see CPU %d up close.",
            ctx.str(wq->name).c_str(), first, ctx.str(wq->name).c_str(), last - 1, cell.threads,
            cell.queued, room::thread_look(cell.state).label, first);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) zoom_ = {ZoomKind::Cpu, first};
      }
    }
    // The selected thread stands out.
    if (ctx.selection.object.kind == ObjectKind::Worker) {
      const auto pid = static_cast<int32_t>(ctx.selection.object.id);
      auto it = std::find(wq->threads.begin(), wq->threads.end(), pid);
      if (it != wq->threads.end()) {
        const auto col = static_cast<float>((it - wq->threads.begin()) / per);
        dl->AddRect(ImVec2(gx + col * cell_w - 1, y - 1), ImVec2(gx + (col + 1) * cell_w, y1 + 1),
                    palette::kSelection, 0.0f, 0, 2.0f);
      }
    }
    y += row_h;
  }
  // Thin gaps between columns, so each thread (or group of CPUs) reads as its own cell.
  const float top = origin.y + m_.font + 2;
  if (cell_w >= 4.0f)
    for (int c = 1; c < cols; ++c) {
      const float x = gx + static_cast<float>(c) * cell_w - 1;
      dl->AddLine(ImVec2(x, top), ImVec2(x, y), palette::kPanelBg);
    }
  if (rows.empty()) {
    dl->AddText(ImVec2(gx, y), palette::kTextDim, "no multi-threaded workqueue");
    y += m_.font;
  }
  // The legend: every state by colour and glyph.
  float x = origin.x;
  y = std::max(y, next_label_y) + m_.pad;  // below the last row's label too
  for (ThreadState st : {ThreadState::Idle, ThreadState::Queued, ThreadState::Running,
                         ThreadState::Blocked, ThreadState::Stopped, ThreadState::Failed}) {
    const room::ThreadLook look = room::thread_look(st);
    const std::string label = std::string(look.glyph) + " " + look.label;
    dl->AddText(ImVec2(x, y), look.colour, label.c_str());
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    room::interact(ctx, ImVec2(x, y), ImVec2(x + w, y + m_.font), {}, state_field(st));
    x += w + m_.pad * 4;
  }
  return y + m_.font - origin.y;
}

}  // namespace wqlab
