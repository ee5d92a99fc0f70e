#pragma once

#include "models/blmk/parameters/parameters.hpp"
#include "models/blmk/system/patients.hpp"
#include "sim/random/random_stream.hpp"

namespace icsflow::models::blmk {

// Draws the clinical course of a new pathway: whether it will need a test (and which), a
// follow-up before the decision, admission (day case or inpatient, at which priority), and for a
// suspected-cancer referral whether cancer is found and treated surgically. Always eight draws,
// whatever the outcome, so the patients after this one see the same random numbers in every
// scenario (common random numbers).
void draw_course(Pathway& pathway, const SpecialtyParams& specialty, sim::RandomStream& stream);

}  // namespace icsflow::models::blmk
