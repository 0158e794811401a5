// The main window's frame: menu bar, the panels laid out between it and the status bar, and the
// About box. Later views live inside the panels; the shell owns where they are and whether shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shell/commands.h"
#include "shell/keyboard_dispatch.h"
#include "shell/panel_layout.h"
#include "shell/panels.h"

namespace wqlab {

// What the user chose, persisted in the settings file as [wqlab][Shell].
struct ShellSettings {
  float ui_scale = 1.0f;  // on top of the display's own scale (View > UI scale)
  bool show[kPanelCount] = {true, true, true, true, true};
  LayoutWeights weights;
};

// What the shell shows about the running program; filled in by the app each frame.
struct ShellFacts {
  bool can_quit = true;                       // desktop: File > Quit
  const char* target = "";                    // "desktop (OpenGL 3.3 core)" or "browser (WebGL2)"
  std::string renderer;                       // GL_RENDERER (GL_VERSION)
  std::string font;                           // which UI font is in use
  std::string settings_location;              // where ShellSettings are saved
  float display_scale = 1.0f;                 // from the monitor or devicePixelRatio
  std::optional<std::uint64_t> thread_value;  // the start-up thread probe's result
  std::string thread_error;
};

// What fills the shell: the views inside the panels, extra menus and the status bar's left part.
class ShellContent {
 public:
  virtual ~ShellContent() = default;
  // Draws the inside of panel `id`; false leaves the panel's "nothing yet" message.
  virtual bool draw_panel(PanelId id) = 0;
  // Menus after View (e.g. Machine); called inside the main menu bar.
  virtual void draw_menus() = 0;
  // The left part of the status bar, inside its window.
  virtual void draw_status() = 0;
  // (Keyboard shortcuts are in the keymap, shell/keyboard_map.h: implement CommandSink.)
};

// A one-line message in the status bar (an export's path, a link's problem), shown for a while.
struct Notice {
  std::string text;
  bool error = false;
  double shown_at = -1.0;  // ImGui::GetTime() when it appeared; < 0: none
  int count = 0;           // notices so far, for tests
};

struct Shell {
  ShellSettings settings;
  SplitterDrag drag;
  bool about_requested = false;
  bool quit_requested = false;
  bool keys_open = false;           // the keyboard shortcuts overlay (?)
  ShellContent* content = nullptr;  // may be null: the panels show their empty messages
  Keyboard keyboard;
  // Carry out commands after the shell's own (show_keys, quit), asked in this order.
  std::vector<CommandSink*> sinks;
  Notice notice;
  // Panel rectangles of the last frame (screen pixels), for per-view screenshots and tests.
  PanelLayout last_layout;

  // Draws one frame of the shell; call between ImGui::NewFrame() and ImGui::Render().
  void draw(const ShellFacts& facts);
  // Marks the settings as changed so ImGui saves them.
  void settings_changed();
  // Runs a command from a key or a menu; false if nothing handled it.
  bool run(Command c, float held_seconds = 0.0f);
  // Shows `text` in the status bar (and in the exposed state, for tests).
  void notify(std::string text, bool error = false);
};

// A menu item for `c`, with its key from the keymap; runs the command when chosen.
void command_menu_item(Shell* shell, Command c, const char* label, bool enabled = true);

// Registers the [wqlab][Shell] section with ImGui's settings (call before settings are loaded).
void register_shell_settings(ShellSettings* settings);

// Colours and sizes of the whole UI at `scale` (UI points to pixels).
void apply_theme(float scale);

// Parts of Shell::draw, one file each.
float draw_menu_bar(Shell* shell, const ShellFacts& facts);    // returns its height
float draw_status_bar(Shell* shell, const ShellFacts& facts);  // returns its height
void draw_about_window(Shell* shell, const ShellFacts& facts);
void draw_keyboard_overlay(Shell* shell, const ShellFacts& facts);

}  // namespace wqlab
