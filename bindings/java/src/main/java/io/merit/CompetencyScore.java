package io.merit;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One competency's score aggregated from evidence: the level on 1..L (empty: no
 * evidence), the number of ratings behind it, their sample SD and SD / sqrt(ratings)
 * (both empty with fewer than 2 ratings), and the methods that contributed.
 */
public record CompetencyScore(OptionalDouble score, long ratings, OptionalDouble raterSd, OptionalDouble se,
                              List<String> methods) {}
