// The app's start-up, per-frame work and shutdown; the platform/ and shell/ files do the parts.
#include "app.h"

#include <cstdio>
#include <string>

#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform/display_scale.h"
#include "platform/fonts.h"
#include "platform/gl.h"
#include "platform/main_loop.h"
#include "platform/settings_store.h"
#include "platform/thread_probe.h"
#include "platform/web_bridge.h"
#include "platform/window.h"
#include "shell/shell.h"

#ifndef __EMSCRIPTEN__
#include "screenshot.h"
#endif

namespace wqlab {
namespace {

#ifdef __EMSCRIPTEN__
constexpr bool kDesktop = false;
constexpr const char* kTarget = "browser: WebGL2 and pthreads (Emscripten)";
#else
constexpr bool kDesktop = true;
constexpr const char* kTarget = "desktop: OpenGL 3.3 core (GLFW)";
#endif

struct App {
  Options options;
  Window window;
  UiFonts fonts;
  SettingsStore settings;
  Shell shell;
  ThreadProbe probe;
  DisplayScale scale;
  bool thread_value_published = false;
  int frames = 0;
  int exit_code = 0;
};

ShellFacts gather_facts(const App& app) {
  ShellFacts facts;
  facts.can_quit = kDesktop;
  facts.target = kTarget;
  facts.renderer = app.window.renderer;
  facts.font = app.fonts.description();
  facts.settings_location = app.settings.location();
  facts.display_scale = app.scale.ui * app.scale.framebuffer;
  facts.thread_value = app.probe.result();
  facts.thread_error = app.probe.error();
  return facts;
}

// What the browser tests read besides ready/frames: shown panels, column weights, scales (JSON).
std::string shell_state_json(const App& app) {
  std::string json = "{\"panels\":[";
  bool first = true;
  for (int p = 0; p < kPanelCount; ++p) {
    if (!app.shell.settings.show[p]) continue;
    json += (first ? "\"" : ",\"") + std::string(panel_info(p).title) + "\"";
    first = false;
  }
  const LayoutWeights& w = app.shell.settings.weights;
  char rest[160];
  std::snprintf(rest, sizeof rest,
                "],\"columns\":[%.4f,%.4f,%.4f],\"uiScale\":%.2f,\"displayScale\":%.2f}",
                w.column[0], w.column[1], w.column[2], app.shell.settings.ui_scale, app.scale.ui);
  return json + rest;
}

void publish_to_page(App& app) {
  if (!app.thread_value_published) {
    if (std::optional<std::uint64_t> value = app.probe.result()) {
      web_bridge::publish_pthread_value(static_cast<double>(*value));
      app.thread_value_published = true;
    }
  }
  web_bridge::publish_state(shell_state_json(app));
  web_bridge::publish_items(1.0f / app.scale.ui);
  web_bridge::publish_frame(app.frames);
}

// One frame; returns false when the app should stop.
bool run_frame(void* arg) {
  App& app = *static_cast<App*>(arg);
  if (kDesktop) {
    glfwPollEvents();
    if (glfwWindowShouldClose(app.window.handle) || app.shell.quit_requested) return false;
  }
  app.scale = update_display_scale(app.window.handle);
  const float ui_scale = app.scale.ui * app.shell.settings.ui_scale;
  if (app.fonts.update(ui_scale, app.scale.framebuffer, true)) apply_theme(ui_scale);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  app.shell.draw(gather_facts(app));
  ImGui::Render();

  int width = 0, height = 0;
  glfwGetFramebufferSize(app.window.handle, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.06f, 0.065f, 0.08f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  ++app.frames;

  const bool last = app.options.frames > 0 && app.frames >= app.options.frames;
#ifndef __EMSCRIPTEN__
  if (last && !app.options.screenshot.empty()) {
    std::string error = save_back_buffer_png(app.options.screenshot, width, height);
    if (error.empty()) {
      std::printf("wqlab: saved %s (%d x %d, frame %d)\n", app.options.screenshot.c_str(), width,
                  height, app.frames);
    } else {
      std::fprintf(stderr, "wqlab: --screenshot: %s\n", error.c_str());
      app.exit_code = 1;
    }
  }
#endif
  glfwSwapBuffers(app.window.handle);
  app.settings.save_if_needed();
  publish_to_page(app);
  return !last;
}

void shut_down(App* app) {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();  // also writes the settings file
  close_window(&app->window);
}

}  // namespace

int run_app(const Options& options) {
  // In the browser the app outlives this function (the page's animation loop owns it), so it is
  // never deleted there; on the desktop it is deleted after the loop.
  auto* app = new App;
  app->options = options;

  int width = options.width, height = options.height;
  initial_window_size(&width, &height);
  std::string detail;
  switch (open_window(width, height, &app->window, &detail)) {
    case WindowError::kNone:
      break;
    case WindowError::kNoDisplay:
      std::fprintf(stderr,
                   "wqlab: cannot open a window (no display?). Try './lab web' for the browser "
                   "version, or 'xvfb-run -a ./lab run'.\n");
      web_bridge::publish_error("GLFW could not start: " + detail);
      delete app;
      return 2;
    case WindowError::kNoContext: {
      const std::string why = detail.empty() ? "" : " (" + detail + ")";
      if (kDesktop) {
        std::fprintf(stderr,
                     "wqlab: cannot create an OpenGL 3.3 window%s. Try './lab web' for the "
                     "browser version, or 'xvfb-run -a ./lab run'.\n",
                     why.c_str());
      }
      web_bridge::publish_error("This browser could not create a WebGL2 context" + why +
                                ", which wqlab needs. Check that hardware acceleration (or "
                                "WebGL) is turned on in the browser's settings.");
      delete app;
      return 2;
    }
  }

  if (!app->probe.start()) web_bridge::publish_error(app->probe.error());

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  register_shell_settings(&app->shell.settings);
  app->settings.attach();

  ImGui_ImplGlfw_InitForOpenGL(app->window.handle, true);
  ImGui_ImplOpenGL3_Init(app->window.glsl_version);
  app->scale = update_display_scale(app->window.handle);
  const float ui_scale = app->scale.ui * app->shell.settings.ui_scale;
  app->fonts.update(ui_scale, app->scale.framebuffer, false);
  apply_theme(ui_scale);
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // uploads the font atlas built just above

  run_main_loop(run_frame, app);
  if (!kDesktop) return 0;  // not reached in the browser: the main loop unwinds out of main()

  shut_down(app);
  const int exit_code = app->exit_code;
  delete app;
  return exit_code;
}

}  // namespace wqlab
