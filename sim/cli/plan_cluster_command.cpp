#include "sim/cli/plan_cluster_command.hpp"

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "sim/cli/exit_codes.hpp"
#include "sim/cli/option_checks.hpp"
#include "sim/planner/cluster_planner.hpp"
#include "sim/runner/progress.hpp"

namespace icsflow::sim {

namespace {

// "16x2" or "16x2:blocks" -> a layout.
planner::Layout parse_layout(const std::string& text) {
    const auto x = text.find('x');
    const auto colon = text.find(':');
    if (x == std::string::npos) {
        throw std::invalid_argument("layout '" + text + "' is not RANKSxTHREADS[:blocks|:chunks]");
    }
    planner::Layout layout;
    layout.ranks = std::stoi(text.substr(0, x));
    layout.threads = std::stoi(
        text.substr(x + 1, colon == std::string::npos ? std::string::npos : colon - x - 1));
    if (colon != std::string::npos) {
        layout.policy = distribution_policy_from_string(text.substr(colon + 1));
    }
    if (layout.ranks < 1 || layout.threads < 1) {
        throw std::invalid_argument("layout '" + text + "' needs at least 1 rank and 1 thread");
    }
    return layout;
}

std::string layout_text(const planner::Layout& layout) {
    return std::to_string(layout.ranks) + " x " + std::to_string(layout.threads);
}

void print_plan(const planner::Plan& plan, const planner::ReplicationCosts& costs,
                std::uint64_t replications, double deadline) {
    const planner::PlatformSummary& p = plan.platform;
    std::printf("platform: %s: %d compute hosts of %d cores, %.2f x the profiled core%s\n",
                p.path.c_str(), p.compute_hosts, p.cores_per_host, p.core_speed,
                p.has_filesystem ? ", shared file system" : "");
    std::printf(
        "costs:    %s: %zu replications, mean %.3f s and %.3g bytes each; setup %.2f s, "
        "writing %.3g s per MB\n",
        costs.source.c_str(), costs.seconds.size(), costs.mean_seconds(), costs.mean_bytes(),
        costs.setup_seconds, costs.write_seconds_per_byte * 1e6);
    std::printf("batch:    %llu replications\n\n", static_cast<unsigned long long>(replications));
    std::printf("%-16s %6s %8s %16s %11s %11s\n", "ranks x threads", "nodes", "policy",
                "predicted wall", "efficiency", "core-hours");
    for (const planner::Prediction& prediction : plan.predictions) {
        std::printf("%-16s %6d %8s %16s %10.1f%% %11.2f\n", layout_text(prediction.layout).c_str(),
                    prediction.nodes,
                    prediction.layout.ranks > 1 ? to_string(prediction.layout.policy) : "-",
                    format_duration(prediction.wall_seconds).c_str(), 100.0 * prediction.efficiency,
                    prediction.core_hours);
    }
    const planner::Prediction& best = planner::recommend(plan.predictions, deadline);
    const bool meets = best.wall_seconds <= deadline;
    std::printf("\nrecommended for a deadline of %s: %s (%s) on %d node%s: %s%s\n",
                format_duration(deadline).c_str(), layout_text(best.layout).c_str(),
                best.layout.ranks > 1 ? to_string(best.layout.policy) : "one rank", best.nodes,
                best.nodes == 1 ? "" : "s", format_duration(best.wall_seconds).c_str(),
                meets ? "" : " (no layout meets the deadline; this is the fastest)");
}

}  // namespace

double parse_duration(const std::string& text) {
    if (text.empty()) {
        throw std::invalid_argument("empty duration");
    }
    double scale = 1.0;
    std::string number = text;
    switch (text.back()) {
        case 's':
            number.pop_back();
            break;
        case 'm':
            scale = 60.0;
            number.pop_back();
            break;
        case 'h':
            scale = 3600.0;
            number.pop_back();
            break;
        default:
            break;
    }
    std::size_t used = 0;
    const double value = std::stod(number, &used);
    if (used != number.size() || !(value > 0)) {
        throw std::invalid_argument("'" + text + "' is not a duration like 90s, 30m or 2h");
    }
    return value * scale;
}

void add_plan_cluster_options(CLI::App& plan, PlanOptions& options) {
    plan.add_option("--platform", options.platform, "SimGrid platform (XML)")
        ->required()
        ->check(CLI::ExistingFile);
    plan.add_option("-r,--replications", options.replications, "Replications in the batch")
        ->required()
        ->check(whole_number_in(1, 1'000'000'000));
    plan.add_option("--profile", options.profile,
                    "Results file whose /runtime gives the cost of each replication")
        ->check(CLI::ExistingFile);
    plan.add_option("--seconds-per-replication", options.seconds_per_replication,
                    "Without --profile: compute seconds of one replication on a 1Gf core")
        ->check(finite_number_in(0.0, 1e9, true));
    plan.add_option("--bytes-per-replication", options.bytes_per_replication,
                    "Without --profile: bytes of results of one replication")
        ->check(finite_number_in(0.0, 1e15, false));
    plan.add_option("--deadline", options.deadline,
                    "Wall time the batch must fit in, e.g. 90m or 2h (default 24h)");
    plan.add_option("--cost", options.cost,
                    "A profiled replication's cost: its thread's CPU time (default; unaffected "
                    "by other programs' load) or its wall time")
        ->check(CLI::IsMember({"cpu", "wall"}));
    plan.add_option("--layout", options.layouts,
                    "Layouts to simulate, RANKSxTHREADS[:blocks|:chunks] (default: a range)");
}

int command_plan_cluster(const PlanOptions& options) {
    double deadline = 0.0;
    std::vector<planner::Layout> layouts;
    try {
        deadline = parse_duration(options.deadline);
        for (const std::string& text : options.layouts) {
            layouts.push_back(parse_layout(text));
        }
    } catch (const std::exception& e) {
        std::cerr << "icsflow plan-cluster: " << e.what() << '\n';
        return kExitUsage;
    }
    planner::ReplicationCosts costs;
    if (!options.profile.empty()) {
        costs = planner::costs_from_results(options.profile, options.cost == "wall"
                                                                 ? planner::CostMeasure::wall
                                                                 : planner::CostMeasure::cpu);
    } else if (options.seconds_per_replication > 0) {
        costs.source = "given on the command line";
        costs.seconds = {options.seconds_per_replication};
        costs.bytes = {options.bytes_per_replication};
    } else {
        std::cerr << "icsflow plan-cluster: give --profile FILE.h5 (a results file) or "
                     "--seconds-per-replication\n";
        return kExitUsage;
    }
    const planner::Plan plan =
        planner::plan_batch(options.platform, costs, options.replications, layouts);
    print_plan(plan, costs, options.replications, deadline);
    return kExitOk;
}

}  // namespace icsflow::sim
