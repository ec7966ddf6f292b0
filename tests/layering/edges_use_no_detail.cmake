# detail:: is the library's private namespace: the edges (the CLI, the C ABI,
# the Python bindings) use the public API only. Exempt for now: the pool
# engine's files, which are moving into the library (src/pool/); drop them
# from EXEMPT once they have moved.
#   cmake -DROOT=<source dir> -P edges_use_no_detail.cmake
include(${CMAKE_CURRENT_LIST_DIR}/scan.cmake)
if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<merit source dir>")
endif()
set(EXEMPT src/cli/score_stream.cpp src/cli/pool.cpp)
set(files "")
foreach(dir src/cli src/capi bindings)
  file(GLOB_RECURSE found ${ROOT}/${dir}/*.cpp ${ROOT}/${dir}/*.hpp ${ROOT}/${dir}/*.c ${ROOT}/${dir}/*.h)
  list(APPEND files ${found})
endforeach()
if(NOT files)
  message(FATAL_ERROR "no edge sources under ${ROOT}")
endif()
set(findings "")
foreach(f IN LISTS files)
  file(RELATIVE_PATH rel ${ROOT} ${f})
  if(rel IN_LIST EXEMPT)
    continue()
  endif()
  scan_lines(${f} "detail::" findings)
endforeach()
report("${findings}" "an edge (src/cli, src/capi, bindings) must not use detail::, the library's private namespace")
