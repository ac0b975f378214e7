"""Write stage: files appear whole or not at all, and a failed build never touches the last good output."""
