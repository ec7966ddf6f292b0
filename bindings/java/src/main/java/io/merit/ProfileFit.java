package io.merit;

import java.util.OptionalDouble;

/**
 * A candidate on one profile, as the role answer lists every profile: the fit
 * (0..100; empty when no weighted competency was observed), status, coverage (0..1)
 * and the correlation of the candidate's pattern of strengths with the profile's
 * targets (empty when it cannot be computed).
 */
public record ProfileFit(OptionalDouble fit, Status status, double coverage, OptionalDouble pattern) {}
