#include "models/blmk/hospitals/pathway_rules.hpp"

#include "sim/random/distributions.hpp"

namespace icsflow::models::blmk {

void draw_course(Pathway& pathway, const SpecialtyParams& specialty, sim::RandomStream& stream) {
    const double u_route = stream.uniform();
    const double u_modality = stream.uniform();
    const double u_admit = stream.uniform();
    const double u_day_case = stream.uniform();
    const double u_priority = stream.uniform();
    const double u_cancer = stream.uniform();
    const double u_surgical = stream.uniform();
    const double u_spare = stream.uniform();  // reserved, keeps the count fixed
    static_cast<void>(u_spare);

    pathway.modality =
        static_cast<std::uint8_t>(sim::category_of(specialty.modality_mix, u_modality));
    pathway.set(Pathway::day_case, u_day_case < specialty.day_case_share);
    if (pathway.urgency == static_cast<std::uint8_t>(Urgency::suspected_cancer)) {
        // Every suspected cancer is tested; a confirmed cancer is treated at priority 2.
        pathway.set(Pathway::needs_test, true);
        pathway.set(Pathway::needs_follow_up, true);
        const bool cancer = u_cancer < specialty.cancer_conversion;
        pathway.set(Pathway::cancer, cancer);
        pathway.set(Pathway::will_admit, cancer && u_surgical < specialty.cancer_surgical_share);
        pathway.priority = 2;
        return;
    }
    pathway.set(Pathway::needs_test, u_route < specialty.diagnostic_probability);
    pathway.set(Pathway::needs_follow_up,
                !pathway.has(Pathway::needs_test) &&
                    u_route < specialty.diagnostic_probability + specialty.follow_up_probability);
    pathway.set(Pathway::will_admit, u_admit < specialty.admit_probability);
    pathway.priority =
        static_cast<std::uint8_t>(1 + sim::category_of(specialty.priority_mix, u_priority));
}

}  // namespace icsflow::models::blmk
