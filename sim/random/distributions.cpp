#include "sim/random/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace icsflow::sim {

DurationDistribution DurationDistribution::fixed(double value) {
    if (!(value >= 0.0)) {
        throw std::invalid_argument("fixed duration must be >= 0");
    }
    DurationDistribution d;
    d.family_ = Family::fixed;
    d.a_ = value;
    return d;
}

DurationDistribution DurationDistribution::exponential(double mean) {
    if (!(mean > 0.0)) {
        throw std::invalid_argument("exponential mean must be > 0");
    }
    DurationDistribution d;
    d.family_ = Family::exponential;
    d.a_ = mean;
    return d;
}

DurationDistribution DurationDistribution::lognormal(double mean, double sd) {
    if (!(mean > 0.0) || !(sd > 0.0)) {
        throw std::invalid_argument("lognormal mean and sd must be > 0");
    }
    DurationDistribution d;
    d.family_ = Family::lognormal;
    d.a_ = mean;
    d.b_ = sd;
    d.log_ = RandomStream::lognormal_parameters(mean, sd);
    return d;
}

DurationDistribution DurationDistribution::gamma(double mean, double sd) {
    if (!(mean > 0.0) || !(sd > 0.0)) {
        throw std::invalid_argument("gamma mean and sd must be > 0");
    }
    DurationDistribution d;
    d.family_ = Family::gamma;
    d.a_ = mean;
    d.b_ = sd;
    return d;
}

DurationDistribution DurationDistribution::weibull(double shape, double scale) {
    if (!(shape > 0.0) || !(scale > 0.0)) {
        throw std::invalid_argument("weibull shape and scale must be > 0");
    }
    DurationDistribution d;
    d.family_ = Family::weibull;
    d.a_ = shape;
    d.b_ = scale;
    return d;
}

double DurationDistribution::sample(RandomStream& stream) const {
    switch (family_) {
        case Family::fixed:
            return a_;
        case Family::exponential:
            return stream.exponential(1.0 / a_);
        case Family::lognormal:
            return stream.lognormal(log_.mu, log_.sigma);  // = lognormal_mean_sd(a_, b_)
        case Family::gamma: {
            const double shape = (a_ * a_) / (b_ * b_);
            const double scale = (b_ * b_) / a_;
            return stream.gamma(shape, scale);
        }
        case Family::weibull:
            return stream.weibull(a_, b_);
    }
    return a_;
}

double DurationDistribution::mean() const {
    switch (family_) {
        case Family::fixed:
        case Family::exponential:
        case Family::lognormal:
        case Family::gamma:
            return a_;
        case Family::weibull:
            return b_ * std::tgamma(1.0 + 1.0 / a_);
    }
    return a_;
}

DurationDistribution DurationDistribution::scaled(double factor) const {
    if (!(factor > 0.0)) {
        throw std::invalid_argument("duration scale factor must be > 0");
    }
    DurationDistribution d = *this;
    switch (family_) {
        case Family::fixed:
        case Family::exponential:
            d.a_ *= factor;
            break;
        case Family::lognormal:
            d.a_ *= factor;
            d.b_ *= factor;
            d.log_ = RandomStream::lognormal_parameters(d.a_, d.b_);
            break;
        case Family::gamma:
            d.a_ *= factor;
            d.b_ *= factor;
            break;
        case Family::weibull:
            d.b_ *= factor;
            break;
    }
    return d;
}

std::string DurationDistribution::describe() const {
    char buffer[96];
    switch (family_) {
        case Family::fixed:
            std::snprintf(buffer, sizeof buffer, "fixed(%g)", a_);
            break;
        case Family::exponential:
            std::snprintf(buffer, sizeof buffer, "exponential(mean=%g)", a_);
            break;
        case Family::lognormal:
            std::snprintf(buffer, sizeof buffer, "lognormal(mean=%g, sd=%g)", a_, b_);
            break;
        case Family::gamma:
            std::snprintf(buffer, sizeof buffer, "gamma(mean=%g, sd=%g)", a_, b_);
            break;
        case Family::weibull:
            std::snprintf(buffer, sizeof buffer, "weibull(shape=%g, scale=%g)", a_, b_);
            break;
    }
    return buffer;
}

std::string_view to_string(DurationDistribution::Family family) {
    switch (family) {
        case DurationDistribution::Family::fixed:
            return "fixed";
        case DurationDistribution::Family::exponential:
            return "exponential";
        case DurationDistribution::Family::lognormal:
            return "lognormal";
        case DurationDistribution::Family::gamma:
            return "gamma";
        case DurationDistribution::Family::weibull:
            return "weibull";
    }
    return "unknown";
}

Categorical::Categorical(const std::vector<double>& weights) : size_(weights.size()) {
    double total = 0.0;
    for (const double w : weights) {
        if (!(w >= 0.0) || !std::isfinite(w)) {
            throw std::invalid_argument("categorical weights must be finite and >= 0");
        }
        total += w;
    }
    if (weights.empty() || !(total > 0.0)) {
        throw std::invalid_argument("categorical weights must not all be zero");
    }
    dist_ =
        boost::random::discrete_distribution<std::size_t, double>(weights.begin(), weights.end());
}

EmpiricalHistogram::EmpiricalHistogram(const std::vector<double>& edges,
                                       const std::vector<double>& weights) {
    if (edges.size() < 2 || weights.size() + 1 != edges.size()) {
        throw std::invalid_argument("histogram needs n+1 edges for n weights");
    }
    if (!std::is_sorted(edges.begin(), edges.end()) ||
        std::adjacent_find(edges.begin(), edges.end()) != edges.end()) {
        throw std::invalid_argument("histogram edges must be strictly increasing");
    }
    Categorical check(weights);  // same weight rules as a categorical
    (void)check;
    dist_ = boost::random::piecewise_constant_distribution<double>(edges.begin(), edges.end(),
                                                                   weights.begin());
}

PiecewiseConstantRate::PiecewiseConstantRate(std::vector<double> breaks, std::vector<double> rates)
    : breaks_(std::move(breaks)), rates_(std::move(rates)) {
    if (breaks_.empty() || breaks_.size() != rates_.size()) {
        throw std::invalid_argument("piecewise rate: one rate per break, at least one");
    }
    for (std::size_t i = 0; i < breaks_.size(); ++i) {
        if (i > 0 && !(breaks_[i] > breaks_[i - 1])) {
            throw std::invalid_argument("piecewise rate: breaks must increase strictly");
        }
        if (!(rates_[i] >= 0.0) || !std::isfinite(rates_[i])) {
            throw std::invalid_argument("piecewise rate: rates must be finite and >= 0");
        }
    }
}

std::size_t PiecewiseConstantRate::segment_of(double time) const {
    // Index of the last break <= time; times before the first break use the first segment.
    const auto it = std::upper_bound(breaks_.begin(), breaks_.end(), time);
    return it == breaks_.begin() ? 0 : static_cast<std::size_t>(it - breaks_.begin()) - 1;
}

double PiecewiseConstantRate::rate_at(double time) const {
    return rates_[segment_of(time)];
}

double PiecewiseConstantRate::next_arrival(double from, double unit_exponential) const {
    double remaining = unit_exponential;
    double t = from;
    for (std::size_t i = segment_of(from); i < breaks_.size(); ++i) {
        const double end =
            i + 1 < breaks_.size() ? breaks_[i + 1] : std::numeric_limits<double>::infinity();
        const double rate = rates_[i];
        if (rate > 0.0) {
            const double mass = rate * (end - t);
            if (mass >= remaining) {
                return t + remaining / rate;
            }
            remaining -= mass;
        }
        t = end;
    }
    return std::numeric_limits<double>::infinity();
}

double PiecewiseConstantRate::expected_count(double from, double to) const {
    if (!(to > from)) {
        return 0.0;
    }
    double total = 0.0;
    double t = from;
    for (std::size_t i = segment_of(from); i < breaks_.size() && t < to; ++i) {
        const double end = i + 1 < breaks_.size() ? std::min(breaks_[i + 1], to) : to;
        total += rates_[i] * (end - t);
        t = end;
    }
    return total;
}

}  // namespace icsflow::sim
