# Export the public data sets used by the agreement tests to CSV (run from tests/data/r/).
# psych::bfi (psych package, GPL-2/3; data from the SAPA project, Revelle et al.) and
# lavaan::HolzingerSwineford1939 (lavaan package, GPL-2/3; Holzinger & Swineford 1939).
suppressMessages({library(psych); library(lavaan)})
data(bfi, package = "psych")
write.csv(bfi, "../bfi.csv", row.names = FALSE, na = "")
data(HolzingerSwineford1939, package = "lavaan")
write.csv(HolzingerSwineford1939, "../holzinger_swineford_1939.csv", row.names = FALSE, na = "")
