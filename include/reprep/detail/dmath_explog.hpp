// Placeholder: filled in by the dmath work (see core/dmath.hpp).
#pragma once
#include "double_double.hpp"
