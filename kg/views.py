"""placeholder"""
def write_views(graph, out):
    return []
