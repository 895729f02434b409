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
