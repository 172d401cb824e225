"""Hugging Face Hub access; the only package that imports huggingface_hub (issue 3)."""
