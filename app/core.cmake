# wqlab_app_core: the app's sessions (driver threads, commands, demo scenarios, lessons), the
# model (the event log folded into machine state, history and snapshots) and the lesson
# player's state. No ImGui, no GL: the app links it, and so do tests/app (also in the sanitizer
# builds, which do not build the app itself).
include_guard(GLOBAL)
set(WQLAB_APP_DIR "${CMAKE_CURRENT_LIST_DIR}")
add_library(wqlab_app_core STATIC
  ${WQLAB_APP_DIR}/model/event_filter.cpp
  ${WQLAB_APP_DIR}/model/fold.cpp
  ${WQLAB_APP_DIR}/model/fold_kernel.cpp
  ${WQLAB_APP_DIR}/model/fold_pools.cpp
  ${WQLAB_APP_DIR}/model/fold_work.cpp
  ${WQLAB_APP_DIR}/model/machine_model.cpp
  ${WQLAB_APP_DIR}/model/machine_state.cpp
  ${WQLAB_APP_DIR}/model/model_history.cpp
  ${WQLAB_APP_DIR}/model/run_history.cpp
  ${WQLAB_APP_DIR}/model/timeline_lod.cpp
  ${WQLAB_APP_DIR}/player/lesson_answers.cpp
  ${WQLAB_APP_DIR}/player/lesson_catalog.cpp
  ${WQLAB_APP_DIR}/player/lesson_player.cpp
  ${WQLAB_APP_DIR}/player/lesson_player_commands.cpp
  ${WQLAB_APP_DIR}/player/lesson_timeline.cpp
  ${WQLAB_APP_DIR}/session/demo_scenarios.cpp
  ${WQLAB_APP_DIR}/session/lesson_run.cpp
  ${WQLAB_APP_DIR}/session/lesson_session.cpp
  ${WQLAB_APP_DIR}/session/machine_session.cpp
  ${WQLAB_APP_DIR}/session/pacer.cpp
  ${WQLAB_APP_DIR}/session/scenario.cpp)
target_include_directories(wqlab_app_core PUBLIC ${WQLAB_APP_DIR})
# Demos use the workqueue directly; lessons run through engine/scenario's Runner.
target_link_libraries(wqlab_app_core PUBLIC wqlab_wq wqlab_scenario)
if(NOT WQLAB_WEB)
  target_link_libraries(wqlab_app_core PUBLIC Threads::Threads)
endif()
wqlab_warnings(wqlab_app_core)
