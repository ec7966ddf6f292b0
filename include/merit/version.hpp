#pragma once
/// \file version.hpp
/// The library version, set by CMake from project(VERSION).

#ifndef MERIT_VERSION_STRING
#define MERIT_VERSION_STRING "0.2.0"
#endif

namespace merit {
inline const char* version() noexcept { return MERIT_VERSION_STRING; }
}  // namespace merit
