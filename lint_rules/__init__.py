"""storyguard's built-in rule packs, registered through the `storyguard.rules` entry points
exactly as a third-party plugin would be."""
