"""Benchmarks: studykit against torch, reported as time ratios measured in one process."""
