#!/usr/bin/env Rscript
# cv.glmnet's family = "multinomial" on fixed folds: its curves (cvm, cvsd, nzero, lambda.min,
# lambda.1se) for each type.measure, ungrouped and grouped, glmnet's own automatic path (each
# fold on its own path, predicted at the full-data λ by interpolation) and a given λ list, with
# and without weights and an offset matrix, for tests/test_multinomial_cv.cpp (Debian 12:
# r-cran-glmnet 4.1-6). Run from the repository root, after make_multinomial_reference.R and
# make_multinomial_options_reference.R (it reads tests/data/multinom_data.csv and
# tests/data/multinom_options.csv):
#
#   Rscript scripts/make_multinomial_cv_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/multinom_cv_foldid.csv   foldid: each row's fold, 1..5 (seeded, balanced)
#   tests/data/multinom_cv.csv   case,grouped,alpha,measure,given,options,lambda,cvm,cvsd,nzero,
#       is_min,is_1se: one row per λ of case `case` (CASES below, mirrored by the test):
#       measure 1 deviance, 2 class, 3 mse, 4 mae; given 1: lambda = the full-data path's
#       own λ list at that α passed to cv.glmnet, 0: lambda = NULL; options 1: weights w and
#       offset o0..o2 of multinom_options.csv, 2: the limits LOWER, UPPER, 0: none; is_min /
#       is_1se mark lambda.min and lambda.1se.
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261206)

dir <- file.path("tests", "data")
THRESH <- 1e-14
data <- read.csv(file.path(dir, "multinom_data.csv"))
extra <- read.csv(file.path(dir, "multinom_options.csv"))
y <- factor(data$y)
x <- as.matrix(data[, -1])
n <- nrow(x)
w <- extra$w
off <- as.matrix(extra[, c("o0", "o1", "o2")])
foldid <- sample(rep(1:5, length.out = n))
f17 <- function(v) sprintf("%.17g", v)
write.csv(data.frame(foldid = foldid), file.path(dir, "multinom_cv_foldid.csv"),
          row.names = FALSE, quote = FALSE)

MEASURES <- c("deviance", "class", "mse", "mae")
# grouped, alpha, measure, given, options
CASES <- list(c(0, 1, 1, 0, 0), c(0, 1, 2, 0, 0), c(0, 1, 3, 0, 0), c(0, 1, 4, 0, 0),
              c(1, 0.5, 1, 0, 0), c(1, 1, 2, 1, 0), c(0, 0.5, 1, 1, 0), c(0, 1, 1, 0, 1),
              c(1, 1, 3, 1, 1), c(1, 0.5, 1, 0, 2))
LOWER <- -0.15
UPPER <- c(0.25, 0.1, Inf, 0.2, 0.3, 0.05, 0.2, 0.3)
rows <- list()
for (k in seq_along(CASES)) {
  cs <- CASES[[k]]
  type <- if (cs[1] == 1) "grouped" else "ungrouped"
  wk <- if (cs[5] == 1) w else rep(1, n)
  ok <- if (cs[5] == 1) off else NULL
  lo <- if (cs[5] == 2) LOWER else -Inf
  up <- if (cs[5] == 2) UPPER else Inf
  lam <- NULL
  if (cs[4] == 1)
    lam <- glmnet(x, y, family = "multinomial", alpha = cs[2], type.multinomial = type,
                  weights = wk, offset = ok, lower.limits = lo, upper.limits = up,
                  thresh = THRESH, maxit = 1e7)$lambda
  cv <- cv.glmnet(x, y, family = "multinomial", alpha = cs[2], type.multinomial = type,
                  weights = wk, offset = ok, lower.limits = lo, upper.limits = up,
                  lambda = lam, foldid = foldid,
                  type.measure = MEASURES[cs[3]], thresh = THRESH, maxit = 1e7)
  for (l in seq_along(cv$lambda))
    rows[[length(rows) + 1]] <- c(k, cs, cv$lambda[l], cv$cvm[l], cv$cvsd[l], cv$nzero[l],
                                  cv$lambda[l] == cv$lambda.min, cv$lambda[l] == cv$lambda.1se)
}
ref <- do.call(rbind, rows)
colnames(ref) <- c("case", "grouped", "alpha", "measure", "given", "options", "lambda", "cvm",
                   "cvsd", "nzero", "is_min", "is_1se")
write.csv(apply(ref, 2, f17), file.path(dir, "multinom_cv.csv"), row.names = FALSE,
          quote = FALSE)
