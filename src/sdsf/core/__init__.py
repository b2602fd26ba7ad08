"""Pure computations: pandas, numpy, shapely. No Django, no file or network I/O."""
