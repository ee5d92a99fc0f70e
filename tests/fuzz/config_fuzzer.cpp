// Fuzz target: the configuration loader, as `icsflow validate` runs it (TOML parsing, `base`
// inheritance, every model's parameter dictionary and reader). Any input must end in a valid
// scenario or a ConfigError / ConfigFileError; anything else (a crash, another exception, a
// hang, unbounded memory) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/register_models.hpp"
#include "sim/config/config_document.hpp"
#include "sim/runner/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const icsflow::sim::ModelRegistry registry = [] {
        icsflow::sim::ModelRegistry r;
        icsflow::models::register_all(r);
        return r;
    }();
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto loaded =
            icsflow::sim::load_scenario_text(registry, std::move(text), "fuzz/config.toml");
        static_cast<void>(loaded.scenario->schema());
    } catch (const icsflow::sim::config::ConfigError&) {
    } catch (const icsflow::sim::config::ConfigFileError&) {
    }
    return 0;
}
