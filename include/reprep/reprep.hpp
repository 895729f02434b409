// reprep: reproducible, bit-identical preprocessing for machine learning.
// The umbrella header: includes every public header.
#pragma once

#include "version.hpp"
#include "core/error.hpp"
#include "core/fp_env.hpp"
#include "core/hash.hpp"
#include "core/archive.hpp"
#include "core/matrix.hpp"
#include "core/dmath.hpp"
#include "core/exact_sum.hpp"
#include "core/moments.hpp"
#include "core/quantile.hpp"
#include "core/rng.hpp"
#include "core/table.hpp"
#include "core/csv.hpp"
#include "compose/pipeline.hpp"
#include "compose/inspect.hpp"
#include "model_selection/train_test_split.hpp"
#include "model_selection/k_fold.hpp"
#include "model_selection/stratified_k_fold.hpp"
#include "model_selection/group_k_fold.hpp"
#include "model_selection/time_series_split.hpp"
