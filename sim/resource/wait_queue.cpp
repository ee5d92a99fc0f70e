#include "sim/resource/wait_queue.hpp"

#include <string>

namespace icsflow::sim {

std::string_view to_string(QueueDiscipline discipline) {
    switch (discipline) {
        case QueueDiscipline::fifo:
            return "fifo";
        case QueueDiscipline::priority_then_longest_wait:
            return "priority_then_longest_wait";
        case QueueDiscipline::longest_wait_first:
            return "longest_wait_first";
        case QueueDiscipline::urgent_then_longest_wait:
            return "urgent_then_longest_wait";
    }
    return "unknown";
}

QueueDiscipline queue_discipline_from_string(std::string_view name) {
    for (const auto d :
         {QueueDiscipline::fifo, QueueDiscipline::priority_then_longest_wait,
          QueueDiscipline::longest_wait_first, QueueDiscipline::urgent_then_longest_wait}) {
        if (to_string(d) == name) {
            return d;
        }
    }
    throw std::invalid_argument("unknown queue discipline '" + std::string(name) + "'");
}

}  // namespace icsflow::sim
