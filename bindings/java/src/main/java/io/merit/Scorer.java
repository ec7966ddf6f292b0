package io.merit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A profile compiled for scoring. Immutable and safe to share between threads
 * (libmerit's scorers are; each thread's errors are its own). Close it when done.
 */
public final class Scorer implements AutoCloseable {
  private Pointer handle;
  private final int columns;

  Scorer(Pointer handle, int columns) {
    this.handle = handle;
    this.columns = columns;
  }

  private Pointer handle() {
    if (handle == null) throw new IllegalStateException("merit: the scorer is closed");
    return handle;
  }

  /** The profile this scorer scores. */
  public String profileId() { return Model.string(handle(), Merit.lib()::merit_scorer_profile_id); }

  /** The model this scorer was compiled from, as every result's {@code model} names it:
   *  record it with every answer you keep. Valid after the {@link Model} is closed. */
  public ModelIdentity modelIdentity() {
    LibMerit lib = Merit.lib();
    return new ModelIdentity(Model.string(handle(), lib::merit_scorer_model_id),
                             Model.string(handle(), lib::merit_scorer_model_version),
                             Model.string(handle(), lib::merit_scorer_model_content_hash));
  }

  /** Scores one candidate document (docs/schemas/candidate.schema.json) and returns
   *  the result document as the library wrote it. */
  public String scoreJson(String candidateJson) {
    byte[] bytes = candidateJson.getBytes(StandardCharsets.UTF_8);
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_scorer_score_json(handle(), bytes, new LibMerit.SizeT(bytes.length), out));
    return Model.owned(out.getValue());
  }

  /** Scores one candidate document into a typed result. */
  public FitResult score(String candidateJson) {
    return FitResult.parse(scoreJson(candidateJson));
  }

  /** Scores a candidate given as competency id to level on 1..L ({@code null}: not observed). */
  public FitResult score(String candidateId, Map<String, Double> scores) {
    ObjectNode doc = FitResult.MAPPER.createObjectNode();
    doc.put("candidate_id", candidateId);
    ObjectNode levels = doc.putObject("scores");
    scores.forEach(levels::put);
    try {
      return score(FitResult.MAPPER.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("merit: could not write a candidate document", e);
    }
  }

  /** Fits, coverages and statuses of a batch, one entry per candidate (row). */
  public record Batch(double[] fit, double[] coverage, Status[] status) {
    /** The fit of row {@code i}; NaN when no weighted competency was observed. */
    public double fit(int i) { return fit[i]; }
  }

  /**
   * Scores the rows of a row-major array: #candidates by #model competencies, in
   * {@link Model#competencies()} order, NaN = not observed. A value off the scale is a
   * {@link MeritException} of code VALUE located {@code /row/column}.
   */
  public Batch scoreBatch(double[] scores) {
    return batch(scores, columns, (n, fit, coverage, codes) -> Merit.lib().merit_scorer_score_batch(
        handle(), scores, new LibMerit.SizeT(n), new LibMerit.SizeT(columns), fit, coverage, codes, null, null));
  }

  /**
   * Scores the rows of a row-major array whose column {@code j} holds competency
   * {@code columnIds[j]}, in any order, NaN = not observed: a model that gains, loses or
   * reorders competencies can never shift your columns. Competencies the profile does not
   * target may be left out. Refused before anything is scored, as a {@link MeritException}
   * located {@code /columns/j}: an id that names no competency (REFERENCE), an id given
   * twice (DUPLICATE); located {@code /columns}: a targeted competency without a column
   * (SCHEMA). A value off the scale is VALUE located {@code /row/column}.
   */
  public Batch scoreBatch(String[] columnIds, double[] scores) {
    if (columnIds.length == 0) throw new IllegalArgumentException("columnIds must name at least one competency");
    return batch(scores, columnIds.length, (n, fit, coverage, codes) -> Merit.lib().merit_scorer_score_batch_named(
        handle(), columnIds, new LibMerit.SizeT(columnIds.length), scores, new LibMerit.SizeT(n), fit, coverage,
        codes, null, null));
  }

  private interface BatchCall {
    int call(int rows, double[] fit, double[] coverage, byte[] codes);
  }

  private static Batch batch(double[] scores, int width, BatchCall call) {
    if (scores.length % width != 0)
      throw new IllegalArgumentException("scores must hold whole rows of " + width + " values");
    int n = scores.length / width;
    double[] fit = new double[n];
    double[] coverage = new double[n];
    byte[] codes = new byte[n];
    MeritException.check(call.call(n, fit, coverage, codes));
    Status[] status = new Status[n];
    for (int i = 0; i < n; ++i) status[i] = Status.fromCode(codes[i]);
    return new Batch(fit, coverage, status);
  }

  @Override
  public void close() {
    Merit.lib().merit_scorer_destroy(handle);
    handle = null;
  }
}
