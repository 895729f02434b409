# Cross toolchain for the s390x configuration of the reproducibility matrix: Debian's
# g++-s390x-linux-gnu, run under qemu-user. s390x (IBM Z) is big-endian, so this is
# the configuration that proves every hash, fingerprint, keyed Rng stream and saved
# artifact is defined on little-endian canonical bytes rather than on the host's
# memory layout. It also has a fused multiply-add instruction that GCC contracts into
# by default, like aarch64. The shared part is in cross-linux-gnu.cmake.
set(_reprep_cross_arch s390x)
include("${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake")
