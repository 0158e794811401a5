// window.wqlabStatus updates through EM_JS (browser); empty functions on the desktop.
#include "platform/web_bridge.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

#include <cstdio>
#include <utility>
#include <vector>

#include "imgui.h"

// EM_JS bodies are JavaScript, which clang-format would mangle.
// clang-format off
EM_JS(void, wqlab_js_frame, (int frames), {
  var s = window.wqlabStatus || (window.wqlabStatus = {});
  // Milliseconds from navigation to the first frame drawn (./lab bench --web reports it).
  if (!s.ready) s.firstFrameMs = performance.now();
  s.ready = true;
  s.frames = frames;
});

EM_JS(void, wqlab_js_pthread_value, (double value), {
  (window.wqlabStatus || (window.wqlabStatus = {})).pthreadValue = value;
});

EM_JS(void, wqlab_js_error, (const char* message), {
  var s = window.wqlabStatus || (window.wqlabStatus = {});
  if (!s.error) s.error = UTF8ToString(message);
  if (window.wqlabShowError) window.wqlabShowError(s.error);
});

EM_JS(void, wqlab_js_merge, (const char* json), {
  Object.assign(window.wqlabStatus || (window.wqlabStatus = {}), JSON.parse(UTF8ToString(json)));
});
// clang-format on

namespace wqlab::web_bridge {
namespace {

struct NotedItem {
  std::string name;
  float x0, y0, x1, y1;
};
std::vector<NotedItem> g_items;
std::string g_last_state;
std::string g_last_items;

}  // namespace

void publish_frame(int frames) {
  wqlab_js_frame(frames);
}
void publish_pthread_value(double value) {
  wqlab_js_pthread_value(value);
}
void publish_error(const std::string& message) {
  wqlab_js_error(message.c_str());
}

void publish_state(const std::string& json) {
  if (json == g_last_state) return;
  g_last_state = json;
  wqlab_js_merge(json.c_str());
}

void note_item(const char* name) {
  ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  g_items.push_back({name, min.x, min.y, max.x, max.y});
}

void note_rect(const char* name, float x0, float y0, float x1, float y1) {
  g_items.push_back({name, x0, y0, x1, y1});
}

void publish_items(float css_per_pixel) {
  std::string json = "{\"items\":{";
  for (size_t i = 0; i < g_items.size(); ++i) {
    const NotedItem& it = g_items[i];
    char rect[128];
    std::snprintf(rect, sizeof rect, "{\"x\":%.1f,\"y\":%.1f,\"w\":%.1f,\"h\":%.1f}",
                  it.x0 * css_per_pixel, it.y0 * css_per_pixel, (it.x1 - it.x0) * css_per_pixel,
                  (it.y1 - it.y0) * css_per_pixel);
    json += (i ? ",\"" : "\"") + it.name + "\":" + rect;  // names are our own labels: no escaping
  }
  json += "}}";
  g_items.clear();
  if (json == g_last_items) return;
  g_last_items = std::move(json);
  wqlab_js_merge(g_last_items.c_str());
}

}  // namespace wqlab::web_bridge

#else

namespace wqlab::web_bridge {

void publish_frame(int) {}
void publish_pthread_value(double) {}
void publish_error(const std::string&) {}
void publish_state(const std::string&) {}
void note_item(const char*) {}
void note_rect(const char*, float, float, float, float) {}
void publish_items(float) {}

}  // namespace wqlab::web_bridge

#endif
