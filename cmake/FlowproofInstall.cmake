# Install rules and the package config (placeholder; see issue 2 packaging work).
