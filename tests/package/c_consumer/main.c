/* A C99 program using merit's C ABI as an installed package, built through
 * find_package(merit COMPONENTS c) and through pkg-config: load a model and
 * score one candidate at level 3 on every competency, as the C++ consumer
 * does, so the two print the same line. */
#include <merit.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  merit_model *model = NULL;
  merit_scorer *scorer = NULL;
  size_t c, n = 0;
  double *x, fit = 0;
  const char *profile = NULL;
  if (argc < 2) return 2;
  if (merit_abi_version() != MERIT_ABI_VERSION || merit_model_load(argv[1], &model) != 0 ||
      merit_scorer_create(model, "sales_enablement", &scorer) != 0 || merit_model_competency_count(model, &n) != 0) {
    fprintf(stderr, "merit: %s\n", merit_last_error_message());
    return 1;
  }
  x = malloc(n * sizeof *x);
  if (!x) return 1;
  for (c = 0; c < n; ++c) x[c] = 3.0;
  if (merit_scorer_score_batch(scorer, x, 1, n, &fit, NULL, NULL, NULL, NULL) != 0 ||
      merit_scorer_profile_id(scorer, &profile) != 0)
    return 1;
  printf("%s: %.6f\n", profile, fit);
  free(x);
  merit_scorer_destroy(scorer);
  merit_model_destroy(model);
  return 0;
}
