"""llama.cpp in this process: the engine, its label likelihoods, its perplexity windows and its log."""
