package io.merit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The result document of {@code merit_scorer_score_json} (docs/c-abi.md,
 * docs/schemas/result.schema.json), typed. Maps keep the document's order (the
 * model's competency and profile order).
 *
 * @param fit 0..100; empty when no weighted competency of the profile was observed
 * @param contributions fit points each targeted competency earned; they sum to the fit
 * @param gaps fit points each targeted competency lost below its target
 * @param evidence present for {@code evidence} and {@code greenhouse_scorecards} documents
 * @param applicationId the candidate document's application_id, when the library echoes it
 * @param correlationId the candidate document's correlation_id, when the library echoes it
 * @param json the document as the library wrote it
 */
public record FitResult(String candidateId, String profile, OptionalDouble fit, Status status, double coverage,
                        Map<String, Double> contributions, Map<String, Double> gaps, RoleAnswer role,
                        Optional<EvidenceSummary> evidence, ModelIdentity model, String meritVersion,
                        Optional<String> applicationId, Optional<String> correlationId, String json) {

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Parses a result document. Throws {@link IllegalArgumentException} naming the
   *  member when the document lacks one or has one of another type. */
  public static FitResult parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("result is not JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode evidence = root.get("evidence");
    return new FitResult(text(root, "candidate_id"), text(root, "profile"), optionalNumber(root, "fit"),
                         Status.fromJson(text(root, "status")), number(root, "coverage"),
                         map(root, "contributions", n -> n.asDouble()), map(root, "gaps", n -> n.asDouble()),
                         role(root), evidence == null ? Optional.empty() : Optional.of(evidence(evidence)),
                         new ModelIdentity(text(member(root, "model"), "id"), text(member(root, "model"), "version"),
                                           text(member(root, "model"), "content_hash")),
                         text(root, "merit_version"), optionalText(root, "application_id"),
                         optionalText(root, "correlation_id"), json);
  }

  private static RoleAnswer role(JsonNode root) {
    List<String> fits = new ArrayList<>();
    for (JsonNode id : array(root, "fits")) fits.add(id.asText());
    JsonNode best = member(root, "best_profile");
    return new RoleAnswer(best.isNull() ? Optional.empty() : Optional.of(best.asText()), optionalNumber(root, "margin"),
                          Collections.unmodifiableList(fits),
                          map(root, "profiles", p -> new ProfileFit(optionalNumber(p, "fit"),
                                                                   Status.fromJson(text(p, "status")),
                                                                   number(p, "coverage"), optionalNumber(p, "pattern"))),
                          text(root, "reason"));
  }

  private static EvidenceSummary evidence(JsonNode e) {
    return new EvidenceSummary(map(e, "competencies", c -> {
                                 List<String> methods = new ArrayList<>();
                                 for (JsonNode m : array(c, "methods")) methods.add(m.asText());
                                 return new CompetencyScore(optionalNumber(c, "score"), member(c, "ratings").asLong(),
                                                            optionalNumber(c, "rater_sd"), optionalNumber(c, "se"),
                                                            Collections.unmodifiableList(methods));
                               }),
                               map(e, "unmapped_attributes", n -> n.asLong()), member(e, "observations").asLong(),
                               member(e, "missing").asLong(), member(e, "duplicates").asLong(), text(e, "calibration"));
  }

  private static JsonNode member(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null) throw new IllegalArgumentException("result has no '" + key + "'");
    return v;
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = member(node, key);
    if (!v.isTextual()) throw new IllegalArgumentException("result '" + key + "' is not a string");
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(text(node, key));
  }

  private static double number(JsonNode node, String key) {
    JsonNode v = member(node, key);
    if (!v.isNumber()) throw new IllegalArgumentException("result '" + key + "' is not a number");
    return v.asDouble();
  }

  private static OptionalDouble optionalNumber(JsonNode node, String key) {
    return member(node, key).isNull() ? OptionalDouble.empty() : OptionalDouble.of(number(node, key));
  }

  private static JsonNode array(JsonNode node, String key) {
    JsonNode v = member(node, key);
    if (!v.isArray()) throw new IllegalArgumentException("result '" + key + "' is not an array");
    return v;
  }

  private static <T> Map<String, T> map(JsonNode node, String key, Function<JsonNode, T> value) {
    JsonNode v = member(node, key);
    if (!v.isObject()) throw new IllegalArgumentException("result '" + key + "' is not an object");
    Map<String, T> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> out.put(e.getKey(), value.apply(e.getValue())));
    return Collections.unmodifiableMap(out);
  }
}
