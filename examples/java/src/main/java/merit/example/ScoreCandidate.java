package merit.example;

import io.merit.FitResult;
import io.merit.MeritException;
import io.merit.Model;
import io.merit.Scorer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scores one candidate document against a profile with the merit Java library and
 * prints the fit, the status and the role the candidate shows:
 * ScoreCandidate MODEL.json PROFILE CANDIDATE.json
 */
public final class ScoreCandidate {
  private ScoreCandidate() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ScoreCandidate MODEL.json PROFILE CANDIDATE.json");
      System.exit(2);
    }
    String candidate = Files.readString(Path.of(args[2]));
    try (Model model = Model.load(Path.of(args[0])); Scorer scorer = model.scorer(args[1])) {
      System.out.println(describe(scorer.score(candidate)));
    } catch (MeritException e) {
      System.err.println("merit: " + e.getMessage());
      System.exit(3);
    }
  }

  /** One line: candidate, profile, fit (6 decimals, as merit score prints it), status, role. */
  static String describe(FitResult r) {
    String fit = r.fit().isPresent() ? String.format("%.6f", r.fit().getAsDouble()) : "no fit";
    return r.candidateId() + " " + r.profile() + " fit " + fit + " " + r.status().jsonName() + "; role: "
        + r.role().bestProfile().orElse("none distinct") + " (" + r.role().reason() + ")";
  }
}
