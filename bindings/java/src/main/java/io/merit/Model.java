package io.merit;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A validated competency model (docs/model-format.md). Immutable and safe to share
 * between threads; close it when done (scorers made from it stay valid).
 */
public final class Model implements AutoCloseable {
  private Pointer handle;

  private Model(Pointer handle) { this.handle = handle; }

  /** Loads and validates a model file; errors are located {@code path#/json/pointer}. */
  public static Model load(Path path) {
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_model_load(path.toString(), out));
    return new Model(out.getValue());
  }

  /** The same from text; {@code source} (nullable) names it in error locations. */
  public static Model fromJson(String json, String source) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_model_load_buffer(bytes, new LibMerit.SizeT(bytes.length), source, out));
    return new Model(out.getValue());
  }

  Pointer handle() {
    if (handle == null) throw new IllegalStateException("merit: the model is closed");
    return handle;
  }

  /** A borrowed string of a string getter of this model (lives with the handle; copied here). */
  interface Getter {
    int get(Pointer handle, PointerByReference out);
  }

  static String string(Pointer handle, Getter getter) {
    PointerByReference out = new PointerByReference();
    MeritException.check(getter.get(handle, out));
    return out.getValue().getString(0, "UTF-8");
  }

  public String id() { return string(handle(), Merit.lib()::merit_model_id); }

  public String version() { return string(handle(), Merit.lib()::merit_model_version); }

  /** SHA-256 of the model's canonical JSON. */
  public String contentHash() { return string(handle(), Merit.lib()::merit_model_content_hash); }

  public ModelIdentity identity() { return new ModelIdentity(id(), version(), contentHash()); }

  /** Competency ids in the model's order: the column order of {@link Scorer#scoreBatch}. */
  public List<String> competencies() {
    return ids(Merit.lib()::merit_model_competency_count, Merit.lib()::merit_model_competency_id);
  }

  /** Profile (role) ids in file order. */
  public List<String> profiles() {
    return ids(Merit.lib()::merit_model_profile_count, Merit.lib()::merit_model_profile_id);
  }

  private interface Count {
    int get(Pointer handle, LibMerit.SizeTByReference out);
  }

  private interface IdAt {
    int get(Pointer handle, LibMerit.SizeT index, PointerByReference out);
  }

  /** The ids of a count/index pair of the C ABI, in its order. */
  private List<String> ids(Count count, IdAt idAt) {
    LibMerit.SizeTByReference n = new LibMerit.SizeTByReference();
    MeritException.check(count.get(handle(), n));
    List<String> ids = new ArrayList<>();
    for (long i = 0; i < n.getValue(); ++i) {
      LibMerit.SizeT index = new LibMerit.SizeT(i);
      ids.add(string(handle(), (h, out) -> idAt.get(h, index, out)));
    }
    return Collections.unmodifiableList(ids);
  }

  /** A scorer for one profile ({@code null}: the model's first). An unknown profile is
   *  a {@link MeritException} of code NOT_FOUND whose message lists the model's profiles. */
  public Scorer scorer(String profileId) {
    int columns = competencies().size();
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_scorer_create(handle(), profileId, out));
    return new Scorer(out.getValue(), columns);
  }

  /**
   * Streams the pool in {@code input} (wide CSV, or evidence with {"evidence": true})
   * into ranked results in {@code output}: the same bytes as {@code merit score}.
   * {@code optionsJson} (null: defaults) takes the keys of docs/c-abi.md ("profile",
   * "threads", "top", "explain", "rejects", ...); {@code progress} (nullable) receives
   * the rows read so far and returns false to cancel. Returns the run's summary JSON.
   */
  public String scoreFile(Path input, Path output, String optionsJson, LongPredicate progress) {
    LibMerit.ProgressCallback cb = progress == null ? null
        : (rows, bytes, total, user) -> progress.test(rows.longValue()) ? 1 : 0;
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_score_file(handle(), input.toString(), output.toString(), optionsJson,
                                                      cb, null, out));
    return owned(out.getValue());
  }

  /** A job title to a profile (docs/titles.md): the JSON object {@code merit match-title} writes. */
  public String matchTitle(String title) {
    PointerByReference out = new PointerByReference();
    MeritException.check(Merit.lib().merit_match_title(handle(), title, out));
    return owned(out.getValue());
  }

  /** Copies a string the caller owns and releases it with merit_string_free. */
  static String owned(Pointer s) {
    try {
      return s.getString(0, "UTF-8");
    } finally {
      Merit.lib().merit_string_free(s);
    }
  }

  @Override
  public void close() {
    Merit.lib().merit_model_destroy(handle);
    handle = null;
  }
}
