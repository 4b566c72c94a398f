"""The rules of the messenger: send, receive, block, report, consent, feedback. Knows no Textual."""
