package io.merit;

/** A candidate's status on a profile (docs/design.md). */
public enum Status {
  /** Every hurdle passed and enough of the profile observed. */
  QUALIFIED("qualified"),
  /** An observed competency below its minimum. */
  SCREENED_OUT("screened_out"),
  /** Coverage below the profile's min_coverage, or a hurdle competency not observed. */
  INCOMPLETE("incomplete");

  private final String json;

  Status(String json) { this.json = json; }

  /** The name in result documents and CSV output: "qualified", "screened_out", "incomplete". */
  public String jsonName() { return json; }

  /** From the name in a result document. */
  public static Status fromJson(String name) {
    for (Status s : values())
      if (s.json.equals(name)) return s;
    throw new IllegalArgumentException("unknown status '" + name + "'");
  }

  /** From a MERIT_STATUS_* code of merit_scorer_score_batch (its order is this enum's). */
  static Status fromCode(byte code) {
    return values()[code];
  }
}
