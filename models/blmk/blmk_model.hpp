#pragma once

#include <memory>

#include "models/blmk/parameters/parameters.hpp"
#include "models/blmk/system/scenario_tables.hpp"
#include "sim/runner/scenario.hpp"

namespace icsflow::models::blmk {

// The BLMK whole-system model as a scenario: referral to treatment, emergency demand for the
// same beds, discharge and community capacity. See docs/model.md.
class BlmkScenario : public sim::Scenario {
  public:
    BlmkScenario(BlmkParameters parameters, const sim::RunSettings& run);

    [[nodiscard]] const sim::OutputSchema& schema() const override { return schema_; }
    [[nodiscard]] sim::ReplicationResult run(const sim::ReplicationContext& context) const override;
    [[nodiscard]] std::vector<std::string> uncertain_assumptions() const override {
        if (parameters_.uncertainty.capacity_delivery_sd > 0.0) {
            return {"uncertainty.capacity_delivery_sd"};
        }
        return {};
    }

    [[nodiscard]] const BlmkParameters& parameters() const { return parameters_; }
    [[nodiscard]] const ScenarioTables& tables() const { return *tables_; }

  private:
    BlmkParameters parameters_;
    std::unique_ptr<ScenarioTables> tables_;
    sim::OutputSchema schema_;
};

[[nodiscard]] sim::ModelInfo blmk_model_info();

}  // namespace icsflow::models::blmk
