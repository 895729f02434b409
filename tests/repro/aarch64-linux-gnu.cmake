# Cross toolchain for the aarch64 configuration of the reproducibility matrix:
# Debian's g++-aarch64-linux-gnu, run under qemu-user. aarch64 compilers fuse a*b+c
# into fmadd by default, so this configuration is where reprep's -ffp-contract=off
# interface option earns its keep. The shared part is in cross-linux-gnu.cmake.
set(_reprep_cross_arch aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/cross-linux-gnu.cmake")
