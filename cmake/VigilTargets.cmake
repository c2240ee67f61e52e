# Helpers that give every vigil module the same flags, layering and test wiring.
#
#   vigil_library(<folder> SOURCES a.cc b.cc DEPS vigil_base ...)
#     -> static library vigil_<folder>; headers are included as "<folder>/x.h" from src/.
#   vigil_test(<folder> SOURCES a_test.cc ... DEPS ... [LABEL unit|integration])
#     -> one gtest binary <folder>_test, discovered by ctest with the label.

set(VIGIL_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Werror)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND VIGIL_WARNINGS -Wno-maybe-uninitialized)
endif()

if(VIGIL_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(VIGIL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

function(vigil_apply_flags target)
  target_compile_options(${target} PRIVATE ${VIGIL_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()

function(vigil_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vigil_${folder} STATIC ${ARG_SOURCES})
  vigil_apply_flags(vigil_${folder})
  target_link_libraries(vigil_${folder} PUBLIC ${ARG_DEPS})
endfunction()

function(vigil_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  if(NOT VIGIL_TESTS)
    return()
  endif()
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name}_test ${ARG_SOURCES})
  vigil_apply_flags(${name}_test)
  target_include_directories(${name}_test PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name}_test
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS ${ARG_LABEL}
    TEST_PREFIX "${name}.")
endfunction()
