#!/usr/bin/env Rscript
# glmnet's family = "multinomial" with its options (weights, an offset matrix, penalty.factor
# with a 0, exclude, lower/upper limits, standardize = FALSE): R glmnet's λ_max, coefficients and
# dev.ratio on the three-class problem of make_multinomial_reference.R, for
# tests/test_multinomial_options.cpp (Debian 12: r-cran-glmnet 4.1-6). Run from the repository
# root, after make_multinomial_reference.R (it reads tests/data/multinom_data.csv):
#
#   Rscript scripts/make_multinomial_options_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/multinom_options.csv   w,o0,o1,o2: n = 150 observation weights (uniform on
#       [0.2, 2], rows 1–3 weight 0) and an n × 3 offset matrix (N(0, 0.5²))
#   tests/data/multinom_options_ref.csv   case,lambda_max,lambda,dev_ratio,class,a0,b1..b8:
#       per case (the options are listed in CASES below and mirrored by the test), λ_max is the
#       first λ of glmnet's own default path at THRESH (glmnet reports it extrapolated
#       geometrically from the 2nd and 3rd, which is λ_max to rounding), then coef(fit) and
#       fit$dev.ratio of
#       glmnet(..., lambda = LAMBDAS · λ_max, thresh = THRESH); one row per (λ, class), a0
#       centred over the classes as coef() gives it.
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261204)

dir <- file.path("tests", "data")
THRESH <- 1e-14
data <- read.csv(file.path(dir, "multinom_data.csv"))
y <- data$y
x <- as.matrix(data[, -1])
n <- nrow(x); p <- ncol(x); C <- 3

w <- runif(n, 0.2, 2)
w[1:3] <- 0
off <- matrix(rnorm(n * C, sd = 0.5), n, C)
f17 <- function(v) sprintf("%.17g", v)
extra <- cbind(w = w, o0 = off[, 1], o1 = off[, 2], o2 = off[, 3])
write.csv(apply(extra, 2, f17), file.path(dir, "multinom_options.csv"), row.names = FALSE,
          quote = FALSE)

pf <- c(0, 1, 2, 1, 1, 0.5, 1, 1)  # a 0: unpenalized (and so without limits: case 9's own)
CASES <- list(
  list(g = 0, a = 1, weights = TRUE),
  list(g = 1, a = 0.5, weights = TRUE),
  list(g = 0, a = 0.5, offset = TRUE),
  list(g = 1, a = 1, offset = TRUE),
  list(g = 0, a = 1, pf = pf),
  list(g = 1, a = 0.5, pf = pf, exclude = c(3, 7)),
  list(g = 0, a = 1, lower = -0.15, upper = c(0.25, 0.1, Inf, 0.2, 0.3, 0.05, 0.2, 0.3)),
  list(g = 0, a = 0.5, lower = -0.1, upper = 0.1, weights = TRUE, standardize = FALSE),
  list(g = 0, a = 0.7, weights = TRUE, offset = TRUE, pf = c(0.5, 1, 2, 1, 1, 0.5, 1, 1),
       lower = -0.3, upper = 0.3),
  # grouped with limits: glmnet's chkbnds inside its group update
  list(g = 1, a = 0.5, lower = -0.15, upper = c(0.25, 0.1, Inf, 0.2, 0.3, 0.05, 0.2, 0.3)),
  list(g = 1, a = 1, lower = c(0, -0.2, -Inf, 0, -0.1, -0.2, 0, -0.2), upper = 0.2,
       weights = TRUE, pf = c(0.5, 1, 2, 1, 1, 0.5, 1, 1)))
LAMBDAS <- c(0.9, 0.5, 0.3, 0.15, 0.08, 0.04, 0.02, 0.01)

rows <- list()
for (k in seq_along(CASES)) {
  cs <- CASES[[k]]
  args <- list(x = x, y = factor(y), family = "multinomial", alpha = cs$a,
               type.multinomial = if (cs$g == 1) "grouped" else "ungrouped",
               standardize = if (is.null(cs$standardize)) TRUE else cs$standardize)
  if (isTRUE(cs$weights)) args$weights <- w
  if (isTRUE(cs$offset)) args$offset <- off
  if (!is.null(cs$pf)) args$penalty.factor <- cs$pf
  if (!is.null(cs$exclude)) args$exclude <- cs$exclude
  if (!is.null(cs$lower)) args$lower.limits <- cs$lower
  if (!is.null(cs$upper)) args$upper.limits <- cs$upper
  args$thresh <- THRESH  # the null model of an unpenalized feature is solved to it too
  args$maxit <- 1e7
  lmax <- do.call(glmnet, args)$lambda[1]
  args$lambda <- LAMBDAS * lmax
  fit <- do.call(glmnet, args)
  stopifnot(length(fit$lambda) == length(LAMBDAS))
  cf <- coef(fit)
  for (l in seq_along(LAMBDAS)) for (c in 1:C) {
    v <- as.numeric(cf[[c]][, l])
    rows[[length(rows) + 1]] <- c(k, lmax, fit$lambda[l], fit$dev.ratio[l], c - 1, v)
  }
}
ref <- do.call(rbind, rows)
colnames(ref) <- c("case", "lambda_max", "lambda", "dev_ratio", "class", "a0",
                   paste0("b", 1:p))
write.csv(apply(ref, 2, f17), file.path(dir, "multinom_options_ref.csv"), row.names = FALSE,
          quote = FALSE)
