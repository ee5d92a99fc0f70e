#pragma once

#include <cstdint>

namespace icsflow::models::blmk {

// The kinds of event of the BLMK model; Event::subject says which entity each is about.
enum EventKind : std::uint32_t {
    kInitialise = 0,   // insert the initial waiting list
    kReferral,         // subject: referral stream [place][specialty][urgency]
    kEmergency,        // subject: emergency stream [place][age band]
    kHandoff,          // subject: hand-off slot
    kSession,          // subject: session series
    kAcuteCareEnds,    // subject: inpatient (medically fit, or discharged home)
    kAssessmentEnds,   // subject: inpatient (referral for support is sent)
    kCommunityEnds,    // subject: place * 3 + service (a client finishes)
    kCareHomeVacancy,  // subject: place
    kBedLevel,         // subject: hospital (open general beds change)
    kCommunityLevel,   // subject: place * 3 + service (capacity changes)
    kDaily,            // removals from the lists, A&E and other non-elective counts
    kWeekEnd,          // subject: week index (census of the lists)
    kMonthEnd,         // subject: month index
    kTreatmentStarts,  // subject: pathway (non-surgical cancer treatment)
    kCancerDecision,   // subject: pathway (work-up done: surgery or non-surgical treatment)
    kPolicyChange,     // subject: index into policy_changes
    kExternalSupport,  // subject: inpatient (out-of-area support ready)
    kDeferralEnds,     // subject: pathway (a patient who deferred asks for a new date)
};

}  // namespace icsflow::models::blmk
