"""The few-shot workbench: the template editor, preview, test-set runs, results and history."""
