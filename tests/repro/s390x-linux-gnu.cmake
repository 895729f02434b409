# Cross toolchain for the s390x configuration of the reproducibility matrix: Debian's
# g++-s390x-linux-gnu, run under qemu-user. s390x (IBM Z) is big-endian, so this is
# the configuration that proves every hash, fingerprint, keyed Rng stream and saved
# artifact is defined on little-endian canonical bytes rather than on the host's
# memory layout. It also has a fused multiply-add instruction that GCC contracts into
# by default, like aarch64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-s390x -L /usr/s390x-linux-gnu)

# Libraries come from the s390x sysroot; CMake package files (Eigen, doctest) and
# programs from the host, since Eigen, xxhash and doctest are header-only and
# arch-independent.
set(CMAKE_FIND_ROOT_PATH /usr/s390x-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# xxhash.h lives in the host's /usr/include. Putting that directory on the cross
# compiler's include path would let the host's glibc headers shadow the sysroot's,
# so the header is linked into a directory of its own.
if(CMAKE_BINARY_DIR AND EXISTS /usr/include/xxhash.h)
  set(_reprep_xxhash_dir "${CMAKE_BINARY_DIR}/repro-xxhash-include")
  if(NOT EXISTS "${_reprep_xxhash_dir}/xxhash.h")
    file(MAKE_DIRECTORY "${_reprep_xxhash_dir}")
    file(CREATE_LINK /usr/include/xxhash.h "${_reprep_xxhash_dir}/xxhash.h" COPY_ON_ERROR SYMBOLIC)
  endif()
  set(REPREP_XXHASH_INCLUDE_DIR "${_reprep_xxhash_dir}" CACHE PATH "Directory holding xxhash.h")
endif()
