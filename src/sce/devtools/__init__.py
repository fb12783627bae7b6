"""Developer tools: throwaway servers and helpers for tests and benchmarks, never used by the POS itself."""
