"""studykit: deep-learning basics, learned by doing.

Reference implementations written from scratch in PyTorch tensor primitives, each verified
against its torch counterpart. Importing ``studykit`` itself does not import torch, so the
command line starts fast; import a submodule (``studykit.losses``) to get the implementations.
"""

__version__ = "0.1.0"
