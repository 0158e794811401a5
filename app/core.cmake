# wqlab_app_core: the app's session (driver thread, commands, demo scenarios) and model (the
# event log folded into machine state, history and snapshots). No ImGui, no GL: the app links it,
# and so do tests/app (also in the sanitizer builds, which do not build the app itself).
include_guard(GLOBAL)
set(WQLAB_APP_DIR "${CMAKE_CURRENT_LIST_DIR}")
add_library(wqlab_app_core STATIC
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
  ${WQLAB_APP_DIR}/session/demo_scenarios.cpp
  ${WQLAB_APP_DIR}/session/legacy_demos.cpp
  ${WQLAB_APP_DIR}/session/legacy_scenario.cpp
  ${WQLAB_APP_DIR}/session/machine_session.cpp
  ${WQLAB_APP_DIR}/session/scenario.cpp)
target_include_directories(wqlab_app_core PUBLIC ${WQLAB_APP_DIR})
# Only the layers the app uses so far (lessons will add engine/scenario).
target_link_libraries(wqlab_app_core PUBLIC wqlab_wq wqlab_legacy)
if(NOT WQLAB_WEB)
  target_link_libraries(wqlab_app_core PUBLIC Threads::Threads)
endif()
wqlab_warnings(wqlab_app_core)
