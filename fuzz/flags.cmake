# Included by the top-level CMakeLists.txt when CG_FUZZ is ON, before any target exists: every
# library is compiled with libFuzzer's coverage instrumentation (-fsanitize=fuzzer-no-link) and
# ASan + UBSan (UB aborts, so the fuzzer reports it as a crash). The fuzz targets themselves add
# -fsanitize=fuzzer at link time (fuzz/CMakeLists.txt). Use a build directory of its own:
#   cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCG_FUZZ=ON -DCG_TESTS=OFF
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CG_FUZZ needs clang (libFuzzer): configure a separate build directory "
                      "with -DCMAKE_CXX_COMPILER=clang++ (Debian package clang)")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined
                    # GCC-only -Wno-* options of the top-level list.
                    -Wno-unknown-warning-option)
add_link_options(-fsanitize=address,undefined)

# Failed Boost assertions abort, except one known wrong assertion of Boost 1.81 (boost_assert.cpp).
add_compile_definitions(BOOST_ENABLE_ASSERT_HANDLER)
add_library(cg_fuzz_boost_assert STATIC ${CMAKE_CURRENT_LIST_DIR}/boost_assert.cpp)
link_libraries(cg_fuzz_boost_assert)
