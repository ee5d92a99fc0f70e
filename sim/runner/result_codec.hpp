#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/output/output_schema.hpp"

namespace icsflow::sim {

// A byte string that does not decode to a replication result (truncated, or of another schema).
class ResultDecodeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// One replication's result as bytes, to cross a process boundary (MPI messages, checkpoints).
// Doubles travel as their bit patterns, so a decoded result is identical to the encoded one; the
// byte order is the machine's (a batch runs on one architecture).
[[nodiscard]] std::vector<char> encode_result(const ReplicationResult& result);

// Inverse of encode_result; checks every length against `schema` and against the bytes given.
[[nodiscard]] ReplicationResult decode_result(const char* data, std::size_t size,
                                              const OutputSchema& schema);

// The bytes of results one replication produces: its series and summaries as stored, before
// compression.
[[nodiscard]] std::uint64_t result_bytes(const ReplicationResult& result);

}  // namespace icsflow::sim
