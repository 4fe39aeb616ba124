#!/usr/bin/env Rscript
# cv.glmnet's type.measure (mse, mae, deviance, class) on committed data sets and fold ids, for
# tests/test_cv_measures.cpp. Deterministic (fixed folds, glmnet's own lambda lists); run from
# the repository root after scripts/make_penalty_reference.R and make_poisson_reference.R (whose
# data it reads):
#
#   Rscript scripts/make_measure_reference.R
#
# Output tests/data/measure_cv.csv: problem,family,measure,alpha,lambda,cvm,cvsd,nzero with
# problem in penalty_gauss (gaussian: mse, mae), penalty_binom (binomial: mse, mae, class,
# deviance, auc) and poisson_counts (poisson: mse, mae), alpha 1 and 0.5; measure coded 1 mse,
# 2 mae, 3 deviance, 4 class, 5 auc (cv.glmnet breaks ties in the AUC at random: where every
# prediction ties, at lambda_max, its value is chance — set.seed(1) before each cv.glmnet — and
# the test compares the AUC only where nzero > 0); each curve on the lambda list of
# glmnet(x, y, family, alpha, nlambda = 12) with
# thresh = 1e-14 (gaussian: glmnet's own response scaling, as regpath cv's default).

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
dir <- file.path("tests", "data")
g17 <- function(v) sprintf("%.17g", v + 0)
codes <- c(mse = 1, mae = 2, deviance = 3, class = 4, auc = 5)
fams <- c(gaussian = 1, binomial = 2, poisson = 3)
rows <- NULL
run <- function(problem, foldfile, family, measures) {
  d <- read.csv(file.path(dir, paste0(problem, ".csv")))
  x <- as.matrix(d[, -ncol(d)]); y <- d[, ncol(d)]
  foldid <- read.csv(file.path(dir, foldfile))$foldid
  for (alpha in c(1, 0.5)) {
    fit <- glmnet(x, y, family = family, alpha = alpha, nlambda = 12, thresh = 1e-14,
                  maxit = 1e7)
    for (m in measures) {
      set.seed(1)
      cv <- cv.glmnet(x, y, family = family, alpha = alpha, lambda = fit$lambda,
                      foldid = foldid, type.measure = m, thresh = 1e-14, maxit = 1e7)
      rows <<- rbind(rows, cbind(match(problem, c("penalty_gauss", "penalty_binom",
                                                  "poisson_counts")),
                                 fams[[family]], codes[[m]], alpha, cv$lambda, cv$cvm, cv$cvsd,
                                 cv$nzero))
    }
  }
}
run("penalty_gauss", "penalty_foldid_gauss.csv", "gaussian", c("mse", "mae"))
run("penalty_binom", "penalty_foldid_binom.csv", "binomial",
    c("mse", "mae", "class", "deviance", "auc"))
run("poisson_counts", "poisson_foldid.csv", "poisson", c("mse", "mae"))
lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
writeLines(c("problem,family,measure,alpha,lambda,cvm,cvsd,nzero", lines),
           file.path(dir, "measure_cv.csv"))
cat(nrow(rows), "rows\n")
