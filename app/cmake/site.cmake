# Browser build: link flags for WebGL2 + real pthreads, and the static site in build/web/site/:
# index.html (web/shell.html), wqlab.js/.wasm/.worker.js, coi-serviceworker.js, favicon, UI font.
set(WQLAB_SITE_DIR "${CMAKE_BINARY_DIR}/site")
set_target_properties(wqlab PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${WQLAB_SITE_DIR}" SUFFIX ".js")
# The page fetches the font into the in-memory file system before main() (see web/shell.html).
target_compile_definitions(wqlab PRIVATE WQLAB_UI_FONT="/fonts/wqlab-ui.ttf"
  WQLAB_LESSONS_DIR="/lessons")
# The lesson files, bundled into the program's in-memory file system at /lessons (the Lessons
# menu lists them; ?lesson=pid-exhaustion opens one).
file(GLOB site_lessons CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/lessons/*.toml")
foreach(lesson IN LISTS site_lessons)
  get_filename_component(name "${lesson}" NAME)
  target_link_options(wqlab PRIVATE "SHELL:--embed-file ${lesson}@/lessons/${name}")
endforeach()
set_property(TARGET wqlab APPEND PROPERTY LINK_DEPENDS ${site_lessons})

# Pthreads + memory growth works in 3.1.6 (checked: a 600 MB allocation from a worker thread);
# emcc only warns that JS reading the heap gets slower, which the WebGL glue barely does.
target_link_options(wqlab PRIVATE
  -pthread
  -sPTHREAD_POOL_SIZE=12  # session/platform_limits.h: 9 carriers, the driver, the probe, a spare
  -sDEFAULT_PTHREAD_STACK_SIZE=262144
  -sALLOW_MEMORY_GROWTH=1
  -sINITIAL_MEMORY=64MB
  -sMAXIMUM_MEMORY=1GB
  -Wno-pthreads-mem-growth
  -sFORCE_FILESYSTEM=1
  "-sEXPORTED_RUNTIME_METHODS=['FS','addRunDependency','removeRunDependency']"
  -sENVIRONMENT=web,worker)

set(site_files)
function(wqlab_stage_file src dst)
  add_custom_command(OUTPUT "${WQLAB_SITE_DIR}/${dst}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${src}" "${WQLAB_SITE_DIR}/${dst}"
    DEPENDS "${src}" COMMENT "Staging site/${dst}" VERBATIM)
  set(site_files ${site_files} "${WQLAB_SITE_DIR}/${dst}" PARENT_SCOPE)
endfunction()

wqlab_stage_file("${CMAKE_SOURCE_DIR}/web/shell.html" index.html)
wqlab_stage_file("${CMAKE_SOURCE_DIR}/assets/icons/wqlab.svg" favicon.svg)

set(coi_js "${CMAKE_SOURCE_DIR}/web/node_modules/coi-serviceworker/coi-serviceworker.js")
if(NOT EXISTS "${coi_js}")
  message(FATAL_ERROR "${coi_js} is missing; run ./lab setup (it runs 'npm ci' in web/)")
endif()
wqlab_stage_file("${coi_js}" coi-serviceworker.js)

# The browser gets a subset of WenQuanYi Micro Hei (only the glyphs in assets/fonts/ui-glyphs.txt
# and the characters core.cmake collects from the lessons and the app), never the 5 MB
# collection. Without python3-fonttools the app falls back to ImGui's own font.
set(WQLAB_FONT_SOURCE "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" CACHE FILEPATH
  "Font the browser's UI font is subset from")
if(NOT DEFINED CACHE{WQLAB_FONTTOOLS_PYTHON})
  set(found "")
  find_program(path_python3 NAMES python3)
  foreach(py IN ITEMS /usr/bin/python3 ${path_python3})
    if(EXISTS "${py}")
      execute_process(COMMAND "${py}" -c "import fontTools.subset"
        RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
      if(rc EQUAL 0)
        set(found "${py}")
        break()
      endif()
    endif()
  endforeach()
  set(WQLAB_FONTTOOLS_PYTHON "${found}" CACHE FILEPATH "A python3 that can import fontTools.subset")
endif()
if(WQLAB_FONTTOOLS_PYTHON AND EXISTS "${WQLAB_FONT_SOURCE}")
  set(glyphs "${CMAKE_SOURCE_DIR}/assets/fonts/ui-glyphs.txt")
  set(text_zh "${WQLAB_UI_TEXT_ZH_TXT}")  # generated (core.cmake)
  add_custom_command(OUTPUT "${WQLAB_SITE_DIR}/fonts/wqlab-ui.ttf"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${WQLAB_SITE_DIR}/fonts"
    COMMAND "${WQLAB_FONTTOOLS_PYTHON}" -m fontTools.subset "${WQLAB_FONT_SOURCE}" --font-number=0
      "--unicodes-file=${glyphs}" "--text-file=${text_zh}" --no-hinting --desubroutinize
      "--name-IDs=*"
      --drop-tables+=FFTM  # FontForge timestamps; pyftsubset warns that it cannot subset them
      "--output-file=${WQLAB_SITE_DIR}/fonts/wqlab-ui.ttf"
    DEPENDS "${glyphs}" "${text_zh}" "${WQLAB_FONT_SOURCE}"
    COMMENT "Subsetting the browser UI font" VERBATIM)
  list(APPEND site_files "${WQLAB_SITE_DIR}/fonts/wqlab-ui.ttf")
  set(font_license "/usr/share/doc/fonts-wqy-microhei/copyright")
  if(EXISTS "${font_license}")
    wqlab_stage_file("${font_license}" fonts/wqlab-ui.LICENSE.txt)
  endif()
else()
  message(WARNING "No python3 with fontTools (python3-fonttools) or no ${WQLAB_FONT_SOURCE}: "
    "the browser build uses ImGui's built-in bitmap font.")
endif()

add_custom_target(wqlab_site ALL DEPENDS ${site_files})
add_dependencies(wqlab_site wqlab)
