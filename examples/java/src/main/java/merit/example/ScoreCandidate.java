package merit.example;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Scores one candidate document against a profile and prints the result JSON:
 * ScoreCandidate MODEL.json PROFILE CANDIDATE.json
 */
public final class ScoreCandidate {
  private ScoreCandidate() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ScoreCandidate MODEL.json PROFILE CANDIDATE.json");
      System.exit(2);
    }
    String candidate = new String(Files.readAllBytes(Paths.get(args[2])), StandardCharsets.UTF_8);
    try (Merit.Model model = Merit.Model.load(args[0]); Merit.Scorer scorer = model.scorer(args[1])) {
      System.out.println(scorer.scoreJson(candidate));
    } catch (Merit.MeritException e) {
      System.err.println("merit: " + e.getMessage());
      System.exit(3);
    }
  }
}
