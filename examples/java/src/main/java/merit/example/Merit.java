package merit.example;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A small Java face for libmerit: models and scorers as AutoCloseable objects,
 * failures as {@link MeritException}.
 *
 * <p>The library is found through the environment variable MERIT_LIBRARY_PATH:
 * the path of libmerit.so.1 itself, or a directory holding it. Without it,
 * JNA's usual search (jna.library.path, the system's library path) applies.
 */
public final class Merit {
  private Merit() {}

  public static final MeritLibrary LIB = load();

  private static MeritLibrary load() {
    Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");
    String where = System.getenv("MERIT_LIBRARY_PATH");
    if (where == null || where.isEmpty()) return Native.load("merit", MeritLibrary.class, options);
    File f = new File(where);
    if (f.isDirectory()) {
      NativeLibrary.addSearchPath("merit", f.getAbsolutePath());
      return Native.load("merit", MeritLibrary.class, options);
    }
    return Native.load(f.getAbsolutePath(), MeritLibrary.class, options);
  }

  /** A negative status of libmerit, with the calling thread's last error. */
  public static final class MeritException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int code;
    public final String name;
    public final String location;

    MeritException(int code, String name, String message, String location) {
      super(location.isEmpty() ? name + ": " + message : name + ": " + location + ": " + message);
      this.code = code;
      this.name = name;
      this.location = location;
    }
  }

  /** Throws for a negative status. JNA calls run on the calling thread, so the
   *  thread-local last error belongs to the call that just failed. */
  static void check(int rc) {
    if (rc != 0)
      throw new MeritException(rc, LIB.merit_error_name(rc), LIB.merit_last_error_message(),
                               LIB.merit_last_error_location());
  }

  private static String borrowed(PointerByReference out) {
    return out.getValue().getString(0, "UTF-8");
  }

  /** A validated competency model. */
  public static final class Model implements AutoCloseable {
    private Pointer handle;

    private Model(Pointer handle) { this.handle = handle; }

    public static Model load(String path) {
      PointerByReference out = new PointerByReference();
      check(LIB.merit_model_load(path, out));
      return new Model(out.getValue());
    }

    public static Model fromJson(String json, String source) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      PointerByReference out = new PointerByReference();
      check(LIB.merit_model_load_buffer(bytes, new MeritLibrary.SizeT(bytes.length), source, out));
      return new Model(out.getValue());
    }

    public String id() {
      PointerByReference out = new PointerByReference();
      check(LIB.merit_model_id(handle, out));
      return borrowed(out);
    }

    public String contentHash() {
      PointerByReference out = new PointerByReference();
      check(LIB.merit_model_content_hash(handle, out));
      return borrowed(out);
    }

    /** Competency ids in the model's order: the column order of score arrays. */
    public List<String> competencies() {
      MeritLibrary.SizeTByReference n = new MeritLibrary.SizeTByReference();
      check(LIB.merit_model_competency_count(handle, n));
      List<String> ids = new ArrayList<>();
      for (long i = 0; i < n.getValue(); ++i) {
        PointerByReference out = new PointerByReference();
        check(LIB.merit_model_competency_id(handle, new MeritLibrary.SizeT(i), out));
        ids.add(borrowed(out));
      }
      return Collections.unmodifiableList(ids);
    }

    public List<String> profiles() {
      MeritLibrary.SizeTByReference n = new MeritLibrary.SizeTByReference();
      check(LIB.merit_model_profile_count(handle, n));
      List<String> ids = new ArrayList<>();
      for (long i = 0; i < n.getValue(); ++i) {
        PointerByReference out = new PointerByReference();
        check(LIB.merit_model_profile_id(handle, new MeritLibrary.SizeT(i), out));
        ids.add(borrowed(out));
      }
      return Collections.unmodifiableList(ids);
    }

    /**
     * Streams the pool in {@code inputPath} (wide CSV, or evidence with
     * {"evidence": true}) into ranked results in {@code outputPath}: the same
     * bytes as {@code merit score}. {@code optionsJson} (null: defaults) takes
     * the keys of docs/c-abi.md ("profile", "threads", "top", "explain",
     * "rejects", ...); {@code progress} may be null, or return false to cancel.
     * Returns the run's summary JSON ("rows_read", "scored", "rejected", ...).
     */
    public String scoreFile(String inputPath, String outputPath, String optionsJson,
                            java.util.function.LongPredicate progress) {
      MeritLibrary.ProgressCallback cb = progress == null ? null
          : (rows, bytes, total, user) -> progress.test(rows.longValue()) ? 1 : 0;
      PointerByReference out = new PointerByReference();
      check(LIB.merit_score_file(handle, inputPath, outputPath, optionsJson, cb, null, out));
      Pointer summary = out.getValue();
      try {
        return summary.getString(0, "UTF-8");
      } finally {
        LIB.merit_string_free(summary);
      }
    }

    /** A scorer for one profile (null: the model's first). */
    public Scorer scorer(String profileId) {
      int columns = competencies().size();
      PointerByReference out = new PointerByReference();
      check(LIB.merit_scorer_create(handle, profileId, out));
      return new Scorer(out.getValue(), columns);
    }

    @Override
    public void close() {
      LIB.merit_model_destroy(handle);
      handle = null;
    }
  }

  /** Fits, coverages and statuses of a batch, one entry per candidate. */
  public static final class Batch {
    public final double[] fit;       // NaN = no fit
    public final double[] coverage;
    public final byte[] status;      // MeritLibrary.MERIT_STATUS_*

    Batch(int n) {
      fit = new double[n];
      coverage = new double[n];
      status = new byte[n];
    }
  }

  /** A profile compiled for scoring; immutable and safe to share between threads. */
  public static final class Scorer implements AutoCloseable {
    private Pointer handle;
    private final int columns;

    private Scorer(Pointer handle, int columns) {
      this.handle = handle;
      this.columns = columns;
    }

    /** Scores one candidate document; returns the result JSON (see docs/c-abi.md). */
    public String scoreJson(String candidateJson) {
      byte[] bytes = candidateJson.getBytes(StandardCharsets.UTF_8);
      PointerByReference out = new PointerByReference();
      check(LIB.merit_scorer_score_json(handle, bytes, new MeritLibrary.SizeT(bytes.length), out));
      Pointer result = out.getValue();
      try {
        return result.getString(0, "UTF-8");
      } finally {
        LIB.merit_string_free(result);
      }
    }

    /** Scores rows of a row-major array (#candidates by #model competencies, NaN = missing). */
    public Batch scoreBatch(double[] scores) {
      if (scores.length % columns != 0)
        throw new IllegalArgumentException("scores must hold whole rows of " + columns + " values");
      int n = scores.length / columns;
      Batch b = new Batch(n);
      check(LIB.merit_scorer_score_batch(handle, scores, new MeritLibrary.SizeT(n), new MeritLibrary.SizeT(columns),
                                         b.fit, b.coverage, b.status, null, null));
      return b;
    }

    @Override
    public void close() {
      LIB.merit_scorer_destroy(handle);
      handle = null;
    }
  }
}
