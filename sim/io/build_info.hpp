#pragma once

// Defined in a source file that the build regenerates whenever the commit or the working-tree
// state changes (cmake/BuildInfo.cmake), so the rest of the program never recompiles for it.
namespace icsflow::sim::build_info {

extern const char* const kVersion;
extern const char* const kGitCommit;
extern const char* const kGitDirty;  // "true", "false" or "unknown"
extern const char* const kCompiler;

}  // namespace icsflow::sim::build_info
