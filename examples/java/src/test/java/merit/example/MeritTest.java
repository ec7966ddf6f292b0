package merit.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.merit.FitResult;
import io.merit.Merit;
import io.merit.MeritException;
import io.merit.Model;
import io.merit.Scorer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A consumer of the io.merit:merit artifact gives the same fits as the merit CLI.
 * The expected values are never written down here: the test runs the CLI
 * (MERIT_CLI) on the same model and pool and compares what it prints (6 decimals)
 * with libmerit's double rounded the same way. The model and pool come from the
 * repository named by the system property merit.source.dir (the pom sets it).
 */
class MeritTest {
  static final Path ROOT = Paths.get(System.getProperty("merit.source.dir")).toAbsolutePath().normalize();
  static final Path MODEL = ROOT.resolve("competency_models/sales_enablement.json");
  static final Path POOL = ROOT.resolve("examples/pool.csv");
  static final Path CANDIDATE = ROOT.resolve("examples/candidate_C001.json");

  /** candidate id -> {fit as printed (empty = no fit), status}, from `merit score --csv`. */
  static Map<String, String[]> cliScores(String profile) throws IOException, InterruptedException {
    String cli = System.getenv("MERIT_CLI");
    if (cli == null || cli.isEmpty()) fail("set MERIT_CLI to the merit command-line tool (build/merit)");
    Process p = new ProcessBuilder(cli, "score", "--model", MODEL.toString(), "--profile", profile,
                                   "--candidates", POOL.toString(), "--csv")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "merit score failed");
    Map<String, String[]> rows = new HashMap<>();
    String[] lines = out.split("\n");
    // The documented columns come first; a `band` column follows when the
    // profile carries a reliability.
    assertTrue(lines[0].startsWith("rank,candidate_id,fit,status,coverage"), lines[0]);
    for (int i = 1; i < lines.length; ++i) {
      String[] f = lines[i].split(",", -1);
      rows.put(f[1], new String[] {f[2], f[3]});
    }
    return rows;
  }

  /** A fit as the CLI prints it: the exact double rounded to 6 decimals. */
  static String printed(double fit) {
    return Double.isNaN(fit) ? "" : new BigDecimal(fit).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }

  @Test
  void theArtifactLoadsItsBundledLibrary() {
    // Loaded from the jar in the local Maven repository: JNA extracted it to a temporary file.
    assertTrue(Paths.get(Merit.libraryPath()).getFileName().toString().startsWith("jna"), Merit.libraryPath());
    assertEquals(Merit.ABI_VERSION, Merit.abiVersion());
    assertTrue(Merit.version().matches("\\d+\\.\\d+\\.\\d+.*"), Merit.version());
  }

  @Test
  void exampleCandidateGetsTheSameFitAsTheCli() throws Exception {
    Map<String, String[]> cli = cliScores("sales_enablement");
    String doc = new String(Files.readAllBytes(CANDIDATE), StandardCharsets.UTF_8);
    try (Model model = Model.load(MODEL); Scorer scorer = model.scorer("sales_enablement")) {
      FitResult result = scorer.score(doc);
      assertEquals(cli.get("C001")[0], printed(result.fit().orElse(Double.NaN)), result.json());
      assertEquals(cli.get("C001")[1], result.status().jsonName());
      assertEquals("C001", result.candidateId());
      assertEquals(model.contentHash(), result.model().contentHash());
      System.out.println(ScoreCandidate.describe(result) + " (merit score: " + cli.get("C001")[0] + ")");
    }
  }

  @Test
  void wholePoolInOneBatchMatchesTheCliForEveryProfile() throws Exception {
    List<String> lines = Files.readAllLines(POOL, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",", -1);
    try (Model model = Model.load(MODEL)) {
      List<String> columns = model.competencies();
      List<String> ids = new ArrayList<>();
      double[] scores = new double[(lines.size() - 1) * columns.size()];
      for (int r = 1; r < lines.size(); ++r) {
        String[] f = lines.get(r).split(",", -1);
        ids.add(f[0]);
        for (int j = 1; j < header.length; ++j) {
          int c = columns.indexOf(header[j]);
          assertTrue(c >= 0, header[j]);
          scores[(r - 1) * columns.size() + c] = f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]);
        }
      }
      for (String profile : model.profiles()) {
        Map<String, String[]> cli = cliScores(profile);
        try (Scorer scorer = model.scorer(profile)) {
          Scorer.Batch b = scorer.scoreBatch(scores);
          for (int i = 0; i < ids.size(); ++i) {
            String[] expected = cli.get(ids.get(i));
            assertEquals(expected[0], printed(b.fit(i)), profile + " " + ids.get(i));
            assertEquals(expected[1], b.status()[i].jsonName(), profile + " " + ids.get(i));
          }
        }
      }
    }
  }

  /** scoreFile streams a pool into the same bytes as `merit score --out`. */
  @Test
  void scoreFileWritesTheSameBytesAsTheCli() throws Exception {
    String cli = System.getenv("MERIT_CLI");
    if (cli == null || cli.isEmpty()) fail("set MERIT_CLI to the merit command-line tool (build/merit)");
    Path dir = Files.createTempDirectory("merit-java");
    Path fromCli = dir.resolve("cli.csv");
    Path fromJava = dir.resolve("java.csv");
    Process p = new ProcessBuilder(cli, "score", "--model", MODEL.toString(), "--profile", "sales_operations",
                                   "--candidates", POOL.toString(), "--explain", "--top", "7",
                                   "--threads", "2", "--out", fromCli.toString(), "--quiet")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertEquals(0, p.waitFor(), "merit score failed");
    List<Long> progress = new ArrayList<>();
    try (Model model = Model.load(MODEL)) {
      String summary = model.scoreFile(POOL, fromJava,
          "{\"profile\": \"sales_operations\", \"explain\": true, \"top\": 7, \"threads\": 2}",
          rows -> progress.add(rows));
      assertTrue(summary.contains("\"scored\":31"), summary);
      assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1) == 31, progress.toString());
      assertEquals(new String(Files.readAllBytes(fromCli), StandardCharsets.UTF_8),
                   new String(Files.readAllBytes(fromJava), StandardCharsets.UTF_8));
      MeritException bad = assertThrows(MeritException.class,
          () -> model.scoreFile(POOL, dir.resolve("x.csv"), "{\"threads\": 0}", null));
      assertEquals("/threads", bad.location());
      assertTrue(!Files.exists(dir.resolve("x.csv")), "nothing written on error");
    }
  }
}
