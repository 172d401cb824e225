"""The Perplexity page: how surprised a model is by each token of a text."""
