"""The pathway around the assessment, as pure computation: retention arithmetic, the next-module rule
engine and the centre figures. No I/O: the API gathers the facts and passes them in."""
