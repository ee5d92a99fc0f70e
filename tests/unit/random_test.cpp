// Random streams: seed derivation, and golden draws that pin the exact output of every
// distribution helper.
#include <gtest/gtest.h>

#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numbers>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/random/distributions.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/random/seed_mixing.hpp"

namespace icsflow::sim {
namespace {

TEST(SeedMixing, KnownValues) {
    // mix64 is SplitMix64's output function: mix64(0) is SplitMix64's first output from state 0.
    EXPECT_EQ(mix64(0), 0xE220A8397B1DCDAFULL);
    // stream_id is 64-bit FNV-1a: the published test vectors for "" and "a".
    EXPECT_EQ(stream_id(""), 0xCBF29CE484222325ULL);
    EXPECT_EQ(stream_id("a"), 0xAF63DC4C8601EC8CULL);
    // Usable at compile time.
    static_assert(stream_id("queueing/arrivals") != stream_id("queueing/class"));
    static_assert(derive_seed(1, 2, 3) == derive_seed(1, 2, 3));
}

TEST(SeedMixing, Mix64HasNoCollisionsOnNearbyInputsAndAvalanches) {
    std::set<std::uint64_t> seen;
    double flipped_bits = 0.0;
    int pairs = 0;
    for (std::uint64_t x = 0; x < 20000; ++x) {
        seen.insert(mix64(x));
        for (int bit = 0; bit < 64; bit += 9) {
            flipped_bits += std::popcount(mix64(x) ^ mix64(x ^ (std::uint64_t{1} << bit)));
            ++pairs;
        }
    }
    EXPECT_EQ(seen.size(), 20000U);
    // One input bit flipped changes half the output bits on average: 32 +- 4/sqrt(pairs) x 4 SE.
    const double mean = flipped_bits / pairs;
    EXPECT_NEAR(mean, 32.0, 4.0 * 4.0 / std::sqrt(static_cast<double>(pairs)));
}

TEST(SeedMixing, DifferentInputsGiveDifferentSeeds) {
    std::set<std::uint64_t> seeds;
    int count = 0;
    for (std::uint64_t master : {0ULL, 1ULL, 2ULL, 20201006ULL}) {
        for (std::uint64_t replication = 0; replication < 50; ++replication) {
            for (const char* name : {"a", "b", "queueing/arrivals", "queueing/service/stage_1",
                                     "queueing/service/stage_2"}) {
                seeds.insert(derive_seed(master, replication, stream_id(name)));
                ++count;
            }
        }
    }
    EXPECT_EQ(seeds.size(), static_cast<std::size_t>(count));
    // The inputs are not interchangeable: swapping any two gives another seed.
    EXPECT_NE(derive_seed(1, 2, 3), derive_seed(2, 1, 3));
    EXPECT_NE(derive_seed(1, 2, 3), derive_seed(1, 3, 2));
    EXPECT_NE(derive_seed(1, 2, 3), derive_seed(3, 2, 1));
    EXPECT_NE(derive_seed(0, 0, 0), 0U);
    EXPECT_NE(stream_id("ab"), stream_id("ba"));
    EXPECT_NE(stream_id("service/clinic"), stream_id("service/clinic "));
}

std::vector<double> first_draws(RandomStream& stream, int n) {
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(stream.uniform());
    }
    return out;
}

TEST(RandomStream, AStreamDependsOnlyOnItsSeedNotOnCreationOrderOrOtherStreams) {
    // Streams created and drawn in one order...
    RandomStream a1(5, 3, "alpha");
    RandomStream b1(5, 3, "beta");
    const auto a_first = first_draws(a1, 10);
    const auto b_first = first_draws(b1, 10);
    // ... and in the other, with extra draws from a third stream in between.
    RandomStream b2(5, 3, "beta");
    RandomStream noise(5, 3, "noise");
    first_draws(noise, 1000);
    const auto b_second = first_draws(b2, 10);
    RandomStream a2(5, 3, stream_id("alpha"));  // by id: the same stream
    const auto a_second = first_draws(a2, 10);
    EXPECT_EQ(a_first, a_second);
    EXPECT_EQ(b_first, b_second);
    EXPECT_NE(a_first, b_first);
    // Another replication or master seed is another stream.
    RandomStream other_rep(5, 4, "alpha");
    RandomStream other_seed(6, 3, "alpha");
    EXPECT_NE(first_draws(other_rep, 10), a_first);
    EXPECT_NE(first_draws(other_seed, 10), a_first);
}

TEST(RandomStream, UniformRangesAndOneEngineDrawPerVariate) {
    RandomStream stream(1, 0, "range");
    RandomStream twin(1, 0, "range");
    for (int i = 0; i < 10000; ++i) {
        const std::uint64_t raw = twin.engine()();
        const double u = stream.uniform();
        ASSERT_EQ(u, static_cast<double>(raw >> 11) * 0x1.0p-53);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
    }
    for (int i = 0; i < 10000; ++i) {
        const double u = stream.uniform_open_zero();
        ASSERT_GT(u, 0.0);
        ASSERT_LE(u, 1.0);
        const double e = stream.exponential(2.0);
        ASSERT_GE(e, 0.0);
        ASSERT_TRUE(std::isfinite(e));
        ASSERT_LT(stream.uniform_index(7), 7U);
    }
    EXPECT_EQ(stream.poisson(0.0), 0);
    EXPECT_EQ(stream.poisson(-1.0), 0);
    EXPECT_THROW(static_cast<void>(stream.poisson(std::numeric_limits<double>::infinity())),
                 std::domain_error);
    EXPECT_TRUE(std::isnan(stream.gamma(0.0, 1.0)));
    EXPECT_EQ(stream.binomial(0, 0.5), 0);
    EXPECT_EQ(stream.binomial(10, 0.0), 0);
    EXPECT_EQ(stream.binomial(10, 1.0), 10);
    EXPECT_FALSE(stream.bernoulli(0.0));
    EXPECT_TRUE(stream.bernoulli(1.0));
}

// ---------------------------------------------------------------------------------------------
// Golden draws.
//
// The first draws of every distribution helper of sim/random from one fixed stream
// (master seed 20240611, replication 7, stream "test/golden"; a fresh stream for each helper),
// pinned to the bit. They were generated once by this file's DISABLED_PrintGoldenDraws test
// (run it with --gtest_also_run_disabled_tests --gtest_filter='*PrintGoldenDraws*') and pasted
// below.
//
// Checksums of many more draws of each helper, over the regimes of its algorithm (inversion and
// rejection, shape below and above 1, ...), pin the rarely taken branches as well.
//
// The values must be the same on every machine: the draws use IEEE basic operations and
// sim/random/portable_math only, never the C library's mathematical functions (whose last bits
// differ between CPUs). A failure on one machine only means that this no longer holds (look for
// an FMA contraction or a C library call). A failure everywhere means that every simulation
// result of the program changes: a change of a distribution's algorithm, of portable_math, of
// the seed derivation, of how many engine draws a helper consumes, or of the Boost parts still
// used (mt19937_64, uniform_int, discrete and piecewise-constant distributions). Such a change
// must be deliberate (and said so in its commit message); only then regenerate these values.
// ---------------------------------------------------------------------------------------------

constexpr std::uint64_t kGoldenSeed = 20240611;
constexpr std::uint64_t kGoldenReplication = 7;
constexpr const char* kGoldenStream = "test/golden";

RandomStream golden_stream() {
    return RandomStream(kGoldenSeed, kGoldenReplication, kGoldenStream);
}

template <class Draw>
std::vector<double> draws(int n, Draw draw) {
    RandomStream stream = golden_stream();
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(static_cast<double>(draw(stream)));
    }
    return out;
}

std::vector<std::pair<std::string, std::vector<double>>> current_golden_draws() {
    std::vector<std::pair<std::string, std::vector<double>>> all;
    auto add = [&](const std::string& name, std::vector<double> values) {
        all.emplace_back(name, std::move(values));
    };
    add("uniform", draws(4, [](RandomStream& s) { return s.uniform(); }));
    add("uniform_open_zero", draws(4, [](RandomStream& s) { return s.uniform_open_zero(); }));
    add("exponential(rate 2)", draws(4, [](RandomStream& s) { return s.exponential(2.0); }));
    add("bernoulli(0.3)", draws(8, [](RandomStream& s) { return s.bernoulli(0.3) ? 1.0 : 0.0; }));
    add("uniform_index(10)", draws(6, [](RandomStream& s) { return s.uniform_index(10); }));
    add("normal(0, 1)", draws(4, [](RandomStream& s) { return s.normal(0.0, 1.0); }));
    add("normal(1, 2)", draws(4, [](RandomStream& s) { return s.normal(1.0, 2.0); }));
    add("poisson(3.5)", draws(6, [](RandomStream& s) { return s.poisson(3.5); }));
    add("poisson(10)", draws(6, [](RandomStream& s) { return s.poisson(10.0); }));
    add("poisson(250)", draws(4, [](RandomStream& s) { return s.poisson(250.0); }));
    add("binomial(20, 0.3)", draws(6, [](RandomStream& s) { return s.binomial(20, 0.3); }));
    add("binomial(60, 0.9)", draws(6, [](RandomStream& s) { return s.binomial(60, 0.9); }));
    add("binomial(1000, 0.4)", draws(4, [](RandomStream& s) { return s.binomial(1000, 0.4); }));
    add("binomial(2000, 0.75)", draws(4, [](RandomStream& s) { return s.binomial(2000, 0.75); }));
    add("gamma(0.5, 2)", draws(4, [](RandomStream& s) { return s.gamma(0.5, 2.0); }));
    add("gamma(3, 1.5)", draws(4, [](RandomStream& s) { return s.gamma(3.0, 1.5); }));
    add("weibull(1.5, 4)", draws(4, [](RandomStream& s) { return s.weibull(1.5, 4.0); }));
    add("lognormal_mean_sd(5, 3)",
        draws(4, [](RandomStream& s) { return s.lognormal_mean_sd(5.0, 3.0); }));

    const Categorical categorical({0.2, 0.5, 0.3});
    add("Categorical(0.2, 0.5, 0.3)",
        draws(8, [&](RandomStream& s) { return categorical.sample(s); }));
    const EmpiricalHistogram histogram({0.0, 1.0, 3.0, 7.0}, {1.0, 2.0, 1.0});
    add("EmpiricalHistogram", draws(4, [&](RandomStream& s) { return histogram.sample(s); }));

    for (const DurationDistribution& d :
         {DurationDistribution::fixed(2.5), DurationDistribution::exponential(4.0),
          DurationDistribution::lognormal(5.0, 3.0), DurationDistribution::gamma(5.0, 3.0),
          DurationDistribution::weibull(1.5, 4.0)}) {
        add("DurationDistribution " + d.describe(),
            draws(4, [&](RandomStream& s) { return d.sample(s); }));
    }
    // A fixed duration consumes no random number: the next uniform is the stream's first.
    add("fixed then uniform", draws(1, [](RandomStream& s) {
            static_cast<void>(DurationDistribution::fixed(1.0).sample(s));
            return s.uniform();
        }));

    // Successive arrivals of a process with rate 1 on [0, 10), 0 on [10, 20), 3 after 20.
    const PiecewiseConstantRate rate({0.0, 10.0, 20.0}, {1.0, 0.0, 3.0});
    {
        RandomStream s = golden_stream();
        std::vector<double> times;
        double t = 0.0;
        for (int i = 0; i < 14; ++i) {
            t = rate.next_arrival(t, s);
            times.push_back(t);
        }
        add("PiecewiseConstantRate arrivals", times);
    }
    return all;
}

// A hash of the bits of `n` draws (one stream, as above), the regimes of every algorithm.
constexpr int kChecksumDraws = 50000;

template <class Draw>
std::uint64_t checksum_of_draws(Draw draw) {
    RandomStream stream = golden_stream();
    std::uint64_t hash = 0;
    for (int i = 0; i < kChecksumDraws; ++i) {
        hash = mix64(hash ^ std::bit_cast<std::uint64_t>(static_cast<double>(draw(stream))));
    }
    return hash;
}

std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
}

std::vector<std::pair<std::string, std::uint64_t>> current_draw_checksums() {
    std::vector<std::pair<std::string, std::uint64_t>> all;
    auto add = [&](const std::string& name, std::uint64_t hash) { all.emplace_back(name, hash); };
    add("exponential(rate 2)",
        checksum_of_draws([](RandomStream& s) { return s.exponential(2.0); }));
    add("normal(0, 1)", checksum_of_draws([](RandomStream& s) { return s.normal(0.0, 1.0); }));
    for (const double mean : {0.5, 3.5, 9.99, 10.0, 250.0, 1e5}) {
        add("poisson(" + number(mean) + ")",
            checksum_of_draws([&](RandomStream& s) { return s.poisson(mean); }));
    }
    const std::vector<std::pair<std::int64_t, double>> binomials = {
        {20, 0.3}, {5000, 0.001}, {60, 0.9}, {25, 0.4}, {1000, 0.4}, {2000, 0.75}, {10000000, 0.3}};
    for (const auto& trials_p : binomials) {
        const std::int64_t n = trials_p.first;
        const double p = trials_p.second;
        add("binomial(" + std::to_string(n) + ", " + number(p) + ")",
            checksum_of_draws([&](RandomStream& s) { return s.binomial(n, p); }));
    }
    for (const double shape : {0.1, 0.5, 1.0, 3.0, 50.0}) {
        add("gamma(" + number(shape) + ", 1.5)",
            checksum_of_draws([&](RandomStream& s) { return s.gamma(shape, 1.5); }));
    }
    for (const double shape : {0.7, 1.5}) {
        add("weibull(" + number(shape) + ", 4)",
            checksum_of_draws([&](RandomStream& s) { return s.weibull(shape, 4.0); }));
    }
    add("lognormal_mean_sd(5, 3)",
        checksum_of_draws([](RandomStream& s) { return s.lognormal_mean_sd(5.0, 3.0); }));
    add("lognormal_mean_sd(1, 10)",
        checksum_of_draws([](RandomStream& s) { return s.lognormal_mean_sd(1.0, 10.0); }));
    return all;
}

// Generated by DISABLED_PrintGoldenDraws; see the comment above before changing anything here.
const std::vector<std::pair<std::string, std::vector<double>>> kGoldenDraws = {
    {"uniform",
     {0x1.851bc5d373ae6p-2, 0x1.8284dd5ac52cp-5, 0x1.3d151fd6f0a03p-1, 0x1.1421a2c386474p-3}},
    {"uniform_open_zero",
     {0x1.3d721d164628dp-1, 0x1.e7d7b22a53ad4p-1, 0x1.85d5c0521ebfap-2, 0x1.baf7974f1e6e3p-1}},
    {"exponential(rate 2)",
     {0x1.e97d76a347e7ap-3, 0x1.8bef518a75f94p-6, 0x1.ee76905a0300ep-2, 0x1.289c1c1124bc5p-4}},
    {"bernoulli(0.3)", {0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0}},
    {"uniform_index(10)", {3.0, 0.0, 6.0, 1.0, 8.0, 8.0}},
    {"normal(0, 1)",
     {-0x1.c6f56cc700534p-3, -0x1.990d3c4a1d5fbp-5, -0x1.208a90b94e71ap-1, -0x1.c313844a0e64cp-5}},
    {"normal(1, 2)",
     {0x1.1c85499c7fd66p-1, 0x1.ccde5876bc541p-1, -0x1.045485ca738dp-3, 0x1.c79d8f76be336p-1}},
    {"poisson(3.5)", {3.0, 1.0, 4.0, 1.0, 5.0, 6.0}},
    {"poisson(10)", {9.0, 11.0, 9.0, 8.0, 14.0, 10.0}},
    {"poisson(250)", {244.0, 255.0, 243.0, 239.0}},
    {"binomial(20, 0.3)", {5.0, 3.0, 7.0, 4.0, 8.0, 8.0}},
    {"binomial(60, 0.9)", {55.0, 58.0, 53.0, 57.0, 52.0, 51.0}},
    {"binomial(1000, 0.4)", {395.0, 405.0, 417.0, 394.0}},
    {"binomial(2000, 0.75)", {1507.0, 1493.0, 1508.0, 1514.0}},
    {"gamma(0.5, 2)",
     {0x1.17d6c8a95ce98p-2, 0x1.3471bffa9ca52p-5, 0x1.2c27c71407bebp-1, 0x1.016121a35a306p-2}},
    {"gamma(3, 1.5)",
     {0x1.bd75a828a94e2p+1, 0x1.62da204728a44p+1, 0x1.c14441bea550cp+0, 0x1.3c374428b42a1p+1}},
    {"weibull(1.5, 4)",
     {0x1.3903fbba19c92p+1, 0x1.0fbd436481952p-1, 0x1.f43db10856732p+1, 0x1.1a675651f7fa9p+0}},
    {"lognormal_mean_sd(5, 3)",
     {0x1.e530d0b514fc9p+1, 0x1.0ae77f2df1dd8p+2, 0x1.9181e6c89f4fep+1, 0x1.0a2568315504ap+2}},
    {"Categorical(0.2, 0.5, 0.3)", {1.0, 1.0, 2.0, 1.0, 0.0, 2.0, 1.0, 1.0}},
    {"EmpiricalHistogram",
     {0x1.1e8a8feb78502p+1, 0x1.5ea230888f2dbp+1, 0x1.8850b7c489db7p+0, 0x1.236c841bb238cp+1}},
    {"DurationDistribution fixed(2.5)", {0x1.4p+1, 0x1.4p+1, 0x1.4p+1, 0x1.4p+1}},
    {"DurationDistribution exponential(mean=4)",
     {0x1.e97d76a347e7ap+0, 0x1.8bef518a75f94p-3, 0x1.ee76905a0300ep+1, 0x1.289c1c1124bc5p-1}},
    {"DurationDistribution lognormal(mean=5, sd=3)",
     {0x1.e530d0b514fc9p+1, 0x1.0ae77f2df1dd8p+2, 0x1.9181e6c89f4fep+1, 0x1.0a2568315504ap+2}},
    {"DurationDistribution gamma(mean=5, sd=3)",
     {0x1.e6e84280377cfp+1, 0x1.7f9b96663c611p+1, 0x1.d9a696a9c8361p+0, 0x1.53d07ef149055p+1}},
    {"DurationDistribution weibull(shape=1.5, scale=4)",
     {0x1.3903fbba19c92p+1, 0x1.0fbd436481952p-1, 0x1.f43db10856732p+1, 0x1.1a675651f7fa9p+0}},
    {"fixed then uniform", {0x1.851bc5d373ae6p-2}},
    {"PiecewiseConstantRate arrivals",
     {0x1.e97d76a347e7ap-2, 0x1.0d7db06a4b536p-1, 0x1.7dfa2062272a2p+0, 0x1.a30da3e44bc1bp+0,
      0x1.b8acdc370a562p+1, 0x1.5ebee7a41be04p+2, 0x1.7b5c78eed76cp+2, 0x1.831a49f3b4d89p+2,
      0x1.96ea5b21562dap+2, 0x1.9bffce955df26p+2, 0x1.109f21fa266c2p+3, 0x1.312b98735243ep+3,
      0x1.4ddc4aa27ae2ep+4, 0x1.7155a431b5b9dp+4}},
};

// Generated by DISABLED_PrintGoldenDraws as well.
const std::vector<std::pair<std::string, std::uint64_t>> kGoldenChecksums = {
    {"exponential(rate 2)", 0x02AE1E55C4CB2D7BULL},
    {"normal(0, 1)", 0xDC25390156BFCD38ULL},
    {"poisson(0.5)", 0x9AE2D3B7113404AAULL},
    {"poisson(3.5)", 0x0F511EDD48549D4BULL},
    {"poisson(9.99)", 0x0652B8892E4646ECULL},
    {"poisson(10)", 0xD27C540999F97040ULL},
    {"poisson(250)", 0x1103D483FE0D83E2ULL},
    {"poisson(100000)", 0x0DFE32523D1D84CCULL},
    {"binomial(20, 0.3)", 0x5523D129D7157CBFULL},
    {"binomial(5000, 0.001)", 0x37A19939F2B26028ULL},
    {"binomial(60, 0.9)", 0x20399E81F24E7375ULL},
    {"binomial(25, 0.4)", 0x50B976B912C6E9CDULL},
    {"binomial(1000, 0.4)", 0x00F46D24ABD13DF4ULL},
    {"binomial(2000, 0.75)", 0x7D7F4285B623E434ULL},
    {"binomial(10000000, 0.3)", 0x7A5E3F75DE94F85CULL},
    {"gamma(0.1, 1.5)", 0x745F269BCBA6AE1EULL},
    {"gamma(0.5, 1.5)", 0xE6231BE5F604E3EEULL},
    {"gamma(1, 1.5)", 0xD555B3D81DEB4D4EULL},
    {"gamma(3, 1.5)", 0x956A779EE94A825AULL},
    {"gamma(50, 1.5)", 0xEC50C70156660DE7ULL},
    {"weibull(0.7, 4)", 0xEBDB1AE09CB83AF0ULL},
    {"weibull(1.5, 4)", 0xCB12997D396AAAE1ULL},
    {"lognormal_mean_sd(5, 3)", 0x8A476C37958E6B89ULL},
    {"lognormal_mean_sd(1, 10)", 0x74650E141A0E5ACCULL},
};

// The raw engine and the seed derivation behind the stream, pinned as integers.
constexpr std::uint64_t kGoldenStreamId = 0xA9AF701852B62DEFULL;
constexpr std::uint64_t kGoldenDerivedSeed = 0x297048BC4B534955ULL;
constexpr std::uint64_t kGoldenEngine[3] = {0x6146F174DCEB99F3ULL, 0x0C1426EAD62965C5ULL,
                                            0x9E8A8FEB78501DD7ULL};

TEST(GoldenDraws, SeedAndRawEngineOutput) {
    EXPECT_EQ(stream_id(kGoldenStream), kGoldenStreamId);
    EXPECT_EQ(derive_seed(kGoldenSeed, kGoldenReplication, stream_id(kGoldenStream)),
              kGoldenDerivedSeed);
    RandomStream stream = golden_stream();
    for (const std::uint64_t expected : kGoldenEngine) {
        EXPECT_EQ(stream.engine()(), expected);
    }
}

TEST(GoldenDraws, EveryDistributionHelperDrawsExactlyThePinnedValues) {
    const auto current = current_golden_draws();
    ASSERT_EQ(current.size(), kGoldenDraws.size());
    for (std::size_t i = 0; i < current.size(); ++i) {
        const auto& [name, values] = current[i];
        const auto& [golden_name, golden] = kGoldenDraws[i];
        ASSERT_EQ(name, golden_name);
        ASSERT_EQ(values.size(), golden.size()) << name;
        for (std::size_t k = 0; k < values.size(); ++k) {
            // Bit for bit: a change in the last place is a change of results.
            EXPECT_EQ(std::bit_cast<std::uint64_t>(values[k]),
                      std::bit_cast<std::uint64_t>(golden[k]))
                << name << " draw " << k << ": got " << std::hexfloat << values[k] << " ("
                << std::defaultfloat << values[k] << "), pinned " << std::hexfloat << golden[k];
        }
    }
}

TEST(GoldenDraws, ChecksumsOfManyDrawsOfEveryAlgorithm) {
    const auto current = current_draw_checksums();
    ASSERT_EQ(current.size(), kGoldenChecksums.size());
    for (std::size_t i = 0; i < current.size(); ++i) {
        EXPECT_EQ(current[i].first, kGoldenChecksums[i].first);
        EXPECT_EQ(current[i].second, kGoldenChecksums[i].second)
            << current[i].first << ": checksum 0x" << std::hex << current[i].second;
    }
}

TEST(GoldenDraws, DISABLED_PrintGoldenDraws) {
    for (const auto& [name, values] : current_golden_draws()) {
        std::printf("    {\"%s\",\n     {", name.c_str());
        for (std::size_t k = 0; k < values.size(); ++k) {
            // Whole numbers (counts, indices) in decimal, everything else as exact hex floats.
            if (values[k] == std::floor(values[k]) && std::fabs(values[k]) < 0x1.0p53) {
                std::printf("%s%.1f", k > 0 ? ", " : "", values[k]);
            } else {
                std::printf("%s%a", k > 0 ? ", " : "", values[k]);
            }
        }
        std::printf("}},\n");
    }
    for (const auto& [name, hash] : current_draw_checksums()) {
        std::printf("    {\"%s\", 0x%016" PRIX64 "ULL},\n", name.c_str(), hash);
    }
    RandomStream stream = golden_stream();
    std::printf("constexpr std::uint64_t kGoldenStreamId = 0x%016" PRIX64 "ULL;\n",
                stream_id(kGoldenStream));
    std::printf("constexpr std::uint64_t kGoldenDerivedSeed = 0x%016" PRIX64 "ULL;\n",
                derive_seed(kGoldenSeed, kGoldenReplication, stream_id(kGoldenStream)));
    std::printf("constexpr std::uint64_t kGoldenEngine[3] = {");
    for (int i = 0; i < 3; ++i) {
        std::printf("%s0x%016" PRIX64 "ULL", i > 0 ? ", " : "", stream.engine()());
    }
    std::printf("};\n");
}

// ---------------------------------------------------------------------------------------------
// Distribution objects: argument checks and exact properties (the statistical checks of their
// moments are in tests/statistics).
// ---------------------------------------------------------------------------------------------

TEST(DurationDistribution, MeansScalingAndDescriptions) {
    EXPECT_EQ(DurationDistribution::fixed(2.5).mean(), 2.5);
    EXPECT_EQ(DurationDistribution::exponential(4.0).mean(), 4.0);
    EXPECT_EQ(DurationDistribution::lognormal(5.0, 3.0).mean(), 5.0);
    EXPECT_EQ(DurationDistribution::gamma(5.0, 3.0).mean(), 5.0);
    // Weibull: scale x Gamma(1 + 1/shape); shape 1 is the exponential, shape 2 gives
    // scale x sqrt(pi)/2.
    EXPECT_DOUBLE_EQ(DurationDistribution::weibull(1.0, 4.0).mean(), 4.0);
    EXPECT_DOUBLE_EQ(DurationDistribution::weibull(2.0, 4.0).mean(),
                     2.0 * std::sqrt(std::numbers::pi));

    const auto scaled = DurationDistribution::lognormal(5.0, 3.0).scaled(2.0);
    EXPECT_EQ(scaled.mean(), 10.0);
    EXPECT_EQ(scaled.describe(), "lognormal(mean=10, sd=6)");
    EXPECT_DOUBLE_EQ(DurationDistribution::weibull(2.0, 4.0).scaled(0.5).mean(),
                     std::sqrt(std::numbers::pi));
    EXPECT_EQ(DurationDistribution::fixed(3.0).scaled(2.0).describe(), "fixed(6)");
    EXPECT_EQ(DurationDistribution::gamma(5.0, 3.0).family(), DurationDistribution::Family::gamma);
    EXPECT_EQ(to_string(DurationDistribution::Family::weibull), "weibull");

    EXPECT_THROW(static_cast<void>(DurationDistribution::fixed(-1.0)), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(DurationDistribution::exponential(0.0)), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(DurationDistribution::lognormal(5.0, 0.0)),
                 std::invalid_argument);
    EXPECT_THROW(static_cast<void>(DurationDistribution::gamma(-5.0, 1.0)), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(DurationDistribution::weibull(0.0, 1.0)), std::invalid_argument);
    EXPECT_THROW(static_cast<void>(
                     DurationDistribution::exponential(std::numeric_limits<double>::quiet_NaN())),
                 std::invalid_argument);
    EXPECT_THROW(static_cast<void>(DurationDistribution::fixed(1.0).scaled(0.0)),
                 std::invalid_argument);
}

TEST(Categorical, ProbabilitiesAndZeroWeights) {
    const Categorical c({1.0, 0.0, 3.0});
    EXPECT_EQ(c.size(), 3U);
    const auto p = c.probabilities();
    ASSERT_EQ(p.size(), 3U);
    EXPECT_DOUBLE_EQ(p[0], 0.25);
    EXPECT_EQ(p[1], 0.0);
    EXPECT_DOUBLE_EQ(p[2], 0.75);
    RandomStream stream(3, 0, "categorical");
    for (int i = 0; i < 20000; ++i) {
        ASSERT_NE(c.sample(stream), 1U);  // a zero weight is never drawn
    }
    EXPECT_THROW(Categorical(std::vector<double>{}), std::invalid_argument);
    EXPECT_THROW(Categorical({0.0, 0.0}), std::invalid_argument);
    EXPECT_THROW(Categorical({1.0, -0.1}), std::invalid_argument);
    EXPECT_THROW(Categorical({1.0, std::numeric_limits<double>::infinity()}),
                 std::invalid_argument);
}

TEST(EmpiricalHistogram, SamplesStayInTheBinsWithWeight) {
    const EmpiricalHistogram h({0.0, 1.0, 3.0, 7.0}, {1.0, 0.0, 1.0});
    RandomStream stream(3, 0, "histogram");
    for (int i = 0; i < 20000; ++i) {
        const double x = h.sample(stream);
        ASSERT_GE(x, 0.0);
        ASSERT_LT(x, 7.0);
        ASSERT_FALSE(x >= 1.0 && x < 3.0) << x;  // the empty bin
    }
    EXPECT_THROW(EmpiricalHistogram({0.0, 1.0}, {1.0, 2.0}), std::invalid_argument);
    EXPECT_THROW(EmpiricalHistogram({0.0}, {}), std::invalid_argument);
    EXPECT_THROW(EmpiricalHistogram({0.0, 2.0, 1.0}, {1.0, 1.0}), std::invalid_argument);
    EXPECT_THROW(EmpiricalHistogram({0.0, 1.0, 1.0}, {1.0, 1.0}), std::invalid_argument);
    EXPECT_THROW(EmpiricalHistogram({0.0, 1.0}, {0.0}), std::invalid_argument);
}

TEST(PiecewiseConstantRate, RateAtAndExpectedCountByHand) {
    // Rate 2 on [0, 5), 0 on [5, 8), 4 on [8, oo); times before 0 use the first rate.
    const PiecewiseConstantRate rate({0.0, 5.0, 8.0}, {2.0, 0.0, 4.0});
    EXPECT_EQ(rate.rate_at(-1.0), 2.0);
    EXPECT_EQ(rate.rate_at(0.0), 2.0);
    EXPECT_EQ(rate.rate_at(4.999), 2.0);
    EXPECT_EQ(rate.rate_at(5.0), 0.0);
    EXPECT_EQ(rate.rate_at(8.0), 4.0);
    EXPECT_EQ(rate.rate_at(1e9), 4.0);
    EXPECT_DOUBLE_EQ(rate.expected_count(0.0, 5.0), 10.0);
    EXPECT_DOUBLE_EQ(rate.expected_count(1.0, 10.0), 2.0 * 4 + 0.0 * 3 + 4.0 * 2);
    EXPECT_DOUBLE_EQ(rate.expected_count(5.5, 7.5), 0.0);
    EXPECT_DOUBLE_EQ(rate.expected_count(-2.0, 1.0), 6.0);
    EXPECT_DOUBLE_EQ(rate.expected_count(9.0, 19.0), 40.0);
    EXPECT_EQ(rate.expected_count(3.0, 3.0), 0.0);
    EXPECT_EQ(rate.expected_count(4.0, 3.0), 0.0);
}

TEST(PiecewiseConstantRate, NextArrivalInvertsTheCumulativeRate) {
    const PiecewiseConstantRate rate({0.0, 5.0, 8.0}, {2.0, 0.0, 4.0});
    // From t, the arrival is where the integral of the rate reaches the unit-exponential value.
    EXPECT_DOUBLE_EQ(rate.next_arrival(0.0, 1.0), 0.5);
    EXPECT_DOUBLE_EQ(rate.next_arrival(4.0, 1.0), 4.5);
    EXPECT_DOUBLE_EQ(rate.next_arrival(4.0, 2.0), 5.0);   // exactly the mass left before 5
    EXPECT_DOUBLE_EQ(rate.next_arrival(4.0, 3.0), 8.25);  // 2 before the gap, 1 after it
    EXPECT_DOUBLE_EQ(rate.next_arrival(6.0, 4.0), 9.0);   // starting inside the gap
    for (const double e : {0.1, 1.0, 7.5, 20.0}) {
        const double t = rate.next_arrival(1.0, e);
        EXPECT_NEAR(rate.expected_count(1.0, t), e, 1e-12);
    }
    const PiecewiseConstantRate stops({0.0, 10.0}, {1.0, 0.0});
    EXPECT_DOUBLE_EQ(stops.next_arrival(0.0, 9.0), 9.0);
    EXPECT_EQ(stops.next_arrival(0.0, 10.5), std::numeric_limits<double>::infinity());
    EXPECT_EQ(stops.next_arrival(12.0, 0.1), std::numeric_limits<double>::infinity());

    EXPECT_THROW(PiecewiseConstantRate({}, {}), std::invalid_argument);
    EXPECT_THROW(PiecewiseConstantRate({0.0, 1.0}, {1.0}), std::invalid_argument);
    EXPECT_THROW(PiecewiseConstantRate({0.0, 0.0}, {1.0, 1.0}), std::invalid_argument);
    EXPECT_THROW(PiecewiseConstantRate({0.0}, {-1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace icsflow::sim
