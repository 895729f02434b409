#!/usr/bin/python3
"""Regenerates a sample of the scikit-learn/numpy golden files into OUT_DIR and compares
them byte for byte with the committed ones in tests/golden/ (CTest: parity_golden_regen).

    /usr/bin/python3 tests/golden/check_golden.py OUT_DIR [--all]

The sample covers the families that once came out differently on an AVX-512 CPU (gauss16
scalers, the synthetic and positive transform sets, PowerTransformer), KMeans bins (their
bits depend on the thread count), the Zipf encoder data (np.power weights once) and a few
plain cases of every family; --all regenerates every file (about 8 s). Exit status 0 when
every regenerated file is identical, 1 otherwise (each difference is listed).
"""
import argparse
import importlib
import pathlib
import shutil
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import repro_env  # noqa: E402  (before numpy: pins its dispatch; re-executes this script once)

SAMPLE = {
    "scalers": {"data_gauss16", "test_gauss16", "normalizer_gauss16_l2", "binarizer_gauss16",
                "data_synth", "test_synth", "standard_synth", "data_big", "test_big", "robust_big",
                "simple_coarse_most_frequent", "endtail_penguins_gaussian_right"},
    "transforms": {"data_synthetic", "test_synthetic", "data_positive", "test_positive",
                   "power_synthetic_yeo-johnson_std", "power_positive_box-cox_std",
                   "power_penguins_yeo-johnson_std", "quantile_synthetic_1000_normal",
                   "kbins_synthetic_complete_kmeans_10", "kbins_float32_quantile_3"},
    # the three CSVs (penguins_probe, zipf_train, zipf_test) are always written
    "encoders": {"onehot_penguins_minfreq_frac", "ordinal_zipf_encoded", "imputer_zipf"},
    "splits": None,  # the whole family (milliseconds)
    "drift": None,  # the drift reference (issue 18): the whole family, about 2 s
    "selectors": None,  # the selectors' reference (issue 19): the whole family, well under a second
    "create": None,  # PolynomialFeatures (scikit-learn) and the creation reference (issue 19): about 1 s
    "spline": None,  # SplineTransformer (scikit-learn 1.2 on scipy 1.10, issue 19): the whole family, well under a second
    "psi": None,  # DropHighPSIFeatures (feature-engine's definitions with pandas, issue 19): the whole family, about 1 s
    "datetime": None,  # pandas' .dt over every day of 1678-2261 (issue 19): the whole family, about 2 s
}


def first_difference(a, b):
    la, lb = a.splitlines(), b.splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"line {i + 1}:\n      committed:   {x[:150]}\n      regenerated: {y[:150]}"
    return f"{len(la)} lines committed, {len(lb)} regenerated"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path, help="scratch directory (its family subdirectories are replaced)")
    ap.add_argument("--all", action="store_true", help="regenerate every golden file, not a sample")
    args = ap.parse_args(argv[1:])
    t0 = time.monotonic()
    print(f"check_golden: {repro_env.POLICY}")
    compared, bad = 0, []
    for family, only in SAMPLE.items():
        out = args.out / family
        if out.exists():
            shutil.rmtree(out)
        mod = importlib.import_module("golden_" + family)
        mod.main(args.out, only=None if args.all else only)
        made = sorted(p.name for p in out.iterdir())
        missing = sorted(set(only or ()) - {p.rsplit(".", 1)[0] for p in made}) if not args.all else []
        bad += [f"{family}/{m}: not written (no such case in golden_{family}.py?)" for m in missing]
        for name in made:
            committed = HERE / family / name
            if not committed.exists():
                bad.append(f"{family}/{name}: regenerated, but not committed")
                continue
            a, b = committed.read_bytes(), (out / name).read_bytes()
            compared += 1
            if a != b:
                bad.append(f"{family}/{name}: differs from the committed file at "
                           + first_difference(a.decode("utf-8", "replace"), b.decode("utf-8", "replace")))
    dt = time.monotonic() - t0
    if bad:
        print(f"check_golden: {len(bad)} of {compared} regenerated golden files do not match "
              f"tests/golden/ ({dt:.1f} s):")
        for line in bad:
            print("  " + line)
        print("The generators no longer reproduce the committed files. If a generator, its data "
              "or the Python stack (sklearn/numpy/scipy versions) changed on purpose, rerun "
              "tests/golden/make_golden.py and commit the new files with the change; see docs/ci.md.")
        return 1
    print(f"check_golden: {compared} regenerated golden files identical to tests/golden/ ({dt:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
