"""Settings › Engines: the servers Parley can run models on besides this computer, what each can do, and the
models they serve (on the Models page as remote entries)."""
