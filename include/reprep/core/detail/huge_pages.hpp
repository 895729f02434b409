// A hint that the kernel may back a large buffer with transparent huge pages. read_csv
// fills buffers of a hundred megabytes (the file's bytes, one vector per column) that are
// touched once, front to back: with 4 KB pages, faulting them in was a quarter of reading
// a 100 MB numeric CSV (perf: page faults under the zero-fill and the column stores); one
// 2 MB page takes the place of 512 faults. Only where Linux offers MADV_HUGEPAGE (which
// applies when /sys/kernel/mm/transparent_hugepage/enabled is "madvise" or "always");
// elsewhere, or if the call fails, nothing changes. Contents and results never depend on it.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__) && __has_include(<sys/mman.h>) && __has_include(<unistd.h>)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace reprep::detail {

// Advises the whole pages inside [p, p + bytes) when they span at least one huge page;
// call it before the memory is first written, so that the first touches fault huge pages.
inline void advise_huge_pages([[maybe_unused]] const void* p, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE) && __has_include(<sys/mman.h>) && __has_include(<unistd.h>)
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    if (bytes < 2 * kHuge) return;  // small buffers gain nothing worth a system call
    static const std::size_t page = [] {
        const long s = sysconf(_SC_PAGESIZE);
        return s > 0 ? static_cast<std::size_t>(s) : std::size_t{4096};
    }();
    const auto begin = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (begin + page - 1) / page * page;
    const std::uintptr_t last = (begin + bytes) / page * page;
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#endif
}

}  // namespace reprep::detail
