"""Helpers that the tests and the benchmarks share: independent references and synthetic data.

Nothing in the product imports this package (an import contract says so); it ships with the
package so that ``tests/`` and ``benchmarks/`` import one module instead of each other.
"""
