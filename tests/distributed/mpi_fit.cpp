// reprep::mpi::fit under mpirun (tests/distributed/suite.cmake runs it with K = 1..4
// ranks): every split of the rows over the ranks gives, on every rank, the fingerprint
// and the transformed bytes of a one-process fit on all the rows; an error on one rank
// becomes the same typed reprep::Error on every rank. A plain main (no doctest): MPI
// must be initialised before anything else and every rank must take every check.
//
//   mpi_fit                  the checks; exit status 0 when every rank passed
//   mpi_fit --bench ROWS     time a numeric pipeline's fit on ROWS rows split over the
//                            ranks, and the bytes each reduction sends (rank 0 prints)
#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <reprep/distributed/mpi.hpp>
#include <reprep/reprep.hpp>
#include <string>
#include <vector>

using namespace reprep;

namespace {
int rank = 0, ranks = 1, failures = 0;

void expect(bool ok, const std::string& what) {
    if (ok) return;
    ++failures;
    std::fprintf(stderr, "rank %d of %d: FAILED: %s\n", rank, ranks, what.c_str());
}

// A numeric table of several shapes: ties, a NaN column, negatives, a heavy tail.
Table numeric_table(std::size_t n) {
    std::vector<double> a(n), b(n), c(n), d(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t h = (i * 2654435761u) % 1009;
        a[i] = static_cast<double>(h) / 7.0 - 40.0;
        b[i] = i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(h % 13);
        c[i] = 1.0 + static_cast<double>(h * h % 997) / 3.0;
        d[i] = h % 17 == 0 ? 1e6 + static_cast<double>(h) : static_cast<double>(h % 101) / 10.0;
    }
    Table t;
    t.add_numeric("a", a).add_numeric("b", b).add_numeric("c", c).add_numeric("d", d);
    return t;
}

// Ten kinds: exact-quantile ones (multi-pass), moment ones, PowerTransformer (one pass
// per evaluation of its objective), RandomSampleImputer (rows gathered), a selector
// (Table accumulator).
Pipeline numeric_pipeline() {
    return Pipeline{}
        .add("sample", RandomSampleImputer({.columns = {"b"}, .variables_seed = {"a"},
                                            .seeding_method = SeedingMethod::observation, .seed = 7}))
        .add("robust", RobustScaler<>({.columns = {"a"}}))
        .add("quantile", QuantileTransformer<>({.columns = {"c"}}))
        .add("power", PowerTransformer<>({.columns = {"d"}}))
        .add("winsor", Winsorizer<>({.columns = {"a", "b"}, .capping_method = CappingMethod::iqr, .tail = Tail::both}))
        .add("minmax", MinMaxScaler<>({.columns = {"b"}}))
        .add("bins", KBinsDiscretizer<>({.columns = {"c"}, .n_bins = 4, .encode = KBinsEncode::ordinal}))
        .add("maxabs", MaxAbsScaler<>({.columns = {"d"}}))
        .add("constant", DropConstantFeatures({}))
        .add("standard", StandardScaler<>());
}

const std::vector<std::string> penguin_numbers = {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"};

Pipeline penguins_pipeline() {
    return Pipeline{}
        .add("impute", SimpleImputer<>({.columns = penguin_numbers, .strategy = ImputeStrategy::median}))
        .add("sex", CategoricalImputer({.columns = {"sex"}, .imputation_method = ImputationMethod::frequent}))
        .add("rare", RareLabelEncoder({.columns = {"island"}, .tol = 0.2}))
        .add("onehot", OneHotEncoder({.columns = {"species", "island", "sex"}, .handle_unknown = HandleUnknown::ignore}))
        .add("robust", RobustScaler<>({.columns = {"body_mass_g"}}))
        .add("scale", StandardScaler<>({.columns = penguin_numbers}));
}

// This rank's rows (indices into n rows) under each split.
std::vector<std::pair<std::string, std::vector<std::size_t>>> shard_rows(std::size_t n) {
    const std::size_t K = static_cast<std::size_t>(ranks), r = static_cast<std::size_t>(rank);
    std::vector<std::pair<std::string, std::vector<std::size_t>>> out;
    std::vector<std::size_t> idx;
    for (std::size_t i = r * n / K; i < (r + 1) * n / K; ++i) idx.push_back(i);
    out.emplace_back("contiguous", idx);
    idx.clear();
    for (std::size_t i = r; i < n; i += K) idx.push_back(i);
    out.emplace_back("round-robin", idx);
    // The last rank holds every row; the others an empty table (no column at all).
    idx.clear();
    if (r + 1 == K)
        for (std::size_t i = 0; i < n; ++i) idx.push_back(i);
    out.emplace_back("all on the last rank", idx);
    // Rank 0 holds no row (its columns, no row); the others share the rows, reversed.
    idx.clear();
    if (K == 1) {
        for (std::size_t i = n; i-- > 0;) idx.push_back(i);
    } else if (r > 0) {
        for (std::size_t i = (r - 1) * n / (K - 1); i < r * n / (K - 1); ++i) idx.push_back(n - 1 - i);
    }
    out.emplace_back("rank 0 empty", idx);
    return out;
}

// This rank's shard of t under each split.
std::vector<std::pair<std::string, Table>> shards(const Table& t) {
    std::vector<std::pair<std::string, Table>> out;
    for (auto& [split, idx] : shard_rows(t.num_rows()))
        out.emplace_back(split, idx.empty() && split == "all on the last rank" ? Table{} : t.rows(idx));
    return out;
}

bool same_bytes(const Table& a, const Table& b) {
    if (a.column_names() != b.column_names()) return false;
    for (const auto& name : a.column_names()) {
        if (a.type(name) != b.type(name)) return false;
        if (a.type(name) == ColumnType::numeric) {
            const auto x = a.numeric(name), y = b.numeric(name);
            if (std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) != 0) return false;
        } else {
            for (std::size_t i = 0; i < a.num_rows(); ++i)
                if (a.category(name, i) != b.category(name, i)) return false;
        }
    }
    return true;
}

// Every rank holds the same bytes as rank 0.
bool same_on_every_rank(const std::string& s) {
    unsigned long long n = s.size();
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    std::string root = s;
    root.resize(n);
    MPI_Bcast(root.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD);
    int same = root == s, all = 0;
    MPI_Allreduce(&same, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return all == 1;
}

template <class Make>
void check_pipeline(const char* name, const Table& all, Make make) {
    auto ref = make();
    ref.fit(all);
    const std::string ref_fp = fingerprint(ref);
    const Table ref_out = ref.transform(all);
    for (const auto& [split, shard] : shards(all)) {
        auto p = make();
        try {
            mpi::fit(p, shard, MPI_COMM_WORLD);
        } catch (const Error& e) {
            expect(false, std::string(name) + ", " + split + ": " + e.what());
            continue;
        }
        const std::string what = std::string(name) + ", " + split;
        expect(fingerprint(p) == ref_fp, what + ": fingerprint");
        expect(same_bytes(p.transform(all), ref_out), what + ": transformed bytes");
        expect(p.lineage().rows == all.num_rows(), what + ": row count");
        // The training profile is combined over the ranks too (profile_source.hpp).
        expect(p.has_profile() && p.profile().bytes() == ref.profile().bytes(), what + ": training profile");
        expect(same_on_every_rank(save_bytes(p)), what + ": artifact bytes on every rank");
    }
}

void check_components(const Table& all) {
    // A component on its own, through each path: multi-pass, accumulator, gathered rows,
    // and PowerTransformer's passes (both methods; "b" holds NaN).
    auto robust_ref = RobustScaler<>({.columns = {"a", "c"}});
    robust_ref.fit(all);
    auto sample_ref = RandomSampleImputer({.columns = {"b"}, .seed = 3});
    sample_ref.fit(all);
    const PowerTransformer<>::Params yj{.columns = {"a", "b", "d"}};
    const PowerTransformer<>::Params bc{.columns = {"c"}, .method = PowerMethod::box_cox, .standardize = false};
    auto yj_ref = PowerTransformer<>(yj);
    yj_ref.fit(all);
    auto bc_ref = PowerTransformer<>(bc);
    bc_ref.fit(all);
    for (const auto& [split, shard] : shards(all)) {
        auto power = PowerTransformer<>(yj);
        mpi::fit(power, shard, MPI_COMM_WORLD);
        expect(save_bytes(power) == save_bytes(yj_ref), "PowerTransformer (Yeo-Johnson), " + split);
        auto box = PowerTransformer<>(bc);
        mpi::fit(box, shard, MPI_COMM_WORLD);
        expect(save_bytes(box) == save_bytes(bc_ref), "PowerTransformer (Box-Cox), " + split);
        auto robust = RobustScaler<>({.columns = {"a", "c"}});
        mpi::fit(robust, shard, MPI_COMM_WORLD);
        expect(fingerprint(robust) == fingerprint(robust_ref), "RobustScaler, " + split);
        auto sample = RandomSampleImputer({.columns = {"b"}, .seed = 3});
        mpi::fit(sample, shard, MPI_COMM_WORLD);
        expect(fingerprint(sample) == fingerprint(sample_ref), "RandomSampleImputer, " + split);
        expect(same_bytes(sample.transform(all), sample_ref.transform(all)), "RandomSampleImputer output, " + split);
    }
    // The kinds that kept every value before: KBinsDiscretizer kmeans (one pass per Lloyd
    // iteration; "d"'s heavy tail leaves clusters empty, so values are relocated),
    // SimpleImputer most_frequent (counts per distinct value), EndTailImputer iqr
    // (multi-pass selection).
    const KBinsDiscretizer<>::Params km{.columns = {"a", "d"}, .n_bins = 8, .strategy = KBinsStrategy::kmeans};
    const SimpleImputer<>::Params mf{.columns = {"a", "b", "d"}, .strategy = ImputeStrategy::most_frequent};
    const EndTailImputer<>::Params et{.columns = {"a", "b"}, .imputation_method = EndTailMethod::iqr};
    auto km_ref = KBinsDiscretizer<>(km);
    km_ref.fit(all);
    auto mf_ref = SimpleImputer<>(mf);
    mf_ref.fit(all);
    auto et_ref = EndTailImputer<>(et);
    et_ref.fit(all);
    for (const auto& [split, shard] : shards(all)) {
        auto kmeans = KBinsDiscretizer<>(km);
        mpi::fit(kmeans, shard, MPI_COMM_WORLD);
        expect(save_bytes(kmeans) == save_bytes(km_ref), "KBinsDiscretizer (kmeans), " + split);
        auto frequent = SimpleImputer<>(mf);
        mpi::fit(frequent, shard, MPI_COMM_WORLD);
        expect(save_bytes(frequent) == save_bytes(mf_ref), "SimpleImputer (most_frequent), " + split);
        auto tail = EndTailImputer<>(et);
        mpi::fit(tail, shard, MPI_COMM_WORLD);
        expect(save_bytes(tail) == save_bytes(et_ref), "EndTailImputer (iqr), " + split);
    }
}

void check_target(const Table& all) {
    // TargetEncoder (continuous, binary and multiclass) and WoEEncoder fitted with y:
    // the target follows its rows into the shards.
    std::vector<double> y(all.num_rows()), y01(all.num_rows()), ycls(all.num_rows());
    for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] = static_cast<double>((i * 7919) % 101) / 4.0 - 3.0;
        y01[i] = (i * 31) % 7 < 3 ? 1.0 : 0.0;
        ycls[i] = static_cast<double>((i * 13) % 5) - 2.0;  // classes -2 .. 2
    }
    const std::vector<std::string> cols = {"species", "island"};
    auto te_ref = TargetEncoder({.columns = cols});
    te_ref.fit(all, y);
    auto bin_ref = TargetEncoder({.columns = cols, .target_type = TargetType::binary});
    bin_ref.fit(all, y01);
    auto mc_ref = TargetEncoder({.columns = cols, .target_type = TargetType::multiclass});
    mc_ref.fit(all, ycls);
    auto woe_ref = WoEEncoder({.columns = cols});
    woe_ref.fit(all, y01);
    for (const auto& [split, idx] : shard_rows(all.num_rows())) {
        const Table shard = idx.empty() && split == "all on the last rank" ? Table{} : all.rows(idx);
        std::vector<double> ys, ys01, yscls;
        for (const std::size_t i : idx) {
            ys.push_back(y[i]);
            ys01.push_back(y01[i]);
            yscls.push_back(ycls[i]);
        }
        auto te = TargetEncoder({.columns = cols});
        mpi::fit(te, shard, ys, MPI_COMM_WORLD);
        expect(fingerprint(te) == fingerprint(te_ref), "TargetEncoder, " + split);
        expect(same_bytes(te.transform(all), te_ref.transform(all)), "TargetEncoder output, " + split);
        auto bin = TargetEncoder({.columns = cols, .target_type = TargetType::binary});
        mpi::fit(bin, shard, ys01, MPI_COMM_WORLD);
        expect(fingerprint(bin) == fingerprint(bin_ref), "TargetEncoder (binary), " + split);
        // Multiclass: the accumulators carry exact rows per (category, class), merged exactly.
        auto mc = TargetEncoder({.columns = cols, .target_type = TargetType::multiclass});
        mpi::fit(mc, shard, yscls, MPI_COMM_WORLD);
        expect(fingerprint(mc) == fingerprint(mc_ref), "TargetEncoder (multiclass), " + split);
        expect(same_bytes(mc.transform(all), mc_ref.transform(all)), "TargetEncoder (multiclass) output, " + split);
        auto woe = WoEEncoder({.columns = cols});
        mpi::fit(woe, shard, ys01, MPI_COMM_WORLD);
        expect(fingerprint(woe) == fingerprint(woe_ref), "WoEEncoder, " + split);
        expect(same_bytes(woe.transform(all), woe_ref.transform(all)), "WoEEncoder output, " + split);
    }
}

void check_errors(const Table& all) {
    // The last rank's shard holds an infinity that StandardScaler refuses: every rank throws
    // InvalidInput naming that rank, and the scaler stays unfitted everywhere.
    Table shard = numeric_table(20).select({"a", "c"});
    if (rank + 1 == ranks) {
        std::vector<double> c(shard.numeric("c").begin(), shard.numeric("c").end());
        c[3] = std::numeric_limits<double>::infinity();
        shard.set_numeric("c", c);
    }
    auto scaler = StandardScaler<>({.columns = {"a", "c"}});
    std::string message;
    try {
        mpi::fit(scaler, shard, MPI_COMM_WORLD);
    } catch (const InvalidInput& e) {
        message = e.what();
    } catch (const Error& e) {
        message = std::string("wrong type: ") + e.what();
    }
    const std::string where = "on process " + std::to_string(ranks - 1) + ":";
    expect(message.find(where) != std::string::npos && message.find("column 'c'") != std::string::npos,
           "an error on the last rank is an InvalidInput on every rank, got: " + message);
    expect(!scaler.is_fitted(), "the failed fit leaves the scaler unfitted");
    // A pipeline whose step fails on one rank only: the same, inside the step's name.
    auto p = Pipeline{}.add("scale", StandardScaler<>({.columns = {"a", "c"}}));
    message.clear();
    try {
        mpi::fit(p, shard, MPI_COMM_WORLD);
    } catch (const InvalidInput& e) {
        message = e.what();
    }
    expect(message.find("scale") != std::string::npos && message.find(where) != std::string::npos,
           "a pipeline's failing step on one rank fails on every rank, got: " + message);
    expect(!p.is_fitted(), "the failed pipeline fit leaves it unfitted");
    // PowerTransformer's Box-Cox refuses a value <= 0 in its first pass: the last rank's
    // row 5 (counted in its own shard), on every rank.
    Table positive = numeric_table(20).select({"c"});
    if (rank + 1 == ranks) {
        std::vector<double> c(positive.numeric("c").begin(), positive.numeric("c").end());
        c[5] = -2.0;
        positive.set_numeric("c", c);
    }
    auto box = PowerTransformer<>({.method = PowerMethod::box_cox});
    message.clear();
    try {
        mpi::fit(box, positive, MPI_COMM_WORLD);
    } catch (const InvalidInput& e) {
        message = e.what();
    }
    expect(message.find(where) != std::string::npos && message.find("column 'c', row 5") != std::string::npos &&
               message.find("Box-Cox") != std::string::npos,
           "PowerTransformer's error on the last rank is an InvalidInput on every rank, got: " + message);
    expect(!box.is_fitted(), "the failed fit leaves the PowerTransformer unfitted");
    (void)all;
}
void check_target_fit_transform(const Table& all) {
    // mpi::fit_transform (TargetEncoder, fold_assignment = row_hash): each rank's rows get
    // the out-of-fold bits of one process's fit_transform on every row, and every rank
    // the one-process fit.
    std::vector<double> y(all.num_rows()), y01(all.num_rows()), ycls(all.num_rows());
    for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] = static_cast<double>((i * 7919) % 101) / 4.0 - 3.0;
        y01[i] = (i * 31) % 7 < 3 ? 1.0 : 0.0;
        ycls[i] = static_cast<double>((i * 13) % 5) - 2.0;
    }
    struct Case {
        std::string name;
        TargetType type;
        const std::vector<double>* y;
    };
    const std::vector<Case> cases = {{"continuous", TargetType::continuous, &y},
                                     {"binary", TargetType::binary, &y01},
                                     {"multiclass", TargetType::multiclass, &ycls}};
    for (const auto& c : cases) {
        const TargetEncoder::Params params = {.columns = {"species", "island", "sex"}, .target_type = c.type, .cv = 5,
                                              .seed = 3, .fold_assignment = FoldAssignment::row_hash};
        TargetEncoder ref(params);
        const Table ref_out = ref.fit_transform(all, *c.y);
        for (const auto& [split, idx] : shard_rows(all.num_rows())) {
            const std::string what = "fit_transform (" + c.name + "), " + split;
            const Table shard = idx.empty() && split == "all on the last rank" ? Table{} : all.rows(idx);
            std::vector<double> ys;
            for (const std::size_t i : idx) ys.push_back((*c.y)[i]);
            TargetEncoder te(params);
            const Table out = mpi::fit_transform(te, shard, ys, MPI_COMM_WORLD);
            expect(fingerprint(te) == fingerprint(ref), what + ": fitted encoder");
            if (shard.num_columns() == 0) expect(out.num_columns() == 0, what + ": no column for an empty shard");
            else expect(same_bytes(out, ref_out.rows(idx)), what + ": this rank's rows");
            // Out-of-fold, not the full fit's encodings (which would pass a weaker check).
            if (shard.num_rows() > 0) expect(!same_bytes(out, te.transform(shard)), what + ": differs from transform");
        }
    }
    // Position folds are refused on every rank, before any message.
    TargetEncoder pos({.columns = {"species"}});
    bool refused = false;
    try {
        (void)mpi::fit_transform(pos, all, y, MPI_COMM_WORLD);
    } catch (const InvalidParameter&) {
        refused = true;
    }
    expect(refused, "fit_transform with position folds is an InvalidParameter");
    // A label outside {0, 1} on the last rank only: every rank throws InvalidInput.
    std::vector<double> bad = y01;
    bad.back() = 2.0;
    const auto splits = shard_rows(all.num_rows());
    const auto& [split, idx] = splits.front();
    std::vector<double> ys;
    for (const std::size_t i : idx) ys.push_back(bad[i]);
    TargetEncoder bin({.columns = {"species"}, .target_type = TargetType::binary, .fold_assignment = FoldAssignment::row_hash});
    bool typed = false;
    try {
        (void)mpi::fit_transform(bin, all.rows(idx), ys, MPI_COMM_WORLD);
    } catch (const InvalidInput&) {
        typed = true;
    }
    expect(typed && !bin.is_fitted(), "a bad label on one rank (" + split + ") is an InvalidInput on every rank");
    // mpi::fit checks the labels as fit(X, y) does (its accumulator alone would not).
    typed = false;
    try {
        mpi::fit(bin, all.rows(idx), ys, MPI_COMM_WORLD);
    } catch (const InvalidInput&) {
        typed = true;
    }
    expect(typed && !bin.is_fitted(), "mpi::fit: a bad label on one rank is an InvalidInput on every rank");
}

// numeric_table(n) with two datetime columns, for the datetime kinds.
Table dated_table(std::size_t n) {
    Table t = numeric_table(n);
    std::vector<std::int64_t> start(n), end(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto h = static_cast<std::int64_t>((i * 2654435761u) % 100003);
        start[i] = (h - 50000) * 86'400'000'000'000LL / 7;
        end[i] = start[i] + h * 3'600'000'000'000LL;
    }
    t.add_datetime("start", start).add_datetime("end", end);
    return t;
}

// The kinds whose fit learns nothing from the values: one checked read per rank, their
// states merged, no row gathered. The datetime inputs are dropped, so that every output
// column is numeric.
Pipeline value_free_pipeline() {
    return Pipeline{}
        .add("cap", ArbitraryOutlierCapper<>({.columns = {"a", "b"}, .max_capping_dict = {{"a", 30.0}}}))
        .add("disc", ArbitraryDiscretiser<>({.columns = {"c"}, .binning_dict = {{"c", {0.0, 50.0, 150.0, 400.0}}}}))
        .add("math", MathFeatures<>({.columns = {"a", "b"}, .func = {MathFunc::sum, MathFunc::max},
                                     .missing_values = MissingValues::ignore}))
        .add("rel", RelativeFeatures<>({.columns = {"d"}, .reference = {"a"}, .func = {RelativeFunc::sub}}))
        .add("bin", Binarizer<>({.columns = {"a"}, .threshold = 1.5}))
        .add("norm", Normalizer<>({.columns = {"c", "d"}}))
        .add("poly", PolynomialFeatures<>({.columns = {"sum_a_b", "max_a_b"}, .include_bias = false}))
        .add("diff", DatetimeSubtraction({.columns = {"end"}, .reference = {"start"}, .output_unit = "h"}))
        .add("parts", DatetimeFeatures({.columns = {"start", "end"}, .features_to_extract = {"year", "month"}}));
}

void check_value_free_errors() {
    // A NaN Normalizer refuses, on the last rank's row 4 only: an InvalidInput on every
    // rank, naming that rank and the row in its own shard (as the other chunk ways do).
    Table shard = numeric_table(20).select({"a", "c"});
    if (rank + 1 == ranks) {
        std::vector<double> c(shard.numeric("c").begin(), shard.numeric("c").end());
        c[4] = std::numeric_limits<double>::quiet_NaN();
        shard.set_numeric("c", c);
    }
    auto norm = Normalizer<>({.columns = {"a", "c"}});
    std::string message;
    try {
        mpi::fit(norm, shard, MPI_COMM_WORLD);
    } catch (const InvalidInput& e) {
        message = e.what();
    } catch (const Error& e) {
        message = std::string("wrong type: ") + e.what();
    }
    const std::string where = "on process " + std::to_string(ranks - 1) + ":";
    expect(message.find(where) != std::string::npos && message.find("column 'c', row 4") != std::string::npos,
           "Normalizer: a NaN on the last rank is an InvalidInput on every rank, got: " + message);
    expect(!norm.is_fitted(), "the failed fit leaves the Normalizer unfitted");
    // No rank holds a row: refused as fit(Table) refuses an empty table.
    auto empty = Normalizer<>({.columns = {"a"}});
    message.clear();
    try {
        mpi::fit(empty, numeric_table(3).rows(std::vector<std::size_t>{}), MPI_COMM_WORLD);
    } catch (const InvalidInput& e) {
        message = e.what();
    }
    std::string want;
    try {
        Normalizer<>({.columns = {"a"}}).fit(numeric_table(3).rows(std::vector<std::size_t>{}));
    } catch (const InvalidInput& e) {
        want = e.what();
    }
    expect(!want.empty() && message == want, "Normalizer: no row on any rank, got: " + message + ", want: " + want);
}

int bench(std::size_t n) {
    const Table all = numeric_table(n);
    std::vector<std::size_t> idx;
    const auto K = static_cast<std::size_t>(ranks), r = static_cast<std::size_t>(rank);
    for (std::size_t i = r * n / K; i < (r + 1) * n / K; ++i) idx.push_back(i);
    const Table shard = all.rows(idx);
    auto p = Pipeline{}
                 .add("robust", RobustScaler<>({.columns = {"a", "c"}}))
                 .add("quantile", QuantileTransformer<>({.columns = {"d"}}))
                 .add("standard", StandardScaler<>({.columns = {"b"}}));
    const mpi::Combiner combiner(MPI_COMM_WORLD);
    MPI_Barrier(MPI_COMM_WORLD);
    const auto t0 = std::chrono::steady_clock::now();
    mpi::fit(p, shard, combiner);
    MPI_Barrier(MPI_COMM_WORLD);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    unsigned long long sent = combiner.bytes_sent(), total = 0;
    MPI_Reduce(&sent, &total, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0)
        std::printf("ranks %d rows %zu: fit %.3f s, %llu reductions, %llu bytes sent by all ranks (%.0f per reduction), "
                    "largest state %llu bytes, fingerprint %s\n",
                    ranks, n, s, static_cast<unsigned long long>(combiner.reductions()), total,
                    static_cast<double>(total) / static_cast<double>(combiner.reductions()),
                    static_cast<unsigned long long>(combiner.largest_state()), fingerprint(p).c_str());
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (argc == 3 && std::strcmp(argv[1], "--bench") == 0) {
        const int rc = bench(std::stoul(argv[2]));
        MPI_Finalize();
        return rc;
    }
    try {
        const Table penguins = read_csv(std::filesystem::path(REPREP_TEST_DATA_DIR) / "penguins.csv");
        check_pipeline("penguins", penguins, penguins_pipeline);
        check_target(penguins);
        check_target_fit_transform(penguins);
        const Table numbers = numeric_table(500);
        check_pipeline("numeric", numbers, numeric_pipeline);
        check_components(numbers);
        check_errors(numbers);
        check_pipeline("value-free kinds", dated_table(500), value_free_pipeline);
        check_value_free_errors();
    } catch (const std::exception& e) {
        expect(false, std::string("unexpected exception: ") + e.what());
    }
    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0) std::printf("mpi_fit on %d ranks: %s\n", ranks, total == 0 ? "all checks passed" : "FAILED");
    MPI_Finalize();
    return total == 0 ? 0 : 1;
}
