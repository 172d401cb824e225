"""Inference engines beyond this computer: servers (llama-server, vLLM, any OpenAI-compatible API) by name and URL,
how their models are named inside Parley, and where their API keys are kept."""
