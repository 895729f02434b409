def from_sklearn(obj):
    raise NotImplementedError
