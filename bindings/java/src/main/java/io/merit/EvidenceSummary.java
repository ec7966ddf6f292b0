package io.merit;

import java.util.Map;

/**
 * How the evidence of an {@code evidence} or {@code greenhouse_scorecards} document
 * became competency scores: every competency of the model in model order, the
 * Greenhouse attributes that mapped to no competency with their counts, the ratings
 * used, the values skipped as missing, the repeated ratings merged, and the calibration.
 */
public record EvidenceSummary(Map<String, CompetencyScore> competencies, Map<String, Long> unmappedAttributes,
                              long observations, long missing, long duplicates, String calibration) {}
