"""The static study site: pages generated from the question bank and the reference code."""
