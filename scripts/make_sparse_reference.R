# Writes the sparse-X reference (tests/test_sparse_reference.cpp): a seeded sparse X (dgCMatrix,
# with an empty column and an all-zero row) and y, and R glmnet's lasso path on the sparse X
# (alpha = 1, so glmnet's y scaling changes nothing; thresh = 1e-14); then, from the same seeded
# stream after those two cases (so their files stay as they were), a binomial and a poisson
# case: a 0/1 and a count response on a sparse X, glmnet's lasso path with thresh = 1e-30 (as
# scripts/make_binomial_reference.R: the passes run until they change nothing; maxit bounds it).
#   Rscript scripts/make_sparse_reference.R      (from the repository root)
suppressPackageStartupMessages({
  library(Matrix)
  library(glmnet)
})
set.seed(2101)
write_case <- function(name, n, p, density, family = "gaussian") {
  X <- rsparsematrix(n, p, density, rand.x = function(k) round(rnorm(k, 1, 1), 3))
  X[, 2] <- 0
  X[1, ] <- 0
  X <- drop0(X)
  eta <- as.numeric(X[, 1] * 2 - X[, 3] + 0.5 * X[, 4])
  if (family == "gaussian") {
    y <- round(eta + rnorm(n), 4)
    fit <- glmnet(X, y, family = "gaussian", alpha = 1, nlambda = 30, thresh = 1e-14,
                  standardize = TRUE, intercept = TRUE)
  } else {
    eta <- 0.5 * eta - 1
    y <- if (family == "binomial") rbinom(n, 1, 1 / (1 + exp(-eta))) else rpois(n, exp(eta))
    fit <- glmnet(X, y, family = family, alpha = 1, nlambda = 20, thresh = 1e-30,
                  maxit = 1e7, standardize = TRUE, intercept = TRUE)
  }
  dir <- "tests/data"
  writeMM(as(X, "CsparseMatrix"), file.path(dir, paste0("sparse_", name, "_X.mtx")))
  write.table(data.frame(y = y), file.path(dir, paste0("sparse_", name, "_y.csv")),
              sep = ",", row.names = FALSE, col.names = FALSE)
  write.table(data.frame(lambda = sprintf("%.17g", fit$lambda)),
              file.path(dir, paste0("sparse_", name, "_lambda.csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, quote = FALSE)
  B <- as.matrix(coef(fit))  # (p + 1) × nλ, the intercept first
  write.table(apply(B, c(1, 2), function(v) sprintf("%.17g", v)),
              file.path(dir, paste0("sparse_", name, "_coef.csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, quote = FALSE)
}
write_case("tall", 300, 15, 0.2)  # Gram form
write_case("wide", 60, 150, 0.1)  # direct form
write_case("binomial", 200, 12, 0.25, "binomial")
write_case("poisson", 200, 12, 0.25, "poisson")
