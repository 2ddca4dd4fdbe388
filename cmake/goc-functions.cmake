# goc-functions.cmake - build .goc sources from CMake.  Included by
# gocConfig.cmake (installed package) and goc-intree.cmake (goc's own
# build); needs the goc::goc, goc::runtime and goc::runtime_static targets
# and the global property GOC_RUNTIME_HEADERS.
#
# Each .goc file becomes <binary dir>/goc/<target>/<path>.c through a custom
# command that depends on the .goc file, the goc binary, the runtime headers
# and the dependency file goc writes (every header the .goc includes), and
# that sees the target's include directories and compile definitions.
# The generated C is compiled with -fstack-clash-protection when the C
# compiler takes it.

# goc_target_sources(<target> [SHARED_RUNTIME] [GOCFLAGS <flags>...] <files.goc>...)
function(goc_target_sources target)
  cmake_parse_arguments(PARSE_ARGV 1 _goc "SHARED_RUNTIME" "" "GOCFLAGS")
  set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(inc_flags "$<$<BOOL:${incs}>:-I$<JOIN:${incs},;-I>>")
  set(def_flags "$<$<BOOL:${defs}>:-D$<JOIN:${defs},;-D>>")
  get_property(headers GLOBAL PROPERTY GOC_RUNTIME_HEADERS)
  # Probe large frames page by page so that a coroutine stack overflow
  # always hits the guard region (as goc build does).
  include(CheckCCompilerFlag)
  check_c_compiler_flag(-fstack-clash-protection GOC_STACK_CLASH_PROTECTION)
  foreach(src IN LISTS _goc_UNPARSED_ARGUMENTS)
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    file(RELATIVE_PATH rel ${CMAKE_CURRENT_SOURCE_DIR} "${abs}")
    string(REPLACE "../" "__/" rel "${rel}")
    string(REGEX REPLACE "\\.goc$" "" rel "${rel}")
    set(out ${CMAKE_CURRENT_BINARY_DIR}/goc/${target}/${rel}.c)
    get_filename_component(outdir "${out}" DIRECTORY)
    file(MAKE_DIRECTORY "${outdir}")
    add_custom_command(OUTPUT "${out}"
      COMMAND goc::goc ${_goc_GOCFLAGS} "${inc_flags}" "${def_flags}"
              -MD -MF "${out}.d" "${abs}" -o "${out}"
      DEPENDS "${abs}" "$<TARGET_FILE:goc::goc>" ${headers}
      DEPFILE "${out}.d"
      COMMAND_EXPAND_LISTS VERBATIM
      COMMENT "goc ${src}")
    target_sources(${target} PRIVATE "${out}")
    if(GOC_STACK_CLASH_PROTECTION)
      set_property(SOURCE "${out}" APPEND PROPERTY COMPILE_OPTIONS
                   -fstack-clash-protection)
    endif()
  endforeach()
  if(_goc_SHARED_RUNTIME)
    target_link_libraries(${target} PRIVATE goc::runtime)
  else()
    target_link_libraries(${target} PRIVATE goc::runtime_static)
  endif()
endfunction()

# goc_add_executable(<name> [SHARED_RUNTIME] [GOCFLAGS <flags>...] <sources>...)
# Sources may mix .goc with .c, headers and anything add_executable takes.
function(goc_add_executable name)
  cmake_parse_arguments(PARSE_ARGV 1 _goc "SHARED_RUNTIME" "" "GOCFLAGS")
  set(goc_sources)
  set(other_sources)
  foreach(src IN LISTS _goc_UNPARSED_ARGUMENTS)
    if(src MATCHES "\\.goc$")
      list(APPEND goc_sources "${src}")
    else()
      list(APPEND other_sources "${src}")
    endif()
  endforeach()
  add_executable(${name} ${other_sources})
  set(shared)
  if(_goc_SHARED_RUNTIME)
    set(shared SHARED_RUNTIME)
  endif()
  goc_target_sources(${name} ${shared} ${goc_sources} GOCFLAGS ${_goc_GOCFLAGS})
endfunction()
