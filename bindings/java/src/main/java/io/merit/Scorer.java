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
    if (scores.length % columns != 0)
      throw new IllegalArgumentException("scores must hold whole rows of " + columns + " values");
    int n = scores.length / columns;
    double[] fit = new double[n];
    double[] coverage = new double[n];
    byte[] codes = new byte[n];
    MeritException.check(Merit.lib().merit_scorer_score_batch(handle(), scores, new LibMerit.SizeT(n),
                                                               new LibMerit.SizeT(columns), fit, coverage, codes,
                                                               null, null));
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
