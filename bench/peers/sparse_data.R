# bench/peers/sparse_data.R — the data of bench/peers/sparse.R and sparse_accuracy.R, sourced by
# both (with `quick` set): a seeded sparse, wide X (entries at distinct random cells, N(0, 1)
# values), its column sds over n (glmnet's standardization, computed without densifying), a
# 20-feature truth with a gaussian and a binomial response, and the lasso objectives.
set.seed(20261205)

shape <- if (quick) c(n = 2000, p = 20000, density = 0.005) else
  c(n = 10000, p = 100000, density = 0.001)
n <- shape[["n"]]; p <- shape[["p"]]; density <- shape[["density"]]
nnz <- round(n * p * density)
# entries at distinct random cells, values N(0, 1): no column or row is special
cells <- sample.int(n * p, nnz)
x <- sparseMatrix(i = (cells - 1) %% n + 1, j = (cells - 1) %/% n + 1, x = rnorm(nnz),
                  dims = c(n, p))
# sd over n (glmnet's standardization), without densifying
mu <- colMeans(x)
sx <- sqrt(pmax(colMeans(x^2) - mu^2, 0))
sx[sx == 0] <- 1  # an empty column: its coefficient is 0 either way
truth <- numeric(p)
truth[sample.int(p, 20)] <- rnorm(20, sd = 2)
eta <- as.numeric(x %*% truth)
y_gauss <- eta + rnorm(n)
y_binom <- rbinom(n, 1, 1 / (1 + exp(-eta)))

penalty <- function(b) sum(abs(b * sx))  # alpha 1
obj_gaussian <- function(a0, b, lambda, y) {
  r <- y - a0 - as.numeric(x %*% b)
  sum(r^2) / (2 * n) + lambda * penalty(b)
}
obj_binomial <- function(a0, b, lambda, y) {
  e <- a0 + as.numeric(x %*% b)
  mean(log1p(exp(-abs(e))) + pmax(e, 0) - y * e) + lambda * penalty(b)
}
