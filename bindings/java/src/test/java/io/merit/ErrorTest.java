package io.merit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** libmerit's failures as typed exceptions, with the library's code, name and location. */
class ErrorTest {
  @Test
  void aLevelOffTheScaleIsAValueErrorAtItsJsonPointer() {
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      MeritException e = assertThrows(MeritException.class,
          () -> scorer.score("{\"candidate_id\": \"X\", \"scores\": {\"content_clarity\": 9}}"));
      assertEquals(MeritException.Code.VALUE, e.code());
      assertEquals(-7, e.status());
      assertEquals("value", e.name());
      assertEquals("/scores/content_clarity", e.location());
      assertEquals(e.location() + ": " + e.detail(), e.getMessage());
    }
  }

  @Test
  void eachKindOfFailureHasItsCode() {
    try (Model model = Fixtures.model(); Scorer scorer = model.scorer(null)) {
      assertEquals(MeritException.Code.PARSE,
                   assertThrows(MeritException.class, () -> scorer.scoreJson("{\"candidate_id\": ")).code());
      MeritException unknown = assertThrows(MeritException.class,
          () -> scorer.scoreJson("{\"candidate_id\": \"X\", \"scores\": {\"astrology\": 3}}"));
      assertEquals(MeritException.Code.REFERENCE, unknown.code());
      assertEquals("/scores/astrology", unknown.location());
      MeritException profile = assertThrows(MeritException.class, () -> model.scorer("sales"));
      assertEquals(MeritException.Code.NOT_FOUND, profile.code());
      assertTrue(profile.detail().contains("sales_enablement"), profile.detail());
    }
    MeritException io = assertThrows(MeritException.class, () -> Model.load(Path.of("/nonexistent/model.json")));
    assertEquals(MeritException.Code.IO, io.code());
    assertEquals("/nonexistent/model.json", io.location());
    MeritException schema = assertThrows(MeritException.class, () -> Model.fromJson("{}", "empty.json"));
    assertEquals(MeritException.Code.SCHEMA, schema.code());
    assertTrue(schema.location().startsWith("empty.json"), schema.location());
  }

  @Test
  void aClosedHandleIsRefusedInJava() {
    Model model = Fixtures.model();
    Scorer scorer = model.scorer(null);
    scorer.close();
    model.close();
    assertThrows(IllegalStateException.class, () -> scorer.scoreJson("{}"));
    assertThrows(IllegalStateException.class, model::competencies);
  }

  @Test
  void aResultWithoutAMemberIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FitResult.parse("{\"candidate_id\": \"X\", \"profile\": \"p\"}"));
    assertEquals("result has no 'fit'", e.getMessage());
  }

  @Test
  void unknownCodesOfANewerLibraryAreKeptAsTheyCame() {
    assertEquals(MeritException.Code.UNKNOWN, MeritException.Code.of(-12));
    assertEquals(MeritException.Code.INTERNAL, MeritException.Code.of(-66));
  }
}
