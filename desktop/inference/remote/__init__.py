"""Engines on other machines (llama-server, vLLM, any OpenAI-compatible server): the only package that imports
`openai` and `httpx`."""
