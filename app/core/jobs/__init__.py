"""A small background job runner: a ``jobs`` table and a thread pool that runs each job in an app context."""
