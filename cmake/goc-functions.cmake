# goc-functions.cmake - build .goc sources from CMake.  Included by
# gocConfig.cmake (installed package) and goc-intree.cmake (goc's own
# build); needs the goc::goc, goc::runtime and goc::runtime_static targets
# and the global property GOC_RUNTIME_HEADERS.
#
# Each .goc file becomes <binary dir>/goc/<target>/<path>.c through a custom
# command that depends on the .goc file, the goc binary, the runtime headers
# and the dependency file goc writes (every header the .goc includes).  goc
# preprocesses as the target's C sources are compiled: with
# CMAKE_C_COMPILER, the target's C standard, include directories, compile
# definitions and compile options, and CMAKE_C_FLAGS with the flags of the
# configuration (NDEBUG...).  The target links the runtime; with
# -fsanitize=thread or =address in its options or CMAKE_C_FLAGS, the
# runtime built with that sanitizer.

# _goc_std_flag(<var> <target>): -std=gnuNN or cNN from the target's
# C_STANDARD and C_EXTENSIONS (default ON, as CMake's), as a generator
# expression; nothing when the target sets no standard.
function(_goc_std_flag var target)
  set(std "$<TARGET_PROPERTY:${target},C_STANDARD>")
  set(ext "$<TARGET_PROPERTY:${target},C_EXTENSIONS>")
  set(gnu "$<OR:$<STREQUAL:${ext},>,$<BOOL:${ext}>>")
  set(num "$<IF:$<STREQUAL:${std},23>,2x,${std}>")
  set(${var} "$<$<BOOL:${std}>:-std=$<IF:${gnu},gnu,c>${num}>" PARENT_SCOPE)
endfunction()

# _goc_c_flags(<var>): CMAKE_C_FLAGS and CMAKE_C_FLAGS_<CONFIG> as a list
# (a generator expression for the configuration's part).
function(_goc_c_flags var)
  separate_arguments(flags UNIX_COMMAND "${CMAKE_C_FLAGS}")
  foreach(config Debug Release RelWithDebInfo MinSizeRel)
    string(TOUPPER ${config} up)
    separate_arguments(cf UNIX_COMMAND "${CMAKE_C_FLAGS_${up}}")
    if(cf)
      string(REPLACE ";" "$<SEMICOLON>" cf "${cf}")
      list(APPEND flags "$<$<CONFIG:${config}>:${cf}>")
    endif()
  endforeach()
  set(${var} "${flags}" PARENT_SCOPE)
endfunction()

# _goc_link_runtime(<target> <shared>): run at the end of the directory, when
# the target's options are all known.
function(_goc_link_runtime target shared)
  get_target_property(opts ${target} COMPILE_OPTIONS)
  get_target_property(lopts ${target} LINK_OPTIONS)
  string(TOUPPER "${CMAKE_BUILD_TYPE}" up)
  set(all "${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${up}} ${opts} ${lopts}")
  if(all MATCHES "-fsanitize=[^ ;]*thread" AND TARGET goc::runtime_tsan)
    set(lib goc::runtime_tsan)
  elseif(all MATCHES "-fsanitize=[^ ;]*address" AND TARGET goc::runtime_asan)
    set(lib goc::runtime_asan)
  elseif(shared)
    set(lib goc::runtime)
  else()
    set(lib goc::runtime_static)
  endif()
  target_link_libraries(${target} PRIVATE ${lib})
endfunction()
# The generated C is compiled with -fstack-clash-protection when the C
# compiler takes it.

# goc_target_sources(<target> [SHARED_RUNTIME] [GOCFLAGS <flags>...] <files.goc>...)
function(goc_target_sources target)
  cmake_parse_arguments(PARSE_ARGV 1 _goc "SHARED_RUNTIME" "" "GOCFLAGS")
  set(incs "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defs "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(inc_flags "$<$<BOOL:${incs}>:-I$<JOIN:${incs},;-I>>")
  set(def_flags "$<$<BOOL:${defs}>:-D$<JOIN:${defs},;-D>>")
  set(opt_flags "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  _goc_std_flag(std_flag ${target})
  _goc_c_flags(c_flags)
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
      COMMAND goc::goc "--cc=${CMAKE_C_COMPILER}" ${c_flags} "${std_flag}"
              "${opt_flags}" ${_goc_GOCFLAGS} "${inc_flags}" "${def_flags}"
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
  set(shared 0)
  if(_goc_SHARED_RUNTIME)
    set(shared 1)
  endif()
  get_property(linked TARGET ${target} PROPERTY _GOC_RUNTIME_LINKED)
  if(NOT linked)
    set_property(TARGET ${target} PROPERTY _GOC_RUNTIME_LINKED 1)
    # DEFER evaluates its arguments when the call runs: bind them now.
    cmake_language(EVAL CODE
      "cmake_language(DEFER CALL _goc_link_runtime [[${target}]] ${shared})")
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
