# Reference values for exploratory factor analysis on the 25 psych::bfi items (run from tests/data/r/).
# psych::fa with pairwise-complete correlations, SMC start; rotations from GPArotation / stats.
# Output: ../reference_efa_bfi_<method>_<rotation>.json
suppressMessages({library(psych); library(GPArotation); library(jsonlite)})
bfi <- read.csv("../bfi.csv")[, 1:25]
runs <- list(c("minres", "oblimin"), c("minres", "varimax"), c("minres", "promax"),
             c("minres", "none"), c("ml", "oblimin"))
for (r in runs) {
  f <- fa(bfi, nfactors = 5, fm = r[1], rotate = r[2])
  L <- unclass(f$loadings)
  out <- list(
    method = r[1], rotation = r[2], n_factors = 5, items = colnames(bfi),
    loadings = lapply(seq_len(ncol(L)), function(j) unname(L[, j])),
    communalities = unname(f$communality),
    uniquenesses = unname(f$uniquenesses),
    factor_corr = if (is.null(f$Phi)) NULL else lapply(seq_len(ncol(f$Phi)), function(j) unname(f$Phi[, j])),
    rms = f$rms, objective = f$objective, chi_square = f$STATISTIC, dof = f$dof,
    tli = f$TLI, rmsea = unname(f$RMSEA[1]), bic = f$BIC, n_obs = f$n.obs)
  write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null"),
        sprintf("../reference_efa_bfi_%s_%s.json", r[1], r[2]))
}
