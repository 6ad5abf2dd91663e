"fastai_embout: embedding-output language models for fastai."
from importlib.metadata import version as _version, PackageNotFoundError as _NotFound
try: __version__ = _version('fastai-embout')   # settings.ini is the single source (via setup.py)
except _NotFound: __version__ = 'unknown'      # imported from a checkout that was not pip-installed
