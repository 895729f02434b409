# Cross toolchain for the aarch64 configuration of the reproducibility matrix:
# Debian's g++-aarch64-linux-gnu, run under qemu-user. aarch64 compilers fuse a*b+c
# into fmadd by default, so this configuration is where reprep's -ffp-contract=off
# interface option earns its keep.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)

# Libraries come from the aarch64 sysroot; CMake package files (Eigen, doctest) and
# programs from the host, since Eigen, xxhash and doctest are header-only and
# arch-independent.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
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
