"""The model library, the Hugging Face page and downloads."""
