"""One module per exercise: its task text (TEMPLATE), HINTS, reference solution and check."""
