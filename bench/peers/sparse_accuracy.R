#!/usr/bin/env Rscript
# bench/peers/sparse_accuracy.R — regpath beside R glmnet at equal accuracy on bench/peers/
# sparse.R's data (the same seed and shapes): glmnet on its own default λ list (timed), then on
# that list at thresh 1e-7 (its default), 1e-10 and 1e-12 (maxit 1e6), and regpath at --tol 1e-7
# (its default) and 1e-4, each timed and its suboptimality taken per λ relative to the best
# objective of all the runs (max and median over the λ). Prints one table per family.
#
#   Rscript bench/peers/sparse_accuracy.R [REGPATH] [--quick]
#
# REGPATH: the regpath binary (default build/regpath, else build-cpu/regpath). Sizes as
# sparse.R's: n 10⁴, p 10⁵ at 0.1 % density; --quick n 2000, p 20000 at 0.5 %. regpath's
# time is its whole command (the .mtx parse and the CSV written) and, in brackets, its solve.
suppressPackageStartupMessages({library(glmnet); library(Matrix)})
args <- commandArgs(TRUE)
quick <- "--quick" %in% args
args <- args[args != "--quick"]
regpath <- if (length(args) >= 1) args[1] else
  if (file.exists("build/regpath")) "build/regpath" else "build-cpu/regpath"
if (!file.exists(regpath)) stop("no regpath binary at ", regpath, " (build it first)")
Sys.setenv(OPENBLAS_NUM_THREADS = "1", OMP_NUM_THREADS = "1")
work <- tempfile("regpath-sparse-accuracy-")
dir.create(work)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "sparse_data.R"))  # n, p, density, x, sx, y_gauss, y_binom, obj_*

x_file <- file.path(work, "X.mtx")
invisible(writeMM(x, x_file))

for (family in c("gaussian", "binomial")) {
  y <- if (family == "gaussian") y_gauss else y_binom
  obj <- if (family == "gaussian") obj_gaussian else obj_binomial
  invisible(glmnet(x, y, family = family, nlambda = 5))  # warm-up
  t0 <- proc.time()[["elapsed"]]
  g0 <- glmnet(x, y, family = family)
  default_secs <- proc.time()[["elapsed"]] - t0
  lam <- g0$lambda
  objectives <- function(a0, B)
    sapply(seq_along(lam), function(k) obj(a0[k], B[, k], lam[k], y))
  runs <- list()
  for (th in c(1e-7, 1e-10, 1e-12)) {
    t0 <- proc.time()[["elapsed"]]
    g <- glmnet(x, y, family = family, lambda = lam, thresh = th, maxit = 1e6)
    secs <- proc.time()[["elapsed"]] - t0
    runs[[sprintf("glmnet thresh %g", th)]] <-
      list(secs = secs, obj = objectives(g$a0, as.matrix(g$beta)))
  }
  y_file <- file.path(work, "y.txt")
  writeLines(sprintf("%.17g", y), y_file)
  path <- file.path(work, "path.csv")
  for (tol in c("1e-7", "1e-4")) {
    t0 <- proc.time()[["elapsed"]]
    log <- system2(regpath, c("fit", x_file, "--response-file", y_file, "--family", family,
                              "--tol", tol, "--output", path,
                              "--lambda", paste(sprintf("%.17g", lam), collapse = ",")),
                   stdout = TRUE, stderr = TRUE)
    secs <- proc.time()[["elapsed"]] - t0
    if (!is.null(attr(log, "status"))) stop("regpath failed: ", paste(log, collapse = "\n"))
    solve <- as.numeric(sub(".*\\(float64\\), ([0-9.]+) s.*", "\\1",
                            grep("device cpu", log, value = TRUE)))
    rp <- read.csv(path, check.names = FALSE)
    runs[[sprintf("regpath --tol %s", tol)]] <-
      list(secs = secs, solve = solve,
           obj = objectives(rp$intercept, t(as.matrix(rp[, -(1:2)]))))
  }
  best <- do.call(pmin, lapply(runs, function(r) r$obj))
  cat(sprintf("\n%s, n %d, p %d, density %g, %d λ; glmnet default on its own λ list: %.2f s\n\n",
              family, n, p, density, length(lam), default_secs))
  cat("| run | s | suboptimality, max (median) |\n|---|---|---|\n")
  for (name in names(runs)) {
    r <- runs[[name]]
    e <- (r$obj - best) / abs(best)
    secs <- if (is.null(r$solve)) sprintf("%.2f", r$secs) else
      sprintf("%.2f (solve %.2f)", r$secs, r$solve)
    cat(sprintf("| %s | %s | %.1e (%.1e) |\n", name, secs, max(e), median(e)))
  }
}
unlink(work, recursive = TRUE)
