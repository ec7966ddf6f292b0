package io.merit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Typed results through JNA against what the merit CLI printed for the same
 * documents (io/merit/expected, written by scripts/make-expected.sh): `merit score`
 * rounds to 6 decimals, `merit roles` prints doubles that read back exactly.
 */
class ScoreTest {
  static String printed(OptionalDouble x) {
    return x.isPresent() ? Fixtures.sixDecimals(x.getAsDouble()) : null;
  }

  /** The fit, status, coverage, contributions and gaps the CLI printed for one candidate. */
  static void assertSameScore(JsonNode expected, FitResult r) {
    String who = r.profile() + " " + r.candidateId();
    assertEquals(Fixtures.sixDecimals(expected.get("fit")), printed(r.fit()), who);
    assertEquals(expected.get("status").asText(), r.status().jsonName(), who);
    assertEquals(Fixtures.sixDecimals(expected.get("coverage")), Fixtures.sixDecimals(r.coverage()), who);
    int explained = 0;
    for (var it = expected.fieldNames(); it.hasNext();) explained += it.next().startsWith("contrib_") ? 1 : 0;
    if (explained == 0) return;
    assertEquals(explained, r.contributions().size(), who);
    r.contributions().forEach((id, points) ->
        assertEquals(Fixtures.sixDecimals(expected.get("contrib_" + id)), Fixtures.sixDecimals(points), who + " " + id));
    r.gaps().forEach((id, points) ->
        assertEquals(Fixtures.sixDecimals(expected.get("gap_" + id)), Fixtures.sixDecimals(points), who + " " + id));
  }

  static OptionalDouble optional(JsonNode n) {
    return n.isNull() ? OptionalDouble.empty() : OptionalDouble.of(n.doubleValue());
  }

  /** The role answer `merit roles` printed for one candidate. */
  static void assertSameRole(JsonNode expected, RoleAnswer role, String who) {
    JsonNode best = expected.get("best_profile");
    assertEquals(best.isNull() ? null : best.asText(), role.bestProfile().orElse(null), who);
    assertEquals(optional(expected.get("margin")), role.margin(), who);
    List<String> fits = new ArrayList<>();
    expected.get("fits").forEach(f -> fits.add(f.asText()));
    assertEquals(fits, role.fits(), who);
    assertEquals(expected.get("reason").asText(), role.reason(), who);
    List<String> order = new ArrayList<>();
    expected.get("profiles").fieldNames().forEachRemaining(order::add);
    assertEquals(order, new ArrayList<>(role.profiles().keySet()), who);
    role.profiles().forEach((id, p) -> {
      JsonNode e = expected.get("profiles").get(id);
      assertEquals(optional(e.get("fit")), p.fit(), who + " " + id);
      assertEquals(e.get("status").asText(), p.status().jsonName(), who + " " + id);
      assertEquals(e.get("coverage").doubleValue(), p.coverage(), who + " " + id);
      assertEquals(optional(e.get("pattern")), p.pattern(), who + " " + id);
    });
  }

  @Test
  void everyPoolCandidateOnEveryProfileScoresAsTheCliPrints() {
    JsonNode docs = Fixtures.candidates();
    Map<String, JsonNode> roles = Fixtures.byCandidate("expected/roles.jsonl");
    try (Model model = Fixtures.model()) {
      ModelIdentity identity = model.identity();
      for (String profile : model.profiles()) {
        Map<String, JsonNode> expected = Fixtures.byCandidate("expected/score_" + profile + ".jsonl");
        assertEquals(docs.size(), expected.size(), profile);
        try (Scorer scorer = model.scorer(profile)) {
          assertEquals(profile, scorer.profileId());
          for (JsonNode doc : docs) {
            FitResult r = scorer.score(doc.toString());
            assertEquals(doc.get("candidate_id").asText(), r.candidateId());
            assertEquals(profile, r.profile());
            assertSameScore(expected.get(r.candidateId()), r);
            assertSameRole(roles.get(r.candidateId()), r.role(), profile + " " + r.candidateId());
            assertEquals(identity, r.model());
            assertEquals(Merit.version(), r.meritVersion());
            assertTrue(r.evidence().isEmpty());
          }
        }
      }
    }
  }

  @Test
  void contributionsSumToTheFit() {
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      for (JsonNode doc : Fixtures.candidates()) {
        FitResult r = scorer.score(doc.toString());
        double sum = r.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(r.fit().orElse(0.0), sum, 1e-9, r.candidateId());
      }
    }
  }

  @Test
  void evidenceDocumentsScoreAsTheCliScoresTheSameRows() {
    Map<String, ArrayNode> evidence = new LinkedHashMap<>();
    for (JsonNode row : Fixtures.jsonLines("expected/evidence.jsonl"))
      evidence.computeIfAbsent(row.get("candidate_id").asText(), k -> Fixtures.JSON.createArrayNode()).add(row);
    Map<String, JsonNode> roles = Fixtures.byCandidate("expected/evidence_roles.jsonl");
    try (Model model = Fixtures.model()) {
      for (String profile : model.profiles()) {
        Map<String, JsonNode> expected = Fixtures.byCandidate("expected/evidence_score_" + profile + ".jsonl");
        assertEquals(evidence.keySet(), expected.keySet());
        try (Scorer scorer = model.scorer(profile)) {
          for (Map.Entry<String, ArrayNode> e : evidence.entrySet()) {
            ObjectNode doc = Fixtures.JSON.createObjectNode();
            doc.put("candidate_id", e.getKey());
            doc.set("evidence", e.getValue());
            FitResult r = scorer.score(doc.toString());
            assertSameScore(expected.get(e.getKey()), r);
            assertSameRole(roles.get(e.getKey()), r.role(), profile + " " + e.getKey());
            EvidenceSummary summary = r.evidence().orElseThrow();
            assertEquals(model.competencies(), new ArrayList<>(summary.competencies().keySet()));
            long rated = summary.competencies().values().stream().mapToLong(CompetencyScore::ratings).sum();
            assertEquals(summary.observations(), rated + summary.duplicates(), e.getKey());
            assertEquals("none", summary.calibration());
            assertTrue(summary.unmappedAttributes().isEmpty());
            for (JsonNode row : e.getValue()) {
              CompetencyScore c = summary.competencies().get(row.get("competency_id").asText());
              if (!row.get("value").isNull()) {
                assertTrue(c.score().isPresent(), row.toString());
                assertTrue(c.methods().contains(row.get("method").asText()), row.toString());
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aBatchGivesTheFitsAndStatusesTheCliPrints() {
    JsonNode docs = Fixtures.candidates();
    try (Model model = Fixtures.model()) {
      List<String> columns = model.competencies();
      double[] scores = new double[docs.size() * columns.size()];
      for (int i = 0; i < docs.size(); ++i)
        for (int j = 0; j < columns.size(); ++j) {
          JsonNode level = docs.get(i).get("scores").get(columns.get(j));
          scores[i * columns.size() + j] = level == null ? Double.NaN : level.doubleValue();
        }
      for (String profile : model.profiles()) {
        Map<String, JsonNode> expected = Fixtures.byCandidate("expected/score_" + profile + ".jsonl");
        try (Scorer scorer = model.scorer(profile)) {
          Scorer.Batch b = scorer.scoreBatch(scores);
          for (int i = 0; i < docs.size(); ++i) {
            JsonNode e = expected.get(docs.get(i).get("candidate_id").asText());
            double fit = b.fit(i);
            assertEquals(Fixtures.sixDecimals(e.get("fit")), Double.isNaN(fit) ? null : Fixtures.sixDecimals(fit));
            assertEquals(e.get("status").asText(), b.status()[i].jsonName());
            assertEquals(Fixtures.sixDecimals(e.get("coverage")), Fixtures.sixDecimals(b.coverage()[i]));
          }
        }
      }
    }
  }

  @Test
  void namedColumnsInAnyOrderScoreAsTheModelsOrder() {
    JsonNode docs = Fixtures.candidates();
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      List<String> columns = model.competencies();
      int k = columns.size();
      String[] reversed = new String[k];
      double[] inOrder = new double[docs.size() * k];
      double[] inReverse = new double[docs.size() * k];
      for (int j = 0; j < k; ++j) reversed[j] = columns.get(k - 1 - j);
      for (int i = 0; i < docs.size(); ++i)
        for (int j = 0; j < k; ++j) {
          JsonNode level = docs.get(i).get("scores").get(columns.get(j));
          double v = level == null ? Double.NaN : level.doubleValue();
          inOrder[i * k + j] = v;
          inReverse[i * k + (k - 1 - j)] = v;
        }
      Scorer.Batch expected = scorer.scoreBatch(inOrder);
      Scorer.Batch named = scorer.scoreBatch(reversed, inReverse);
      assertArrayEquals(expected.fit(), named.fit());
      assertArrayEquals(expected.coverage(), named.coverage());
      assertArrayEquals(expected.status(), named.status());

      String[] unknown = reversed.clone();
      unknown[1] = "astrology";
      MeritException e = assertThrows(MeritException.class, () -> scorer.scoreBatch(unknown, inReverse));
      assertEquals(MeritException.Code.REFERENCE, e.code());
      assertEquals("/columns/1", e.location());
      String[] twice = reversed.clone();
      twice[1] = twice[0];
      assertEquals(MeritException.Code.DUPLICATE,
                   assertThrows(MeritException.class, () -> scorer.scoreBatch(twice, inReverse)).code());
    }
  }

  @Test
  void aScorerNamesTheModelEveryResultNames() {
    ModelIdentity identity;
    FitResult result;
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      identity = model.identity();
      result = scorer.score(Fixtures.candidates().get(0).toString());
      model.close();  // the scorer's identity outlives the model handle
      assertEquals(identity, scorer.modelIdentity());
    }
    assertEquals(identity, result.model());
    assertEquals(64, identity.contentHash().length());
  }

  @Test
  void aMapOfLevelsIsTheSameCandidateAsItsDocument() {
    JsonNode doc = Fixtures.candidates().get(0);
    Map<String, Double> levels = new LinkedHashMap<>();
    doc.get("scores").fields().forEachRemaining(e -> levels.put(e.getKey(), e.getValue().doubleValue()));
    levels.put("sales_training", null);
    ((ObjectNode) doc.get("scores")).putNull("sales_training");
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      FitResult fromMap = scorer.score(doc.get("candidate_id").asText(), levels);
      FitResult fromDoc = scorer.score(doc.toString());
      assertEquals(fromDoc.json(), fromMap.json());
      assertFalse(fromMap.contributions().isEmpty());
    }
  }

  @Test
  void anIntegerCandidateIdComesBackAsAString() {
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      FitResult r = scorer.score("{\"candidate_id\": 17, \"scores\": {}}");
      assertEquals("17", r.candidateId());
      assertTrue(r.fit().isEmpty());
      assertTrue(r.role().bestProfile().isEmpty());
    }
  }
}
