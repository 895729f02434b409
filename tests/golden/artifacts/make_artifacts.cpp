// Writes the golden artifacts and the fuzz seed corpora. Committed, so that every
// golden file and every seed can be regenerated and reviewed:
//
//   make_artifacts golden <dir>   one <tag>.rpp per kind (and pipelines, monitors, a
//                                 multiclass TargetEncoder), plus
//                                 expected.tsv: file, kind, fingerprint, output hash
//   make_artifacts corpus <dir>   <dir>/artifact: the same artifacts without their
//                                 checksum (fuzz_artifact appends it), <dir>/csv: CSV
//                                 seeds, <dir>/row: records for fuzz_row
//
// Golden artifacts are written once per format version and then never regenerated:
// the compat test proves that today's library still loads what an older one wrote.
// `golden` writes only files that do not exist yet (a new kind), and expected.tsv, whose
// lines for the existing files must come out unchanged (git diff shows it).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "../../fuzz/zoo.hpp"

namespace fs = std::filesystem;
using namespace reprep;

namespace {
void write(const fs::path& p, std::string_view bytes) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw std::runtime_error("cannot write " + p.string());
}

// The input a golden test transforms: the full penguins table, or its complete rows
// for components that refuse missing values. Shared with test_golden_artifacts.cpp.
template <class C>
Table transformed(const C& c, const Table& t, const Table& complete) {
    try {
        return c.transform(zoo::input<C>(t));  // with the dates the datetime kinds read
    } catch (const InvalidInput&) {
        return c.transform(zoo::input<C>(complete));
    }
}

struct Item {
    std::string tag, kind, bytes, fp, out_hash;
};

std::vector<Item> all_items(const Table& t, const Table& c) {
    std::vector<Item> items;
    zoo::for_each_kind([&]<class C>() {
        const C obj = zoo::make_fitted<C>(t, c);
        items.push_back({zoo::tag<C>(), std::string(C::kind_name()), save_bytes(obj, {{"written_by", "make_artifacts"}}),
                         fingerprint(obj), zoo::output_hash(transformed(obj, t, c))});
    });
    for (auto [name, pipe] : {std::pair{"pipeline_penguins", zoo::penguins_pipeline()}, std::pair{"pipeline_wide", zoo::wide_pipeline()}}) {
        pipe.set_seed(2026);
        pipe.set_metadata("dataset", "penguins");
        pipe.fit(t);
        items.push_back({name, "pipeline", save_bytes(pipe), fingerprint(pipe), zoo::output_hash(pipe.transform(t))});
    }
    // Added with the training profile (issue 18): a pipeline artifact that carries one,
    // and a drift monitor of that pipeline that has seen the Biscoe rows; the monitor's
    // "output" is its report, as JSON.
    Pipeline pipe = zoo::penguins_pipeline();
    pipe.set_seed(2026);
    pipe.set_metadata("dataset", "penguins");
    pipe.fit(t);
    items.push_back({"pipeline_penguins_profiled", "pipeline", save_bytes(pipe), fingerprint(pipe),
                     zoo::output_hash(pipe.transform(t))});
    // The profile alone, as pipeline.monitor() made it before monitors watched steps.
    Monitor mon(std::make_shared<const Profile>(pipe.profile()));
    mon.update(zoo::biscoe_rows(t));
    items.push_back({"drift_monitor", std::string(Monitor::kind_name()), save_bytes(mon), fingerprint(mon),
                     xxh3_128(mon.report().to_json()).hex()});
    // Added with the serving policy and the per-step counts (issue 18): a pipeline whose
    // policy fills absent columns and drops extra ones (its output: a request lacking two
    // columns), and a monitor of it that counted absent columns and unseen species.
    Pipeline policy = zoo::penguins_policy_pipeline();
    policy.set_seed(2026);
    policy.set_metadata("dataset", "penguins");
    policy.fit(t);
    items.push_back({"pipeline_penguins_policy", "pipeline", save_bytes(policy), fingerprint(policy),
                     zoo::output_hash(policy.transform(zoo::penguins_without_sex_and_mass(t)))});
    Monitor steps = policy.monitor();
    (void)policy.transform(zoo::biscoe_drifted(t), steps);
    items.push_back({"drift_monitor_steps", std::string(Monitor::kind_name()), save_bytes(steps), fingerprint(steps),
                     xxh3_128(steps.report().to_json()).hex()});
    // Added with multiclass targets (issue 19): a TargetEncoder fitted on the species as
    // three classes, its output n_features x n_classes columns.
    const TargetEncoder mc = zoo::multiclass_target_encoder(t);
    items.push_back({"target_encoder_multiclass", std::string(TargetEncoder::kind_name()),
                     save_bytes(mc, {{"written_by", "make_artifacts"}}), fingerprint(mc), zoo::output_hash(mc.transform(t))});
    return items;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: make_artifacts golden|corpus <dir>\n";
        return 2;
    }
    const std::string mode = argv[1];
    const fs::path dir = argv[2];
    const Table t = zoo::penguins(REPREP_TEST_DATA_DIR);
    const Table c = zoo::complete_rows(t);
    const auto items = all_items(t, c);
    if (mode == "golden") {
        fs::create_directories(dir);
        std::ostringstream tsv;
        tsv << "# file\tkind\tfingerprint\toutput_hash (format version " << REPREP_FORMAT_VERSION << ")\n";
        std::size_t added = 0;
        for (const auto& it : items) {
            // Never rewrite a committed artifact: only kinds new since then are written.
            if (!fs::exists(dir / (it.tag + ".rpp"))) {
                write(dir / (it.tag + ".rpp"), it.bytes);
                ++added;
            }
            tsv << it.tag << ".rpp\t" << it.kind << '\t' << it.fp << '\t' << it.out_hash << '\n';
        }
        write(dir / "expected.tsv", tsv.str());
        std::cout << "wrote " << added << " new golden artifacts (of " << items.size() << ") to " << dir << '\n';
        return 0;
    }
    if (mode == "corpus") {
        fs::create_directories(dir / "artifact");
        fs::create_directories(dir / "csv");
        fs::create_directories(dir / "row");
        for (const auto& it : items) write(dir / "artifact" / it.tag, std::string_view(it.bytes).substr(0, it.bytes.size() - 8));
        // CSV seeds: the byte after the first selects fuzz_csv's option set (0 = defaults).
        std::ifstream pf(fs::path(REPREP_TEST_DATA_DIR) / "penguins.csv", std::ios::binary);
        std::string penguins((std::istreambuf_iterator<char>(pf)), std::istreambuf_iterator<char>());
        write(dir / "csv" / "penguins_head", std::string(1, '\0') + penguins.substr(0, 1200));
        const char* seeds[][2] = {
            {"quoted", "\x00name,text,x\r\n\"a,b\",\"say \"\"hi\"\"\",1.5\r\n\"\",\"line\nbreak\",-inf\r\n"},
            {"na", "\x00" "a,b\nNA,1\n,2\nnan,NaN\n\"NA\",+3e-310\n"},
            {"semicolon", "\x01x;y\n1;2\n3;\n"},
            {"noheader", "\x02" "1,2,3\n4,5,6\n"},
            {"utf8", "\x00\xef\xbb\xbfname,v\n\xc3\xa9t\xc3\xa9,1\n\xe2\x82\xac,2\n"},
            {"tab", "\x03" "a\tb\nNA\t0x1\n"},
            {"dates", "\x00" "d,t\n2020-01-01,2020-02-29T12:00:00.5+01:00\nNA,1969-12-31 23:59Z\n2023-02-29,x\n"},
        };
        int i = 0;
        for (const auto& s : seeds) {
            // Each seed is a C string except the option byte, which may be NUL.
            std::string v(1, s[1][0]);
            v += std::string(s[1] + 1);
            write(dir / "csv" / s[0], v);
            ++i;
        }
        // Row seeds: width byte 0, then per column tag 5 (the schema's type) and a value.
        std::string r(1, '\0');
        for (int k = 0; k < 7; ++k) {
            r.push_back('\x05');
            for (int b = 0; b < 8; ++b) r.push_back(static_cast<char>(0x40 + k));
        }
        write(dir / "row" / "typed", r);
        write(dir / "row" / "missing", std::string("\0\x02\x02\x02\x02\x02\x02\x02", 8));
        write(dir / "row" / "wide", std::string("\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9));
        std::cout << "wrote corpora (" << items.size() << " artifacts, " << i + 1 << " CSVs, 3 records) to " << dir << '\n';
        return 0;
    }
    std::cerr << "unknown mode " << mode << '\n';
    return 2;
}
