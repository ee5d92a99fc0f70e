#!/usr/bin/python3
"""Derive the capacity tables of configs/blmk.toml from demand and target waits.

No public source gives outpatient slots, scanner sessions or theatre lists by hospital and
specialty for BLMK, so the model's capacity is derived: from the demand the configuration
already holds (places, referral rates, the clinical course of each specialty) and the waits that
the 2019/20 baseline should show (docs/calibration.md), by a steady-state flow calculation.

The calculation. A list served in order (priority, then longest wait) by a capacity below its
inflow keeps a steady wait W when patients also leave it for other reasons at rate h a week:
the routine cohort joining at rate lam is served after W weeks, when exp(-h W) of it remains, so
the list's routine throughput is lam * exp(-h W). Urgent and suspected-cancer patients go first
and wait little. So the capacity that gives a routine wait W at a stage is

    slots = (urgent + cancer + routine * exp(-h W)) * (1 + DNA rate)

and the flow passed on to the next stage is what was served. Diagnostic, follow-up and theatre
capacity also serve patients not on an RTT pathway; their share is set so that total activity
matches the seeds' 2016/17 volumes grown to 2019/20 (seed 002:L5164-5200) and England's test
volumes at BLMK's population share (pack §6, research §8).

The same calculation gives the expected make-up of the list (by hospital, specialty, stage and
weeks waited), used for the initial waiting list.

Usage: /usr/bin/python3 scripts/derive_capacity.py [--write] [configs/blmk.toml]
  prints the derived TOML block, or with --write replaces the block between the markers
  "# >>> derived capacity and initial list" and "# <<< ..." in the configuration.
"""

import math
import sys
import tomllib

WEEKS_PER_YEAR = 365.25 / 7

# Target routine waits, weeks, per stage: (first outpatient, follow-up, admitted list).
# Anchors: England's mean wait from decision to elective admission was 60 days in 2019/20
# (pack §4b); median RTT wait 7-8 weeks and 92nd percentile about 22 weeks (pack §4b); T&O had
# the longest waits (research §1); in 2016 Milton Keynes met the 18-week standard least often
# (88.8% against Bedford 93.7% and L&D 92.9%, seed 002:L607-641).
TARGET_WAITS = {
    "trauma_orthopaedics": (8.0, 5.0, 26.0),
    "ophthalmology": (6.0, 4.0, 14.0),
    "general_surgery": (4.5, 3.5, 14.0),
    "other_surgical": (6.5, 4.5, 18.0),
    "medical": (6.5, 4.5, 11.0),
}
HOSPITAL_WAIT_FACTOR = {"bedford": 0.9, "luton_dunstable": 0.95, "milton_keynes": 1.25}
# Routine waits for a test by modality: DM01 had 97% within 6 weeks before COVID (pack §6), and
# endoscopy was the most challenged (seed 000:L1337-1339).
DIAGNOSTIC_WAITS = {"mri": 3.5, "ct": 2.0, "endoscopy": 5.5}

# Cases per theatre list: 4.0 day cases, 2.25 inpatients (research §6, one teaching hospital).
DAY_CASES_PER_SESSION = 4.0
INPATIENT_CASES_PER_SESSION = 2.25

# Annual volume targets for 2019/20 at the modelled hospitals (derived): seed 2016/17 figures
# grown three years at the seeds' unmitigated rates, 4.69% (electives) and 3.25% (outpatients)
# a year (seed 002:L5164-5200).
ELECTIVE_TARGET = 110914 * 1.0469**3
OUTPATIENT_TARGET = 874259 * 1.0325**3
# England tests a year x BLMK's 1.678% share: MRI 3.77 m, CT 5.83 m (research §8), endoscopy
# about 1.4 m (pack §8b: 110,584 in April and 125,072 in October 2019, x 12).
TESTS_TARGET = {"mri": 3.77e6 * 0.01678, "ct": 5.83e6 * 0.01678, "endoscopy": 1.40e6 * 0.01678}

# Community services are sized for a utilisation below one, so that queues form but stay bounded
# as demand grows; care homes, offered one vacancy at a time, need more headroom.
COMMUNITY_UTILISATION = {1: 0.80, 2: 0.80, 3: 0.65}

MODALITIES = ["mri", "ct", "endoscopy"]

# England's waiting list in January 2019, the start of the warm-up: 4.2 m (assumption between
# 4.13 m in Sep 2018 and 4.3 m in Apr 2019, pack §4b and research §11).
INITIAL_LIST_ENGLAND = 4.2e6
BLMK_POPULATION = 944449  # pack §1

BEGIN_MARK = "# >>> derived capacity and initial list"
END_MARK = "# <<< derived capacity and initial list"


def derive(path):
    with open(path, "rb") as f:
        cfg = tomllib.load(f)
    h_removal = cfg["removals"]["background_rate_per_week"]
    dna_first = cfg["dna"]["first"]
    dna_fu = cfg["dna"]["follow_up"]
    specialties = sorted(cfg["specialties"])
    hospitals = sorted(["bedford", "luton_dunstable", "milton_keynes"])
    places = cfg["places"]

    def survive(w):
        return math.exp(-h_removal * w)

    # Weekly referrals by hospital, specialty, urgency.
    referrals = {}
    population_served = {h: 0.0 for h in hospitals}
    for pid, place in places.items():
        for h, share in place["hospital_shares"].items():
            population_served[h] += place["population"] * share
            for s in specialties:
                rates = cfg["specialties"][s]["referrals_per_1000"]
                for u in range(3):
                    key = (h, s, u)
                    referrals[key] = referrals.get(key, 0.0) + (
                        place["population"] * share * rates[u] / 1000 / WEEKS_PER_YEAR)
    total_population = sum(population_served.values())

    clinics = {}
    diag_rtt = {(h, m): 0.0 for h in hospitals for m in MODALITIES}
    admitted_year = 0.0
    first_attended_year = 0.0
    fu_rtt_attempts_year = 0.0
    fu_rtt_attended_year = 0.0
    stocks = {}  # (h, s, stage) -> (patients, mean weeks already waited at entry)
    for h in hospitals:
        for s in specialties:
            sp = cfg["specialties"][s]
            w_first, w_fu, w_adm = (x * HOSPITAL_WAIT_FACTOR[h] for x in TARGET_WAITS[s])
            routine, urgent, cancer = (referrals[(h, s, u)] for u in range(3))
            # First outpatients: urgent and cancer first, routine after w_first weeks.
            served_first = urgent + cancer + routine * survive(w_first)
            first_slots = served_first * (1 + dna_first)
            attended = served_first * (1 - dna_first**2)
            attended_cancer = cancer * (1 - dna_first**2)
            attended_other = attended - attended_cancer
            first_attended_year += served_first * (1 - dna_first) * WEEKS_PER_YEAR
            stocks[(h, s, "outpatient_first")] = (
                routine * (1 - survive(w_first)) / h_removal + (urgent + cancer) * 0.5, 0.0,
                w_first)
            # Tests: every suspected cancer, and the share that needs one.
            diag_wait = sum(DIAGNOSTIC_WAITS[m] * share
                            for m, share in zip(MODALITIES, sp["modality_mix"]))
            diag_wait *= HOSPITAL_WAIT_FACTOR[h]
            survive_test = sum(survive(DIAGNOSTIC_WAITS[m] * HOSPITAL_WAIT_FACTOR[h]) * share
                               for m, share in zip(MODALITIES, sp["modality_mix"]))
            for m, share in zip(MODALITIES, sp["modality_mix"]):
                routine_survive = survive(DIAGNOSTIC_WAITS[m] * HOSPITAL_WAIT_FACTOR[h])
                diag_rtt[(h, m)] += (attended_other * sp["diagnostic_probability"]
                                     * routine_survive + attended_cancer) * share
            tested = attended_other * sp["diagnostic_probability"] * survive_test + attended_cancer
            stocks[(h, s, "diagnostics")] = (
                attended_other * sp["diagnostic_probability"] * (1 - survive_test) / h_removal,
                w_first, diag_wait)
            # Follow-ups: after a test, or straight from the first appointment.
            to_fu_routine = tested - attended_cancer + attended_other * sp["follow_up_probability"]
            served_fu = attended_cancer + to_fu_routine * survive(w_fu)
            fu_slots = served_fu * (1 + dna_fu)
            fu_rtt_attempts_year += fu_slots * WEEKS_PER_YEAR
            fu_rtt_attended_year += served_fu * (1 - dna_fu) * WEEKS_PER_YEAR
            stocks[(h, s, "follow_up")] = (to_fu_routine * (1 - survive(w_fu)) / h_removal,
                                           w_first + 0.5 * diag_wait, w_fu)
            # Decisions: direct ones and those at a follow-up.
            direct = attended_other * (1 - sp["diagnostic_probability"] - sp["follow_up_probability"])
            decisions = direct + (served_fu - attended_cancer) * (1 - dna_fu**2)
            to_admit = decisions * sp["admit_probability"]
            cancers = attended_cancer * sp.get("cancer_conversion", 0) * sp.get(
                "cancer_surgical_share", 0.5)
            p = sp["priority_mix"]
            urgent_adm = to_admit * (p[0] + p[1]) + cancers
            routine_adm = to_admit * (p[2] + p[3])
            served_adm = urgent_adm + routine_adm * survive(w_adm)
            admitted_year += served_adm * WEEKS_PER_YEAR
            stocks[(h, s, "admitted")] = (routine_adm * (1 - survive(w_adm)) / h_removal,
                                          w_first + 0.7 * w_fu, w_adm)
            dc = sp["day_case_share"]
            clinics[(h, s)] = {
                "first": first_slots,
                "fu_rtt": fu_slots,
                "dc_cases_rtt": served_adm * dc,
                "ip_cases_rtt": served_adm * (1 - dc),
                "waits": (w_first, w_fu, w_adm),
            }

    planned_share = max(0.0, 1 - admitted_year / ELECTIVE_TARGET)
    fu_other_attended = OUTPATIENT_TARGET - first_attended_year - fu_rtt_attended_year
    fu_other_attempts = max(0.0, fu_other_attended / (1 - dna_fu))
    fu_other_share = fu_other_attempts / (fu_other_attempts + fu_rtt_attempts_year)

    out = []
    out.append(BEGIN_MARK)
    out.append("# Generated by scripts/derive_capacity.py from the demand above and the target waits "
               "in the")
    out.append("# script; do not edit by hand (run it with --write). docs/calibration.md explains.")
    out.append(f"# RTT admitted treatments {admitted_year:,.0f} a year; electives target "
               f"{ELECTIVE_TARGET:,.0f}: planned (non-RTT) share {planned_share:.3f}")
    out.append(f"# first attendances {first_attended_year:,.0f}; RTT follow-ups "
               f"{fu_rtt_attended_year:,.0f}; outpatient target {OUTPATIENT_TARGET:,.0f}: "
               f"non-RTT follow-up share {fu_other_share:.3f}")
    for h in hospitals:
        share = population_served[h] / total_population
        slots = []
        other = []
        for m in MODALITIES:
            target = TESTS_TARGET[m] * share / WEEKS_PER_YEAR
            rtt = diag_rtt[(h, m)]
            total = max(target, rtt)
            slots.append(total)
            other.append(1 - rtt / total)
        out.append("")
        out.append(f"[hospitals.{h}.diagnostics]  # population served {population_served[h]:,.0f}")
        out.append(f"slots_per_week = [{', '.join(f'{x:.0f}' for x in slots)}]")
        out.append(f"other_share = [{', '.join(f'{x:.3f}' for x in other)}]")
        for s in specialties:
            c = clinics[(h, s)]
            dc_cases = c["dc_cases_rtt"] / (1 - planned_share)
            ip_cases = c["ip_cases_rtt"] / (1 - planned_share)
            fu_total = c["fu_rtt"] / (1 - fu_other_share)
            w = c["waits"]
            out.append("")
            out.append(f"[hospitals.{h}.clinics.{s}]  # routine waits {w[0]:.1f}, {w[1]:.1f}, "
                       f"{w[2]:.1f} weeks")
            out.append(f"first_slots_per_week = {c['first']:.1f}")
            out.append(f"follow_up_slots_per_week = {fu_total:.1f}")
            out.append(f"follow_up_other_share = {fu_other_share:.3f}")
            out.append(f"day_case_sessions_per_week = {dc_cases / DAY_CASES_PER_SESSION:.2f}")
            out.append(f"day_cases_per_session = {DAY_CASES_PER_SESSION}")
            out.append(f"inpatient_sessions_per_week = "
                       f"{ip_cases / INPATIENT_CASES_PER_SESSION:.2f}")
            out.append(f"inpatient_cases_per_session = {INPATIENT_CASES_PER_SESSION}")
            out.append(f"theatre_planned_share = {planned_share:.3f}")

    # Community capacity per place: pathway 1-3 flows of emergency and elective inpatients.
    em = cfg["emergency"]
    elective_inpatients_year = sum(c["ip_cases_rtt"] for c in clinics.values()) \
        * WEEKS_PER_YEAR / (1 - planned_share)
    elective_mix = [sum(cfg["specialties"][s]["elective_discharge_mix"][k] for s in specialties)
                    / len(specialties) for k in range(4)]
    durations = {1: cfg["community"]["reablement_duration"]["mean"],
                 2: cfg["community"]["community_bed_duration"]["mean"]}
    for pid in sorted(places):
        place = places[pid]
        if place.get("external", False):
            continue
        modelled = sum(place["hospital_shares"].values())
        flows = {1: 0.0, 2: 0.0, 3: 0.0}
        bands = ["under_65", "age_65_84", "age_85_plus"]
        for a, band in enumerate(bands):
            per_day = (place["population"] * place["age_shares"][a] * em["admissions_per_1000"][a]
                       / 1000 / 365.25 * modelled * (1 - em["zero_day_share"][a]))
            for k in (1, 2, 3):
                flows[k] += per_day * em[f"discharge_mix_{band}"][k]
        place_share = place["population"] * modelled / total_population
        for k in (1, 2, 3):
            flows[k] += elective_inpatients_year / 365.25 * place_share * elective_mix[k]
        out.append("")
        out.append(f"[places.{pid}.community]  # discharges a day needing pathway 1: "
                   f"{flows[1]:.2f}, 2: {flows[2]:.2f}, 3: {flows[3]:.2f}")
        u = COMMUNITY_UTILISATION
        out.append(f"reablement_slots = {math.ceil(flows[1] * durations[1] / u[1])}")
        out.append(f"community_beds = {math.ceil(flows[2] * durations[2] / u[2])}")
        out.append(f"care_home_placements_per_week = {flows[3] * 7 / u[3]:.1f}")

    # The initial waiting list: its size and weeks-waited bands are England's at the start of
    # the warm-up scaled to the modelled population; its split by hospital, specialty and stage
    # is the flow calculation's.
    list_total = INITIAL_LIST_ENGLAND * 0.01678 * total_population / BLMK_POPULATION
    expected = sum(v[0] for v in stocks.values())
    by_h = {h: sum(v[0] for k, v in stocks.items() if k[0] == h) / expected for h in hospitals}
    by_s = {s: sum(v[0] for k, v in stocks.items() if k[1] == s) / expected for s in specialties}
    edges = [0, 18, 52, 78, 104, 1e9]
    stage_band = {}
    for (h, s, stage), (n, entry, width) in stocks.items():
        for b in range(5):
            lo, hi = max(edges[b], entry), min(edges[b + 1], entry + width)
            if hi > lo:
                stage_band[(stage, b)] = stage_band.get((stage, b), 0.0) + n * (hi - lo) / width
    def band_shares(stage):
        # Bands the steady state does not reach (the long waits of the initial list) take the
        # make-up of the longest band it does reach.
        shares = []
        for b in range(5):
            total_b = sum(v for (st, bb), v in stage_band.items() if bb == b)
            if total_b > 0:
                shares.append(stage_band.get((stage, b), 0.0) / total_b)
            else:
                shares.append(shares[-1])
        return shares
    out.append("")
    out.append(f"[initial_list]  # flow calculation's steady list: {expected:,.0f}")
    out.append(f"total = {list_total:.0f}  # England {INITIAL_LIST_ENGLAND / 1e6:.2f} m "
               "(Jan 2019) x 1.678% (pack §1) x modelled/BLMK population")
    out.append("hospital_shares = { " + ", ".join(f"{h} = {by_h[h]:.3f}" for h in hospitals)
               + " }")
    out.append("specialty_shares = { " + ", ".join(f"{s} = {by_s[s]:.3f}" for s in specialties)
               + " }")
    out.append("band_shares = [0.865, 0.1346, 0.0003, 0.0001, 0.0]  # April 2019: 86.5% under 18 "
               "weeks, about 1,600 over 52 of 4.3 m (research §11)")
    for stage, key in (("admitted", "admitted_share_by_band"),
                       ("diagnostics", "diagnostics_share_by_band"),
                       ("follow_up", "follow_up_share_by_band")):
        out.append(f"{key} = [{', '.join(f'{x:.3f}' for x in band_shares(stage))}]")
    out.append(END_MARK)
    return "\n".join(out)


def write_into(path, block):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    begin = text.index(BEGIN_MARK)
    end = text.index(END_MARK) + len(END_MARK)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text[:begin] + block + text[end:])
    import os
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--write"]
    config = args[0] if args else "configs/blmk.toml"
    block = derive(config)
    if "--write" in sys.argv:
        write_into(config, block)
    else:
        print(block)
