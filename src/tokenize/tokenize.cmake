# Build-time inputs of cg_tokenize, included by the top-level CMakeLists.txt right after
# cg_module(tokenize ...). `npm ci` installs the pinned package of third_party/tokenizer into this
# build directory (never into the source tree, so build directories do not race), then
# gen/gen_tables.mjs turns its BPE ranks and node's Unicode tables into binary files that the
# generated tables_blob.cpp links in with .incbin. With tests, gen/gen_reference.mjs writes the
# reference token ids that unit_tokenize compares against. Each step reruns only when its inputs
# (scripts, package manifests, the node binary) change.
find_program(CG_NODE node)
find_program(CG_NPM npm)
if(NOT CG_NODE OR NOT CG_NPM)
  message(FATAL_ERROR "cg_tokenize needs node and npm to build: run scripts/install-deps.sh")
endif()

set(CG_TOK_GEN ${CG_SRC}/tokenize/gen)
set(CG_TOK_OUT ${CMAKE_BINARY_DIR}/tokenize)
set(CG_TOK_NPM ${CG_TOK_OUT}/npm)

configure_file(${CMAKE_SOURCE_DIR}/third_party/tokenizer/package.json ${CG_TOK_NPM}/package.json
  COPYONLY)
configure_file(${CMAKE_SOURCE_DIR}/third_party/tokenizer/package-lock.json
  ${CG_TOK_NPM}/package-lock.json COPYONLY)
add_custom_command(
  OUTPUT ${CG_TOK_NPM}/npm-ci.stamp
  COMMAND ${CG_NPM} ci --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${CG_TOK_NPM}/npm-ci.stamp
  DEPENDS ${CG_TOK_NPM}/package.json ${CG_TOK_NPM}/package-lock.json
  WORKING_DIRECTORY ${CG_TOK_NPM}
  COMMENT "npm ci: tokenizer tables package"
  VERBATIM)

set(CG_TOK_TABLES ${CG_TOK_OUT}/o200k_base.bin ${CG_TOK_OUT}/cl100k_base.bin
  ${CG_TOK_OUT}/unicode.bin)
add_custom_command(
  OUTPUT ${CG_TOK_OUT}/tables_blob.cpp ${CG_TOK_TABLES}
  COMMAND ${CG_NODE} ${CG_TOK_GEN}/gen_tables.mjs ${CG_TOK_NPM}/node_modules ${CG_TOK_OUT}
  DEPENDS ${CG_TOK_GEN}/gen_tables.mjs ${CG_TOK_NPM}/npm-ci.stamp ${CG_NODE}
  COMMENT "Generating tokenizer tables"
  VERBATIM)
target_sources(cg_tokenize PRIVATE ${CG_TOK_OUT}/tables_blob.cpp)
set_source_files_properties(${CG_TOK_OUT}/tables_blob.cpp PROPERTIES
  OBJECT_DEPENDS "${CG_TOK_TABLES}")

if(TARGET unit_tokenize)
  add_custom_command(
    OUTPUT ${CG_TOK_OUT}/reference.bin
    COMMAND ${CG_NODE} ${CG_TOK_GEN}/gen_reference.mjs ${CG_TOK_NPM}/node_modules
      ${CG_TOK_OUT}/reference.bin
    DEPENDS ${CG_TOK_GEN}/gen_reference.mjs ${CG_TOK_GEN}/corpus.mjs ${CG_TOK_NPM}/npm-ci.stamp
      ${CG_NODE}
    COMMENT "Encoding the tokenizer test corpus with the reference tiktoken"
    VERBATIM)
  add_custom_target(tokenize_reference DEPENDS ${CG_TOK_OUT}/reference.bin)
  add_dependencies(unit_tokenize tokenize_reference)
  target_compile_definitions(unit_tokenize PRIVATE
    CG_TOKENIZE_REFERENCE="${CG_TOK_OUT}/reference.bin")
endif()
