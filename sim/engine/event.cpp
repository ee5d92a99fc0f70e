#include "sim/engine/event.hpp"

namespace icsflow::sim {

std::string_view to_string(EventClass event_class) {
    switch (event_class) {
        case EventClass::capacity_change:
            return "capacity_change";
        case EventClass::release:
            return "release";
        case EventClass::seize:
            return "seize";
        case EventClass::arrival:
            return "arrival";
        case EventClass::observation:
            return "observation";
    }
    return "unknown";
}

}  // namespace icsflow::sim
