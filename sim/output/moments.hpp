#pragma once

#include <cmath>
#include <cstdint>

namespace icsflow::sim {

// Count, sum and sum of squares of a sample: enough to merge batches exactly (add the three
// numbers) and to give the mean and its standard error. Accumulate in a fixed order (replication
// index order) so that the sums are identical bit for bit however the work was scheduled.
struct Moments {
    std::uint64_t n = 0;
    double sum = 0.0;
    double sum_of_squares = 0.0;

    void add(double x) {
        ++n;
        sum += x;
        sum_of_squares += x * x;
    }

    void merge(const Moments& other) {
        n += other.n;
        sum += other.sum;
        sum_of_squares += other.sum_of_squares;
    }

    [[nodiscard]] double mean() const { return n > 0 ? sum / static_cast<double>(n) : NAN; }

    // Unbiased sample variance.
    [[nodiscard]] double variance() const {
        if (n < 2) {
            return NAN;
        }
        const double count = static_cast<double>(n);
        const double v = (sum_of_squares - sum * sum / count) / (count - 1.0);
        return v > 0.0 ? v : 0.0;
    }

    [[nodiscard]] double standard_error() const {
        return n >= 2 ? std::sqrt(variance() / static_cast<double>(n)) : NAN;
    }
};

}  // namespace icsflow::sim
