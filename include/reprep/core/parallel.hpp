// Threads for batch transforms, with output bits that do not depend on their number.
//
// A transform is row-local: the contract suite proves it for every component, since a
// single row through transform_row gives the bits of the same row in a batch. So the
// rows can be cut into blocks, each block transformed on its own thread, and every
// output value is computed by the same operations on the same inputs as with one
// thread. No value is combined across blocks; that is why the result is the same for
// any thread count, and why fit (which does combine) stays single-threaded here.
//
// The options follow scikit-learn's n_jobs: 1 (the default) runs on the calling thread,
// -1 uses every hardware thread, k > 1 uses k threads (never more than there are rows).
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "error.hpp"

namespace reprep {

struct TransformOptions {
    int n_jobs = 1;  // threads for one batch transform: 1, k > 1, or -1 (all hardware threads)
};

// Threads for one fit. Only a component whose statistics merge exactly (a mergeable
// Accumulator: exact moments, exact value sets) fits on threads: each thread fills an
// accumulator from a block of rows, and the blocks merge exactly, so the fitted state is
// the same bits for any thread count (component/numeric_component.hpp). Any other
// component fits on the calling thread, whatever n_jobs says.
struct FitOptions {
    int n_jobs = 1;  // threads for one fit: 1, k > 1, or -1 (all hardware threads)
};

namespace detail {

// The thread count n_jobs asks for; InvalidParameter (naming `component`) for 0 or
// anything below -1.
inline std::size_t thread_count(int n_jobs, const char* component) {
    if (n_jobs >= 1) return static_cast<std::size_t>(n_jobs);
    if (n_jobs == -1) {
        const unsigned hw = std::thread::hardware_concurrency();
        return hw == 0 ? 1 : hw;  // 0 means "unknown": run on the calling thread
    }
    fail<InvalidParameter>({.component = component,
                            .problem = "n_jobs = " + std::to_string(n_jobs),
                            .fix = "use 1 (one thread, the default), a thread count k > 1, or -1 for every hardware thread",
                            .parameter = "n_jobs"});
}

// A non-owning reference to a callable fn(begin, end): for_row_blocks takes one, so
// its thread machinery is compiled once per unit, not once per component kind (every
// kind's transform_into calls it, in double and float).
class RowBlockFn {
public:
    // Refers to f, which must outlive the call it is passed to (a lambda written in the
    // call's arguments does: it lives to the end of the full expression).
    template <class F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, RowBlockFn>)
    RowBlockFn(F&& f) noexcept  // implicit, like a function reference
        : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
          call_([](void* o, std::size_t b, std::size_t e) { (*static_cast<std::remove_reference_t<F>*>(o))(b, e); }) {}
    void operator()(std::size_t begin, std::size_t end) const { call_(obj_, begin, end); }

private:
    void* obj_;
    void (*call_)(void*, std::size_t, std::size_t);
};

// Calls fn(begin, end) on `threads` contiguous row ranges that cover [0, rows): the
// first on the calling thread, the others on threads of their own, and returns when
// all have finished. Blocks differ in size by at most one row. If blocks throw, the
// exception of the first such block (in row order) is rethrown, whatever the timing.
inline void for_row_blocks(std::size_t rows, std::size_t threads, RowBlockFn fn) {
    if (threads > rows) threads = rows;
    if (threads <= 1) {
        fn(std::size_t{0}, rows);
        return;
    }
    std::vector<std::exception_ptr> errors(threads);
    auto run = [&](std::size_t b) {
        const std::size_t begin = rows * b / threads, end = rows * (b + 1) / threads;
        try {
            fn(begin, end);
        } catch (...) {
            errors[b] = std::current_exception();
        }
    };
    {
        // std::thread joined by a guard, not std::jthread: libc++ 14 (the matrix's
        // clang-libcxx configuration) has no jthread. The guard also joins the threads
        // already started if starting another one throws.
        std::vector<std::thread> pool;
        pool.reserve(threads - 1);
        struct JoinAll {
            std::vector<std::thread>& started;
            ~JoinAll() {
                for (auto& t : started)
                    if (t.joinable()) t.join();
            }
        } join_all{pool};
        for (std::size_t b = 1; b < threads; ++b) pool.emplace_back(run, b);
        run(0);
    }  // the threads join here
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace detail
}  // namespace reprep
