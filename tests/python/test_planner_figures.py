#!/usr/bin/python3
"""scripts/planner_figures.py computes the paired intervals of the figures it sums from series
as `icsflow compare` computes them for summaries: Student's t quantile against its tabulated
values, and the paired interval of a summary (list_end) from the files' values against the one
`icsflow compare` prints for the same two files.

    test_planner_figures.py --script scripts/planner_figures.py --icsflow build/icsflow \
        --scenarios A.h5 B.h5
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_support import CheckFailed, expect  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", required=True)
    parser.add_argument("--icsflow", required=True)
    parser.add_argument("--scenarios", nargs=2, required=True)
    args = parser.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.script)))
    import icsflow_results as ir
    import planner_figures as pf
    try:
        # Student's t, 97.5%: tabulated to 4 decimals.
        for df, tabulated in ((1, 12.7062), (3, 3.1824), (9, 2.2622), (39, 2.0227)):
            got = pf.student_t_975(df)
            print(f"  t(0.975, {df}) = {got:.6f} (table {tabulated})")
            expect(abs(got - tabulated) < 5e-5, f"t quantile for {df} degrees of freedom")
        first, second = args.scenarios
        measures = ir.compare([first, second], ["a", "b"], args.icsflow)
        program = measures["list_end"]["scenarios"]["b"]["difference"]
        values = [ir.open_results(p)["summary/values/list_end"][()] for p in (first, second)]
        mean, low, high = pf.paired(values[0], values[1])
        print(f"  list_end paired difference: {mean:.6g} [{low:.6g}, {high:.6g}]; icsflow "
              f"compare {program['estimate']:.6g} [{program['paired_low']:.6g}, "
              f"{program['paired_high']:.6g}]")
        expect(low < high, "the interval has width")
        for ours, theirs in ((mean, program["estimate"]), (low, program["paired_low"]),
                             (high, program["paired_high"])):
            expect(abs(ours - theirs) <= 1e-6 * max(1.0, abs(theirs)),
                   f"{ours} against icsflow compare's {theirs}")
    except CheckFailed as failure:
        print(f"FAILED: {failure}")
        return 1
    print("planner figures: intervals as icsflow compare's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
