#pragma once

#include "models/blmk/system/scenario_tables.hpp"
#include "sim/output/output_schema.hpp"

namespace icsflow::models::blmk {

// The analysis of a replication's recorded series: activity against the same month a year
// earlier, the peaks, the census month, the first-year figures and the targets of the
// configuration. Kept apart from Metrics, which records what happens during the run: everything
// here is computed after the run from the series Metrics wrote, so a new figure needs no change to
// what is recorded, and a reader can recompute any of them from the results file.
//
// Each output is declared once, next to the code that computes it; `declare_derived_outputs`
// and `write_derived_outputs` go through the same list.

// Adds the derived series and summaries to `schema` (after Metrics' recorded series, whose
// names they read).
void declare_derived_outputs(sim::OutputSchema& schema, const ScenarioTables& tables);

// Fills the derived series and summaries of `result`, whose recorded series Metrics::write has
// already filled.
void write_derived_outputs(const sim::OutputSchema& schema, const ScenarioTables& tables,
                           sim::ReplicationResult& result);

}  // namespace icsflow::models::blmk
