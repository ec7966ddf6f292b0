# Reference values for tests/cpp/test_validity.cpp, computed with R.
# Regenerate (from the repository root):
#   Rscript tests/validity/reference.R
# Needs the Debian packages r-cran-psychometric and r-cran-mvtnorm
# (scripts/install-deps.sh). Made with R 4.2, psychometric 2.3, mvtnorm 1.1-3.
# Writes the synthetic data sets (seed 17, documented below) and
# reference_values.csv (name,value, 17 significant digits) next to this file.
suppressMessages({ library(psychometric); library(mvtnorm) })
dir <- "tests/validity"
set.seed(17)
out <- list()
put <- function(name, value) out[[name]] <<- value

# 1. Continuous criterion: 60 hires, predictor ~ N(3, 0.6), criterion = .4 z + noise.
n <- 60
x <- round(rnorm(n, 3, 0.6), 3)
y <- round(0.4 * (x - 3) / 0.6 + rnorm(n), 3)
write.csv(data.frame(x = x, y = y), file.path(dir, "continuous.csv"), row.names = FALSE)
ct <- cor.test(x, y)
r <- unname(ct$estimate)
put("pearson_r", r); put("pearson_lower", ct$conf.int[1]); put("pearson_upper", ct$conf.int[2])
put("pearson_p", ct$p.value)
ci <- CIr(r, n, 0.95)
put("cir_lower", ci[1]); put("cir_upper", ci[2])
put("spearman", cor(x, y, method = "spearman"))
ryy <- 0.52; sdu <- 0.9
put("r_corrected_criterion", r / sqrt(ryy))
put("r_corrected_range", cRRr(r, sd(x), sdu)$unrestricted)
put("r_operational", cRRr(r / sqrt(ryy), sd(x), sdu)$unrestricted)
put("sd_hires", sd(x))

# 2. Binary criterion: 80 hires, P(criterion = 1) = plogis(-6 + 2 x), ties in x (1 decimal).
n <- 80
xb <- round(rnorm(n, 3, 0.7), 1)
yb <- rbinom(n, 1, plogis(-6 + 2 * xb))
write.csv(data.frame(x = xb, y = yb), file.path(dir, "binary.csv"), row.names = FALSE)
put("point_biserial", cor(xb, yb))
g <- glm(yb ~ xb, family = binomial)
put("logit_slope", unname(coef(g)[2])); put("logit_intercept", unname(coef(g)[1]))
put("odds_ratio_per_10", exp(10 * unname(coef(g)[2])))
w <- wilcox.test(xb[yb == 1], xb[yb == 0], exact = FALSE)$statistic
put("auc", unname(w) / (sum(yb == 1) * sum(yb == 0)))
band <- 1 + floor(5 * (rank(xb, ties.method = "min") - 1) / n)
for (b in sort(unique(band))) {
  k <- sum(yb[band == b]); m <- sum(band == b)
  pt <- prop.test(k, m, correct = FALSE)$conf.int
  put(sprintf("band%d_n", b), m); put(sprintf("band%d_rate", b), k / m)
  put(sprintf("band%d_lower", b), pt[1]); put(sprintf("band%d_upper", b), pt[2])
}

# 3. Several predictors: 60 hires, 3 competencies, criterion from unequal weights.
n <- 60
X <- matrix(round(rnorm(n * 3, 3, 0.8), 2), n, 3)
ym <- round(0.5 * X[, 1] + 0.2 * X[, 2] + rnorm(n), 3)
write.csv(data.frame(c1 = X[, 1], c2 = X[, 2], c3 = X[, 3], y = ym), file.path(dir, "multiple.csv"), row.names = FALSE)
fit <- lm(ym ~ X)
put("multiple_r", cor(fitted(fit), ym))
fold <- (seq_len(n) - 1) %% 10
pred <- numeric(n)
for (k in 0:9) {
  tr <- fold != k
  b <- coef(lm(ym[tr] ~ X[tr, ]))
  pred[!tr] <- cbind(1, X[!tr, , drop = FALSE]) %*% b
}
put("cross_validated_r", cor(pred, ym))

# 4. Taylor-Russell and Brogden-Cronbach-Gleser.
cases <- list(c(0.35, 0.2, 0.5), c(0.5, 0.1, 0.3), c(0.3, 0.5, 0.5), c(0.25, 0.5, 0.7),
              c(0.6, 0.8, 0.2), c(-0.2, 0.3, 0.6))
for (i in seq_along(cases)) {
  r <- cases[[i]][1]; sr <- cases[[i]][2]; br <- cases[[i]][3]
  p <- pmvnorm(lower = c(qnorm(1 - sr), qnorm(1 - br)), upper = c(Inf, Inf),
               corr = matrix(c(1, r, r, 1), 2), algorithm = TVPACK(abseps = 1e-14))
  put(sprintf("tr%d_success_ratio", i), p[1] / sr)
}
sr <- 0.2; r <- 0.35; usd <- 40000; hires <- 10; cost <- 300
mz <- dnorm(qnorm(1 - sr)) / sr
put("bcg_mean_z", mz)
put("bcg_utility", TotUtil(r, usd, mz, cost * hires / sr, hires))

v <- data.frame(name = names(out), value = sprintf("%.17g", unlist(out)))
write.csv(v, file.path(dir, "reference_values.csv"), row.names = FALSE, quote = FALSE)
