# bad_input_archive runs under ASan at -O0 in the dev tree, where its bit-flip sweep
# takes every 16th byte (it re-hashes the artifact per flip, so a full sweep is
# quadratic and too slow there). This second build of the same file, without
# sanitizers, keeps the promise of the full sweep: every byte of every kind. It is built
# at -O0: with Clang 14 that compiles in 10 s of CPU against 49 s at -O1 and runs the
# sweep in about 7 s against 3 s.
# The quick preset turns it off: its loop is about time, and CI runs the full sweep.
option(REPREP_FULL_ARCHIVE_SWEEP "Build the every-byte archive sweep when the tests are sanitized or at -O0" ON)
if(REPREP_FULL_ARCHIVE_SWEEP AND REPREP_TEST_FLAGS MATCHES "sanitize|-O0")
  add_library(reprep_test_main_plain OBJECT "${CMAKE_CURRENT_LIST_DIR}/../test_main.cpp")
  target_link_libraries(reprep_test_main_plain PUBLIC reprep::reprep doctest::doctest reprep_warnings)
  add_executable(bad_input_archive_every_byte "${CMAKE_CURRENT_LIST_DIR}/test_archive.cpp")
  target_link_libraries(bad_input_archive_every_byte PRIVATE reprep_test_main_plain)
  target_compile_options(bad_input_archive_every_byte PRIVATE -O0)
  target_compile_definitions(bad_input_archive_every_byte PRIVATE REPREP_ARCHIVE_EVERY_BYTE
    REPREP_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    REPREP_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    REPREP_GOLDEN_DIR="${PROJECT_SOURCE_DIR}/tests/golden")
  add_test(NAME bad_input_archive_every_byte COMMAND bad_input_archive_every_byte --no-intro=true)
elseif(REPREP_TEST_FLAGS MATCHES "sanitize|-O0")
  reprep_skipped_test(bad_input_archive_every_byte
    "REPREP_FULL_ARCHIVE_SWEEP is OFF: bad_input_archive flips bits in every 16th byte only")
endif()
