// Version strings shown by --version and Help > About.
#pragma once

namespace wqlab {

inline constexpr const char* kVersion = WQLAB_VERSION;  // from the CMake project version
// The Linux release whose kernel/workqueue.c the engine mirrors.
inline constexpr const char* kMirroredLinux = "6.12";

}  // namespace wqlab
