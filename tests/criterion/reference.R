# Reference values for tests/cpp/test_criterion.cpp, computed with R.
# Regenerate (from the repository root):
#   Rscript tests/criterion/reference.R
# Needs the Debian package r-cran-psych (scripts/install-deps.sh). Made with
# R 4.2 and psych 2.2.9. Writes the synthetic data set (seed 360, documented
# below) and reference_values.csv (name,value, 17 significant digits) next to
# this file.
#
# The data: 40 persons, each with a true performance t ~ N(0, 1). Three rater
# groups rate them on 1..5 (rounded, clipped):
#   salespeople: 2 to 5 raters a person (unbalanced), 3 + 0.7 t + N(0, 0.8);
#   peer:        3 raters a person (balanced),         3 + 0.5 t + N(0, 0.9);
#   manager:     1 rater a person,                     3 + 0.8 t + N(0, 0.6).
# Raters are nested in persons (each person has their own raters).
suppressMessages(library(psych))
dir <- "tests/criterion"
set.seed(360)
out <- list()
put <- function(name, value) out[[name]] <<- value

n <- 40
t <- rnorm(n)
rate <- function(mu, sd) pmin(5, pmax(1, round(mu + rnorm(length(mu), 0, sd))))
rows <- list()
for (i in seq_len(n)) {
  id <- sprintf("E%02d", i)
  k <- sample(2:5, 1)
  rows[[length(rows) + 1]] <- data.frame(candidate_id = id, rater_group = "salespeople",
                                         rater_id = sprintf("%s-S%d", id, seq_len(k)),
                                         rating = rate(rep(3 + 0.7 * t[i], k), 0.8))
  rows[[length(rows) + 1]] <- data.frame(candidate_id = id, rater_group = "peer",
                                         rater_id = sprintf("%s-P%d", id, 1:3),
                                         rating = rate(rep(3 + 0.5 * t[i], 3), 0.9))
  rows[[length(rows) + 1]] <- data.frame(candidate_id = id, rater_group = "manager",
                                         rater_id = sprintf("%s-M", id),
                                         rating = rate(3 + 0.8 * t[i], 0.6))
}
d <- do.call(rbind, rows)
write.csv(d, file.path(dir, "ratings.csv"), row.names = FALSE, quote = FALSE)

# Peer (balanced, 3 raters a person): psych::ICC on the persons x 3 matrix.
peer <- d[d$rater_group == "peer", ]
wide <- t(sapply(split(peer$rating, factor(peer$candidate_id, levels = unique(peer$candidate_id))), identity))
ic <- ICC(wide, lmer = FALSE)$results
rownames(ic) <- ic$type
put("peer_icc1", ic["ICC1", "ICC"]); put("peer_icc1_lower", ic["ICC1", "lower bound"])
put("peer_icc1_upper", ic["ICC1", "upper bound"])
put("peer_icc1k", ic["ICC1k", "ICC"]); put("peer_icc1k_lower", ic["ICC1k", "lower bound"])
put("peer_icc1k_upper", ic["ICC1k", "upper bound"])
put("peer_f", ic["ICC1", "F"]); put("peer_p", ic["ICC1", "p"])

# Salespeople (unbalanced): the one-way ANOVA by lm, k0 of the unbalanced design.
sp <- d[d$rater_group == "salespeople", ]
a <- anova(lm(rating ~ factor(candidate_id), data = sp))
msb <- a[1, "Mean Sq"]; msw <- a[2, "Mean Sq"]; dfb <- a[1, "Df"]; dfw <- a[2, "Df"]
ki <- as.vector(table(sp$candidate_id)); N <- sum(ki)
k0 <- (N - sum(ki^2) / N) / (length(ki) - 1)
f <- msb / msw
fl <- f / qf(0.975, dfb, dfw); fu <- f * qf(0.975, dfw, dfb)
put("sales_k0", k0); put("sales_msb", msb); put("sales_msw", msw)
put("sales_icc1", (msb - msw) / (msb + (k0 - 1) * msw)); put("sales_icc1k", (msb - msw) / msb)
put("sales_icc1_lower", (fl - 1) / (fl + k0 - 1)); put("sales_icc1_upper", (fu - 1) / (fu + k0 - 1))
put("sales_icc1k_lower", 1 - 1 / fl); put("sales_icc1k_upper", 1 - 1 / fu)
put("sales_f", f); put("sales_p", pf(f, dfb, dfw, lower.tail = FALSE))

# The composite with weights salespeople .5, manager .3, peer .2 and its
# Mosier reliability, with the manager's reliability given as .52 (one rater
# a person: not estimable). Computed here from the covariance matrix of the
# group means, r_cc = (sum_j w_j^2 s_j^2 r_jj + sum_{j != k} w_j w_k s_jk) / s_c^2,
# which equals Mosier's 1 - sum_j w_j^2 s_j^2 (1 - r_jj) / s_c^2.
w <- c(salespeople = 0.5, manager = 0.3, peer = 0.2)
m <- sapply(names(w), function(g) tapply(d$rating[d$rater_group == g], d$candidate_id[d$rater_group == g], mean))
composite <- as.vector(m %*% w)
names(composite) <- rownames(m)
S <- cov(m)
r <- c(salespeople = (msb - msw) / msb, manager = 0.52, peer = ic["ICC1k", "ICC"])
num <- sum(w^2 * diag(S) * r) + (sum(outer(w, w) * S) - sum(w^2 * diag(S)))
put("composite_variance", var(composite))
put("mosier", num / sum(outer(w, w) * S))
for (id in c("E01", "E17", "E40")) put(paste0("composite_", id), composite[[id]])

v <- data.frame(name = names(out), value = sprintf("%.17g", unlist(out)))
write.csv(v, file.path(dir, "reference_values.csv"), row.names = FALSE, quote = FALSE)
