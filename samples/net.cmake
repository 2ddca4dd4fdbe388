# The network samples: each is built with goc and checked over loopback by
# tests/io/net_sample.sh with real clients (netcheck, wrk, fetch_client).
# Included from samples/CMakeLists.txt.
set(GOC_NET_SAMPLE ${PROJECT_SOURCE_DIR}/tests/io/net_sample.sh)
foreach(pair echo_server:echo http_server:http fetch_client:fetch
             chat_server:chat)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 name)
  list(GET pair 1 mode)
  add_test(NAME sample.${name}
    COMMAND ${GOC_NET_SAMPLE} ${mode} ${CMAKE_CURRENT_BINARY_DIR}/work-net
            $<TARGET_FILE:netcheck> $<TARGET_FILE:goc>
            ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(sample.${name} PROPERTIES LABELS "samples;io"
    TIMEOUT 60)
  if(TARGET goc_pollbackend) # the same, linked with the poll(2) backend
    add_test(NAME sample.${name}.poll
      COMMAND ${GOC_NET_SAMPLE} ${mode} ${CMAKE_CURRENT_BINARY_DIR}/work-net-poll
              $<TARGET_FILE:netcheck> $<TARGET_FILE:goc>
              ${CMAKE_CURRENT_SOURCE_DIR})
    set_tests_properties(sample.${name}.poll PROPERTIES LABELS "samples;io"
      TIMEOUT 60 ENVIRONMENT
      "GOC_SAMPLE_LIB=$<TARGET_FILE:goc_pollbackend>;GOC_SAMPLE_INC=${PROJECT_SOURCE_DIR}/runtime")
  endif()
  foreach(cc ${GOC_SAMPLE_CCS})
    get_filename_component(ccname ${cc} NAME)
    add_test(NAME sample.${name}.warn.${ccname}
      COMMAND ${PROJECT_SOURCE_DIR}/tests/lang/run_test.sh $<TARGET_FILE:goc>
              warn ${CMAKE_CURRENT_SOURCE_DIR}/${name}.goc ${WORK} ${cc})
    set_tests_properties(sample.${name}.warn.${ccname} PROPERTIES
      LABELS "samples" TIMEOUT 60)
  endforeach()
endforeach()
