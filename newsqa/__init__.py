"""newsqa: question answering over news articles with verified citations."""
