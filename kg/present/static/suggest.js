// Search suggestions for the box in every page's top bar (written by the search work).
