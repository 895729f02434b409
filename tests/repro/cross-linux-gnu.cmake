# The part of the cross toolchains that every emulated configuration of the
# reproducibility matrix shares. A toolchain file (aarch64-linux-gnu.cmake,
# s390x-linux-gnu.cmake) sets _reprep_cross_arch to the Debian triplet's CPU and
# includes this file: Debian's g++-<arch>-linux-gnu, run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${_reprep_cross_arch})
set(CMAKE_CXX_COMPILER ${_reprep_cross_arch}-linux-gnu-g++)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${_reprep_cross_arch} -L /usr/${_reprep_cross_arch}-linux-gnu)

# Libraries come from the target's sysroot; CMake package files (Eigen, doctest) and
# programs from the host, since Eigen, xxhash and doctest are header-only and
# arch-independent.
set(CMAKE_FIND_ROOT_PATH /usr/${_reprep_cross_arch}-linux-gnu)
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
