# wqlab_app_core: the app's sessions (driver threads, commands, demo scenarios, lessons), the
# model (the event log folded into machine state, history and snapshots, causes), the lesson
# player's state, the exports' text and the keymap. No ImGui, no GL: the app links it, and so do
# tests/app (also in the sanitizer builds, which do not build the app itself).
include_guard(GLOBAL)
get_filename_component(WQLAB_APP_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
add_library(wqlab_app_core STATIC
  ${WQLAB_APP_DIR}/export/run_export.cpp
  ${WQLAB_APP_DIR}/model/causes.cpp
  ${WQLAB_APP_DIR}/model/event_filter.cpp
  ${WQLAB_APP_DIR}/model/fold.cpp
  ${WQLAB_APP_DIR}/model/fold_causes.cpp
  ${WQLAB_APP_DIR}/model/fold_kernel.cpp
  ${WQLAB_APP_DIR}/model/fold_legacy.cpp
  ${WQLAB_APP_DIR}/model/fold_pools.cpp
  ${WQLAB_APP_DIR}/model/fold_work.cpp
  ${WQLAB_APP_DIR}/model/machine_model.cpp
  ${WQLAB_APP_DIR}/model/machine_state.cpp
  ${WQLAB_APP_DIR}/model/model_history.cpp
  ${WQLAB_APP_DIR}/model/run_history.cpp
  ${WQLAB_APP_DIR}/model/timeline_lod.cpp
  ${WQLAB_APP_DIR}/model/why.cpp
  ${WQLAB_APP_DIR}/model/why_text.cpp
  ${WQLAB_APP_DIR}/player/lesson_answers.cpp
  ${WQLAB_APP_DIR}/player/lesson_catalog.cpp
  ${WQLAB_APP_DIR}/player/lesson_player.cpp
  ${WQLAB_APP_DIR}/player/lesson_player_commands.cpp
  ${WQLAB_APP_DIR}/player/lesson_timeline.cpp
  ${WQLAB_APP_DIR}/session/demo_scenarios.cpp
  ${WQLAB_APP_DIR}/session/legacy_demos.cpp
  ${WQLAB_APP_DIR}/session/legacy_scenario.cpp
  ${WQLAB_APP_DIR}/session/lesson_run.cpp
  ${WQLAB_APP_DIR}/session/lesson_session.cpp
  ${WQLAB_APP_DIR}/session/machine_session.cpp
  ${WQLAB_APP_DIR}/session/pacer.cpp
  ${WQLAB_APP_DIR}/session/scenario.cpp
  ${WQLAB_APP_DIR}/session/session_driver.cpp
  ${WQLAB_APP_DIR}/shell/commands.cpp
  ${WQLAB_APP_DIR}/shell/keyboard_map.cpp)
target_include_directories(wqlab_app_core PUBLIC ${WQLAB_APP_DIR})
# Demos use the workqueue directly; lessons run through engine/scenario's Runner.
target_link_libraries(wqlab_app_core PUBLIC wqlab_wq wqlab_legacy wqlab_scenario)
if(NOT WQLAB_WEB)
  target_link_libraries(wqlab_app_core PUBLIC Threads::Threads)
endif()
wqlab_warnings(wqlab_app_core)

# wqlab_app_share: the share-link codec (#s=base64url of scenario text), which checks scenarios
# with engine/scenario's parser. No ImGui either, so tests/app runs it under the sanitizers.
add_library(wqlab_app_share STATIC
  ${WQLAB_APP_DIR}/share/base64url.cpp
  ${WQLAB_APP_DIR}/share/share_url.cpp)
target_include_directories(wqlab_app_share PUBLIC ${WQLAB_APP_DIR})
target_link_libraries(wqlab_app_share PUBLIC wqlab_scenario)
wqlab_warnings(wqlab_app_share)
# The characters beyond Latin-1 the UI shows (every lesson's Chinese, the app's own strings, the
# demos' list in assets/fonts/ui-text-zh.txt), collected at build time: the desktop font atlas
# and the browser's font subset hold exactly these, so a new lesson needs no list edited by hand.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
file(GLOB wqlab_lesson_files CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/lessons/*.toml")
file(GLOB_RECURSE wqlab_app_text_files CONFIGURE_DEPENDS "${WQLAB_APP_DIR}/*.cpp"
  "${WQLAB_APP_DIR}/*.h")
set(WQLAB_UI_TEXT_ZH_TXT "${CMAKE_BINARY_DIR}/generated/ui-text-zh.txt")
set(WQLAB_UI_TEXT_ZH_INC "${CMAKE_BINARY_DIR}/generated/ui_text_zh.inc")
add_custom_command(OUTPUT "${WQLAB_UI_TEXT_ZH_TXT}" "${WQLAB_UI_TEXT_ZH_INC}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/generated"
  COMMAND Python3::Interpreter "${CMAKE_SOURCE_DIR}/cmake/ui_text_zh.py" "${WQLAB_UI_TEXT_ZH_TXT}"
    "${WQLAB_UI_TEXT_ZH_INC}" "${CMAKE_SOURCE_DIR}/assets/fonts/ui-text-zh.txt"
    ${wqlab_lesson_files} ${wqlab_app_text_files}
  DEPENDS "${CMAKE_SOURCE_DIR}/cmake/ui_text_zh.py" "${CMAKE_SOURCE_DIR}/assets/fonts/ui-text-zh.txt"
    ${wqlab_lesson_files} ${wqlab_app_text_files}
  COMMENT "Collecting the UI's Chinese characters" VERBATIM)
add_custom_target(wqlab_ui_text ALL DEPENDS "${WQLAB_UI_TEXT_ZH_TXT}" "${WQLAB_UI_TEXT_ZH_INC}")

# wqlab_app_sandbox: the sandbox's model (a scenario edited a change at a time, sent to a
# LessonSession, saved as a file). No ImGui, so tests/app runs it under the sanitizers.
add_library(wqlab_app_sandbox STATIC
  ${WQLAB_APP_DIR}/sandbox/sandbox.cpp
  ${WQLAB_APP_DIR}/sandbox/sandbox_text.cpp)
target_include_directories(wqlab_app_sandbox PUBLIC ${WQLAB_APP_DIR})
target_link_libraries(wqlab_app_sandbox PUBLIC wqlab_app_core wqlab_app_share)
wqlab_warnings(wqlab_app_sandbox)
