#!/usr/bin/env Rscript
# Observation weights (glmnet's `weights`) for the gaussian family: R glmnet's paths on the
# penalty reference's gaussian problem (tests/data/penalty_gauss.csv, n = 120, p = 10) with
# seeded weights, for tests/test_weights.cpp (Debian 12: r-cran-glmnet 4.1-6). Run from the
# repository root:
#
#   Rscript scripts/make_weights_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/weights_gauss.csv       w: one weight per row of penalty_gauss.csv, U(0, 2) with
#                                      rows 5, 17 and 60 at 0 (a zero weight leaves a row out)
#   tests/data/weights_ref_gauss.csv   case,alpha,standardize,intercept,lambda,dev_ratio,a0,b1..bp:
#       glmnet(x, y, weights = w, alpha, standardize, intercept, nlambda = NLAM,
#       thresh = THRESH) on its own automatic path (lambda[1] is glmnet's weighted lambda_max)
# Cases: 1 alpha = 1; 2 alpha = 0.5; 3 alpha = 1, standardize = FALSE; 4 alpha = 0.5,
# intercept = FALSE; 5 alpha = 1 with weights 3·w (only the weights' ratios matter).
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261203)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 15

d <- read.csv(file.path(dir, "penalty_gauss.csv"))
x <- as.matrix(d[, setdiff(names(d), "y")])
y <- d$y
w <- runif(nrow(x), 0, 2)
w[c(5, 17, 60)] <- 0
write.csv(data.frame(w = sprintf("%.17g", w)), file.path(dir, "weights_gauss.csv"),
          row.names = FALSE, quote = FALSE)

cases <- list(list(alpha = 1, std = TRUE, icpt = TRUE, scale = 1),
              list(alpha = 0.5, std = TRUE, icpt = TRUE, scale = 1),
              list(alpha = 1, std = FALSE, icpt = TRUE, scale = 1),
              list(alpha = 0.5, std = TRUE, icpt = FALSE, scale = 1),
              list(alpha = 1, std = TRUE, icpt = TRUE, scale = 3))
rows <- list()
for (k in seq_along(cases)) {
  c <- cases[[k]]
  f <- glmnet(x, y, weights = c$scale * w, alpha = c$alpha, standardize = c$std,
              intercept = c$icpt, nlambda = NLAM, thresh = THRESH)
  b <- as.matrix(coef(f))
  rows[[k]] <- cbind(k, c$alpha, as.integer(c$std), as.integer(c$icpt), f$lambda, f$dev.ratio,
                     t(b))
}
out <- do.call(rbind, rows)
colnames(out) <- c("case", "alpha", "standardize", "intercept", "lambda", "dev_ratio", "a0",
                   paste0("b", seq_len(ncol(x))))
f17 <- apply(out, 2, function(v) sprintf("%.17g", v))
write.csv(f17, file.path(dir, "weights_ref_gauss.csv"), row.names = FALSE, quote = FALSE)
