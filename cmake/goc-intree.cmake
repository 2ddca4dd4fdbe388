# goc-intree.cmake - the package's targets and functions inside goc's own
# build, for goc's tests and for projects that add goc with
# add_subdirectory() or FetchContent:
#   goc::goc, goc::runtime, goc::runtime_static, goc::runtime_tsan and
#   goc::runtime_asan (when built),
#   goc_add_executable(), goc_target_sources().
# Include it from any directory after compiler/ and runtime/.
include_guard(GLOBAL)

add_executable(goc::goc ALIAS goc)
add_library(goc::runtime ALIAS goc_shared)
add_library(goc::runtime_static ALIAS goc_static)
if(TARGET goc_tsan)
  add_library(goc::runtime_tsan ALIAS goc_tsan)
  add_library(goc::runtime_asan ALIAS goc_rt_asan)
endif()
set_property(GLOBAL PROPERTY GOC_RUNTIME_HEADERS ${PROJECT_SOURCE_DIR}/runtime/goc.h)
include(${CMAKE_CURRENT_LIST_DIR}/goc-functions.cmake)
