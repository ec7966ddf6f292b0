package io.merit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Which role a candidate shows (docs/roles.md): the profile the candidate's own
 * pattern of strengths shows (empty: no distinct role), how many standard errors it
 * stands out from the next (empty when nothing could be compared), the profiles the
 * candidate is qualified on at or above the model's fit cut, every profile's fit in
 * the model's order, and why.
 */
public record RoleAnswer(Optional<String> bestProfile, OptionalDouble margin, List<String> fits,
                         Map<String, ProfileFit> profiles, String reason) {}
