# The core (include/merit/*.hpp except the umbrella merit.hpp) knows no file
# format: it includes neither a reader or writer of files (<merit/io/...>) nor
# the JSON library (<nlohmann/...>). Formats live in include/merit/io/.
#   cmake -DROOT=<source dir> -P core_knows_no_format.cmake
include(${CMAKE_CURRENT_LIST_DIR}/scan.cmake)
if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<merit source dir>")
endif()
file(GLOB headers ${ROOT}/include/merit/*.hpp)
if(NOT headers)
  message(FATAL_ERROR "no core headers under ${ROOT}/include/merit")
endif()
set(findings "")
foreach(h IN LISTS headers)
  get_filename_component(name ${h} NAME)
  if(name STREQUAL "merit.hpp")
    continue()
  endif()
  scan_lines(${h} "^[ \t]*#[ \t]*include[ \t]*[<\"](merit/io/|nlohmann/)" findings)
endforeach()
report("${findings}" "a core header (include/merit/*.hpp but merit.hpp) must not include <merit/io/...> or <nlohmann/...>")
