#include "sim/planner/cluster_planner.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <numeric>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/io/hdf5.hpp"
#include "sim/io/io_error.hpp"

namespace icsflow::sim::planner {

namespace s4u = simgrid::s4u;

namespace {

constexpr double kReferenceFlops = 1e9;      // one profiled core-second ("1Gf" hosts)
constexpr std::uint64_t kControlBytes = 64;  // a chunk request or reply
constexpr const char* kFilesystemHost = "filesystem";
// A rank of T threads keeps up to 2T replications queued or running (MpiDistributor asks for T
// more when fewer than 2T are outstanding), so a thread is never idle for want of work; here an
// idle thread takes one more at once (a request costs its network round trip).
constexpr std::uint64_t kChunkPerThread = 1;

double mean(const std::vector<double>& values) {
    return values.empty() ? 0.0
                          : std::accumulate(values.begin(), values.end(), 0.0) /
                                static_cast<double>(values.size());
}

// A finished replication on its way to rank 0's writer.
struct Delivery {
    std::uint64_t position = 0;
    double bytes = 0.0;
};

// The state of one simulated batch, shared by its actors (SimGrid actors run one at a time, so
// plain data needs no locks).
struct SimulatedBatch {
    const ReplicationCosts* costs = nullptr;
    Layout layout;
    std::uint64_t replications = 0;
    std::string prefix;  // mailbox names of this batch
    std::vector<s4u::Host*> rank_hosts;
    s4u::Host* filesystem = nullptr;
    double start_delay = 0.0;  // launch and setup, before the first replication
    std::vector<std::deque<std::uint64_t>> queues;  // per rank
    std::uint64_t next_chunk = 0;
    std::deque<Delivery> deliveries;  // storage for payloads in flight
    int final_replies = 0;            // "no more work" answers the coordinator gave
    double finished_at = 0.0;         // the last result written

    [[nodiscard]] double seconds(std::uint64_t position) const {
        return costs->seconds[position % costs->seconds.size()];
    }
    [[nodiscard]] double bytes(std::uint64_t position) const {
        return costs->bytes[position % costs->bytes.size()];
    }
    [[nodiscard]] s4u::Mailbox* mailbox(const std::string& name) const {
        return s4u::Mailbox::by_name(prefix + name);
    }
    // Positions [begin, end) for a rank asking for `size` more.
    std::pair<std::uint64_t, std::uint64_t> take_chunk(std::uint64_t size) {
        const std::uint64_t begin = std::min(next_chunk, replications);
        const std::uint64_t end = std::min(begin + size, replications);
        next_chunk = end;
        return {begin, end};
    }
};

// Rank 0's writer: takes results as they arrive, writes them in replication order (its own CPU
// time, then the bytes through the file system).
void writer_actor(SimulatedBatch* batch) {
    s4u::Mailbox* gather = batch->mailbox("gather");
    s4u::Mailbox* disk = batch->mailbox("filesystem");
    std::map<std::uint64_t, double> waiting;
    std::uint64_t written = 0;
    while (written < batch->replications) {
        const auto* delivery = gather->get<Delivery>();
        waiting.emplace(delivery->position, delivery->bytes);
        for (auto it = waiting.find(written); it != waiting.end(); it = waiting.find(written)) {
            const double cost = it->second * batch->costs->write_seconds_per_byte;
            if (cost > 0) {
                s4u::this_actor::execute(cost * kReferenceFlops);
            }
            if (batch->filesystem != nullptr) {
                static double token = 0;
                disk->put(&token, static_cast<std::uint64_t>(it->second));
            }
            waiting.erase(it);
            ++written;
        }
    }
    batch->finished_at = s4u::Engine::get_clock();
}

void filesystem_actor(SimulatedBatch* batch) {
    s4u::Mailbox* disk = batch->mailbox("filesystem");
    for (std::uint64_t i = 0; i < batch->replications; ++i) {
        static_cast<void>(disk->get<double>());
    }
}

// Answers chunk requests from ranks 1..N-1 until each of their threads has been told "no more".
void coordinator_actor(SimulatedBatch* batch) {
    s4u::Mailbox* requests = batch->mailbox("coordinator");
    const int askers = (batch->layout.ranks - 1) * batch->layout.threads;
    std::deque<std::pair<std::uint64_t, std::uint64_t>> replies;  // alive until received
    while (batch->final_replies < askers) {
        const auto* who = requests->get<std::string>();
        const auto chunk = batch->take_chunk(kChunkPerThread);
        const int rank = std::stoi(who->substr(0, who->find('.')));
        for (std::uint64_t p = chunk.first; p < chunk.second; ++p) {
            batch->queues[static_cast<std::size_t>(rank)].push_back(p);
        }
        if (chunk.first == chunk.second) {
            ++batch->final_replies;
        }
        replies.push_back(chunk);
        batch->mailbox("reply." + *who)->put(&replies.back(), kControlBytes);
    }
    // Let the last thread take its answer before this actor (and its replies) goes away.
    s4u::this_actor::sleep_for(1.0);
}

// One worker thread of one rank: takes replications from its rank's queue (asking rank 0 for
// more under `chunks`), computes each and sends its result to rank 0.
void thread_actor(SimulatedBatch* batch, int rank, int thread) {
    s4u::this_actor::sleep_for(batch->start_delay);
    const std::string me = std::to_string(rank) + "." + std::to_string(thread);
    auto& queue = batch->queues[static_cast<std::size_t>(rank)];
    s4u::Mailbox* gather = batch->mailbox("gather");
    bool told_done = false;
    std::vector<s4u::CommPtr> sends;
    while (true) {
        // Under `chunks` an idle thread asks for more until it is told there is none (another
        // thread of its rank may have taken the chunk its request brought).
        while (queue.empty() && batch->layout.policy == DistributionPolicy::chunks && !told_done) {
            std::pair<std::uint64_t, std::uint64_t> chunk;
            if (rank == 0) {
                chunk = batch->take_chunk(kChunkPerThread);
                for (std::uint64_t p = chunk.first; p < chunk.second; ++p) {
                    queue.push_back(p);
                }
            } else {
                auto* who = new std::string(me);  // freed once the reply arrives
                batch->mailbox("coordinator")->put(who, kControlBytes);
                chunk =
                    *batch->mailbox("reply." + me)->get<std::pair<std::uint64_t, std::uint64_t>>();
                delete who;
            }
            told_done = chunk.first == chunk.second;  // the coordinator counts one per thread
        }
        if (queue.empty()) {
            s4u::Comm::wait_all(sends);
            return;
        }
        const std::uint64_t position = queue.front();
        queue.pop_front();
        s4u::this_actor::execute(batch->seconds(position) * kReferenceFlops);
        batch->deliveries.push_back({position, batch->bytes(position)});
        // Sent without waiting (MPI_Isend): the thread goes on computing; rank 0 receives
        // when its main thread is not busy writing.
        sends.push_back(gather->put_async(&batch->deliveries.back(),
                                          static_cast<std::uint64_t>(batch->bytes(position))));
    }
}

std::vector<s4u::Host*> compute_hosts(const s4u::Engine& engine) {
    std::vector<s4u::Host*> hosts;
    for (s4u::Host* host : engine.get_all_hosts()) {
        if (host->get_name() != kFilesystemHost) {
            hosts.push_back(host);
        }
    }
    std::sort(hosts.begin(), hosts.end(),
              [](const s4u::Host* a, const s4u::Host* b) { return a->get_name() < b->get_name(); });
    return hosts;
}

std::vector<Layout> default_layouts(const PlatformSummary& platform) {
    // One thread per rank, one rank per host, and one in between.
    std::vector<int> thread_counts{1};
    int middle = 1;
    while (middle * middle < platform.cores_per_host) {
        middle *= 2;
    }
    if (middle > 1 && middle < platform.cores_per_host) {
        thread_counts.push_back(middle);
    }
    if (platform.cores_per_host > 1) {
        thread_counts.push_back(platform.cores_per_host);
    }
    std::vector<int> node_counts;
    for (int n = 1; n < platform.compute_hosts; n *= 2) {
        node_counts.push_back(n);
    }
    node_counts.push_back(platform.compute_hosts);
    std::vector<Layout> layouts;
    for (const int nodes : node_counts) {
        for (const int threads : thread_counts) {
            const int ranks = nodes * (platform.cores_per_host / threads);
            layouts.push_back({ranks, threads, DistributionPolicy::chunks});
            if (ranks > 1) {
                layouts.push_back({ranks, threads, DistributionPolicy::blocks});
            }
        }
    }
    return layouts;
}

// Simulates one layout from the current simulated time; returns the predicted wall time.
double simulate(SimulatedBatch& batch) {
    const double start = s4u::Engine::get_clock();
    const Layout& layout = batch.layout;
    batch.queues.assign(static_cast<std::size_t>(layout.ranks), {});
    if (layout.policy == DistributionPolicy::blocks) {
        for (int r = 0; r < layout.ranks; ++r) {
            const auto n = batch.replications;
            const auto ranks = static_cast<std::uint64_t>(layout.ranks);
            const auto rr = static_cast<std::uint64_t>(r);
            for (std::uint64_t p = n * rr / ranks; p < n * (rr + 1) / ranks; ++p) {
                batch.queues[static_cast<std::size_t>(r)].push_back(p);
            }
        }
    }
    std::vector<s4u::ActorPtr> actors;
    s4u::Host* root = batch.rank_hosts.front();
    s4u::ActorPtr writer = s4u::Actor::create("writer", root, writer_actor, &batch);
    actors.push_back(writer);
    if (batch.filesystem != nullptr) {
        actors.push_back(
            s4u::Actor::create("filesystem", batch.filesystem, filesystem_actor, &batch));
    }
    if (layout.policy == DistributionPolicy::chunks && layout.ranks > 1) {
        actors.push_back(s4u::Actor::create("coordinator", root, coordinator_actor, &batch));
    }
    for (int r = 0; r < layout.ranks; ++r) {
        for (int t = 0; t < layout.threads; ++t) {
            actors.push_back(s4u::Actor::create(
                "rank" + std::to_string(r) + "." + std::to_string(t),
                batch.rank_hosts[static_cast<std::size_t>(r)], thread_actor, &batch, r, t));
        }
    }
    for (const s4u::ActorPtr& actor : actors) {
        actor->join();
    }
    return batch.finished_at - start;
}

}  // namespace

double ReplicationCosts::mean_seconds() const {
    return mean(seconds);
}

double ReplicationCosts::mean_bytes() const {
    return mean(bytes);
}

ReplicationCosts costs_from_results(const std::string& path, CostMeasure measure) {
    const h5::File file = h5::File::open_read_only(path);
    if (!file.has_child("runtime")) {
        throw IoError("'" + path + "' has no /runtime group to plan from");
    }
    const h5::Group runtime = file.open_group("runtime");
    if (!runtime.has_child("bytes") || !runtime.has_attribute("sink_seconds")) {
        throw IoError("'" + path +
                      "' does not record /runtime/bytes and sink_seconds; run the batch again "
                      "with this version of icsflow to plan from it");
    }
    ReplicationCosts costs;
    const bool cpu = measure == CostMeasure::cpu && runtime.has_child("cpu_seconds");
    costs.source = path + (cpu ? " (CPU time)" : " (wall time)");
    costs.seconds = runtime.open_dataset(cpu ? "cpu_seconds" : "wall_seconds").read_doubles();
    for (const std::int64_t b : runtime.open_dataset("bytes").read_integers()) {
        costs.bytes.push_back(static_cast<double>(b));
    }
    if (costs.seconds.empty()) {
        throw IoError("'" + path + "' holds no replications to plan from");
    }
    const double total_bytes = std::accumulate(costs.bytes.begin(), costs.bytes.end(), 0.0);
    const double sink_seconds = runtime.double_attribute("sink_seconds").at(0);
    costs.write_seconds_per_byte = total_bytes > 0 ? sink_seconds / total_bytes : 0.0;
    costs.setup_seconds = runtime.double_attribute("setup_seconds").at(0);
    return costs;
}

Plan plan_batch(const std::string& platform_xml, const ReplicationCosts& costs,
                std::uint64_t replications, std::vector<Layout> layouts) {
    if (s4u::Engine::has_instance()) {
        throw std::logic_error("plan_batch: one plan per process (SimGrid has one engine)");
    }
    if (costs.seconds.empty() || costs.bytes.empty()) {
        throw std::invalid_argument("plan_batch: no replication costs");
    }
    int argc = 3;
    char name[] = "icsflow-plan";
    char quiet[] = "--log=root.thres:critical";
    char no_warnings[] = "--cfg=contexts/stack-size:256";
    char* argv[] = {name, quiet, no_warnings, nullptr};
    s4u::Engine engine(&argc, argv);
    try {
        engine.load_platform(platform_xml);
    } catch (const std::exception& e) {
        throw IoError("cannot read platform '" + platform_xml + "': " + e.what());
    }

    Plan plan;
    plan.platform.path = platform_xml;
    const std::vector<s4u::Host*> hosts = compute_hosts(engine);
    if (hosts.empty()) {
        throw IoError("platform '" + platform_xml + "' has no compute hosts");
    }
    plan.platform.compute_hosts = static_cast<int>(hosts.size());
    plan.platform.cores_per_host = hosts.front()->get_core_count();
    for (const s4u::Host* host : hosts) {
        plan.platform.cores_per_host =
            std::min(plan.platform.cores_per_host, host->get_core_count());
    }
    plan.platform.core_speed = hosts.front()->get_speed() / kReferenceFlops;
    s4u::Host* filesystem = engine.host_by_name_or_null(kFilesystemHost);
    plan.platform.has_filesystem = filesystem != nullptr;
    if (const char* launch = engine.get_netzone_root()->get_property("icsflow.launch_seconds")) {
        plan.platform.launch_seconds = std::stod(launch);
    }
    if (layouts.empty()) {
        layouts = default_layouts(plan.platform);
    }

    std::vector<std::unique_ptr<SimulatedBatch>> batches;
    for (const Layout& layout : layouts) {
        const int per_host = std::max(1, plan.platform.cores_per_host / layout.threads);
        const int nodes = (layout.ranks + per_host - 1) / per_host;
        if (nodes > plan.platform.compute_hosts) {
            throw std::invalid_argument(std::to_string(layout.ranks) + " ranks x " +
                                        std::to_string(layout.threads) +
                                        " threads do not fit on the platform");
        }
        auto batch = std::make_unique<SimulatedBatch>();
        batch->costs = &costs;
        batch->layout = layout;
        batch->replications = replications;
        batch->prefix = "layout" + std::to_string(batches.size()) + ".";
        batch->filesystem = filesystem;
        batch->start_delay = plan.platform.launch_seconds + costs.setup_seconds;
        for (int r = 0; r < layout.ranks; ++r) {
            batch->rank_hosts.push_back(hosts[static_cast<std::size_t>(r / per_host)]);
        }
        Prediction prediction;
        prediction.layout = layout;
        prediction.nodes = nodes;
        plan.predictions.push_back(prediction);
        batches.push_back(std::move(batch));
    }

    // One driver simulates the layouts one after another on the otherwise idle platform.
    s4u::Actor::create("planner", hosts.front(), [&] {
        for (std::size_t i = 0; i < batches.size(); ++i) {
            plan.predictions[i].wall_seconds = simulate(*batches[i]);
        }
    });
    engine.run();

    double compute = 0.0;
    for (std::uint64_t p = 0; p < replications; ++p) {
        compute += costs.seconds[p % costs.seconds.size()];
    }
    compute /= plan.platform.core_speed;
    for (Prediction& prediction : plan.predictions) {
        const double cores = prediction.layout.ranks * prediction.layout.threads;
        prediction.core_hours = prediction.wall_seconds * cores / 3600.0;
        prediction.efficiency =
            prediction.wall_seconds > 0 ? compute / (prediction.wall_seconds * cores) : 0.0;
    }
    return plan;
}

const Prediction& recommend(const std::vector<Prediction>& predictions, double deadline_seconds) {
    if (predictions.empty()) {
        throw std::invalid_argument("recommend: no predictions");
    }
    const Prediction* best = nullptr;
    for (const Prediction& p : predictions) {
        if (p.wall_seconds > deadline_seconds) {
            continue;
        }
        const int cores = p.layout.ranks * p.layout.threads;
        if (best == nullptr || cores < best->layout.ranks * best->layout.threads ||
            (cores == best->layout.ranks * best->layout.threads &&
             p.wall_seconds < best->wall_seconds)) {
            best = &p;
        }
    }
    if (best != nullptr) {
        return *best;
    }
    return *std::min_element(
        predictions.begin(), predictions.end(),
        [](const Prediction& a, const Prediction& b) { return a.wall_seconds < b.wall_seconds; });
}

}  // namespace icsflow::sim::planner
