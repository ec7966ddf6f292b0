// Catch2's main; holds no tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
