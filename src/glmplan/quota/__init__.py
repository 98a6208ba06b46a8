"""Quota: Z.ai's API client, each tool's local log readers (incremental), window maths (pure)."""
