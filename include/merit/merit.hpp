#pragma once
/// \file merit.hpp
/// Umbrella header: everything of the merit library.
#include <merit/errors.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/json.hpp>
#include <merit/model.hpp>
#include <merit/model_diff.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>
#include <merit/version.hpp>
