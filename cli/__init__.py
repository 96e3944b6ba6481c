"""storyguard's command line: thin adapters around `storyguard.lint()`."""
