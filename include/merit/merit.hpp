#pragma once
/// \file merit.hpp
/// Umbrella header: everything of the merit library. The core headers
/// (merit/*.hpp) know no file format; the readers and writers of files are
/// merit/io/*.hpp, included here too.
#include <merit/errors.hpp>
#include <merit/fit.hpp>
#include <merit/fwd.hpp>
#include <merit/io/candidates.hpp>
#include <merit/io/csv.hpp>
#include <merit/io/decision_log.hpp>
#include <merit/io/file.hpp>
#include <merit/io/json.hpp>
#include <merit/io/judgments.hpp>
#include <merit/io/model.hpp>
#include <merit/model.hpp>
#include <merit/model_diff.hpp>
#include <merit/protected.hpp>
#include <merit/rank.hpp>
#include <merit/roles.hpp>
#include <merit/scoring_hash.hpp>
#include <merit/version.hpp>
#include <merit/weights.hpp>
