// Vitest stand-in for the `server-only` marker package (which throws outside Next's server bundles).
export {};
