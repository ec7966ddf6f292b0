package io.merit;

/**
 * A failure reported by libmerit: its code, the code's stable name, what went
 * wrong ({@link #detail()}) and where ({@link #location()}: a JSON pointer such as
 * {@code /scores/content_clarity}, {@code file#/json/pointer}, {@code file:line:column},
 * or "" when no place applies). {@link #getMessage()} is {@code location: detail},
 * as the CLI prints it.
 */
public class MeritException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The C ABI's MERIT_E_* codes (docs/c-abi.md). */
  public enum Code {
    INVALID_ARGUMENT(-1), IO(-2), PARSE(-3), SCHEMA(-4), REFERENCE(-5), DUPLICATE(-6), VALUE(-7),
    PROTECTED_ATTRIBUTE(-8), INCONSISTENT(-9), NOT_FOUND(-10), INTERRUPTED(-11),
    UNSUPPORTED(-64), NOMEM(-65), INTERNAL(-66),
    /** A code this binding does not know yet (a newer library may add codes). */
    UNKNOWN(0);

    /** The negative value the C functions return. */
    public final int value;

    Code(int value) { this.value = value; }

    static Code of(int value) {
      for (Code c : values())
        if (c.value == value) return c;
      return UNKNOWN;
    }
  }

  private final int status;
  private final Code code;
  private final String name;
  private final String detail;
  private final String location;

  MeritException(int status, String name, String detail, String location) {
    super(location.isEmpty() ? detail : location + ": " + detail);
    this.status = status;
    this.code = Code.of(status);
    this.name = name;
    this.detail = detail;
    this.location = location;
  }

  /** The status the C function returned (a negative MERIT_E_* value). */
  public int status() { return status; }

  public Code code() { return code; }

  /** The code's stable name: "value", "not_found", ... (the CLI's and Python's too). */
  public String name() { return name; }

  /** The message without the location. */
  public String detail() { return detail; }

  public String location() { return location; }

  /** Throws for a nonzero status. JNA calls run on the calling thread, so the
   *  thread-local last error belongs to the call that just failed. */
  static void check(int status) {
    if (status == 0) return;
    LibMerit lib = Merit.lib();
    throw new MeritException(status, lib.merit_error_name(status), lib.merit_last_error_message(),
                             lib.merit_last_error_location());
  }
}
