# The generator of tests/golden/artifacts and of the fuzz seed corpora. It is built
# on demand only (not part of `all`), since the committed files must not change:
#   cmake --build build/dev --target make_artifacts
#   build/dev/tests/make_artifacts golden tests/golden/artifacts   # new kinds only
#   build/dev/tests/make_artifacts corpus tests/fuzz/corpus
if(NOT TARGET make_artifacts)
  add_executable(make_artifacts EXCLUDE_FROM_ALL "${PROJECT_SOURCE_DIR}/tests/golden/artifacts/make_artifacts.cpp")
  target_link_libraries(make_artifacts PRIVATE reprep::reprep reprep_warnings)
  target_compile_definitions(make_artifacts PRIVATE REPREP_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
endif()
