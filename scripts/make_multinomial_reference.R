#!/usr/bin/env Rscript
# glmnet's family = "multinomial": R glmnet's coefficients on a seeded three-class problem, for
# tests/test_multinomial.cpp (Debian 12: r-cran-glmnet 4.1-6). Run from the repository root:
#
#   Rscript scripts/make_multinomial_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/multinom_data.csv   y,x1..x8: n = 150 rows, y in 0, 1, 2 (a softmax of a linear
#       model of the N(0, 1) features, some of them scaled and shifted)
#   tests/data/multinom_ref.csv   case,grouped,alpha,lambda,class,a0,b1..b8: coef(fit) of
#       glmnet(x, factor(y), family = "multinomial", type.multinomial, alpha,
#       lambda = LAMBDAS · λ_max, thresh = THRESH) for cases 1 ungrouped α = 1, 2 ungrouped
#       α = 0.5, 3 grouped α = 1, 4 grouped α = 0.5; a0 as coef() gives it (centred over
#       the classes per λ), the coefficients as glmnet returns them; one row per (λ, class).
#       λ_max is glmnet's: ungrouped max_jc |x̃_jᵀ(y_c − ȳ_c)| / (n α), grouped the same with
#       the 2-norm over the classes, x̃ standardized with the 1/n sd.
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261205)

dir <- file.path("tests", "data")
THRESH <- 1e-14
n <- 150; p <- 8; C <- 3
x <- matrix(rnorm(n * p), n, p)
x[, 2] <- 3 * x[, 2] + 1
x[, 5] <- 0.5 * x[, 5] - 2
B <- matrix(0, p, C)
B[1, ] <- c(1, -0.5, 0); B[2, ] <- c(0, 0.3, -0.3); B[3, ] <- c(-0.8, 0, 0.8)
B[6, ] <- c(0.4, 0.4, -0.6)
eta <- x %*% B + matrix(c(0.2, -0.1, 0), n, C, byrow = TRUE)
pr <- exp(eta) / rowSums(exp(eta))
y <- apply(pr, 1, function(q) sample(0:(C - 1), 1, prob = q))

f17 <- function(v) sprintf("%.17g", v)
data <- cbind(y = y, x)
colnames(data) <- c("y", paste0("x", 1:p))
write.csv(apply(data, 2, f17), file.path(dir, "multinom_data.csv"), row.names = FALSE,
          quote = FALSE)

sd1 <- function(v) sqrt(mean((v - mean(v))^2))
xs <- scale(x, center = TRUE, scale = apply(x, 2, sd1))
Y <- diag(C)[y + 1, ]
G <- t(xs) %*% sweep(Y, 2, colMeans(Y)) / n
LAMBDAS <- c(0.9, 0.6, 0.4, 0.25, 0.15, 0.1, 0.06, 0.03, 0.015, 0.008)
rows <- list()
cases <- list(list(g = 0, a = 1), list(g = 0, a = 0.5), list(g = 1, a = 1), list(g = 1, a = 0.5))
for (k in seq_along(cases)) {
  cs <- cases[[k]]
  lmax <- if (cs$g == 1) max(sqrt(rowSums(G^2))) / cs$a else max(abs(G)) / cs$a
  lam <- LAMBDAS * lmax
  fit <- glmnet(x, factor(y), family = "multinomial", alpha = cs$a, lambda = lam,
                type.multinomial = if (cs$g == 1) "grouped" else "ungrouped", thresh = THRESH)
  stopifnot(length(fit$lambda) == length(lam))
  cf <- coef(fit)
  for (l in seq_along(lam)) for (c in 1:C) {
    v <- as.numeric(cf[[c]][, l])
    rows[[length(rows) + 1]] <- c(k, cs$g, cs$a, lam[l], c - 1, v)
  }
}
ref <- do.call(rbind, rows)
colnames(ref) <- c("case", "grouped", "alpha", "lambda", "class", "a0", paste0("b", 1:p))
write.csv(apply(ref, 2, f17), file.path(dir, "multinom_ref.csv"), row.names = FALSE,
          quote = FALSE)
