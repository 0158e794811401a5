// The views' test hooks (views/test_hooks.h), carried to the page by the browser bridge.
#include "platform/web_bridge.h"
#include "views/test_hooks.h"

namespace wqlab::test_hooks {

void note_item(const char* name) {
  web_bridge::note_item(name);
}

void note_rect(const char* name, float x0, float y0, float x1, float y1) {
  web_bridge::note_rect(name, x0, y0, x1, y1);
}

}  // namespace wqlab::test_hooks
