#pragma once

#include <cstdint>
#include <string_view>

namespace icsflow::sim {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijection on 64-bit words with full
// avalanche, so nearby inputs (replication 7 and 8) give unrelated outputs.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// The seed of one random stream. It depends only on what the stream is for and which replication
// it serves, never on the thread or rank that happens to run it: that is what makes a batch
// identical on 1 or N threads and on 1 or N ranks, and what keeps the streams of unchanged model
// parts aligned between two scenarios (common random numbers).
// Each input passes through the mixer before the next is folded in, so (a, b, c) and (b, a, c)
// give different seeds.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t master_seed,
                                                  std::uint64_t replication,
                                                  std::uint64_t stream_id) {
    std::uint64_t h = mix64(master_seed ^ 0x6A09E667F3BCC908ULL);
    h = mix64(h ^ replication);
    h = mix64(h ^ stream_id);
    return h;
}

// A stable 64-bit id for a stream name (FNV-1a). Names are the model's vocabulary:
// "referrals/luton/trauma_orthopaedics", "service/clinic", ...
[[nodiscard]] constexpr std::uint64_t stream_id(std::string_view name) {
    std::uint64_t hash = 0xCBF29CE484222325ULL;
    for (const char c : name) {
        hash ^= static_cast<std::uint8_t>(c);
        hash *= 0x100000001B3ULL;
    }
    return hash;
}

}  // namespace icsflow::sim
