package io.merit;

import com.sun.jna.Callback;
import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C ABI of libmerit (include/merit.h), declared for JNA. Private to the
 * package: {@link Model} and {@link Scorer} wrap its handles. JNA binds each
 * function at its first call, so a function of a newer version node (for example
 * MERIT_1.3) can be declared here and fails only when called on an older library.
 */
interface LibMerit extends Library {
  /** C size_t. */
  final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() { this(0); }

    public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
  }

  /** A size_t out-parameter. */
  final class SizeTByReference extends ByReference {
    public SizeTByReference() { super(Native.SIZE_T_SIZE); }

    long getValue() {
      return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
    }
  }

  String merit_version();
  int merit_abi_version();

  String merit_last_error_message();
  String merit_last_error_location();
  String merit_error_name(int code);
  void merit_string_free(Pointer s);

  int merit_model_load(String path, PointerByReference out);
  int merit_model_load_buffer(byte[] data, SizeT size, String source, PointerByReference out);
  void merit_model_destroy(Pointer model);
  int merit_model_id(Pointer model, PointerByReference out);
  int merit_model_version(Pointer model, PointerByReference out);
  int merit_model_content_hash(Pointer model, PointerByReference out);
  int merit_model_competency_count(Pointer model, SizeTByReference out);
  int merit_model_competency_id(Pointer model, SizeT index, PointerByReference out);
  int merit_model_profile_count(Pointer model, SizeTByReference out);
  int merit_model_profile_id(Pointer model, SizeT index, PointerByReference out);

  int merit_scorer_create(Pointer model, String profileId, PointerByReference out);
  void merit_scorer_destroy(Pointer scorer);
  int merit_scorer_profile_id(Pointer scorer, PointerByReference out);
  int merit_scorer_score_json(Pointer scorer, byte[] json, SizeT size, PointerByReference result);
  int merit_scorer_score_batch(Pointer scorer, double[] scores, SizeT nRows, SizeT nCols, double[] fitOut,
                               double[] coverageOut, byte[] statusOut, double[] contributionsOut,
                               double[] gapsOut);

  // MERIT_1.3: the model behind a scorer, and batches with named columns.
  int merit_scorer_model_id(Pointer scorer, PointerByReference out);
  int merit_scorer_model_version(Pointer scorer, PointerByReference out);
  int merit_scorer_model_content_hash(Pointer scorer, PointerByReference out);
  int merit_scorer_score_batch_named(Pointer scorer, String[] columnIds, SizeT nCols, double[] scores, SizeT nRows,
                                     double[] fitOut, double[] coverageOut, byte[] statusOut,
                                     double[] contributionsOut, double[] gapsOut);

  /** merit_progress_fn: rows and bytes read so far, the input's size (0 when
   *  unknown); returns nonzero to go on, 0 to cancel. */
  interface ProgressCallback extends Callback {
    int invoke(SizeT rows, SizeT bytes, SizeT totalBytes, Pointer user);
  }

  int merit_score_file(Pointer model, String inputPath, String outputPath, String optionsJson,
                       ProgressCallback progress, Pointer user, PointerByReference summaryJson);

  int merit_match_title(Pointer model, String title, PointerByReference json);
}
