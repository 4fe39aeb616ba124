#!/usr/bin/env Rscript
# bench/peers/sparse.R — regpath beside R glmnet on a sparse, wide X (p ≫ n), the case of
# text, genomics and one-hot data: both take the same dgCMatrix (regpath reads it as Matrix
# Market, X.mtx, and fits it without densifying), gaussian and binomial lasso paths on glmnet's
# λ list, in one run. Time and suboptimality: each solution's objective is computed here, in
# R, the same way for both (glmnet's objective, its penalty on the standardized coefficients),
# and the table gives regpath's relative excess over glmnet's (negative: regpath's is lower).
#
#   Rscript bench/peers/sparse.R [REGPATH] [OUT.md] [--quick]
#
# REGPATH: the regpath binary (default build/regpath, else build-cpu/regpath). OUT.md: the report
# (default: printed). Sizes: n 10⁴, p 10⁵ at 0.1 % density; --quick n 2000, p 20000 at 0.5 %.
# Times: glmnet's the glmnet() call alone; regpath's the whole command (the .mtx parse and the
# path's CSV output included) and, in brackets, the solve as its summary reports it; peak
# memory of the regpath process from /usr/bin/time when it is installed. Both on the same
# cores, one after the other, single-threaded (OPENBLAS_NUM_THREADS=1, OMP_NUM_THREADS=1).
suppressPackageStartupMessages({
  library(glmnet)
  library(Matrix)
})

args <- commandArgs(trailingOnly = TRUE)
quick <- "--quick" %in% args
args <- args[args != "--quick"]
regpath <- if (length(args) >= 1) args[1] else
  if (file.exists("build/regpath")) "build/regpath" else "build-cpu/regpath"
out_md <- if (length(args) >= 2) args[2] else ""
if (!file.exists(regpath)) stop("no regpath binary at ", regpath, " (build it first)")
Sys.setenv(OPENBLAS_NUM_THREADS = "1", OMP_NUM_THREADS = "1")
work <- tempfile("regpath-sparse-")
dir.create(work)
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1]))
source(file.path(here, "sparse_data.R"))  # n, p, density, x, sx, y_gauss, y_binom, obj_*

x_file <- file.path(work, "X.mtx")
invisible(writeMM(x, x_file))

have_time <- file.exists("/usr/bin/time")
# regpath: wall seconds of the command, its solve seconds, its peak resident MiB
run_regpath <- function(cmd_args) {
  err <- file.path(work, "stderr.txt")
  mem_file <- file.path(work, "mem.txt")
  t0 <- proc.time()[["elapsed"]]
  status <- if (have_time)
    system2("/usr/bin/time", c("-f", "%M", "-o", mem_file, regpath, cmd_args), stdout = FALSE,
            stderr = err) else
    system2(regpath, cmd_args, stdout = FALSE, stderr = err)
  secs <- proc.time()[["elapsed"]] - t0
  log <- readLines(err)
  if (status != 0) stop("regpath failed: ", paste(log, collapse = "\n"))
  m <- regmatches(log, regexpr("\\), [0-9.]+ s", log))
  solve <- if (length(m)) as.numeric(sub("\\), ([0-9.]+) s", "\\1", m[1])) else NA
  mib <- if (have_time) as.numeric(tail(readLines(mem_file), 1)) / 1024 else NA
  list(seconds = secs, solve = solve, mib = mib)
}

rows <- list()
for (family in c("gaussian", "binomial")) {
  y <- if (family == "gaussian") y_gauss else y_binom
  y_file <- file.path(work, "y.txt")
  writeLines(sprintf("%.17g", y), y_file)
  t0 <- proc.time()[["elapsed"]]
  g <- glmnet(x, y, family = family, alpha = 1)
  g_secs <- proc.time()[["elapsed"]] - t0
  lam <- g$lambda
  path <- file.path(work, "path.csv")
  r <- run_regpath(c("fit", x_file, "--response-file", y_file, "--family", family,
                     "--lambda", paste(sprintf("%.17g", lam), collapse = ","),
                     "--output", path))
  rp <- read.csv(path, check.names = FALSE)
  obj <- if (family == "gaussian") obj_gaussian else obj_binomial
  excess <- numeric(length(lam))
  for (k in seq_along(lam)) {
    og <- obj(g$a0[k], as.numeric(g$beta[, k]), lam[k], y)
    orp <- obj(rp$intercept[k], as.numeric(rp[k, -(1:2)]), lam[k], y)
    excess[k] <- (orp - og) / abs(og)
  }
  rows[[length(rows) + 1]] <- list(family = family, nlambda = length(lam), glmnet = g_secs,
                                   regpath = r$seconds, solve = r$solve, mib = r$mib,
                                   excess = max(excess))
}

input_mib <- nnz * (8 + 8) / 2^20  # CSC values and 64-bit row indices
lines <- c(sprintf("# regpath beside glmnet: a sparse, wide X (%s)", format(Sys.Date())),
           "",
           sprintf("n %d, p %d, density %g (nnz %d, N(0, 1) values at random cells), a", n, p,
                   density, nnz),
           sprintf("20-feature truth; alpha 1, glmnet's λ list; glmnet %s defaults (thresh 1e-7),",
                   as.character(packageVersion("glmnet"))),
           "regpath defaults (tol 1e-7), both standardizing without densifying.",
           sprintf("Machine: %s; single-threaded. Made by `Rscript bench/peers/sparse.R%s`.",
                   sub("^.*: ", "", grep("model name", readLines("/proc/cpuinfo"),
                                         value = TRUE)[1]),
                   if (quick) " --quick" else ""),
           sprintf("The input's CSC storage (values and 64-bit indices): %.0f MiB.", input_mib),
           "",
           "| family | λ | glmnet s | regpath s (solve) | regpath / glmnet | regpath peak MiB | objective excess |",
           "|---|---|---|---|---|---|---|")
for (r in rows)
  lines <- c(lines, sprintf("| %s | %d | %.3f | %.3f (%.3f) | %.1f | %s | %.1e |", r$family,
                            r$nlambda, r$glmnet, r$regpath, r$solve, r$regpath / r$glmnet,
                            if (is.na(r$mib)) "" else sprintf("%.0f", r$mib), r$excess))
lines <- c(lines, "",
           "objective excess: the largest over the λ of (P_regpath − P_glmnet) / |P_glmnet|, both",
           "evaluated here; negative: regpath's solutions are the better ones. regpath's time",
           "includes reading X.mtx and writing the path (p + 2 columns per λ) as CSV.")
if (nzchar(out_md)) writeLines(lines, out_md) else writeLines(lines)
unlink(work, recursive = TRUE)
