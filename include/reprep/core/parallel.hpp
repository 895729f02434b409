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

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
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
// the same bits for any thread count (component/numeric_component.hpp). A rank-based fit
// (RobustScaler, a median, quantile bins) selects its columns' ranks on threads instead,
// a block of columns each: a rank's key is one integer whichever thread finds it. Any
// other component fits on the calling thread, whatever n_jobs says.
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

// Every thread reprep has started for row blocks, in this process: tests read it to
// see that a Pipeline::Workspace starts its threads once, not per batch.
inline std::atomic<std::uint64_t>& threads_started() {
    static std::atomic<std::uint64_t> n{0};
    return n;
}

// The row range of block b of `blocks` over [0, rows): blocks differ by at most one row.
inline std::size_t block_begin(std::size_t rows, std::size_t b, std::size_t blocks) { return rows * b / blocks; }

// Threads that persist from one for_row_blocks call to the next: a serving loop
// (Pipeline::transform_into with a Workspace) would otherwise start and join its threads
// for every step of every batch, and std::thread allocates its state each time. The
// pool holds `workers` threads waiting on a condition variable; run() hands block b
// (b >= 1) to worker b and runs block 0 on the calling thread, as for_row_blocks does,
// so the blocks and their bits are the same as with threads of their own. Nothing is
// allocated per run: the errors live in a vector sized at construction.
//
// One owner thread calls run() at a time (a Workspace is not shared); the workers only
// ever read the job under the mutex, and write the rows and error of their own block.
// Both sides spin briefly before they sleep: a pipeline's steps follow one another
// within microseconds, and a wake-up through the condition variable costs tens of them.
class WorkerPool {
public:
    explicit WorkerPool(std::size_t workers) : errors_(workers + 1) {
        threads_.reserve(workers);
        try {
            for (std::size_t w = 1; w <= workers; ++w) {
                threads_.emplace_back([this, w] { work(w); });
                threads_started().fetch_add(1, std::memory_order_relaxed);
            }
        } catch (...) {
            stop();  // the threads already started end before the error leaves
            throw;
        }
    }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool() { stop(); }

    std::size_t workers() const { return threads_.size(); }
    // Whether run(rows, threads, ...) can use this pool now: enough workers, and no run
    // in progress (a block that itself asks for row blocks gets threads of its own).
    bool can_run(std::size_t threads) const { return !busy_ && threads >= 2 && threads - 1 <= threads_.size(); }

    // fn on block b of `threads` over [0, rows), for every b; returns when all are done
    // and rethrows the exception of the first failing block in row order.
    void run(std::size_t rows, std::size_t threads, RowBlockFn fn) {
        busy_ = true;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            job_ = &fn;
            rows_ = rows;
            blocks_ = threads;
            pending_.store(threads - 1, std::memory_order_relaxed);
            generation_.fetch_add(1, std::memory_order_release);
        }
        work_.notify_all();
        run_block(0, fn, rows, threads);
        // pending_ reaching 0 (acquire) makes the workers' rows and errors visible here.
        for (int s = 0; s < kSpin && pending_.load(std::memory_order_acquire) != 0; ++s) cpu_relax();
        if (pending_.load(std::memory_order_acquire) != 0) {
            std::unique_lock<std::mutex> lock(mutex_);
            done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
        }
        busy_ = false;
        for (std::size_t b = 0; b < threads; ++b)
            if (errors_[b]) {
                std::exception_ptr e = std::move(errors_[b]);
                for (auto& x : errors_) x = nullptr;
                std::rethrow_exception(e);
            }
    }

private:
    void run_block(std::size_t b, RowBlockFn fn, std::size_t rows, std::size_t blocks) {
        try {
            fn(block_begin(rows, b, blocks), block_begin(rows, b + 1, blocks));
        } catch (...) {
            errors_[b] = std::current_exception();  // read by run() after pending_ reached 0
        }
    }

    void work(std::size_t w) {
        std::uint64_t seen = 0;
        for (;;) {
            for (int s = 0; s < kSpin && generation_.load(std::memory_order_acquire) == seen &&
                            !stop_.load(std::memory_order_relaxed);
                 ++s)
                cpu_relax();
            std::unique_lock<std::mutex> lock(mutex_);
            work_.wait(lock, [&] { return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_relaxed) != seen; });
            if (stop_.load(std::memory_order_relaxed)) return;
            seen = generation_.load(std::memory_order_relaxed);
            if (w >= blocks_) continue;  // this job has fewer blocks than workers
            const RowBlockFn fn = *job_;
            const std::size_t rows = rows_, blocks = blocks_;
            lock.unlock();
            run_block(w, fn, rows, blocks);
            if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                // Under the mutex: the owner checks pending_ and sleeps under it, so the
                // notification cannot fall between its check and its wait.
                const std::lock_guard<std::mutex> done(mutex_);
                done_.notify_one();
            }
        }
    }

    static void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        asm volatile("yield");
#endif
    }
    static constexpr int kSpin = 4000;  // pauses (tens of microseconds) before sleeping

    void stop() {
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            stop_.store(true, std::memory_order_relaxed);
        }
        work_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

    std::mutex mutex_;
    std::condition_variable work_, done_;
    const RowBlockFn* job_ = nullptr;  // run()'s fn, alive until every block of its job is done
    std::size_t rows_ = 0, blocks_ = 0;
    std::atomic<std::size_t> pending_{0};        // blocks of the current job still running on workers
    std::atomic<std::uint64_t> generation_{0};  // jobs handed out; changed under the mutex
    std::atomic<bool> stop_{false};
    bool busy_ = false;  // the owner thread's only
    std::vector<std::exception_ptr> errors_;
    std::vector<std::thread> threads_;
};

// The pool for_row_blocks uses on this thread, while a PoolScope is alive (null: none).
inline WorkerPool*& current_pool() {
    thread_local WorkerPool* pool = nullptr;
    return pool;
}
// Makes `pool` this thread's pool for its lifetime (Pipeline::transform_into).
class PoolScope {
public:
    explicit PoolScope(WorkerPool* pool) : saved_(current_pool()) { current_pool() = pool; }
    PoolScope(const PoolScope&) = delete;
    PoolScope& operator=(const PoolScope&) = delete;
    ~PoolScope() { current_pool() = saved_; }

private:
    WorkerPool* saved_;
};

// Calls fn(begin, end) on `threads` contiguous row ranges that cover [0, rows): the
// first on the calling thread, the others on threads of their own (or the workers of
// this thread's WorkerPool, when a PoolScope set one), and returns when all have
// finished. Blocks differ in size by at most one row. If blocks throw, the exception of
// the first such block (in row order) is rethrown, whatever the timing.
inline void for_row_blocks(std::size_t rows, std::size_t threads, RowBlockFn fn) {
    if (threads > rows) threads = rows;
    if (threads <= 1) {
        fn(std::size_t{0}, rows);
        return;
    }
    if (WorkerPool* pool = current_pool(); pool && pool->can_run(threads)) {
        pool->run(rows, threads, fn);
        return;
    }
    std::vector<std::exception_ptr> errors(threads);
    auto run = [&](std::size_t b) {
        try {
            fn(block_begin(rows, b, threads), block_begin(rows, b + 1, threads));
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
        for (std::size_t b = 1; b < threads; ++b) {
            pool.emplace_back(run, b);
            threads_started().fetch_add(1, std::memory_order_relaxed);
        }
        run(0);
    }  // the threads join here
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace detail
}  // namespace reprep
