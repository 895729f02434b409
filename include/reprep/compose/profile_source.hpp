// Profile::of(source, schema, combiner): the training profile of the rows a re-readable
// chunk source yields (on one process or, through the combiner, on many), in memory
// bounded by the columns' state rather than the rows, with the bytes Profile::of(X,
// schema) gives on the rows concatenated. Part of profile.hpp, which includes it at its
// end. Pipeline::fit(ChunkSource) records it (docs/distributed.md, "Pipelines").
//
// Every figure of a numeric column is an exact function of the multiset of its values,
// so each comes from a state that merges exactly:
//   pass 1         the row count; per numeric column its exact moments (count, NaNs,
//                  min, max, the exact sums behind mean and std) and the first pass of
//                  a multi-pass selection (core/multi_pass_selection.hpp); per
//                  categorical column its missing count and the count of every distinct
//                  value (memory O(distinct values), as the categorical encoders' fit)
//   passes 2..4    the selection's further passes, until the ranks numpy's 'linear'
//                  deciles read are settled (none when they settle in pass 1)
//   last pass      the count of values in each decile bin (skipped when no column has
//                  a value)
// Each pass's local state is canonical bytes that the combiner merges by integer
// addition (and, for categories, by the union of their counts), so every process ends
// with the same profile, whatever the split of the rows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../component/source_state.hpp"
#include "../core/archive.hpp"
#include "../core/chunk_source.hpp"
#include "../core/datetime.hpp"
#include "../core/moments.hpp"
#include "../core/multi_pass_selection.hpp"
#include "../core/quantile.hpp"
#include "../core/shard_combiner.hpp"
#include "../core/table.hpp"
#include "profile.hpp"

namespace reprep {

namespace detail {

// What pass 1 gathers about one schema column.
struct ProfileFirstColumn {
    ColumnMoments<double> moments{1};
    MultiPassSelection::Pass pass = MultiPassSelection{}.begin_pass();
    std::uint64_t missing = 0;                                 // categorical
    std::map<std::string, std::uint64_t, std::less<>> counts;  // categorical: per value
};

inline bool profiled_as_number(ColumnType t) { return t != ColumnType::categorical; }

// A chunk's column as the profile reads it: a numeric column itself, a datetime column
// as datetime_as_number (as Profile::of does).
inline std::span<const double> profile_values(const Table& t, const SchemaColumn& s, std::vector<double>& buffer) {
    if (s.type == ColumnType::numeric) return t.numeric(s.name);
    const auto ns = t.datetime(s.name);
    buffer.resize(ns.size());
    for (std::size_t i = 0; i < ns.size(); ++i) buffer[i] = datetime_as_number(ns[i]);
    return buffer;
}

inline std::string pack_profile_first(std::uint64_t rows, const std::vector<SchemaColumn>& schema,
                                      const std::vector<ProfileFirstColumn>& cols) {
    ArchiveWriter w;
    w.u64(rows);
    for (std::size_t j = 0; j < schema.size(); ++j) {
        const auto& c = cols[j];
        if (profiled_as_number(schema[j].type)) {
            c.moments.save(w);
            c.pass.save(w);
        } else {
            w.u64(c.missing);
            w.size(c.counts.size());
            for (const auto& [value, count] : c.counts) {
                w.str(value);
                w.u64(count);
            }
        }
    }
    return std::move(w).bytes();
}

inline std::vector<ProfileFirstColumn> unpack_profile_first(ArchiveReader& r, const std::vector<SchemaColumn>& schema,
                                                            std::uint64_t& rows) {
    rows = r.u64();
    std::vector<ProfileFirstColumn> cols(schema.size());
    for (std::size_t j = 0; j < schema.size(); ++j) {
        auto& c = cols[j];
        if (profiled_as_number(schema[j].type)) {
            c.moments = ColumnMoments<double>::load(r);
            c.pass = MultiPassSelection::Pass::load(r);
        } else {
            c.missing = r.u64();
            const std::size_t n = r.size(16);  // a value takes at least 16 bytes (its length, its count)
            for (std::size_t k = 0; k < n; ++k) {
                std::string value = r.str();
                c.counts[std::move(value)] = r.u64();
            }
        }
    }
    return cols;
}

// Pass 1 over this process's chunks.
inline std::string profile_first_local(const ChunkSource& source, const std::vector<SchemaColumn>& schema) {
    std::uint64_t rows = 0;
    std::vector<ProfileFirstColumn> cols(schema.size());
    std::vector<double> buffer;
    std::vector<std::uint64_t> per_code;
    source.for_each([&](const Table& t) {
        if (t.num_rows() == 0) return;  // an empty chunk may lack the columns
        rows += t.num_rows();
        for (std::size_t j = 0; j < schema.size(); ++j) {
            auto& c = cols[j];
            if (profiled_as_number(schema[j].type)) {
                const std::span<const double> v = profile_values(t, schema[j], buffer);
                c.moments.update(Eigen::Map<const Matrix<double>>(v.data(), static_cast<Eigen::Index>(v.size()), 1));
                c.pass.update(v);
            } else {
                const CategoricalColumn& col = t.categorical(schema[j].name);
                per_code.assign(col.dictionary.size(), 0);
                for (const std::int32_t code : col.codes) {
                    if (code < 0) ++c.missing;
                    else ++per_code[static_cast<std::size_t>(code)];
                }
                for (std::size_t k = 0; k < per_code.size(); ++k)
                    if (per_code[k] > 0) {
                        const auto it = c.counts.find(col.dictionary[k]);
                        if (it == c.counts.end()) c.counts.emplace(col.dictionary[k], per_code[k]);
                        else it->second += per_code[k];
                    }
            }
        }
    });
    return pack_profile_first(rows, schema, cols);
}

inline std::string merge_profile_first(std::string_view x, std::string_view y, const std::vector<SchemaColumn>& schema) {
    ArchiveReader rx(x, "profile pass"), ry(y, "profile pass");
    std::uint64_t nx = 0, ny = 0;
    auto a = unpack_profile_first(rx, schema, nx);
    const auto b = unpack_profile_first(ry, schema, ny);
    rx.expect_end();
    ry.expect_end();
    for (std::size_t j = 0; j < schema.size(); ++j) {
        if (profiled_as_number(schema[j].type)) {
            a[j].moments.merge(b[j].moments);
            a[j].pass.merge(b[j].pass);
        } else {
            a[j].missing += b[j].missing;
            for (const auto& [value, count] : b[j].counts) a[j].counts[value] += count;
        }
    }
    return pack_profile_first(nx + ny, schema, a);
}

inline std::string pack_bins(const std::vector<std::vector<std::uint64_t>>& bins) {
    ArchiveWriter w;
    w.size(bins.size());
    for (const auto& b : bins) w.u64s(b);
    return std::move(w).bytes();
}

inline std::vector<std::vector<std::uint64_t>> unpack_bins(std::string_view bytes) {
    ArchiveReader r(bytes, "profile bins");
    std::vector<std::vector<std::uint64_t>> bins(r.size(8));
    for (auto& b : bins) b = r.u64s();
    r.expect_end();
    return bins;
}

// The categorical figures from the counts per value, as profile_categorical makes them.
inline void profile_counts(ColumnProfile& c, std::uint64_t missing, const std::map<std::string, std::uint64_t, std::less<>>& counts) {
    c.missing = missing;
    std::vector<const std::pair<const std::string, std::uint64_t>*> order;
    for (const auto& e : counts)
        if (e.second > 0) order.push_back(&e);
    c.distinct = order.size();
    std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        if (a->second != b->second) return a->second > b->second;
        return bytes_less(a->first, b->first);
    });
    const std::size_t keep = std::min(order.size(), ColumnProfile::kMaxCategories);
    for (std::size_t r = 0; r < order.size(); ++r) {
        if (r < keep) {
            c.categories.push_back(order[r]->first);
            c.counts.push_back(order[r]->second);
        } else {
            c.other += order[r]->second;
        }
    }
}

}  // namespace detail

inline Profile Profile::of(const ChunkSource& source, const std::vector<SchemaColumn>& schema, const ShardCombiner& combiner) {
    using detail::profiled_as_number;
    const std::string first = combiner.combine(
        [&] { return detail::profile_first_local(source, schema); },
        [&](std::string_view x, std::string_view y) { return detail::merge_profile_first(x, y, schema); });
    std::uint64_t rows = 0;
    std::vector<detail::ProfileFirstColumn> cols;
    {
        ArchiveReader r(first, "profile pass");
        cols = detail::unpack_profile_first(r, schema, rows);
        r.expect_end();
    }

    // The numeric columns' deciles: the ranks profile_numeric's quantiles read.
    std::vector<double> qs;
    for (int k = 1; k <= 9; ++k) qs.push_back(k / 10.0);
    std::vector<std::size_t> numeric;  // schema indices of the columns profiled as numbers
    std::vector<MultiPassSelection> sel;
    std::vector<MultiPassSelection::Pass> pass;
    for (std::size_t j = 0; j < schema.size(); ++j) {
        if (!profiled_as_number(schema[j].type)) continue;
        numeric.push_back(j);
        sel.emplace_back();
        sel.back().end_pass(cols[j].pass);
        cols[j].pass = MultiPassSelection::Pass{};  // the selection keeps what it needs (a histogram per column)
        std::vector<std::size_t> ranks;
        for (double q : qs) quantile_ranks(static_cast<std::size_t>(sel.back().count()), q, QuantileMethod::linear, ranks);
        sel.back().request(ranks);
        pass.emplace_back();
    }
    // Later passes read the numeric columns whose ranks are not all settled.
    auto read_numbers = [&](auto&& visit) {
        std::vector<double> buffer;
        source.for_each([&](const Table& t) {
            if (t.num_rows() == 0) return;
            for (std::size_t i = 0; i < numeric.size(); ++i) visit(i, detail::profile_values(t, schema[numeric[i]], buffer));
        });
    };
    while (std::any_of(sel.begin(), sel.end(), [](const MultiPassSelection& s) { return !s.done(); })) {
        const std::string merged = combiner.combine(
            [&] {
                for (std::size_t i = 0; i < sel.size(); ++i)
                    pass[i] = sel[i].done() ? MultiPassSelection::Pass{} : sel[i].begin_pass();
                read_numbers([&](std::size_t i, std::span<const double> v) {
                    if (!sel[i].done()) pass[i].update(v);
                });
                return detail::pack_passes(pass);
            },
            [](std::string_view x, std::string_view y) { return detail::merge_later_passes(x, y); });
        ArchiveReader rm(merged, "profile pass");
        pass = detail::load_passes(rm);
        for (std::size_t i = 0; i < sel.size(); ++i)
            if (!sel[i].done()) sel[i].end_pass(pass[i]);
    }

    Profile p;
    std::vector<std::size_t> slot(schema.size(), 0);  // a numeric column's index in `numeric`
    for (std::size_t i = 0; i < numeric.size(); ++i) slot[numeric[i]] = i;
    for (std::size_t j = 0; j < schema.size(); ++j) {
        ColumnProfile c;
        c.name = schema[j].name;
        c.type = schema[j].type;
        c.count = rows;
        if (!profiled_as_number(c.type)) {
            detail::profile_counts(c, cols[j].missing, cols[j].counts);
        } else {
            // As profile_numeric, from the exact moments and the settled ranks.
            const auto& m = cols[j].moments;
            const MultiPassSelection& s = sel[slot[j]];
            c.missing = m.nan_count(0);
            const std::size_t n = static_cast<std::size_t>(s.count());
            if (n == 0) {
                c.min = c.max = c.mean = c.std = std::numeric_limits<double>::quiet_NaN();
                c.bins = {0};
            } else {
                c.min = m.min(0);
                c.max = m.max(0);
                c.mean = m.mean(0);
                c.std = std::sqrt(m.variance(0));
                std::vector<double> e;
                for (double q : qs) e.push_back(quantile_at(n, q, QuantileMethod::linear, [&](std::size_t r) { return s.at(r); }));
                detail::tidy_edges(e);
                c.edges = std::move(e);
                c.bins.assign(c.edges.size() + 1, 0);
            }
        }
        p.columns_.push_back(std::move(c));
    }

    // The bin counts, in one more pass once the edges are known.
    const bool any_values = std::any_of(sel.begin(), sel.end(), [](const MultiPassSelection& s) { return s.count() > 0; });
    if (any_values) {
        const auto bins = detail::unpack_bins(combiner.combine(
            [&] {
                std::vector<std::vector<std::uint64_t>> local(numeric.size());
                for (std::size_t i = 0; i < numeric.size(); ++i) local[i].assign(p.columns_[numeric[i]].bins.size(), 0);
                read_numbers([&](std::size_t i, std::span<const double> v) {
                    const ColumnProfile& c = p.columns_[numeric[i]];
                    for (const double x : v)
                        if (!std::isnan(x)) ++local[i][c.bin_of(x)];
                });
                return detail::pack_bins(local);
            },
            [](std::string_view x, std::string_view y) {
                auto a = detail::unpack_bins(x);
                const auto b = detail::unpack_bins(y);
                if (a.size() != b.size()) ArchiveReader(x, "profile bins").fail("two processes sent bins of different widths");
                for (std::size_t i = 0; i < a.size(); ++i) {
                    if (a[i].size() != b[i].size()) ArchiveReader(x, "profile bins").fail("two processes sent bins of different widths");
                    for (std::size_t k = 0; k < a[i].size(); ++k) a[i][k] += b[i][k];
                }
                return detail::pack_bins(a);
            }));
        for (std::size_t i = 0; i < numeric.size(); ++i)
            if (sel[i].count() > 0) p.columns_[numeric[i]].bins = bins.at(i);
    }
    return p;
}

inline Profile Profile::of(const ChunkSource& source, const std::vector<SchemaColumn>& schema) {
    return of(source, schema, LocalCombiner{});
}

}  // namespace reprep
