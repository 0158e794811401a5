// The app's start-up, per-frame work and shutdown; the platform/, shell/ and views/ files and
// MachineUi do the parts.
#include "host/app.h"

#include <cfloat>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "automation/lesson_script.h"
#include "engine/import/importer.h"
#include "engine/import/live_feed.h"
#include "engine/import/tracefs_recording.h"
#include "export/export_ui.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "imgui_impl_opengl3.h"
#include "platform/display_scale.h"
#include "platform/fonts.h"
#include "platform/gl.h"
#include "platform/main_loop.h"
#include "platform/page_files.h"
#include "platform/settings_store.h"
#include "platform/thread_probe.h"
#include "platform/web_bridge.h"
#include "platform/window.h"
#include "sandbox/sandbox_ui.h"
#include "session/demo_scenarios.h"
#include "share/share_ui.h"
#include "shell/json_escape.h"
#include "shell/shell.h"
#include "stage/machine_ui.h"
#include "trace/trace_ui.h"

#ifndef __EMSCRIPTEN__
#include "automation/bench_ui.h"
#include "automation/screenshot.h"
#include "automation/view_shots.h"
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
  std::unique_ptr<MachineUi> machine;  // the demo, and the StageHost: which stage is shown
  std::unique_ptr<StageRouter> stage_commands;
  std::unique_ptr<ExportUi> exports;
  std::unique_ptr<ShareUi> share;
  int frames_after_presses = 0;          // --press: frames drawn since the last simulated key
  std::unique_ptr<LessonScript> script;  // --lesson and its automation
  int frames_after_script = 0;           // frames rendered since the script was done
  std::unique_ptr<SandboxUi> sandbox;    // shows its machine through `machine`'s views
  std::unique_ptr<TraceUi> trace;        // a real kernel's trace, in `machine`'s views
#ifndef __EMSCRIPTEN__
  std::unique_ptr<ViewShots> shots;
#endif
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

// What the tests read besides ready/frames: shown panels, column weights, scales, and what the
// machine and its views show (JSON).
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
                "],\"columns\":[%.4f,%.4f,%.4f],\"uiScale\":%.2f,\"displayScale\":%.2f,",
                w.column[0], w.column[1], w.column[2], app.shell.settings.ui_scale, app.scale.ui);
  const Notice& n = app.shell.notice;
  json += rest;
  json += "\"keysOverlay\":" + std::string(app.shell.keys_open ? "true" : "false") +
          ",\"keyboardNav\":" + (ImGui::GetIO().NavVisible ? "true" : "false") +
          ",\"keysPressed\":" + std::to_string(app.shell.keyboard.presses_done()) +
          ",\"notice\":{\"text\":\"" + json_escape(n.text) +
          "\",\"error\":" + (n.error ? "true" : "false") + ",\"count\":" + std::to_string(n.count) +
          "}," + app.exports->state_json_members() + "," + app.share->state_json_members() + "," +
          app.sandbox->state_json_members() + "," + app.trace->state_json_members() + ",";
  const std::string script =
      std::string(",\"lessonScript\":\"") + (app.script ? app.script->stage_name() : "") + "\"";
  return json + app.machine->state_json_members() + script + "}";
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

// Files dropped on the window or chosen in the page's picker: a scenario (.toml) opens in the
// sandbox, anything else is read as a trace.
void take_incoming_files(App& app) {
  while (std::optional<page_files::IncomingFile> f = page_files::take()) {
    if (!f->error.empty()) {
      app.shell.notify(f->name + ": " + f->error, true);
    } else if (f->name.ends_with(".toml")) {
      app.sandbox->open_text(f->text, f->name);
    } else {
      app.trace->open_text_async(std::move(f->text), f->name);
    }
  }
}

// One frame; returns false when the app should stop.
bool run_frame(void* arg) {
  App& app = *static_cast<App*>(arg);
  if (kDesktop) {
    glfwPollEvents();
    if (glfwWindowShouldClose(app.window.handle) || app.shell.quit_requested ||
        import::StopSignals::requested())
      return false;
  }
  app.scale = update_display_scale(app.window.handle);
  const float ui_scale = app.scale.ui * app.shell.settings.ui_scale;
  if (app.fonts.update(ui_scale, app.scale.framebuffer, true)) apply_theme(ui_scale);

  take_incoming_files(app);
  app.trace->update();
  app.sandbox->update(ImGui::GetIO().DeltaTime);
  app.machine->update(ImGui::GetIO().DeltaTime);
  app.share->poll_page();
  // --press keys wait for the stage to settle (and for a --lesson script to get where it goes).
  app.shell.keyboard.feed_presses(app.machine->settled() && (!app.script || app.script->done()));
  if (app.script) app.script->before_frame();
#ifndef __EMSCRIPTEN__
  if (app.shots) app.shots->before_frame();
#endif
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
#ifndef __EMSCRIPTEN__
  // Screenshots show no tooltip: the mouse is away (Xvfb parks it mid-screen).
  if (app.shots || (app.script && (!app.options.shots.empty() || !app.options.screenshot.empty())))
    ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
#endif
  ImGui::NewFrame();
  app.shell.draw(gather_facts(app));
  app.exports->draw();
  app.share->draw();
  app.trace->draw_dialog();
  ImGui::Render();

  int width = 0, height = 0;
  glfwGetFramebufferSize(app.window.handle, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.06f, 0.065f, 0.08f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  app.exports->after_render(width, height);
  ++app.frames;

  bool last = app.options.frames > 0 && app.frames >= app.options.frames;
  if (app.options.press_then_exit && !app.shell.keyboard.presses_pending()) {
    // A few frames for what the last key opened to lay itself out (and a screenshot to land).
    last = ++app.frames_after_presses > 3;
  }
  if (app.script) {
    // Frames count once the lesson has got where it was asked to go.
    app.frames_after_script = app.script->done() ? app.frames_after_script + 1 : 0;
    last = app.options.frames > 0 && app.frames_after_script >= app.options.frames;
    if (app.options.press_then_exit && !app.shell.keyboard.presses_pending())
      last = app.script->done() && app.frames_after_presses > 3;
  }
#ifndef __EMSCRIPTEN__
  if (app.script && !app.options.shots.empty()) {
    std::string error;
    app.script->after_frame(
        [&](const std::string& file) {
          std::string e = save_back_buffer_png(file, width, height);
          if (e.empty()) std::printf("wqlab: saved %s (%d x %d)\n", file.c_str(), width, height);
          return e;
        },
        &error);
    if (!error.empty()) {
      std::fprintf(stderr, "wqlab: --shots: %s\n", error.c_str());
      app.exit_code = 1;
    }
    last = app.script->done() || !error.empty();
  }
  if (app.shots) {
    std::string error;
    last = app.shots->after_frame(width, height, &error);
    if (!error.empty()) {
      std::fprintf(stderr, "wqlab: --shots: %s\n", error.c_str());
      app.exit_code = 1;
      last = true;
    }
  }
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

void write_state_json(const App& app) {
  if (app.options.state_json.empty()) return;
  std::ofstream out(app.options.state_json);
  out << shell_state_json(app) << "\n";
  if (!out)
    std::fprintf(stderr, "wqlab: --state-json: cannot write %s\n", app.options.state_json.c_str());
}

void shut_down(App* app) {
  write_state_json(*app);
  app->shell.sinks.clear();
  app->script.reset();
  // The settings file is written now, while the machine whose options it holds still exists;
  // DestroyContext() below would write it again after the machine is gone.
  ImGuiIO& io = ImGui::GetIO();
  if (io.IniFilename) ImGui::SaveIniSettingsToDisk(io.IniFilename);
  io.IniFilename = nullptr;
  unregister_view_settings();
  app->trace.reset();
  app->sandbox.reset();  // gives the views back to the demo, stops the sandbox's driver
  app->machine.reset();  // stops the machine's driver thread
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();  // also writes the settings file
  close_window(&app->window);
}

}  // namespace

int run_app(const Options& options) {
#ifndef __EMSCRIPTEN__
  if (options.bench_ui) return run_ui_bench(options);
#endif
  // `wqlab open FILE` (--trace): a file that cannot be read stops here, before any window.
  std::string trace_text;
  if (!options.trace_file.empty()) {
    std::string error;
    std::optional<std::string> text = import::read_trace_file(options.trace_file, &error);
    if (!text) {
      std::fprintf(stderr, "wqlab open: %s\n", error.c_str());
      return 2;
    }
    trace_text = std::move(*text);
  }
  // --live and --live-from: a source that cannot be read stops here too. Ctrl+C and SIGTERM
  // end the app in order, so that tracefs is restored.
  std::unique_ptr<import::LiveFeed> live_feed;
#ifndef __EMSCRIPTEN__
  std::optional<import::StopSignals> stop_signals;
  if (options.live) {
    import::CaptureOptions capture;
    capture.sched = options.live_sched;
    if (!(live_feed = import::LiveFeed::open_tracefs(capture, std::cerr))) return 1;
    stop_signals.emplace();
  } else if (!options.live_from.empty()) {
    std::string error;
    if (!(live_feed = import::LiveFeed::open_path(options.live_from, &error))) {
      std::fprintf(stderr, "wqlab --live-from: %s\n", error.c_str());
      return 2;
    }
  }
#endif
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
  app->machine = std::make_unique<MachineUi>();
  register_view_settings(app->machine.get());
  // --why/--zoom pin what the views show; --shots then leaves the moment and selection alone.
  const bool pinned_view = !options.why.empty() || !options.zoom.empty();
  app->shell.content = app->machine.get();
  app->stage_commands = std::make_unique<StageRouter>(app->machine.get());
  app->exports = std::make_unique<ExportUi>(&app->shell, app->machine.get());
  app->exports->override_dir = options.export_dir;
  register_export_settings(app->exports.get());
  app->share = std::make_unique<ShareUi>(&app->shell);
  app->share->stages = app->machine.get();
  app->sandbox = std::make_unique<SandboxUi>(&app->shell, app->machine.get());
  // A shared scenario opens in the sandbox (a shared lesson is the lesson player's).
  app->share->on_open = [app](const scenario::Scenario& s, const std::string&) {
    const std::string title = "Shared scenario: " + (s.title.en.empty() ? s.id : s.title.en);
    if (s.kind == "lesson") {
      app->machine->lessons().open_scenario(s);
      app->shell.notify(title + " (opened in the lesson player)");
    } else if (app->sandbox->open_scenario(s, "share link"))
      app->shell.notify(title + " (opened in the sandbox)");
  };
  app->trace = std::make_unique<TraceUi>(&app->shell, app->machine.get());
  app->shell.sinks = {app->stage_commands.get(), app->exports.get(), app->share.get(),
                      app->trace->opener()};
  std::vector<KeyChord> presses;
  for (const std::string& p : options.press)
    if (std::optional<KeyChord> chord = parse_chord(p)) presses.push_back(*chord);
  app->shell.keyboard.queue_presses(std::move(presses));
#ifndef __EMSCRIPTEN__
  if (!options.shots.empty() && options.lesson.empty()) {
    app->shots =
        std::make_unique<ViewShots>(options.shots, &app->shell, app->machine.get(), pinned_view);
  } else if (!options.shots.empty()) {
    ImGui::GetIO().IniFilename = nullptr;          // the default layout, and nothing saved
    app->machine->machine_room().animate = false;  // tokens where they are, not on their way
  } else {
    app->settings.attach();
  }
#else
  app->settings.attach();
#endif
  if (!options.lesson.empty()) {
    // A lesson instead of a demo; a file with errors shows them and no machine runs.
    app->script = std::make_unique<LessonScript>(options, app->machine->lessons(), app->shell);
  } else {
    model::Nanos at = options.at_ns;
    if ((!options.shots.empty() || pinned_view) && at < 0) {
      // Screenshots need a machine that holds still: run the demo and show its first highlight.
      const session::ScenarioDef* def = session::demo_scenarios().find(options.demo);
      at = def && !def->info.highlights.empty() ? def->info.highlights.front() : 0;
    }
    app->machine->load_demo(options.demo, at);
    app->machine->request_view(options.why, options.zoom);
  }
  if (options.sandbox) {
    if (options.sandbox_file.empty())
      app->sandbox->open();
    else if (!app->sandbox->open_file(options.sandbox_file))
      std::fprintf(stderr, "wqlab: --sandbox: %s\n", app->shell.notice.text.c_str());
  }
  if (!options.open_url.empty()) {
    if (app->share->open_link(options.open_url, "--open-url")) {
      std::printf("wqlab: --open-url: %s\n", app->shell.notice.text.c_str());
    } else {
      std::fprintf(stderr, "wqlab: --open-url: %s\n", app->shell.notice.text.c_str());
    }
  }

  ImGui_ImplGlfw_InitForOpenGL(app->window.handle, true);
  page_files::install(app->window.handle);
  ImGui_ImplOpenGL3_Init(app->window.glsl_version);
  app->scale = update_display_scale(app->window.handle);
  const float ui_scale = app->scale.ui * app->shell.settings.ui_scale;
  app->fonts.update(ui_scale, app->scale.framebuffer, false);
  apply_theme(ui_scale);
  ImGui_ImplOpenGL3_CreateDeviceObjects();  // uploads the font atlas built just above
  // ... and one that holds no trace, before any frame.
  if (!options.trace_file.empty() && !app->trace->open_text(trace_text, options.trace_file)) {
    std::fprintf(stderr, "wqlab open: %s\n", app->trace->last_error().c_str());
    shut_down(app);
    delete app;
    return 2;
  }
  if (!options.whatif.empty()) app->trace->what_if_now(options.whatif);
  if (live_feed) app->trace->open_live(std::move(live_feed));

  run_main_loop(run_frame, app);
  if (!kDesktop) return 0;  // not reached in the browser: the main loop unwinds out of main()

  shut_down(app);
  const int exit_code = app->exit_code;
  delete app;
  return exit_code;
}

}  // namespace wqlab
