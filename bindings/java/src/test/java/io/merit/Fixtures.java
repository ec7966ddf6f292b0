package io.merit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' data, all from the test classpath (relocatable: no source tree, no CLI):
 * the model copied there at build time (io/merit/model.json) and, under
 * io/merit/expected/, the candidate documents and what the merit CLI answered for
 * them (scripts/make-expected.sh wrote them).
 */
final class Fixtures {
  private Fixtures() {}

  /** Reads numbers as written (BigDecimal), so "92.845528" stays those six decimals. */
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static String text(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/io/merit/" + resource)) {
      if (in == null) throw new IllegalStateException("no test resource io/merit/" + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Model model() {
    return Model.fromJson(text("model.json"), "model.json");
  }

  static List<JsonNode> jsonLines(String resource) {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : text(resource).split("\n")) {
      if (line.isBlank()) continue;
      try {
        rows.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return rows;
  }

  /** Rows of a JSON Lines resource by their candidate_id. */
  static Map<String, JsonNode> byCandidate(String resource) {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (JsonNode row : jsonLines(resource)) rows.put(row.get("candidate_id").asText(), row);
    return rows;
  }

  static JsonNode candidates() {
    try {
      return JSON.readTree(text("expected/candidates.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A number as the CLI's score output prints it: rounded to 6 decimals. */
  static String sixDecimals(double x) {
    return new BigDecimal(x).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** An expected number of the CLI's score output, in the same form (null: no value). */
  static String sixDecimals(JsonNode printed) {
    return printed.isNull() ? null : printed.decimalValue().setScale(6, RoundingMode.UNNECESSARY).toPlainString();
  }
}
