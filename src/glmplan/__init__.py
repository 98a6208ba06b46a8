"""glmplan: set up coding tools for Z.ai's GLM Coding Plan and watch the shared quota."""

__version__ = "0.1.0"
