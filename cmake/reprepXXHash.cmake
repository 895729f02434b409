# reprep uses XXH3 header-only (XXH_INLINE_ALL), so only xxhash.h is needed.
if(NOT TARGET reprep::xxhash)
  find_path(REPREP_XXHASH_INCLUDE_DIR xxhash.h REQUIRED
            DOC "Directory holding xxhash.h (Debian: libxxhash-dev)")
  add_library(reprep::xxhash INTERFACE IMPORTED GLOBAL)
  set_target_properties(reprep::xxhash PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${REPREP_XXHASH_INCLUDE_DIR}")
endif()
