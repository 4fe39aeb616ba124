// The model file: Model ↔ JSON (docs/model_format.md). The types and functions are public
// (include/regpath/regpath.hpp: Model, make_model, model_to_json, model_from_json, save_model,
// load_model); model.cpp implements them with nlohmann-json and depends on nothing else of the
// library, so that the fuzz target (tests/fuzz/fuzz_model.cpp) builds it alone.
#pragma once

#include "regpath/regpath.hpp"
