#!/usr/bin/env Rscript
# bench/peers/families.R — regpath beside R glmnet for the families beyond gaussian: the
# poisson and the multinomial path (fit) and their cross-validation (cv), on seeded problems,
# in one run. Time and suboptimality: both solve glmnet's λ list; each solution's objective is
# computed here, in R, the same way for both (glmnet's objective, its penalty on the
# standardized coefficients), and the table gives regpath's relative excess over glmnet's
# (negative: regpath's is lower).
#
#   Rscript bench/peers/families.R [REGPATH] [OUT.md] [--quick]
#
# REGPATH: the regpath binary (default build/regpath, else build-cpu/regpath). OUT.md: the report
# (default: printed). Times: glmnet's the glmnet()/cv.glmnet() call alone; regpath's the whole
# command (CSV parse included) and, in brackets, the solve as its summary reports it. Both on
# the same cores, one after the other, single-threaded (glmnet is; regpath's CPU backend uses
# the BLAS threads it is given: OPENBLAS_NUM_THREADS=1 here).
suppressPackageStartupMessages(library(glmnet))

args <- commandArgs(trailingOnly = TRUE)
quick <- "--quick" %in% args
args <- args[args != "--quick"]
regpath <- if (length(args) >= 1) args[1] else
  if (file.exists("build/regpath")) "build/regpath" else "build-cpu/regpath"
out_md <- if (length(args) >= 2) args[2] else ""
if (!file.exists(regpath)) stop("no regpath binary at ", regpath, " (build it first)")
Sys.setenv(OPENBLAS_NUM_THREADS = "1")
work <- tempfile("regpath-families-")
dir.create(work)
set.seed(20261204)

sd1 <- function(v) sqrt(mean((v - mean(v))^2))
penalty <- function(b, s, alpha) sum(alpha * abs(b * s) + (1 - alpha) / 2 * (b * s)^2)

# the problems: X correlated (ρ 0.5 between neighbours), a sparse truth
make_x <- function(n, p) {
  z <- matrix(rnorm(n * p), n, p)
  x <- z
  for (j in 2:p) x[, j] <- 0.5 * x[, j - 1] + sqrt(0.75) * z[, j]
  x
}
shape <- if (quick) c(n = 2000, p = 50) else c(n = 10000, p = 200)
n <- shape[["n"]]; p <- shape[["p"]]
x <- make_x(n, p)
sx <- apply(x, 2, sd1)
C <- 4
B <- matrix(0, p, C)
B[1:10, ] <- matrix(rnorm(10 * C, sd = 0.5), 10, C)
eta <- x %*% B
pr <- exp(eta) / rowSums(exp(eta))
y_multi <- apply(pr, 1, function(q) sample(0:(C - 1), 1, prob = q))
y_pois <- rpois(n, exp(0.5 + x[, 1:10] %*% rnorm(10, sd = 0.15)))
foldid <- sample(rep(1:10, length.out = n))

write_data <- function(y, file) {
  d <- cbind(y = y, x)
  colnames(d) <- c("y", paste0("x", 1:p))
  write.csv(d, file, row.names = FALSE, quote = FALSE)
}
write.table(foldid, file.path(work, "foldid.csv"), row.names = FALSE, col.names = FALSE)

# regpath: wall seconds of the command, its solve seconds, its output table
run_regpath <- function(cmd_args) {
  err <- file.path(work, "stderr.txt")
  t0 <- proc.time()[["elapsed"]]
  status <- system2(regpath, cmd_args, stdout = FALSE, stderr = err)
  secs <- proc.time()[["elapsed"]] - t0
  log <- readLines(err)
  if (status != 0) stop("regpath failed: ", paste(log, collapse = "\n"))
  m <- regmatches(log, regexpr("\\), [0-9.]+ s", log))
  solve <- if (length(m)) as.numeric(sub("\\), ([0-9.]+) s", "\\1", m[1])) else NA
  list(seconds = secs, solve = solve)
}

obj_poisson <- function(a0, b, lambda, alpha) {
  e <- a0 + x %*% b
  mean(exp(e) - y_pois * e) + lambda * penalty(b, sx, alpha)
}
obj_multi <- function(a0, Bm, lambda, alpha) {  # Bm p × C
  e <- sweep(x %*% Bm, 2, a0, "+")
  m <- apply(e, 1, max)
  lse <- m + log(rowSums(exp(e - m)))
  mean(lse - e[cbind(seq_len(n), y_multi + 1)]) +
    lambda * sum(sapply(seq_len(C), function(c) penalty(Bm[, c], sx, alpha)))
}

rows <- list()
add_row <- function(...) rows[[length(rows) + 1]] <<- list(...)
alpha <- 1
for (family in c("poisson", "multinomial")) {
  y <- if (family == "poisson") y_pois else y_multi
  data <- file.path(work, paste0(family, ".csv"))
  write_data(y, data)
  yy <- if (family == "poisson") y else factor(y)
  t0 <- proc.time()[["elapsed"]]
  g <- glmnet(x, yy, family = family, alpha = alpha)
  g_secs <- proc.time()[["elapsed"]] - t0
  lam <- g$lambda
  lamfile <- paste(sprintf("%.17g", lam), collapse = ",")
  path <- file.path(work, "path.csv")
  r <- run_regpath(c("fit", data, "--response", "y", "--family", family, "--lambda", lamfile,
                     "--output", path))
  rp <- read.csv(path)
  excess <- numeric(length(lam))
  for (k in seq_along(lam)) {
    if (family == "poisson") {
      cg <- as.numeric(coef(g, s = lam[k], exact = FALSE))
      og <- obj_poisson(cg[1], cg[-1], lam[k], alpha)
      orp <- obj_poisson(rp$intercept[k], as.numeric(rp[k, -(1:2)]), lam[k], alpha)
    } else {
      cg <- coef(g)
      a0g <- sapply(cg, function(m) m[1, k])
      Bg <- sapply(cg, function(m) as.numeric(m[-1, k]))
      og <- obj_multi(a0g, Bg, lam[k], alpha)
      sel <- rp[(k - 1) * C + 1:C, ]
      orp <- obj_multi(sel$intercept, t(as.matrix(sel[, -(1:3)])), lam[k], alpha)
    }
    excess[k] <- (orp - og) / abs(og)
  }
  add_row(family = family, task = sprintf("fit, %d λ", length(lam)), glmnet = g_secs,
          regpath = r$seconds, solve = r$solve, excess = max(excess), agree = "")

  t0 <- proc.time()[["elapsed"]]
  cvg <- cv.glmnet(x, yy, family = family, alpha = alpha, foldid = foldid)
  cv_secs <- proc.time()[["elapsed"]] - t0
  cvout <- file.path(work, "cv.csv")
  r <- run_regpath(c("cv", data, "--response", "y", "--family", family, "--foldid",
                     file.path(work, "foldid.csv"), "--output", cvout))
  cvr <- read.csv(cvout)
  m <- min(length(cvr$cvm), length(cvg$cvm))
  agree <- sprintf("cvm within %.1e; lambda.min %s", max(abs(cvr$cvm[1:m] / cvg$cvm[1:m] - 1)),
                   if (isTRUE(all.equal(cvr$lambda[which.min(cvr$cvm)], cvg$lambda.min,
                                        tolerance = 1e-6))) "equal" else "differs")
  add_row(family = family, task = "cv, 10 folds", glmnet = cv_secs, regpath = r$seconds,
          solve = r$solve, excess = NA, agree = agree)
}

lines <- c(sprintf("# regpath beside glmnet: poisson and multinomial (%s)", format(Sys.Date())),
           "",
           sprintf("n %d, p %d (neighbours correlated 0.5), alpha %g; multinomial %d classes,",
                   n, p, alpha, C),
           sprintf("ungrouped; glmnet %s defaults (thresh 1e-7), regpath defaults (tol 1e-7).",
                   as.character(packageVersion("glmnet"))),
           sprintf("Machine: %s; OPENBLAS_NUM_THREADS=1. Made by `Rscript bench/peers/families.R%s`.",
                   sub("^.*: ", "", grep("model name", readLines("/proc/cpuinfo"),
                                         value = TRUE)[1]),
                   if (quick) " --quick" else ""),
           "",
           "| family | task | glmnet s | regpath s (solve) | regpath / glmnet | objective excess | cv |",
           "|---|---|---|---|---|---|---|")
for (r in rows)
  lines <- c(lines, sprintf("| %s | %s | %.3f | %.3f (%.3f) | %.2f | %s | %s |", r$family,
                            r$task, r$glmnet, r$regpath, r$solve, r$regpath / r$glmnet,
                            if (is.na(r$excess)) "" else sprintf("%.1e", r$excess), r$agree))
lines <- c(lines, "",
           "objective excess: the largest over the λ of (P_regpath − P_glmnet) / |P_glmnet|, both",
           "evaluated here; negative: regpath's solutions are the better ones.")
if (nzchar(out_md)) writeLines(lines, out_md) else writeLines(lines)
unlink(work, recursive = TRUE)
