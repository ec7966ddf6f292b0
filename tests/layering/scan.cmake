cmake_minimum_required(VERSION 3.16)
# Shared by the layering checks: scan_lines(<file> <regex> <out-var>) appends
# "<path from ROOT>:<line>: <text>" to <out-var> for each line of <file> matching <regex>.
# Lines are split by hand (not file(STRINGS)) so that ';', '[' and ']' in the
# source cannot merge or split lines and put the line numbers off.
function(scan_lines file regex out)
  file(READ "${file}" text)
  string(REPLACE ";" "<semicolon>" text "${text}")
  string(REPLACE "[" "<lbracket>" text "${text}")
  string(REPLACE "]" "<rbracket>" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(found ${${out}})
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(line MATCHES "${regex}")
      string(STRIP "${line}" shown)
      file(RELATIVE_PATH rel "${ROOT}" "${file}")
      list(APPEND found "${rel}:${n}: ${shown}")
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# Prints each finding and fails the test when there is any.
function(report findings rule)
  if(findings)
    list(LENGTH findings count)
    foreach(f IN LISTS findings)
      # the line's own ';', '[' and ']' were kept out of the list; put them back
      string(REPLACE "<semicolon>" ";" f "${f}")
      string(REPLACE "<lbracket>" "[" f "${f}")
      string(REPLACE "<rbracket>" "]" f "${f}")
      message("${f}")
    endforeach()
    message(FATAL_ERROR "${count} violation(s) of: ${rule}")
  endif()
endfunction()
