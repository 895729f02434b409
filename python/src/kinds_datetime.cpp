// reprep._reprep: the datetime components (include/reprep/datetime/): numeric features
// of datetime columns. See binding.hpp for Kind<C>; module.cpp carries datetime columns
// between pandas and the Table.
#include <reprep/datetime/datetime_features.hpp>
#include <reprep/datetime/datetime_subtraction.hpp>

#include "binding.hpp"

namespace reprep_py {

template <>
struct Kind<DatetimeFeatures> {
    using C = DatetimeFeatures;
    using P = C::Params;
    static constexpr const char* name = "DatetimeFeatures";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("features_to_extract", &P::features_to_extract),
                          field("drop_original", &P::drop_original),
                          choice("missing_values", &P::missing_values, missing_raise_ignore)};
    }
    // feature-engine's variables_ and features_to_extract_ (the resolved list: the
    // default seven or 'all' spelt out). C++ names the new columns <column>_<feature>,
    // the first column's features first, so the list is read off those names.
    static py::dict state(const C& s) {
        const auto& in = s.feature_names_in();
        const auto out = s.feature_names_out();
        const std::size_t per_column = s.n_new_features() / in.size();
        const std::size_t first = out.size() - s.n_new_features();
        std::vector<std::string> features;
        for (std::size_t k = 0; k < per_column; ++k) features.push_back(out[first + k].substr(in[0].size() + 1));
        return py::dict("variables_"_a = in, "features_to_extract_"_a = features);
    }
};

template <>
struct Kind<DatetimeSubtraction> {
    using C = DatetimeSubtraction;
    using P = C::Params;
    static constexpr const char* name = "DatetimeSubtraction";
    static auto fields() {
        return std::tuple{field("columns", &P::columns), field("reference", &P::reference),
                          field("new_variables_names", &P::new_variables_names),
                          field("output_unit", &P::output_unit),
                          choice("missing_values", &P::missing_values, missing_raise_ignore),
                          field("drop_original", &P::drop_original)};
    }
    // feature-engine's variables_ and reference_.
    static py::dict state(const C& s) {
        return py::dict("variables_"_a = s.params().columns, "reference_"_a = s.params().reference);
    }
};

void bind_datetime(py::module_& m) {
    bind_component<DatetimeFeatures>(m);
    bind_component<DatetimeSubtraction>(m);
}

}  // namespace reprep_py
