# compose_transform_into counts malloc-family calls as well as operator new, as
# compose_row_allocations does (the same linker --wrap, row_allocations.cmake).
include("${CMAKE_CURRENT_LIST_DIR}/row_allocations.cmake")
