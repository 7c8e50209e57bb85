"""The instrument bank as versioned data (YAML, item parameters, norms, texts) and its loader."""
