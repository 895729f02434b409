// reprep::Profile — what the training data looked like, per input column, recorded by
// Pipeline::fit so that a serving binary can tell when live data stops looking like it
// (monitor.hpp). Every figure is exact and independent of row order and chunking.
//
//   numeric column      count (rows), missing (NaN), exact min, max, mean, std
//                       (population, ddof = 0, correctly rounded from exact sums), the
//                       decile edges (numpy 'linear' quantiles at 0.1 ... 0.9 of the
//                       non-missing values, repeated edges merged) and the training count
//                       in each bin (-inf, e1], (e1, e2], ..., (e_last, +inf).
//   categorical column  count, missing, the 1,000 most frequent categories with their
//                       counts (count descending, ties by bytes ascending), the count of
//                       every other non-missing value ("other") and the number of
//                       distinct categories seen.
//
// The profile travels in the artifact's metadata (key "reprep.profile"), outside the
// fingerprint like the lineage: it describes the data, not the transformation. Its
// bytes start with their own version, so a later reprep can extend them; an artifact
// without the key (written before profiles existed) loads without a profile.
//
// Also here, as the other record of the training data: data_fingerprint(table), the
// order-independent lineage fingerprint of its rows.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../core/archive.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../core/matrix.hpp"
#include "../core/moments.hpp"
#include "../core/quantile.hpp"
#include "../core/table.hpp"
#include "row_plan.hpp"

namespace reprep {

class ChunkSource;
class ShardCombiner;

struct ColumnProfile {
    std::string name;
    ColumnType type = ColumnType::numeric;
    std::uint64_t count = 0;    // training rows
    std::uint64_t missing = 0;  // NaN (numeric) or missing (categorical)

    // Numeric columns (NaN statistics when every value is missing).
    double min = 0.0, max = 0.0, mean = 0.0, std = 0.0;
    std::vector<double> edges;         // distinct decile edges, ascending
    std::vector<std::uint64_t> bins;   // edges.size() + 1 counts; missing not included

    // Categorical columns.
    std::vector<std::string> categories;  // at most kMaxCategories, most frequent first
    std::vector<std::uint64_t> counts;    // one per category
    std::uint64_t other = 0;              // non-missing values outside `categories`
    std::uint64_t distinct = 0;           // distinct non-missing values in training

    static constexpr std::size_t kMaxCategories = 1000;

    // The bin of a non-missing numeric value: the number of edges strictly below it.
    std::size_t bin_of(double x) const {
        return static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), x) - edges.begin());
    }
};

class Profile {
public:
    static constexpr std::uint32_t version = 1;

    const std::vector<ColumnProfile>& columns() const { return columns_; }
    // InvalidParameter naming the known columns if absent.
    const ColumnProfile& column(std::string_view name) const;

    // Builds the profile of the `schema` columns of X (types as the schema says).
    static Profile of(const Table& X, const std::vector<SchemaColumn>& schema);
    // The same bytes for the rows a chunk source yields, read in a few passes in memory
    // bounded by the columns' state (profile_source.hpp); with a combiner, the profile of
    // every process's rows together, the same on each.
    static Profile of(const ChunkSource& source, const std::vector<SchemaColumn>& schema);
    static Profile of(const ChunkSource& source, const std::vector<SchemaColumn>& schema, const ShardCombiner& combiner);

    // Canonical bytes (little-endian, versioned), and back (FormatError on anything
    // malformed: sizes, order, counts that do not add up).
    std::string bytes() const;
    static Profile from_bytes(std::string_view bytes);

    friend bool operator==(const Profile& a, const Profile& b) { return a.bytes() == b.bytes(); }

private:
    std::vector<ColumnProfile> columns_;
};

// ---------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------

namespace detail {

// The decile values made into distinct edges (shared with the chunked profile).
inline void tidy_edges(std::vector<double>& e) {
    for (double& x : e) x = x == 0.0 ? 0.0 : x;  // -0.0 and +0.0 are one edge
    // A lerp between -inf and +inf is NaN: no edge there (the bins stay well defined).
    e.erase(std::remove_if(e.begin(), e.end(), [](double x) { return std::isnan(x); }), e.end());
    e.erase(std::unique(e.begin(), e.end()), e.end());
}

inline void profile_numeric(ColumnProfile& c, std::span<const double> col) {
    std::vector<double> values;
    values.reserve(col.size());
    for (double x : col)
        if (!std::isnan(x)) values.push_back(x);
    c.missing = col.size() - values.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (values.empty()) {
        c.min = c.max = c.mean = c.std = nan;
        c.bins = {0};
        return;
    }
    ColumnMoments<double> m;
    m.update(Eigen::Map<const Matrix<double>>(values.data(), static_cast<Eigen::Index>(values.size()), 1));
    c.min = m.min(0);
    c.max = m.max(0);
    c.mean = m.mean(0);
    c.std = std::sqrt(m.variance(0));  // IEEE sqrt: correctly rounded of the correctly rounded variance
    // numpy's 'linear' quantiles at the literals 0.1 ... 0.9 (k / 10.0 is the same double).
    std::vector<double> qs;
    for (int k = 1; k <= 9; ++k) qs.push_back(k / 10.0);
    std::vector<double> e = quantiles(values, qs, QuantileMethod::linear);
    tidy_edges(e);
    c.edges = std::move(e);
    c.bins.assign(c.edges.size() + 1, 0);
    for (double x : values) ++c.bins[c.bin_of(x)];
}

inline void profile_categorical(ColumnProfile& c, const CategoricalColumn& col) {
    std::vector<std::uint64_t> per_code(col.dictionary.size(), 0);
    for (const std::int32_t code : col.codes) {
        if (code < 0) ++c.missing;
        else ++per_code[static_cast<std::size_t>(code)];
    }
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < per_code.size(); ++i)
        if (per_code[i] > 0) order.push_back(i);  // a dictionary may hold values no row uses
    c.distinct = order.size();
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (per_code[a] != per_code[b]) return per_code[a] > per_code[b];
        return bytes_less(col.dictionary[a], col.dictionary[b]);
    });
    const std::size_t keep = std::min(order.size(), ColumnProfile::kMaxCategories);
    for (std::size_t r = 0; r < order.size(); ++r) {
        if (r < keep) {
            c.categories.push_back(col.dictionary[order[r]]);
            c.counts.push_back(per_code[order[r]]);
        } else {
            c.other += per_code[order[r]];
        }
    }
}

}  // namespace detail

inline const ColumnProfile& Profile::column(std::string_view name) const {
    for (const auto& c : columns_)
        if (c.name == name) return c;
    std::string known;
    for (const auto& c : columns_) known += (known.empty() ? "'" : ", '") + c.name + "'";
    detail::fail<InvalidParameter>({.component = "Profile",
                                    .problem = "there is no column named '" + std::string(name) + "' in the profile",
                                    .fix = "use one of the profiled input columns: " + known});
}

inline Profile Profile::of(const Table& X, const std::vector<SchemaColumn>& schema) {
    Profile p;
    for (const auto& s : schema) {
        ColumnProfile c;
        c.name = s.name;
        c.type = s.type;
        c.count = X.num_rows();
        if (s.type == ColumnType::numeric) detail::profile_numeric(c, X.numeric(s.name));
        else if (s.type == ColumnType::datetime) {
            // Profiled as numbers (datetime_as_number), with the numeric layout.
            const auto ns = X.datetime(s.name);
            std::vector<double> v(ns.size());
            for (std::size_t i = 0; i < ns.size(); ++i) v[i] = datetime_as_number(ns[i]);
            detail::profile_numeric(c, v);
        } else detail::profile_categorical(c, X.categorical(s.name));
        p.columns_.push_back(std::move(c));
    }
    return p;
}

inline std::string Profile::bytes() const {
    ArchiveWriter w;
    w.u32(version);
    w.size(columns_.size());
    for (const auto& c : columns_) {
        w.str(c.name);
        w.u8(static_cast<std::uint8_t>(c.type));
        w.u64(c.count);
        w.u64(c.missing);
        if (c.type != ColumnType::categorical) {
            w.f64(c.min);
            w.f64(c.max);
            w.f64(c.mean);
            w.f64(c.std);
            w.f64s(c.edges);
            w.u64s(c.bins);
        } else {
            w.strs(c.categories);
            w.u64s(c.counts);
            w.u64(c.other);
            w.u64(c.distinct);
        }
    }
    return std::move(w).bytes();
}

inline Profile Profile::from_bytes(std::string_view bytes) {
    ArchiveReader r(bytes, "profile");
    const std::uint32_t v = r.u32();
    if (v != version)
        r.fail("profile version " + std::to_string(v) + " is not one this reprep reads (it reads version " +
               std::to_string(version) + ")");
    Profile p;
    const std::size_t n = r.size(8 + 1 + 16);
    for (std::size_t j = 0; j < n; ++j) {
        ColumnProfile c;
        c.name = r.str();
        const auto t = r.u8();
        if (t > 2) r.fail("a profiled column has type " + std::to_string(t));
        c.type = static_cast<ColumnType>(t);
        c.count = r.u64();
        c.missing = r.u64();
        if (c.missing > c.count) r.fail("a column has more missing values than rows");
        std::uint64_t total = c.missing;
        // Sums of counts are checked against the row count without overflow: each
        // addend is first checked against what is left.
        auto add = [&](std::uint64_t k) {
            if (k > c.count - total) r.fail("the counts of column '" + c.name + "' exceed its row count");
            total += k;
        };
        if (c.type != ColumnType::categorical) {
            c.min = r.f64();
            c.max = r.f64();
            c.mean = r.f64();
            c.std = r.f64();
            c.edges = r.f64s();
            c.bins = r.u64s();
            if (c.edges.size() > 9 || c.bins.size() != c.edges.size() + 1) r.fail("a numeric column has a malformed bin layout");
            for (std::size_t i = 0; i < c.edges.size(); ++i)
                if (std::isnan(c.edges[i]) || (i > 0 && !(c.edges[i - 1] < c.edges[i])))
                    r.fail("decile edges are not distinct and ascending");
            for (auto k : c.bins) add(k);
        } else {
            c.categories = r.strs();
            c.counts = r.u64s();
            c.other = r.u64();
            c.distinct = r.u64();
            if (c.categories.size() > ColumnProfile::kMaxCategories || c.counts.size() != c.categories.size())
                r.fail("a categorical column has a malformed category list");
            for (std::size_t i = 0; i < c.counts.size(); ++i) {
                if (c.counts[i] == 0) r.fail("a profiled category has a zero count");
                if (i > 0 && (c.counts[i - 1] < c.counts[i] ||
                              (c.counts[i - 1] == c.counts[i] && !detail::bytes_less(c.categories[i - 1], c.categories[i]))))
                    r.fail("categories are not in frequency order (count descending, bytes ascending)");
                add(c.counts[i]);
            }
            add(c.other);
            if (c.distinct < c.categories.size() || (c.other > 0) != (c.distinct > c.categories.size()))
                r.fail("the distinct-category count does not match the categories");
        }
        if (total != c.count) r.fail("the counts of column '" + c.name + "' do not add up to its row count");
        for (const auto& q : p.columns_)
            if (q.name == c.name) r.fail("column '" + c.name + "' is profiled twice");
        p.columns_.push_back(std::move(c));
    }
    r.expect_end();
    return p;
}

namespace detail {
// Order-independent fingerprint of a table's rows: XXH3-128 of each row's canonical
// bytes (column names and types first), the row hashes sorted, then hashed together.
// A shuffled copy of the training data has the same lineage fingerprint.
inline Hash128 multiset_fingerprint(const Table& t) {
    std::string header;
    for (const auto& name : t.column_names()) {
        append_le64(header, name.size());
        header += name;
        header.push_back(static_cast<char>(t.type(name)));
    }
    std::vector<Hash128> rows(t.num_rows());
    std::string row;
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
        row.clear();
        for (const auto& name : t.column_names()) {
            if (t.type(name) == ColumnType::numeric) {
                row.push_back('\x01');
                append_le64(row, canonical_bits(t.numeric(name)[i]));
            } else if (t.type(name) == ColumnType::datetime) {
                row.push_back('\x03');
                append_le64(row, static_cast<std::uint64_t>(t.datetime(name)[i]));
            } else if (auto v = t.category(name, i)) {
                row.push_back('\x02');
                append_le64(row, v->size());
                row.append(v->data(), v->size());
            } else {
                row.push_back('\x00');
            }
        }
        rows[i] = xxh3_128(row);
    }
    std::sort(rows.begin(), rows.end(), [](const Hash128& a, const Hash128& b) {
        return a.high != b.high ? a.high < b.high : a.low < b.low;
    });
    std::string all = header;
    for (const auto& h : rows) {
        append_le64(all, h.high);
        append_le64(all, h.low);
    }
    return xxh3_128(all);
}

}  // namespace detail

// The lineage fingerprint of a table: order-independent over its rows (a shuffled copy
// gives the same value), as Pipeline::fit records it in lineage().data_fingerprint.
inline Hash128 data_fingerprint(const Table& t) { return detail::multiset_fingerprint(t); }

}  // namespace reprep

#include "profile_source.hpp"
