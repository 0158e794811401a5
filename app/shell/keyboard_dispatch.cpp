// The keymap on ImGui's key API: key ownership keeps ImGui's navigation off the keys the
// machine uses, exact modifier matches keep Shift+Left from also stepping.
#include "shell/keyboard_dispatch.h"

#include <algorithm>

#include "imgui.h"
#include "imgui_internal.h"  // SetKeyOwner, owner-aware IsKeyPressed (internal in 1.90.1)

namespace wqlab {
namespace {

constexpr ImGuiKey kImKeys[] = {ImGuiKey_Space,       ImGuiKey_LeftArrow,
                                ImGuiKey_RightArrow,  ImGuiKey_Home,
                                ImGuiKey_End,         ImGuiKey_Comma,
                                ImGuiKey_Period,      ImGuiKey_A,
                                ImGuiKey_D,           ImGuiKey_E,
                                ImGuiKey_F,           ImGuiKey_L,
                                ImGuiKey_N,           ImGuiKey_O,
                                ImGuiKey_P,           ImGuiKey_Q,
                                ImGuiKey_S,           ImGuiKey_W,
                                ImGuiKey_Y,           ImGuiKey_Backspace,
                                ImGuiKey_LeftBracket, ImGuiKey_RightBracket,
                                ImGuiKey_F1,          ImGuiKey_F12,
                                ImGuiKey_Slash};  // '?' is read as a character
static_assert(std::size(kImKeys) == static_cast<size_t>(Key::kCount), "an ImGuiKey for every Key");

ImGuiKey im_key(Key k) {
  return kImKeys[static_cast<size_t>(k)];
}

ImGuiKeyChord im_mods(uint8_t mods) {
  return ((mods & kModCtrl) ? ImGuiMod_Ctrl : 0) | ((mods & kModShift) ? ImGuiMod_Shift : 0) |
         ((mods & kModAlt) ? ImGuiMod_Alt : 0);
}

// Keys ImGui's own keyboard navigation moves and activates with.
bool is_nav_key(Key k) {
  return k == Key::kSpace || k == Key::kLeft || k == Key::kRight || k == Key::kHome ||
         k == Key::kEnd;
}

bool typed(ImWchar c) {
  const ImVector<ImWchar>& chars = ImGui::GetIO().InputQueueCharacters;
  return std::find(chars.begin(), chars.end(), c) != chars.end();
}

}  // namespace

std::vector<Keyboard::Fired> Keyboard::poll(bool desktop) {
  std::vector<Fired> fired;
  ImGuiIO& io = ImGui::GetIO();
  const ImGuiID owner = ImHashStr("wqlab-keymap");
  const bool typing = io.WantTextInput;
  const bool popup =
      ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
  const bool navigating = io.NavVisible;
  if (typing || popup) return fired;
  // A key --press holds down counts as held for a fixed tenth of a second, so what a scripted
  // W or S does never depends on how fast the frames come.
  const float dt = releasing_ ? kScriptedHoldSeconds : std::min(io.DeltaTime, 0.1f);
  for (const KeyBinding& b : keymap()) {
    if (b.desktop_only && !desktop) continue;
    if (b.chord.key == Key::kQuestion) {
      if (typed('?')) fired.push_back({b.command, 0.0f});
      continue;
    }
    if (navigating && is_nav_key(b.chord.key)) continue;
    const ImGuiKey key = im_key(b.chord.key);
    // Owned from the next frame on, so ImGui's navigation (which reads unowned keys only)
    // leaves it alone.
    ImGui::SetKeyOwner(key, owner);
    if (io.KeyMods != im_mods(b.chord.mods)) continue;
    switch (b.trigger) {
      case KeyTrigger::kPress:
        if (ImGui::IsKeyPressed(key, ImGuiKeyOwner_Any, ImGuiInputFlags_None))
          fired.push_back({b.command, 0.0f});
        break;
      case KeyTrigger::kRepeat:
        if (ImGui::IsKeyPressed(key, ImGuiKeyOwner_Any, ImGuiInputFlags_Repeat))
          fired.push_back({b.command, 0.0f});
        break;
      case KeyTrigger::kHold:
        if (ImGui::IsKeyDown(key, ImGuiKeyOwner_Any)) fired.push_back({b.command, dt});
        break;
    }
  }
  return fired;
}

void Keyboard::queue_presses(std::vector<KeyChord> chords) {
  queued_.insert(queued_.end(), chords.begin(), chords.end());
}

void Keyboard::feed_presses(bool ready) {
  ImGuiIO& io = ImGui::GetIO();
  if (releasing_) {
    if (down_.key != Key::kQuestion) io.AddKeyEvent(im_key(down_.key), false);
    if (down_.mods & kModCtrl) io.AddKeyEvent(ImGuiMod_Ctrl, false);
    if (down_.mods & kModShift) io.AddKeyEvent(ImGuiMod_Shift, false);
    if (down_.mods & kModAlt) io.AddKeyEvent(ImGuiMod_Alt, false);
    releasing_ = false;
    ++done_;
    return;
  }
  if (!ready || queued_.empty()) return;
  down_ = queued_.front();
  queued_.pop_front();
  if (down_.mods & kModCtrl) io.AddKeyEvent(ImGuiMod_Ctrl, true);
  if (down_.mods & kModShift) io.AddKeyEvent(ImGuiMod_Shift, true);
  if (down_.mods & kModAlt) io.AddKeyEvent(ImGuiMod_Alt, true);
  if (down_.key == Key::kQuestion) {
    io.AddInputCharacter('?');
  } else {
    io.AddKeyEvent(im_key(down_.key), true);
  }
  releasing_ = true;
}

}  // namespace wqlab
