# Writes one seeded data set in the formats regpath reads, for bench/io/run:
#   Rscript bench/io/make_data.R N P PREFIX
# PREFIX.csv   header x1..xP,y and N rows (data.table::fwrite: 15 significant digits)
# PREFIX.npy   X alone, (N, P) float64, Fortran order (column-major: what regpath maps in place)
# PREFIX_y.npy y, (N,)
# X is standard normal; y = X[, 1:10] %*% (10:1)/10 + noise, so that a path has something to find.
suppressMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[1]); p <- as.integer(args[2]); prefix <- args[3]
set.seed(20261202)
X <- matrix(rnorm(n * p), n, p)
y <- as.vector(X[, 1:min(10, p), drop = FALSE] %*% ((min(10, p):1) / 10)) + rnorm(n)
# fwrite prints 15 significant digits; round X to them so that every format holds the same numbers.
X[] <- signif(X, 15); y <- signif(y, 15)
d <- as.data.table(X)
setnames(d, paste0("x", seq_len(p)))
d[, y := y]
fwrite(d, paste0(prefix, ".csv"))
rm(d)
write_npy <- function(path, values, shape) {
  dims <- if (length(shape) == 1) paste0("(", shape, ",)") else
    paste0("(", paste(shape, collapse = ", "), ")")
  header <- paste0("{'descr': '<f8', 'fortran_order': True, 'shape': ", dims, ", }")
  pad <- 64 - (10 + nchar(header) + 1) %% 64
  header <- paste0(header, strrep(" ", pad %% 64), "\n")
  con <- file(path, "wb")
  writeBin(as.raw(c(0x93, charToRaw("NUMPY"), 1, 0)), con)
  writeBin(as.integer(nchar(header)), con, size = 2, endian = "little")
  writeBin(charToRaw(header), con)
  writeBin(as.vector(values), con, size = 8, endian = "little")
  close(con)
}
write_npy(paste0(prefix, ".npy"), X, c(n, p))
write_npy(paste0(prefix, "_y.npy"), y, n)
